/* cmd_clean.c - toivo clean: removes what toivo keeps besides the output,
 * the site's cache folder (.toivo-cache/: the stage of each output folder,
 * reused by the next build, and their locks), and what older versions
 * left beside the default output (.public.toivo-prev ...).  The output
 * itself stays; with --output it goes too. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "diag.h"
#include "output.h"
#include "util.h"

/* Removes path when it is there; 0, or -1 after reporting. */
static int S_remove(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return 0;
	if (rm_rf(path) < 0) {
		diag_error(path, 0, 0, "cannot remove: %s; check its permissions", strerror(errno));
		return -1;
	}
	diag(DIAG_NOTE, path, 0, 0, "removed");
	return 0;
}

int cmd_clean(int argc, char **argv)
{
	const char *root = ".";
	bool output = false;
	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-s") || !strcmp(argv[i], "--site")) && i + 1 < argc) {
			root = argv[++i];
		} else if (!strcmp(argv[i], "--output")) {
			output = true;
		} else {
			diag_usage("clean", "unknown option '%s'", argv[i]);
			return 2;
		}
	}
	char *cfg = path_join(root, "site.yaml");
	struct stat st;
	bool site = stat(cfg, &st) == 0;
	free(cfg);
	if (!site) {
		diag_error(root, 0, 0, "no site.yaml here; run toivo clean in a site's folder or name it with -s DIR");
		return 1;
	}
	char *cache = output_cache_dir(root);
	char *out = path_join(root, "public");
	/* Not while a build writes the default output (its stage is in the
	 * cache). */
	struct output_lock *l = output_lock_take(cache, out);
	int r = S_remove(cache);
	output_lock_release(l);
	static const char *const legacy[] = { ".public.toivo-prev", ".public.toivo-stage", ".public.toivo-pdf" };
	for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++) {
		char *p = path_join(root, legacy[i]);
		r |= S_remove(p);
		free(p);
	}
	if (output)
		r |= S_remove(out);
	free(out);
	free(cache);
	return r ? 1 : 0;
}
