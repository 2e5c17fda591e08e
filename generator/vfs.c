/* vfs.c - files on disk or built into the binary. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "embed.h"
#include "util.h"
#include "vfs.h"

#define BUILTIN "builtin:"

int vfs_read(char **out, size_t *len, const char *path)
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
		return 0;
	}
	return file_read(out, len, path);
}

bool vfs_exists(const char *path)
{
	if (str_starts_with(path, BUILTIN))
		return embed_find(path + strlen(BUILTIN)) != NULL;
	return is_file(path);
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
		if (lstat(f, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				S_walk_disk(dir, r, fn, ud);
			else if (S_ISREG(st.st_mode))
				fn(ud, f, r);
			else if (S_ISLNK(st.st_mode))
				/* It could lead anywhere: out of the site, or to
				 * files nobody meant to publish. */
				diag_warn(f, 0, 0, "symbolic link skipped; copy the file in instead");
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
