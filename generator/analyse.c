/* analyse.c - the search terms of a word: Voikko for Finnish, Snowball for
 * the languages it has, the word itself for the rest.  See analyse.h.
 *
 * Voikko's STRUCTURE attribute marks with '=' where each part of a word
 * starts, one character of it per character of the surface form
 * ("kokemusasiantuntijoiden" is "=ppppppp=ppppp=ppppppppppp").  The tail
 * from each inner '=' is a word of its own ("asiantuntijoiden",
 * "tuntijoiden"), so analysing it gives that part's base form in the
 * right case; the first part ("kokemus") is analysed as it stands and
 * kept when Voikko knows it.  WORDBASES would go on into derivations
 * ("toipuminen" -> "toipua"), finer than a reader searches.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <libvoikko/voikko.h>

#include "analyse.h"
#include "buf.h"
#include "util.h"

/* Longer words are their own term: no Finnish word is this long, and
 * Voikko's cost grows with the length. */
#define ANALYSE_MAX_WORD 80
/* Most analyses of one word that count (Voikko lists every reading). */
#define ANALYSE_MAX_READINGS 4

struct analyser {
	enum analyse_method method;
	struct VoikkoHandle *voikko;
	struct sb_stemmer *snowball;
	struct buf tmp;
};

int analyser_new(struct analyser **out, const char *lang, const char **why)
{
	*out = NULL;
	*why = NULL;
	struct analyser *a = xcalloc(1, sizeof *a);
	int rc = -1;
	/* libstemmer takes ISO 639-1 codes ("en", "fi", "sv") as names. */
	a->snowball = sb_stemmer_new(lang, "UTF_8");
	a->method = a->snowball ? ANALYSE_SNOWBALL : ANALYSE_WORD;
	if (!strcmp(lang, "fi")) {
		const char *err = NULL;
		a->voikko = voikkoInit(&err, "fi", NULL);
		if (!a->voikko) {
			*why = "Finnish search needs the Voikko dictionary, which is not installed; "
			       "run: sudo apt-get install voikko-fi";
			goto out;
		}
		a->method = ANALYSE_VOIKKO;
	}
	*out = a;
	a = NULL;
	rc = 0;
out:
	analyser_free(a);
	return rc;
}

void analyser_free(struct analyser *a)
{
	if (!a)
		return;
	if (a->voikko)
		voikkoTerminate(a->voikko);
	if (a->snowball)
		sb_stemmer_delete(a->snowball);
	buf_free(&a->tmp);
	free(a);
}

enum analyse_method analyser_method(const struct analyser *a)
{
	return a->method;
}

/* Adds term t (n bytes) to out unless it is empty or there already;
 * returns 1 when added.  out is short (a few terms), so a scan will do. */
static int S_add(struct buf *out, size_t from, const char *t, size_t n)
{
	if (n == 0)
		return 0;
	const char *p = out->data ? out->data + from : NULL;
	const char *end = out->data ? out->data + out->len : NULL;
	while (p && p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		size_t len = sp ? (size_t)(sp - p) : (size_t)(end - p);
		if (len == n && !memcmp(p, t, n))
			return 0;
		p += len + 1;
	}
	if (out->len > from)
		buf_putc(out, ' ');
	buf_add(out, t, n);
	return 1;
}

/* The number of terms in out past from. */
static int S_count(const struct buf *out, size_t from)
{
	if (out->len == from)
		return 0;
	int n = 1;
	for (size_t i = from; i < out->len; i++)
		n += out->data[i] == ' ';
	return n;
}

/* Adds the lower-case Snowball stem of word. */
static int S_stem(struct analyser *a, struct buf *out, size_t from, const char *word, size_t len)
{
	const sb_symbol *s = sb_stemmer_stem(a->snowball, (const sb_symbol *)word, (int)len);
	if (!s)         /* out of memory in libstemmer: the word stands */
		return S_add(out, from, word, len);
	return S_add(out, from, (const char *)s, (size_t)sb_stemmer_length(a->snowball));
}

/* The number of UTF-8 bytes of the first n code points of s. */
static size_t S_cp_bytes(const char *s, size_t len, size_t n)
{
	size_t i = 0;
	while (i < len && n > 0) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		n--;
	}
	return i;
}

/* Adds the base forms Voikko gives for word (NUL-terminated); with
 * structure, also keeps each reading's STRUCTURE in *structure (the
 * first reading's, caller frees).  Returns the number of readings. */
static int S_voikko(struct analyser *a, struct buf *out, size_t from, const char *word, char **structure)
{
	struct voikko_mor_analysis **r = voikkoAnalyzeWordCstr(a->voikko, word);
	int n = 0;
	for (; r && r[n] && n < ANALYSE_MAX_READINGS; n++) {
		char *base = voikko_mor_analysis_value_cstr(r[n], "BASEFORM");
		if (base) {
			buf_reset(&a->tmp);
			analyse_lower(&a->tmp, base, strlen(base));
			S_add(out, from, a->tmp.data, a->tmp.len);
			voikko_free_mor_analysis_value_cstr(base);
		}
		if (structure && !*structure) {
			char *st = voikko_mor_analysis_value_cstr(r[n], "STRUCTURE");
			if (st) {
				*structure = xstrdup(st);
				voikko_free_mor_analysis_value_cstr(st);
			}
		}
	}
	if (r)
		voikko_free_mor_analysis(r);
	return n;
}

/* The Finnish terms of word (NUL-terminated at len). */
static void S_finnish(struct analyser *a, struct buf *out, size_t from, const char *word, size_t len,
		      int *whole)
{
	char *structure = NULL;
	if (S_voikko(a, out, from, word, &structure) == 0) {
		S_stem(a, out, from, word, len);
		return;
	}
	*whole = S_count(out, from);
	if (!structure)
		return;
	/* Each '=' after the first starts a part at the surface character
	 * counted so far ('=' itself stands for no character). */
	size_t chars = 0, first_end = 0;
	char *part = xmalloc(len + 1);
	for (const char *st = structure; *st; st++) {
		if (*st != '=') {
			chars++;
			continue;
		}
		if (chars == 0)
			continue;
		size_t at = S_cp_bytes(word, len, chars);
		if (at >= len)
			break;
		if (!first_end) {
			first_end = at;
			memcpy(part, word, at);
			part[at] = '\0';
			S_voikko(a, out, from, part, NULL);
		}
		memcpy(part, word + at, len - at);
		part[len - at] = '\0';
		S_voikko(a, out, from, part, NULL);
	}
	free(part);
	free(structure);
}

int analyser_terms(struct analyser *a, struct buf *out, const char *word, size_t len, int *whole)
{
	size_t from = out->len;
	int whole_n = -1;
	if (whole)
		*whole = 0;
	if (len == 0)
		return 0;
	if (len > ANALYSE_MAX_WORD || a->method == ANALYSE_WORD) {
		S_add(out, from, word, len);
	} else if (a->method == ANALYSE_SNOWBALL) {
		S_stem(a, out, from, word, len);
	} else {
		char *w = xstrndup(word, len);
		S_finnish(a, out, from, w, len, &whole_n);
		free(w);
	}
	if (out->len == from)   /* nothing known: the word stands */
		S_add(out, from, word, len);
	int n = S_count(out, from);
	if (whole)
		*whole = whole_n < 0 ? n : whole_n;
	return n;
}

/* ------------------------------------------------------------------ */
/* lower case                                                           */
/* ------------------------------------------------------------------ */

/* The lower case of cp for the Latin letters, Greek and Cyrillic; the
 * rest as it is. */
static uint32_t S_lower_cp(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp < 0xc0)
		return cp;
	if (cp <= 0xde)
		return cp == 0xd7 ? cp : cp + 32;
	if (cp >= 0x100 && cp <= 0x17f) {
		/* Latin Extended-A pairs upper/lower as even/odd, except in
		 * 0x139..0x148 and 0x179..0x17e, where they are odd/even. */
		bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e);
		if (cp == 0x130 || cp == 0x131 || cp == 0x138 || cp == 0x149 || cp == 0x17f)
			return cp == 0x130 ? 'i' : cp;
		if (cp == 0x178)
			return 0xff;
		return odd_upper ? (cp & 1 ? cp + 1 : cp) : (cp & 1 ? cp : cp + 1);
	}
	if (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2)
		return cp + 32;
	if (cp >= 0x410 && cp <= 0x42f)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 80;
	return cp;
}

void analyse_lower(struct buf *out, const char *s, size_t len)
{
	/* No mapping makes a character longer, so the room is known and the
	 * bytes are written straight (this runs for every word of a site). */
	buf_grow(out, len + 1);
	char *o = out->data + out->len;
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		unsigned c = u[i];
		if (c < 0x80) {
			*o++ = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
			continue;
		}
		size_t n = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
		bool valid = n > 1 && i + n <= len;
		uint32_t cp = c & (0x7fu >> n);
		for (size_t k = 1; valid && k < n; k++) {
			if ((u[i + k] & 0xc0) != 0x80)
				valid = false;
			cp = (cp << 6) | (u[i + k] & 0x3f);
		}
		if (!valid) {
			*o++ = (char)c;
			i++;
			continue;
		}
		uint32_t lo = S_lower_cp(cp);
		/* Every mapping above keeps the length of the encoding, except
		 * U+0130 (2 bytes) to 'i'. */
		if (lo < 0x80) {
			*o++ = (char)lo;
		} else if (lo < 0x800) {
			*o++ = (char)(0xc0 | (lo >> 6));
			*o++ = (char)(0x80 | (lo & 0x3f));
		} else {
			memcpy(o, s + i, n);
			o += n;
		}
		i += n;
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
}
