/* plaintext.c - a page's plain text for the search index (see
 * plaintext.h): text from cmark-gfm's tree as markdown.c hands it over,
 * and HTML fragments (hook output, raw HTML) in one pass each. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "plaintext.h"
#include "utf8.h"
#include "util.h"

/* An ASCII letter or digit. */
static inline bool S_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

#define S_TEXT_LEN(x) ((size_t)((x)->o - (x)->text.data))

enum tag_kind { TAG_BLOCK, TAG_INLINE, TAG_SKIP };

/* What the element `name` (len letters and digits, any case) is:
 * TAG_INLINE for those whose text runs on with the words around them,
 * TAG_SKIP for those whose content is not text to search, TAG_BLOCK for
 * the rest.  Called for every tag, so it looks only at the names that
 * start with the same letter. */
static enum tag_kind S_tag_kind(const char *name, size_t len)
{
	/* By first letter: the inline names, then '|', then the skipped. */
	static const char *const known[26] = {
		['a' - 'a'] = " a abbr |",
		['b' - 'a'] = " b bdi bdo |",
		['c' - 'a'] = " cite code |",
		['d' - 'a'] = " data dfn |",
		['e' - 'a'] = " em |",
		['i' - 'a'] = " i |",
		['k' - 'a'] = " kbd |",
		['m' - 'a'] = " mark | math ",
		['n' - 'a'] = " | noscript ",
		['q' - 'a'] = " q |",
		['s' - 'a'] = " s samp small span strong sub sup | script style svg ",
		['t' - 'a'] = " time | template ",
		['u' - 'a'] = " u |",
		['v' - 'a'] = " var |",
		['w' - 'a'] = " wbr |",
	};
	char low[10];
	unsigned first = (unsigned)(name[0] | 0x20) - 'a';
	if (len > 8 || first >= 26 || !known[first])
		return TAG_BLOCK;
	low[0] = ' ';
	for (size_t i = 0; i < len; i++)
		low[i + 1] = (char)(name[i] | 0x20);   /* letters to lower case, digits kept */
	low[len + 1] = ' ';
	const char *hit = memmem(known[first], strlen(known[first]), low, len + 2);
	if (!hit)
		return TAG_BLOCK;
	return hit < strchr(known[first], '|') ? TAG_INLINE : TAG_SKIP;
}

/* The end of the tag that starts at s ('<'): the '>' outside quotes, or
 * the string's end. */
static const char *S_tag_end(const char *s)
{
	char q = 0;
	for (s++; *s; s++) {
		if (q) {
			if (*s == q)
				q = 0;
		} else if (*s == '"' || *s == '\'') {
			q = *s;
		} else if (*s == '>') {
			return s;
		}
	}
	return s;
}

/* After an opening tag `name` ends at s: past its matching end tag (same
 * name, nesting counted), or the string's end. */
static const char *S_skip_element(const char *s, const char *name, size_t len)
{
	int depth = 1;
	while (*s) {
		const char *lt = strchr(s, '<');
		if (!lt)
			return s + strlen(s);
		bool close = lt[1] == '/';
		const char *nm = lt + 1 + close;
		const char *end = S_tag_end(lt);
		if (!strncasecmp(nm, name, len) && !((nm[len] >= 'a' && nm[len] <= 'z') || (nm[len] >= '0' && nm[len] <= '9'))) {
			if (close)
				depth--;
			else if (end[0] && end[-1] != '/')
				depth++;
			if (depth == 0)
				return *end ? end + 1 : end;
		}
		s = *end ? end + 1 : end;
	}
	return s;
}

/* The value of attribute `attr` between a and e, or NULL; caller frees. */
static char *S_attr(const char *a, const char *e, const char *attr)
{
	size_t n = strlen(attr);
	for (const char *p = a; p + n + 2 < e; p++) {
		if ((p[-1] == ' ' || p[-1] == '\n' || p[-1] == '\t') && !strncmp(p, attr, n) && p[n] == '=' &&
		    (p[n + 1] == '"' || p[n + 1] == '\'')) {
			const char *v = p + n + 2;
			const char *q = memchr(v, p[n + 1], (size_t)(e - v));
			return q ? xstrndup(v, (size_t)(q - v)) : NULL;
		}
	}
	return NULL;
}

/* Adds code point cp to the text: white space (also U+00A0) only makes a
 * space due, a soft hyphen is dropped. */
static void S_text_cp(struct plaintext *x, uint32_t cp)
{
	if (cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r' || cp == '\f' || cp == 0xa0) {
		x->space = true;
		return;
	}
	if (cp == 0xad)         /* soft hyphen */
		return;
	if (x->space && x->o > x->text.data)
		*x->o++ = ' ';
	x->space = false;
	x->o = utf8_encode(x->o, cp);
}

/* Decodes the entity at s ('&'); returns the bytes it takes. */
static size_t S_entity(struct plaintext *x, const char *s)
{
	static const struct { char name[8]; unsigned char len; uint32_t cp; } named[] = {
		{ "amp;", 4, '&' }, { "lt;", 3, '<' }, { "gt;", 3, '>' }, { "quot;", 5, '"' }, { "apos;", 5, '\'' },
		{ "nbsp;", 5, 0xa0 }, { "shy;", 4, 0xad }, { "ndash;", 6, 0x2013 }, { "mdash;", 6, 0x2014 },
		{ "hellip;", 7, 0x2026 },
	};
	if (s[1] == '#') {
		char *end;
		bool hex = s[2] == 'x' || s[2] == 'X';
		unsigned long v = strtoul(s + 2 + hex, &end, hex ? 16 : 10);
		if (end > s + 2 + hex && *end == ';' && v > 0 && v <= 0x10ffff) {
			S_text_cp(x, (uint32_t)v);
			return (size_t)(end + 1 - s);
		}
	} else {
		for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
			if (!strncmp(s + 1, named[i].name, named[i].len)) {
				S_text_cp(x, named[i].cp);
				return named[i].len + 1u;
			}
		}
	}
	S_text_cp(x, '&');
	return 1;
}

/* Byte classes for the text between tags. */
enum { C_TEXT, C_SPACE, C_LT, C_AMP, C_END, C_UTF8 };
#define U8(c) [c] = C_UTF8, [c + 1] = C_UTF8, [c + 2] = C_UTF8, [c + 3] = C_UTF8
#define U32(c) U8(c), U8(c + 4), U8(c + 8), U8(c + 12), U8(c + 16), U8(c + 20), U8(c + 24), U8(c + 28)
#define S_RUN_CLASSES \
	[0] = C_END, ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE, \
	U32(0x80), U32(0xa0), U32(0xc0), U32(0xe0)
#define S_CLASSES S_RUN_CLASSES, [' '] = C_SPACE
/* In HTML; in plain text (plaintext_add) '<' and '&' are text too.  The
 * _run tables are the same with the space as text: what S_run goes on
 * over. */
static const unsigned char S_class[256] = { S_CLASSES, ['<'] = C_LT, ['&'] = C_AMP };
static const unsigned char S_plain[256] = { S_CLASSES };
static const unsigned char S_class_run[256] = { S_RUN_CLASSES, ['<'] = C_LT, ['&'] = C_AMP };
static const unsigned char S_plain_run[256] = { S_RUN_CLASSES };
#undef S_CLASSES
#undef S_RUN_CLASSES
#undef U32
#undef U8

/* Whether s[0..n) has two spaces in a row, eight bytes at a time: a
 * byte's top bit marks a space exactly (no borrow runs between bytes). */
static inline bool S_two_spaces(const char *s, size_t n)
{
	const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fu, sp = 0x2020202020202020u;
	bool prev = false;      /* the byte before is a space */
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t v;
		memcpy(&v, s + i, 8);
		v ^= sp;
		uint64_t m = ~(((v & lo7) + lo7) | v | lo7);  /* 0x80 where a space is */
		/* Neighbouring bytes are neighbouring in the word in either
		 * byte order; across words, the bytes themselves. */
		if ((m & (m << 8)) || (prev && s[i] == ' '))
			return true;
		prev = s[i + 7] == ' ';
	}
	for (; i < n; i++) {
		bool here = s[i] == ' ';
		if (prev && here)
			return true;
		prev = here;
	}
	return false;
}

/* Copies the run of text at s (a C_TEXT byte of table run) to x->o, words
 * with the spaces between them included, in one go; returns its end.  The
 * run is found first (it goes on over spaces: a branch at every word end
 * was the cost of a byte-at-a-time loop), then copied with each run of
 * spaces as one; spaces at its end make a space due. */
static inline const char *S_run(struct plaintext *x, const char *s, const unsigned char *run)
{
	char *o = x->o;
	if (x->space && o > x->text.data)
		*o++ = ' ';
	const char *a = s;
	do
		s++;
	while (run[(unsigned char)*s] == C_TEXT);
	const char *e = s;
	while (e[-1] == ' ')
		e--;
	x->space = e < s;
	for (const char *d; S_two_spaces(a, (size_t)(e - a)) && (d = memmem(a, (size_t)(e - a), "  ", 2));) {
		memcpy(o, a, (size_t)(d + 1 - a));
		o += d + 1 - a;
		for (a = d + 1; *a == ' '; a++)
			;
	}
	memcpy(o, a, (size_t)(e - a));
	x->o = o + (e - a);
	return s;
}

/* The tag at s ('<', not a comment): updates x and returns where the text
 * goes on. */
static const char *S_tag(struct plaintext *x, const char *s)
{
	const char *end = S_tag_end(s);
	bool close = s[1] == '/';
	const char *name = s + 1 + close;
	size_t len = 0;
	while (S_alnum((unsigned char)name[len]))
		len++;
	const char *next = *end ? end + 1 : end;
	if (len == 0) {         /* a lone '<' in text */
		S_text_cp(x, '<');
		return s + 1;
	}
	enum tag_kind kind = S_tag_kind(name, len);
	bool selfclosing = end[-1] == '/';
	if (!close && !selfclosing && *end &&
	    (kind == TAG_SKIP || memmem(name, (size_t)(end - name), "aria-hidden=\"true\"", 18)))
		return S_skip_element(next, name, len);
	bool heading = len == 2 && (name[0] == 'h' || name[0] == 'H') && (name[1] == '2' || name[1] == '3');
	if (heading && !close && !x->in_heading) {
		char *id = S_attr(name + len, end, "id");
		if (id) {
			size_t at = S_TEXT_LEN(x);
			x->h = xgrow(x->h, &x->cap_h, x->n_h + 1, sizeof *x->h);
			x->h[x->n_h++] = (struct plaintext_heading){ .start = at, .end = at, .id = id };
			x->in_heading = true;
		}
	} else if (heading && close && x->in_heading) {
		x->h[x->n_h - 1].end = S_TEXT_LEN(x);
		x->in_heading = false;
	}
	if (kind != TAG_INLINE)
		x->space = true;
	return next;
}

/* Appends html's plain text to x->text, in one pass.
 *
 * The text is written through x->o into a buffer sized for the worst
 * case: no piece of the HTML gives more than twice its bytes, and one
 * space may be due from before it.  A character gives at most its own
 * bytes (an entity of n >= 4 bytes at most 4), except a stray byte,
 * re-encoded as two; and each later space written stands for white space
 * or a tag of at least one byte that gave none. */
void plaintext_html(struct plaintext *x, const char *html)
{
	size_t n = strlen(html);
	const char *s = html;
	const char *stop = html + n;
	bool was_in_heading = x->in_heading;
	buf_grow(&x->text, 2 * n + 1);
	x->o = x->text.data + x->text.len;
	for (;;) {
		unsigned char c = (unsigned char)*s;
		switch (S_class[c]) {
		case C_TEXT:
			s = S_run(x, s, S_class_run);
			break;
		case C_SPACE:
			x->space = true;
			s++;
			break;
		case C_LT:
			if (s[1] == '!' && s[2] == '-' && s[3] == '-') {
				const char *e = strstr(s + 4, "-->");
				s = e ? e + 3 : stop;
			} else {
				s = S_tag(x, s);
			}
			break;
		case C_AMP:
			s += S_entity(x, s);
			break;
		case C_UTF8: {
			uint32_t cp;
			size_t len = utf8_decode((const unsigned char *)s, (size_t)(stop - s), &cp);
			S_text_cp(x, cp);
			s += len;
			break;
		}
		default:        /* C_END */
			x->text.len = S_TEXT_LEN(x);
			x->text.data[x->text.len] = '\0';
			/* A heading the fragment opened ends with it. */
			if (x->in_heading && !was_in_heading)
				plaintext_heading_end(x);
			return;
		}
	}
}

void plaintext_add(struct plaintext *x, const char *s)
{
	size_t len = strlen(s);
	const char *stop = s + len;
	buf_grow(&x->text, 2 * len + 1);
	x->o = x->text.data + x->text.len;
	for (;;) {
		switch (S_plain[(unsigned char)*s]) {
		case C_TEXT:
			s = S_run(x, s, S_plain_run);
			break;
		case C_SPACE:
			x->space = true;
			s++;
			break;
		case C_UTF8: {
			uint32_t cp;
			s += utf8_decode((const unsigned char *)s, (size_t)(stop - s), &cp);
			S_text_cp(x, cp);
			break;
		}
		default:        /* C_END */
			x->text.len = S_TEXT_LEN(x);
			x->text.data[x->text.len] = '\0';
			return;
		}
	}
}

void plaintext_break(struct plaintext *x)
{
	x->space = true;
}

void plaintext_heading_begin(struct plaintext *x, const char *id)
{
	if (x->in_heading)
		return;
	x->space = true;
	x->h = xgrow(x->h, &x->cap_h, x->n_h + 1, sizeof *x->h);
	x->h[x->n_h++] = (struct plaintext_heading){ .start = x->text.len, .end = x->text.len, .id = xstrdup(id) };
	x->in_heading = true;
}

void plaintext_heading_end(struct plaintext *x)
{
	if (!x->in_heading)
		return;
	x->h[x->n_h - 1].end = x->text.len;
	x->in_heading = false;
	x->space = true;
}

void plaintext_free(struct plaintext *x)
{
	for (size_t i = 0; i < x->n_h; i++)
		free(x->h[i].id);
	free(x->h);
	buf_free(&x->text);
	*x = (struct plaintext){ 0 };
}
