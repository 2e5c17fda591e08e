/* util.c - files, folders and paths. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "util.h"

int file_read(char **out, size_t *len, const char *path)
{
	return file_read_stat(out, len, NULL, path);
}

int file_read_stat(char **out, size_t *len, struct stat *st, const char *path)
{
	/* O_NONBLOCK: opening a FIFO without a writer must not wait. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -1;
	return file_read_fd_stat(out, len, st, fd);
}

int file_read_fd(char **out, size_t *len, int fd)
{
	return file_read_fd_stat(out, len, NULL, fd);
}

int file_read_fd_stat(char **out, size_t *len, struct stat *stp, int fd)
{
	return file_read_fd_expect(out, len, stp, fd, SIZE_MAX);
}

int file_read_fd_expect(char **out, size_t *len, struct stat *stp, int fd, size_t expect)
{
	struct stat st;
	size_t size = expect;
	if (expect == SIZE_MAX) {
		if (fstat(fd, &st) < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			close(fd);
			errno = S_ISDIR(st.st_mode) ? EISDIR : FILE_ENOTREG;
			return -1;
		}
		size = (size_t)st.st_size;
	}
	/* Room for the file, its NUL and one byte more: the read that finds
	 * the end then needs no bigger buffer (a file that grows meanwhile
	 * still does). */
	size_t cap = size > 0 ? size + 2 : 4096;
	char *data = xmalloc(cap);
	size_t n = 0;
	for (;;) {
		if (n + 1 >= cap) {
			cap *= 2;
			data = xrealloc(data, cap);
		}
		ssize_t r = read(fd, data + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(data);
			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		/* A read that came short at the size the file had is its end:
		 * no second read to find it (one system call a file). */
		if ((size_t)r < cap - (n - (size_t)r) - 1 && size > 0 && n == size)
			break;
		/* Longer than expected: the caller sees that in the length. */
		if (expect != SIZE_MAX && n > expect)
			break;
	}
	/* The file as it was when read through: a change while it was read
	 * shows in its time (a stat(2) of the path did this at twice the cost). */
	if (stp && fstat(fd, stp) < 0)
		memset(stp, 0, sizeof *stp);
	if (expect != SIZE_MAX && (!stp || !S_ISREG(stp->st_mode))) {
		/* Not a regular file now: refused as the fstat before would. */
		free(data);
		close(fd);
		errno = stp && S_ISDIR(stp->st_mode) ? EISDIR : FILE_ENOTREG;
		return -1;
	}
	close(fd);
	data[n] = '\0';
	*out = data;
	if (len)
		*len = n;
	return 0;
}

const char *file_strerror(int err)
{
	if (err == FILE_ENOTREG || err == ENXIO)    /* ENXIO: open(2) of a socket */
		return "not a regular file (a FIFO, a device or a socket); toivo reads only regular files, so replace it with one";
	if (err == EXDEV)
		return "the path leads outside the site folder (through '..' or a symbolic link); keep the file inside the site";
	return strerror(err);
}

static int S_write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int file_write_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp%ld", path, (long)gettid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	if (S_write_all(fd, data, len) < 0 || close(fd) < 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		errno = e;
		return -1;
	}
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		errno = e;
		return -1;
	}
	free(tmp);
	return 0;
}

int file_copy(const char *from, const char *to)
{
	char *data = NULL;
	size_t len = 0;
	if (file_read(&data, &len, from) < 0)
		return -1;
	int r = file_write_atomic(to, data, len);
	free(data);
	return r;
}

int mkdir_p(const char *path)
{
	if (mkdir(path, 0755) == 0)
		return 0;
	if (errno == EEXIST)
		return is_dir(path) ? 0 : (errno = ENOTDIR, -1);
	if (errno != ENOENT)
		return -1;
	char *parent = path_dir(path);
	int r = -1;
	if (*parent && strcmp(parent, path) != 0 && mkdir_p(parent) == 0)
		r = (mkdir(path, 0755) == 0 || errno == EEXIST) ? 0 : -1;
	free(parent);
	return r;
}

static int S_rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	return (flag == FTW_DP ? rmdir(p) : unlink(p)) < 0 && errno != ENOENT ? -1 : 0;
}

int rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	return nftw(path, S_rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *path_join(const char *a, const char *b)
{
	if (!*a)
		return xstrdup(b);
	if (!*b)
		return xstrdup(a);
	size_t la = strlen(a), lb = strlen(b);
	bool slash = a[la - 1] != '/';
	char *r = xmalloc(la + slash + lb + 1);
	memcpy(r, a, la);
	r[la] = '/';
	memcpy(r + la + slash, b, lb + 1);
	return r;
}

char *path_last(const char *path)
{
	size_t n = strlen(path);
	while (n && path[n - 1] == '/')
		n--;
	size_t b = n;
	while (b && path[b - 1] != '/')
		b--;
	return xstrndup(path + b, n - b);
}

char *path_dir(const char *path)
{
	const char *s = strrchr(path, '/');
	if (!s)
		return xstrdup("");
	if (s == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(s - path));
}

char *path_normalize(const char *path)
{
	if (path[0] == '/')
		return NULL;
	struct buf b = BUF_INIT;
	const char *p = path;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* skip */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (b.len == 0) {
				buf_free(&b);
				return NULL;
			}
			char *s = strrchr(b.data, '/');
			buf_truncate(&b, s ? (size_t)(s - b.data) : 0);
		} else {
			if (b.len)
				buf_putc(&b, '/');
			buf_add(&b, p, n);
		}
		p += n;
		if (*p == '/')
			p++;
	}
	return buf_detach(&b, NULL);
}

bool str_ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

bool str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

struct S_entry {
	char *name;
	unsigned char type;
};

static int S_cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct S_entry *)a)->name, ((const struct S_entry *)b)->name);
}

char **dir_names_typed(const char *path, size_t *n, unsigned char **types)
{
	*n = 0;
	if (types)
		*types = NULL;
	DIR *d = opendir(path);
	if (!d)
		return NULL;
	struct S_entry *es = NULL;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		es = xgrow(es, &cap, *n, sizeof *es);
		es[(*n)++] = (struct S_entry){ xstrdup(e->d_name), e->d_type };
	}
	closedir(d);
	if (*n > 1)
		qsort(es, *n, sizeof *es, S_cmp_entry);
	char **names = xcalloc(*n + 1, sizeof *names);
	if (types)
		*types = xcalloc(*n + 1, 1);
	for (size_t i = 0; i < *n; i++) {
		names[i] = es[i].name;
		if (types)
			(*types)[i] = es[i].type;
	}
	free(es);
	return names;
}

char **dir_names(const char *path, size_t *n)
{
	return dir_names_typed(path, n, NULL);
}
