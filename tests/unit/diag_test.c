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

	/* The same fault from many pages: printed once, counted every time. */
	unit_capture();
	for (int i = 0; i < 48; i++)
		diag_error("themes/x/partials/a.mustache", 1, 1, "partials nested too deep");
	diag_error("themes/x/partials/a.mustache", 2, 1, "partials nested too deep");
	msg = unit_captured();
	unit_str(msg, "themes/x/partials/a.mustache:1:1: error: partials nested too deep\n"
		 "themes/x/partials/a.mustache:2:1: error: partials nested too deep\n",
		 "a message is printed once; another place is another message");
	unit_check(diag_errors() == 49 && diag_errors_shown() == 2, "every report counts; the summary counts what was shown");
	diag_reset();
	unit_capture();
	diag_error("themes/x/partials/a.mustache", 1, 1, "partials nested too deep");
	unit_check(strstr(unit_captured(), "a.mustache:1:1") != NULL, "after diag_reset the message is printed again");

	/* Paths inside the site are shown relative to it. */
	diag_set_root("/srv/kurssi/");
	unit_capture();
	diag_error("/srv/kurssi/content/a.fi.md", 2, 0, "x");
	diag_error("/srv/kurssi//themes/t/layouts/a.mustache", 1, 0, "y");
	diag_error("/srv/kurssi2/content/a.fi.md", 3, 0, "z");
	diag_error("/srv/kurssi", 0, 0, "w");
	msg = unit_captured();
	unit_str(msg, "content/a.fi.md:2: error: x\nthemes/t/layouts/a.mustache:1: error: y\n"
		 "/srv/kurssi2/content/a.fi.md:3: error: z\n/srv/kurssi: error: w\n",
		 "paths under the site's folder lose it; others are kept");
	diag_set_root(NULL);

	unit_capture();
	diag_usage("build", "unknown option '%s'", "-x");
	diag_usage(NULL, "unknown command '%s'", "bild");
	unit_str(unit_captured(), "toivo build: error: unknown option '-x'; see 'toivo --help'\n"
		 "toivo: error: unknown command 'bild'; see 'toivo --help'\n", "usage errors name the command");
	return unit_done();
}
