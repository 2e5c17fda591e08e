/* search_impl.h - what search.c (each page's words) and search_write.c
 * (the index files) share: the tables of word forms and terms.  For those
 * two files only. */
#ifndef TOIVO_SEARCH_IMPL_H
#define TOIVO_SEARCH_IMPL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "site.h"
#include "spool.h"
#include "value.h"

/* The hash of w (len bytes).  It is built a byte at a time from 0 with
 * search_hash_step and finished with the length by search_hash_end, so a
 * word can be hashed as it is read: rotating by 5 is linear over XOR, and
 * starting from the length instead of 0 adds the length rotated 5 times
 * per byte. */
uint32_t search_hash(const char *w, size_t len);
static inline uint64_t search_hash_step(uint64_t h, unsigned char c)
{
	return ((h << 5) | (h >> 59)) ^ c;
}
static inline uint32_t search_hash_end(uint64_t h, size_t len)
{
	unsigned r = (unsigned)(len * 5 % 64);
	uint64_t l = len;
	h ^= r ? (l << r) | (l >> (64 - r)) : l;
	h *= 0x9e3779b97f4a7c15u;
	return (uint32_t)(h >> 32);
}

/* A set of strings kept NUL-terminated in one arena, each known by its
 * number (the order it came in).  Open addressing on the numbers. */
struct strset {
	struct buf arena;
	uint32_t *off;          /* number -> offset in arena; off[n] is the end */
	uint32_t *hash;         /* number -> hash */
	size_t n, cap;
	uint64_t *slot;         /* hash << 32 | number + 1, 0 empty */
	size_t mask;
};

void search_strset_free(struct strset *t);
static inline const char *search_str(const struct strset *t, uint32_t i)
{
	return t->arena.data + t->off[i];
}
/* Its length in bytes. */
static inline size_t search_strlen(const struct strset *t, uint32_t i)
{
	return t->off[i + 1] - t->off[i] - 1;
}
/* The number of s (len bytes, hash h) in t, added when new.  t's arena
 * keeps 8 readable bytes past its end for search_same. */
uint32_t search_intern(struct strset *t, const char *s, size_t len, uint32_t h);
/* Adds s (not in t, whose slot table exists) at empty slot i, where a
 * probe for h stopped; its number. */
uint32_t search_insert(struct strset *t, const char *s, size_t len, uint32_t h, size_t i);

/* Whether the len bytes at a and b are the same; 8 bytes must be readable
 * from each (a strset's arena and a page's word buffer keep that slack):
 * a word of 8 bytes or less is one masked compare, not a call. */
static inline bool search_same(const char *a, const char *b, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (len <= 8) {
		uint64_t x, y;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		uint64_t mask = len == 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * len)) - 1;
		return ((x ^ y) & mask) == 0;
	}
#endif
	return memcmp(a, b, len) == 0;
}

/* search_intern for a string that is most often there already: found
 * inline, added where the probe stopped.  s needs search_same's slack. */
static inline uint32_t search_intern_inline(struct strset *t, const char *s, size_t len, uint32_t h)
{
	if (!t->slot)
		return search_intern(t, s, len, h);
	uint64_t want = (uint64_t)h << 32;
	for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
		uint64_t v = t->slot[i];
		if (!v)
			return search_insert(t, s, len, h, i);  /* not there: no second probe */
		uint32_t k = (uint32_t)v - 1;
		if ((v & 0xffffffff00000000u) == want && search_strlen(t, k) == len &&
		    search_same(search_str(t, k), s, len))
			return k;
	}
}

static inline void search_json_str(struct buf *b, const char *s)
{
	value_json_string(b, s ? s : "", s ? strlen(s) : 0);
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
/* A page a term stands on, in search_write. */
struct posting {
	uint32_t page;          /* number among the language's pages */
	uint16_t tf;            /* then the score */
	uint16_t sec;
};

/* Keeps the max best-scored of the n postings ps, in their order (by
 * page): all that score above the max-th best, and of those that tie with
 * it the first (what a stable sort by score would keep).  Returns how
 * many it kept: max, or n when n <= max (all kept). */
size_t search_keep_best(struct posting *ps, size_t n, size_t max);

struct page_words {
	struct strset set;
	struct search_hit *w;   /* by number in set; form unused */
	size_t cap;
	uint32_t words;
	struct buf low;
	uint32_t *by_stripe;    /* numbers in set, stripe by stripe */
	size_t cap_by_stripe;
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

#endif
