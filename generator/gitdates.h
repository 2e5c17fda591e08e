/* gitdates.h - "last updated" from git history (libgit2). */
#ifndef TOIVO_GITDATES_H
#define TOIVO_GITDATES_H

struct site;

/* Sets each page's `updated` to the time of the last commit that changed
 * its source file; pages with uncommitted changes, and sites outside a git
 * repository, keep their file modification time. */
void gitdates_apply(struct site *s);

#endif
