/* pdf_meta.c - an incremental update that writes the Info dictionary. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pdf_meta.h"
#include "util.h"

int pdf_base64_decode(char **out, size_t *len, const char *text, size_t n)
{
	static signed char val[256];
	if (!val['B']) {
		memset(val, -1, sizeof val);
		const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		for (int i = 0; a[i]; i++)
			val[(unsigned char)a[i]] = (signed char)i;
	}
	char *o = xmalloc(n / 4 * 3 + 3);
	size_t k = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '=')
			break;
		if (c == '\n' || c == '\r')
			continue;
		if (val[c] < 0) {
			free(o);
			return -1;
		}
		acc = (acc << 6) | (uint32_t)val[c];
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			o[k++] = (char)((acc >> bits) & 0xff);
		}
	}
	*out = o;
	*len = k;
	return 0;
}

/* Appends s as a PDF text string: a literal when it is plain ASCII, else
 * UTF-16BE with a byte order mark, in hex (7.9.2.2). */
static void S_text(struct buf *b, const char *s)
{
	bool ascii = true;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			ascii = false;
	if (ascii) {
		buf_putc(b, '(');
		for (const char *p = s; *p; p++) {
			if (*p == '(' || *p == ')' || *p == '\\')
				buf_putc(b, '\\');
			buf_putc(b, *p);
		}
		buf_putc(b, ')');
		return;
	}
	buf_puts(b, "<FEFF");
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp = 0xfffd;
		int n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
		if (n == 1) {
			cp = *p;
		} else if (n) {
			cp = *p & (0x3f >> (n - 1));
			for (int i = 1; i < n; i++) {
				if ((p[i] & 0xc0) != 0x80) {
					n = i;
					cp = 0xfffd;
					break;
				}
				cp = (cp << 6) | (p[i] & 0x3f);
			}
		} else {
			n = 1;
		}
		p += n;
		if (cp < 0x20)
			cp = ' ';
		if (cp >= 0x10000) {
			cp -= 0x10000;
			buf_printf(b, "%04X%04X", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
		} else {
			buf_printf(b, "%04X", cp);
		}
	}
	buf_putc(b, '>');
}

/* The last occurrence of needle in [h, h + n). */
static const char *S_last(const char *h, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
		if (!memcmp(h + i, needle, k))
			return h + i;
	return NULL;
}

/* Reads "/Key a b R" in the dictionary [d, end): 0 with the object number
 * and generation, or -1. */
static int S_ref(long *num, long *gen, const char *d, const char *end, const char *key)
{
	size_t k = strlen(key);
	for (const char *p = d; p + k < end; p++) {
		if (memcmp(p, key, k) || (p[k] != ' ' && p[k] != '\n' && p[k] != '\r'))
			continue;
		char *e;
		*num = strtol(p + k, &e, 10);
		*gen = strtol(e, &e, 10);
		while (*e == ' ')
			e++;
		return *e == 'R' && *num > 0 ? 0 : -1;
	}
	return -1;
}

int pdf_meta_update(struct buf *pdf, const struct pdf_meta *m)
{
	const char *d = pdf->data;
	size_t n = pdf->len;
	/* The end: "startxref\nOFFSET\n%%EOF", then the last trailer. */
	const char *sx = S_last(d, n, "startxref");
	const char *tr = sx ? S_last(d, (size_t)(sx - d), "trailer") : NULL;
	if (!sx || !tr || (size_t)(d + n - sx) > 64)
		return -1;
	long prev = strtol(sx + 9, NULL, 10);
	const char *dict = strstr(tr, "<<");
	if (!dict || dict > sx || prev <= 0 || (size_t)prev >= n)
		return -1;
	long size = 0, root, root_gen, info, info_gen;
	const char *sz = strstr(dict, "/Size");
	if (sz && sz < sx)
		size = strtol(sz + 5, NULL, 10);
	if (size <= 0 || S_ref(&root, &root_gen, dict, sx, "/Root") < 0)
		return -1;
	/* The new Info replaces the old object; a PDF without one gets a new
	 * object number at the end. */
	if (S_ref(&info, &info_gen, dict, sx, "/Info") < 0) {
		info = size++;
		info_gen = 0;
	}

	/* The engine's Producer, copied as it is. */
	char *producer = NULL;
	char *head = xasprintf("\n%ld %ld obj", info, info_gen);
	const char *io = S_last(d, (size_t)prev, head);
	free(head);
	const char *io_end = io ? strstr(io, "endobj") : NULL;
	const char *pr = io_end ? strstr(io, "/Producer (") : NULL;
	if (pr && pr < io_end) {
		const char *s = pr + 10;
		int depth = 0;
		const char *e = s;
		for (; e < d + prev; e++) {
			if (*e == '\\') {
				e++;
				continue;
			}
			if (*e == '(')
				depth++;
			else if (*e == ')' && --depth == 0)
				break;
		}
		if (e < d + prev)
			producer = xstrndup(s, (size_t)(e - s + 1));
	}

	struct buf u = BUF_INIT;
	if (n && d[n - 1] != '\n')
		buf_putc(&u, '\n');
	size_t obj_off = pdf->len + u.len;
	buf_printf(&u, "%ld %ld obj\n<<", info, info_gen);
	struct { const char *key, *val; } f[] = {
		{ "/Title", m->title }, { "/Author", m->author }, { "/Subject", m->subject },
		{ "/Keywords", m->keywords }, { "/Creator", m->creator },
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (!f[i].val || !*f[i].val)
			continue;
		buf_printf(&u, "%s ", f[i].key);
		S_text(&u, f[i].val);
		buf_putc(&u, '\n');
	}
	if (producer)
		buf_printf(&u, "/Producer %s\n", producer);
	if (m->created > 0) {
		struct tm tm;
		gmtime_r(&m->created, &tm);
		char date[40];
		strftime(date, sizeof date, "D:%Y%m%d%H%M%S+00'00'", &tm);
		buf_printf(&u, "/CreationDate (%s)\n/ModDate (%s)\n", date, date);
	}
	buf_puts(&u, ">>\nendobj\n");
	size_t xref_off = pdf->len + u.len;
	/* Each entry is exactly 20 bytes, ending in space and newline. */
	buf_printf(&u, "xref\n%ld 1\n%010zu %05ld n \n", info, obj_off, info_gen);
	buf_printf(&u, "trailer\n<</Size %ld\n/Root %ld %ld R\n/Info %ld %ld R\n/Prev %ld>>\nstartxref\n%zu\n%%%%EOF\n",
		   size, root, root_gen, info, info_gen, prev, xref_off);
	buf_add(pdf, u.data, u.len);
	buf_free(&u);
	free(producer);
	return 0;
}
