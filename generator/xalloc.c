/* xalloc.c - allocation that cannot fail; see xalloc.h. */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Below diag and buf: formatting a message would need memory, so this is
 * the one message that does not go through diag (docs/hacking.md). */
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

/* Whether fmt converts nothing but %s, %.*s, %d, %u, %zu and %%. */
static bool S_plain_format(const char *fmt)
{
	for (const char *p = fmt; (p = strchr(p, '%'));) {
		p++;
		if (*p == 's' || *p == 'd' || *p == 'u' || *p == '%')
			p++;
		else if (p[0] == 'z' && p[1] == 'u')
			p += 2;
		else if (p[0] == '.' && p[1] == '*' && p[2] == 's')
			p += 3;
		else
			return false;
	}
	return true;
}

/* Puts len bytes at dst + *n as far as cap (less the NUL) allows, and
 * counts them all, as vsnprintf counts what did not fit. */
static void S_put(char *dst, size_t cap, size_t *n, const char *s, size_t len)
{
	if (cap && *n < cap - 1)
		memcpy(dst + *n, s, len < cap - 1 - *n ? len : cap - 1 - *n);
	*n += len;
}

static void S_put_num(char *dst, size_t cap, size_t *n, uintmax_t v, bool neg)
{
	char d[24], *p = d + sizeof d;
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (neg)
		*--p = '-';
	S_put(dst, cap, n, p, (size_t)(d + sizeof d - p));
}

int xvsnprintf(char *dst, size_t cap, const char *fmt, va_list ap)
{
	if (!S_plain_format(fmt))
		return vsnprintf(dst, cap, fmt, ap);
	size_t n = 0;
	for (const char *p = fmt;;) {
		const char *q = strchr(p, '%');
		if (!q) {
			S_put(dst, cap, &n, p, strlen(p));
			break;
		}
		S_put(dst, cap, &n, p, (size_t)(q - p));
		switch (*++q) {
		case 's': {
			const char *v = va_arg(ap, const char *);
			v = v ? v : "(null)";
			S_put(dst, cap, &n, v, strlen(v));
			break;
		}
		case 'd': {
			int v = va_arg(ap, int);
			S_put_num(dst, cap, &n, v < 0 ? (uintmax_t)(-(intmax_t)v) : (uintmax_t)v, v < 0);
			break;
		}
		case 'u':
			S_put_num(dst, cap, &n, va_arg(ap, unsigned), false);
			break;
		case 'z':
			S_put_num(dst, cap, &n, va_arg(ap, size_t), false);
			q++;
			break;
		case '.': {
			int prec = va_arg(ap, int);
			const char *v = va_arg(ap, const char *);
			if (!v)         /* as glibc: "(null)" when it fits */
				v = prec < 0 || prec >= 6 ? "(null)" : "";
			S_put(dst, cap, &n, v, prec < 0 ? strlen(v) : strnlen(v, (size_t)prec));
			q += 2;
			break;
		}
		default:        /* %% */
			S_put(dst, cap, &n, "%", 1);
			break;
		}
		p = q + 1;
	}
	if (cap)
		dst[n < cap ? n : cap - 1] = '\0';
	return n > INT_MAX ? -1 : (int)n;
}

char *xasprintf(const char *fmt, ...)
{
	/* Formatted once into a stack buffer, and a second time only when
	 * it is too small: printf is dear (it mallocs on every call). */
	char small[256];
	va_list ap, aq;
	va_start(ap, fmt);
	va_copy(aq, ap);
	int n = xvsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		S_oom(); /* only a bad format or no memory */
	char *s = xmalloc((size_t)n + 1);
	if ((size_t)n < sizeof small)
		memcpy(s, small, (size_t)n + 1);
	else
		xvsnprintf(s, (size_t)n + 1, fmt, aq);
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
