/* utf8.h - UTF-8, in one place: checking text and stepping through it. */
#ifndef TOIVO_UTF8_H
#define TOIVO_UTF8_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
