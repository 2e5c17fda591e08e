/* util.h - files, folders and paths.  Every failure is returned to the
 * caller (-1 with errno, or NULL); nothing here reports.  It brings the
 * x* allocators (xalloc.h) along, as every user of it needs them.
 */
#ifndef TOIVO_UTIL_H
#define TOIVO_UTIL_H

#include <stddef.h>
#include <stdbool.h>
#include <errno.h>

#include "xalloc.h"

/* Reads a whole file into *out (NUL-terminated, caller frees) and its length
 * into *len.  Returns 0, or -1 with errno set. */
int file_read(char **out, size_t *len, const char *path);
/* The same from an open file descriptor, which it closes.  A FIFO, device
 * or socket is refused with errno FILE_ENOTREG, a folder with EISDIR. */
int file_read_fd(char **out, size_t *len, int fd);
/* The same two that also give the file's status as it was when read
 * through (st may be NULL). */
struct stat;
int file_read_stat(char **out, size_t *len, struct stat *st, const char *path);
int file_read_fd_stat(char **out, size_t *len, struct stat *st, int fd);
/* file_read_fd_stat of a file expected to be expect bytes long (known
 * from an earlier read): no fstat before the read, which stops soon after
 * expect bytes; st (not NULL) says what the file was, and a file that is
 * not regular any more is refused as before. */
int file_read_fd_expect(char **out, size_t *len, struct stat *st, int fd, size_t expect);
#define FILE_ENOTREG EMEDIUMTYPE
/* strerror(err), with what to do for FILE_ENOTREG and EXDEV (a path that
 * leaves the site, see vfs_read). */
const char *file_strerror(int err);
/* Writes data to path through a temporary file and rename(2), so a reader
 * never sees half a file.  Returns 0, or -1 with errno set. */
int file_write_atomic(const char *path, const void *data, size_t len);
/* Copies a regular file, written whole beside `to` and renamed into place,
 * so an interrupted copy leaves no half file.  Returns 0 or -1. */
int file_copy(const char *from, const char *to);
/* Creates a directory and its parents (mode 0755).  Returns 0 or -1. */
int mkdir_p(const char *path);
/* Removes a file tree (no symlinks followed).  Returns 0 or -1. */
int rm_rf(const char *path);
bool is_dir(const char *path);
/* The names in a folder except those starting with '.', in byte order;
 * NULL (errno set) when it cannot be read.  The caller frees each name
 * and the array. */
char **dir_names(const char *path, size_t *n);
/* The same with each name's type as the folder gives it (DT_REG, DT_DIR,
 * DT_LNK ..., DT_UNKNOWN when the file system does not say), in *types
 * (the caller frees it), so a walk need not stat every name. */
char **dir_names_typed(const char *path, size_t *n, unsigned char **types);
bool is_file(const char *path);

/* Joins two path parts with one '/'; the caller frees the result. */
char *path_join(const char *a, const char *b);
/* Returns a new string: the last segment of path, final slashes aside
 * ("fi/pori/" -> "pori"). */
char *path_last(const char *path);
/* Returns a new string: the folder part of path ("" when none). */
char *path_dir(const char *path);
/* Normalises a relative path lexically: removes "." and "x/.." pairs and
 * double slashes.  Returns NULL when the path climbs above its start
 * ("../x") or is absolute; the caller frees the result. */
char *path_normalize(const char *path);
bool str_ends_with(const char *s, const char *suffix);
bool str_starts_with(const char *s, const char *prefix);

/* Number of online processors, at least 1. */
int cpu_count(void);

#endif
