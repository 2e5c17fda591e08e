/* output_lock.c - where an output folder may be, and its lock: the checks
 * that keep a build from replacing the site's own files or a folder no
 * build wrote, the output's folder in the cache, and the flock that keeps
 * two toivo processes from writing one output at once (see output.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "output.h"
#include "util.h"

/* The real path of p, whose last folders may not exist yet (-o
 * content/new/out): the real path of the deepest folder that exists, and
 * the names below it.  NULL when no folder of it exists. */
static char *S_real(const char *p)
{
	char *r = realpath(p, NULL);
	if (r)
		return r;
	char *c = xstrdup(p);
	size_t n = strlen(c);
	while (n > 1 && c[n - 1] == '/')
		c[--n] = '\0';
	char *dir = path_dir(c);
	const char *base = strrchr(c, '/');
	base = base ? base + 1 : c;
	/* "/" and "." exist, so this ends. */
	char *rd = *dir && strcmp(dir, c) ? S_real(dir) : realpath(*dir ? dir : ".", NULL);
	char *full = rd ? path_join(rd, base) : NULL;
	free(rd);
	free(dir);
	free(c);
	return full;
}

/* a is b or inside b (both real paths). */
static bool S_within(const char *a, const char *b)
{
	size_t n = strlen(b);
	if (n == 1 && b[0] == '/')
		return true;
	return !strncmp(a, b, n) && (a[n] == '/' || a[n] == '\0');
}

/* A folder with files that no build wrote: no index.html at its top. */
static bool S_foreign(const char *out)
{
	DIR *d = opendir(out);
	if (!d)
		return false;
	bool any = false, index = false;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		any = true;
		if (!strcmp(e->d_name, "index.html"))
			index = true;
	}
	closedir(d);
	return any && !index;
}

int output_check_place(const char *out, const char *root)
{
	static const char *const sources[] = { "content", "themes", "lua", "static", "i18n", ".git", "layouts", "partials", "assets" };
	char *ro = S_real(out), *rr = realpath(root, NULL);
	int r = 0;
	if (ro && rr && S_within(rr, ro)) {
		diag_error(out, 0, 0, "the output folder holds the site itself, and a build replaces the whole output folder; "
			   "choose another with -o, such as %s/public", root);
		r = -1;
	}
	for (size_t i = 0; r == 0 && ro && rr && i < sizeof sources / sizeof sources[0]; i++) {
		char *src = path_join(rr, sources[i]);
		if (S_within(ro, src)) {
			diag_error(out, 0, 0, "the output folder is inside the site's %s/ folder; choose another with -o, such as %s/public",
				   sources[i], root);
			r = -1;
		}
		free(src);
	}
	if (r == 0 && is_dir(out) && S_foreign(out)) {
		diag_error(out, 0, 0, "the output folder holds files that no build wrote (it has no index.html), and a build "
			   "replaces the whole folder; empty it or choose another with -o");
		r = -1;
	}
	free(ro);
	free(rr);
	return r;
}

char *output_cache_dir(const char *root)
{
	return path_join(root, ".toivo-cache");
}

/* ------------------------------------------------------------------ */
/* the lock                                                           */
/* ------------------------------------------------------------------ */

struct output_lock {
	char *path;             /* the lock file, or the folder locked */
	int fd;
	int refs;               /* takes by this process */
	struct output_lock *next;
};

static pthread_mutex_t S_locks_mu = PTHREAD_MUTEX_INITIALIZER;
static struct output_lock *S_locks;

/* FNV-1a of s, to name an output's folder in the cache. */
static unsigned long long S_hash(const char *s)
{
	unsigned long long h = 14695981039346656037ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

char *output_key_dir(const char *cache, const char *out)
{
	char *real = S_real(out);
	if (!cache || !real) {
		free(real);
		return NULL;
	}
	char *dir = xasprintf("%s/out-%016llx", cache, S_hash(real));
	free(real);
	if (mkdir_p(dir) < 0) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* "toivo build" (the first two words of this process's command line). */
static void S_whoami(char *out, size_t size)
{
	snprintf(out, size, "toivo");
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	char b[256];
	ssize_t n = read(fd, b, sizeof b - 1);
	close(fd);
	if (n <= 0)
		return;
	b[n] = '\0';
	const char *base = strrchr(b, '/');
	size_t l0 = strlen(b);
	const char *sub = (size_t)n > l0 + 1 ? b + l0 + 1 : "";
	snprintf(out, size, "%.40s%s%.40s", base ? base + 1 : b, *sub && *sub != '-' ? " " : "", *sub != '-' ? sub : "");
}

struct output_lock *output_lock_take(const char *cache, const char *out)
{
	char *dir = output_key_dir(cache, out);
	char *path;
	if (dir) {
		path = path_join(dir, "lock");
	} else {
		/* no cache: the folder that holds OUT is the lock */
		char *c = xstrdup(out);
		size_t n = strlen(c);
		while (n > 1 && c[n - 1] == '/')
			c[--n] = '\0';
		path = path_dir(c);
		if (!*path) {
			free(path);
			path = xstrdup(".");
		}
		free(c);
	}
	free(dir);
	pthread_mutex_lock(&S_locks_mu);
	struct output_lock *l;
	for (l = S_locks; l; l = l->next)
		if (!strcmp(l->path, path))
			break;
	if (l) {
		l->refs++;
		free(path);
		goto out;
	}
	int fd = is_dir(path) ? open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
			      : open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		diag_error(path, 0, 0, "cannot open the lock of the output folder: %s; check the permissions of the site's folder",
			   strerror(errno));
		free(path);
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		char who[200] = "";
		ssize_t n = pread(fd, who, sizeof who - 1, 0);
		who[n > 0 ? n : 0] = '\0';
		who[strcspn(who, "\n")] = '\0';
		diag(DIAG_NOTE, out, 0, 0, "waiting for %s, which is writing this output folder",
		     *who ? who : "another toivo");
		while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
			;
	}
	char me[128], line[200];
	S_whoami(me, sizeof me);
	int k = snprintf(line, sizeof line, "%s (process %ld)\n", me, (long)getpid());
	if (!is_dir(path) && ftruncate(fd, 0) == 0 && pwrite(fd, line, (size_t)k, 0) < 0) {
		/* only the message of a waiting build would lack the name */
	}
	l = xcalloc(1, sizeof *l);
	l->path = path;
	l->fd = fd;
	l->refs = 1;
	l->next = S_locks;
	S_locks = l;
out:
	pthread_mutex_unlock(&S_locks_mu);
	return l;
}

void output_lock_release(struct output_lock *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&S_locks_mu);
	if (--l->refs == 0) {
		for (struct output_lock **p = &S_locks; *p; p = &(*p)->next)
			if (*p == l) {
				*p = l->next;
				break;
			}
		close(l->fd);   /* releases the flock */
		free(l->path);
		free(l);
	}
	pthread_mutex_unlock(&S_locks_mu);
}
