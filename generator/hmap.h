/* hmap.h - a string-keyed hash map of pointers (open addressing).
 * Keys are copied; values are the caller's.  HMAP_INIT is an empty map;
 * hmap_free() frees the keys and the table, not the values. */
#ifndef TOIVO_HMAP_H
#define TOIVO_HMAP_H

#include <stddef.h>

struct hmap {
	char **keys;
	void **vals;
	size_t n, cap;
};
#define HMAP_INIT { NULL, NULL, 0, 0 }

void *hmap_get(const struct hmap *m, const char *key);
/* Sets key to val and returns the previous value (NULL when new). */
void *hmap_put(struct hmap *m, const char *key, void *val);
void hmap_free(struct hmap *m);

#endif
