/* serve_watch.c - toivo serve's watcher: what changed, and which rebuild.
 *
 * One thread owns inotify and runs every build, so requests keep being
 * served while a build runs and two builds never overlap.  It watches the
 * site folder itself (for site.yaml and the watched folders appearing) and
 * every folder below content/, themes/, lua/, i18n/ and static/, adding
 * watches as folders are made; hidden names and editors' swap files are
 * left out.
 *
 * Events come in bursts (an editor saving through a temporary file, git
 * switching branches), so a burst is gathered until S_DEBOUNCE_MS pass
 * without one (S_DEBOUNCE_MAX_MS at most) and then answered with one
 * build.  If the burst changed nothing but Markdown pages in content/
 * (other files it made and removed again do not count), those pages alone
 * are rendered again into the kept build (build_update); anything else, or
 * more than S_MAX_PAGES pages, or a failed update, builds the whole site.
 * Every build's outcome goes to the open pages through serve_reload.
 *
 * Without inotify (the watch limit reached, ...) the site is built once
 * and served as it is, after a warning that says what to do.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "build.h"
#include "diag.h"
#include "serve_reload.h"
#include "serve_watch.h"
#include "util.h"

/* A burst of events ends after this much quiet: editors save in a few
 * milliseconds; a build that starts too early is followed by another. */
#define S_DEBOUNCE_MS 20
#define S_DEBOUNCE_MAX_MS 2000
/* More pages than this changed in one burst: the whole site is built. */
#define S_MAX_PAGES 64

struct serve_watch {
	const struct build_opts *bo;
	struct serve_reload *reload;
	struct build *kept;     /* the last good build, for one-page rebuilds */
	int stop_pipe[2];       /* wakes the thread */
	pthread_t thread;
};

/* ------------------------------------------------------------------ */
/* building                                                           */
/* ------------------------------------------------------------------ */

/* Builds the whole site, keeping what it made. */
static void S_build(struct serve_watch *sw)
{
	struct buf msgs = BUF_INIT;
	diag_capture(&msgs);
	int r = build_run_keep(sw->bo, &sw->kept);
	diag_capture(NULL);
	serve_reload_built(sw->reload, r == 0, &msgs);
	buf_free(&msgs);
}

static double S_ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Only page bodies changed: renders those pages again, tells the browsers
 * to reload, then updates what the pages feed (search indexes, sitemap,
 * print pages).  Returns whether that was enough; if not, the whole site
 * is to be built. */
static bool S_update(struct serve_watch *sw, char *const *srcs, size_t n)
{
	if (!sw->kept || n == 0)
		return false;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct buf msgs = BUF_INIT;
	diag_capture(&msgs);
	size_t changed = 0, more = 0;
	int r = build_update(sw->kept, srcs, n, &changed);
	double ms = S_ms_since(&t0);
	if (r == 0) {
		serve_reload_built(sw->reload, true, &msgs);
		r = build_update_site(sw->kept, &more);
	}
	diag_capture(NULL);
	buf_free(&msgs);
	if (r < 0) {
		/* What it reported is reported again by the whole build. */
		build_free(sw->kept);
		sw->kept = NULL;
		return false;
	}
	if (!sw->bo->quiet)
		diag(DIAG_NOTE, NULL, 0, 0, "%s%s rebuilt in %.1f ms; search index, sitemap and print pages "
			"updated after %.1f ms (%zu file%s changed)", srcs[0], n > 1 ? " and others" : "", ms,
			S_ms_since(&t0), changed + more, changed + more == 1 ? "" : "s");
	return true;
}

/* ------------------------------------------------------------------ */
/* watching                                                           */
/* ------------------------------------------------------------------ */

#define S_MASK (IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM | \
		IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)

const char *const serve_watch_folders[] = { "content", "themes", "lua", "i18n", "static", "layouts", "partials", "assets", NULL };

struct watch {
	int wd;
	char *path;
	bool root;              /* the site folder itself: only some names count */
};

/* A file that changed in the current burst of events. */
struct change {
	char *rel;              /* relative to the site folder */
	bool created;           /* it appeared during the burst */
};

struct watcher {
	struct serve_watch *sw;
	int fd;
	struct watch *w;
	size_t n, cap;
	bool warned;
	/* The burst so far: Markdown files in content/, other files, and
	 * whether anything calls for a whole build anyway. */
	char **pages;
	size_t n_pages, cap_pages;
	struct change *other;
	size_t n_other, cap_other;
	bool full;
};

static struct watch *S_find(struct watcher *w, int wd)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->w[i].wd == wd)
			return &w->w[i];
	return NULL;
}

static void S_forget(struct watcher *w, int wd)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->w[i].wd == wd) {
			free(w->w[i].path);
			w->w[i] = w->w[--w->n];
			return;
		}
}

static int S_add(struct watcher *w, const char *path, bool root)
{
	int wd = inotify_add_watch(w->fd, path, S_MASK | IN_ONLYDIR | IN_DONT_FOLLOW);
	if (wd < 0) {
		if ((errno == ENOSPC || errno == ENOMEM) && !w->warned) {
			diag_warn(path, 0, 0, "cannot watch this folder: the inotify watch limit is reached; "
				  "raise it with 'sysctl fs.inotify.max_user_watches=524288'");
			w->warned = true;
		}
		return -1;
	}
	struct watch *old = S_find(w, wd);
	if (old) {
		free(old->path);
		old->path = xstrdup(path);
		return wd;
	}
	w->w = xgrow(w->w, &w->cap, w->n, sizeof *w->w);
	w->w[w->n++] = (struct watch){ wd, xstrdup(path), root };
	return wd;
}

/* Watches dir and every folder below it (hidden ones left out). */
static void S_add_tree(struct watcher *w, const char *dir)
{
	if (S_add(w, dir, false) < 0)
		return;
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *p = path_join(dir, de->d_name);
		bool sub = de->d_type == DT_DIR;
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;
			sub = lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
		}
		if (sub)
			S_add_tree(w, p);
		free(p);
	}
	closedir(d);
}

static bool S_watched_name(const char *name)
{
	if (!strcmp(name, "site.yaml"))
		return true;
	for (size_t i = 0; serve_watch_folders[i]; i++)
		if (!strcmp(name, serve_watch_folders[i]))
			return true;
	return false;
}

static void S_watch_all(struct watcher *w)
{
	S_add(w, w->sw->bo->root, true);
	for (size_t i = 0; serve_watch_folders[i]; i++) {
		char *p = path_join(w->sw->bo->root, serve_watch_folders[i]);
		if (is_dir(p))
			S_add_tree(w, p);
		free(p);
	}
}

/* Editors' swap and backup files change nothing. */
static bool S_noise(const char *name)
{
	return name[0] == '.' || str_ends_with(name, "~") || str_ends_with(name, ".swp") ||
	       str_ends_with(name, ".swx") || !strcmp(name, "4913");
}

/* path relative to the site folder, or NULL. */
static const char *S_site_rel(const struct watcher *w, const char *path)
{
	const char *root = w->sw->bo->root;
	size_t n = strlen(root);
	if (strncmp(path, root, n))
		return NULL;
	path += n;
	if (*path == '/')
		path++;
	else if (n && root[n - 1] != '/')
		return NULL;
	return path;
}

/* Notes what one event changed, for S_burst_pages. */
static void S_note(struct watcher *w, const struct watch *wt, const struct inotify_event *ev, const char *name)
{
	char *full = path_join(wt->path, name);
	const char *rel = S_site_rel(w, full);
	if (!*name || (ev->mask & IN_ISDIR) || !rel) {
		w->full = true;
	} else if (str_starts_with(rel, "content/") && str_ends_with(rel, ".md")) {
		/* Many pages at once (a branch switched): the whole build. */
		if (w->n_pages >= S_MAX_PAGES) {
			w->full = true;
			free(full);
			return;
		}
		size_t i = 0;
		while (i < w->n_pages && strcmp(w->pages[i], rel))
			i++;
		if (i == w->n_pages) {
			w->pages = xgrow(w->pages, &w->cap_pages, w->n_pages, sizeof *w->pages);
			w->pages[w->n_pages++] = xstrdup(rel);
		}
	} else {
		size_t i = 0;
		while (i < w->n_other && strcmp(w->other[i].rel, rel))
			i++;
		if (i == w->n_other) {
			w->other = xgrow(w->other, &w->cap_other, w->n_other, sizeof *w->other);
			w->other[w->n_other++] = (struct change){ xstrdup(rel), false };
		}
		if (ev->mask & (IN_CREATE | IN_MOVED_TO))
			w->other[i].created = true;
	}
	free(full);
}

/* Whether the burst changed nothing but Markdown pages: other files it
 * created and removed again (an editor's temporary file) do not count. */
static bool S_burst_pages(struct watcher *w)
{
	if (w->full || w->n_pages == 0)
		return false;
	for (size_t i = 0; i < w->n_other; i++) {
		char *full = path_join(w->sw->bo->root, w->other[i].rel);
		struct stat st;
		bool gone = lstat(full, &st) < 0 && errno == ENOENT;
		free(full);
		if (!(w->other[i].created && gone))
			return false;
	}
	return true;
}

static void S_burst_reset(struct watcher *w)
{
	for (size_t i = 0; i < w->n_pages; i++)
		free(w->pages[i]);
	for (size_t i = 0; i < w->n_other; i++)
		free(w->other[i].rel);
	w->n_pages = w->n_other = 0;
	w->full = false;
}

/* Reads the pending events; returns whether any of them calls for a build. */
static bool S_drain(struct watcher *w)
{
	char data[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool relevant = false, moved_dir = false;
	for (;;) {
		ssize_t n = read(w->fd, data, sizeof data);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (char *p = data; p < data + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			p += sizeof *ev + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				S_watch_all(w);
				w->full = true;
				relevant = true;
				continue;
			}
			struct watch *wt = S_find(w, ev->wd);
			if (!wt)
				continue;
			if (ev->mask & IN_IGNORED) {
				S_forget(w, ev->wd);
				continue;
			}
			const char *name = ev->len ? ev->name : "";
			if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_MOVED_FROM | IN_MOVED_TO)))
				moved_dir = true;
			if (wt->root) {
				if (!S_watched_name(name))
					continue;
				if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
					char *sub = path_join(wt->path, name);
					S_add_tree(w, sub);
					free(sub);
				}
				w->full = true;
				relevant = true;
				continue;
			}
			if (*name && S_noise(name))
				continue;
			if (*name && (ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
				char *sub = path_join(wt->path, name);
				S_add_tree(w, sub);
				free(sub);
			}
			S_note(w, wt, ev, name);
			relevant = true;
		}
	}
	/* A folder moved inside a watched tree keeps its watch but not its
	 * path: walking again gives every watch its path back. */
	if (moved_dir) {
		S_watch_all(w);
		w->full = true;
	}
	return relevant;
}

/* Waits for the inotify fd or the stop pipe; ms < 0 waits for ever.
 * Returns 1 for events, 0 on time-out, -1 when told to stop. */
static int S_wait(struct watcher *w, int ms)
{
	struct pollfd p[2] = { { w->fd, POLLIN, 0 }, { w->sw->stop_pipe[0], POLLIN, 0 } };
	for (;;) {
		int r = poll(p, 2, ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || (p[1].revents & (POLLIN | POLLHUP)))
			return -1;
		return r > 0 ? 1 : 0;
	}
}

static long S_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void *S_watch_thread(void *arg)
{
	struct watcher w = { .sw = arg };
	w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w.fd < 0)
		diag_warn(NULL, 0, 0, "cannot watch for changes (%s); restart toivo serve after editing",
			strerror(errno));
	else
		S_watch_all(&w);
	S_build(w.sw);
	while (w.fd >= 0) {
		if (S_wait(&w, -1) < 0)
			break;
		if (!S_drain(&w))
			continue;
		/* Let a burst of events (an editor saving, git checkout) end. */
		long start = S_now_ms();
		int r;
		while ((r = S_wait(&w, S_DEBOUNCE_MS)) > 0) {
			S_drain(&w);
			if (S_now_ms() - start > S_DEBOUNCE_MAX_MS)
				break;
		}
		if (r < 0)
			break;
		bool pages = S_burst_pages(&w);
		if (!pages || !S_update(w.sw, w.pages, w.n_pages)) {
			diag(DIAG_NOTE, NULL, 0, 0, "change seen, rebuilding");
			S_build(w.sw);
		}
		S_burst_reset(&w);
	}
	if (w.fd < 0) {
		/* No watching: just wait to be stopped. */
		char c;
		while (read(w.sw->stop_pipe[0], &c, 1) < 0 && errno == EINTR)
			;
	}
	for (size_t i = 0; i < w.n; i++)
		free(w.w[i].path);
	free(w.w);
	S_burst_reset(&w);
	free(w.pages);
	free(w.other);
	if (w.fd >= 0)
		close(w.fd);
	return NULL;
}


/* ------------------------------------------------------------------ */
/* start and stop                                                     */
/* ------------------------------------------------------------------ */

struct serve_watch *serve_watch_start(const struct build_opts *bo, struct serve_reload *r)
{
	struct serve_watch *sw = xcalloc(1, sizeof *sw);
	sw->bo = bo;
	sw->reload = r;
	if (pipe2(sw->stop_pipe, O_CLOEXEC) < 0) {
		diag_error(NULL, 0, 0, "cannot make a pipe: %s", strerror(errno));
		free(sw);
		return NULL;
	}
	int e = pthread_create(&sw->thread, NULL, S_watch_thread, sw);
	if (e != 0) {
		diag_error(NULL, 0, 0, "cannot start the watcher thread: %s", strerror(e));
		close(sw->stop_pipe[0]);
		close(sw->stop_pipe[1]);
		free(sw);
		return NULL;
	}
	return sw;
}

void serve_watch_stop(struct serve_watch *sw)
{
	if (!sw)
		return;
	if (write(sw->stop_pipe[1], "x", 1) < 0)
		diag_warn(NULL, 0, 0, "cannot wake the watcher: %s", strerror(errno));
	pthread_join(sw->thread, NULL);
	close(sw->stop_pipe[0]);
	close(sw->stop_pipe[1]);
	build_free(sw->kept);
	free(sw);
}
