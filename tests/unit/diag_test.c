/* diag_test.c - the message format, counting, capture. */
#include "unit.h"

int main(void)
{
	diag_reset();
	unit_capture();
	diag_error("content/a.fi.md", 3, 7, "bad %s; fix it", "thing");
	diag_error("content/b.fi.md", 4, 0, "no column");
	diag_error("site.yaml", 0, 0, "no line");
	diag_error(NULL, 0, 0, "no file");
	diag_warn("content/c.fi.md", 1, 1, "a warning");
	const char *msg = unit_captured();
	unit_str(msg,
		 "content/a.fi.md:3:7: error: bad thing; fix it\n"
		 "content/b.fi.md:4: error: no column\n"
		 "site.yaml: error: no line\n"
		 "toivo: error: no file\n"
		 "content/c.fi.md:1:1: warning: a warning\n",
		 "path:line:col: level: message, leaving out what is 0 or missing");
	unit_check(diag_errors() == 4, "errors are counted, warnings are not");
	diag_reset();
	unit_check(diag_errors() == 0, "diag_reset starts again");
	return unit_done();
}
