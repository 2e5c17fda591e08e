/* search.c - the site search index: each page's title, module, URL,
 * headings and plain text, written per language as a script that
 * themes/default/assets/search.js reads.  See search.h for the format.
 *
 * The plain text comes from the page's content HTML in one pass (tags
 * dropped, entities decoded, hidden and graphic elements skipped); the
 * text past SEARCH_TEXT_MAX bytes is kept only as a list of distinct
 * accent-folded words, so a long page costs its vocabulary, not its text.
 */
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

static void S_put_utf8(struct buf *b, uint32_t cp)
{
	char t[4];
	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		t[0] = (char)(0xc0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, t, 2);
	} else if (cp < 0x10000) {
		t[0] = (char)(0xe0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		t[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, t, 3);
	} else {
		t[0] = (char)(0xf0 | (cp >> 18));
		t[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		t[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, t, 4);
	}
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

static void S_fold_cp(struct buf *out, uint32_t cp)
{
	char f = 0;
	if (cp >= 'A' && cp <= 'Z')
		f = (char)(cp + 32);
	else if (cp >= 0xc0 && cp <= 0xff)
		f = S_latin1[cp - 0xc0];
	else if (cp >= 0x100 && cp <= 0x17f)
		f = S_latin_a[cp - 0x100];
	switch (f) {
	case 0: S_put_utf8(out, cp); break;
	case '.': S_put_utf8(out, cp); break;
	case '1': buf_puts(out, "ae"); break;
	case '2': buf_puts(out, "th"); break;
	case '3': buf_puts(out, "ss"); break;
	case '4': buf_puts(out, "ij"); break;
	case '5': buf_puts(out, "oe"); break;
	default: buf_putc(out, f); break;
	}
}

void search_fold(struct buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += S_utf8(u + i, len - i, &cp);
		S_fold_cp(out, cp);
	}
}

/* A letter or digit, as far as splitting words goes: ASCII letters and
 * digits, and everything past ASCII except the common punctuation,
 * symbol and space blocks. */
static bool S_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
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

struct extract {
	struct buf *text;
	bool space;             /* a space is due before the next character */
	struct heading *h;
	size_t n_h, cap_h;
	bool in_heading;
};

static bool S_name_is(const char *name, size_t len, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == len && !strncasecmp(name, *list, len))
			return true;
	return false;
}

/* Elements whose text runs on with the words around them. */
static const char *const S_inline[] = {
	"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
	"q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", NULL,
};
/* Elements whose content is not text to search. */
static const char *const S_skip[] = { "script", "style", "svg", "template", "noscript", "math", NULL };

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

static void S_text_cp(struct extract *x, uint32_t cp)
{
	if (cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r' || cp == '\f' || cp == 0xa0) {
		x->space = true;
		return;
	}
	if (cp == 0xad)         /* soft hyphen */
		return;
	if (x->space && x->text->len > 0)
		buf_putc(x->text, ' ');
	x->space = false;
	S_put_utf8(x->text, cp);
}

/* Decodes the entity at s ('&'); returns the bytes it takes. */
static size_t S_entity(struct extract *x, const char *s)
{
	static const struct { const char *name; uint32_t cp; } named[] = {
		{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' }, { "quot;", '"' }, { "apos;", '\'' },
		{ "nbsp;", 0xa0 }, { "shy;", 0xad }, { "ndash;", 0x2013 }, { "mdash;", 0x2014 },
		{ "hellip;", 0x2026 },
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
			size_t n = strlen(named[i].name);
			if (!strncmp(s + 1, named[i].name, n)) {
				S_text_cp(x, named[i].cp);
				return n + 1;
			}
		}
	}
	S_text_cp(x, '&');
	return 1;
}

static void S_extract(struct extract *x, const char *html)
{
	const char *s = html;
	const char *stop = html + strlen(html);
	while (*s) {
		if (*s == '<') {
			if (!strncmp(s, "<!--", 4)) {
				const char *e = strstr(s + 4, "-->");
				s = e ? e + 3 : s + strlen(s);
				continue;
			}
			const char *end = S_tag_end(s);
			bool close = s[1] == '/';
			const char *name = s + 1 + close;
			size_t len = 0;
			while ((name[len] >= 'a' && name[len] <= 'z') || (name[len] >= 'A' && name[len] <= 'Z') ||
			       (name[len] >= '0' && name[len] <= '9'))
				len++;
			const char *next = *end ? end + 1 : end;
			if (len == 0) {         /* a lone '<' in text */
				S_text_cp(x, '<');
				s++;
				continue;
			}
			bool selfclosing = end > s && end[-1] == '/';
			if (!close && !selfclosing && *end &&
			    (S_name_is(name, len, S_skip) || (memmem(name, (size_t)(end - name), "aria-hidden=\"true\"", 18)))) {
				s = S_skip_element(next, name, len);
				continue;
			}
			bool heading = len == 2 && (name[0] == 'h' || name[0] == 'H') && (name[1] == '2' || name[1] == '3');
			if (heading && !close && !x->in_heading) {
				char *id = S_attr(name + len, end, "id");
				if (id) {
					x->h = xgrow(x->h, &x->cap_h, x->n_h + 1, sizeof *x->h);
					x->h[x->n_h++] = (struct heading){ .start = x->text->len, .end = x->text->len, .id = id };
					x->in_heading = true;
				}
			} else if (heading && close && x->in_heading) {
				x->h[x->n_h - 1].end = x->text->len;
				x->in_heading = false;
			}
			if (!S_name_is(name, len, S_inline))
				x->space = true;
			s = next;
		} else if (*s == '&') {
			s += S_entity(x, s);
		} else {
			uint32_t cp;
			s += S_utf8((const unsigned char *)s, (size_t)(stop - s), &cp);
			S_text_cp(x, cp);
		}
	}
	if (x->in_heading) {
		x->h[x->n_h - 1].end = x->text->len;
		x->in_heading = false;
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

static void S_json_str(struct buf *b, const char *s)
{
	value_json_string(b, s ? s : "", s ? strlen(s) : 0);
}

/* Appends to b (space-separated) the words of folded text t that set has
 * not seen, adding them to it; with emit false only remembers them. */
static void S_words(struct buf *b, struct hmap *set, const char *t, size_t len, bool emit)
{
	const unsigned char *u = (const unsigned char *)t;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t start = i, n = S_utf8(u + i, len - i, &cp);
		if (!S_word_cp(cp)) {
			i += n;
			continue;
		}
		while (i < len) {
			n = S_utf8(u + i, len - i, &cp);
			if (!S_word_cp(cp))
				break;
			i += n;
		}
		if (i - start < 2)
			continue;
		char *w = xstrndup(t + start, i - start);
		if (!hmap_get(set, w)) {
			hmap_put(set, w, set);
			if (emit) {
				if (b->len)
					buf_putc(b, ' ');
				buf_puts(b, w);
			}
		}
		free(w);
	}
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
	for (size_t i = 0; i < x.n_h; i++) {
		size_t a = x.h[i].start, e = x.h[i].end;
		while (a < e && text.data[a] == ' ')
			a++;
		while (e > a && text.data[e - 1] == ' ')
			e--;
		if (e > a) {
			if (r.data[r.len - 1] == ']')
				buf_putc(&r, ',');
			buf_putc(&r, '[');
			value_json_string(&r, text.data + a, e - a);
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
	value_json_string(&r, text.data, cut);
	buf_putc(&r, ',');
	struct buf words = BUF_INIT;
	if (cut < text.len) {
		struct buf folded = BUF_INIT;
		struct hmap set = HMAP_INIT;
		search_fold(&folded, text.data, cut);
		S_words(&words, &set, folded.data, folded.len, false);
		buf_reset(&folded);
		search_fold(&folded, text.data + cut, text.len - cut);
		S_words(&words, &set, folded.data, folded.len, true);
		hmap_free(&set);
		buf_free(&folded);
	}
	value_json_string(&r, words.data, words.len);
	buf_putc(&r, ']');
	buf_free(&words);
	buf_free(&text);
	return buf_detach(&r, NULL);
}

int search_write(struct output *out, const struct site *s, char *const *records)
{
	int rc = 0;
	for (int k = 0; k < s->n_langs; k++) {
		struct buf js = BUF_INIT;
		buf_puts(&js, "/* toivo search index: [title, module, url, [[heading, id]], text, words] */\n");
		buf_puts(&js, "(window.toivoSearch = window.toivoSearch || {})[");
		S_json_str(&js, s->langs[k].code);
		buf_puts(&js, "] = [");
		bool first = true;
		for (size_t i = 0; i < s->n_pages; i++) {
			if (s->pages[i]->lang != k || !records[i])
				continue;
			buf_puts(&js, first ? "\n" : ",\n");
			buf_puts(&js, records[i]);
			first = false;
		}
		buf_puts(&js, "\n];\n");
		char *rel = xasprintf("%s/search-index.js", s->langs[k].code);
		if (output_write(out, rel, js.data, js.len, s->config_path) < 0)
			rc = -1;
		free(rel);
		buf_free(&js);
	}
	return rc;
}
