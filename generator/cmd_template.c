/* cmd_template.c - `toivo template FILE [DATA]`: renders one Mustache
 * template with data from a YAML or JSON file (none: an empty map) to
 * stdout.  Partials are looked up beside FILE with FILE's extension; as the
 * Mustache spec says, a missing partial renders as nothing here (a site
 * build is strict about them instead).
 *
 * `toivo template --list [-s DIR]` lists instead every layout, partial,
 * asset and UI strings file the site at DIR uses and where each comes from
 * (theme.h): the site's own folder, its theme, the themes that one extends,
 * or the built-in default. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "diag.h"
#include "opts.h"
#include "site.h"
#include "theme.h"
#include "util.h"
#include "template.h"
#include "value.h"
#include "vfs.h"
#include "yamldoc.h"

static const char S_usage[] = "usage: toivo template FILE [DATA]\n       toivo template --list [-s DIR]\n";

struct list_ctx {
	const struct theme *t;
	const char *sub;
};

static void S_list_one(void *ud, const char *full, const char *rel)
{
	struct list_ctx *l = ud;
	char *shown = theme_shown(l->t, full);
	printf("%s/%-28s %s\n", l->sub, rel, shown);
	free(shown);
}

/* Prints where each theme file of the site at root comes from. */
static int S_list(const char *root)
{
	char *cfg = path_join(root, "site.yaml");
	struct value *c = NULL;
	struct theme *t = NULL;
	int rc = 1;
	if (yamldoc_load(&c, cfg) < 0)
		goto out;
	const struct value *tv = c->kind == V_MAP ? value_get(c, "theme") : NULL;
	if (theme_load(&t, root, tv ? value_string(tv) : NULL, cfg, tv ? tv->line : 0, tv ? tv->col : 0) < 0)
		goto out;
	static const char *const subs[] = { "layouts", "partials", "assets" };
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		struct list_ctx l = { t, subs[i] };
		theme_walk(t, subs[i], S_list_one, &l);
	}
	/* UI strings: every place's file counts, key by key, the first over
	 * the later ones. */
	struct value *langs = c->kind == V_MAP ? value_get(c, "languages") : NULL;
	for (size_t k = 0; langs && langs->kind == V_LIST && k < langs->u.list.n; k++) {
		const char *code = value_string(langs->u.list.items[k]);
		if (!code || !site_lang_code_ok(code))
			continue;
		char *rel = xasprintf("i18n/%s.yaml", code);
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < t->n; i++) {
			char *full = path_join(t->places[i].dir, rel);
			if (vfs_exists(full)) {
				char *shown = theme_shown(t, full);
				buf_printf(&b, "%s%s", b.len ? " over " : "", shown);
				free(shown);
			}
			free(full);
		}
		printf("%-36s %s\n", rel, b.len ? b.data : "(none)");
		buf_free(&b);
		free(rel);
	}
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	theme_free(t);
	value_free(c);
	free(cfg);
	return rc;
}

int cmd_template(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "--list")) {
		const char *root = ".";
		struct opts o = OPTS_INIT(argc - 1, argv + 1);
		while (opts_next(&o)) {
			if (opts_value(&o, "--site", "-s", &root))
				continue;
			return opts_unknown(&o);
		}
		if (o.bad)
			return 2;
		diag_set_root(root);
		return S_list(root);
	}
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
