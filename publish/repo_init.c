/* repo_init.c - `git init` and the first commit of a new site, with
 * libgit2 (no git program needed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "diag.h"
#include "repo_init.h"
#include "util.h"

/* The last libgit2 error as one line. */
static const char *S_gerr(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown error";
}

char *repo_init_branch(void)
{
	git_libgit2_init();
	git_config *cfg = NULL;
	git_buf b = { 0 };
	char *name = NULL;
	if (git_config_open_default(&cfg) == 0 &&
	    git_config_get_string_buf(&b, cfg, "init.defaultBranch") == 0 && b.ptr && *b.ptr)
		name = xstrdup(b.ptr);
	git_buf_dispose(&b);
	git_config_free(cfg);
	git_libgit2_shutdown();
	return name ? name : xstrdup("main");
}

int repo_init_site(char **out_inside, const char *dir, const char *branch)
{
	git_buf found = { 0 };
	git_repository *repo = NULL;
	git_index *idx = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	int rc = -1;

	*out_inside = NULL;
	git_libgit2_init();
	/* A site made inside the user's own repository is theirs to commit. */
	if (git_repository_discover(&found, dir, 0, NULL) == 0) {
		*out_inside = xstrdup(found.ptr);
		rc = 0;
		goto out;
	}
	git_repository_init_options opts;
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_MKPATH;
	opts.initial_head = branch;
	git_oid tree_id, commit_id;
	if (git_repository_init_ext(&repo, dir, &opts) < 0 || git_repository_index(&idx, repo) < 0 ||
	    git_index_add_all(idx, NULL, GIT_INDEX_ADD_DEFAULT, NULL, NULL) < 0 || git_index_write(idx) < 0 ||
	    git_index_write_tree(&tree_id, idx) < 0 || git_tree_lookup(&tree, repo, &tree_id) < 0) {
		diag_error(dir, 0, 0, "cannot make a git repository here: %s; run 'git init' and commit the files yourself",
			   S_gerr());
		goto out;
	}
	/* Without user.name and user.email (a fresh CI machine) git itself
	 * would refuse; the site still gets its first commit, and the user is
	 * told how to sign the next ones. */
	if (git_signature_default(&sig, repo) < 0) {
		if (git_signature_now(&sig, "toivo", "toivo@localhost") < 0) {
			diag_error(dir, 0, 0, "cannot make the first commit: %s", S_gerr());
			goto out;
		}
		diag(DIAG_NOTE, dir, 0, 0, "git knows no user.name and user.email here, so the first commit is by "
		     "'toivo <toivo@localhost>'; set yours with: git config --global user.name \"Your Name\"; "
		     "git config --global user.email you@example.org");
	}
	if (git_commit_create(&commit_id, repo, "HEAD", sig, sig, NULL, "A new course made with toivo new\n", tree, 0,
			      NULL) < 0) {
		diag_error(dir, 0, 0, "cannot make the first commit: %s; commit the files with git yourself", S_gerr());
		goto out;
	}
	rc = 0;
out:
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(idx);
	git_repository_free(repo);
	git_buf_dispose(&found);
	git_libgit2_shutdown();
	return rc;
}
