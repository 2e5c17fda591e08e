/* xalloc.h - allocation that cannot fail: the bottom of every layer.
 *
 * Out of memory is the one fatal error in toivo: the x* wrappers print a
 * message and exit(1).  Every other failure is returned to the caller.
 * Everything they return is the caller's, freed with free().
 */
#ifndef TOIVO_XALLOC_H
#define TOIVO_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* vsnprintf, written without printf for a format that converts nothing
 * but %s, %.*s, %d, %u, %zu and %% (most of toivo's: printf costs about
 * 900 instructions a call); printf's for any other. */
int xvsnprintf(char *dst, size_t cap, const char *fmt, va_list ap);

/* Grows *items (of *cap elements of size `size`) to hold at least n + 1. */
void *xgrow(void *items, size_t *cap, size_t n, size_t size);

#endif
