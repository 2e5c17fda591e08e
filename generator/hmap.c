/* hmap.c - open-addressing string hash map (FNV-1a, linear probing). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "xalloc.h"

static uint64_t S_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t S_slot(char **keys, size_t cap, const char *key)
{
	size_t i = (size_t)S_hash(key) & (cap - 1);
	while (keys[i] && strcmp(keys[i], key) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

void *hmap_get(const struct hmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t i = S_slot(m->keys, m->cap, key);
	return m->keys[i] ? m->vals[i] : NULL;
}

static void S_resize(struct hmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	char **keys = xcalloc(cap, sizeof *keys);
	void **vals = xcalloc(cap, sizeof *vals);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = S_slot(keys, cap, m->keys[i]);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
}

void *hmap_put(struct hmap *m, const char *key, void *val)
{
	if ((m->n + 1) * 2 > m->cap)
		S_resize(m);
	size_t i = S_slot(m->keys, m->cap, key);
	if (m->keys[i]) {
		void *old = m->vals[i];
		m->vals[i] = val;
		return old;
	}
	m->keys[i] = xstrdup(key);
	m->vals[i] = val;
	m->n++;
	return NULL;
}

void hmap_free(struct hmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->n = m->cap = 0;
}
