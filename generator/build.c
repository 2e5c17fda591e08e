/* build.c - the build pipeline: load and relate the site, render every
 * page on a pool of workers (each with its own Lua state), write the extra
 * files (root redirect, 404s, aliases, sitemap, assets), then swap the
 * output in. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "build.h"
#include "check.h"
#include "diag.h"
#include "gitdates.h"
#include "hooks.h"
#include "i18n.h"
#include "markdown.h"
#include "output.h"
#include "pdf.h"
#include "pool.h"
#include "print.h"
#include "render.h"
#include "plaintext.h"
#include "search.h"
#include "site.h"
#include "slides.h"
#include "spool.h"
#include "template.h"
#include "theme.h"
#include "util.h"
#include "value.h"
#include "vfs.h"

struct build {
	const struct build_opts *opts;
	struct site *site;
	struct render_env env;
	struct output out;
	struct value **ids;     /* per page, then per deck: heading ids written (for check) */
	struct value **links;   /* per page, then per deck: links made */
	struct hooks **hooks;   /* per worker */
	int n_workers;
	struct spool *spool;    /* texts read again at the end (spool.h) */
	struct print_run *printing; /* the print documents while the pages render (print.h) */
	/* toivo serve: per page, its content HTML in the spool, for the print
	 * documents of a one-page rebuild (build_update_site); else NULL */
	struct spool_ref *html;
	size_t *order;          /* the pages' indexes in the order they render (site_tree_order) */
	struct search *index;   /* the search index's word forms and analysers */
	struct search_doc **search; /* per page: its searchable part, or NULL */
	size_t done;            /* pages rendered (for the status line) */
	double render_at;       /* diag_progress_seconds() when rendering began */
	/* Pages that link to their print page and PDF (the course's home, the
	 * modules) are written last, once the build knows which PDFs it keeps
	 * (S_keep_pdfs): per page, its context until then, or NULL. */
	struct value **deferred;
	bool deferring;         /* while the pages are rendered in parallel */
	long long *pdf_size;    /* per page: the size of its PDF in the output, or -1 */
};

/* Callbacks for the hooks: toivo.markdown and toivo.t. */
static char *S_hook_markdown(void *ud, const char *lang, const char *md, size_t len)
{
	const struct build *b = ud;
	int k = b->site->n_langs;
	while (lang && --k >= 0 && strcmp(b->site->langs[k].code, lang))
		;
	return markdown_simple(md, len, b->site, lang ? k : -1);
}

static const char *S_hook_translate(void *ud, const char *lang, const char *key)
{
	const struct build *b = ud;
	for (int k = 0; k < b->site->n_langs; k++)
		if (!strcmp(b->site->langs[k].code, lang))
			return i18n_get(b->site, k, key);
	return NULL;
}

/* Renders the context of a page through its layout into the output. */
static void S_write_page_ctx(struct build *b, const struct page *p, struct value *ctx)
{
	const struct tpl *t = render_layout(&b->env, render_layout_name(p));
	struct buf out = BUF_INIT;
	/* The page's content and room for the layout around it, at once:
	 * growing a page a doubling at a time copied it a dozen times. */
	const struct value *content = value_get(value_get(ctx, "page"), "content");
	buf_grow(&out, (content && content->kind == V_STR ? content->u.str.len : 0) + 32768);
	if (t && tpl_render(&out, t, ctx) == 0) {
		char *rel = xasprintf("%sindex.html", p->path);
		output_write(&b->out, rel, out.data, out.len, p->src);
		free(rel);
	}
	buf_free(&out);
}

/* Writes a deferred page, linking its PDF when the output has one. */
static void S_write_page(struct build *b, const struct page *p)
{
	struct value *ctx = b->deferred[p->index];
	render_print_links(ctx, &b->env, p, b->pdf_size[p->index]);
	S_write_page_ctx(b, p, ctx);
}

/* Renders a page, or a deck (site->decks: its index is past the pages)
 * through slides.c. */
static void S_render_page(struct build *b, struct hooks *h, struct page *p)
{
	struct render_env *env = &b->env;
	bool deck = p->index >= b->site->n_pages;
	struct value *slides = NULL;
	if (site_page_body(b->site, p) < 0)
		return;
	struct value *hp = render_hook_page(env, p);
	if (h && hooks_page(h, hp, p->src) < 0) {
		value_free(hp);
		return;
	}
	struct markdown_job job = {
		.site = b->site, .page = p, .hooks = h,
		.hook_page = hp, .hook_site = env->hook_site,
		.links_are_errors = b->opts->check,
	};
	struct plaintext text = { 0 };
	if (!deck && search_wants(b->index, p))
		job.text = &text;
	if (deck) {
		job.render_tree = slides_tree;
		job.tree_ud = &slides;
	}
	struct buf html = BUF_INIT;
	int r = markdown_render(&html, &job);
	b->ids[p->index] = job.ids;
	b->links[p->index] = job.links;
	/* The page's Markdown is not needed any more: memory grows with the
	 * pages' metadata, not with their text. */
	free(p->body);
	p->body = NULL;
	if (r < 0) {
		value_free(job.toc);
		value_free(hp);
		value_free(slides);
		buf_free(&html);
		plaintext_free(&text);
		return;
	}
	struct value *params = value_get(hp, "params");
	struct value *pc = params ? value_copy(params) : value_map();
	value_free(hp);
	if (!deck) {
		print_page(b->printing, p, html.data);
		if (b->html)
			spool_put(b->spool, &b->html[p->index], html.data, html.len);
	}
	if (job.text)
		b->search[p->index] = search_page(b->index, p, &text);
	plaintext_free(&text);
	struct value *ctx = render_context(env, p, buf_detach(&html, NULL), job.toc, pc);
	if (deck)
		slides_context(ctx, env, p, slides);
	if (b->deferred && !deck && render_has_print(env, p)) {
		value_free(b->deferred[p->index]);
		b->deferred[p->index] = ctx;
		if (!b->deferring)
			S_write_page(b, p);
		return;
	}
	S_write_page_ctx(b, p, ctx);
	value_free(ctx);
}

/* One page on one worker thread, with that worker's hook state. */
static void S_work(void *ud, size_t i, int worker)
{
	struct build *b = ud;
	struct page *p = i < b->site->n_pages ? b->site->pages[b->order[i]] : b->site->decks[i - b->site->n_pages];
	S_render_page(b, b->hooks[worker], p);
	size_t done = __atomic_add_fetch(&b->done, 1, __ATOMIC_RELAXED);
	size_t all = b->site->n_pages + b->site->n_decks;
	double sec = diag_progress_seconds() - b->render_at;
	diag_progress(done == all, "toivo: rendering, %zu/%zu pages, %.0f pages/s", done, all,
		      sec > 0 ? (double)done / sec : 0.0);
}

/* ------------------------------------------------------------------ */
/* extra files                                                        */
/* ------------------------------------------------------------------ */

static void S_redirect_html(struct buf *b, const char *lang, const char *title, const char *to)
{
	buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", lang);
	buf_puts(b, "<title>");
	buf_puts_html(b, title);
	buf_puts(b, "</title>\n<meta http-equiv=\"refresh\" content=\"0; url=");
	buf_puts_html(b, to);
	buf_puts(b, "\">\n<link rel=\"canonical\" href=\"");
	buf_puts_html(b, to);
	buf_puts(b, "\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p><a href=\"");
	buf_puts_html(b, to);
	buf_puts(b, "\">");
	buf_puts_html(b, title);
	buf_puts(b, "</a></p>\n</body>\n</html>\n");
}

/* OUT/index.html: leads to the default language, lists every language. */
static void S_root_index(struct build *b)
{
	const struct site *s = b->site;
	const struct lang *d = &s->langs[s->default_lang];
	struct buf h = BUF_INIT;
	buf_printf(&h, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", d->code);
	buf_puts_html(&h, d->title);
	buf_printf(&h, "</title>\n<meta http-equiv=\"refresh\" content=\"0; url=%s/index.html\">\n", d->code);
	for (int k = 0; k < s->n_langs; k++)
		buf_printf(&h, "<link rel=\"alternate\" hreflang=\"%s\" href=\"%s%s/\">\n",
			   s->langs[k].code, s->base_url, s->langs[k].code);
	buf_printf(&h, "<link rel=\"alternate\" hreflang=\"x-default\" href=\"%s%s/\">\n", s->base_url, d->code);
	buf_puts(&h, "<link rel=\"stylesheet\" href=\"assets/style.css\">\n</head>\n<body>\n<main id=\"main\">\n<h1>");
	buf_puts_html(&h, d->title);
	buf_puts(&h, "</h1>\n<ul class=\"language-list\">\n");
	for (int k = 0; k < s->n_langs; k++) {
		const char *nm = i18n_get(s, k, "language_name");
		buf_printf(&h, "<li><a href=\"%s/index.html\" hreflang=\"%s\" lang=\"%s\">", s->langs[k].code,
			   s->langs[k].code, s->langs[k].code);
		buf_puts_html(&h, s->langs[k].title && *s->langs[k].title ? s->langs[k].title : s->langs[k].code);
		if (nm) {
			buf_puts(&h, " (");
			buf_puts_html(&h, nm);
			buf_putc(&h, ')');
		}
		buf_puts(&h, "</a></li>\n");
	}
	buf_puts(&h, "</ul>\n</main>\n</body>\n</html>\n");
	output_write(&b->out, "index.html", h.data, h.len, s->config_path);
	buf_free(&h);
}

static void S_404(struct build *b)
{
	struct site *s = b->site;
	const struct tpl *t = render_layout(&b->env, "404");
	if (!t)
		return;
	for (int k = 0; k < s->n_langs; k++) {
		struct page p = { 0 };
		p.kind = PAGE_404;
		p.lang = k;
		const char *title = i18n_get(s, k, "not_found_title");
		p.title = title ? title : "404";
		p.path = xasprintf("%s/", s->langs[k].code);
		p.src = s->config_path;
		p.fm = value_map();
		struct value *ctx = render_context(&b->env, &p, xstrdup(""), value_list(), value_map());
		struct buf out = BUF_INIT;
		if (tpl_render(&out, t, ctx) == 0) {
			char *rel = xasprintf("%s/404.html", s->langs[k].code);
			output_write(&b->out, rel, out.data, out.len, s->config_path);
			free(rel);
		}
		buf_free(&out);
		value_free(ctx);
		value_free(p.fm);
		free(p.path);
	}
}

/* Redirect pages at the old URLs that `aliases:` names. */
static void S_aliases(struct build *b)
{
	struct site *s = b->site;
	for (size_t i = 0; i < s->n_pages; i++) {
		struct page *p = s->pages[i];
		const struct value *al = value_get(p->fm, "aliases");
		if (!al || al->kind != V_LIST)
			continue;
		for (size_t j = 0; j < al->u.list.n; j++) {
			const struct value *a = al->u.list.items[j];
			const char *u = value_string(a);
			if (!u)
				continue;
			char *norm = path_normalize(u[0] == '/' ? u + 1 : u);
			if (!norm || !*norm || strstr(u, "://") || str_starts_with(u, "//")) {
				diag_error(p->src, a->line, a->col, "alias '%s' leaves the site; write a path such as /%s/old-name/",
					   u, s->langs[p->lang].code);
				free(norm);
				continue;
			}
			char *dir = xasprintf("%s/", norm);
			const struct page *other = hmap_get(&s->by_path, dir);
			if (other) {
				diag_error(p->src, a->line, a->col, "alias '%s' is the URL of %s; remove the alias", u, other->src);
			} else {
				char *to = site_rel(dir, p->path);
				struct buf h = BUF_INIT;
				S_redirect_html(&h, s->langs[p->lang].code, p->title, to);
				char *rel = xasprintf("%sindex.html", dir);
				output_write(&b->out, rel, h.data, h.len, p->src);
				free(rel);
				buf_free(&h);
				free(to);
			}
			free(dir);
			free(norm);
		}
	}
}

/* Redirects at the old URLs of pages that git saw renamed, so links that
 * students saved keep working without anyone writing an alias. */
static void S_renames(struct build *b)
{
	struct site *s = b->site;
	for (size_t i = 0; i < s->n_renames; i++) {
		if (site_find_src(s, s->renamed_from[i]))
			continue;
		/* Follow later renames of the same file to where it is now. */
		const char *to = s->renamed_to[i];
		struct page *p = site_find_src(s, to);
		for (size_t step = 0; !p && step < s->n_renames; step++) {
			size_t j = 0;
			while (j < s->n_renames && strcmp(s->renamed_from[j], to))
				j++;
			if (j == s->n_renames)
				break;
			to = s->renamed_to[j];
			p = site_find_src(s, to);
		}
		int lang;
		char *old = site_src_path(s, s->renamed_from[i], &lang);
		if (p && old && !hmap_get(&s->by_path, old)) {
			char *url = site_rel(old, p->path);
			struct buf h = BUF_INIT;
			S_redirect_html(&h, s->langs[p->lang].code, p->title, url);
			char *rel = xasprintf("%sindex.html", old);
			output_write(&b->out, rel, h.data, h.len, p->src);
			free(rel);
			buf_free(&h);
			free(url);
		}
		free(old);
	}
}

static void S_sitemap(struct build *b)
{
	const struct site *s = b->site;
	struct buf x = BUF_INIT;
	buf_puts(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
		 "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
	for (size_t i = 0; i < s->n_pages; i++) {
		const struct page *p = s->pages[i];
		buf_puts(&x, "<url><loc>");
		buf_puts_html(&x, s->base_url);
		buf_puts_html(&x, p->path);
		buf_puts(&x, "</loc>");
		if (p->updated > 0) {
			buf_puts(&x, "<lastmod>");
			i18n_iso_date(&x, p->updated);
			buf_puts(&x, "</lastmod>");
		}
		for (int k = 0; k < s->n_langs; k++) {
			if (!p->trans[k])
				continue;
			buf_printf(&x, "\n  <xhtml:link rel=\"alternate\" hreflang=\"%s\" href=\"", s->langs[k].code);
			buf_puts_html(&x, s->base_url);
			buf_puts_html(&x, p->trans[k]->path);
			buf_puts(&x, "\"/>");
		}
		/* x-default: where a reader whose language the site lacks goes,
		 * the default language's page (as in the pages' own <head>). */
		const struct page *def = p->trans[s->default_lang];
		if (def) {
			buf_puts(&x, "\n  <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"");
			buf_puts_html(&x, s->base_url);
			buf_puts_html(&x, def->path);
			buf_puts(&x, "\"/>");
		}
		buf_puts(&x, "</url>\n");
	}
	buf_puts(&x, "</urlset>\n");
	output_write(&b->out, "sitemap.xml", x.data, x.len, s->config_path);
	buf_free(&x);
}

struct copy_ctx {
	struct build *b;
	const char *prefix;
	enum output_kind kind;
};

static void S_copy_one(void *ud, const char *full, const char *rel)
{
	struct copy_ctx *c = ud;
	char *to = xasprintf("%s%s", c->prefix, rel);
	output_copy(&c->b->out, to, full, full, c->kind);
	free(to);
}

static void S_files(struct build *b)
{
	struct site *s = b->site;
	struct copy_ctx c = { b, "assets/", OUTPUT_THEME_COPY };
	theme_walk(s->themes, "assets", S_copy_one, &c);
	char *st = path_join(s->root, "static");
	c.prefix = "";
	c.kind = OUTPUT_COPY;
	if (is_dir(st))
		vfs_walk(st, S_copy_one, &c);
	free(st);
	/* Files beside pages go next to the pages of their folder, in every
	 * language. */
	for (size_t i = 0; i < s->n_files; i++) {
		char *dir = path_dir(s->files[i]);
		const char *base = strrchr(s->files[i], '/');
		base = base ? base + 1 : s->files[i];
		char *from = xasprintf("%s/content/%s", s->root, s->files[i]);
		for (int k = 0; k < s->n_langs; k++) {
			char *dp = site_dir_path(s, dir, k);
			char *to = xasprintf("%s%s", dp, base);
			output_copy(&b->out, to, from, from, OUTPUT_COPY);
			free(to);
			free(dp);
		}
		free(from);
		free(dir);
	}
}

/* ------------------------------------------------------------------ */

static double S_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* TOIVO_PHASES=1 prints how long each phase of the build took. */
static void S_phase(const char *name, double *t)
{
	static int on = -1;
	if (on < 0)
		on = getenv("TOIVO_PHASES") != NULL;
	static double cpu0;
	double now = S_now();
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	if (on && name)
		diag_line("phase %-10s %8.1f ms wall %8.1f ms cpu %7ld MB peak\n", name, now - *t, cpu - cpu0,
			  ru.ru_maxrss / 1024);
	*t = now;
	cpu0 = cpu;
}

static bool S_has(void *ud, const char *rel)
{
	return output_has(ud, rel);
}

/* The PDFs that toivo pdf made (they are in the site's PDF cache) whose
 * print page, and every file it loaded, are the same in this build: each
 * is put into the output beside its print page, and its size noted for
 * the page that links it.  A PDF whose print page changed is left out,
 * never shown out of date.  toivo check warns about print pages without a
 * PDF.  toivo serve keeps none: its one-page rebuilds would not know
 * when one went out of date. */
static void S_keep_pdfs(struct build *b)
{
	const struct site *s = b->site;
	if (b->opts->serve || !render_layout(&b->env, "print") || diag_errors())
		return;
	const struct value *al = value_path(s->config, "pdf.allow_remote");
	char **allow = xcalloc(al && al->kind == V_LIST ? al->u.list.n + 1 : 1, sizeof *allow);
	size_t n_allow = 0;
	for (size_t i = 0; al && al->kind == V_LIST && i < al->u.list.n; i++)
		if (value_string(al->u.list.items[i]))
			allow[n_allow++] = (char *)value_string(al->u.list.items[i]);
	char *cache = path_join(b->opts->root, ".toivo-cache/pdf");
	struct pdf_kept *k;
	size_t n = pdf_keep_list(&k, b->out.stage, cache, allow, n_allow, S_has, &b->out);
	struct buf missing = BUF_INIT;
	size_t n_missing = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (!k[i].cached || stat(k[i].cached, &st) < 0 ||
		    output_copy(&b->out, k[i].pdf, k[i].cached, s->config_path, OUTPUT_COPY) < 0) {
			char *dir = path_dir(k[i].html);
			buf_printf(&missing, "%s%s/", n_missing++ ? ", " : "", dir);
			free(dir);
			continue;
		}
		for (size_t j = 0; j < s->n_pages; j++) {
			if (!b->deferred[j])
				continue;
			char *pdf = site_pdf_path(s->pages[j]);
			if (!strcmp(pdf, k[i].pdf))
				b->pdf_size[j] = (long long)st.st_size;
			free(pdf);
		}
	}
	/* A warning once the site makes PDFs (toivo pdf ran: there is a
	 * cache), for one missing or out of date is then a fault; before
	 * that a note, so that a new site passes toivo check --strict. */
	if (n_missing && b->opts->check)
		diag(is_dir(cache) ? DIAG_WARNING : DIAG_NOTE, s->config_path, 0, 0,
		     "%zu print page%s no PDF, or one made before the page last changed (%s); "
		     "run toivo pdf to make %s, then toivo build or toivo publish carries %s (docs/pdf.md)",
		     n_missing, n_missing == 1 ? " has" : "s have", missing.data,
		     n_missing == 1 ? "it" : "them", n_missing == 1 ? "it" : "them");
	buf_free(&missing);
	pdf_kept_free(k, n);
	free(cache);
	free(allow);
}

/* Writes the pages held back for S_keep_pdfs. */
static void S_write_deferred(struct build *b)
{
	for (size_t i = 0; b->deferred && i < b->site->n_pages; i++)
		if (b->deferred[i])
			S_write_page(b, b->site->pages[i]);
}

static struct print_run *S_print_begin(struct build *b)
{
	struct print_ctx pc = { .env = &b->env, .out = &b->out, .layout = render_layout(&b->env, "print"),
				 .spool = b->spool };
	return pc.layout ? print_begin(&pc) : NULL;
}

/* One page's HTML from the spool to the print documents. */
static void S_print_one(void *ud, size_t i, int worker)
{
	(void)worker;
	struct build *b = ud;
	const struct page *p = b->site->pages[b->order[i]];
	char *html = spool_get(b->spool, b->html[p->index], NULL);
	print_page(b->printing, p, html);
	free(html);
}

/* toivo serve's rebuild: the print documents again, every page's HTML
 * read back from the spool in the documents' order. */
static void S_print_again(struct build *b)
{
	b->printing = S_print_begin(b);
	if (!b->printing)
		return;
	pool_run(b->site->n_pages, b->n_workers, S_print_one, b);
	print_end(b->printing, !diag_errors());
	b->printing = NULL;
}

/* What a page's body feeds besides its own page: print pages, the sitemap
 * (dates), the search indexes and done hooks.  Shared by the whole build
 * and build_update_site. */
static void S_site_files(struct build *b)
{
	diag_progress(1, "toivo: print pages, sitemap and search index");
	if (b->printing) {
		/* Written while the pages rendered: finished now. */
		print_end(b->printing, !diag_errors());
		b->printing = NULL;
	} else if (b->html && !diag_errors()) {
		S_print_again(b);
	}
	S_sitemap(b);
	slides_manifest(&b->out, b->site);
	/* After the print pages, not beside them: the two at once held 35 MB
	 * more at 100 000 pages, near the 1 GB the build must stay under. */
	search_write(b->index, &b->out, b->search);
	if (b->hooks[0] && hooks_has_done(b->hooks[0])) {
		struct value *pages = value_list();
		for (size_t i = 0; i < b->site->n_pages; i++)
			value_push(pages, render_hook_page(&b->env, b->site->pages[i]));
		hooks_done(b->hooks[0], b->env.hook_site, pages);
		value_free(pages);
	}
}

void build_free(struct build *b)
{
	if (!b)
		return;
	size_t pages = b->site ? b->site->n_pages : 0;
	if (b->hooks)
		for (int i = 0; i < b->n_workers; i++)
			hooks_free(b->hooks[i]);
	free(b->hooks);
	print_end(b->printing, false);
	free(b->html);
	free(b->order);
	for (size_t i = 0; b->deferred && i < pages; i++)
		value_free(b->deferred[i]);
	free(b->deferred);
	free(b->pdf_size);
	for (size_t i = 0; b->search && i < pages; i++)
		search_doc_free(b->search[i]);
	free(b->search);
	search_free(b->index);
	spool_free(b->spool);
	if (b->site)
		pages += b->site->n_decks;
	for (size_t i = 0; b->ids && i < pages; i++) {
		value_free(b->ids[i]);
		value_free(b->links[i]);
	}
	free(b->ids);
	free(b->links);
	if (b->site)
		render_env_free(&b->env);
	site_free(b->site);
	free(b);
}

int build_run(const struct build_opts *o)
{
	return build_run_keep(o, NULL);
}

int build_run_keep(const struct build_opts *o, struct build **keep)
{
	double tp;
	S_phase(NULL, &tp);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	diag_reset();
	diag_progress_begin(o->no_progress ? 0 : -1);
	markdown_init();
	if (keep) {
		build_free(*keep);
		*keep = NULL;
	}
	struct build *b = xcalloc(1, sizeof *b);
	b->opts = o;
	bool staged = false;
	b->site = site_load(o->root);
	if (!b->site)
		goto out;
	S_phase("load", &tp);
	site_link(b->site);
	gitdates_apply(b->site);
	i18n_load(b->site);
	render_env_init(&b->env, b->site, o->serve);
	S_phase("link", &tp);
	b->env.pdf = o->pdf;
	if (diag_errors())
		goto out;
	char *cache = o->cache ? xstrdup(o->cache) : output_cache_dir(o->root);
	int begun = output_check_place(o->out, o->root) < 0 ? -1 : output_begin(&b->out, o->out, cache);
	free(cache);
	if (begun < 0)
		goto out;
	staged = true;

	size_t n = b->site->n_pages;
	b->ids = xcalloc(n + b->site->n_decks + 1, sizeof *b->ids);
	b->links = xcalloc(n + b->site->n_decks + 1, sizeof *b->links);
	b->search = xcalloc(n + 1, sizeof *b->search);
	/* The spool beside the stage: in the cache, or beside OUT. */
	char *sdir = path_dir(b->out.stage);
	b->spool = spool_new(*sdir ? sdir : ".");
	free(sdir);
	if (!b->spool || search_new(&b->index, b->site, b->spool) < 0)
		goto out;
	if (render_layout(&b->env, "print")) {
		if (o->serve)
			b->html = xcalloc(n + 1, sizeof *b->html);
		b->deferred = xcalloc(n + 1, sizeof *b->deferred);
		b->pdf_size = xcalloc(n + 1, sizeof *b->pdf_size);
		for (size_t i = 0; i < n; i++)
			b->pdf_size[i] = -1;
	}
	int jobs = o->jobs > 0 ? o->jobs : cpu_count();
	if ((size_t)jobs > n)
		jobs = n > 0 ? (int)n : 1;
	b->n_workers = jobs;
	b->hooks = xcalloc((size_t)jobs, sizeof *b->hooks);
	struct hooks_config hc = {
		.site_dir = o->root, .markdown = S_hook_markdown,
		.translate = S_hook_translate, .ud = b,
		.max_instructions = b->site->hook_instructions, .max_seconds = b->site->hook_seconds,
	};
	for (int i = 0; i < jobs; i++) {
		b->hooks[i] = hooks_new(&hc);
		if (!b->hooks[i])
			goto out;
	}
	b->order = xmalloc((n + 1) * sizeof *b->order);
	site_tree_order(b->site, b->order);
	b->printing = S_print_begin(b);
	b->render_at = diag_progress_seconds();
	b->deferring = true;
	if (pool_run(n + b->site->n_decks, jobs, S_work, b) < jobs)
		diag_error(NULL, 0, 0, "cannot start %d worker threads; build with fewer jobs (-j 1)", jobs);
	b->deferring = false;
	S_phase("render", &tp);

	diag_progress(1, "toivo: redirects, 404 pages and files");
	S_root_index(b);
	S_404(b);
	S_renames(b);
	S_aliases(b);
	S_files(b);
	S_site_files(b);
	S_keep_pdfs(b);
	S_write_deferred(b);
	S_phase("extras", &tp);
	check_site(b->site, b->ids, b->links, o->check);
	S_phase("check", &tp);
out:
	if (staged) {
		diag_progress(1, "toivo: putting the output in place");
		if (diag_errors())
			output_abort(&b->out);
		else
			output_commit(&b->out);
		S_phase("commit", &tp);
	}
	diag_progress_end();
	int errors = diag_errors();
	size_t pages = b->site ? b->site->n_pages : 0;
	if (keep && !errors && staged) {
		*keep = b;
	} else {
		build_free(b);
		S_phase("free", &tp);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	/* toivo check says what it found itself: the output is a temporary folder. */
	struct buf counts = BUF_INIT;
	diag_counts(&counts);
	if (errors && !o->check)
		diag_line("toivo: %s; %s left as it was\n", counts.data, o->out);
	else if (!errors && !o->quiet)
		diag_line("toivo: %zu pages in %.0f ms -> %s%s%s\n", pages, ms, o->out,
			  counts.len ? "; " : "", counts.data);
	buf_free(&counts);
	return errors ? 1 : 0;
}

static int S_begin_update(struct build *b)
{
	char *cache = b->opts->cache ? xstrdup(b->opts->cache) : output_cache_dir(b->opts->root);
	int r = output_begin_update(&b->out, b->opts->out, cache);
	free(cache);
	return r;
}

int build_update(struct build *b, char *const *srcs, size_t n, size_t *changed)
{
	diag_reset();
	*changed = 0;
	struct page **ps = xcalloc(n + 1, sizeof *ps);
	int r = -1;
	for (size_t i = 0; i < n; i++) {
		ps[i] = site_find_src(b->site, srcs[i]);
		if (!ps[i] || site_page_reread(b->site, ps[i]) != 1)
			goto out;
	}
	if (diag_errors())
		goto out;
	gitdates_refresh(b->site, ps, n);
	if (S_begin_update(b) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		size_t k = ps[i]->index;
		value_free(b->ids[k]);
		value_free(b->links[k]);
		search_doc_free(b->search[k]);
		b->ids[k] = b->links[k] = NULL;
		b->search[k] = NULL;
		if (b->html)
			b->html[k] = (struct spool_ref){ 0, 0 };
		S_render_page(b, b->hooks[0], ps[i]);
	}
	if (diag_errors()) {
		output_abort(&b->out);
		goto out;
	}
	if (output_commit(&b->out) == 0) {
		*changed = b->out.changed;
		r = 0;
	}
out:
	free(ps);
	return r;
}

int build_update_site(struct build *b, size_t *changed)
{
	diag_reset();
	*changed = 0;
	if (S_begin_update(b) < 0)
		return -1;
	S_site_files(b);
	check_site(b->site, b->ids, b->links, b->opts->check);
	if (diag_errors()) {
		output_abort(&b->out);
		return -1;
	}
	if (output_commit(&b->out) < 0)
		return -1;
	*changed = b->out.changed;
	return 0;
}

int build_link_pdfs(struct build *b)
{
	if (!b->deferred)
		return 0;
	if (S_begin_update(b) < 0)
		return -1;
	for (size_t i = 0; i < b->site->n_pages; i++) {
		if (!b->deferred[i])
			continue;
		char *pdf = site_pdf_path(b->site->pages[i]);
		char *full = path_join(b->opts->out, pdf);
		struct stat st;
		b->pdf_size[i] = stat(full, &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
		free(full);
		free(pdf);
		S_write_page(b, b->site->pages[i]);
	}
	return output_commit(&b->out);
}
