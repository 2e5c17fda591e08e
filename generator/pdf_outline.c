/* pdf_outline.c - the outline (bookmarks) of a PDF as Chromium writes it:
 * plain objects and a classic cross-reference table, no object streams.
 * Reading it here saves running pdftohtml, which reads every page's text,
 * for each print of a document with a table of contents. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pdf_toc.h"
#include "util.h"

#define OUTLINE_MAX_ITEMS 100000        /* a loop in a broken file ends here */
#define OUTLINE_MAX_DEPTH 64

struct pdfdoc {
	const char *d, *end;
	size_t *offsets;        /* of each object, from the cross-reference tables; 0 = none */
	size_t n_offsets;
	long *pages;            /* object numbers of the pages, in order */
	size_t n_pages, cap_pages;
};

static const char *S_find(const char *h, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = h; p && p + n <= end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p));
		if (!p || p + n > end)
			return NULL;
		if (!memcmp(p, needle, n))
			return p;
	}
	return NULL;
}

/* The dictionary of object num ("<<" of "num 0 obj <<"), or NULL. */
static const char *S_object(const struct pdfdoc *doc, long num)
{
	if (num <= 0 || (size_t)num >= doc->n_offsets || !doc->offsets[num])
		return NULL;
	const char *p = doc->d + doc->offsets[num];
	char *end;
	if (strtol(p, &end, 10) != num)
		return NULL;
	p = S_find(end, end + 16 < doc->end ? end + 16 : doc->end, "obj");
	if (!p)
		return NULL;
	p += 3;
	while (p < doc->end && (*p == ' ' || *p == '\n' || *p == '\r'))
		p++;
	return p + 1 < doc->end && p[0] == '<' && p[1] == '<' ? p : NULL;
}

/* The ")" that ends the literal string starting at p (nested
 * parentheses and escapes skipped), or the last byte before end. */
static const char *S_string_end(const char *p, const char *end)
{
	int paren = 0;
	for (; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '(')
			paren++;
		else if (*p == ')' && --paren == 0)
			return p;
	}
	return end - 1;
}

/* The end of the dictionary that starts at d (its ">>"), nested ones and
 * strings skipped; NULL when it does not end. */
static const char *S_dict_end(const struct pdfdoc *doc, const char *d)
{
	int depth = 0;
	for (const char *p = d; p + 1 < doc->end; p++) {
		if (*p == '(') {
			p = S_string_end(p, doc->end);
		} else if (p[0] == '<' && p[1] == '<') {
			depth++;
			p++;
		} else if (p[0] == '>' && p[1] == '>') {
			if (--depth == 0)
				return p;
			p++;
		}
	}
	return NULL;
}

/* The value of /key in the dictionary [d, e) at its top level, or NULL. */
static const char *S_key(const char *d, const char *e, const char *key)
{
	size_t kl = strlen(key);
	int depth = 0;
	for (const char *p = d; p < e; p++) {
		if (*p == '(') {
			p = S_string_end(p, e);
		} else if (p + 1 < e && p[0] == '<' && p[1] == '<') {
			depth++;
			p++;
		} else if (p + 1 < e && p[0] == '>' && p[1] == '>') {
			depth--;
			p++;
		} else if (depth == 1 && *p == '/' && p + 1 + kl <= e && !memcmp(p + 1, key, kl) &&
			   strchr(" \n\r\t/[<(", p[1 + kl])) {
			p += 1 + kl;
			while (p < e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
				p++;
			return p;
		}
	}
	return NULL;
}

/* The object number of the reference "N G R" at v, or -1. */
static long S_ref_at(const char *v, const char *e)
{
	if (!v || v >= e)
		return -1;
	char *end;
	long n = strtol(v, &end, 10);
	if (end == v || n <= 0)
		return -1;
	strtol(end, &end, 10);
	while (end < e && *end == ' ')
		end++;
	return end < e && *end == 'R' ? n : -1;
}

static long S_ref_key(const struct pdfdoc *doc, long obj, const char *key)
{
	const char *d = S_object(doc, obj);
	const char *e = d ? S_dict_end(doc, d) : NULL;
	return e ? S_ref_at(S_key(d, e, key), e) : -1;
}

/* Adds the pages under the page tree node obj, in order. */
static int S_pages(struct pdfdoc *doc, long obj, int depth)
{
	const char *d = S_object(doc, obj);
	const char *e = d ? S_dict_end(doc, d) : NULL;
	if (!e || depth > OUTLINE_MAX_DEPTH)
		return -1;
	const char *kids = S_key(d, e, "Kids");
	if (!kids) {
		if (doc->n_pages >= OUTLINE_MAX_ITEMS)
			return -1;
		doc->pages = xgrow(doc->pages, &doc->cap_pages, doc->n_pages, sizeof *doc->pages);
		doc->pages[doc->n_pages++] = obj;
		return 0;
	}
	if (*kids != '[')
		return -1;
	const char *close = memchr(kids, ']', (size_t)(e - kids));
	if (!close)
		return -1;
	for (const char *p = kids + 1; p < close;) {
		while (p < close && (*p == ' ' || *p == '\n' || *p == '\r'))
			p++;
		if (p >= close)
			break;
		long kid = S_ref_at(p, close + 1);
		if (kid < 0 || S_pages(doc, kid, depth + 1) < 0)
			return -1;
		const char *r = memchr(p, 'R', (size_t)(close - p));
		if (!r)
			return -1;
		p = r + 1;
	}
	return 0;
}

static void S_utf8(struct buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		buf_putc(b, (char)(0xc0 | (cp >> 6)));
		buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_putc(b, (char)(0xe0 | (cp >> 12)));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_putc(b, (char)(0xf0 | (cp >> 18)));
		buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

static int S_hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The string at v ("(literal)" or "<hex>") as raw bytes in raw. */
static int S_string(struct buf *raw, const char *v, const char *e)
{
	if (!v || v >= e)
		return -1;
	if (*v == '<') {
		int hi = -1;
		for (const char *p = v + 1; p < e && *p != '>'; p++) {
			int x = S_hexval(*p);
			if (x < 0)
				continue;
			if (hi < 0) {
				hi = x;
			} else {
				buf_putc(raw, (char)(hi * 16 + x));
				hi = -1;
			}
		}
		if (hi >= 0)
			buf_putc(raw, (char)(hi * 16));
		return 0;
	}
	if (*v != '(')
		return -1;
	int paren = 1;
	for (const char *p = v + 1; p < e; p++) {
		char c = *p;
		if (c == '\\' && p + 1 < e) {
			c = *++p;
			if (c >= '0' && c <= '7') {
				int x = 0;
				for (int k = 0; k < 3 && p < e && *p >= '0' && *p <= '7'; k++, p++)
					x = x * 8 + (*p - '0');
				p--;
				c = (char)x;
			} else if (c == 'n') {
				c = '\n';
			} else if (c == 'r') {
				c = '\r';
			} else if (c == 't') {
				c = '\t';
			} else if (c == '\n') {
				continue;
			}
		} else if (c == '(') {
			paren++;
		} else if (c == ')' && --paren == 0) {
			return 0;
		}
		buf_putc(raw, c);
	}
	return -1;
}

/* A text string (UTF-16BE with its mark, or PDFDocEncoding read as
 * Latin-1) as UTF-8 with white space collapsed, as pdftohtml gives it. */
static char *S_text(const struct buf *raw)
{
	struct buf u = BUF_INIT;
	const unsigned char *s = (const unsigned char *)raw->data;
	size_t n = raw->len;
	if (n >= 2 && s[0] == 0xfe && s[1] == 0xff) {
		for (size_t i = 2; i + 1 < n; i += 2) {
			unsigned long cp = (unsigned long)s[i] << 8 | s[i + 1];
			if (cp >= 0xd800 && cp < 0xdc00 && i + 3 < n) {
				unsigned long lo = (unsigned long)s[i + 2] << 8 | s[i + 3];
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			}
			S_utf8(&u, cp);
		}
	} else {
		for (size_t i = 0; i < n; i++)
			S_utf8(&u, s[i]);
	}
	struct buf b = BUF_INIT;
	bool space = true;
	for (size_t i = 0; i < u.len; i++) {
		char c = u.data[i];
		/* No-break space (C2 A0) counts as space too. */
		if ((unsigned char)c == 0xc2 && i + 1 < u.len && (unsigned char)u.data[i + 1] == 0xa0) {
			c = ' ';
			i++;
		}
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
			if (!space)
				buf_putc(&b, ' ');
			space = true;
			continue;
		}
		buf_putc(&b, c);
		space = false;
	}
	while (b.len && b.data[b.len - 1] == ' ')
		b.data[--b.len] = 0;
	buf_free(&u);
	return buf_detach(&b, NULL);
}

/* Appends item obj, its children and its next siblings to out. */
static int S_items(struct pdfdoc *doc, long obj, int depth, struct outline_item **out, size_t *n, size_t *cap)
{
	for (; obj > 0; obj = S_ref_key(doc, obj, "Next")) {
		if (depth > OUTLINE_MAX_DEPTH || *n >= OUTLINE_MAX_ITEMS)
			return -1;
		const char *d = S_object(doc, obj);
		const char *e = d ? S_dict_end(doc, d) : NULL;
		if (!e)
			return -1;
		struct buf raw = BUF_INIT;
		if (S_string(&raw, S_key(d, e, "Title"), e) < 0) {
			buf_free(&raw);
			return -1;
		}
		int page = 0;
		const char *dest = S_key(d, e, "Dest");
		long pobj = dest && *dest == '[' ? S_ref_at(dest + 1, e) : -1;
		for (size_t i = 0; pobj > 0 && i < doc->n_pages; i++)
			if (doc->pages[i] == pobj)
				page = (int)i + 1;
		*out = xgrow(*out, cap, *n, sizeof **out);
		(*out)[*n].page = page;
		(*out)[*n].text = S_text(&raw);
		(*n)++;
		buf_free(&raw);
		long first = S_ref_at(S_key(d, e, "First"), e);
		if (first > 0 && S_items(doc, first, depth + 1, out, n, cap) < 0)
			return -1;
	}
	return 0;
}

/* Reads the cross-reference sections from the last one back (the newest
 * entry of an object wins) and returns the newest trailer's /Root, or -1. */
static long S_xref(struct pdfdoc *doc)
{
	const char *sx = NULL;
	for (const char *p = S_find(doc->d, doc->end, "startxref"); p; p = S_find(p + 1, doc->end, "startxref"))
		sx = p;
	if (!sx)
		return -1;
	long off = strtol(sx + 9, NULL, 10), root = -1;
	for (int sections = 0; off > 0 && (size_t)off < (size_t)(doc->end - doc->d) && sections < 64; sections++) {
		const char *p = doc->d + off;
		if (strncmp(p, "xref", 4))
			return -1;
		p += 4;
		for (;;) {
			char *end;
			while (p < doc->end && (*p == ' ' || *p == '\n' || *p == '\r'))
				p++;
			if (p >= doc->end || *p < '0' || *p > '9')
				break;
			long first = strtol(p, &end, 10);
			long count = strtol(end, &end, 10);
			p = end;
			while (p < doc->end && (*p == ' ' || *p == '\r'))
				p++;
			if (p < doc->end && *p == '\n')
				p++;
			if (first < 0 || count < 0 || first + count > OUTLINE_MAX_ITEMS * 10 || p + count * 20 > doc->end)
				return -1;
			if ((size_t)(first + count) > doc->n_offsets) {
				doc->offsets = xrealloc(doc->offsets, (size_t)(first + count) * sizeof *doc->offsets);
				memset(doc->offsets + doc->n_offsets, 0, ((size_t)(first + count) - doc->n_offsets) * sizeof *doc->offsets);
				doc->n_offsets = (size_t)(first + count);
			}
			for (long i = 0; i < count; i++, p += 20)
				if (p[17] == 'n' && !doc->offsets[first + i])
					doc->offsets[first + i] = (size_t)strtoul(p, NULL, 10);
		}
		const char *td = S_find(p, doc->end, "<<");
		const char *te = td && !strncmp(p, "trailer", 7) ? S_dict_end(doc, td) : NULL;
		if (!te)
			return -1;
		if (root < 0)
			root = S_ref_at(S_key(td, te, "Root"), te);
		const char *prev = S_key(td, te, "Prev");
		off = prev ? strtol(prev, NULL, 10) : 0;
	}
	return root;
}

long pdf_outline_read(struct outline_item **out, const char *pdf, size_t len)
{
	*out = NULL;
	struct pdfdoc doc = { .d = pdf, .end = pdf + len };
	size_t n = 0, cap = 0;
	long r = -1;
	long root = S_xref(&doc);
	long pages = root > 0 ? S_ref_key(&doc, root, "Pages") : -1;
	if (pages < 0 || S_pages(&doc, pages, 0) < 0)
		goto out;
	long outlines = S_ref_key(&doc, root, "Outlines");
	long first = outlines > 0 ? S_ref_key(&doc, outlines, "First") : -1;
	if (first > 0 && S_items(&doc, first, 0, out, &n, &cap) < 0)
		goto out;
	r = (long)n;
out:
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			free((*out)[i].text);
		free(*out);
		*out = NULL;
	}
	free(doc.pages);
	free(doc.offsets);
	return r;
}
