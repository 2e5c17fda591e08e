/* repo_init.h - the git repository of a new site (toivo new): `git init`
 * and a first commit of every file in it, with libgit2, so that `toivo
 * publish` works in the new site at once. */
#ifndef TOIVO_REPO_INIT_H
#define TOIVO_REPO_INIT_H

/* The first branch of a new repository: git's init.defaultBranch when the
 * user set one, else "main", as on GitHub and GitLab (caller frees). */
char *repo_init_branch(void);

/* Makes DIR a repository whose first branch is `branch` and commits
 * everything in it that .gitignore does not exclude.  When DIR is already
 * inside a repository nothing is done: *out_inside gets that repository's
 * folder (caller frees; else NULL).  Returns 0, or -1 after reporting. */
int repo_init_site(char **out_inside, const char *dir, const char *branch);

#endif
