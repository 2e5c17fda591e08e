/* gitdates.h - "last updated" from git history (libgit2). */
#ifndef TOIVO_GITDATES_H
#define TOIVO_GITDATES_H

struct site;
struct git_repository;

/* Sets each page's `updated` to the time of the last commit that changed
 * its source file; pages with uncommitted changes, and sites outside a git
 * repository, keep their file modification time. */
void gitdates_apply(struct site *s);

/* The site folder root relative to the repository's working folder ("" or
 * "sub/"), or NULL when it is not inside it; the caller frees it. */
char *gitdates_site_prefix(struct git_repository *repo, const char *root);

#endif
