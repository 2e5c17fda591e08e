/* utf8_test.c - UTF-8: what is valid, where the first bad byte is, and
 * how it is reported. */
#include "buf.h"
#include "unit.h"
#include "utf8.h"

int main(void)
{
	/* Every page, template and data file is checked for UTF-8. */
	unit_capture();
	unit_check(utf8_check("ok ä €\n", 10, "a.md") == 0, "valid UTF-8 passes");
	unit_check(utf8_check("rivi\nx\xff", 7, "b.md") < 0 && strstr(unit_captured(), "b.md:2:2: error:") != NULL,
		   "an invalid byte is reported at its line and column");
	unit_capture();
	unit_check(utf8_check("ab\0c", 4, "c.md") < 0 && strstr(unit_captured(), "c.md:1:3: error:") != NULL,
		   "a NUL byte is refused");
	unit_check(utf8_check("\xc0\xaf", 2, "d.md") < 0, "an overlong encoding is refused");
	unit_check(utf8_check("\xed\xa0\x80", 3, "e.md") < 0, "a UTF-16 surrogate is refused");
	unit_check(utf8_check("\xe2\x82", 2, "f.md") < 0, "a sequence cut at the end is refused");
	unit_check(utf8_check("\xf4\x90\x80\x80", 4, "g.md") < 0, "a code point above U+10FFFF is refused");
	unit_captured();
	unit_check(utf8_valid_len("ab\xc3\xa4\xff", 5) == 4, "utf8_valid_len stops at the first bad byte");
	unit_check(utf8_valid_len("0123456789abcdef\x80", 17) == 16, "a bad byte after a run of ASCII is found");
	unit_check(utf8_valid_len("", 0) == 0, "empty text is valid");
	unit_check(utf8_len('a') == 1 && utf8_len(0xc3) == 2 && utf8_len(0xe2) == 3 && utf8_len(0xf0) == 4 &&
		   utf8_len(0x80) == 1, "sequence lengths from the lead byte; a stray continuation byte moves on by one");
	unit_check(utf8_is_cont(0xa4) && !utf8_is_cont('a') && !utf8_is_cont(0xc3), "continuation bytes");

	/* toivo.upper and toivo.lower: by character, not by byte. */
	struct buf b = BUF_INIT;
	utf8_case(&b, "äiti öljy åland šakki ÿ", strlen("äiti öljy åland šakki ÿ"), true);
	unit_str(b.data, "ÄITI ÖLJY ÅLAND ŠAKKI Ÿ", "upper case of Finnish and other Latin letters");
	buf_truncate(&b, 0);
	utf8_case(&b, "ÄITI Ž İ", strlen("ÄITI Ž İ"), false);
	unit_str(b.data, "äiti ž i", "lower case, İ by its one-letter mapping");
	buf_truncate(&b, 0);
	utf8_case(&b, "a\xff" "b\xc3", 4, true);
	unit_check(b.len == 4 && !memcmp(b.data, "A\xff" "B\xc3", 4), "bytes that are not UTF-8 are kept, ASCII still changes");
	buf_free(&b);
	return unit_done();
}
