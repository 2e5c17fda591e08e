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
#include "pool.h"
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
		buf_putc(out, '#');
		buf_puts(out, prefix);
		buf_putc(out, '-');
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
	struct buf joined = BUF_INIT;
	buf_puts(&joined, from);
	buf_add(&joined, u, k);
	char *target = path_normalize(joined.data);
	buf_free(&joined);
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
		buf_putc(out, '#');
		buf_puts(out, id);
		if (k < n && u[k] == '#') {
			buf_putc(out, '-');
			buf_add(out, u + k + 1, n - k - 1);
		}
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
		if (j > i) {
			buf_puts(out, prefix);
			buf_putc(out, '-');
			buf_add(out, v + i, j - i);
		}
		if (j < n)
			buf_putc(out, ' ');
		i = j + 1;
	}
}

/* Prefixes the ids of the url(#id) references in [s, end) (an SVG's
 * style, a fill's value): what is before them goes out from *copy on. */
static void S_urls(struct buf *out, const char **copy, const char *prefix, const char *s, const char *end)
{
	if (!prefix)
		return;         /* the page has none */
	for (const char *u = memchr(s, '(', (size_t)(end - s)); u; u = memchr(u, '(', (size_t)(end - u))) {
		if (u - s < 3 || end - u < 2 || memcmp(u - 3, "url(#", 5)) {
			u++;
			continue;
		}
		buf_add(out, *copy, (size_t)(u - 3 - *copy));
		buf_puts(out, "url(#");
		buf_puts(out, prefix);
		buf_putc(out, '-');
		u = *copy = u + 2;
	}
}

/* Rewrites one page's HTML for the print document (see the top). */
static void S_rewrite(struct buf *out, const struct doc *d, const struct page *p,
		      const char *prefix, int shift, const char *html)
{
#define ATTR(name, kind) { name, sizeof name - 1, kind }
	static const struct {
		const char *name;
		size_t len;
		int kind;       /* 0 url, 1 id, 2 id list */
	} attrs[] = {
		ATTR(" href=\"", 0), ATTR(" src=\"", 0), ATTR(" id=\"", 1), ATTR(" for=\"", 1),
		ATTR(" aria-labelledby=\"", 2), ATTR(" aria-describedby=\"", 2),
	};
#undef ATTR
	/* Bytes [copy, s) are kept as they are, appended in one piece when
	 * something is rewritten: most of a page is text that only passes.
	 * Attributes are looked for inside tags only, outside quoted values. */
	const char *s = html, *copy = html;
	/* Only a page that holds "url(#" (an inline SVG's fills) is searched
	 * for it, tag by tag. */
	const char *url_prefix = strstr(html, "url(#") ? prefix : NULL;
	for (;;) {
		/* Text up to the next tag: only "url(#" (an SVG <style>)
		 * changes in it. */
		const char *lt = strchr(s, '<');
		const char *tend = lt ? lt : s + strlen(s);
		S_urls(out, &copy, url_prefix, s, tend);
		if (!lt)
			break;
		s = lt;
		/* Headings move down by shift levels, h6 at most. */
		int close = s[1] == '/';
		const char *h = s + 1 + close;
		if ((h[0] == 'h' || h[0] == 'H') && h[1] >= '1' && h[1] <= '6' &&
		    (h[2] == '>' || h[2] == ' ')) {
			buf_add(out, copy, (size_t)(s - copy));
			int lv = h[1] - '0' + shift;
			buf_puts(out, close ? "</h" : "<h");
			buf_putc(out, (char)('0' + (lv > 6 ? 6 : lv)));
			s = copy = h + 2;
		} else {
			s++;
		}
		/* The tag's attributes, up to its '>' outside quotes. */
		for (;;) {
			/* Unquoted words (fill=url(#id)) up to a space, a quote or the end. */
			const char *stop = s + strcspn(s, " >\"'");
			S_urls(out, &copy, url_prefix, s, stop);
			s = stop;
			if (!*s || *s == '>')
				break;
			if (*s == '"' || *s == '\'') {
				/* A value no rule below rewrites: only its url(#s. */
				const char *q = strchr(s + 1, *s);
				const char *qend = q ? q : s + strlen(s);
				S_urls(out, &copy, url_prefix, s + 1, qend);
				s = *qend ? qend + 1 : qend;
				continue;
			}
			/* A space: an attribute to rewrite starts with one of these. */
			size_t a = sizeof attrs / sizeof attrs[0];
			if (s[1] == 'h' || s[1] == 's' || s[1] == 'i' || s[1] == 'f' || s[1] == 'a')
				for (a = 0; a < sizeof attrs / sizeof attrs[0]; a++)
					if (!strncmp(s, attrs[a].name, attrs[a].len))
						break;
			if (a == sizeof attrs / sizeof attrs[0]) {
				s++;
				continue;
			}
			const char *v = s + attrs[a].len;
			const char *e = strchr(v, '"');
			if (!e) {
				s += strlen(s);
				break;
			}
			buf_add(out, copy, (size_t)(v - copy));
			if (attrs[a].kind == 0) {
				S_url(out, d, p->path, prefix, v, (size_t)(e - v));
			} else if (attrs[a].kind == 1) {
				buf_puts(out, prefix);
				buf_putc(out, '-');
				buf_add(out, v, (size_t)(e - v));
			} else {
				S_idlist(out, prefix, v, (size_t)(e - v));
			}
			buf_putc(out, '"');
			s = copy = e + 1;
		}
		if (!*s)
			break;
		s++;    /* the '>' */
	}
	buf_puts(out, copy);
}

struct print_job {
	const struct print_ctx *pc;
	struct doc d;
	struct value *sections;
	struct value *toc;
	struct value *cur_toc;  /* children list of the current module entry */
	time_t updated;
	/* The sections' contents, written straight into the file after the
	 * layout is rendered (see S_emit): a course's text is never held
	 * whole. */
	struct part {
		const struct page *p;
		char *id;
		int shift;
	} *parts;
	size_t n_parts, cap_parts;
};

/* What stands for part k in the rendered layout until it is written. */
#define PART_MARK "\001toivo-part:"

static void S_add(struct print_job *j, const struct page *p, int level, bool intro)
{
	if (!j->pc->html[p->index].len)
		return;         /* not rendered */
	char *id = S_section_id(p);
	j->parts = xgrow(j->parts, &j->cap_parts, j->n_parts, sizeof *j->parts);
	j->parts[j->n_parts] = (struct part){ p, xstrdup(id), level - 1 };
	struct buf b = BUF_INIT;
	buf_printf(&b, PART_MARK "%zu\001", j->n_parts++);
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

/* Writes the rendered layout with each part's mark replaced by the page's
 * content, read back from the spool and rewritten one page at a time. */
struct fill {
	struct print_job *j;
	const char *skel;
	size_t len;
};

static int S_fill(void *ud, FILE *f)
{
	struct fill *fl = ud;
	struct print_job *j = fl->j;
	const char *s = fl->skel, *end = fl->skel + fl->len;
	struct buf b = BUF_INIT;
	int r = 0;
	for (;;) {
		const char *m = memmem(s, (size_t)(end - s), PART_MARK, strlen(PART_MARK));
		if (!m) {
			fwrite(s, 1, (size_t)(end - s), f);
			break;
		}
		fwrite(s, 1, (size_t)(m - s), f);
		char *after;
		size_t k = strtoul(m + strlen(PART_MARK), &after, 10);
		s = *after == '\001' ? after + 1 : after;
		if (k >= j->n_parts)
			continue;
		const struct part *pt = &j->parts[k];
		char *html = spool_get(j->pc->spool, j->pc->html[pt->p->index], NULL);
		if (!html) {
			r = -1;
			break;
		}
		buf_reset(&b);
		S_rewrite(&b, &j->d, pt->p, pt->id, pt->shift, html);
		free(html);
		fwrite(b.data ? b.data : "", 1, b.len, f);
	}
	buf_free(&b);
	return r;
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
		struct fill fl = { j, out.data, out.len };
		output_write_with(pc->out, rel, p->src, S_fill, &fl);
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
	for (size_t i = 0; i < j->n_parts; i++)
		free(j->parts[i].id);
	free(j->parts);
	value_free(j->sections);
	value_free(j->toc);
}

/* One print document to make: a module, a language's course or a form. */
enum doc_kind { DOC_MODULE, DOC_COURSE, DOC_FORM };
struct doc_item {
	enum doc_kind kind;
	const struct page *p;   /* the module, the home page or the form */
	struct value *made;     /* its manifest entries (a list) */
};

struct doc_order {
	size_t size, i;
};

struct docs {
	const struct print_ctx *pc;
	struct doc_item *it;
	size_t n, cap;
	struct doc_order *order; /* the items to make, largest first */
};

static void S_doc(void *ud, size_t i, int worker)
{
	(void)worker;
	struct docs *ds = ud;
	const struct print_ctx *pc = ds->pc;
	struct doc_item *it = &ds->it[ds->order[i].i];
	const struct page *p = it->p;
	char *dir = xasprintf("%sprint/", p->path);
	struct print_job j;
	S_job_init(&j, pc, dir);
	it->made = value_list();
	if (it->kind == DOC_MODULE) {
		for (size_t l = 0; l < p->n_children; l++)
			S_mark(&j, p->children[l]);
		S_add(&j, p, 2, true);
		for (size_t l = 0; l < p->n_children; l++)
			S_add(&j, p->children[l], 2, false);
		char *name = path_last(p->path);
		S_emit(&j, p, "module", p->title, name, it->made);
		free(name);
	} else if (it->kind == DOC_COURSE) {
		/* The whole course: modules with their lessons, then the
		 * stand-alone pages. */
		for (size_t k = 0; k < p->n_children; k++) {
			const struct page *m = p->children[k];
			S_mark(&j, m);
			for (size_t l = 0; l < m->n_children; l++)
				S_mark(&j, m->children[l]);
		}
		S_add(&j, p, 2, true);
		for (size_t k = 0; k < p->n_children; k++) {
			const struct page *m = p->children[k];
			j.cur_toc = NULL;
			S_add(&j, m, 2, false);
			for (size_t l = 0; l < m->n_children; l++)
				S_add(&j, m->children[l], 3, false);
		}
		S_emit(&j, p, "course", pc->env->site->langs[p->lang].title, "course", it->made);
	} else {
		/* Alone on its page: its headings keep their levels under the h1. */
		S_add(&j, p, 1, true);
		char *name = path_last(p->path);
		S_emit(&j, p, "form", p->title, name, it->made);
		free(name);
	}
	S_job_free(&j);
	free(dir);
}

/* The pages a document holds, near enough to order the work by. */
static size_t S_doc_size(const struct doc_item *it)
{
	size_t n = 1;
	if (it->kind != DOC_FORM)
		for (size_t k = 0; k < it->p->n_children; k++)
			n += 1 + (it->kind == DOC_COURSE ? it->p->children[k]->n_children : 0);
	return n;
}

/* Larger first, then in the order they were added. */
static int S_cmp_size(const void *a, const void *b)
{
	const struct doc_order *x = a, *y = b;
	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	return (x->i > y->i) - (x->i < y->i);
}

static void S_doc_add(struct docs *ds, enum doc_kind kind, const struct page *p)
{
	ds->it = xgrow(ds->it, &ds->cap, ds->n, sizeof *ds->it);
	ds->it[ds->n++] = (struct doc_item){ kind, p, NULL };
}

void print_pages(const struct print_ctx *pc)
{
	const struct site *s = pc->env->site;
	struct docs ds = { .pc = pc };
	for (int k = 0; k < s->n_langs; k++) {
		const struct page *home = s->langs[k].home;
		if (!home)
			continue;
		/* Every module on its own, then the course. */
		for (size_t i = 0; i < home->n_children; i++)
			if (home->children[i]->kind == PAGE_MODULE)
				S_doc_add(&ds, DOC_MODULE, home->children[i]);
		S_doc_add(&ds, DOC_COURSE, home);
	}
	/* Forms: pages with `print: form` alone on their print page. */
	for (size_t i = 0; i < s->n_pages; i++) {
		const struct page *p = s->pages[i];
		const char *pr = value_string(value_get(p->fm, "print"));
		if (pr && !strcmp(pr, "form"))
			S_doc_add(&ds, DOC_FORM, p);
	}
	/* The documents at once, one per worker, the largest first (a
	 * language's course holds all its pages: begun last, it would
	 * leave the other workers idle); the manifest in the order above. */
	ds.order = xmalloc((ds.n + 1) * sizeof *ds.order);
	for (size_t i = 0; i < ds.n; i++)
		ds.order[i] = (struct doc_order){ S_doc_size(&ds.it[i]), i };
	if (ds.n)
		qsort(ds.order, ds.n, sizeof *ds.order, S_cmp_size);
	int jobs = pc->jobs > 0 ? pc->jobs : 1;
	pool_run(ds.n, jobs, S_doc, &ds);
	free(ds.order);
	struct value *manifest = value_list();
	for (size_t i = 0; i < ds.n; i++) {
		struct value *made = ds.it[i].made;
		for (size_t k = 0; made && k < made->u.list.n; k++)
			value_push(manifest, made->u.list.items[k]);
		if (made)
			made->u.list.n = 0;
		value_free(made);
	}
	free(ds.it);
	struct buf js = BUF_INIT;
	value_to_json(&js, manifest);
	buf_putc(&js, '\n');
	output_write(pc->out, "print.json", js.data, js.len, s->config_path);
	buf_free(&js);
	value_free(manifest);
}
