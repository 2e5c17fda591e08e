/* search.c - the site search index: each page's title, module, URL,
 * headings and plain text, written per language as a script that
 * themes/default/assets/search.js reads.  See search.h for the format.
 *
 * The plain text comes from the page's content HTML in one pass (tags
 * dropped, entities decoded, hidden and graphic elements skipped); the
 * text past SEARCH_TEXT_MAX bytes is kept only as a list of distinct
 * accent-folded words, so a long page costs its vocabulary, not its text.
 */
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyse.h"
#include "buf.h"
#include "diag.h"
#include "hmap.h"
#include "output.h"
#include "search.h"
#include "site.h"
#include "spool.h"
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

/* ------------------------------------------------------------------ */
/* records                                                              */
/* ------------------------------------------------------------------ */

static void S_json_str(struct buf *b, const char *s)
{
	value_json_string(b, s ? s : "", s ? strlen(s) : 0);
}

/* ------------------------------------------------------------------ */
/* word forms                                                           */
/* ------------------------------------------------------------------ */

/* The hash of w (len bytes). */
static uint32_t S_hash(const char *w, size_t len)
{
	uint64_t h = len;
	for (size_t i = 0; i < len; i++)
		h = ((h << 5) | (h >> 59)) ^ (unsigned char)w[i];
	h *= 0x9e3779b97f4a7c15u;
	return (uint32_t)(h >> 32);
}

/* A set of strings kept NUL-terminated in one arena, each known by its
 * number (the order it came in).  Open addressing on the numbers. */
struct strset {
	struct buf arena;
	uint32_t *off;          /* number -> offset in arena */
	uint32_t *hash;         /* number -> hash */
	size_t n, cap;
	uint32_t *slot;         /* number + 1, 0 empty */
	size_t mask;
};

static void S_strset_free(struct strset *t)
{
	buf_free(&t->arena);
	free(t->off);
	free(t->hash);
	free(t->slot);
}

static const char *S_str(const struct strset *t, uint32_t i)
{
	return t->arena.data + t->off[i];
}

/* The number of s (len bytes, hash h) in t, added when new. */
static uint32_t S_intern(struct strset *t, const char *s, size_t len, uint32_t h)
{
	if (!t->slot) {
		t->mask = 255;
		t->slot = xcalloc(t->mask + 1, sizeof *t->slot);
	}
	size_t i = h & t->mask;
	for (; t->slot[i]; i = (i + 1) & t->mask) {
		uint32_t k = t->slot[i] - 1;
		const char *e = S_str(t, k);
		/* Strings lie in the arena in their order, NUL after each. */
		size_t elen = (k + 1 < t->n ? t->off[k + 1] : t->arena.len) - t->off[k] - 1;
		if (t->hash[k] == h && elen == len && !memcmp(e, s, len))
			return k;
	}
	size_t cap = t->cap;
	t->off = xgrow(t->off, &cap, t->n + 1, sizeof *t->off);
	t->hash = xgrow(t->hash, &t->cap, t->n + 1, sizeof *t->hash);
	uint32_t k = (uint32_t)t->n++;
	t->off[k] = (uint32_t)t->arena.len;
	t->hash[k] = h;
	buf_add(&t->arena, s, len);
	buf_putc(&t->arena, '\0');    /* the NUL between strings */
	t->slot[i] = k + 1;
	if (t->n * 2 > t->mask) {
		size_t nc = (t->mask + 1) * 2;
		uint32_t *ns = xcalloc(nc, sizeof *ns);
		for (size_t j = 0; j < t->n; j++) {
			size_t p = t->hash[j] & (nc - 1);
			while (ns[p])
				p = (p + 1) & (nc - 1);
			ns[p] = (uint32_t)j + 1;
		}
		free(t->slot);
		t->slot = ns;
		t->mask = nc - 1;
	}
	return k;
}

/* Forms are interned by the build's workers at once: the table is split
 * in stripes by hash, each with its lock, and a form is known by its
 * stripe and its number there. */
#define FORM_STRIPE_BITS 6
#define FORM_STRIPES (1u << FORM_STRIPE_BITS)
#define FORM_REF(stripe, k) (((uint32_t)(k) << FORM_STRIPE_BITS) | (stripe))

struct form_stripe {
	pthread_mutex_t lock;
	struct strset forms;
	/* Filled by search_write: form number -> its terms, as a range of
	 * lang_index.term_list. */
	uint32_t *term_at, *term_n, *term_whole;
	uint8_t *used;          /* on some page at this write (serve keeps
				 * the forms of pages since changed) */
	size_t analysed, cap;
};

struct lang_index {
	struct form_stripe stripe[FORM_STRIPES];
	struct analyser *analyser;
	struct strset terms;
	uint32_t *term_list;
	size_t n_term_list, cap_term_list;
};

/* One page's words: which forms, how often (weighted by where they
 * stand), and the section where each stands best. */
struct search_hit {
	uint32_t form;          /* FORM_REF */
	uint16_t tf;
	uint16_t sec;
};

/* A page's distinct forms while it is read: lower-case strings in a
 * strset, with their weight and section. */
struct page_words {
	struct strset set;
	struct search_hit *w;   /* by number in set; form unused */
	size_t cap;
	uint32_t words;
	struct buf low;
	struct page_words *next;        /* in the pool */
};

struct search {
	const struct site *site;
	struct lang_index lang[SITE_MAX_LANGS];
	/* Word tables of pages, kept for the next page (one per worker at
	 * most): a page reuses their memory instead of allocating anew. */
	pthread_mutex_t pool_lock;
	struct page_words *pool;
	struct spool *spool;    /* the pages' records */
};


struct search_doc {
	int lang;
	uint32_t words;         /* the page's length in words */
	struct search_hit *hit;
	size_t n_hit;
	struct spool_ref record; /* JSON, see search.h, in the spool */
};

int search_new(struct search **out, const struct site *s, struct spool *sp)
{
	struct search *ix = xcalloc(1, sizeof *ix);
	ix->site = s;
	ix->spool = sp;
	pthread_mutex_init(&ix->pool_lock, NULL);
	int rc = 0;
	for (int k = 0; k < s->n_langs; k++) {
		struct lang_index *li = &ix->lang[k];
		for (unsigned i = 0; i < FORM_STRIPES; i++)
			pthread_mutex_init(&li->stripe[i].lock, NULL);
		const char *why = NULL;
		if (analyser_new(&li->analyser, s->langs[k].code, &why) < 0) {
			diag_error(s->config_path, 0, 0, "search for language \"%s\": %s", s->langs[k].code, why);
			rc = -1;
		}
	}
	*out = ix;
	return rc;
}

void search_free(struct search *ix)
{
	if (!ix)
		return;
	while (ix->pool) {
		struct page_words *pw = ix->pool;
		ix->pool = pw->next;
		S_strset_free(&pw->set);
		free(pw->w);
		buf_free(&pw->low);
		free(pw);
	}
	pthread_mutex_destroy(&ix->pool_lock);
	for (int k = 0; k < ix->site->n_langs; k++) {
		struct lang_index *li = &ix->lang[k];
		for (unsigned i = 0; i < FORM_STRIPES; i++) {
			struct form_stripe *st = &li->stripe[i];
			pthread_mutex_destroy(&st->lock);
			S_strset_free(&st->forms);
			free(st->term_at);
			free(st->term_n);
			free(st->term_whole);
			free(st->used);
		}
		analyser_free(li->analyser);
		S_strset_free(&li->terms);
		free(li->term_list);
	}
	free(ix);
}

void search_doc_free(struct search_doc *d)
{
	if (!d)
		return;
	free(d->hit);
	free(d);
}

/* ------------------------------------------------------------------ */
/* a page's words                                                       */
/* ------------------------------------------------------------------ */


/* A page's word table from the pool, emptied, or a new one. */
static struct page_words *S_pw_take(struct search *ix)
{
	pthread_mutex_lock(&ix->pool_lock);
	struct page_words *pw = ix->pool;
	if (pw)
		ix->pool = pw->next;
	pthread_mutex_unlock(&ix->pool_lock);
	if (!pw)
		return xcalloc(1, sizeof *pw);
	pw->set.n = 0;
	buf_reset(&pw->set.arena);
	if (pw->set.slot)
		memset(pw->set.slot, 0, (pw->set.mask + 1) * sizeof *pw->set.slot);
	if (pw->w)      /* NULL when the last page had no words */
		memset(pw->w, 0, pw->cap * sizeof *pw->w);
	pw->words = 0;
	return pw;
}

static void S_pw_give(struct search *ix, struct page_words *pw)
{
	pthread_mutex_lock(&ix->pool_lock);
	pw->next = ix->pool;
	ix->pool = pw;
	pthread_mutex_unlock(&ix->pool_lock);
}

/* Where a word stands, and what one of it weighs there. */
#define W_TITLE 5
#define W_HEADING 3
#define W_BODY 1

/* Adds the words of t[0..len), in section sec, weight weight each (a
 * heading's words mark their section as their best). */
static void S_page_words(struct page_words *pw, const char *t, size_t len, unsigned sec, unsigned weight)
{
	const unsigned char *u = (const unsigned char *)t;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = 1;
		if (u[i] < 0x80 ? !S_ascii_fold[u[i]] : (n = S_utf8(u + i, len - i, &cp), !S_word_cp(cp))) {
			i += n;
			continue;
		}
		size_t a = i;
		while (i < len) {
			if (u[i] < 0x80) {
				if (!S_ascii_fold[u[i]])
					break;
				i++;
			} else {
				n = S_utf8(u + i, len - i, &cp);
				if (!S_word_cp(cp))
					break;
				i += n;
			}
		}
		pw->words++;
		if (i - a < 2)
			continue;
		buf_reset(&pw->low);
		analyse_lower(&pw->low, t + a, i - a);
		uint32_t k = S_intern(&pw->set, pw->low.data, pw->low.len, S_hash(pw->low.data, pw->low.len));
		if (k >= pw->cap) {
			size_t old = pw->cap;
			pw->w = xgrow(pw->w, &pw->cap, k + 1, sizeof *pw->w);
			memset(pw->w + old, 0, (pw->cap - old) * sizeof *pw->w);
		}
		struct search_hit *h = &pw->w[k];
		bool first = h->tf == 0;
		h->tf = (uint16_t)(h->tf + weight > 65535 ? 65535 : h->tf + weight);
		/* The best section: the first heading the word stands in, else
		 * the first section it stands in.  form marks "in a heading". */
		if (weight == W_HEADING && !h->form) {
			h->sec = (uint16_t)sec;
			h->form = 1;
		} else if (first && weight != W_TITLE) {
			h->sec = (uint16_t)sec;
		}
	}
}

/* The section text kept for snippets, per section, and on the whole. */
#define SEARCH_SECTION_TEXT 200
#define SEARCH_RECORD_TEXT 4000

/* Appends the JSON of text[a..e) trimmed, cut at a space near max bytes. */
static void S_json_cut(struct buf *r, const char *text, size_t a, size_t e, size_t max)
{
	while (a < e && text[a] == ' ')
		a++;
	while (e > a && text[e - 1] == ' ')
		e--;
	if (e - a > max) {
		size_t cut = a + max;
		while (cut > a + max / 2 && text[cut] != ' ')
			cut--;
		while (cut > a && ((unsigned char)text[cut] & 0xc0) == 0x80)
			cut--;
		e = cut;
	}
	value_json_string(r, text + a, e - a);
}

struct search_doc *search_page(struct search *ix, const struct page *p, const char *html)
{
	if (p->kind == PAGE_404 || p->draft)
		return NULL;
	const struct value *flag = value_get(p->fm, "search");
	if (flag && !value_truthy(flag))
		return NULL;
	struct buf text = BUF_INIT;
	struct extract x = { .text = &text };
	S_extract(&x, html ? html : "");
	if (!text.data)
		buf_puts(&text, "");

	/* The words: the title's, each heading's, each section's body. */
	struct page_words *pwp = S_pw_take(ix);
	struct page_words pw = *pwp;
	S_page_words(&pw, p->title ? p->title : "", p->title ? strlen(p->title) : 0, 0, W_TITLE);
	size_t at = 0;
	for (size_t i = 0; i <= x.n_h; i++) {
		size_t end = i < x.n_h ? x.h[i].start : text.len;
		S_page_words(&pw, text.data + at, end - at, (unsigned)i, W_BODY);
		if (i < x.n_h) {
			S_page_words(&pw, text.data + x.h[i].start, x.h[i].end - x.h[i].start, (unsigned)i + 1, W_HEADING);
			at = x.h[i].end;
		}
	}

	/* The record: [title, module, url, [[heading, id, text], ...]],
	 * section 0 being the text before the first heading. */
	struct buf r = BUF_INIT;
	buf_putc(&r, '[');
	S_json_str(&r, p->title);
	buf_putc(&r, ',');
	S_json_str(&r, p->module && p->module != p ? p->module->title : "");
	buf_putc(&r, ',');
	const char *rel = strchr(p->path, '/');
	rel = rel ? rel + 1 : p->path;
	char *url = xasprintf("%sindex.html", rel);
	S_json_str(&r, url);
	free(url);
	buf_puts(&r, ",[[\"\",\"\",");
	size_t budget = SEARCH_RECORD_TEXT;
	size_t first_end = x.n_h ? x.h[0].start : text.len;
	size_t before = r.len;
	S_json_cut(&r, text.data, 0, first_end, SEARCH_SECTION_TEXT);
	budget -= r.len - before < budget ? r.len - before : budget;
	buf_putc(&r, ']');
	for (size_t i = 0; i < x.n_h; i++) {
		buf_puts(&r, ",[");
		S_json_cut(&r, text.data, x.h[i].start, x.h[i].end, SEARCH_SECTION_TEXT);
		buf_putc(&r, ',');
		S_json_str(&r, x.h[i].id);
		buf_putc(&r, ',');
		size_t end = i + 1 < x.n_h ? x.h[i + 1].start : text.len;
		before = r.len;
		S_json_cut(&r, text.data, x.h[i].end, end, budget < SEARCH_SECTION_TEXT ? budget : SEARCH_SECTION_TEXT);
		budget -= r.len - before < budget ? r.len - before : budget;
		buf_putc(&r, ']');
		free(x.h[i].id);
	}
	free(x.h);
	buf_puts(&r, "]]");
	buf_free(&text);

	/* The forms, interned in the language's table. */
	struct search_doc *d = xcalloc(1, sizeof *d);
	d->lang = p->lang;
	d->words = pw.words;
	spool_put(ix->spool, &d->record, r.data, r.len);
	buf_free(&r);
	d->n_hit = pw.set.n;
	d->hit = xmalloc((d->n_hit + 1) * sizeof *d->hit);
	struct lang_index *li = &ix->lang[p->lang];
	for (size_t k = 0; k < pw.set.n; k++) {
		const char *w = S_str(&pw.set, (uint32_t)k);
		uint32_t h = pw.set.hash[k];
		unsigned s = h >> (32 - FORM_STRIPE_BITS);
		struct form_stripe *st = &li->stripe[s];
		pthread_mutex_lock(&st->lock);
		uint32_t f = S_intern(&st->forms, w, strlen(w), h);
		pthread_mutex_unlock(&st->lock);
		d->hit[k] = (struct search_hit){ .form = FORM_REF(s, f), .tf = pw.w[k].tf, .sec = pw.w[k].sec };
	}
	*pwp = pw;
	S_pw_give(ix, pwp);
	return d;
}

/* ------------------------------------------------------------------ */
/* writing the index                                                    */
/* ------------------------------------------------------------------ */

/* Pages per record file, and the bytes a term shard aims at. */
#define SEARCH_RECORDS_PER_FILE 4
#define SEARCH_SHARD_BYTES 24000
/* A term keeps at most this many pages, its best by score: a word on
 * every page adds little to a query, and its list would be most of a
 * shard.  All query words are required, so this trims recall only for
 * queries made of such words. */
#define SEARCH_MAX_POSTINGS 1500
/* BM25 parameters and the scale of the whole-number scores written. */
#define BM25_K1 1.2
#define BM25_B 0.75
#define SCORE_SCALE 40.0

struct posting {
	uint32_t page;          /* number among the language's pages */
	uint16_t tf;            /* then the score */
	uint16_t sec;
};

/* A term or a form, to go into a shard. */
struct entry {
	char *key;              /* folded; owned */
	const char *word;       /* as written (in the term or form table) */
	bool form;
	uint32_t id;            /* term number, or FORM_REF */
	size_t bytes;           /* about what it takes in the shard */
};

struct lang_write {
	struct search *ix;
	struct output *out;
	struct search_doc *const *docs;
	int lang;
	int rc;
	/* working state */
	uint32_t *post_at, *post_n;     /* by term: range in post */
	struct posting *post;
	struct entry *e;
	size_t n_e, cap_e;
};

/* Analyses the forms that came in since the last write. */
static void S_analyse_new(struct lang_index *li)
{
	struct buf terms = BUF_INIT;
	for (unsigned s = 0; s < FORM_STRIPES; s++) {
		struct form_stripe *st = &li->stripe[s];
		if (st->forms.n > st->cap) {
			size_t cap = st->cap;
			st->term_at = xgrow(st->term_at, &cap, st->forms.n, sizeof *st->term_at);
			cap = st->cap;
			st->term_whole = xgrow(st->term_whole, &cap, st->forms.n, sizeof *st->term_whole);
			cap = st->cap;
			st->used = xgrow(st->used, &cap, st->forms.n, sizeof *st->used);
			st->term_n = xgrow(st->term_n, &st->cap, st->forms.n, sizeof *st->term_n);
		}
		for (; st->analysed < st->forms.n; st->analysed++) {
			const char *w = S_str(&st->forms, (uint32_t)st->analysed);
			buf_reset(&terms);
			int whole = 0;
			analyser_terms(li->analyser, &terms, w, strlen(w), &whole);
			st->term_whole[st->analysed] = (uint32_t)whole;
			st->term_at[st->analysed] = (uint32_t)li->n_term_list;
			uint32_t n = 0;
			for (const char *t = terms.data; t && *t;) {
				const char *sp = strchr(t, ' ');
				size_t len = sp ? (size_t)(sp - t) : strlen(t);
				uint32_t id = S_intern(&li->terms, t, len, S_hash(t, len));
				li->term_list = xgrow(li->term_list, &li->cap_term_list, li->n_term_list + 1, sizeof *li->term_list);
				li->term_list[li->n_term_list++] = id;
				n++;
				t += len + (sp != NULL);
			}
			st->term_n[st->analysed] = n;
		}
	}
	buf_free(&terms);
}

static int S_cmp_score(const void *a, const void *b)
{
	const struct posting *x = a, *y = b;
	return (int)y->tf - (int)x->tf;
}
static int S_cmp_page(const void *a, const void *b)
{
	const struct posting *x = a, *y = b;
	return x->page < y->page ? -1 : x->page > y->page;
}
static int S_cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	/* A total order, so the output does not depend on the order the
	 * words came in (serve adds them as pages change). */
	int c = strcmp(x->key, y->key);
	if (!c)
		c = (int)x->form - (int)y->form;
	return c ? c : strcmp(x->word, y->word);
}

/* The postings of every term, BM25-scored, the longest lists cut.  The
 * language's pages are numbered in site order. */
/* Walks the language's pages (numbered pn in site order) and their terms:
 * without fill, counts the pages each term stands on into post_n; with
 * fill, writes the postings, a term's weight on a page summed over its
 * forms, its section the one of its heaviest form.  last[t] is the last
 * page that had term t.  Returns the number of pages. */
static uint32_t S_walk(struct lang_write *lw, uint32_t *last, bool fill, double *words)
{
	struct lang_index *li = &lw->ix->lang[lw->lang];
	memset(last, 0xff, (li->terms.n + 1) * sizeof *last);
	uint32_t pn = 0;
	for (size_t i = 0; i < lw->ix->site->n_pages; i++) {
		const struct search_doc *d = lw->docs[i];
		if (!d || d->lang != lw->lang)
			continue;
		words[pn] = d->words;
		for (size_t h = 0; h < d->n_hit; h++) {
			const struct search_hit *hit = &d->hit[h];
			struct form_stripe *st = &li->stripe[hit->form & (FORM_STRIPES - 1)];
			uint32_t f = hit->form >> FORM_STRIPE_BITS;
			st->used[f] = 1;
			for (uint32_t j = 0; j < st->term_n[f]; j++) {
				uint32_t t = li->term_list[st->term_at[f] + j];
				bool first = last[t] != pn;
				last[t] = pn;
				if (!fill) {
					lw->post_n[t] += first;
				} else if (first) {
					lw->post[lw->post_at[t] + lw->post_n[t]++] =
						(struct posting){ .page = pn, .tf = hit->tf, .sec = hit->sec };
				} else {
					struct posting *q = &lw->post[lw->post_at[t] + lw->post_n[t] - 1];
					if (hit->tf > q->tf)
						q->sec = hit->sec;
					q->tf = (uint16_t)(q->tf + hit->tf > 65535 ? 65535 : q->tf + hit->tf);
				}
			}
		}
		pn++;
	}
	return pn;
}

/* The postings of every term, BM25-scored, the longest lists cut. */
static void S_postings(struct lang_write *lw, size_t n_docs)
{
	struct lang_index *li = &lw->ix->lang[lw->lang];
	size_t nt = li->terms.n;
	uint32_t *last = xmalloc((nt + 1) * sizeof *last);
	double *norm = xmalloc((n_docs + 1) * sizeof *norm);
	lw->post_at = xcalloc(nt + 1, sizeof *lw->post_at);
	lw->post_n = xcalloc(nt + 1, sizeof *lw->post_n);
	for (unsigned i = 0; i < FORM_STRIPES; i++)
		if (li->stripe[i].used)
			memset(li->stripe[i].used, 0, li->stripe[i].forms.n);
	uint32_t pn = S_walk(lw, last, false, norm);
	size_t sum = 0;
	for (size_t t = 0; t < nt; t++) {
		lw->post_at[t] = (uint32_t)sum;
		sum += lw->post_n[t];
		lw->post_n[t] = 0;
	}
	lw->post = xmalloc((sum + 1) * sizeof *lw->post);
	S_walk(lw, last, true, norm);
	/* norm: from each page's length in words to BM25's length factor. */
	double total = 0;
	for (uint32_t k = 0; k < pn; k++)
		total += norm[k];
	double avg = pn && total >= pn ? total / pn : 1;
	for (uint32_t k = 0; k < pn; k++)
		norm[k] = BM25_K1 * (1 - BM25_B + BM25_B * norm[k] / avg);
	free(last);
	/* Scores, then the best SEARCH_MAX_POSTINGS of a long list. */
	for (size_t t = 0; t < nt; t++) {
		struct posting *ps = lw->post + lw->post_at[t];
		size_t df = lw->post_n[t];
		if (!df)
			continue;
		double idf = log(1 + (pn - df + 0.5) / (df + 0.5));
		for (size_t k = 0; k < df; k++) {
			double tf = ps[k].tf;
			double sc = idf * tf * (BM25_K1 + 1) / (tf + norm[ps[k].page]) * SCORE_SCALE;
			ps[k].tf = (uint16_t)(sc < 1 ? 1 : sc > 65535 ? 65535 : sc + 0.5);
		}
		if (df > SEARCH_MAX_POSTINGS) {
			qsort(ps, df, sizeof *ps, S_cmp_score);
			lw->post_n[t] = SEARCH_MAX_POSTINGS;
			qsort(ps, SEARCH_MAX_POSTINGS, sizeof *ps, S_cmp_page);
		}
	}
	free(norm);
}

/* Appends entry e's JSON member to b: "term":[df,page,score,sec,...]
 * (pages as differences from the one before) or "form":"t1 t2". */
static void S_entry_json(struct lang_write *lw, struct buf *b, const struct entry *e)
{
	struct lang_index *li = &lw->ix->lang[lw->lang];
	if (e->form) {
		const struct form_stripe *st = &li->stripe[e->id & (FORM_STRIPES - 1)];
		uint32_t f = e->id >> FORM_STRIPE_BITS;
		S_json_str(b, S_str(&st->forms, f));
		buf_putc(b, ':');
		/* Terms come from the analysers: escaped like any text, so no
		 * base form can break the shard. */
		struct buf v = BUF_INIT;
		for (uint32_t j = 0; j < st->term_n[f]; j++) {
			if (j)
				buf_putc(&v, j == st->term_whole[f] ? '|' : ' ');
			buf_puts(&v, S_str(&li->terms, li->term_list[st->term_at[f] + j]));
		}
		value_json_string(b, v.data, v.len);
		buf_free(&v);
		return;
	}
	S_json_str(b, S_str(&li->terms, e->id));
	buf_putc(b, ':');
	const struct posting *ps = lw->post + lw->post_at[e->id];
	uint32_t prev = 0;
	buf_putc(b, '[');
	for (size_t k = 0; k < lw->post_n[e->id]; k++) {
		buf_printf(b, k ? ",%u,%u,%u" : "%u,%u,%u", ps[k].page - prev, ps[k].tf, ps[k].sec);
		prev = ps[k].page;
	}
	buf_putc(b, ']');
}

/* Writes entries e[lo..hi) as shard k and adds its first key to the
 * manifest: the shortest prefix of it that sorts after the previous
 * shard's last key, so the manifest stays small. */
static void S_shard(struct lang_write *lw, size_t lo, size_t hi, int k, struct buf *manifest)
{
	const char *code = lw->ix->site->langs[lw->lang].code;
	struct buf js = BUF_INIT;
	buf_puts(&js, "(window.toivoSearch = window.toivoSearch || {})[");
	char *name = xasprintf("%s/s%d", code, k);
	S_json_str(&js, name);
	free(name);
	/* Terms and forms apart: a word may be both ("tuli"). */
	buf_puts(&js, "] = {\"t\":{");
	for (int form = 0; form < 2; form++) {
		bool first = true;
		for (size_t i = lo; i < hi; i++) {
			if (lw->e[i].form != form)
				continue;
			if (!first)
				buf_putc(&js, ',');
			first = false;
			S_entry_json(lw, &js, &lw->e[i]);
		}
		buf_puts(&js, form ? "}};\n" : "},\"f\":{");
	}
	char *rel = xasprintf("%s/search/s%d.js", code, k);
	if (output_write(lw->out, rel, js.data, js.len, lw->ix->site->config_path) < 0)
		lw->rc = -1;
	free(rel);
	buf_free(&js);
	const char *key = lw->e[lo].key;
	size_t n = 0;
	if (lo > 0) {
		/* Whole code points, one past the common prefix. */
		const char *prev = lw->e[lo - 1].key;
		while (key[n] && key[n] == prev[n])
			n++;
		while (n > 0 && ((unsigned char)key[n] & 0xc0) == 0x80)
			n--;
		if (key[n]) {
			n++;
			while (((unsigned char)key[n] & 0xc0) == 0x80)
				n++;
		}
	}
	if (k)
		buf_putc(manifest, ',');
	value_json_string(manifest, key, n);
}

/* The entries (sorted by folded key) into shards of about
 * SEARCH_SHARD_BYTES, in order, written as each fills.  Entries with the
 * same key stay together, so a word's shard is the last whose first key
 * sorts at or before it. */
static int S_shards(struct lang_write *lw, struct buf *manifest)
{
	int k = 0;
	size_t lo = 0, bytes = 0;
	for (size_t i = 0; i < lw->n_e; i++) {
		if (i > lo && bytes + lw->e[i].bytes > SEARCH_SHARD_BYTES && strcmp(lw->e[i].key, lw->e[i - 1].key)) {
			S_shard(lw, lo, i, k++, manifest);
			lo = i;
			bytes = 0;
		}
		bytes += lw->e[i].bytes;
	}
	if (lo < lw->n_e)
		S_shard(lw, lo, lw->n_e, k++, manifest);
	return k;
}

static void S_entry_add(struct lang_write *lw, const char *s, bool form, uint32_t id, size_t bytes)
{
	struct buf key = BUF_INIT;
	search_fold(&key, s, strlen(s));
	lw->e = xgrow(lw->e, &lw->cap_e, lw->n_e + 1, sizeof *lw->e);
	lw->e[lw->n_e++] = (struct entry){ .key = buf_detach(&key, NULL), .word = s, .form = form, .id = id, .bytes = bytes };
}

/* One language's index: records, term shards, manifest. */
static void *S_write_lang(void *arg)
{
	struct lang_write *lw = arg;
	struct search *ix = lw->ix;
	const struct site *s = ix->site;
	struct lang_index *li = &ix->lang[lw->lang];
	const char *code = s->langs[lw->lang].code;
	S_analyse_new(li);

	/* Records, SEARCH_RECORDS_PER_FILE pages a file, in page order. */
	size_t n_docs = 0;
	struct buf js = BUF_INIT;
	for (size_t i = 0; i <= s->n_pages; i++) {
		const struct search_doc *d = i < s->n_pages ? lw->docs[i] : NULL;
		bool flush = i == s->n_pages ? n_docs % SEARCH_RECORDS_PER_FILE != 0 : false;
		if (d && d->lang == lw->lang) {
			if (n_docs % SEARCH_RECORDS_PER_FILE == 0) {
				buf_reset(&js);
				buf_printf(&js, "(window.toivoSearch = window.toivoSearch || {})[\"%s/r%zu\"] = [\n",
					   code, n_docs / SEARCH_RECORDS_PER_FILE);
			} else {
				buf_puts(&js, ",\n");
			}
			size_t len;
			char *rec = spool_get(lw->ix->spool, d->record, &len);
			if (rec)
				buf_add(&js, rec, len);
			else
				lw->rc = -1;
			free(rec);
			n_docs++;
			flush = n_docs % SEARCH_RECORDS_PER_FILE == 0;
		}
		if (flush) {
			buf_puts(&js, "\n];\n");
			char *rel = xasprintf("%s/search/r%zu.js", code, (n_docs - 1) / SEARCH_RECORDS_PER_FILE);
			if (output_write(lw->out, rel, js.data, js.len, s->config_path) < 0)
				lw->rc = -1;
			free(rel);
		}
	}
	buf_free(&js);

	S_postings(lw, n_docs);
	/* The entries: every term on some page, every form whose terms are
	 * not just itself. */
	for (size_t t = 0; t < li->terms.n; t++)
		if (lw->post_n[t])
			S_entry_add(lw, S_str(&li->terms, (uint32_t)t), false, (uint32_t)t,
				    strlen(S_str(&li->terms, (uint32_t)t)) + 4 + lw->post_n[t] * 9);
	for (unsigned st_i = 0; st_i < FORM_STRIPES; st_i++) {
		struct form_stripe *st = &li->stripe[st_i];
		for (size_t f = 0; f < st->forms.n; f++) {
			const char *w = S_str(&st->forms, (uint32_t)f);
			uint32_t n = st->term_n[f];
			if (!st->used[f] || (n == 1 && !strcmp(S_str(&li->terms, li->term_list[st->term_at[f]]), w)))
				continue;
			bool any = false;
			size_t bytes = strlen(w) + 6;
			for (uint32_t j = 0; j < n; j++) {
				uint32_t t = li->term_list[st->term_at[f] + j];
				any = any || lw->post_n[t];
				bytes += strlen(S_str(&li->terms, t)) + 1;
			}
			if (any)
				S_entry_add(lw, w, true, FORM_REF(st_i, f), bytes);
		}
	}
	if (lw->n_e)     /* no entries: e is NULL, which qsort may not take */
		qsort(lw->e, lw->n_e, sizeof *lw->e, S_cmp_entry);

	struct buf manifest = BUF_INIT;
	buf_puts(&manifest, "(window.toivoSearch = window.toivoSearch || {})[");
	char *mname = xasprintf("%s/index", code);
	S_json_str(&manifest, mname);
	free(mname);
	buf_printf(&manifest, "] = {\"pages\":%zu,\"records\":%d,\"shards\":[", n_docs, SEARCH_RECORDS_PER_FILE);
	S_shards(lw, &manifest);
	buf_puts(&manifest, "]};\n");
	char *rel = xasprintf("%s/search/index.js", code);
	if (output_write(lw->out, rel, manifest.data, manifest.len, s->config_path) < 0)
		lw->rc = -1;
	free(rel);
	buf_free(&manifest);

	for (size_t i = 0; i < lw->n_e; i++)
		free(lw->e[i].key);
	free(lw->e);
	free(lw->post);
	free(lw->post_at);
	free(lw->post_n);
	return NULL;
}

int search_write(struct search *ix, struct output *out, struct search_doc *const *docs)
{
	/* The languages at once, each in its own thread. */
	const struct site *s = ix->site;
	struct lang_write lw[SITE_MAX_LANGS];
	pthread_t t[SITE_MAX_LANGS];
	bool started[SITE_MAX_LANGS] = { false };
	for (int k = 0; k < s->n_langs; k++) {
		lw[k] = (struct lang_write){ .ix = ix, .out = out, .docs = docs, .lang = k };
		if (k > 0)
			started[k] = pthread_create(&t[k], NULL, S_write_lang, &lw[k]) == 0;
	}
	for (int k = 0; k < s->n_langs; k++)
		if (k == 0 || !started[k])
			S_write_lang(&lw[k]);
	int rc = 0;
	for (int k = 0; k < s->n_langs; k++) {
		if (started[k])
			pthread_join(t[k], NULL);
		if (lw[k].rc < 0)
			rc = -1;
	}
	return rc;
}
