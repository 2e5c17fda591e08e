/* print.c - print pages: a module, the whole course or a form page as one
 * HTML document, made from the HTML the build already rendered.
 *
 * Each page's HTML was written for its own URL, so it is rewritten for its
 * place in the print document: ids get the section's prefix (two lessons
 * may both have "#tulokset"), links to pages that are in the document
 * become links within it, other relative links and images are rebased to
 * the print page's folder, and headings move down one level per level of
 * nesting (the lesson title is the h2 of its section).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "hmap.h"
#include "i18n.h"
#include "output.h"
#include "print.h"
#include "render.h"
#include "site.h"
#include "spool.h"
#include "template.h"
#include "util.h"
#include "value.h"

struct doc {
	const struct site *site;
	struct hmap ids;        /* page path -> section id, for pages in the document */
	const char *dir;        /* the print page's folder, "fi/pori/print/" */
};

/* The section id of a page: its path without the language, dashes for
 * slashes ("fi/pori/tulokset/" -> "pori-tulokset"). */
static char *S_section_id(const struct page *p)
{
	const char *s = strchr(p->path, '/');
	s = s ? s + 1 : p->path;
	struct buf b = BUF_INIT;
	for (; *s; s++)
		buf_putc(&b, *s == '/' ? '-' : *s);
	while (b.len && b.data[b.len - 1] == '-')
		buf_truncate(&b, b.len - 1);
	if (!b.len)
		buf_puts(&b, "home");
	return buf_detach(&b, NULL);
}

static bool S_is_relative(const char *u, size_t n)
{
	if (!n || u[0] == '/' || u[0] == '#')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (u[i] == ':')
			return false;
		if (u[i] == '/' || u[i] == '?' || u[i] == '#')
			break;
	}
	return true;
}

/* Appends the rewritten value of an href or src attribute. */
static void S_url(struct buf *out, const struct doc *d, const char *from, const char *prefix,
		  const char *u, size_t n)
{
	if (n && u[0] == '#') {
		buf_printf(out, "#%s-", prefix);
		buf_add(out, u + 1, n - 1);
		return;
	}
	if (!S_is_relative(u, n)) {
		buf_add(out, u, n);
		return;
	}
	size_t k = 0;
	while (k < n && u[k] != '#' && u[k] != '?')
		k++;
	char *joined = xasprintf("%s%.*s", from, (int)k, u);
	char *target = path_normalize(joined);
	free(joined);
	if (!target) {
		buf_add(out, u, n);
		return;
	}
	/* A page in this document: a link within it. */
	char *dirp = NULL;
	if (str_ends_with(target, "index.html"))
		dirp = xstrndup(target, strlen(target) - strlen("index.html"));
	else if (!*target || str_ends_with(target, "/"))
		dirp = xstrdup(target);
	const char *id = dirp ? hmap_get(&d->ids, dirp) : NULL;
	if (id) {
		if (k < n && u[k] == '#')
			buf_printf(out, "#%s-%.*s", id, (int)(n - k - 1), u + k + 1);
		else
			buf_printf(out, "#%s", id);
	} else {
		char *r = site_rel_file(d->dir, target);
		buf_puts(out, r);
		buf_add(out, u + k, n - k);
		free(r);
	}
	free(dirp);
	free(target);
}

/* Appends a space-separated list of ids, each with the prefix. */
static void S_idlist(struct buf *out, const char *prefix, const char *v, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && v[j] != ' ')
			j++;
		if (j > i)
			buf_printf(out, "%s-%.*s", prefix, (int)(j - i), v + i);
		if (j < n)
			buf_putc(out, ' ');
		i = j + 1;
	}
}

/* Rewrites one page's HTML for the print document (see the top). */
static void S_rewrite(struct buf *out, const struct doc *d, const struct page *p,
		      const char *prefix, int shift, const char *html)
{
	static const struct {
		const char *name;
		int kind;       /* 0 url, 1 id, 2 id list */
	} attrs[] = {
		{ " href=\"", 0 }, { " src=\"", 0 }, { " id=\"", 1 }, { " for=\"", 1 },
		{ " aria-labelledby=\"", 2 }, { " aria-describedby=\"", 2 },
	};
	const char *s = html;
	while (*s) {
		const char *next = strpbrk(s, " <u");
		if (!next) {
			buf_puts(out, s);
			break;
		}
		buf_add(out, s, (size_t)(next - s));
		s = next;
		if (*s == '<') {
			/* Headings move down by shift levels, h6 at most. */
			int close = s[1] == '/';
			const char *h = s + 1 + close;
			if ((h[0] == 'h' || h[0] == 'H') && h[1] >= '1' && h[1] <= '6' &&
			    (h[2] == '>' || h[2] == ' ')) {
				int lv = h[1] - '0' + shift;
				buf_printf(out, "<%sh%d", close ? "/" : "", lv > 6 ? 6 : lv);
				s = h + 2;
				continue;
			}
			buf_putc(out, *s++);
			continue;
		}
		if (*s == 'u') {
			if (!strncmp(s, "url(#", 5)) {
				buf_printf(out, "url(#%s-", prefix);
				s += 5;
			} else {
				buf_putc(out, *s++);
			}
			continue;
		}
		size_t a;
		for (a = 0; a < sizeof attrs / sizeof attrs[0]; a++)
			if (!strncmp(s, attrs[a].name, strlen(attrs[a].name)))
				break;
		if (a == sizeof attrs / sizeof attrs[0]) {
			buf_putc(out, *s++);
			continue;
		}
		size_t nl = strlen(attrs[a].name);
		const char *v = s + nl;
		const char *e = strchr(v, '"');
		if (!e) {
			buf_puts(out, s);
			break;
		}
		buf_add(out, s, nl);
		if (attrs[a].kind == 0)
			S_url(out, d, p->path, prefix, v, (size_t)(e - v));
		else if (attrs[a].kind == 1)
			buf_printf(out, "%s-%.*s", prefix, (int)(e - v), v);
		else
			S_idlist(out, prefix, v, (size_t)(e - v));
		buf_putc(out, '"');
		s = e + 1;
	}
}

struct print_job {
	const struct print_ctx *pc;
	struct doc d;
	struct value *sections;
	struct value *toc;
	struct value *cur_toc;  /* children list of the current module entry */
	time_t updated;
};

static void S_add(struct print_job *j, const struct page *p, int level, bool intro)
{
	char *html = spool_get(j->pc->spool, j->pc->html[p->index], NULL);
	if (!html)
		return;
	char *id = S_section_id(p);
	struct buf b = BUF_INIT;
	S_rewrite(&b, &j->d, p, id, level - 1, html);
	free(html);
	struct value *sec = value_map();
	value_set_str(sec, "id", id);
	value_set_str(sec, "title", p->title);
	value_set_num(sec, "level", level);
	value_set_bool(sec, "is_module", p->kind == PAGE_MODULE);
	value_set_bool(sec, "intro", intro);
	value_set_bool(sec, "h2", level == 2 && !intro);
	value_set_bool(sec, "h3", level == 3);
	size_t n;
	char *c = buf_detach(&b, &n);
	value_set(sec, "content", value_str_own(c, n));
	value_push(j->sections, sec);
	if (p->updated > j->updated)
		j->updated = p->updated;
	if (!intro) {
		struct value *e = value_map();
		value_set_str(e, "id", id);
		value_set_str(e, "title", p->title);
		value_set(e, "children", value_list());
		if (level == 2 || !j->cur_toc) {
			value_push(j->toc, e);
			j->cur_toc = p->kind == PAGE_MODULE ? value_get(e, "children") : NULL;
		} else {
			value_push(j->cur_toc, e);
		}
	}
	free(id);
}

static void S_mark(struct print_job *j, const struct page *p)
{
	char *id = S_section_id(p);
	free(hmap_put(&j->d.ids, p->path, id));
}

/* Renders one print document and adds it to the manifest. */
static void S_emit(struct print_job *j, const struct page *p, const char *kind,
		   const char *title, const char *pdfname, struct value *manifest)
{
	const struct print_ctx *pc = j->pc;
	const struct site *s = pc->env->site;
	const char *lang = s->langs[p->lang].code;
	struct value *c = value_map();
	value_set(c, "site", pc->env->site_val[p->lang]);
	value_set(c, "t", pc->env->strings[p->lang]);
	value_set_str(c, "lang", lang);
	char *root = site_rel_file(j->d.dir, "");
	value_set(c, "root", value_str_own(root, strlen(root)));
	struct value *pg = value_map();
	value_set_str(pg, "title", title);
	const char *desc = value_string(value_get(p->fm, "description"));
	value_set_str(pg, "description", desc ? desc : s->langs[p->lang].description);
	value_set_str(pg, "lang", lang);
	char *perma = xasprintf("%s%s", s->base_url, p->path);
	value_set(pg, "permalink", value_str_own(perma, strlen(perma)));
	char *back = site_rel(j->d.dir, p->path);
	value_set(pg, "url", value_str_own(back, strlen(back)));
	if (j->updated > 0)
		value_set(pg, "updated", render_date(j->updated, lang));
	value_set(c, "page", pg);
	struct value *pr = value_map();
	value_set_str(pr, "kind", kind);
	value_set_bool(pr, "is_module", !strcmp(kind, "module"));
	value_set_bool(pr, "is_course", !strcmp(kind, "course"));
	value_set_bool(pr, "is_form", !strcmp(kind, "form"));
	value_set_str(pr, "course", s->langs[p->lang].title);
	const char *ln = i18n_get(s, p->lang, "language_name");
	value_set_str(pr, "language", ln ? ln : lang);
	value_set(pr, "sections", j->sections);
	for (size_t i = 0; i < j->toc->u.list.n; i++) {
		struct value *e = j->toc->u.list.items[i];
		value_set_bool(e, "has_children", value_get(e, "children")->u.list.n > 0);
	}
	value_set(pr, "toc", j->toc);
	j->sections = j->toc = NULL;
	value_set(c, "print", pr);

	struct buf out = BUF_INIT;
	if (tpl_render(&out, pc->layout, c) == 0) {
		char *rel = xasprintf("%sindex.html", j->d.dir);
		output_write(pc->out, rel, out.data, out.len, p->src);
		struct value *m = value_map();
		value_set_str(m, "lang", lang);
		value_set_str(m, "kind", kind);
		value_set_str(m, "title", title);
		value_set_str(m, "html", rel);
		char *pdf = xasprintf("%s%s.pdf", j->d.dir, pdfname);
		value_set(m, "pdf", value_str_own(pdf, strlen(pdf)));
		value_push(manifest, m);
		free(rel);
	}
	buf_free(&out);
	value_free(c);
}

static void S_job_init(struct print_job *j, const struct print_ctx *pc, const char *dir)
{
	memset(j, 0, sizeof *j);
	j->pc = pc;
	j->d.site = pc->env->site;
	j->d.dir = dir;
	j->sections = value_list();
	j->toc = value_list();
}

static void S_job_free(struct print_job *j)
{
	for (size_t i = 0; i < j->d.ids.cap; i++)
		if (j->d.ids.keys && j->d.ids.keys[i])
			free(j->d.ids.vals[i]);
	hmap_free(&j->d.ids);
	value_free(j->sections);
	value_free(j->toc);
}

void print_pages(const struct print_ctx *pc)
{
	const struct site *s = pc->env->site;
	struct value *manifest = value_list();
	for (int k = 0; k < s->n_langs; k++) {
		const struct page *home = s->langs[k].home;
		if (!home)
			continue;
		/* Every module on its own. */
		for (size_t i = 0; i < home->n_children; i++) {
			const struct page *m = home->children[i];
			if (m->kind != PAGE_MODULE)
				continue;
			char *dir = xasprintf("%sprint/", m->path);
			struct print_job j;
			S_job_init(&j, pc, dir);
			for (size_t l = 0; l < m->n_children; l++)
				S_mark(&j, m->children[l]);
			S_add(&j, m, 2, true);
			for (size_t l = 0; l < m->n_children; l++)
				S_add(&j, m->children[l], 2, false);
			char *name = path_last(m->path);
			S_emit(&j, m, "module", m->title, name, manifest);
			free(name);
			S_job_free(&j);
			free(dir);
		}
		/* The whole course: modules with their lessons, then the
		 * stand-alone pages. */
		char *dir = xasprintf("%sprint/", home->path);
		struct print_job j;
		S_job_init(&j, pc, dir);
		for (size_t i = 0; i < home->n_children; i++) {
			const struct page *m = home->children[i];
			S_mark(&j, m);
			for (size_t l = 0; l < m->n_children; l++)
				S_mark(&j, m->children[l]);
		}
		S_add(&j, home, 2, true);
		for (size_t i = 0; i < home->n_children; i++) {
			const struct page *m = home->children[i];
			j.cur_toc = NULL;
			S_add(&j, m, 2, false);
			for (size_t l = 0; l < m->n_children; l++)
				S_add(&j, m->children[l], 3, false);
		}
		S_emit(&j, home, "course", s->langs[k].title, "course", manifest);
		S_job_free(&j);
		free(dir);
	}
	/* Forms: pages with `print: form` alone on their print page. */
	for (size_t i = 0; i < s->n_pages; i++) {
		const struct page *p = s->pages[i];
		if (strcmp(value_string(value_get(p->fm, "print")) ? value_string(value_get(p->fm, "print")) : "", "form"))
			continue;
		char *dir = xasprintf("%sprint/", p->path);
		struct print_job j;
		S_job_init(&j, pc, dir);
		/* Alone on its page: its headings keep their levels under the h1. */
		S_add(&j, p, 1, true);
		char *name = path_last(p->path);
		S_emit(&j, p, "form", p->title, name, manifest);
		free(name);
		S_job_free(&j);
		free(dir);
	}
	struct buf js = BUF_INIT;
	value_to_json(&js, manifest);
	buf_putc(&js, '\n');
	output_write(pc->out, "print.json", js.data, js.len, s->config_path);
	buf_free(&js);
	value_free(manifest);
}
