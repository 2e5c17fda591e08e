/* buf.c - a growable byte buffer; see buf.h for the invariants. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

char buf_empty[1];

void buf_init(struct buf *b)
{
	b->data = buf_empty;
	b->len = 0;
	b->cap = 0;
}

void buf_grow_slow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if (b->cap == 0) {
		b->data = xmalloc(cap);
		b->data[0] = '\0';
	} else {
		b->data = xrealloc(b->data, cap);
	}
	b->cap = cap;
}

void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = xvsnprintf(b->data + b->len, b->cap ? b->cap - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= (b->cap ? b->cap - b->len : 0)) {
		buf_grow(b, (size_t)n);
		xvsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_put_uint_slow(struct buf *b, uintmax_t v)
{
	/* The digits are written backwards straight into the room made. */
	size_t n = 1;
	for (uintmax_t t = v; t >= 10; t /= 10)
		n++;
	buf_grow(b, n);
	char *p = b->data + b->len + n;
	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	b->len += n;
}

void buf_puts_url_path(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p)) {
			buf_putc(b, (char)*p);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

void buf_reset(struct buf *b)
{
	buf_truncate(b, 0);
}

void buf_add_html(struct buf *b, const char *s, size_t len)
{
	/* One table look-up a byte: what every page's text goes through. */
	static const unsigned char esc[256] = { ['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5 };
	static const char rep[][8] = { "", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
	static const unsigned char rep_len[] = { 0, 5, 4, 4, 6, 5 };
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned e = esc[u[i]];
		if (__builtin_expect(e == 0, 1))
			continue;
		buf_add(b, s + start, i - start);
		buf_add(b, rep[e], rep_len[e]);
		start = i + 1;
	}
	buf_add(b, s + start, len - start);
}

void buf_puts_html(struct buf *b, const char *s)
{
	buf_add_html(b, s, strlen(s));
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *r = b->cap ? b->data : xstrdup("");
	if (len)
		*len = b->len;
	buf_init(b);
	return r;
}

void buf_free(struct buf *b)
{
	if (b->cap)
		free(b->data);
	buf_init(b);
}
