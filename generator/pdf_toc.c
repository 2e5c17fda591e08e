/* pdf_toc.c - the table of contents' page numbers: the TOC entries of a
 * print page, the outline items of a PDF (poppler's pdftohtml -xml), and
 * the page each entry's heading landed on. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pdf_toc.h"
#include "util.h"

/* --- text helpers ------------------------------------------------------------ */

/* Appends s[0..n) with tags removed, entities decoded and white space
 * collapsed to single spaces. */
static void S_plain(struct buf *b, const char *s, size_t n)
{
	static const struct { const char *name; const char *text; } ents[] = {
		{ "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" }, { "quot;", "\"" }, { "apos;", "'" },
		{ "nbsp;", " " },
	};
	bool space = b->len == 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '<') {
			const char *e = memchr(s + i, '>', n - i);
			if (!e)
				break;
			i = (size_t)(e - s);
			continue;
		}
		if (c == '&') {
			bool done = false;
			for (size_t k = 0; k < sizeof ents / sizeof ents[0] && !done; k++) {
				size_t l = strlen(ents[k].name);
				if (i + 1 + l <= n && !memcmp(s + i + 1, ents[k].name, l)) {
					c = ents[k].text[0];
					i += l;
					done = true;
				}
			}
			if (!done && i + 2 < n && s[i + 1] == '#') {
				char *end;
				long cp = s[i + 2] == 'x' || s[i + 2] == 'X' ? strtol(s + i + 3, &end, 16) : strtol(s + i + 2, &end, 10);
				if (*end == ';' && cp > 0 && cp < 0x110000) {
					i = (size_t)(end - s);
					if (cp == 0xa0)
						cp = ' ';
					if (cp < 0x80) {
						c = (char)cp;
					} else {
						char u[4];
						int k = 0;
						if (cp < 0x800) {
							u[k++] = (char)(0xc0 | (cp >> 6));
						} else if (cp < 0x10000) {
							u[k++] = (char)(0xe0 | (cp >> 12));
							u[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
						} else {
							u[k++] = (char)(0xf0 | (cp >> 18));
							u[k++] = (char)(0x80 | ((cp >> 12) & 0x3f));
							u[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
						}
						u[k++] = (char)(0x80 | (cp & 0x3f));
						buf_add(b, u, (size_t)k);
						space = false;
						continue;
					}
				}
			}
		}
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			if (!space)
				buf_putc(b, ' ');
			space = true;
			continue;
		}
		buf_putc(b, c);
		space = false;
	}
	while (b->len && b->data[b->len - 1] == ' ')
		buf_truncate(b, b->len - 1);
}

static const char *S_memmem(const char *h, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	if (h >= end)
		return NULL;
	return memmem(h, (size_t)(end - h), needle, n);
}

/* --- the table of contents ---------------------------------------------------- */

void pdf_toc_free(struct toc *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->e[i].id);
		free(t->e[i].title);
	}
	free(t->e);
	t->e = NULL;
	t->n = t->cap = 0;
}

/* The plain text of the first heading at or after the element with id. */
static char *S_heading_of(const char *html, size_t len, const char *id)
{
	char *pat = xasprintf(" id=\"%s\"", id);
	const char *end = html + len;
	const char *p = S_memmem(html, end, pat);
	free(pat);
	if (!p)
		return NULL;
	/* The id may be on the heading itself or on its section. */
	const char *tag = p;
	while (tag > html && *tag != '<')
		tag--;
	for (const char *h = tag; h && h < end; h = S_memmem(h + 1, end, "<h")) {
		if (h[2] < '1' || h[2] > '6')
			continue;
		const char *open_end = memchr(h, '>', (size_t)(end - h));
		char close[6] = { '<', '/', 'h', h[2], '>', 0 };
		const char *c = open_end ? S_memmem(open_end, end, close) : NULL;
		if (!c)
			return NULL;
		struct buf b = BUF_INIT;
		S_plain(&b, open_end + 1, (size_t)(c - open_end - 1));
		return buf_detach(&b, NULL);
	}
	return NULL;
}

/* Collects the span.toc-page[data-for] of html, each with its target's
 * heading (or, failing that, the link text before it). */
void pdf_toc_read(struct toc *t, const char *html, size_t len)
{
	const char *end = html + len;
	static const char mark[] = "class=\"toc-page\" data-for=\"";
	for (const char *p = S_memmem(html, end, mark); p; p = S_memmem(p + 1, end, mark)) {
		const char *id = p + sizeof mark - 1;
		const char *q = memchr(id, '"', (size_t)(end - id));
		if (!q || q == id)
			continue;
		struct toc_entry e = { xstrndup(id, (size_t)(q - id)), NULL, 0 };
		e.title = S_heading_of(html, len, e.id);
		if (!e.title) {
			/* The link text of <a href="#ID">...</a> before the span. */
			char *pat = xasprintf("href=\"#%s\"", e.id);
			const char *a = S_memmem(html, p, pat);
			free(pat);
			const char *gt = a ? memchr(a, '>', (size_t)(p - a)) : NULL;
			const char *ca = gt ? S_memmem(gt, p, "</a>") : NULL;
			struct buf b = BUF_INIT;
			if (ca)
				S_plain(&b, gt + 1, (size_t)(ca - gt - 1));
			e.title = buf_detach(&b, NULL);
		}
		t->e = xgrow(t->e, &t->cap, t->n, sizeof *t->e);
		t->e[t->n++] = e;
	}
}

/* Reads the outline items of pdftohtml -xml output, in document order. */
size_t pdf_outline_parse(struct outline_item **out, const char *xml, size_t len)
{
	size_t n = 0, cap = 0;
	struct outline_item *items = NULL;
	const char *end = xml + len;
	const char *o = S_memmem(xml, end, "<outline>");
	static const char mark[] = "<item page=\"";
	for (const char *p = o ? S_memmem(o, end, mark) : NULL; p; p = S_memmem(p + 1, end, mark)) {
		int page = atoi(p + sizeof mark - 1);
		const char *gt = memchr(p, '>', (size_t)(end - p));
		const char *ce = gt ? S_memmem(gt, end, "</item>") : NULL;
		if (!ce)
			break;
		struct buf b = BUF_INIT;
		S_plain(&b, gt + 1, (size_t)(ce - gt - 1));
		items = xgrow(items, &cap, n, sizeof *items);
		items[n].page = page;
		items[n].text = buf_detach(&b, NULL);
		n++;
	}
	*out = items;
	return n;
}

/* Sets each entry's page from the outline: the entries and the headings
 * are both in document order, so each entry takes the next outline item
 * with its text.  Returns the number of entries found. */
size_t pdf_toc_match(struct toc *t, const struct outline_item *it, size_t n)
{
	size_t cur = 0, found = 0;
	for (size_t i = 0; i < t->n; i++) {
		t->e[i].page = 0;
		if (!t->e[i].title || !*t->e[i].title)
			continue;
		for (size_t k = cur; k < n; k++) {
			if (!strcmp(it[k].text, t->e[i].title)) {
				t->e[i].page = it[k].page;
				cur = k + 1;
				found++;
				break;
			}
		}
	}
	return found;
}

size_t pdf_toc_update(struct toc *t, struct outline_item *it, size_t n)
{
	int *old = xcalloc(t->n ? t->n : 1, sizeof *old);
	for (size_t i = 0; i < t->n; i++)
		old[i] = t->e[i].page;
	pdf_toc_match(t, it, n);
	size_t same = 0;
	for (size_t i = 0; i < t->n; i++)
		same += old[i] == t->e[i].page && old[i] > 0;
	free(old);
	for (size_t i = 0; i < n; i++)
		free(it[i].text);
	free(it);
	return same;
}

/* The CSS that puts title in the running header: Chromium has no
 * string-set, so the header is the document's title as a CSS string. */
char *pdf_title_css(const char *title)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "@page { @top-center { content: \"");
	for (const char *s = title; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_printf(&b, "\\%c", c);
		else if (c == '<' || c == '>' || c == '&' || c < 0x20)
			buf_printf(&b, "\\%x ", c);
		else
			buf_putc(&b, (char)c);
	}
	buf_puts(&b, "\" } } @page toivo-cover { @top-center { content: none } }");
	return buf_detach(&b, NULL);
}

/* html with the numbers written into the toc-page spans and, when title is
 * given, the running header set. */
char *pdf_toc_fill(const char *html, size_t len, const struct toc *t, const char *title)
{
	struct buf b = BUF_INIT;
	const char *end = html + len;
	const char *p = html;
	if (title) {
		const char *h = S_memmem(html, end, "</head>");
		if (h) {
			buf_add(&b, html, (size_t)(h - html));
			char *css = pdf_title_css(title);
			buf_printf(&b, "<style>%s</style>\n", css);
			free(css);
			p = h;
		}
	}
	static const char mark[] = "class=\"toc-page\" data-for=\"";
	size_t idx = 0;
	for (const char *m = S_memmem(p, end, mark); m; m = S_memmem(m + 1, end, mark)) {
		const char *gt = memchr(m, '>', (size_t)(end - m));
		const char *ce = gt ? S_memmem(gt, end, "</span>") : NULL;
		if (!ce)
			break;
		buf_add(&b, p, (size_t)(gt + 1 - p));
		if (idx < t->n && t->e[idx].page > 0)
			buf_printf(&b, "%d", t->e[idx].page);
		idx++;
		p = ce;
	}
	buf_add(&b, p, (size_t)(end - p));
	return buf_detach(&b, NULL);
}

