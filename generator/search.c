/* search.c - the site search index: each page's title, module, URL,
 * headings and plain text, written per language as a script that
 * themes/default/assets/search.js reads.  See search.h for the format.
 *
 * The plain text comes from the page's content HTML in one pass (tags
 * dropped, entities decoded, hidden and graphic elements skipped); the
 * text past SEARCH_TEXT_MAX bytes is kept only as a list of distinct
 * accent-folded words, so a long page costs its vocabulary, not its text.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "hmap.h"
#include "output.h"
#include "search.h"
#include "site.h"
#include "util.h"
#include "value.h"

/* ------------------------------------------------------------------ */
/* UTF-8 and folding                                                    */
/* ------------------------------------------------------------------ */

/* Decodes one code point at s (at most n bytes) into *cp; returns its
 * length (a stray byte is taken as itself, length 1). */
static size_t S_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
	if (len == 1 || len > n) {
		*cp = c;
		return 1;
	}
	uint32_t v = c & (0x7fu >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = c;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3f);
	}
	*cp = v;
	return len;
}

/* Writes cp as UTF-8 at o (room for 4 bytes); returns the end.  A stray
 * byte decoded by S_utf8 as itself (0x80..0xff) comes out as two bytes,
 * an overlong form as its shortest one. */
static char *S_put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | (cp >> 18));
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/* U+00C0..U+017F without their accents, lower case.  '1' = "ae", '2' =
 * "th", '3' = "ss", '4' = "ij", '5' = "oe", '.' = not a letter (x and /). */
static const char S_latin1[] =
	"aaaaaa1ceeeeiiiidnooooo.ouuuuy23"   /* C0..DF */
	"aaaaaa1ceeeeiiiidnooooo.ouuuuy2y";  /* E0..FF */
static const char S_latin_a[] =
	"aaaaaa" "cccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii"
	"44" "jj" "kkk" "llllllllll" "nnnnnnnnn" "oooooo" "55" "rrrrrr"
	"ssssssss" "tttttt" "uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";
_Static_assert(sizeof S_latin1 == 65, "one letter per code point U+00C0..U+00FF");
_Static_assert(sizeof S_latin_a == 129, "one letter per code point U+0100..U+017F");

/* ASCII folded: A-Z in lower case, the rest as it is. */
static inline char S_lower(unsigned char c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}
/* ASCII bytes folded for the index: a digit, a letter in lower case, 0 for
 * the bytes between words (see S_word_cp). */
static const unsigned char S_ascii_fold[128] = {
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	 48,  49,  50,  51,  52,  53,  54,  55,  56,  57,   0,   0,   0,   0,   0,   0,
	  0,  97,  98,  99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
	112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,   0,   0,   0,   0,   0,
	  0,  97,  98,  99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
	112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,   0,   0,   0,   0,   0,
};

/* A letter or digit of ASCII: a byte that folds to something. */
static inline bool S_ascii_word(unsigned char c)
{
	return c < 0x80 && S_ascii_fold[c];
}

/* Writes code point cp (not ASCII, already decoded from in, its n bytes
 * of canonical UTF-8 when n > 0) folded at o (room for 4 bytes); returns
 * the end.  With n == 0 the code point is encoded afresh. */
static char *S_fold_cp(char *o, uint32_t cp, const char *in, size_t n)
{
	char f = 0;
	if (cp >= 0xc0 && cp <= 0xff)
		f = S_latin1[cp - 0xc0];
	else if (cp >= 0x100 && cp <= 0x17f)
		f = S_latin_a[cp - 0x100];
	switch (f) {
	case 0:
	case '.':
		if (n) {
			memcpy(o, in, n);
			return o + n;
		}
		return S_put_utf8(o, cp);
	case '1': *o++ = 'a'; *o++ = 'e'; return o;
	case '2': *o++ = 't'; *o++ = 'h'; return o;
	case '3': *o++ = 's'; *o++ = 's'; return o;
	case '4': *o++ = 'i'; *o++ = 'j'; return o;
	case '5': *o++ = 'o'; *o++ = 'e'; return o;
	default: *o++ = f; return o;
	}
}

void search_fold(struct buf *out, const char *s, size_t len)
{
	/* At most two bytes out for one in (a stray byte is re-encoded, ß is
	 * "ss"), so the buffer is sized once and written directly. */
	buf_grow(out, 2 * len);
	const unsigned char *u = (const unsigned char *)s;
	char *o = out->data + out->len;
	for (size_t i = 0; i < len;) {
		if (u[i] < 0x80) {
			*o++ = S_lower(u[i++]);
			continue;
		}
		uint32_t cp;
		size_t n = S_utf8(u + i, len - i, &cp);
		if (cp < 0x80)          /* an overlong form */
			*o++ = S_lower((unsigned char)cp);
		else
			o = S_fold_cp(o, cp, NULL, 0);
		i += n;
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
}

/* A letter or digit, as far as splitting words goes: ASCII letters and
 * digits, and everything past ASCII except the common punctuation,
 * symbol and space blocks.  Folding keeps this property: a code point is
 * a word character exactly when its folded form is. */
static bool S_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return S_ascii_word((unsigned char)cp);
	if (cp < 0xc0 || cp == 0xd7 || cp == 0xf7)
		return false;
	if ((cp >= 0x2000 && cp <= 0x2bff) || (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xfe00 && cp <= 0xfe6f))
		return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* HTML to plain text                                                   */
/* ------------------------------------------------------------------ */

struct heading {
	size_t start, end;      /* bytes of the text */
	char *id;
};

/* The text is written straight into text->data, sized beforehand (see
 * S_extract), through the pointer o; text->len is set at the end. */
struct extract {
	struct buf *text;
	char *o;                /* where the next byte of text goes */
	bool space;             /* a space is due before the next character */
	struct heading *h;
	size_t n_h, cap_h;
	bool in_heading;
};

#define S_TEXT_LEN(x) ((size_t)((x)->o - (x)->text->data))

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
static void S_text_cp(struct extract *x, uint32_t cp)
{
	if (cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r' || cp == '\f' || cp == 0xa0) {
		x->space = true;
		return;
	}
	if (cp == 0xad)         /* soft hyphen */
		return;
	if (x->space && x->o > x->text->data)
		*x->o++ = ' ';
	x->space = false;
	x->o = S_put_utf8(x->o, cp);
}

/* Decodes the entity at s ('&'); returns the bytes it takes. */
static size_t S_entity(struct extract *x, const char *s)
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
static const unsigned char S_class[256] = {
	[0] = C_END, ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE, [' '] = C_SPACE,
	['<'] = C_LT, ['&'] = C_AMP,
#define U8(c) [c] = C_UTF8, [c + 1] = C_UTF8, [c + 2] = C_UTF8, [c + 3] = C_UTF8
#define U32(c) U8(c), U8(c + 4), U8(c + 8), U8(c + 12), U8(c + 16), U8(c + 20), U8(c + 24), U8(c + 28)
	U32(0x80), U32(0xa0), U32(0xc0), U32(0xe0),
#undef U32
#undef U8
};

/* The tag at s ('<', not a comment): updates x and returns where the text
 * goes on. */
static const char *S_tag(struct extract *x, const char *s)
{
	const char *end = S_tag_end(s);
	bool close = s[1] == '/';
	const char *name = s + 1 + close;
	size_t len = 0;
	while (S_ascii_word((unsigned char)name[len]))
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
			x->h[x->n_h++] = (struct heading){ .start = at, .end = at, .id = id };
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
 * case: no piece of the HTML gives more than twice its bytes.  A
 * character gives at most its own bytes (an entity of n >= 4 bytes at
 * most 4), except a stray byte, re-encoded as two; and each space written
 * stands for white space or a tag of at least one byte that gave none. */
static void S_extract(struct extract *x, const char *html)
{
	size_t n = strlen(html);
	const char *s = html;
	const char *stop = html + n;
	buf_grow(x->text, 2 * n);
	x->o = x->text->data + x->text->len;
	for (;;) {
		unsigned char c = (unsigned char)*s;
		switch (S_class[c]) {
		case C_TEXT: {
			/* A run of ASCII text, copied as it is, words with one
			 * space between them included. */
			char *o = x->o;
			if (x->space && o > x->text->data)
				*o++ = ' ';
			x->space = false;
			for (;;) {
				do
					*o++ = *s++;
				while (S_class[(unsigned char)*s] == C_TEXT);
				if (s[0] != ' ' || S_class[(unsigned char)s[1]] != C_TEXT)
					break;
				*o++ = *s++;
			}
			x->o = o;
			break;
		}
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
			size_t len = S_utf8((const unsigned char *)s, (size_t)(stop - s), &cp);
			S_text_cp(x, cp);
			s += len;
			break;
		}
		default:        /* C_END */
			if (x->in_heading) {
				x->h[x->n_h - 1].end = S_TEXT_LEN(x);
				x->in_heading = false;
			}
			x->text->len = S_TEXT_LEN(x);
			x->text->data[x->text->len] = '\0';
			return;
		}
	}
}

void search_plain_text(struct buf *text, const char *html)
{
	struct extract x = { .text = text };
	S_extract(&x, html);
	for (size_t i = 0; i < x.n_h; i++)
		free(x.h[i].id);
	free(x.h);
}

/* ------------------------------------------------------------------ */
/* records                                                              */
/* ------------------------------------------------------------------ */

/* Bytes that need more than a copy in a JSON string: '"', '\\', control
 * characters, '<' (so the JSON can sit in a <script> element) and 0xe2,
 * which may start U+2028 or U+2029 (line ends in older JavaScript). */
static const unsigned char S_json_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1, ['<'] = 1, [0xe2] = 1,
};

/* Appends s (len bytes) as a JSON string, as value_json_string() does:
 * runs of plain bytes are copied whole. */
static void S_json(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	buf_grow(b, len + 2);
	char *o = b->data + b->len;
	*o++ = '"';
	size_t i = 0;
	for (;;) {
		size_t run = i;
		while (run < len && !S_json_special[u[run]])
			run++;
		memcpy(o, s + i, run - i);
		o += run - i;
		i = run;
		if (i == len)
			break;
		/* At most 6 bytes for this one; room for the rest as well. */
		b->len = (size_t)(o - b->data);
		buf_grow(b, 6 + (len - i) + 1);
		o = b->data + b->len;
		unsigned c = u[i++];
		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if (c == 0xe2 && i + 1 < len && u[i] == 0x80 && (u[i + 1] == 0xa8 || u[i + 1] == 0xa9)) {
			memcpy(o, u[i + 1] == 0xa8 ? "\\u2028" : "\\u2029", 6);
			o += 6;
			i += 2;
		} else if (c == 0xe2) {
			*o++ = (char)c;
		} else {        /* a control character or '<' */
			memcpy(o, "\\u00", 4);
			o[4] = hex[c >> 4];
			o[5] = hex[c & 15];
			o += 6;
		}
	}
	*o++ = '"';
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}

static void S_json_str(struct buf *b, const char *s)
{
	S_json(b, s ? s : "", s ? strlen(s) : 0);
}

/* The distinct words of the text: an open-addressing hash set of words
 * kept in one buffer (arena), each by its offset and length there. */
struct word_slot {
	size_t off, len;        /* len 0: an empty slot */
	uint32_t hash;
};
struct word_set {
	struct buf *arena;
	struct word_slot *slot;
	size_t mask, n;         /* capacity - 1, words in the set */
};

/* Inserts the word at arena offset off (len bytes, hash h); false when it
 * was there already. */
static bool S_word_add(struct word_set *ws, size_t off, size_t len, uint32_t h)
{
	const char *w = ws->arena->data + off;
	size_t i = h & ws->mask;
	for (; ws->slot[i].len; i = (i + 1) & ws->mask) {
		const struct word_slot *e = &ws->slot[i];
		if (e->hash == h && e->len == len && !memcmp(ws->arena->data + e->off, w, len))
			return false;
	}
	ws->slot[i] = (struct word_slot){ .off = off, .len = len, .hash = h };
	if (++ws->n * 2 > ws->mask) {          /* over half full: double */
		size_t cap = (ws->mask + 1) * 2;
		struct word_slot *t = xcalloc(cap, sizeof *t);
		for (size_t k = 0; k <= ws->mask; k++) {
			if (!ws->slot[k].len)
				continue;
			size_t j = ws->slot[k].hash & (cap - 1);
			while (t[j].len)
				j = (j + 1) & (cap - 1);
			t[j] = ws->slot[k];
		}
		free(ws->slot);
		ws->slot = t;
		ws->mask = cap - 1;
	}
	return true;
}

/* The hash of the word w (len bytes): a rotate and an exclusive or a
 * byte, then a multiply to spread it (the bytes were just written one by
 * one, which wider loads would wait for). */
static uint32_t S_hash(const char *w, size_t len)
{
	uint64_t h = len;
	for (size_t i = 0; i < len; i++)
		h = ((h << 5) | (h >> 59)) ^ (unsigned char)w[i];
	h *= 0x9e3779b97f4a7c15u;
	return (uint32_t)(h >> 32);
}

/* The words of text t[0..len) (as S_word_cp splits them), accent-folded,
 * lower case, of two bytes or more, that ws has not seen are added to it.
 * With emit, they are also kept in the arena after its length at the
 * call, joined by spaces; without, the arena past that keeps no meaning
 * (the set's words sit there unseparated).
 *
 * Each word is folded straight to the arena's end, then kept or dropped.
 * The arena has room for 2 * len more bytes: a word folds to at most its
 * own bytes (t is canonical UTF-8, as S_extract writes it) and a space
 * joins words of two bytes or more. */
static void S_words(struct word_set *ws, const char *t, size_t len, bool emit)
{
	const unsigned char *u = (const unsigned char *)t;
	struct buf *a = ws->arena;
	size_t first = a->len;          /* where this call's words begin */
	buf_grow(a, 2 * len);
	char *o = a->data + a->len;
	size_t i = 0;
	while (i < len) {
		/* Past the characters between words. */
		uint32_t cp;
		size_t n;
		if (u[i] < 0x80) {
			if (!S_ascii_fold[u[i]]) {
				i++;
				continue;
			}
		} else {
			n = S_utf8(u + i, len - i, &cp);
			if (!S_word_cp(cp)) {
				i += n;
				continue;
			}
		}
		/* A word: folded to the arena's end, after a space when emitted
		 * and not the first. */
		char *mark = o;
		if (emit && o > a->data + first)
			*o++ = ' ';
		char *w = o;
		while (i < len) {
			if (u[i] < 0x80) {
				char f = (char)S_ascii_fold[u[i]];
				if (!f)
					break;
				*o++ = f;
				i++;
			} else {
				n = S_utf8(u + i, len - i, &cp);
				if (!S_word_cp(cp))
					break;
				o = S_fold_cp(o, cp, t + i, n);
				i += n;
			}
		}
		size_t wlen = (size_t)(o - w);
		uint32_t h = S_hash(w, wlen);
		if (wlen < 2 || !S_word_add(ws, (size_t)(w - a->data), wlen, h))
			o = mark;               /* too short, or seen */
	}
	a->len = (size_t)(o - a->data);
	a->data[a->len] = '\0';
}

char *search_page(const struct site *s, const struct page *p, const char *html)
{
	(void)s;
	if (p->kind == PAGE_404 || p->draft)
		return NULL;
	const struct value *flag = value_get(p->fm, "search");
	if (flag && !value_truthy(flag))
		return NULL;
	struct buf text = BUF_INIT;
	struct extract x = { .text = &text };
	S_extract(&x, html ? html : "");

	struct buf r = BUF_INIT;
	buf_grow(&r, 256 + (text.len < SEARCH_TEXT_MAX ? text.len : SEARCH_TEXT_MAX) * 5 / 4);
	buf_putc(&r, '[');
	S_json_str(&r, p->title);
	buf_putc(&r, ',');
	S_json_str(&r, p->module && p->module != p ? p->module->title : "");
	buf_putc(&r, ',');
	/* The URL from the language's root: drop "fi/". */
	const char *rel = strchr(p->path, '/');
	rel = rel ? rel + 1 : p->path;
	char *url = xasprintf("%sindex.html", rel);
	S_json_str(&r, url);
	free(url);
	buf_puts(&r, ",[");
	bool first = true;
	for (size_t i = 0; i < x.n_h; i++) {
		size_t a = x.h[i].start, e = x.h[i].end;
		while (a < e && text.data[a] == ' ')
			a++;
		while (e > a && text.data[e - 1] == ' ')
			e--;
		if (e > a) {
			buf_puts(&r, first ? "[" : ",[");
			first = false;
			S_json(&r, text.data + a, e - a);
			buf_putc(&r, ',');
			S_json_str(&r, x.h[i].id);
			buf_putc(&r, ']');
		}
		free(x.h[i].id);
	}
	free(x.h);
	buf_puts(&r, "],");

	/* The text up to the cut, at a space and never inside a character. */
	size_t cut = text.len;
	if (cut > SEARCH_TEXT_MAX) {
		cut = SEARCH_TEXT_MAX;
		while (cut > SEARCH_TEXT_MAX / 2 && text.data[cut] != ' ')
			cut--;
		while (cut > 0 && ((unsigned char)text.data[cut] & 0xc0) == 0x80)
			cut--;
	}
	S_json(&r, text.data, cut);
	buf_putc(&r, ',');
	if (cut < text.len) {
		/* The words before the cut are only remembered, those after it
		 * that are new are kept: the cut ends a word either way. */
		struct buf arena = BUF_INIT;
		struct word_set ws = { .arena = &arena, .mask = 255 };
		ws.slot = xcalloc(ws.mask + 1, sizeof *ws.slot);
		S_words(&ws, text.data, cut, false);
		size_t from = arena.len;
		S_words(&ws, text.data + cut, text.len - cut, true);
		S_json(&r, arena.data + from, arena.len - from);
		free(ws.slot);
		buf_free(&arena);
	} else {
		S_json(&r, "", 0);
	}
	buf_putc(&r, ']');
	buf_free(&text);
	return buf_detach(&r, NULL);
}

struct lang_index {
	struct output *out;
	const struct site *s;
	char *const *records;
	int lang;
	int rc;
};

/* One language's index, written whole: its records are counted first so
 * the file (tens of MB for thousands of pages) is built without copies. */
static void *S_write_lang(void *arg)
{
	struct lang_index *li = arg;
	const struct site *s = li->s;
	int k = li->lang;
	size_t size = 256;
	for (size_t i = 0; i < s->n_pages; i++)
		if (s->pages[i]->lang == k && li->records[i])
			size += strlen(li->records[i]) + 2;
	struct buf js = BUF_INIT;
	buf_grow(&js, size);
	buf_puts(&js, "/* toivo search index: [title, module, url, [[heading, id]], text, words] */\n");
	buf_puts(&js, "(window.toivoSearch = window.toivoSearch || {})[");
	S_json_str(&js, s->langs[k].code);
	buf_puts(&js, "] = [");
	bool first = true;
	for (size_t i = 0; i < s->n_pages; i++) {
		if (s->pages[i]->lang != k || !li->records[i])
			continue;
		buf_puts(&js, first ? "\n" : ",\n");
		buf_puts(&js, li->records[i]);
		first = false;
	}
	buf_puts(&js, "\n];\n");
	char *rel = xasprintf("%s/search-index.js", s->langs[k].code);
	li->rc = output_write(li->out, rel, js.data, js.len, s->config_path);
	free(rel);
	buf_free(&js);
	return NULL;
}

int search_write(struct output *out, const struct site *s, char *const *records)
{
	/* The languages at once: each is one large file. */
	struct lang_index li[SITE_MAX_LANGS];
	pthread_t t[SITE_MAX_LANGS];
	bool started[SITE_MAX_LANGS] = { false };
	for (int k = 0; k < s->n_langs; k++) {
		li[k] = (struct lang_index){ out, s, records, k, 0 };
		if (k > 0)
			started[k] = pthread_create(&t[k], NULL, S_write_lang, &li[k]) == 0;
	}
	for (int k = 0; k < s->n_langs; k++)
		if (k == 0 || !started[k])
			S_write_lang(&li[k]);
	int rc = 0;
	for (int k = 0; k < s->n_langs; k++) {
		if (started[k])
			pthread_join(t[k], NULL);
		if (li[k].rc < 0)
			rc = -1;
	}
	return rc;
}
