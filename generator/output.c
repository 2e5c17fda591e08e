/* output.c - stage, write, swap (see output.h); where OUT may be and its
 * lock are in output_lock.c. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "name.h"
#include "output.h"
#include "util.h"
#include "vfs.h"


static int S_write(struct output *o, const char *rel, const void *data, size_t len, const char *who,
		   enum output_kind kind);

/* A file held for output_commit when OUT is updated in place. */
struct pending {
	char *rel;      /* normalised */
	char *data;
	size_t len;
	char *who;
};

/* Removes what older versions of toivo kept beside OUT: the previous tree
 * (.OUT.toivo-prev) and the trees they were removing (.OUT.toivo-old.*). */
static void S_remove_legacy(const char *parent, const char *base)
{
	DIR *d = opendir(*parent ? parent : ".");
	struct dirent *e;
	char *prev = xasprintf(".%s.toivo-prev", base), *old = xasprintf(".%s.toivo-old.", base);
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, prev) && strncmp(e->d_name, old, strlen(old)))
			continue;
		char *full = *parent ? path_join(parent, e->d_name) : xstrdup(e->d_name);
		rm_rf(full);
		free(full);
	}
	if (d)
		closedir(d);
	free(prev);
	free(old);
}

static bool S_same_fs(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev;
}

/* Whether the tree at dir (relative to dfd) holds a symbolic link (or is
 * deeper than 64 folders).  The stage is the tree that was OUT, where
 * anything may have put a link since; writing into a reused stage
 * through a link to a folder would write outside the output, so a stage
 * with one is not reused.  readdir's d_type spares a stat per file. */
static bool S_has_link(int dfd, const char *dir, int depth)
{
	int fd = openat(dfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || depth > 64) {
		if (fd >= 0)
			close(fd);
		return true;
	}
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return true;
	}
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		unsigned char t = e->d_type;
		if (t == DT_UNKNOWN) {
			struct stat st;
			if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				t = DT_LNK;     /* cannot tell: treat as a link */
			else
				t = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
		}
		if (t == DT_LNK)
			found = true;
		else if (t == DT_DIR)
			found = S_has_link(fd, e->d_name, depth + 1);
	}
	closedir(d);
	return found;
}

int output_begin(struct output *o, const char *out, const char *cache)
{
	memset(o, 0, sizeof *o);
	o->out = xstrdup(out);
	o->old_fd = -1;
	struct stat st;
	char *parent = NULL, *keydir = NULL;
	if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode)) {
		diag_error(out, 0, 0, "the output path is a file, not a folder; remove it or choose another with -o");
		goto fail;
	}
	char *trimmed = xstrdup(out);
	size_t tl = strlen(trimmed);
	while (tl > 1 && trimmed[tl - 1] == '/')
		trimmed[--tl] = '\0';
	parent = path_dir(trimmed);
	const char *base = strrchr(trimmed, '/');
	base = base ? base + 1 : trimmed;
	if (*parent && mkdir_p(parent) < 0) {
		diag_error(parent, 0, 0, "cannot create the output's folder: %s", strerror(errno));
		free(trimmed);
		goto fail;
	}
	o->lock = output_lock_take(cache, out);
	if (!o->lock) {
		free(trimmed);
		goto fail;
	}
	S_remove_legacy(parent, base);
	/* The stage lives in the cache, where the tree that the swap replaces
	 * stays as the next build's stage; the swap is a rename, so only when
	 * the cache is on OUT's file system.  Else the stage is beside OUT
	 * for the build's time only. */
	keydir = output_key_dir(cache, out);
	if (keydir && S_same_fs(keydir, *parent ? parent : ".")) {
		o->stage = path_join(keydir, "stage");
	} else {
		o->stage = xasprintf("%s%s.%s.toivo-stage", parent, *parent ? "/" : "", base);
		o->beside = true;
	}
	free(trimmed);
	/* A stage that is there is the tree the last swap replaced, or one
	 * that a killed build left: everything in it is rewritten or removed. */
	if (lstat(o->stage, &st) == 0 && S_ISDIR(st.st_mode) && !S_has_link(AT_FDCWD, o->stage, 0)) {
		o->reused = true;
	} else {
		rm_rf(o->stage);
		if (mkdir(o->stage, 0755) < 0) {
			diag_error(o->stage, 0, 0, "cannot create the build folder: %s; check the permissions of its folder",
				   strerror(errno));
			goto fail;
		}
	}
	o->stage_len = strlen(o->stage);
	pthread_mutex_init(&o->mu, NULL);
	o->old_fd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(parent);
	free(keydir);
	return 0;
fail:
	output_lock_release(o->lock);
	o->lock = NULL;
	free(parent);
	free(keydir);
	free(o->stage);
	free(o->out);
	o->stage = o->out = NULL;
	return -1;
}

int output_begin_update(struct output *o, const char *out, const char *cache)
{
	memset(o, 0, sizeof *o);
	o->lock = output_lock_take(cache, out);
	if (!o->lock)
		return -1;
	o->old_fd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->old_fd < 0) {
		diag_error(out, 0, 0, "cannot open the output folder: %s; build the whole site again", strerror(errno));
		output_lock_release(o->lock);
		o->lock = NULL;
		return -1;
	}
	o->out = xstrdup(out);
	o->update = true;
	pthread_mutex_init(&o->mu, NULL);
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
	/* NFC, as every file system and web server agrees on */
	char *nfc = name_nfc(norm);
	free(norm);
	return nfc;
}

static char *S_target(struct output *o, const char *rel, const char *who)
{
	char *norm = S_norm(rel, who);
	if (!norm)
		return NULL;
	char *full = path_join(o->stage, norm);
	char *dir = path_dir(full);
	if (S_mkdirs(o, dir) < 0) {
		diag_error(who, 0, 0, "cannot create folder %s: %s; check its permissions and the free space", dir, strerror(errno));
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

/* A new file at full, open for writing; what is there (an old file of a
 * reused stage, a link into OUT, a folder) is removed first.  In a new
 * stage nothing is there: one open, no unlink.  -1 with errno set. */
static int S_create(const char *full)
{
	int fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST) {
		S_clear(full);
		fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	}
	return fd;
}

/* Writes len bytes to a new file at full (see S_create).  0, or -1 with
 * errno set. */
static int S_put(const char *full, const void *data, size_t len)
{
	int fd = S_create(full);
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
	pthread_mutex_lock(&o->mu);
	o->pend = xgrow(o->pend, &o->cap_pend, o->n_pend, sizeof *o->pend);
	o->pend[o->n_pend++] = (struct pending){ norm, copy, len, xstrdup(who ? who : "") };
	pthread_mutex_unlock(&o->mu);
	return 0;
}

/* Who writes each output path: a generated page (or other made file) and
 * a copied file, or two copied files, must not land on the same path, or
 * one would silently replace the other.  A theme asset may be replaced by
 * a file of static/ (that is how a site changes its theme's files).
 * 0, or -1 after reporting both files. */
static int S_claim(struct output *o, const char *srel, const char *who, enum output_kind kind)
{
	char *mine = xasprintf("%c%s", "gtc"[kind], who ? who : "");
	char *fold = name_fold(srel);
	pthread_mutex_lock(&o->mu);
	char *prev = hmap_put(&o->owners, srel, mine);
	char *twin = NULL;      /* another path that folds the same */
	if (!prev) {
		const char *f = hmap_get(&o->folded, fold);
		if (f && strcmp(f, srel))
			twin = xasprintf("%s%c%s", f, 0, (char *)hmap_get(&o->owners, f) + 1);
		else if (!f)
			hmap_put(&o->folded, fold, xstrdup(srel));
	}
	pthread_mutex_unlock(&o->mu);
	free(fold);
	if (twin) {
		diag_error(who, 0, 0, "%s/%s and %s/%s (from %s) differ only by upper and lower case or by how their "
			   "letters are encoded (Unicode NFC/NFD), so they collide on macOS, Windows and in zip files; "
			   "rename one of them", o->out, srel, o->out, twin, twin + strlen(twin) + 1);
		free(twin);
		return -1;
	}
	if (!prev)
		return 0;
	enum output_kind pk = prev[0] == 'g' ? OUTPUT_MADE : prev[0] == 't' ? OUTPUT_THEME_COPY : OUTPUT_COPY;
	int r = 0;
	if (pk == OUTPUT_MADE && kind == OUTPUT_MADE) {
		/* made twice (an alias and a rename): the link checks say so */
	} else if (pk == OUTPUT_THEME_COPY && kind == OUTPUT_COPY) {
		/* static/ replaces a theme asset */
	} else if (kind == OUTPUT_MADE) {
		diag_error(prev + 1, 0, 0, "this file would be replaced by %s/%s, which the build makes from %s; "
			   "rename or move the file", o->out, srel, who);
		r = -1;
	} else if (pk == OUTPUT_MADE) {
		diag_error(who, 0, 0, "this file would replace %s/%s, which the build makes from %s; "
			   "rename or move the file", o->out, srel, prev + 1);
		r = -1;
	} else {
		diag_error(who, 0, 0, "this file would replace %s/%s, a copy of %s; rename or move one of them",
			   o->out, srel, prev + 1);
		r = -1;
	}
	free(prev);
	return r;
}

bool output_has(struct output *o, const char *rel)
{
	pthread_mutex_lock(&o->mu);
	bool r = hmap_get(&o->owners, rel) != NULL;
	pthread_mutex_unlock(&o->mu);
	return r;
}

int output_write(struct output *o, const char *rel, const void *data, size_t len, const char *who)
{
	return S_write(o, rel, data, len, who, OUTPUT_MADE);
}

/* The stage's path for rel, claimed for who, with its folders made;
 * *srel points into it at the stage-relative part.  NULL after reporting. */
static char *S_begin_file(struct output *o, const char *rel, const char *who, enum output_kind kind,
			  const char **srel)
{
	char *full = S_target(o, rel, who);
	if (!full)
		return NULL;
	*srel = full + o->stage_len + 1;
	if (S_claim(o, *srel, who, kind) < 0) {
		free(full);
		return NULL;
	}
	if (o->reused) {
		pthread_mutex_lock(&o->mu);
		hmap_put(&o->written, *srel, (void *)1);
		pthread_mutex_unlock(&o->mu);
	}
	return full;
}

/* The stage gets OUT's file at srel (ost: its stat) instead of the one
 * at full, which has the same bytes.  true when done. */
static bool S_link_old(struct output *o, const char *full, const char *srel, const struct stat *ost)
{
	struct stat sst;
	if (o->reused && lstat(full, &sst) == 0 && sst.st_ino == ost->st_ino && sst.st_dev == ost->st_dev)
		return true;
	if (linkat(o->old_fd, srel, AT_FDCWD, full, 0) == 0)
		return true;
	if (errno != EEXIST)
		return false;
	S_clear(full);
	return linkat(o->old_fd, srel, AT_FDCWD, full, 0) == 0;
}

static int S_write(struct output *o, const char *rel, const void *data, size_t len, const char *who,
		   enum output_kind kind)
{
	if (o->update)
		return S_hold(o, rel, data, len, who);
	const char *srel;
	char *full = S_begin_file(o, rel, who, kind, &srel);
	if (!full)
		return -1;
	/* Unchanged: the stage gets OUT's file (or has it already). */
	struct stat ost;
	if (S_same(o, srel, data, len, &ost) && S_link_old(o, full, srel, &ost)) {
		free(full);
		return 0;
	}
	int r = S_put(full, data, len);
	if (r < 0)
		diag_error(who, 0, 0, "cannot write %s: %s; check its permissions and the free space", full, strerror(errno));
	free(full);
	return r;
}

/* Whether OUT's file at srel has the bytes of the stage's file at full. */
static bool S_same_file(const struct output *o, const char *srel, const char *full, struct stat *ost)
{
	if (o->old_fd < 0)
		return false;
	int a = openat(o->old_fd, srel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	int b = open(full, O_RDONLY | O_CLOEXEC);
	struct stat bst;
	bool same = a >= 0 && b >= 0 && fstat(a, ost) == 0 && fstat(b, &bst) == 0 &&
		    S_ISREG(ost->st_mode) && ost->st_size == bst.st_size;
	static const size_t blk = 65536;
	char *x = same ? xmalloc(2 * blk) : NULL;
	while (same) {
		ssize_t r = read(a, x, blk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			same = r == 0;
			break;
		}
		size_t got = 0;
		while (got < (size_t)r) {
			ssize_t q = read(b, x + blk + got, (size_t)r - got);
			if (q < 0 && errno == EINTR)
				continue;
			if (q <= 0)
				break;
			got += (size_t)q;
		}
		same = got == (size_t)r && !memcmp(x, x + blk, got);
	}
	free(x);
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);
	return same;
}

#define OUTPUT_STREAM_BUF (256 * 1024)

struct output_file {
	FILE *f;
	char *full;             /* the stage's file (NULL in update mode) */
	const char *srel;       /* into full */
	char *vbuf;             /* f's buffer */
	char *mem;              /* update mode: what f wrote */
	size_t n;
	char *rel, *who;        /* update mode: for S_hold */
};

struct output_file *output_open(struct output *o, const char *rel, const char *who)
{
	struct output_file *of = xcalloc(1, sizeof *of);
	if (o->update) {
		/* Held in memory until output_commit anyway. */
		of->f = open_memstream(&of->mem, &of->n);
		if (!of->f) {
			diag_error(who, 0, 0, "cannot hold %s in memory: %s", rel, strerror(errno));
			free(of);
			return NULL;
		}
		of->rel = xstrdup(rel);
		of->who = xstrdup(who ? who : "");
		return of;
	}
	of->full = S_begin_file(o, rel, who, OUTPUT_MADE, &of->srel);
	if (!of->full) {
		free(of);
		return NULL;
	}
	int fd = S_create(of->full);
	of->f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!of->f) {
		diag_error(who, 0, 0, "cannot write %s: %s; check its permissions and the free space", of->full, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(of->full);
		}
		free(of->full);
		free(of);
		return NULL;
	}
	/* A print document is written a page at a time: with stdio's 4 KB
	 * buffer every page was a write(2) of its own, two with the layout
	 * between them. */
	of->vbuf = malloc(OUTPUT_STREAM_BUF);
	if (of->vbuf)
		setvbuf(of->f, of->vbuf, _IOFBF, OUTPUT_STREAM_BUF);
	return of;
}

FILE *output_file_stream(struct output_file *of)
{
	return of->f;
}

int output_close(struct output *o, struct output_file *of, int ok, const char *who)
{
	if (!of)
		return -1;
	int r = ok;
	bool bad = ferror(of->f) != 0;
	if (fclose(of->f) != 0 || bad) {
		if (r == 0)
			diag_error(who, 0, 0, "cannot write %s: %s; check the free space",
				   of->full ? of->full : of->rel, strerror(errno));
		r = -1;
	}
	if (o->update) {
		if (r == 0)
			r = S_hold(o, of->rel, of->mem, of->n, of->who);
		free(of->mem);
		free(of->rel);
		free(of->who);
		free(of);
		return r;
	}
	free(of->vbuf);         /* after fclose, which flushed it */
	if (r < 0) {
		unlink(of->full);
	} else {
		/* Unchanged: OUT's file instead (see the top of output.h). */
		struct stat ost;
		if (S_same_file(o, of->srel, of->full, &ost))
			S_link_old(o, of->full, of->srel, &ost);
	}
	free(of->full);
	free(of);
	return r;
}

int output_write_with(struct output *o, const char *rel, const char *who,
		      int (*fill)(void *ud, FILE *f), void *ud)
{
	struct output_file *of = output_open(o, rel, who);
	if (!of)
		return -1;
	int r = fill(ud, of->f);        /* -1: reported */
	return output_close(o, of, r, who);
}

int output_copy(struct output *o, const char *rel, const char *from, const char *who, enum output_kind kind)
{
	char *data;
	size_t len;
	if (vfs_read(&data, &len, from) < 0) {
		diag_error(who, 0, 0, "cannot read %s: %s", from, file_strerror(errno));
		return -1;
	}
	int r = S_write(o, rel, data, len, who, kind);
	free(data);
	return r;
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

/* After the swap (or a failure) the tree at the stage path is the next
 * build's stage when the stage is in the cache; beside OUT it goes. */
static void S_keep(struct output *o)
{
	if (o->beside)
		rm_rf(o->stage);
}

static void S_done(struct output *o)
{
	S_close_old(o);
	if (o->stage || o->update)
		pthread_mutex_destroy(&o->mu);
	output_lock_release(o->lock);
	o->lock = NULL;
	for (size_t i = 0; i < o->n_pend; i++) {
		free(o->pend[i].rel);
		free(o->pend[i].data);
		free(o->pend[i].who);
	}
	free(o->pend);
	o->pend = NULL;
	o->n_pend = o->cap_pend = 0;
	hmap_free(&o->written);
	for (size_t i = 0; i < o->owners.cap; i++)
		if (o->owners.keys && o->owners.keys[i])
			free(o->owners.vals[i]);
	hmap_free(&o->owners);
	for (size_t i = 0; i < o->folded.cap; i++)
		if (o->folded.keys && o->folded.keys[i])
			free(o->folded.vals[i]);
	hmap_free(&o->folded);
	free(o->stage);
	free(o->out);
	o->stage = o->out = NULL;
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
			diag_error(f->who, 0, 0, "cannot write %s: %s; check its permissions and the free space", full, strerror(errno));
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
			diag_error(o->out, 0, 0, "cannot replace the output folder: %s; check the permissions of its folder", strerror(errno));
			r = -1;
		}
	} else if (rename(o->stage, o->out) < 0) {
		diag_error(o->out, 0, 0, "cannot create the output folder: %s; check its permissions and the free space", strerror(errno));
		r = -1;
	}
	S_keep(o);
	S_done(o);
	return r;
}

void output_abort(struct output *o)
{
	if (o->stage)
		S_keep(o);
	S_done(o);
}
