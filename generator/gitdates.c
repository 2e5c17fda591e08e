/* gitdates.c - "last updated" from the git history, with libgit2.
 *
 * One walk over the history from HEAD, newest first: the first commit that
 * touches a page's source gives its date.  The same walk records renames
 * (with libgit2's rename detection), which give moved pages a redirect at
 * their old URL.  Pages with uncommitted changes keep their file time.
 */
#include <git2.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "gitdates.h"
#include "hmap.h"
#include "site.h"
#include "srcdate.h"
#include "util.h"

struct walk {
	struct site *site;
	const char *prefix;     /* the site's folder inside the repository, "" or "x/y/" */
	size_t prefix_len;
	git_time_t when;
	struct hmap seen;       /* sources already dated */
	size_t left;            /* pages not dated yet */
	struct hmap dirty;
};

static int S_delta(const git_diff_delta *d, float progress, void *ud)
{
	(void)progress;
	struct walk *w = ud;
	const char *path = d->new_file.path;
	if (strncmp(path, w->prefix, w->prefix_len))
		return 0;
	const char *rel = path + w->prefix_len;
	struct page *p = site_find_src(w->site, rel);
	if (p && !hmap_get(&w->seen, rel)) {
		hmap_put(&w->seen, rel, p);
		p->commit_time = (time_t)w->when;
		if (!hmap_get(&w->dirty, rel)) {
			p->updated = (time_t)w->when;
			p->committed = true;
		}
		w->left--;
	}
	if (d->status == GIT_DELTA_RENAMED && !strncmp(d->old_file.path, w->prefix, w->prefix_len)) {
		struct site *s = w->site;
		size_t cap = s->cap_renames;
		s->renamed_from = xgrow(s->renamed_from, &cap, s->n_renames, sizeof(char *));
		cap = s->cap_renames;
		s->renamed_to = xgrow(s->renamed_to, &cap, s->n_renames, sizeof(char *));
		s->cap_renames = cap;
		s->renamed_from[s->n_renames] = xstrdup(d->old_file.path + w->prefix_len);
		s->renamed_to[s->n_renames] = xstrdup(rel);
		s->n_renames++;
	}
	return 0;
}

char *gitdates_site_prefix(git_repository *repo, const char *root)
{
	const char *wd = git_repository_workdir(repo);
	char rr[PATH_MAX], rw[PATH_MAX];
	if (!wd || !realpath(root, rr) || !realpath(wd, rw))
		return NULL;
	size_t n = strlen(rw);
	if (n == 1 && rw[0] == '/')
		n = 0;
	if (strncmp(rr, rw, n) || (rr[n] && rr[n] != '/'))
		return NULL;
	return rr[n] ? xasprintf("%s/", rr + n + 1) : xstrdup("");
}

#define S_DIRTY (GIT_STATUS_WT_MODIFIED | GIT_STATUS_WT_NEW | GIT_STATUS_INDEX_MODIFIED | \
		 GIT_STATUS_INDEX_NEW | GIT_STATUS_WT_RENAMED | GIT_STATUS_INDEX_RENAMED)

static int S_status(const char *path, unsigned int flags, void *ud)
{
	struct walk *w = ud;
	if ((flags & S_DIRTY) && !strncmp(path, w->prefix, w->prefix_len))
		hmap_put(&w->dirty, path + w->prefix_len, (void *)1);
	return 0;
}

/* The site's repository (with a work tree) and the site's folder in it,
 * or NULL when the site is not in one.  Between git_libgit2_init() and
 * _shutdown(). */
static git_repository *S_open(const char *root, char **prefix)
{
	git_repository *repo = NULL;
	*prefix = NULL;
	if (git_repository_open_ext(&repo, root, 0, NULL) == 0 && !git_repository_is_bare(repo))
		*prefix = gitdates_site_prefix(repo, root);
	if (!*prefix) {
		git_repository_free(repo);
		return NULL;
	}
	return repo;
}

/* Whether a .git (a folder, or a file naming one) is in root or a folder
 * above it: when none is, no repository can have the site in its work
 * tree, and libgit2 is not started (its start reads the system's TLS
 * certificates, 15-20 ms a build). */
static bool S_maybe_repo(const char *root)
{
	char *dir = realpath(root, NULL);
	if (!dir)
		return true;    /* cannot tell: libgit2 looks */
	bool found = false;
	for (;;) {
		char *dot = path_join(dir, ".git");
		struct stat st;
		found = lstat(dot, &st) == 0;
		free(dot);
		if (found || !strcmp(dir, "/"))
			break;
		char *slash = strrchr(dir, '/');
		if (!slash)
			break;
		slash[slash == dir] = '\0';    /* "/a" -> "/", "/a/b" -> "/a" */
	}
	free(dir);
	return found;
}

void gitdates_apply(struct site *s)
{
	git_repository *repo = NULL;
	git_revwalk *rw = NULL;
	char *prefix = NULL, *spec = NULL;
	struct walk w = { .site = s };
	if (!S_maybe_repo(s->root))
		return;
	git_libgit2_init();
	repo = S_open(s->root, &prefix);
	if (!repo)
		goto out;
	w.prefix = prefix;
	w.prefix_len = strlen(prefix);
	w.left = s->n_pages;
	if (git_repository_is_shallow(repo) == 1) {
		s->shallow = true;
		diag_warn(s->root, 0, 0, "the git history is shallow, so 'last updated' dates may be wrong; "
			  "fetch the full history with 'git fetch --unshallow' (in CI: fetch-depth: 0)");
	}
	git_status_foreach(repo, S_status, &w);
	if (git_revwalk_new(&rw, repo) < 0 || git_revwalk_push_head(rw) < 0)
		goto out;
	git_revwalk_sorting(rw, GIT_SORT_TIME);
	git_revwalk_simplify_first_parent(rw);
	spec = xasprintf("%scontent", prefix);
	git_diff_options dopts;
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	dopts.pathspec.strings = &spec;
	dopts.pathspec.count = 1;
	git_diff_find_options fopts;
	git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	fopts.flags = GIT_DIFF_FIND_RENAMES;
	git_oid oid;
	while (git_revwalk_next(&oid, rw) == 0) {
		git_commit *c = NULL, *parent = NULL;
		git_tree *t = NULL, *pt = NULL;
		git_diff *diff = NULL;
		if (git_commit_lookup(&c, repo, &oid) < 0)
			break;
		w.when = git_commit_time(c);
		if (git_commit_tree(&t, c) == 0) {
			if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) == 0)
				git_commit_tree(&pt, parent);
			if (git_diff_tree_to_tree(&diff, repo, pt, t, &dopts) == 0) {
				git_diff_find_similar(diff, &fopts);
				git_diff_foreach(diff, S_delta, NULL, NULL, NULL, &w);
			}
		}
		git_diff_free(diff);
		git_tree_free(pt);
		git_tree_free(t);
		git_commit_free(parent);
		git_commit_free(c);
	}
out:
	free(spec);
	free(prefix);
	hmap_free(&w.seen);
	hmap_free(&w.dirty);
	git_revwalk_free(rw);
	git_repository_free(repo);
	git_libgit2_shutdown();
}

void gitdates_refresh(struct site *s, struct page *const *pages, size_t n)
{
	git_repository *repo = NULL;
	char *prefix = NULL;
	git_libgit2_init();
	repo = S_open(s->root, &prefix);
	if (!repo)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct page *p = pages[i];
		char *path = xasprintf("%s%s", prefix, p->src);
		unsigned int flags = 0;
		bool clean = git_status_file(&flags, repo, path) == 0 && !(flags & S_DIRTY);
		p->committed = clean && p->commit_time > 0;
		p->updated = p->committed ? p->commit_time : srcdate_clamp(p->src_mtime.tv_sec);
		free(path);
	}
out:
	free(prefix);
	git_repository_free(repo);
	git_libgit2_shutdown();
}
