/* output.c - stage, write, swap. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "output.h"
#include "util.h"
#include "vfs.h"

static void S_sweep(const char *stage);
static void S_discard(const char *path, const char *stage);

/* A file held for output_commit when OUT is updated in place. */
struct pending {
	char *rel;      /* normalised */
	char *data;
	size_t len;
	char *who;
};

/* The real path of p, which may not exist yet: its folder's real path and
 * its name.  NULL when the folder does not exist either. */
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
	char *rd = realpath(*dir ? dir : ".", NULL);
	const char *base = strrchr(c, '/');
	base = base ? base + 1 : c;
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
	static const char *const sources[] = { "content", "themes", "lua", "static", "i18n", ".git" };
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

int output_begin(struct output *o, const char *out)
{
	memset(o, 0, sizeof *o);
	o->out = xstrdup(out);
	o->old_fd = -1;
	struct stat st;
	if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode)) {
		diag_error(out, 0, 0, "the output path is a file, not a folder; remove it or choose another with -o");
		goto fail;
	}
	char *parent = path_dir(out);
	if (*parent && mkdir_p(parent) < 0) {
		diag_error(parent, 0, 0, "cannot create the output's folder: %s", strerror(errno));
		free(parent);
		goto fail;
	}
	const char *base = strrchr(out, '/');
	base = base ? base + 1 : out;
	o->stage = xasprintf("%s%s.%s.toivo-stage", parent, *parent ? "/" : "", base);
	o->prev = xasprintf("%s%s.%s.toivo-prev", parent, *parent ? "/" : "", base);
	free(parent);
	S_sweep(o->stage);
	/* The stage is the tree the last swap replaced, or one that a killed
	 * build left: everything in it is rewritten or removed. */
	if (lstat(o->stage, &st) == 0 && S_ISDIR(st.st_mode)) {
		o->reused = true;
		if (lstat(o->prev, &st) == 0)
			S_discard(o->prev, o->stage);
	} else if (rename(o->prev, o->stage) == 0) {
		o->reused = true;
	} else {
		rm_rf(o->stage);
		if (mkdir(o->stage, 0755) < 0) {
			diag_error(o->stage, 0, 0, "cannot create the build folder next to the output: %s; check the permissions of its folder",
				   strerror(errno));
			goto fail;
		}
	}
	o->stage_len = strlen(o->stage);
	pthread_mutex_init(&o->lock, NULL);
	o->old_fd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return 0;
fail:
	free(o->stage);
	free(o->prev);
	free(o->out);
	o->stage = o->prev = o->out = NULL;
	return -1;
}

int output_begin_update(struct output *o, const char *out)
{
	memset(o, 0, sizeof *o);
	o->old_fd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->old_fd < 0) {
		diag_error(out, 0, 0, "cannot open the output folder: %s; build the whole site again", strerror(errno));
		return -1;
	}
	o->out = xstrdup(out);
	o->update = true;
	pthread_mutex_init(&o->lock, NULL);
	return 0;
}

/* In a reused stage a file may sit where a folder goes now: removes what
 * is in the way of dir, then creates it. */
static int S_mkdirs(struct output *o, const char *dir)
{
	if (mkdir_p(dir) == 0)
		return 0;
	if (!o->reused || (errno != ENOTDIR && errno != EEXIST))
		return -1;
	char *d = xstrdup(dir);
	for (char *s = d + o->stage_len + 1;; s++) {
		char c = *s;
		if (c == '/' || c == '\0') {
			*s = '\0';
			struct stat st;
			if (lstat(d, &st) == 0 && !S_ISDIR(st.st_mode))
				unlink(d);
			*s = c;
		}
		if (c == '\0')
			break;
	}
	free(d);
	return mkdir_p(dir);
}

/* rel normalised, or NULL (reported) when it climbs out of the output. */
static char *S_norm(const char *rel, const char *who)
{
	char *norm = path_normalize(rel);
	if (!norm || !*norm) {
		diag_error(who, 0, 0, "output path '%s' leaves the output folder; fix the slug, alias or file name", rel);
		free(norm);
		return NULL;
	}
	return norm;
}

static char *S_target(struct output *o, const char *rel, const char *who)
{
	char *norm = S_norm(rel, who);
	if (!norm)
		return NULL;
	char *full = path_join(o->stage, norm);
	char *dir = path_dir(full);
	if (S_mkdirs(o, dir) < 0) {
		diag_error(who, 0, 0, "cannot create folder %s: %s", dir, strerror(errno));
		free(full);
		full = NULL;
	}
	free(dir);
	free(norm);
	return full;
}

/* Whether OUT already has the file rel with exactly these bytes. */
static bool S_same(const struct output *o, const char *rel, const void *data, size_t len, struct stat *out_st)
{
	if (o->old_fd < 0)
		return false;
	int fd = openat(o->old_fd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return false;
	struct stat *st = out_st;
	bool same = fstat(fd, st) == 0 && S_ISREG(st->st_mode) && (size_t)st->st_size == len;
	char blk[65536];
	for (size_t off = 0; same && off < len;) {
		size_t want = len - off < sizeof blk ? len - off : sizeof blk;
		ssize_t r = read(fd, blk, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || memcmp(blk, (const char *)data + off, (size_t)r) != 0)
			same = false;
		else
			off += (size_t)r;
	}
	close(fd);
	return same;
}

/* Makes room for a new file at full (a link into OUT or an old file of a
 * reused stage must not be written through). */
static void S_clear(const char *full)
{
	if (unlink(full) < 0 && (errno == EISDIR || errno == EPERM))
		rm_rf(full);
}

/* Writes len bytes to a new file at full (which must not exist).  0, or
 * -1 with errno set. */
static int S_put(const char *full, const void *data, size_t len)
{
	int fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int r = fd < 0 ? -1 : 0;
	const char *p = data;
	while (r == 0 && len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			r = -1;
			break;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fd >= 0 && close(fd) < 0)
		r = -1;
	return r;
}

/* Update mode: the file is held until output_commit. */
static int S_hold(struct output *o, const char *rel, const void *data, size_t len, const char *who)
{
	char *norm = S_norm(rel, who);
	if (!norm)
		return -1;
	char *copy = xmalloc(len + 1);
	memcpy(copy, data, len);
	copy[len] = '\0';
	pthread_mutex_lock(&o->lock);
	o->pend = xgrow(o->pend, &o->cap_pend, o->n_pend, sizeof *o->pend);
	o->pend[o->n_pend++] = (struct pending){ norm, copy, len, xstrdup(who ? who : "") };
	pthread_mutex_unlock(&o->lock);
	return 0;
}

int output_write(struct output *o, const char *rel, const void *data, size_t len, const char *who)
{
	if (o->update)
		return S_hold(o, rel, data, len, who);
	char *full = S_target(o, rel, who);
	if (!full)
		return -1;
	const char *srel = full + o->stage_len + 1;
	if (o->reused) {
		pthread_mutex_lock(&o->lock);
		hmap_put(&o->written, srel, (void *)1);
		pthread_mutex_unlock(&o->lock);
	}
	/* Unchanged: the stage gets OUT's file (or has it already). */
	struct stat ost;
	if (S_same(o, srel, data, len, &ost)) {
		struct stat sst;
		if (o->reused && lstat(full, &sst) == 0 && sst.st_ino == ost.st_ino && sst.st_dev == ost.st_dev) {
			free(full);
			return 0;
		}
		S_clear(full);
		if (linkat(o->old_fd, srel, AT_FDCWD, full, 0) == 0) {
			free(full);
			return 0;
		}
	}
	S_clear(full);
	int r = S_put(full, data, len);
	if (r < 0)
		diag_error(who, 0, 0, "cannot write %s: %s", full, strerror(errno));
	free(full);
	return r;
}

int output_copy(struct output *o, const char *rel, const char *from, const char *who)
{
	char *data;
	size_t len;
	if (vfs_read(&data, &len, from) < 0) {
		diag_error(who, 0, 0, "cannot read %s: %s", from, file_strerror(errno));
		return -1;
	}
	int r = output_write(o, rel, data, len, who);
	free(data);
	return r;
}

/* The name of an old tree being removed: ".OUT.toivo-old.PID.N" next to
 * the stage ".OUT.toivo-stage". */
static char *S_trash_prefix(const char *stage)
{
	size_t n = strlen(stage) - strlen("stage");
	return xasprintf("%.*sold.", (int)n, stage);
}

/* Removes the old tree (at the stage path after the swap) without making
 * the build wait: removing a tree of 10 000 folders takes ~0.1 s of CPU
 * but seconds of waiting on a busy disk.  The tree is renamed out of the
 * way, so the next build's stage never meets it, and a detached `rm -rf`
 * removes it.  Only async-signal-safe calls between fork and exec: serve
 * has other threads. */
static void S_discard(const char *path, const char *stage)
{
	static atomic_ulong seq;
	char *pre = S_trash_prefix(stage);
	char *trash = xasprintf("%s%ld.%lu", pre, (long)getpid(), (unsigned long)atomic_fetch_add(&seq, 1));
	free(pre);
	if (rename(path, trash) < 0) {
		rm_rf(path);
		free(trash);
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		pid_t g = fork();
		if (g == 0) {
			int fd = open("/dev/null", O_RDWR);
			if (fd >= 0) {
				dup2(fd, 0);
				dup2(fd, 1);
				dup2(fd, 2);
			}
			execl("/bin/rm", "rm", "-rf", "--", trash, (char *)NULL);
			_exit(127);
		}
		_exit(g < 0 ? 1 : 0);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		rm_rf(trash);
	free(trash);
}

/* Old trees whose removal was cut short (the machine stopped) are removed
 * by the next build; trees that a running `rm` still works on are left. */
static void S_sweep(const char *stage)
{
	char *pre = S_trash_prefix(stage);
	char *dir = path_dir(pre);
	const char *base = strrchr(pre, '/');
	base = base ? base + 1 : pre;
	DIR *d = opendir(*dir ? dir : ".");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, base, strlen(base)))
			continue;
		long pid = strtol(e->d_name + strlen(base), NULL, 10);
		if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		char *full = *dir ? xasprintf("%s/%s", dir, e->d_name) : xstrdup(e->d_name);
		rm_rf(full);
		free(full);
	}
	if (d)
		closedir(d);
	free(dir);
	free(pre);
}

static void S_close_old(struct output *o)
{
	if (o->old_fd >= 0)
		close(o->old_fd);
	o->old_fd = -1;
}

/* Removes from a reused stage what this build did not write; returns
 * whether the folder dfd (at stage-relative rel) is left empty. */
static bool S_prune(struct output *o, int dfd, struct buf *rel)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return false;
	}
	bool empty = true;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		size_t mark = rel->len;
		if (mark)
			buf_putc(rel, '/');
		buf_puts(rel, e->d_name);
		bool isdir = e->d_type == DT_DIR;
		if (e->d_type == DT_UNKNOWN) {
			struct stat st;
			isdir = fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
		}
		if (isdir) {
			int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0 || !S_prune(o, sub, rel) || unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) < 0)
				empty = false;
		} else if (hmap_get(&o->written, rel->data)) {
			empty = false;
		} else if (unlinkat(dirfd(d), e->d_name, 0) < 0) {
			empty = false;
		}
		buf_truncate(rel, mark);
	}
	closedir(d);
	return empty;
}

/* Keeps the tree at the stage path as the next build's stage, or has it
 * removed. */
static void S_keep(struct output *o)
{
	if (rename(o->stage, o->prev) < 0)
		S_discard(o->stage, o->stage);
}

static void S_done(struct output *o)
{
	S_close_old(o);
	if (o->stage || o->update)
		pthread_mutex_destroy(&o->lock);
	for (size_t i = 0; i < o->n_pend; i++) {
		free(o->pend[i].rel);
		free(o->pend[i].data);
		free(o->pend[i].who);
	}
	free(o->pend);
	o->pend = NULL;
	o->n_pend = o->cap_pend = 0;
	hmap_free(&o->written);
	free(o->stage);
	free(o->prev);
	free(o->out);
	o->stage = o->prev = o->out = NULL;
}

/* Update mode: replaces the files whose bytes changed, one rename each. */
static int S_commit_update(struct output *o)
{
	int r = 0;
	for (size_t i = 0; i < o->n_pend; i++) {
		const struct pending *f = &o->pend[i];
		struct stat st;
		if (S_same(o, f->rel, f->data, f->len, &st))
			continue;
		char *full = path_join(o->out, f->rel);
		char *dir = path_dir(full);
		char *tmp = xasprintf("%s.toivo-new", full);
		unlink(tmp);
		if (mkdir_p(dir) < 0 || S_put(tmp, f->data, f->len) < 0 || rename(tmp, full) < 0) {
			diag_error(f->who, 0, 0, "cannot write %s: %s", full, strerror(errno));
			unlink(tmp);
			r = -1;
		} else {
			o->changed++;
		}
		free(tmp);
		free(dir);
		free(full);
	}
	S_done(o);
	return r;
}

int output_commit(struct output *o)
{
	if (o->update)
		return S_commit_update(o);
	int r = 0;
	if (o->reused) {
		struct buf rel = BUF_INIT;
		buf_puts(&rel, "");
		int dfd = open(o->stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0)
			S_prune(o, dfd, &rel);
		buf_free(&rel);
	}
	S_close_old(o);
	if (is_dir(o->out)) {
		/* Exchange the two trees in one step: a reader (or a killed
		 * build) sees the old site or the new one, never a mix. */
		if (renameat2(AT_FDCWD, o->stage, AT_FDCWD, o->out, RENAME_EXCHANGE) < 0) {
			diag_error(o->out, 0, 0, "cannot replace the output folder: %s", strerror(errno));
			r = -1;
		}
	} else if (rename(o->stage, o->out) < 0) {
		diag_error(o->out, 0, 0, "cannot create the output folder: %s", strerror(errno));
		r = -1;
	}
	if (r == 0 && is_dir(o->stage))
		S_keep(o);
	else if (r < 0)
		S_discard(o->stage, o->stage);
	S_done(o);
	return r;
}

void output_abort(struct output *o)
{
	if (o->stage)
		S_keep(o);
	S_done(o);
}
