/* cmd_build.c - toivo build, toivo check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cmd.h"
#include "util.h"

/* Options shared by build and check.  Returns 0, or 2 after a usage error. */
static int S_opts(int argc, char **argv, struct build_opts *o, const char **out, bool allow_out)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-s") || !strcmp(a, "--site")) {
			if (!v)
				goto missing;
			o->root = v;
			i++;
		} else if (allow_out && (!strcmp(a, "-o") || !strcmp(a, "--out"))) {
			if (!v)
				goto missing;
			*out = v;
			i++;
		} else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
			if (!v || atoi(v) < 1)
				goto missing;
			o->jobs = atoi(v);
			i++;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o->quiet = true;
		} else {
			fprintf(stderr, "toivo %s: error: unknown option '%s'; see 'toivo --help'\n", argv[0], a);
			return 2;
		}
		continue;
missing:
		fprintf(stderr, "toivo %s: error: option '%s' needs a value; see 'toivo --help'\n", argv[0], a);
		return 2;
	}
	return 0;
}

int cmd_build(int argc, char **argv)
{
	struct build_opts o = { .root = "." };
	const char *out = NULL;
	int r = S_opts(argc, argv, &o, &out, true);
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
	const char *out = NULL;
	int r = S_opts(argc, argv, &o, &out, false);
	if (r)
		return r;
	char tmpl[] = "/tmp/toivo-check-XXXXXX";
	if (!mkdtemp(tmpl)) {
		perror("toivo check: error: cannot make a temporary folder");
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
	if (r == 0)
		fprintf(stderr, "toivo check: no problems found\n");
	return r;
}
