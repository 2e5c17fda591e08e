/* util.h - allocation that cannot fail, files and paths.
 *
 * Out of memory is the one fatal error in toivo: the x* wrappers print a
 * message and exit(1).  Every other failure is returned to the caller.
 */
#ifndef TOIVO_UTIL_H
#define TOIVO_UTIL_H

#include <stddef.h>
#include <stdbool.h>
#include <errno.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grows *items (of *cap elements of size `size`) to hold at least n + 1. */
void *xgrow(void *items, size_t *cap, size_t n, size_t size);

/* Reads a whole file into *out (NUL-terminated, caller frees) and its length
 * into *len.  Returns 0, or -1 with errno set. */
int file_read(char **out, size_t *len, const char *path);
/* The same from an open file descriptor, which it closes.  A FIFO, device
 * or socket is refused with errno FILE_ENOTREG, a folder with EISDIR. */
int file_read_fd(char **out, size_t *len, int fd);
#define FILE_ENOTREG EMEDIUMTYPE
/* strerror(err), with what to do for FILE_ENOTREG and EXDEV (a path that
 * leaves the site, see vfs_read). */
const char *file_strerror(int err);
/* Writes data to path through a temporary file and rename(2), so a reader
 * never sees half a file.  Returns 0, or -1 with errno set. */
int file_write_atomic(const char *path, const void *data, size_t len);
/* Creates a directory and its parents (mode 0755).  Returns 0 or -1. */
int mkdir_p(const char *path);
/* Removes a file tree (no symlinks followed).  Returns 0 or -1. */
int rm_rf(const char *path);
/* Copies a regular file; returns 0 or -1. */
int file_copy(const char *from, const char *to);
bool is_dir(const char *path);
/* The names in a folder except those starting with '.', in byte order;
 * NULL (errno set) when it cannot be read.  Free with dir_names_free(). */
char **dir_names(const char *path, size_t *n);
void dir_names_free(char **names, size_t n);
bool is_file(const char *path);

/* Joins two path parts with one '/'; the caller frees the result. */
char *path_join(const char *a, const char *b);
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

/* Checks that text (a page, template or data file) is valid UTF-8 without
 * NUL bytes.  Returns 0, or -1 after reporting the first bad byte as
 * path:line:col. */
int text_check(const char *text, size_t len, const char *path);

#endif
