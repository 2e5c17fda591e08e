/* og.c - Open Graph and Twitter card values for a page.
 *
 * A link shared in a chat shows the page's title, description and picture
 * only when the page names them with absolute URLs, so every URL here is
 * the site's base_url plus the output path; without an absolute base_url
 * (a site meant to be opened from disk) there is no og:url or og:image
 * rather than a wrong one. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "i18n.h"
#include "og.h"
#include "site.h"
#include "util.h"
#include "value.h"

/* Open Graph wants a locale (language_TERRITORY); the territory a course
 * in that language most likely serves.  A site may set og_locale in
 * i18n/LANG.yaml for any other. */
static const char *const S_locales[][2] = {
	{ "fi", "fi_FI" }, { "en", "en_GB" }, { "sv", "sv_SE" }, { "se", "se_NO" },
	{ "smn", "smn_FI" }, { "et", "et_EE" }, { "ru", "ru_RU" }, { "uk", "uk_UA" },
	{ "de", "de_DE" }, { "fr", "fr_FR" }, { "es", "es_ES" }, { "it", "it_IT" },
	{ "nb", "nb_NO" }, { "nn", "nn_NO" }, { "no", "nb_NO" }, { "da", "da_DK" },
	{ "is", "is_IS" }, { "nl", "nl_NL" }, { "pl", "pl_PL" }, { "pt", "pt_PT" },
	{ "so", "so_SO" }, { "ar", "ar_AR" }, { "fa", "fa_IR" }, { "tr", "tr_TR" },
};

static const char *S_locale(const struct site *s, int lang)
{
	const char *own = i18n_get(s, lang, "og_locale");
	if (own && *own)
		return own;
	const char *code = s->langs[lang].code;
	for (size_t i = 0; i < sizeof S_locales / sizeof S_locales[0]; i++)
		if (!strcmp(S_locales[i][0], code))
			return S_locales[i][1];
	return code;
}

static bool S_absolute_base(const struct site *s)
{
	return str_starts_with(s->base_url, "https://") || str_starts_with(s->base_url, "http://");
}

char *og_image_url(const struct site *s, const struct value *v, const char *dir, int lang, const char *who)
{
	const char *img = value_string(v);
	if (v && v->kind != V_NULL && (!img || !*img)) {
		diag_warn(who, v->line, v->col, "image must be a picture's file name or URL, e.g. image: kansi.jpg");
		return NULL;
	}
	if (!img)
		return NULL;
	if (str_starts_with(img, "https://") || str_starts_with(img, "http://"))
		return xstrdup(img);
	if (!S_absolute_base(s)) {
		diag_warn(who, v->line, v->col, "image '%s' is not shared: base_url in site.yaml is not a whole URL; "
			  "set it, e.g. base_url: \"https://course.example.org/\"", img);
		return NULL;
	}
	char *url = NULL;
	bool rooted = img[0] == '/';
	char *joined = rooted ? xstrdup(img + 1) : *dir ? xasprintf("%s/%s", dir, img) : xstrdup(img);
	char *norm = path_normalize(joined);
	char *full = norm ? xasprintf("%s/%s/%s", s->root, rooted ? "static" : "content", norm) : NULL;
	if (!norm || !*norm || !is_file(full)) {
		diag_warn(who, v->line, v->col, "image '%s': no such file in %s; add it or fix the path",
			  img, rooted ? "static/" : *dir ? "the page's folder in content/" : "content/");
	} else if (rooted) {
		url = xasprintf("%s%s", s->base_url, norm);
	} else {
		char *d = path_dir(norm);
		char *dp = site_dir_path(s, d, lang);
		const char *base = strrchr(norm, '/');
		url = xasprintf("%s%s%s", s->base_url, dp, base ? base + 1 : norm);
		free(dp);
		free(d);
	}
	free(full);
	free(norm);
	free(joined);
	return url;
}

struct value *og_context(const struct site *s, const struct page *p, const struct value *params,
			 const char *site_image, const char *site_image_alt)
{
	struct value *og = value_map();
	value_set_str(og, "type", p->kind == PAGE_HOME ? "website" : "article");
	value_set_str(og, "title", p->kind == PAGE_HOME ? s->langs[p->lang].title : p->title);
	value_set_str(og, "locale", S_locale(s, p->lang));
	struct value *alts = value_list();
	for (int k = 0; k < s->n_langs; k++)
		if (k != p->lang && p->trans[k])
			value_push(alts, value_str(S_locale(s, k)));
	value_set(og, "locale_alternates", alts);
	if (S_absolute_base(s)) {
		char *u = xasprintf("%s%s", s->base_url, p->path);
		value_set(og, "url", value_str_own(u, strlen(u)));
	}
	const struct value *iv = value_get(params, "image");
	char *img = iv ? og_image_url(s, iv, p->dir, p->lang, p->src) : NULL;
	const char *alt = img ? value_string(value_get(params, "image_alt")) : site_image_alt;
	if (img)
		value_set(og, "image", value_str_own(img, strlen(img)));
	else if (site_image)
		value_set_str(og, "image", site_image);
	if (value_get(og, "image") && alt && *alt)
		value_set_str(og, "image_alt", alt);
	return og;
}
