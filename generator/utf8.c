/* utf8.c - UTF-8: checking text, the length of a sequence. */
#include <stdint.h>
#include <string.h>

#include "diag.h"
#include "utf8.h"

size_t utf8_valid_len(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		/* Eight ASCII bytes without a NUL at a time: most text. */
		if (i + 8 <= len) {
			uint64_t v;
			memcpy(&v, s + i, 8);
			if (!(v & 0x8080808080808080u) && !((v - 0x0101010101010101u) & ~v & 0x8080808080808080u)) {
				i += 8;
				continue;
			}
		}
		unsigned char c = s[i];
		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		unsigned cp = 0;
		size_t n;
		if (c >= 0xc2 && c <= 0xdf) { n = 2; cp = c & 0x1f; }
		else if (c >= 0xe0 && c <= 0xef) { n = 3; cp = c & 0x0f; }
		else if (c >= 0xf0 && c <= 0xf4) { n = 4; cp = c & 0x07; }
		else return i;
		if (i + n > len)
			return i;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			return i;
		i += n;
	}
	return len;
}

int utf8_check(const char *text, size_t len, const char *path)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t bad = utf8_valid_len(text, len);
	if (bad == len)
		return 0;
	/* The line, and the column in characters (the text before is valid). */
	int line = 1, col = 1;
	for (size_t i = 0; i < bad; i++) {
		if (s[i] == '\n') {
			line++;
			col = 1;
		} else if (!utf8_is_cont(s[i])) {
			col++;
		}
	}
	if (s[bad] == 0)
		diag_error(path, line, col, "NUL byte in the file; save it as plain UTF-8 text");
	else
		diag_error(path, line, col, "invalid UTF-8 (byte 0x%02x); save the file as UTF-8", s[bad]);
	return -1;
}
