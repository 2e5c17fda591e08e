/* cmd_template.c - `toivo template FILE [DATA]`: renders one Mustache
 * template with data from a YAML or JSON file (none: an empty map) to
 * stdout.  Partials are looked up beside FILE with FILE's extension; as the
 * Mustache spec says, a missing partial renders as nothing here (a site
 * build is strict about them instead). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "diag.h"
#include "template.h"
#include "value.h"
#include "vfs.h"
#include "yamldoc.h"

static const char S_usage[] = "usage: toivo template FILE [DATA]\n";

int cmd_template(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(S_usage, stdout);
		return 0;
	}
	if (argc < 2 || argc > 3 || argv[1][0] == '-' || (argc == 3 && argv[2][0] == '-')) {
		diag_line("%s", S_usage);
		return 2;
	}
	struct value *data = NULL;
	if (argc == 3) {
		if (yamldoc_load(&data, argv[2]) < 0)
			return 1;
	} else {
		data = value_map();
	}
	struct tpl_cache *c = tpl_cache_new(vfs_tpl_read, NULL, false);
	const struct tpl *t = tpl_cache_load(c, argv[1]);
	int rc = 1;
	struct buf out = BUF_INIT;
	if (t && tpl_render(&out, t, data) == 0) {
		rc = 0;
		if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
			diag_error(NULL, 0, 0, "cannot write the output: %s; check where standard output goes", strerror(errno));
			rc = 1;
		}
	}
	buf_free(&out);
	tpl_cache_free(c);
	value_free(data);
	return rc;
}
