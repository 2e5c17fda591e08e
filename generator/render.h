/* render.h - what a template sees for a page (docs/templates.md), and
 * rendering it through its layout. */
#ifndef TOIVO_RENDER_H
#define TOIVO_RENDER_H

#include <stdbool.h>
#include <time.h>

#include "hmap.h"
#include "site.h"

struct value;
struct buf;
struct tpl_cache;
struct tpl;

struct render_env {
	struct site *site;
	struct tpl_cache *tpls;
	struct hmap layouts;            /* layout name -> const struct tpl * */
	struct value *site_val[SITE_MAX_LANGS];  /* "site" map per language, shared */
	struct value *strings[SITE_MAX_LANGS];   /* "t" map per language, shared */
	struct value *build_val[SITE_MAX_LANGS]; /* "build" ({date}) per language, shared */
	char *og_image[SITE_MAX_LANGS];          /* site.yaml image: as a URL, or NULL */
	const char *og_image_alt[SITE_MAX_LANGS];   /* its image_alt, borrowed */
	struct value *hook_site;        /* block.site for hooks */
	struct hmap lesson_pages;       /* "lang\x1fdir" -> module.pages shared by the lessons there */
	struct hmap nav_shared;         /* "lang\x1fdepth" -> nav entries seen from that depth */
	struct value **shared;          /* the lists above, freed with env */
	size_t n_shared, cap_shared;
	time_t build_time;
	bool serve;                     /* inject the live-reload script */
	bool pdf;                       /* decks link to their PDF (toivo pdf) */
};

/* Sets up env for site: loads every layout the pages need (a missing one
 * is an error naming the page), builds the shared maps.  Returns 0, or -1
 * after reporting every error. */
int render_env_init(struct render_env *env, struct site *site, bool serve);
void render_env_free(struct render_env *env);

/* The layout template for a page kind or a front-matter layout name; NULL
 * when it was not loaded. */
const struct tpl *render_layout(const struct render_env *env, const char *name);

/* Builds the context of a page (the caller frees it with value_free);
 * content and toc are taken over. */
struct value *render_context(const struct render_env *env, const struct page *p,
			     char *content, struct value *toc, struct value *params);

/* Whether p has a print page of its own (the course's home, a module). */
bool render_has_print(const struct render_env *env, const struct page *p);
/* Adds "print" to ctx, p's context, when p has a print page: {url} of the
 * print page, with {pdf, pdf_size} ("PDF, 0.4 MB") when its PDF is there,
 * pdf_size bytes; pdf_size < 0: there is no PDF. */
void render_print_links(struct value *ctx, const struct render_env *env, const struct page *p, long long pdf_size);

/* What hooks see as block.page: {title, lang, url, path, params}. */
struct value *render_hook_page(const struct render_env *env, const struct page *p);

/* The layout name of a page: front matter `layout`, or its kind. */
const char *render_layout_name(const struct page *p);
/* {iso, display} for a date, display as the language writes it. */
struct value *render_date(time_t t, const char *lang);

#endif
