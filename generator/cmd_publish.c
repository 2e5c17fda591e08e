/* cmd_publish.c - toivo publish: build the site into a temporary folder and
 * commit it on a branch of the site's repository, then push that branch.
 * The git work is in publish/publish.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cmd.h"
#include "diag.h"
#include "opts.h"
#include "publish.h"
#include "util.h"
#include "value.h"
#include "yamldoc.h"

/* publish.branch / remote / cname from site.yaml (borrowed from *cfg).
 * Returns 0, or -1 after reporting. */
static int S_config(const char *root, struct value **cfg, struct publish_opts *po)
{
	char *path = path_join(root, "site.yaml");
	int rc = 0;
	if (!is_file(path)) {
		diag_error(path, 0, 0, "site.yaml not found; run toivo publish in the site's folder or pass it with -s DIR");
		rc = -1;
		goto out;
	}
	if (yamldoc_load(cfg, path) < 0) {
		rc = -1;
		goto out;
	}
	const struct value *pub = value_get(*cfg, "publish");
	if (!pub || pub->kind == V_NULL)
		goto out;
	if (pub->kind != V_MAP) {
		diag_error(path, pub->line, pub->col, "'publish' must be a map, e.g. publish: {branch: gh-pages, remote: origin}");
		rc = -1;
		goto out;
	}
	static const char *const keys[] = { "branch", "remote", "cname" };
	const char **dest[] = { &po->branch, &po->remote, &po->cname };
	for (size_t i = 0; i < pub->u.map.n; i++) {
		const char *k = pub->u.map.keys[i];
		const struct value *v = pub->u.map.vals[i];
		size_t j = 0;
		while (j < 3 && strcmp(k, keys[j]))
			j++;
		if (j == 3) {
			diag_error(path, v->line, v->col, "unknown key 'publish.%s'; use branch, remote or cname", k);
			rc = -1;
		} else if (v->kind == V_NULL) {
			continue;
		} else if (v->kind != V_STR || !v->u.str.len) {
			diag_error(path, v->line, v->col, "'publish.%s' must be a text such as %s", k,
				   j == 0 ? "gh-pages" : j == 1 ? "origin" : "course.example.org");
			rc = -1;
		} else {
			*dest[j] = v->u.str.s;
		}
	}
	if (rc == 0 && po->branch && !publish_branch_valid(po->branch)) {
		const struct value *v = value_get(pub, "branch");
		diag_error(path, v->line, v->col, "'%s' is not a valid branch name; use a name such as gh-pages", po->branch);
		rc = -1;
	}
	if (rc == 0 && po->cname && (strpbrk(po->cname, "/: \t\n") || po->cname[0] == '.')) {
		const struct value *v = value_get(pub, "cname");
		diag_error(path, v->line, v->col, "'publish.cname' must be a bare domain such as course.example.org, "
			   "without https:// or a path");
		rc = -1;
	}
out:
	free(path);
	return rc;
}

int cmd_publish(int argc, char **argv)
{
	struct publish_opts po = { 0 };
	const char *root = ".", *branch = NULL, *remote = NULL, *message = NULL;
	struct opts op = OPTS_INIT(argc, argv);
	while (opts_next(&op)) {
		if (opts_value(&op, "--site", "-s", &root) || opts_value(&op, "--branch", "-b", &branch) ||
		    opts_value(&op, "--remote", "-r", &remote) || opts_value(&op, "--message", "-m", &message))
			continue;
		if (opts_flag(&op, "--no-push", NULL))
			po.no_push = true;
		else if (opts_flag(&op, "--dry-run", "-n"))
			po.dry_run = true;
		else if (opts_flag(&op, "--force", "-f"))
			po.force = true;
		else if (opts_flag(&op, "--allow-dirty", NULL))
			po.allow_dirty = true;
		else
			return opts_unknown(&op);
	}
	if (op.bad)
		return 2;
	if (branch && !publish_branch_valid(branch)) {
		diag_usage("publish", "'%s' is not a valid branch name", branch);
		return 2;
	}

	struct value *cfg = NULL;
	diag_set_root(root);
	if (S_config(root, &cfg, &po) < 0) {
		value_free(cfg);
		return 1;
	}
	po.root = root;
	if (branch)
		po.branch = branch;
	if (remote)
		po.remote = remote;
	if (!po.branch)
		po.branch = "gh-pages";
	if (!po.remote)
		po.remote = "origin";
	po.message = message;

	int rc = 1;
	struct publish *p = publish_begin(&po);
	if (!p)
		goto out;
	char tmpl[] = "/tmp/toivo-publish-XXXXXX";
	if (!mkdtemp(tmpl)) {
		diag_error(NULL, 0, 0, "cannot make a temporary folder in /tmp: %s; free some space there or check its permissions",
			   strerror(errno));
		goto out;
	}
	char *dest = path_join(tmpl, "public");
	char *cache = path_join(tmpl, "cache");    /* a temporary output's cache goes with it */
	struct build_opts bo = { .root = root, .out = dest, .cache = cache, .quiet = true };
	if (build_run(&bo) != 0)
		diag_error(NULL, 0, 0, "the site did not build (see above); fix it, nothing was published");
	else
		rc = publish_finish(p, dest) < 0 ? 1 : 0;
	rm_rf(tmpl);
	free(dest);
	free(cache);
out:
	publish_end(p);
	value_free(cfg);
	return rc;
}
