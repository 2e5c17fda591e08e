/* tree.c - toivo publish's step 5: the built folder as git blobs and
 * trees (into an in-memory object database for a dry run), and what
 * changed against the branch, for the summary. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include "buf.h"
#include "diag.h"
#include "publish.h"
#include "publish_git.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* step 5: the tree */

/* Writes the tree of folder dir ("rel" is its path in the output, "" at
 * the top).  *empty is set when it holds no file at all. */
int publish_tree_write(struct publish *p, const char *dir, const char *rel, git_oid *out, bool *empty)
{
	git_treebuilder *tb = NULL;
	DIR *d = opendir(dir);
	int rc = -1;
	if (!d) {
		diag_error(dir, 0, 0, "cannot read the built folder: %s", strerror(errno));
		return -1;
	}
	if (git_treebuilder_new(&tb, p->repo, NULL) < 0) {
		diag_error(NULL, 0, 0, "cannot make a tree (%s)", publish_git_error());
		goto out;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *name = e->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		char *path = path_join(dir, name);
		char *r = *rel ? xasprintf("%s/%s", rel, name) : xstrdup(name);
		struct stat st;
		git_oid id;
		git_filemode_t mode = 0;
		int bad = 0;
		if (lstat(path, &st) < 0) {
			diag_error(path, 0, 0, "cannot read the built file: %s", strerror(errno));
			bad = 1;
		} else if (S_ISDIR(st.st_mode)) {
			bool sub_empty = false;
			if (publish_tree_write(p, path, r, &id, &sub_empty) < 0)
				bad = 1;
			else if (!sub_empty)
				mode = GIT_FILEMODE_TREE;
		} else if (S_ISREG(st.st_mode)) {
			char *data = NULL;
			size_t len = 0;
			if (file_read(&data, &len, path) < 0) {
				diag_error(path, 0, 0, "cannot read the built file: %s", strerror(errno));
				bad = 1;
			} else if (git_blob_create_from_buffer(&id, p->repo, data, len) < 0) {
				diag_error(NULL, 0, 0, "cannot store %s in the repository (%s)", r, publish_git_error());
				bad = 1;
			} else {
				mode = st.st_mode & S_IXUSR ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
			}
			free(data);
		} else {
			diag_error(NULL, 0, 0, "the built site has %s, which is %s; publish takes regular files and "
				   "folders only, so make it a file in static/ or content/", r,
				   S_ISLNK(st.st_mode) ? "a symbolic link" : "not a regular file");
			bad = 1;
		}
		if (!bad && mode && git_treebuilder_insert(NULL, tb, name, &id, mode) < 0) {
			diag_error(NULL, 0, 0, "cannot publish %s (%s); rename it", r, publish_git_error());
			bad = 1;
		}
		free(path);
		free(r);
		if (bad)
			goto out;
	}
	if (!*rel) {
		/* .nojekyll: GitHub Pages serves the files as they are (also
		 * folders that start with '_'); CNAME: the custom domain. */
		git_oid id;
		const char *cname = p->o.cname;
		char *cn = cname && *cname ? xasprintf("%s\n", cname) : NULL;
		int r = git_blob_create_from_buffer(&id, p->repo, "", 0);
		if (r == 0)
			r = git_treebuilder_insert(NULL, tb, ".nojekyll", &id, GIT_FILEMODE_BLOB);
		if (r == 0 && cn && (r = git_blob_create_from_buffer(&id, p->repo, cn, strlen(cn))) == 0)
			r = git_treebuilder_insert(NULL, tb, "CNAME", &id, GIT_FILEMODE_BLOB);
		free(cn);
		if (r < 0) {
			diag_error(NULL, 0, 0, "cannot add .nojekyll or CNAME (%s)", publish_git_error());
			goto out;
		}
	}
	*empty = git_treebuilder_entrycount(tb) == 0;
	if (!*empty && git_treebuilder_write(out, tb) < 0) {
		diag_error(NULL, 0, 0, "cannot write a tree (%s)", publish_git_error());
		goto out;
	}
	rc = 0;
out:
	git_treebuilder_free(tb);
	closedir(d);
	return rc;
}

/* ------------------------------------------------------------------ */
/* the difference, for the summary and the dry run */

static int S_delta(const git_diff_delta *d, float progress, void *ud)
{
	struct publish_counts *c = ud;
	(void)progress;
	const char *what;
	switch (d->status) {
	case GIT_DELTA_ADDED:
		c->added++;
		what = "add";
		break;
	case GIT_DELTA_DELETED:
		c->removed++;
		what = "remove";
		break;
	default:
		c->changed++;
		what = "change";
		break;
	}
	if (c->list)
		printf("%-6s %s\n", what, d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path);
	return 0;
}

int publish_tree_diff(struct publish *p, const git_tree *old, const git_tree *new, struct publish_counts *c)
{
	git_diff *diff = NULL;
	git_diff_options dopts;
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	if (git_diff_tree_to_tree(&diff, p->repo, (git_tree *)old, (git_tree *)new, &dopts) < 0 ||
	    git_diff_foreach(diff, S_delta, NULL, NULL, NULL, c) < 0) {
		git_diff_free(diff);
		diag_error(NULL, 0, 0, "cannot compare with branch '%s' (%s)", p->o.branch, publish_git_error());
		return -1;
	}
	git_diff_free(diff);
	return 0;
}

/* An in-memory object database in front of the repository's: a dry run
 * writes its blobs and trees there, and they vanish with it. */
int publish_memory_odb(struct publish *p)
{
	git_odb *odb = NULL;
	git_odb_backend *mem = NULL;
	int r = git_repository_odb(&odb, p->repo);
	if (r == 0 && (r = git_mempack_new(&mem)) == 0 && (r = git_odb_add_backend(odb, mem, 999)) < 0)
		mem->free(mem);
	git_odb_free(odb);
	if (r < 0)
		diag_error(NULL, 0, 0, "cannot make an in-memory object database (%s)", publish_git_error());
	return r < 0 ? -1 : 0;
}

