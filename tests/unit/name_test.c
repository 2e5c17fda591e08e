/* name_test.c - file and output names: NFC, folding for collisions,
 * names that are refused, and how a bad name is shown. */
#include "name.h"
#include "unit.h"

static void S_is(char *got, const char *want, const char *what)
{
	unit_str(got, want, what);
	free(got);
}

int main(void)
{
	S_is(name_nfc("fi/pori/tulokset/index.html"), "fi/pori/tulokset/index.html", "an ASCII path stays as it is");
	S_is(name_fold("Fi/Pori/INDEX.html"), "fi/pori/index.html", "folding an ASCII path: lower case");
	S_is(name_nfc("ta\xcc\x88ti.md"), "t\xc3\xa4ti.md", "NFD a + combining diaeresis becomes NFC \xc3\xa4");
	S_is(name_nfc("te\xcc\x81" "Ab"), "t\xc3\xa9" "Ab", "an ASCII letter before a combining mark composes");
	S_is(name_fold("\xc3\x84iti.MD"), "\xc3\xa4iti.md", "folding: \xc3\x84 to \xc3\xa4, ASCII to lower case");
	S_is(name_fold("A\xcc\x8a" "bo"), "\xc3\xa5" "bo", "folding composes first: A + ring is \xc3\xa5");
	unit_check(name_problem("hyv\xc3\xa4-nimi_1.md") == NULL, "letters, digits, '-' and '_' pass");
	unit_check(name_problem("a\x01" "b") != NULL && name_problem("x\xff") != NULL,
		   "a control character or a byte that is not UTF-8 is a problem");
	S_is(name_shown("a\xff" "b"), "a\\xFFb", "a bad byte is shown as \\xFF");
	return unit_done();
}
