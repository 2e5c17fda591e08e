/* utf8.h - UTF-8, in one place: checking text and stepping through it. */
#ifndef TOIVO_UTF8_H
#define TOIVO_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How many bytes from the start are valid UTF-8 without a NUL byte (len
 * when all of it is).  Overlong forms, surrogates and code points above
 * U+10FFFF are invalid. */
size_t utf8_valid_len(const char *text, size_t len);
/* Checks that text (a page, template or data file) is valid UTF-8 without
 * NUL bytes.  Returns 0, or -1 after reporting the first bad byte as
 * path:line:col (the column counted in characters). */
int utf8_check(const char *text, size_t len, const char *path);

struct buf;
/* Appends text in upper case (upper) or lower case, character by
 * character as Unicode maps them ("äiti" -> "ÄITI"; "ß" stays, having no
 * one-letter upper case).  Bytes that are not valid UTF-8 are kept. */
void utf8_case(struct buf *out, const char *text, size_t len, bool upper);

/* The length of the sequence a lead byte starts (1 for ASCII and for a
 * stray continuation byte, so a loop always moves on). */
static inline size_t utf8_len(unsigned char lead)
{
	return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}
/* A continuation byte (10xxxxxx): not the start of a character. */
static inline bool utf8_is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Decodes one code point at s (at most n bytes) into *cp; returns its
 * length.  Lenient, for text already checked or to be re-encoded: a stray
 * or truncated byte is taken as itself (length 1), an overlong form as
 * the code point it spells. */
static inline size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
	if (len == 1 || len > n) {
		*cp = c;
		return 1;
	}
	uint32_t v = c & (0x7fu >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = c;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3f);
	}
	*cp = v;
	return len;
}

/* Writes cp as UTF-8 at o (room for 4 bytes); returns the end.  A stray
 * byte decoded by utf8_decode as itself (0x80..0xff) comes out as two
 * bytes, an overlong form as its shortest one. */
static inline char *utf8_encode(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | (cp >> 18));
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

#endif
