/* vfs.c - files on disk or built into the binary.
 *
 * Files under the site root (vfs_set_root) are opened relative to the
 * root's folder with openat2(RESOLVE_BENEATH): a path that leaves the site
 * through ".." or a symbolic link fails with EXDEV, whatever the caller
 * made of the path (a partial name, a data file, a theme asset).  Where the
 * kernel has no openat2, realpath() gives the same answer.  Only regular
 * files are read (file_read_fd), and nothing waits on a FIFO.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "diag.h"
#include "embed.h"
#include "name.h"
#include "util.h"
#include "vfs.h"

#define BUILTIN "builtin:"

static char *S_root, *S_root_real;     /* the site root as given, and real */
static int S_root_fd = -1;

void vfs_set_root(const char *root)
{
	if (root && S_root && !strcmp(root, S_root) && S_root_fd >= 0)
		return;         /* the same site again (toivo serve's rebuilds) */
	free(S_root);
	free(S_root_real);
	if (S_root_fd >= 0)
		close(S_root_fd);
	S_root = NULL;
	S_root_real = NULL;
	S_root_fd = -1;
	if (!root)
		return;
	S_root = xstrdup(root);
	S_root_real = realpath(root, NULL);
	S_root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* The part of path below the site root ("content/x.md"), or NULL when path
 * does not start with the root (as given or real). */
static const char *S_below(const char *path)
{
	const char *roots[] = { S_root, S_root_real };
	for (size_t i = 0; i < 2; i++) {
		size_t n = roots[i] ? strlen(roots[i]) : 0;
		while (n > 1 && roots[i][n - 1] == '/')
			n--;
		if (n && !strncmp(path, roots[i], n) && path[n] == '/')
			return path + n + 1 + strspn(path + n + 1, "/");
	}
	return NULL;
}

/* Opens rel, a path below the site root, for reading; -1 with errno EXDEV
 * when it leads outside the root. */
static int S_open_below(const char *rel)
{
	int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
	struct open_how how = { .flags = (unsigned long long)flags,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
	int fd = (int)syscall(SYS_openat2, S_root_fd, rel, &how, sizeof how);
	if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
		return fd;
	/* no openat2 (or a seccomp filter refuses it) */
	char *full = path_join(S_root_real ? S_root_real : ".", rel);
	char *real = realpath(full, NULL);
	free(full);
	if (!real)
		return -1;
	size_t n = S_root_real ? strlen(S_root_real) : 0;
	if (!n || strncmp(real, S_root_real, n) || (real[n] != '/' && n > 1)) {
		free(real);
		errno = EXDEV;
		return -1;
	}
	fd = open(real, flags | O_NOFOLLOW);
	free(real);
	return fd;
}

int vfs_read_stat(char **out, size_t *len, struct stat *st, const char *path)
{
	if (str_starts_with(path, BUILTIN)) {
		const struct embed_file *f = embed_find(path + strlen(BUILTIN));
		if (!f) {
			errno = ENOENT;
			return -1;
		}
		*out = xstrndup((const char *)f->data, f->len);
		if (len)
			*len = f->len;
		if (st)
			memset(st, 0, sizeof *st);
		return 0;
	}
	const char *rel = S_root_fd >= 0 ? S_below(path) : NULL;
	if (!rel)
		return file_read_stat(out, len, st, path);
	int fd = S_open_below(rel);
	if (fd < 0)
		return -1;
	return file_read_fd_stat(out, len, st, fd);
}

int vfs_read_expect(char **out, size_t *len, struct stat *st, const char *path, size_t expect)
{
	const char *rel = S_root_fd >= 0 && !str_starts_with(path, BUILTIN) ? S_below(path) : NULL;
	if (!rel)
		return vfs_read_stat(out, len, st, path);
	int fd = S_open_below(rel);
	if (fd < 0)
		return -1;
	return file_read_fd_expect(out, len, st, fd, expect);
}

int vfs_read(char **out, size_t *len, const char *path)
{
	return vfs_read_stat(out, len, NULL, path);
}

bool vfs_exists(const char *path)
{
	if (str_starts_with(path, BUILTIN))
		return embed_find(path + strlen(BUILTIN)) != NULL;
	/* Anything but a folder: vfs_read then says what is wrong with it. */
	struct stat st;
	return lstat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

int vfs_tpl_read(void *ud, const char *path, char **text, size_t *len)
{
	(void)ud;
	return vfs_read(text, len, path);
}

static void S_walk_disk(const char *dir, const char *rel,
			void (*fn)(void *, const char *, const char *), void *ud)
{
	char *full = *rel ? path_join(dir, rel) : xstrdup(dir);
	size_t n;
	char **names = dir_names(full, &n);
	if (!names) {
		free(full);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char *r = *rel ? path_join(rel, names[i]) : xstrdup(names[i]);
		char *f = path_join(dir, r);
		struct stat st;
		const char *why = name_problem(names[i]);
		if (why) {
			char *shown = name_shown(f);
			diag_error(shown, 0, 0, "the name %s; rename it (letters, digits, '-' and '_' are safe everywhere)", why);
			free(shown);
		} else if (lstat(f, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				S_walk_disk(dir, r, fn, ud);
			else if (S_ISREG(st.st_mode))
				fn(ud, f, r);
			else if (S_ISLNK(st.st_mode))
				/* It could lead anywhere: out of the site, or to
				 * files nobody meant to publish. */
				diag_warn(f, 0, 0, "symbolic link skipped; copy the file in instead");
			else
				diag_error(f, 0, 0, "%s", file_strerror(FILE_ENOTREG));
		}
		free(f);
		free(r);
		free(names[i]);
	}
	free(names);
	free(full);
}

void vfs_walk(const char *dir, void (*fn)(void *ud, const char *full, const char *rel), void *ud)
{
	if (!str_starts_with(dir, BUILTIN)) {
		S_walk_disk(dir, "", fn, ud);
		return;
	}
	const char *prefix = dir + strlen(BUILTIN);
	size_t pl = strlen(prefix);
	for (const struct embed_file *f = embed_files; f->path; f++) {
		if (strncmp(f->path, prefix, pl) || f->path[pl] != '/')
			continue;
		char *full = xasprintf(BUILTIN "%s", f->path);
		fn(ud, full, f->path + pl + 1);
		free(full);
	}
}
