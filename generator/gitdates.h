/* gitdates.h - "last updated" from git history (libgit2). */
#ifndef TOIVO_GITDATES_H
#define TOIVO_GITDATES_H

#include <stddef.h>

struct site;
struct page;
struct git_repository;

/* Sets each page's `updated` to the time of the last commit that changed
 * its source file; pages with uncommitted changes, and sites outside a git
 * repository, keep their file modification time. */
void gitdates_apply(struct site *s);

/* Gives edited pages their `updated` again, as gitdates_apply would now:
 * the time of their last commit when git sees no change to them, else
 * their file time.  Sites outside a git repository are left alone. */
void gitdates_refresh(struct site *s, struct page *const *pages, size_t n);

/* The site folder root relative to the repository's working folder ("" or
 * "sub/"), or NULL when it is not inside it; the caller frees it. */
char *gitdates_site_prefix(struct git_repository *repo, const char *root);

#endif
