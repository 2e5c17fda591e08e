/* search.c - the site search index, page by page: accent folding, each
 * page's words (title, headings, sections) interned in the language's
 * table of forms, and its record (title, module, URL, section snippets)
 * put in the spool.  The plain text comes from the page's tree (markdown.c
 * through plaintext.c); the index files are written by search_write.c.  See search.h for the format.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"
#include "buf.h"
#include "diag.h"
#include "search.h"
#include "search_impl.h"
#include "plaintext.h"
#include "site.h"
#include "spool.h"
#include "utf8.h"
#include "util.h"
#include "value.h"

/* ------------------------------------------------------------------ */
/* UTF-8 and folding                                                    */
/* ------------------------------------------------------------------ */

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
		return utf8_encode(o, cp);
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
		size_t n = utf8_decode(u + i, len - i, &cp);
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
/* word forms                                                           */
/* ------------------------------------------------------------------ */

uint32_t search_hash(const char *w, size_t len)
{
	uint64_t h = 0;
	for (size_t i = 0; i < len; i++)
		h = search_hash_step(h, (unsigned char)w[i]);
	return search_hash_end(h, len);
}

void search_strset_free(struct strset *t)
{
	buf_free(&t->arena);
	free(t->off);
	free(t->hash);
	free(t->slot);
}

uint32_t search_intern(struct strset *t, const char *s, size_t len, uint32_t h)
{
	if (!t->slot) {
		t->mask = 255;
		t->slot = xcalloc(t->mask + 1, sizeof *t->slot);
	}
	/* A slot holds the hash above the number + 1, so a probe reads one
	 * word before it compares any string. */
	uint64_t want = (uint64_t)h << 32;
	size_t i = h & t->mask;
	for (uint64_t v; (v = t->slot[i]); i = (i + 1) & t->mask) {
		if ((v & 0xffffffff00000000u) != want)
			continue;
		uint32_t k = (uint32_t)v - 1;
		if (search_strlen(t, k) == len && !memcmp(search_str(t, k), s, len))
			return k;
	}
	return search_insert(t, s, len, h, i);
}

uint32_t search_insert(struct strset *t, const char *s, size_t len, uint32_t h, size_t i)
{
	uint64_t want = (uint64_t)h << 32;
	size_t cap = t->cap;
	t->off = xgrow(t->off, &cap, t->n + 2, sizeof *t->off);
	t->hash = xgrow(t->hash, &t->cap, t->n + 2, sizeof *t->hash);
	uint32_t k = (uint32_t)t->n++;
	t->off[k] = (uint32_t)t->arena.len;
	t->hash[k] = h;
	buf_add(&t->arena, s, len);
	buf_putc(&t->arena, '\0');    /* the NUL between strings */
	buf_grow(&t->arena, 8);         /* search_same's slack */
	t->off[k + 1] = (uint32_t)t->arena.len;
	t->slot[i] = want | (k + 1);
	if (t->n * 2 > t->mask) {
		size_t nc = (t->mask + 1) * 2;
		uint64_t *ns = xcalloc(nc, sizeof *ns);
		for (size_t j = 0; j <= t->mask; j++) {
			uint64_t v = t->slot[j];
			if (!v)
				continue;
			size_t p = (v >> 32) & (nc - 1);
			while (ns[p])
				p = (p + 1) & (nc - 1);
			ns[p] = v;
		}
		free(t->slot);
		t->slot = ns;
		t->mask = nc - 1;
	}
	return k;
}

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
		search_strset_free(&pw->set);
		free(pw->w);
		free(pw->by_stripe);
		buf_free(&pw->low);
		free(pw);
	}
	pthread_mutex_destroy(&ix->pool_lock);
	for (int k = 0; k < ix->site->n_langs; k++) {
		struct lang_index *li = &ix->lang[k];
		for (unsigned i = 0; i < FORM_STRIPES; i++) {
			struct form_stripe *st = &li->stripe[i];
			pthread_mutex_destroy(&st->lock);
			search_strset_free(&st->forms);
			free(st->term_at);
			free(st->term_n);
			free(st->term_whole);
			free(st->used);
		}
		analyser_free(li->analyser);
		search_strset_free(&li->terms);
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

/* Eight bytes at once (little-endian: the first in the low byte): a bit
 * 0x80 in each byte that is an ASCII letter or digit, and in *fold the
 * bytes as S_ascii_fold folds those (the others are left anyhow).  Each
 * range test adds to bytes below 0x80, so no carry crosses a byte. */
static inline uint64_t S_word8(uint64_t x, uint64_t *fold)
{
	const uint64_t hi = 0x8080808080808080u, ones = 0x0101010101010101u;
	uint64_t y = x & ~hi;
	uint64_t low = y | 0x20 * ones;         /* digits have 0x20 already */
	uint64_t digit = (y + (0x80 - '0') * ones) & ~(y + (0x7f - '9') * ones);
	uint64_t letter = (low + (0x80 - 'a') * ones) & ~(low + (0x7f - 'z') * ones);
	*fold = low;
	return (digit | letter) & ~x & hi;
}

/* search_hash_step over the first n (0..8) bytes of fold, from h: each
 * byte rotated by 5 per byte after it, which for 8 bits and at most 7
 * bytes after is a shift (byte k of 8 by 35 - 5k), so the bytes need no
 * loop: pairs, then pairs of pairs, then the two halves, each a lane
 * wide enough for what it holds. */
static inline uint64_t S_hash8(uint64_t h, uint64_t fold, unsigned n)
{
	if (n < 8)
		fold &= (UINT64_C(1) << (8 * n)) - 1;
	const uint64_t m8 = 0x00ff00ff00ff00ffu, m16 = 0x0000ffff0000ffffu;
	uint64_t x = ((fold & m8) << 5) ^ ((fold >> 8) & m8);  /* 13 bits in 16 */
	x = ((x & m16) << 10) ^ ((x >> 16) & m16);             /* 23 bits in 32 */
	x = ((x & 0xffffffffu) << 20) ^ (x >> 32);             /* 43 bits */
	unsigned r = 5 * n;
	return (r ? (h << r) | (h >> (64 - r)) : h) ^ (x >> (40 - r));
}

/* Adds the words of t[0..len), in section sec, weight weight each (a
 * heading's words mark their section as their best).  This reads every
 * word of a site: each is lower-cased and hashed in the same pass, eight
 * ASCII bytes at a time where it can (a branch per byte mispredicted at
 * every word's end). */
static void S_page_words(struct page_words *pw, const char *t, size_t len, unsigned sec, unsigned weight)
{
	const unsigned char *u = (const unsigned char *)t;
	/* No character grows in lower case, so one word has room in low. */
	buf_reset(&pw->low);
	buf_grow(&pw->low, len + 8);    /* a word's room, and search_same's slack */
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = 1;
		if (u[i] < 0x80 ? !S_ascii_fold[u[i]] : (n = utf8_decode(u + i, len - i, &cp), !S_word_cp(cp))) {
			i += n;
			continue;
		}
		/* The word in lower case as it is read: ASCII through the
		 * table, the rest through analyse_lower a character at a time. */
		size_t a = i;
		char *o = pw->low.data;
		uint64_t h = 0;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* o stays i - a <= len - 8 into low, which has len + 8. */
		while (i + 8 <= len) {
			uint64_t x, fold;
			memcpy(&x, u + i, 8);
			uint64_t stop = ~S_word8(x, &fold) & 0x8080808080808080u;
			unsigned m = stop ? (unsigned)__builtin_ctzll(stop) >> 3 : 8;
			memcpy(o, &fold, 8);
			o += m;
			h = S_hash8(h, fold, m);
			i += m;
			/* Ended by a byte between words: the word is whole; by
			 * one of UTF-8, the loop below goes on (as it does for
			 * a byte S_word8 and S_ascii_fold would see apart). */
			if (m < 8) {
				if (u[i] < 0x80 && i > a)
					goto whole;
				break;
			}
		}
#endif
		while (i < len) {
			unsigned char c = u[i];
			if (c < 0x80) {
				unsigned char f = S_ascii_fold[c];
				if (!f)
					break;
				*o++ = (char)f;
				h = search_hash_step(h, f);
				i++;
				continue;
			}
			n = utf8_decode(u + i, len - i, &cp);
			if (!S_word_cp(cp))
				break;
			size_t at = (size_t)(o - pw->low.data);
			pw->low.len = at;
			analyse_lower(&pw->low, t + i, n);
			for (; at < pw->low.len; at++)
				h = search_hash_step(h, (unsigned char)pw->low.data[at]);
			o = pw->low.data + at;
			i += n;
		}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
whole:;
#endif
		size_t wl = (size_t)(o - pw->low.data);
		*o = '\0';
		pw->words++;
		if (i - a < 2)
			continue;
		uint32_t k = search_intern_inline(&pw->set, pw->low.data, wl, search_hash_end(h, wl));
		if (k >= pw->cap) {
			size_t old = pw->cap;
			pw->w = xgrow(pw->w, &pw->cap, k + 1, sizeof *pw->w);
			memset(pw->w + old, 0, (pw->cap - old) * sizeof *pw->w);
		}
		struct search_hit *hit = &pw->w[k];
		bool first = hit->tf == 0;
		hit->tf = (uint16_t)(hit->tf + weight > 65535 ? 65535 : hit->tf + weight);
		/* The best section: the first heading the word stands in, else
		 * the first section it stands in.  form marks "in a heading". */
		if (weight == W_HEADING && !hit->form) {
			hit->sec = (uint16_t)sec;
			hit->form = 1;
		} else if (first && weight != W_TITLE) {
			hit->sec = (uint16_t)sec;
		}
	}
	pw->low.len = 0;
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

bool search_wants(const struct search *ix, const struct page *p)
{
	if (!ix || p->kind == PAGE_404 || p->draft)
		return false;
	const struct value *flag = value_get(p->fm, "search");
	return !flag || value_truthy(flag);
}

struct search_doc *search_page(struct search *ix, const struct page *p, struct plaintext *t)
{
	struct plaintext_heading *hd = t->h;
	size_t n_h = t->n_h;
	if (!t->text.data)
		buf_grow(&t->text, 1);    /* a page without text: "" */
	const struct buf text = t->text;

	/* The words: the title's, each heading's, each section's body. */
	struct page_words *pwp = S_pw_take(ix);
	struct page_words pw = *pwp;
	S_page_words(&pw, p->title ? p->title : "", p->title ? strlen(p->title) : 0, 0, W_TITLE);
	size_t at = 0;
	for (size_t i = 0; i <= n_h; i++) {
		size_t end = i < n_h ? hd[i].start : text.len;
		S_page_words(&pw, text.data + at, end - at, (unsigned)i, W_BODY);
		if (i < n_h) {
			S_page_words(&pw, text.data + hd[i].start, hd[i].end - hd[i].start, (unsigned)i + 1, W_HEADING);
			at = hd[i].end;
		}
	}

	/* The record: [title, module, url, [[heading, id, text], ...]],
	 * section 0 being the text before the first heading. */
	struct buf r = BUF_INIT;
	buf_putc(&r, '[');
	search_json_str(&r, p->title);
	buf_putc(&r, ',');
	search_json_str(&r, p->module && p->module != p ? p->module->title : "");
	buf_putc(&r, ',');
	const char *rel = strchr(p->path, '/');
	rel = rel ? rel + 1 : p->path;
	char *url = xasprintf("%sindex.html", rel);
	search_json_str(&r, url);
	free(url);
	buf_puts(&r, ",[[\"\",\"\",");
	size_t budget = SEARCH_RECORD_TEXT;
	size_t first_end = n_h ? hd[0].start : text.len;
	size_t before = r.len;
	S_json_cut(&r, text.data, 0, first_end, SEARCH_SECTION_TEXT);
	budget -= r.len - before < budget ? r.len - before : budget;
	buf_putc(&r, ']');
	for (size_t i = 0; i < n_h; i++) {
		buf_puts(&r, ",[");
		S_json_cut(&r, text.data, hd[i].start, hd[i].end, SEARCH_SECTION_TEXT);
		buf_putc(&r, ',');
		search_json_str(&r, hd[i].id);
		buf_putc(&r, ',');
		size_t end = i + 1 < n_h ? hd[i + 1].start : text.len;
		before = r.len;
		S_json_cut(&r, text.data, hd[i].end, end, budget < SEARCH_SECTION_TEXT ? budget : SEARCH_SECTION_TEXT);
		budget -= r.len - before < budget ? r.len - before : budget;
		buf_putc(&r, ']');
	}
	buf_puts(&r, "]]");

	/* The forms, interned in the language's table. */
	struct search_doc *d = xcalloc(1, sizeof *d);
	d->lang = p->lang;
	d->words = pw.words;
	spool_put(ix->spool, &d->record, r.data, r.len);
	buf_free(&r);
	d->n_hit = pw.set.n;
	d->hit = xmalloc((d->n_hit + 1) * sizeof *d->hit);
	struct lang_index *li = &ix->lang[p->lang];
	/* A stripe at a time, its lock taken once for all of the page's
	 * words in it (in their order, as one at a time would add them). */
	uint32_t at_s[FORM_STRIPES + 1] = { 0 };
	for (size_t k = 0; k < pw.set.n; k++)
		at_s[(pw.set.hash[k] >> (32 - FORM_STRIPE_BITS)) + 1]++;
	for (unsigned s = 0; s < FORM_STRIPES; s++)
		at_s[s + 1] += at_s[s];
	pw.by_stripe = xgrow(pw.by_stripe, &pw.cap_by_stripe, pw.set.n + 1, sizeof *pw.by_stripe);
	for (size_t k = 0; k < pw.set.n; k++)
		pw.by_stripe[at_s[pw.set.hash[k] >> (32 - FORM_STRIPE_BITS)]++] = (uint32_t)k;
	for (unsigned s = 0, i = 0; s < FORM_STRIPES; s++) {
		if (i == at_s[s])
			continue;
		struct form_stripe *st = &li->stripe[s];
		pthread_mutex_lock(&st->lock);
		for (; i < at_s[s]; i++) {
			uint32_t k = pw.by_stripe[i];
			uint32_t f = search_intern_inline(&st->forms, search_str(&pw.set, k), search_strlen(&pw.set, k),
						   pw.set.hash[k]);
			d->hit[k] = (struct search_hit){ .form = FORM_REF(s, f), .tf = pw.w[k].tf, .sec = pw.w[k].sec };
		}
		pthread_mutex_unlock(&st->lock);
	}
	*pwp = pw;
	S_pw_give(ix, pwp);
	return d;
}

