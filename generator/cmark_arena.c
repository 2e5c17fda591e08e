/* cmark_arena.c - cmark-gfm's memory, an arena per thread (see
 * cmark_arena.h).
 *
 * cmark-gfm callocs every node and reallocs every string it builds: a
 * fifth of a build's instructions went to malloc and free.  A page's
 * parser and tree live in an arena instead, emptied when the page is
 * done.  cmark_mem's functions take no context, so the arena is the
 * calling thread's (each worker renders one page at a time). */
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmark_arena.h"
#include "xalloc.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

/* Each allocation starts with its size, so that realloc can copy it. */
#define ARENA_HEAD 16
#define ARENA_CHUNK (256 * 1024)

static _Thread_local struct arena_chunk *S_chunks;       /* newest first */
static _Thread_local unsigned char *S_last;              /* the newest allocation */
static _Thread_local int S_depth;                        /* cmark_arena_enters not left */

static void *S_arena_alloc(size_t size)
{
	/* No size near SIZE_MAX may wrap the sum below: such a request fails
	 * the way every allocation of toivo fails, with its message. */
	if (size > SIZE_MAX / 4)
		return xmalloc(SIZE_MAX);
	size_t need = (ARENA_HEAD + size + 15) & ~(size_t)15;
	struct arena_chunk *c = S_chunks;
	if (!c || c->cap - c->used < need) {
		size_t cap = need > ARENA_CHUNK ? need : ARENA_CHUNK;
		/* A big one goes behind the current chunk, whose room stays in use. */
		c = xmalloc(sizeof *c + cap);
		c->used = 0;
		c->cap = cap;
		if (need > ARENA_CHUNK && S_chunks) {
			c->next = S_chunks->next;
			S_chunks->next = c;
		} else {
			c->next = S_chunks;
			S_chunks = c;
		}
	}
	unsigned char *h = c->data + c->used;
	c->used += need;
	memcpy(h, &size, sizeof size);
	S_last = c == S_chunks ? h : NULL;
	return h + ARENA_HEAD;
}

static void *S_arena_calloc(size_t n, size_t size)
{
	if (size && n > (SIZE_MAX - 64) / size)
		return NULL;
	void *p = S_arena_alloc(n * size);
	memset(p, 0, n * size);
	return p;
}

static void *S_arena_realloc(void *p, size_t size)
{
	if (!p)
		return S_arena_alloc(size);
	unsigned char *h = (unsigned char *)p - ARENA_HEAD;
	size_t old;
	memcpy(&old, h, sizeof old);
	struct arena_chunk *c = S_chunks;
	if (h == S_last) {
		/* The newest allocation grows where it is when there is room. */
		size_t at = (size_t)(h - c->data);
		size_t need = (ARENA_HEAD + size + 15) & ~(size_t)15;
		if (c->cap - at >= need) {
			c->used = at + need;
			memcpy(h, &size, sizeof size);
			return p;
		}
	}
	void *q = S_arena_alloc(size);
	memcpy(q, p, old < size ? old : size);
	return q;
}

static void S_arena_free(void *p)
{
	(void)p;        /* all of it goes with the page */
}

cmark_mem cmark_arena_mem = { S_arena_calloc, S_arena_realloc, S_arena_free };

/* A worker's kept chunk goes when the worker ends. */
static pthread_key_t S_arena_key;
static pthread_once_t S_arena_once = PTHREAD_ONCE_INIT;

static void S_arena_exit(void *unused)
{
	(void)unused;
	for (struct arena_chunk *c = S_chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	S_chunks = NULL;
	S_last = NULL;
}

static void S_arena_key_make(void)
{
	pthread_key_create(&S_arena_key, S_arena_exit);
}

/* Empties this thread's arena, keeping one chunk for the next page. */
static void S_arena_reset(void)
{
	struct arena_chunk *keep = NULL;
	for (struct arena_chunk *c = S_chunks, *next; c; c = next) {
		next = c->next;
		if (!keep && c->cap == ARENA_CHUNK) {
			keep = c;
			keep->used = 0;
			keep->next = NULL;
		} else {
			free(c);
		}
	}
	S_chunks = keep;
	S_last = NULL;
	if (keep) {
		pthread_once(&S_arena_once, S_arena_key_make);
		pthread_setspecific(S_arena_key, keep);
	}
}

void cmark_arena_enter(void)
{
	S_depth++;
}

void cmark_arena_leave(void)
{
	if (--S_depth == 0)
		S_arena_reset();
}
