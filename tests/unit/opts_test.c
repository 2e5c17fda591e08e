/* opts_test.c - command-line options: long, short, "--name=value", flags,
 * missing values and unknown options. */
#include "opts.h"
#include "unit.h"

/* Parses argv like cmd_build: -s/--site, -o/--out, -q/--quiet.  Returns
 * 0 or 2 (usage error); the values land in *site, *out, *quiet. */
static int S_parse(int argc, char **argv, const char **site, const char **out, int *quiet)
{
	struct opts o = OPTS_INIT(argc, argv);
	*site = *out = NULL;
	*quiet = 0;
	while (opts_next(&o)) {
		if (opts_value(&o, "--site", "-s", site) || opts_value(&o, "--out", "-o", out))
			continue;
		if (opts_flag(&o, "--quiet", "-q")) {
			*quiet = 1;
			continue;
		}
		return opts_unknown(&o);
	}
	return o.bad ? 2 : 0;
}

int main(void)
{
	const char *site, *out;
	int quiet;
	char *a1[] = { "build", "-s", "kurssi", "--out=julkinen", "-q" };
	unit_check(S_parse(5, a1, &site, &out, &quiet) == 0 && !strcmp(site, "kurssi") &&
		   !strcmp(out, "julkinen") && quiet, "short and long options, --name=value, a flag");
	char *a2[] = { "build", "--site", "a", "--site", "b" };
	unit_check(S_parse(5, a2, &site, &out, &quiet) == 0 && !strcmp(site, "b"), "the last of a repeated option wins");
	char *a3[] = { "build" };
	unit_check(S_parse(1, a3, &site, &out, &quiet) == 0 && !site && !out && !quiet, "no arguments");

	unit_capture();
	char *a4[] = { "build", "-s" };
	unit_check(S_parse(2, a4, &site, &out, &quiet) == 2, "a missing value is a usage error");
	unit_str(unit_captured(), "toivo build: error: option '-s' needs a value; see 'toivo --help'\n",
		 "and says which option");
	unit_capture();
	char *a5[] = { "build", "--out=", "-q" };
	unit_check(S_parse(3, a5, &site, &out, &quiet) == 2 && !quiet, "an empty --out= is refused and parsing stops");
	unit_captured();
	unit_capture();
	char *a6[] = { "check", "--kiire" };
	unit_check(S_parse(2, a6, &site, &out, &quiet) == 2, "an unknown option is a usage error");
	unit_str(unit_captured(), "toivo check: error: unknown option '--kiire'; see 'toivo --help'\n", "naming it");
	unit_capture();
	char *a7[] = { "build", "kurssi" };
	unit_check(S_parse(2, a7, &site, &out, &quiet) == 2 &&
		   strstr(unit_captured(), "unexpected argument 'kurssi' (the site's folder is given with -s DIR)") != NULL,
		   "a bare argument says how to give the site's folder");
	char *a8[] = { "build", "--sitex", "a" };
	unit_capture();
	unit_check(S_parse(3, a8, &site, &out, &quiet) == 2, "a longer name is not a prefix match");
	unit_captured();
	return unit_done();
}
