/* utf8.c - UTF-8: checking text, the length of a sequence, case. */
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <wctype.h>

#include "buf.h"
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

/* ------------------------------------------------------------------ */
/* upper and lower case                                               */
/* ------------------------------------------------------------------ */

/* C.UTF-8 is built into glibc (2.35 and later): its case tables cover
 * all of Unicode, and a locale object of its own leaves the process's
 * locale (and other threads) alone. */
static locale_t S_utf8_locale;
static pthread_once_t S_locale_once = PTHREAD_ONCE_INIT;

static void S_locale_init(void)
{
	S_utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* Without C.UTF-8: ASCII, Latin-1 and Latin Extended-A by their layout. */
static uint32_t S_case_fallback(uint32_t c, bool upper)
{
	if (upper) {
		if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
			return c - 32;
		if (c == 0xFF)
			return 0x178;
		if ((c >= 0x100 && c <= 0x137 && c != 0x131) || (c >= 0x14A && c <= 0x177))
			return c & 1 ? c - 1 : c;
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
			return c & 1 ? c : c - 1;
		return c == 0x131 ? 'I' : c;
	}
	if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
		return c + 32;
	if (c == 0x178)
		return 0xFF;
	if ((c >= 0x100 && c <= 0x137 && c != 0x130) || (c >= 0x14A && c <= 0x177))
		return c & 1 ? c : c + 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return c & 1 ? c + 1 : c;
	return c == 0x130 ? 'i' : c;
}

static void S_put(struct buf *b, uint32_t c)
{
	char u[4];
	size_t n;
	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3F));
		u[2] = (char)(0x80 | (c >> 6 & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	buf_add(b, u, n);
}

void utf8_case(struct buf *out, const char *text, size_t len, bool upper)
{
	pthread_once(&S_locale_once, S_locale_init);
	const unsigned char *s = (const unsigned char *)text;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_len(s[i]);
		/* A byte that starts no valid character is kept as it is. */
		if (s[i] < 0x80 || n > len - i || utf8_valid_len(text + i, n) < n) {
			unsigned char c = s[i];
			if (upper && c >= 'a' && c <= 'z')
				c = (unsigned char)(c - 32);
			else if (!upper && c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
			buf_putc(out, (char)c);
			i++;
			continue;
		}
		uint32_t c = n == 2 ? (uint32_t)(s[i] & 0x1F) << 6 | (s[i + 1] & 0x3F)
			   : n == 3 ? (uint32_t)(s[i] & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F)
			   : (uint32_t)(s[i] & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12 |
			     (uint32_t)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
		uint32_t m;
		if (S_utf8_locale)
			m = (uint32_t)(upper ? towupper_l((wint_t)c, S_utf8_locale) : towlower_l((wint_t)c, S_utf8_locale));
		else
			m = S_case_fallback(c, upper);
		/* A mapping outside Unicode, or to a surrogate, is no character: keep c. */
		if (m > 0x10FFFF || (m >= 0xD800 && m <= 0xDFFF))
			m = c;
		S_put(out, m);
		i += n;
	}
}
