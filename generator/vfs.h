/* vfs.h - reading files that may be on disk or built into the binary.
 * A path starting with "builtin:" names an embedded file (embed.h). */
#ifndef TOIVO_VFS_H
#define TOIVO_VFS_H

#include <stdbool.h>
#include <stddef.h>

/* Confines vfs_read to the site: every later path below root must stay
 * inside it (NULL forgets the root). */
void vfs_set_root(const char *root);
/* Reads path into *out (NUL-terminated, caller frees).  0, or -1 (errno;
 * FILE_ENOTREG for a FIFO, device or socket, EXDEV for a path below the
 * site root that leads out of it: see file_strerror). */
int vfs_read(char **out, size_t *len, const char *path);
/* vfs_read that also fills *st with the file's status as it was read
 * (zeroed for a built-in file). */
struct stat;
int vfs_read_stat(char **out, size_t *len, struct stat *st, const char *path);
/* vfs_read_stat of a file of the site expected to be expect bytes long
 * (file_read_fd_expect: one fstat fewer); st must not be NULL. */
int vfs_read_expect(char **out, size_t *len, struct stat *st, const char *path, size_t expect);
bool vfs_exists(const char *path);
/* Calls fn for every file under the folder dir (on disk or built in), with
 * the path relative to dir; in byte order. */
void vfs_walk(const char *dir, void (*fn)(void *ud, const char *full, const char *rel), void *ud);
/* The template reader for tpl_cache_new(). */
int vfs_tpl_read(void *ud, const char *path, char **text, size_t *len);

#endif
