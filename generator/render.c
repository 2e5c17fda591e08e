/* render.c - the context a template sees for a page, built from the site
 * model: everything a page needs is looked up through its own links
 * (parent, module, translations), never by scanning all pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "diag.h"
#include "i18n.h"
#include "og.h"
#include "render.h"
#include "srcdate.h"
#include "template.h"
#include "theme.h"
#include "util.h"
#include "value.h"
#include "vfs.h"

static void S_share_lesson_pages(struct render_env *env);
static void S_share_nav(struct render_env *env);

static const char *const S_kinds[] = { "home", "module", "lesson", "page", "404" };

const char *render_layout_name(const struct page *p)
{
	return p->layout ? p->layout : S_kinds[p->kind];
}

/* who, line, col: where the layout is named (a page's `layout:`), for
 * the message. */
static int S_load_layout(struct render_env *env, const char *name, const char *who, int line, int col)
{
	if (hmap_get(&env->layouts, name))
		return 0;
	if (strchr(name, '/') || name[0] == '.' || !*name) {
		diag_error(who, line, col, "layout '%s' must be a name such as 'lesson'", name);
		return 1;
	}
	char *rel = xasprintf("layouts/%s.mustache", name);
	char *path = theme_find(env->site->themes, rel);
	int err = 0;
	if (!path) {
		struct buf looked = BUF_INIT;
		theme_looked(&looked, env->site->themes, rel);
		diag_error(who, line, col, "layout '%s' not found: no file %s; create one of them or choose another layout",
			   name, looked.data);
		buf_free(&looked);
		err = 1;
	} else {
		const struct tpl *t = tpl_cache_load(env->tpls, path);
		if (t)
			hmap_put(&env->layouts, name, (void *)t);
		else
			err = 1;
	}
	free(path);
	free(rel);
	return err;
}

int render_env_init(struct render_env *env, struct site *s, bool serve)
{
	memset(env, 0, sizeof *env);
	env->site = s;
	env->serve = serve;
	env->build_time = srcdate_now();
	env->tpls = tpl_cache_new(vfs_tpl_read, NULL, true);
	/* {{> name}} and {{< name}}: partials/ then layouts/ of each place in
	 * turn, so the site's own file wins over the theme's, whichever folder
	 * the including template came from. */
	tpl_cache_dirs_only(env->tpls);
	for (size_t i = 0; i < s->themes->n; i++) {
		static const char *const subs[] = { "partials", "layouts" };
		for (size_t k = 0; k < 2; k++) {
			char *d = path_join(s->themes->places[i].dir, subs[k]);
			char *shown = theme_shown(s->themes, d);
			tpl_cache_add_dir(env->tpls, d, shown);
			free(shown);
			free(d);
		}
	}
	int errors = 0;
	errors += S_load_layout(env, "404", s->config_path, 0, 0);
	/* Print pages are made when the theme has a print layout and the site
	 * does not turn them off (print: false). */
	char *pl = theme_find(s->themes, "layouts/print.mustache");
	const struct value *pv = value_get(s->config, "print");
	if (pl && !(pv && pv->kind == V_BOOL && !pv->u.b))
		errors += S_load_layout(env, "print", s->config_path, 0, 0);
	free(pl);
	for (size_t i = 0; i < s->n_pages; i++) {
		const struct value *lv = value_get(s->pages[i]->fm, "layout");
		errors += S_load_layout(env, render_layout_name(s->pages[i]), s->pages[i]->src,
					lv ? lv->line : 0, lv ? lv->col : 0);
	}
	for (size_t i = 0; i < s->n_decks; i++)
		errors += S_load_layout(env, "slides", s->decks[i]->src, 0, 0);

	env->hook_site = value_map();
	value_set_str(env->hook_site, "title", s->langs[s->default_lang].title);
	value_set_str(env->hook_site, "base_url", s->base_url);
	struct value *langs = value_list();
	for (int k = 0; k < s->n_langs; k++)
		value_push(langs, value_str(s->langs[k].code));
	value_set(env->hook_site, "languages", langs);

	for (int k = 0; k < s->n_langs; k++) {
		struct value *v = value_map();
		value_set_str(v, "title", s->langs[k].title);
		value_set_str(v, "description", s->langs[k].description);
		value_set_str(v, "base_url", s->base_url);
		value_set_str(v, "default_language", s->langs[s->default_lang].code);
		value_set_str(v, "lang", s->langs[k].code);
		env->site_val[k] = value_borrow(v);
		env->strings[k] = value_borrow(value_copy(s->langs[k].strings));
		/* The build's date is the same on every page of a language. */
		struct value *bv = value_map();
		value_set(bv, "date", render_date(env->build_time, s->langs[k].code));
		env->build_val[k] = value_borrow(bv);
		/* The site's picture for sharing, once per language (its copy
		 * sits beside each language's pages). */
		env->og_image[k] = og_image_url(s, value_get(s->config, "image"), "", k, s->config_path);
		const struct value *alt = value_get(s->config, "image_alt");
		env->og_image_alt[k] = value_string(alt && alt->kind == V_MAP ? value_get(alt, s->langs[k].code) : alt);
	}
	S_share_lesson_pages(env);
	S_share_nav(env);
	return errors ? -1 : 0;
}

void render_env_free(struct render_env *env)
{
	for (int k = 0; k < SITE_MAX_LANGS; k++) {
		if (env->site_val[k]) {
			env->site_val[k]->borrowed = false;
			value_free(env->site_val[k]);
		}
		if (env->strings[k]) {
			env->strings[k]->borrowed = false;
			value_free(env->strings[k]);
		}
		if (env->build_val[k]) {
			env->build_val[k]->borrowed = false;
			value_free(env->build_val[k]);
		}
		free(env->og_image[k]);
	}
	value_free(env->hook_site);
	for (size_t i = 0; i < env->n_shared; i++) {
		struct value *v = env->shared[i];
		v->borrowed = false;
		for (size_t j = 0; j < v->u.list.n; j++)
			v->u.list.items[j]->borrowed = false;
		value_free(v);
	}
	free(env->shared);
	hmap_free(&env->lesson_pages);
	hmap_free(&env->nav_shared);
	hmap_free(&env->layouts);
	tpl_cache_free(env->tpls);
}

const struct tpl *render_layout(const struct render_env *env, const char *name)
{
	return hmap_get(&env->layouts, name);
}

static struct value *S_link(const struct page *from, const struct page *to)
{
	struct value *v = value_map();
	value_set_str(v, "title", to->title);
	char *u = site_rel(from->path, to->path);
	value_set(v, "url", value_str_own(u, strlen(u)));
	const char *d = value_string(value_get(to->fm, "description"));
	if (d)
		value_set_str(v, "description", d);
	return v;
}

struct value *render_date(time_t t, const char *lang)
{
	struct value *v = value_map();
	struct buf b = BUF_INIT;
	i18n_iso_date(&b, t);
	value_set_str(v, "iso", b.data);
	buf_reset(&b);
	i18n_date(&b, t, lang);
	value_set_str(v, "display", b.data);
	buf_free(&b);
	return v;
}

static bool S_is_ancestor(const struct page *a, const struct page *p)
{
	for (; p; p = p->parent)
		if (p == a)
			return true;
	return false;
}

/* How many lessons a module lists in the navigation around the current
 * page, and how many lessons a language may have before the navigation
 * lists only the lessons of the page's own module.  Both keep a page's
 * navigation (and so the build) from growing with the size of the site. */
#define NAV_WINDOW 50
#define NAV_ALL_MAX 200

static size_t S_lessons(const struct page *home)
{
	size_t n = 0;
	for (size_t i = 0; i < home->n_children; i++)
		if (home->children[i]->kind == PAGE_MODULE)
			n += home->children[i]->n_children;
	return n;
}

/* One entry of the navigation: top-level page m seen from page `from`
 * (its path makes the URLs), for page p (NULL for the shared entries:
 * nothing current, nothing active). */
static struct value *S_nav_entry(const struct render_env *env, const struct page *from, const struct page *p,
				 const struct page *m, bool all)
{
	struct value *e = S_link(from, m);
	bool active = p && S_is_ancestor(m, p);
	value_set_bool(e, "current", m == p);
	value_set_bool(e, "active", active);
	value_set_bool(e, "is_page", m->kind != PAGE_MODULE);
	struct value *pages = value_list();
	size_t lo = 0, hi = 0;
	if (active || all) {
		hi = m->n_children;
		if (hi > NAV_WINDOW) {
			/* The window around the child that holds p. */
			size_t at = 0;
			for (const struct page *a = p; a && a->parent; a = a->parent)
				if (a->parent == m)
					at = (size_t)(a->number > 0 ? a->number - 1 : 0);
			lo = at > NAV_WINDOW / 2 ? at - NAV_WINDOW / 2 : 0;
			if (lo + NAV_WINDOW > hi)
				lo = hi - NAV_WINDOW;
			hi = lo + NAV_WINDOW;
		}
	}
	/* A lesson's links to its module's pages are the same from every
	 * lesson of its folder: the shared module.pages entries
	 * (S_share_lesson_pages) are borrowed, all but its own. */
	const struct value *shared = NULL;
	if (p && p != m && p->parent == m && from == p && strcmp(p->name, "_index")) {
		char *key = xasprintf("%d\x1f%s", p->lang, p->dir);
		shared = hmap_get(&env->lesson_pages, key);
		free(key);
	}
	for (size_t j = lo; j < hi; j++) {
		if (shared && m->children[j] != p) {
			value_push(pages, shared->u.list.items[j]);
			continue;
		}
		struct value *c = S_link(from, m->children[j]);
		value_set_bool(c, "current", m->children[j] == p);
		value_set_num(c, "number", (double)(j + 1));
		value_push(pages, c);
	}
	value_set(e, "pages", pages);
	value_set_bool(e, "more_before", lo > 0);
	value_set_bool(e, "more_after", hi < m->n_children && (active || all));
	return e;
}

/* The top-level pages in navigation order: modules, then stand-alone
 * pages; *n gets their number (the caller frees the array). */
static const struct page **S_nav_order(const struct page *home, size_t *n)
{
	const struct page **v = xcalloc(home->n_children + 1, sizeof *v);
	*n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < home->n_children; i++)
			if ((pass == 0) == (home->children[i]->kind == PAGE_MODULE))
				v[(*n)++] = home->children[i];
	return v;
}

static size_t S_depth(const char *path)
{
	size_t d = 0;
	for (; *path; path++)
		d += *path == '/';
	return d;
}

/* The navigation: modules with their pages, then stand-alone pages.  A
 * module lists its pages when the page is in it or the language is small;
 * a long module lists NAV_WINDOW pages around the current one and says
 * that there are more before or after.  The entries of modules the page is
 * not in are the same for every page at the same depth: they are made
 * once (S_share_nav) and borrowed. */
static struct value *S_nav(const struct render_env *env, const struct page *p)
{
	const struct page *home = env->site->langs[p->lang].home;
	struct value *nav = value_list();
	if (!home)
		return nav;
	char key[32];
	snprintf(key, sizeof key, "%d\x1f%zu", p->lang, S_depth(p->path));
	const struct value *shared = hmap_get(&env->nav_shared, key);
	bool all = S_lessons(home) <= NAV_ALL_MAX;
	size_t n;
	const struct page **order = S_nav_order(home, &n);
	for (size_t i = 0; i < n; i++) {
		const struct page *m = order[i];
		if (shared && i < shared->u.list.n && !S_is_ancestor(m, p))
			value_push(nav, shared->u.list.items[i]);
		else
			value_push(nav, S_nav_entry(env, p, p, m, all));
	}
	free(order);
	return nav;
}

static void S_keep_shared(struct render_env *env, struct value *v)
{
	env->shared = xgrow(env->shared, &env->cap_shared, env->n_shared, sizeof *env->shared);
	env->shared[env->n_shared++] = v;
}

/* The shared navigation entries for every language and depth that pages
 * have: seen from a made-up path of that depth ("fi/\1/\1/") that shares
 * no folder with any page but the language's. */
static void S_share_nav(struct render_env *env)
{
	const struct site *s = env->site;
	for (size_t i = 0; i < s->n_pages; i++) {
		const struct page *p = s->pages[i];
		const struct page *home = s->langs[p->lang].home;
		size_t depth = S_depth(p->path);
		char key[32];
		snprintf(key, sizeof key, "%d\x1f%zu", p->lang, depth);
		if (!home || hmap_get(&env->nav_shared, key))
			continue;
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s/", s->langs[p->lang].code);
		for (size_t d = 1; d < depth; d++)
			buf_puts(&path, "\x01/");
		struct page from = { 0 };
		from.path = path.data;
		from.lang = p->lang;
		bool all = S_lessons(home) <= NAV_ALL_MAX;
		size_t n;
		const struct page **order = S_nav_order(home, &n);
		struct value *list = value_list();
		for (size_t j = 0; j < n; j++)
			value_push(list, value_borrow(S_nav_entry(env, &from, NULL, order[j], all)));
		free(order);
		buf_free(&path);
		hmap_put(&env->nav_shared, key, value_borrow(list));
		S_keep_shared(env, list);
	}
}

/* A made-up page beside p (same folder, a name no page has): links from it
 * are the links from any page of p's folder to another page.  The caller
 * frees from->path. */
static void S_beside(const struct page *p, struct page *from)
{
	memset(from, 0, sizeof *from);
	size_t n = strlen(p->path);
	while (n > 0 && p->path[n - 1] == '/')
		n--;
	while (n > 0 && p->path[n - 1] != '/')
		n--;
	from->path = xasprintf("%.*s\x01/", (int)n, p->path);
	from->lang = p->lang;
}

/* module.pages as seen from page p (a link per page of the module). */
static struct value *S_module_pages(const struct page *p, const struct page *m, bool mark)
{
	struct value *pages = value_list();
	for (size_t j = 0; j < m->n_children; j++) {
		struct value *e = S_link(p, m->children[j]);
		value_set_bool(e, "current", mark && m->children[j] == p);
		value_set_num(e, "number", (double)(j + 1));
		value_push(pages, e);
	}
	return pages;
}

/* The lessons of one folder share one module.pages list, made once: the
 * links from any of them to the module's pages are the same, as they sit
 * in the same folder (made from a page beside them, so a lesson's link to
 * itself goes up and back in, "../name/index.html").  Without it every
 * lesson would list every lesson of its module: n^2 for a module of n
 * lessons. */
static void S_share_lesson_pages(struct render_env *env)
{
	const struct site *s = env->site;
	for (size_t i = 0; i < s->n_pages; i++) {
		const struct page *p = s->pages[i];
		if (!p->module || p == p->module || !strcmp(p->name, "_index"))
			continue;
		char *key = xasprintf("%d\x1f%s", p->lang, p->dir);
		if (!hmap_get(&env->lesson_pages, key)) {
			struct page from;
			S_beside(p, &from);
			struct value *v = value_borrow(S_module_pages(&from, p->module, false));
			free(from.path);
			/* The navigation borrows the entries one by one. */
			for (size_t j = 0; j < v->u.list.n; j++)
				value_borrow(v->u.list.items[j]);
			hmap_put(&env->lesson_pages, key, v);
			S_keep_shared(env, v);
		}
		free(key);
	}
}

struct value *render_hook_page(const struct render_env *env, const struct page *p)
{
	struct value *v = value_map();
	value_set_str(v, "title", p->title);
	value_set_str(v, "lang", env->site->langs[p->lang].code);
	char *u = xasprintf("%s%s", env->site->base_url, p->path);
	value_set(v, "url", value_str_own(u, strlen(u)));
	value_set_str(v, "path", p->src);
	value_set(v, "params", value_copy(p->fm));
	return v;
}

/* page: what the page itself is (title, kind, content, dates ...). */
static struct value *S_page(const struct render_env *env, const struct page *p, char *content,
			    struct value *toc, struct value *params, const char *perma)
{
	const struct site *s = env->site;
	const char *lang = s->langs[p->lang].code;
	struct value *pg = value_map();
	value_set_str(pg, "title", p->title);
	const char *desc = value_string(value_get(params, "description"));
	value_set_str(pg, "description", desc ? desc : s->langs[p->lang].description);
	value_set_str(pg, "lang", lang);
	value_set_str(pg, "kind", S_kinds[p->kind]);
	value_set_bool(pg, "is_home", p->kind == PAGE_HOME);
	value_set_bool(pg, "is_module", p->kind == PAGE_MODULE);
	value_set_bool(pg, "is_lesson", p->kind == PAGE_LESSON);
	value_set_bool(pg, "is_page", p->kind == PAGE_PAGE);
	value_set_bool(pg, "is_404", p->kind == PAGE_404);
	value_set(pg, "content", value_str_own(content, strlen(content)));
	value_set_bool(pg, "toc_empty", !toc || toc->kind != V_LIST || toc->u.list.n == 0);
	value_set(pg, "toc", toc);
	value_set_str(pg, "path", p->path);
	value_set_str(pg, "permalink", perma);
	value_set_str(pg, "source", p->src);
	value_set_str(pg, "url", "index.html");
	if (p->module && p->parent == p->module && p != p->module)
		value_set_num(pg, "number", p->number);
	if (p->updated > 0)
		value_set(pg, "updated", render_date(p->updated, lang));
	const char *rev = value_string(value_get(params, "reviewed"));
	time_t rt = date_parse(rev);
	if (rt != (time_t)-1)
		value_set(pg, "reviewed", render_date(rt, lang));
	const char *rby = value_string(value_get(params, "reviewed_by"));
	if (rby)
		value_set_str(pg, "reviewed_by", rby);
	const struct value *rtm = value_get(params, "reading_time");
	if (rtm)
		value_set(pg, "reading_time", value_copy(rtm));
	value_set(pg, "params", params);
	bool alone = true;
	for (int k = 0; k < s->n_langs; k++)
		if (k != p->lang && p->trans[k])
			alone = false;
	value_set_bool(pg, "only_here", alone && s->n_langs > 1 && p->kind != PAGE_404);
	return pg;
}

/* module: the module the page is in, with its pages; NULL outside one. */
static struct value *S_module(const struct render_env *env, const struct page *p)
{
	if (!p->module)
		return NULL;
	struct value *m = S_link(p, p->module);
	struct value *pages = NULL;
	if (p != p->module && strcmp(p->name, "_index")) {
		char *key = xasprintf("%d\x1f%s", p->lang, p->dir);
		pages = hmap_get(&env->lesson_pages, key);
		free(key);
	}
	value_set(m, "pages", pages ? pages : S_module_pages(p, p->module, true));
	value_set_bool(m, "current", p->module == p);
	if (p->module->slides)
		value_set(m, "slides", S_link(p, p->module->slides));
	return m;
}

bool render_has_print(const struct render_env *env, const struct page *p)
{
	/* as print.c makes them: the course, and each module under it */
	return render_layout(env, "print") &&
	       (p->kind == PAGE_HOME || (p->kind == PAGE_MODULE && p->parent && p->parent->kind == PAGE_HOME));
}

void render_print_links(struct value *ctx, const struct render_env *env, const struct page *p, long long pdf_size)
{
	if (!render_has_print(env, p))
		return;
	struct value *pr = value_map();
	char *dir = xasprintf("%sprint/", p->path);
	char *u = site_rel(p->path, dir);
	value_set(pr, "url", value_str_own(u, strlen(u)));
	if (pdf_size >= 0) {
		char *pdf = site_pdf_path(p);
		u = site_rel_file(p->path, pdf);
		value_set(pr, "pdf", value_str_own(u, strlen(u)));
		/* "PDF, 0.4 MB": a tenth of a megabyte at least, in the
		 * language's own decimal separator and unit */
		long long tenths = (pdf_size + 50000) / 100000;
		const char *sep = i18n_get(env->site, p->lang, "decimal_separator");
		const char *unit = i18n_get(env->site, p->lang, "megabytes");
		char *size = xasprintf("PDF, %lld%s%lld %s", tenths < 1 ? 0 : tenths / 10, sep ? sep : ".",
				       tenths < 1 ? 1 : tenths % 10, unit ? unit : "MB");
		value_set(pr, "pdf_size", value_str_own(size, strlen(size)));
		free(pdf);
	}
	free(dir);
	value_set(ctx, "print", pr);
}

/* breadcrumbs: from the home page down to the parent. */
static struct value *S_crumbs(const struct page *p)
{
	struct value *crumbs = value_list();
	const struct page *chain[64];
	int n = 0;
	for (const struct page *a = p->parent; a && n < 64; a = a->parent)
		chain[n++] = a;
	while (n-- > 0)
		value_push(crumbs, S_link(p, chain[n]));
	return crumbs;
}

/* translations (the switcher: the translation, or the nearest translated
 * parent) and alternates (<link rel="alternate">) into c. */
static void S_translations(struct value *c, const struct site *s, const struct page *p)
{
	struct value *tr = value_list();
	struct value *alts = value_list();
	for (int k = 0; k < s->n_langs; k++) {
		struct value *e = value_map();
		value_set_str(e, "lang", s->langs[k].code);
		const char *nm = i18n_get(s, k, "language_name");
		value_set_str(e, "name", nm ? nm : s->langs[k].code);
		value_set_bool(e, "current", k == p->lang);
		const struct page *t = p->trans[k];
		if (p->kind == PAGE_404)
			t = s->langs[k].home;
		const struct page *up = p;
		while (!t && up) {
			up = up->parent;
			t = up ? up->trans[k] : NULL;
		}
		if (!t)
			t = s->langs[k].home;
		value_set_bool(e, "missing", p->trans[k] == NULL && p->kind != PAGE_404);
		if (t) {
			char *u = site_rel(p->path, t->path);
			value_set(e, "url", value_str_own(u, strlen(u)));
		}
		value_push(tr, e);
		if (p->trans[k] && p->kind != PAGE_404) {
			struct value *a = value_map();
			value_set_str(a, "hreflang", s->langs[k].code);
			char *pl = xasprintf("%s%s", s->base_url, p->trans[k]->path);
			value_set(a, "permalink", value_str_own(pl, strlen(pl)));
			value_push(alts, a);
			if (k == s->default_lang) {
				a = value_map();
				value_set_str(a, "hreflang", "x-default");
				value_set_str(a, "permalink", pl);
				value_push(alts, a);
			}
		}
	}
	value_set(c, "translations", tr);
	value_set(c, "alternates", alts);
}

/* cite: how to cite the page: title, site, URL, date. */
static struct value *S_cite(const struct site *s, const struct page *p, const char *perma)
{
	const char *lang = s->langs[p->lang].code;
	struct buf cite = BUF_INIT;
	buf_printf(&cite, "%s. %s. %s", p->title, s->langs[p->lang].title, perma);
	if (p->updated > 0) {
		const char *upd = i18n_get(s, p->lang, "updated");
		buf_printf(&cite, " (%s ", upd ? upd : "");
		i18n_date(&cite, p->updated, lang);
		buf_putc(&cite, ')');
	}
	buf_putc(&cite, '.');
	size_t cl;
	char *ct = buf_detach(&cite, &cl);
	return value_str_own(ct, cl);
}

struct value *render_context(const struct render_env *env, const struct page *p,
			     char *content, struct value *toc, struct value *params)
{
	const struct site *s = env->site;
	const char *lang = s->langs[p->lang].code;
	struct value *c = value_map();
	value_set(c, "site", env->site_val[p->lang]);
	value_set(c, "t", env->strings[p->lang]);
	value_set_str(c, "lang", lang);
	char *root = site_rel_file(p->path, "");
	value_set(c, "root", value_str_own(root, strlen(root)));
	if (s->langs[p->lang].home)
		value_set(c, "home", S_link(p, s->langs[p->lang].home));
	char *perma = xasprintf("%s%s", s->base_url, p->path);
	value_set(c, "page", S_page(env, p, content, toc, params, perma));
	struct value *m = S_module(env, p);
	if (m)
		value_set(c, "module", m);
	value_set(c, "breadcrumbs", S_crumbs(p));
	if (p->prev)
		value_set(c, "prev", S_link(p, p->prev));
	if (p->next)
		value_set(c, "next", S_link(p, p->next));
	value_set(c, "nav", S_nav(env, p));
	S_translations(c, s, p);
	value_set(c, "cite", S_cite(s, p, perma));
	/* params belongs to the page map now; og reads it as the hooks left it. */
	value_set(c, "og", og_context(s, p, params, env->og_image[p->lang], env->og_image_alt[p->lang]));
	value_set(c, "build", env->build_val[p->lang]);
	value_set_bool(c, "serve", env->serve);
	free(perma);
	return c;
}
