/* og.h - what a page says about itself when it is shared in a chat or on
 * social media: the Open Graph and Twitter card values of its <head>
 * (title, description, absolute URL, locale and its translations' locales,
 * the picture of `image:`).  The theme writes them; this module works out
 * the values. */
#ifndef TOIVO_OG_H
#define TOIVO_OG_H

struct page;
struct site;
struct value;

/* The absolute URL of a picture named by `image:` (value v, read from
 * `who`): an http(s) URL as it is, "/x.png" a file of static/, any other
 * path a file of content/ relative to folder dir ("" for content/ itself),
 * as copied beside the pages of language lang.  NULL, after a warning,
 * when the file is not there or the site's base_url is not absolute (a
 * shared link needs the whole URL).  The caller frees it. */
char *og_image_url(const struct site *s, const struct value *v, const char *dir, int lang, const char *who);

/* The "og" map of page p's template context: type, title, locale,
 * locale_alternates, url (when base_url is absolute), image and image_alt
 * (`image:` of params, the page's front matter as the page hooks left it,
 * else site_image, which may be NULL).  The caller frees it. */
struct value *og_context(const struct site *s, const struct page *p, const struct value *params,
			 const char *site_image, const char *site_image_alt);

#endif
