/* publish_git.h - what the parts of toivo publish share: the state of one
 * publish and the steps that publish.c (the flow), remote.c (the remote:
 * credentials, fetch, push) and tree.c (the built folder as a git tree)
 * provide each other.  Not for the rest of toivo: its interface is
 * publish.h.  Every step returns 0, or -1 after reporting through diag. */
#ifndef TOIVO_PUBLISH_GIT_H
#define TOIVO_PUBLISH_GIT_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

#include "publish.h"

enum { TRIED_USER = 1, TRIED_KEY = 2, TRIED_AGENT = 4, TRIED_TOKEN = 8 };

struct publish {
	struct publish_opts o;
	git_repository *repo;
	git_remote *remote;
	bool named;             /* a configured remote, not a URL */
	char *ref;              /* "refs/heads/gh-pages" */
	char *tracking;         /* "refs/remotes/origin/gh-pages", or NULL for a URL */
	char *remote_branch;    /* "origin/gh-pages" or "URL gh-pages", for messages */
	git_oid head;           /* the source commit */
	bool dirty;             /* published with --allow-dirty over changes */
	bool has_local;         /* refs/heads/BRANCH exists */
	git_oid local;
	bool has_remote;        /* the remote has the branch */
	bool remote_here;       /* ... and its tip is in the local object database */
	git_oid rtip;
	bool has_base;          /* the commit to build on */
	git_oid base;
	bool diverged;          /* local and remote diverged (only with --force) */
	bool offline;           /* --no-push and the remote could not be used */
	bool missing_path;      /* the remote is a local path that does not exist */
	/* credentials, per connection */
	int cred_tries;
	unsigned cred_tried;
	bool cred_gave_up;
	/* push result */
	char *push_status;
};

/* What the new tree adds, changes and removes (list: print each). */
struct publish_counts {
	size_t added, changed, removed;
	bool list;
};

/* publish.c: messages.  The last libgit2 error as one line, without a
 * final period (a static buffer: use it before the next git call). */
const char *publish_git_error(void);
/* The first 7 hex digits of id. */
void publish_short_id(char out[8], const git_oid *id);
/* Where a message about the whole site points: the site folder, or NULL
 * ("toivo: error: ...") when that is the current folder. */
const char *publish_where(const struct publish *p);
/* The remote as messages name it. */
const char *publish_remote_name(const struct publish *p);

/* remote.c: step 3, connecting to the remote (named or a URL) ... */
int publish_remote_open(struct publish *p);
/* ... listing it and fetching the branch (a dry run only lists) ... */
int publish_fetch(struct publish *p);
/* ... and step 7, pushing `final`; when the push fails the branch is moved
 * back from `made` (NULL: nothing was committed) and the message says
 * where it is. */
int publish_push(struct publish *p, const git_oid *made, const git_oid *final);

/* tree.c: step 5, the tree of folder dir ("rel" its path in the output,
 * "" at the top); *empty is set when it holds no file at all. */
int publish_tree_write(struct publish *p, const char *dir, const char *rel, git_oid *out, bool *empty);
/* What changed from old to new. */
int publish_tree_diff(struct publish *p, const git_tree *old, const git_tree *new, struct publish_counts *c);
/* An in-memory object database in front of the repository's, for a dry
 * run: its blobs and trees vanish with it. */
int publish_memory_odb(struct publish *p);

#endif
