/* cmd_build.c - toivo build, toivo check. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "build.h"
#include "cmd.h"
#include "diag.h"
#include "opts.h"
#include "util.h"

/* Options shared by build and check (out for build, strict for check:
 * NULL where the command has no such option).  Returns 0, or 2 after a
 * usage error. */
static int S_opts(int argc, char **argv, struct build_opts *o, const char **out, bool *strict)
{
	struct opts op = OPTS_INIT(argc, argv);
	const char *jobs = NULL;
	while (opts_next(&op)) {
		if (opts_value(&op, "--site", "-s", &o->root) ||
		    (out && opts_value(&op, "--out", "-o", out)))
			continue;
		if (opts_value(&op, "--jobs", "-j", &jobs)) {
			o->jobs = atoi(jobs);
			if (!op.bad && o->jobs < 1) {
				diag_usage(argv[0], "option '-j' needs a number of threads, 1 or more");
				return 2;
			}
			continue;
		}
		if (strict && opts_flag(&op, "--strict", NULL)) {
			*strict = true;
			continue;
		}
		if (opts_flag(&op, "--quiet", "-q")) {
			o->quiet = o->no_progress = true;
			continue;
		}
		return opts_unknown(&op);
	}
	return op.bad ? 2 : 0;
}

int cmd_build(int argc, char **argv)
{
	struct build_opts o = { .root = "." };
	const char *out = NULL;
	int r = S_opts(argc, argv, &o, &out, NULL);
	if (r)
		return r;
	char *def = out ? NULL : path_join(o.root, "public");
	o.out = out ? out : def;
	r = build_run(&o);
	free(def);
	return r;
}

int cmd_check(int argc, char **argv)
{
	struct build_opts o = { .root = ".", .check = true, .quiet = true };
	bool strict = false;
	int r = S_opts(argc, argv, &o, NULL, &strict);
	if (r)
		return r;
	char tmpl[] = "/tmp/toivo-check-XXXXXX";
	if (!mkdtemp(tmpl)) {
		diag_error(NULL, 0, 0, "cannot make a temporary folder in /tmp: %s; free some space there or check its permissions",
			   strerror(errno));
		return 1;
	}
	char *dest = path_join(tmpl, "public");
	char *cache = path_join(tmpl, "cache");    /* nothing of a check stays in the site */
	o.out = dest;
	o.cache = cache;
	r = build_run(&o);
	rm_rf(tmpl);
	free(dest);
	free(cache);
	/* One closing line: warnings are counted, never passed off as no
	 * problems; --strict fails on them, for CI. */
	struct buf counts = BUF_INIT;
	diag_counts(&counts);
	int warnings = diag_warnings();
	if (!counts.len)
		diag_line("toivo check: no problems found\n");
	else if (r == 0 && strict)
		diag_line("toivo check: %s; --strict fails the check on warnings\n", counts.data);
	else
		diag_line("toivo check: %s\n", counts.data);
	buf_free(&counts);
	if (r == 0 && strict && warnings)
		r = 1;
	return r;
}
