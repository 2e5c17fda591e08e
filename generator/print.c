/* print.c - print pages: a module, the whole course or a form page as one
 * HTML document, made from the HTML the build renders.
 *
 * Each page's HTML was written for its own URL, so it is rewritten for its
 * place in the print document: ids get the section's prefix (two lessons
 * may both have "#tulokset"), links to pages that are in the document
 * become links within it, other relative links and images are rebased to
 * the print page's folder, and headings move down one level per level of
 * nesting (the lesson title is the h2 of its section).
 */
#include <pthread.h>
#include <stdint.h>
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

struct print_run;
/* What S_rewrite needs of a document: which pages are sections in it
 * (links to them stay within it) and where it is. */
struct doc {
	const struct print_run *run;
	size_t index;           /* in run->docs */
	const char *dir;        /* the print page's folder, "fi/pori/print/" */
};

static const char *S_in_doc(const struct doc *d, const char *path);

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
	const char *id = dirp ? S_in_doc(d, dirp) : NULL;
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

/* One print document: a module, a language's course or a form. */
enum doc_kind { DOC_MODULE, DOC_COURSE, DOC_FORM };

/* A page's place in a document: the sections in the order shown. */
struct part {
	const struct page *p;
	int level;              /* 1 for a form, 2 or 3 (a lesson in the course) */
	bool intro;             /* the document's own page, before the sections */
};

/* A part that came before its turn, kept until its mark is reached: in
 * memory, or past the run's budget in the spool. */
struct held {
	char *mem;
	struct spool_ref ref;
	size_t len;
	bool have;
};

/* Where the layout shows a part: the mark's bytes in the rendered layout. */
struct mark {
	size_t start, end;
	size_t part;            /* NONE: a mark of no part (nothing is written) */
};
#define NONE SIZE_MAX

enum doc_state { DOC_WAITING, DOC_OPEN, DOC_DONE, DOC_FAILED };

struct pdoc {
	enum doc_kind kind;
	const struct page *p;   /* the module, the home page or the form */
	char *dir;              /* "fi/pori/print/" */
	struct part *parts;
	size_t n_parts, cap_parts;
	pthread_mutex_t mu;
	/* While it is written (S_open .. S_close): */
	enum doc_state state;
	struct output_file *of;
	char *skel;             /* the rendered layout, parts' places marked */
	size_t skel_len, pos;   /* written up to pos */
	struct mark *marks;
	size_t n_marks, cur;    /* the next mark to fill */
	size_t *last;           /* per part: its last mark, or NONE */
	struct held *held;      /* per part */
};

/* A page's memberships, (document, part) pairs, in page index order. */
struct memb {
	uint32_t doc, part;
};

struct print_run {
	struct print_ctx pc;
	struct pdoc *docs;
	size_t n_docs, cap_docs;
	size_t n_pages;
	char **sec_id;          /* per page in any document: its section id */
	size_t *m_start;        /* per page: its memberships are m[m_start[i] .. m_start[i + 1]) */
	struct memb *m;
	struct hmap paths;      /* page path -> page, pages in any document */
	size_t held_bytes;      /* in memory, all documents (atomic) */
};

/* Parts held in memory past this go to the spool.  Pages come in about
 * the order the documents show them (the build renders in that order),
 * so little is held unless one page takes long while others go on. */
#define PRINT_HOLD_BUDGET (16u << 20)

/* What stands for part k in the rendered layout until it is written. */
#define PART_MARK "\001toivo-part:"

/* The section id of the page at path when it is one of d's sections (not
 * its intro): a link to it stays within the document. */
static const char *S_in_doc(const struct doc *d, const char *path)
{
	const struct print_run *r = d->run;
	const struct page *p = hmap_get(&r->paths, path);
	if (!p)
		return NULL;
	for (size_t i = r->m_start[p->index]; i < r->m_start[p->index + 1]; i++)
		if (r->m[i].doc == d->index && !r->docs[d->index].parts[r->m[i].part].intro)
			return r->sec_id[p->index];
	return NULL;
}

static void S_part(struct pdoc *d, const struct page *p, int level, bool intro)
{
	d->parts = xgrow(d->parts, &d->cap_parts, d->n_parts, sizeof *d->parts);
	d->parts[d->n_parts++] = (struct part){ p, level, intro };
}

static void S_doc_add(struct print_run *r, enum doc_kind kind, const struct page *p)
{
	r->docs = xgrow(r->docs, &r->cap_docs, r->n_docs, sizeof *r->docs);
	struct pdoc *d = &r->docs[r->n_docs++];
	memset(d, 0, sizeof *d);
	d->kind = kind;
	d->p = p;
	d->dir = xasprintf("%sprint/", p->path);
	pthread_mutex_init(&d->mu, NULL);
	if (kind == DOC_MODULE) {
		S_part(d, p, 2, true);
		for (size_t l = 0; l < p->n_children; l++)
			S_part(d, p->children[l], 2, false);
	} else if (kind == DOC_COURSE) {
		/* The whole course: modules with their lessons, then the
		 * stand-alone pages. */
		S_part(d, p, 2, true);
		for (size_t k = 0; k < p->n_children; k++) {
			const struct page *m = p->children[k];
			S_part(d, m, 2, false);
			for (size_t l = 0; l < m->n_children; l++)
				S_part(d, m->children[l], 3, false);
		}
	} else {
		/* Alone on its page: its headings keep their levels under the h1. */
		S_part(d, p, 1, true);
	}
}

struct print_run *print_begin(const struct print_ctx *pc)
{
	const struct site *s = pc->env->site;
	struct print_run *r = xcalloc(1, sizeof *r);
	r->pc = *pc;
	r->n_pages = s->n_pages;
	for (int k = 0; k < s->n_langs; k++) {
		const struct page *home = s->langs[k].home;
		if (!home)
			continue;
		/* Every module on its own, then the course. */
		for (size_t i = 0; i < home->n_children; i++)
			if (home->children[i]->kind == PAGE_MODULE)
				S_doc_add(r, DOC_MODULE, home->children[i]);
		S_doc_add(r, DOC_COURSE, home);
	}
	/* Forms: pages with `print: form` alone on their print page. */
	for (size_t i = 0; i < s->n_pages; i++) {
		const struct page *p = s->pages[i];
		const char *pr = value_string(value_get(p->fm, "print"));
		if (pr && !strcmp(pr, "form"))
			S_doc_add(r, DOC_FORM, p);
	}
	/* Each page's memberships, counted, then placed. */
	r->m_start = xcalloc(s->n_pages + 2, sizeof *r->m_start);
	size_t total = 0;
	for (size_t i = 0; i < r->n_docs; i++)
		for (size_t k = 0; k < r->docs[i].n_parts; k++) {
			r->m_start[r->docs[i].parts[k].p->index + 2]++;
			total++;
		}
	for (size_t i = 2; i < s->n_pages + 2; i++)
		r->m_start[i] += r->m_start[i - 1];
	r->m = xmalloc((total + 1) * sizeof *r->m);
	r->sec_id = xcalloc(s->n_pages + 1, sizeof *r->sec_id);
	for (size_t i = 0; i < r->n_docs; i++)
		for (size_t k = 0; k < r->docs[i].n_parts; k++) {
			const struct page *p = r->docs[i].parts[k].p;
			r->m[r->m_start[p->index + 1]++] = (struct memb){ (uint32_t)i, (uint32_t)k };
			if (!r->sec_id[p->index]) {
				r->sec_id[p->index] = S_section_id(p);
				hmap_put(&r->paths, p->path, (void *)p);
			}
		}
	return r;
}

/* The sections and contents of the layout's context: part k's content is
 * its mark, replaced when the document is written. */
static struct value *S_sections(struct pdoc *d, const struct print_run *r, struct value **toc, time_t *updated)
{
	struct value *sections = value_list();
	struct value *cur_toc = NULL;   /* children list of the current module entry */
	*toc = value_list();
	*updated = 0;
	for (size_t k = 0; k < d->n_parts; k++) {
		const struct part *pt = &d->parts[k];
		const struct page *p = pt->p;
		const char *id = r->sec_id[p->index];
		struct value *sec = value_map();
		value_set_str(sec, "id", id);
		value_set_str(sec, "title", p->title);
		value_set_num(sec, "level", pt->level);
		value_set_bool(sec, "is_module", p->kind == PAGE_MODULE);
		value_set_bool(sec, "intro", pt->intro);
		value_set_bool(sec, "h2", pt->level == 2 && !pt->intro);
		value_set_bool(sec, "h3", pt->level == 3);
		char *c = xasprintf(PART_MARK "%zu\001", k);
		value_set(sec, "content", value_str_own(c, strlen(c)));
		value_push(sections, sec);
		if (p->updated > *updated)
			*updated = p->updated;
		if (pt->intro)
			continue;
		struct value *e = value_map();
		value_set_str(e, "id", id);
		value_set_str(e, "title", p->title);
		value_set(e, "children", value_list());
		if (pt->level == 2 || !cur_toc) {
			value_push(*toc, e);
			cur_toc = p->kind == PAGE_MODULE ? value_get(e, "children") : NULL;
		} else {
			value_push(cur_toc, e);
		}
	}
	for (size_t i = 0; i < (*toc)->u.list.n; i++) {
		struct value *e = (*toc)->u.list.items[i];
		value_set_bool(e, "has_children", value_get(e, "children")->u.list.n > 0);
	}
	return sections;
}

static const char *S_kind_name(enum doc_kind k)
{
	return k == DOC_MODULE ? "module" : k == DOC_COURSE ? "course" : "form";
}

static const char *S_title(const struct print_run *r, const struct pdoc *d)
{
	return d->kind == DOC_COURSE ? r->pc.env->site->langs[d->p->lang].title : d->p->title;
}

/* Renders the layout with the parts' marks (d->skel) and finds them. */
static int S_skeleton(struct pdoc *d, const struct print_run *r)
{
	const struct print_ctx *pc = &r->pc;
	const struct site *s = pc->env->site;
	const struct page *p = d->p;
	const char *lang = s->langs[p->lang].code;
	const char *kind = S_kind_name(d->kind);
	struct value *toc;
	time_t updated;
	struct value *sections = S_sections(d, r, &toc, &updated);
	struct value *c = value_map();
	value_set(c, "site", pc->env->site_val[p->lang]);
	value_set(c, "t", pc->env->strings[p->lang]);
	value_set_str(c, "lang", lang);
	char *root = site_rel_file(d->dir, "");
	value_set(c, "root", value_str_own(root, strlen(root)));
	struct value *pg = value_map();
	value_set_str(pg, "title", S_title(r, d));
	const char *desc = value_string(value_get(p->fm, "description"));
	value_set_str(pg, "description", desc ? desc : s->langs[p->lang].description);
	value_set_str(pg, "lang", lang);
	char *perma = xasprintf("%s%s", s->base_url, p->path);
	value_set(pg, "permalink", value_str_own(perma, strlen(perma)));
	char *back = site_rel(d->dir, p->path);
	value_set(pg, "url", value_str_own(back, strlen(back)));
	if (updated > 0)
		value_set(pg, "updated", render_date(updated, lang));
	value_set(c, "page", pg);
	struct value *pr = value_map();
	value_set_str(pr, "kind", kind);
	value_set_bool(pr, "is_module", d->kind == DOC_MODULE);
	value_set_bool(pr, "is_course", d->kind == DOC_COURSE);
	value_set_bool(pr, "is_form", d->kind == DOC_FORM);
	value_set_str(pr, "course", s->langs[p->lang].title);
	const char *ln = i18n_get(s, p->lang, "language_name");
	value_set_str(pr, "language", ln ? ln : lang);
	value_set(pr, "sections", sections);
	value_set(pr, "toc", toc);
	value_set(c, "print", pr);
	struct buf out = BUF_INIT;
	int rc = tpl_render(&out, pc->layout, c);
	value_free(c);
	if (rc != 0) {
		buf_free(&out);
		return -1;
	}
	d->skel = buf_detach(&out, &d->skel_len);
	if (!d->skel)
		d->skel = xstrdup("");
	/* The marks in the order the layout shows them (a theme's layout may
	 * show a part twice, or not at all). */
	size_t cap = 0;
	const char *s0 = d->skel, *end = d->skel + d->skel_len;
	for (const char *m = s0; (m = memmem(m, (size_t)(end - m), PART_MARK, strlen(PART_MARK)));) {
		char *after;
		size_t k = strtoul(m + strlen(PART_MARK), &after, 10);
		const char *e = *after == '\001' ? after + 1 : after;
		d->marks = xgrow(d->marks, &cap, d->n_marks, sizeof *d->marks);
		d->marks[d->n_marks++] = (struct mark){ (size_t)(m - s0), (size_t)(e - s0), k < d->n_parts ? k : NONE };
		m = e;
	}
	d->last = xmalloc((d->n_parts + 1) * sizeof *d->last);
	for (size_t k = 0; k < d->n_parts; k++)
		d->last[k] = NONE;
	for (size_t i = 0; i < d->n_marks; i++)
		if (d->marks[i].part != NONE)
			d->last[d->marks[i].part] = i;
	d->held = xcalloc(d->n_parts + 1, sizeof *d->held);
	return 0;
}

/* Starts writing d: its layout, then its file.  Under d->mu. */
static void S_open(struct pdoc *d, struct print_run *r)
{
	if (S_skeleton(d, r) < 0) {
		d->state = DOC_FAILED;
		return;
	}
	char *rel = xasprintf("%sindex.html", d->dir);
	d->of = output_open(r->pc.out, rel, d->p->src);
	free(rel);
	d->state = d->of ? DOC_OPEN : DOC_FAILED;
}

static void S_unhold(struct print_run *r, struct held *h)
{
	if (h->mem)
		__atomic_sub_fetch(&r->held_bytes, h->len, __ATOMIC_RELAXED);
	free(h->mem);
	*h = (struct held){ 0 };
}

/* Writes the layout up to mark d->cur and what fills it (len bytes at s),
 * and moves on past the mark. */
static void S_fill(struct pdoc *d, const char *s, size_t len)
{
	FILE *f = output_file_stream(d->of);
	const struct mark *m = &d->marks[d->cur++];
	fwrite(d->skel + d->pos, 1, m->start - d->pos, f);
	if (len)
		fwrite(s, 1, len, f);
	d->pos = m->end;
}

/* Ends d (ok 0, else -1: a failure was reported): its file closed, its
 * layout freed. */
static void S_close(struct pdoc *d, struct print_run *r, int ok)
{
	if (d->state == DOC_OPEN) {
		if (ok == 0)
			fwrite(d->skel + d->pos, 1, d->skel_len - d->pos, output_file_stream(d->of));
		ok = output_close(r->pc.out, d->of, ok, d->p->src);
		d->of = NULL;
	}
	d->state = d->state == DOC_OPEN && ok == 0 ? DOC_DONE : DOC_FAILED;
	for (size_t k = 0; d->held && k < d->n_parts; k++)
		S_unhold(r, &d->held[k]);
	free(d->held);
	free(d->last);
	free(d->marks);
	free(d->skel);
	d->held = NULL;
	d->last = NULL;
	d->marks = NULL;
	d->skel = NULL;
}

/* Fills the marks whose parts are there, in order; at the end, closes the
 * file.  When missing_too, a part that never came is left empty.  Under
 * d->mu, d open. */
static void S_drain(struct pdoc *d, struct print_run *r, bool missing_too)
{
	while (d->cur < d->n_marks) {
		size_t k = d->marks[d->cur].part;
		if (k == NONE || (!d->held[k].have && missing_too)) {
			S_fill(d, "", 0);
			continue;
		}
		struct held *h = &d->held[k];
		if (!h->have)
			return;
		if (h->mem) {
			S_fill(d, h->mem, h->len);
		} else {
			size_t len;
			char *s = spool_get(r->pc.spool, h->ref, &len);
			if (!s && h->ref.len) {
				S_close(d, r, -1);
				return;
			}
			S_fill(d, s, len);
			free(s);
		}
		if (d->last[k] < d->cur)
			S_unhold(r, h);
	}
	S_close(d, r, 0);
}

/* Keeps part k of d (len bytes at s) until its mark is reached. */
static int S_hold(struct pdoc *d, struct print_run *r, size_t k, const char *s, size_t len)
{
	struct held *h = &d->held[k];
	S_unhold(r, h);
	size_t now = __atomic_add_fetch(&r->held_bytes, len, __ATOMIC_RELAXED);
	if (now <= (r->pc.hold_budget ? r->pc.hold_budget : PRINT_HOLD_BUDGET)) {
		h->mem = xmalloc(len + 1);
		memcpy(h->mem, s, len);
	} else {
		__atomic_sub_fetch(&r->held_bytes, len, __ATOMIC_RELAXED);
		if (len && spool_put(r->pc.spool, &h->ref, s, len) < 0)
			return -1;
	}
	h->len = len;
	h->have = true;
	return 0;
}

/* Part k of document d is ready (len bytes at s, rewritten for d). */
static void S_deliver(struct print_run *r, struct pdoc *d, size_t k, const char *s, size_t len)
{
	pthread_mutex_lock(&d->mu);
	if (d->state == DOC_WAITING)
		S_open(d, r);
	if (d->state != DOC_OPEN || d->last[k] == NONE) {
		/* Failed, done, or the layout does not show the part. */
	} else if (d->marks[d->cur].part == k && d->last[k] == d->cur) {
		/* Its turn, and only once: straight into the file. */
		S_fill(d, s, len);
		S_drain(d, r, false);
	} else if (S_hold(d, r, k, s, len) < 0) {
		S_close(d, r, -1);
	} else {
		S_drain(d, r, false);
	}
	pthread_mutex_unlock(&d->mu);
}

void print_page(struct print_run *r, const struct page *p, const char *html)
{
	if (!r || p->index >= r->n_pages)
		return;
	if (!html)
		html = "";
	struct buf b = BUF_INIT;
	for (size_t i = r->m_start[p->index]; i < r->m_start[p->index + 1]; i++) {
		struct pdoc *d = &r->docs[r->m[i].doc];
		const struct part *pt = &d->parts[r->m[i].part];
		struct doc dc = { r, r->m[i].doc, d->dir };
		buf_reset(&b);
		S_rewrite(&b, &dc, p, r->sec_id[p->index], pt->level - 1, html);
		S_deliver(r, d, r->m[i].part, b.data ? b.data : "", b.len);
	}
	buf_free(&b);
}

void print_end(struct print_run *r, bool ok)
{
	if (!r)
		return;
	struct value *manifest = value_list();
	const struct site *s = r->pc.env->site;
	for (size_t i = 0; i < r->n_docs; i++) {
		struct pdoc *d = &r->docs[i];
		if (ok && d->state == DOC_WAITING)
			S_open(d, r);
		if (d->state == DOC_OPEN) {
			if (ok)
				S_drain(d, r, true);
			else
				S_close(d, r, -1);
		}
		if (d->state == DOC_DONE) {
			struct value *m = value_map();
			value_set_str(m, "lang", s->langs[d->p->lang].code);
			value_set_str(m, "kind", S_kind_name(d->kind));
			value_set_str(m, "title", S_title(r, d));
			char *rel = xasprintf("%sindex.html", d->dir);
			value_set(m, "html", value_str_own(rel, strlen(rel)));
			char *name = d->kind == DOC_COURSE ? xstrdup("course") : path_last(d->p->path);
			char *pdf = xasprintf("%s%s.pdf", d->dir, name);
			free(name);
			value_set(m, "pdf", value_str_own(pdf, strlen(pdf)));
			value_push(manifest, m);
		}
		pthread_mutex_destroy(&d->mu);
		free(d->parts);
		free(d->dir);
	}
	if (ok) {
		struct buf js = BUF_INIT;
		value_to_json(&js, manifest);
		buf_putc(&js, '\n');
		output_write(r->pc.out, "print.json", js.data, js.len, s->config_path);
		buf_free(&js);
	}
	value_free(manifest);
	for (size_t i = 0; i < r->n_pages; i++)
		free(r->sec_id[i]);
	free(r->sec_id);
	free(r->m_start);
	free(r->m);
	hmap_free(&r->paths);
	free(r->docs);
	free(r);
}
