/* publish.h - toivo publish: one commit of the built site on a branch of the
 * site's own repository, pushed to a remote, all with libgit2.
 *
 * The working tree, the index and HEAD are never touched: the commit is made
 * from a folder of built files (blobs and trees written straight into the
 * object database) and only refs/heads/BRANCH (compare-and-swap) and the
 * remote-tracking ref refs/remotes/REMOTE/BRANCH are updated.
 *
 * Use:
 *
 *     struct publish *p = publish_begin(&opts);   // repository, clean source, fetch
 *     if (p) { build into DIR; r = publish_finish(p, DIR); }
 *     publish_end(p);
 *
 * publish_begin() fetches first, so an unreachable remote or a refused
 * login is reported before the site is built.  Every failure is reported as
 * one line through diag() and leaves the local branch as it was.
 */
#ifndef TOIVO_PUBLISH_H
#define TOIVO_PUBLISH_H

#include <stdbool.h>

struct publish_opts {
	const char *root;       /* the site's folder (inside the repository) */
	const char *branch;     /* the branch the host serves: "gh-pages" */
	const char *remote;     /* a remote's name, or a URL / local path */
	const char *message;    /* the commit's subject; NULL: "Publish <short> (toivo V)" */
	const char *cname;      /* contents of CNAME; NULL or "": no CNAME file */
	bool no_push;           /* commit only */
	bool dry_run;           /* list the changes, write nothing */
	bool force;             /* build on a diverged local branch and force the push */
	bool allow_dirty;       /* publish although the source has uncommitted changes */
};

struct publish;

/* Opens the site's repository, refuses a dirty source (unless allow_dirty),
 * looks the remote up and fetches the branch (only lists it for a dry run),
 * then decides the commit to build on.  Returns NULL after reporting one
 * error; nothing has been changed then. */
struct publish *publish_begin(const struct publish_opts *o);

/* Commits the folder dir (plus .nojekyll and CNAME) on the branch and pushes
 * it.  Returns 0, or -1 after reporting one error (the local branch is then
 * as it was before publish_begin()). */
int publish_finish(struct publish *p, const char *dir);

/* Frees everything; NULL is harmless. */
void publish_end(struct publish *p);

/* Whether refs/heads/BRANCH is a valid ref name (and BRANCH no option). */
bool publish_branch_valid(const char *branch);

#endif
