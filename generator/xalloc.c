/* xalloc.c - allocation that cannot fail; see xalloc.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

/* Formatting a message would need memory, so this is the one message
 * that does not go through diag (docs/hacking.md). */
static void S_oom(void)
{
	fputs("toivo: error: out of memory\n", stderr);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		S_oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		S_oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		S_oom();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	/* Formatted once into a stack buffer, and a second time only when
	 * it is too small: printf is dear (it mallocs on every call). */
	char small[256];
	va_list ap, aq;
	va_start(ap, fmt);
	struct buf b = BUF_INIT;
	if (buf_vprintf_plain(&b, fmt, ap) == 0) {
		va_end(ap);
		return buf_detach(&b, NULL);
	}
	va_copy(aq, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		S_oom(); /* only a bad format or no memory */
	char *s = xmalloc((size_t)n + 1);
	if ((size_t)n < sizeof small)
		memcpy(s, small, (size_t)n + 1);
	else
		vsnprintf(s, (size_t)n + 1, fmt, aq);
	va_end(aq);
	return s;
}

void *xgrow(void *items, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return items;
	size_t c = *cap ? *cap * 2 : 8;
	while (c <= n)
		c *= 2;
	*cap = c;
	return xrealloc(items, c * size);
}
