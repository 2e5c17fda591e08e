/* buf.h - a growable byte buffer.
 *
 * Invariants (as in git's strbuf): `data` is never NULL and always
 * NUL-terminated, `len` bytes are in use.  BUF_INIT makes an empty buffer
 * that owns no memory yet.  buf_free() releases the memory; buf_detach()
 * hands it to the caller, who frees it with free().
 */
#ifndef TOIVO_BUF_H
#define TOIVO_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0 }

void buf_init(struct buf *b);
/* Makes room for extra more bytes and the NUL. */
void buf_grow_slow(struct buf *b, size_t extra);
/* The common cases of growing and appending are inline: the page writer
 * and the search index append millions of short pieces. */
static inline void buf_grow(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
		buf_grow_slow(b, extra);
}
static inline void buf_add(struct buf *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	buf_grow(b, len);
	__builtin_memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}
static inline void buf_putc(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends v in decimal: what buf_printf("%ju") writes, without its cost
 * (the search index writes millions of numbers). */
void buf_put_uint_slow(struct buf *b, uintmax_t v);
static inline void buf_put_uint(struct buf *b, uintmax_t v)
{
	/* Most numbers written (a search index's postings) are below 100. */
	if (v >= 100) {
		buf_put_uint_slow(b, v);
		return;
	}
	buf_grow(b, 2);
	char *p = b->data + b->len;
	if (v >= 10)
		*p++ = (char)('0' + v / 10);
	*p++ = (char)('0' + v % 10);
	*p = '\0';
	b->len = (size_t)(p - b->data);
}
void buf_truncate(struct buf *b, size_t len);
void buf_reset(struct buf *b);
/* Appends s with &, <, >, " and ' escaped for HTML text and attributes. */
void buf_add_html(struct buf *b, const char *s, size_t len);
void buf_puts_html(struct buf *b, const char *s);
/* Appends path s percent-encoded for a URL: letters, digits, '-', '.',
 * '_', '~' and '/' as they are, every other byte as %XX. */
void buf_puts_url_path(struct buf *b, const char *s);
/* Returns the contents (caller frees) and leaves b empty. */
char *buf_detach(struct buf *b, size_t *len);
void buf_free(struct buf *b);

#endif
