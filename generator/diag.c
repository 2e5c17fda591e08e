/* diag.c - diagnostics: formatting, site-relative paths, printing each
 * message once, counting, capture. */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int n_errors, n_shown, n_warnings_shown, quiet_warnings;
static struct buf *capture;
static char *root;              /* with a final '/', or NULL */
static size_t root_len;
/* Hashes of the messages printed since diag_reset (open addressing; 0 is
 * an empty slot).  A page-independent fault hit by every page is then
 * printed once. */
static uint64_t *seen;
static size_t n_seen, cap_seen;
/* The status line (diag_progress): on, shown now, when it was last drawn
 * and when the work began. */
static int progress_on;
static int progress_shown;
static double progress_at, progress_start, progress_after = 1.0;

static double S_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Clears the status line before another message.  Under the lock. */
static void S_unprogress(void)
{
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = 0;
	}
}

static uint64_t S_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h ? h : 1;
}

/* Adds h to the set; false when it was there.  Under the lock. */
static int S_first(uint64_t h)
{
	if (2 * (n_seen + 1) > cap_seen) {
		size_t cap = cap_seen ? 2 * cap_seen : 64;
		uint64_t *t = calloc(cap, sizeof *t);
		if (!t)
			return 1; /* no memory to remember: print it again */
		for (size_t i = 0; i < cap_seen; i++)
			if (seen[i])
				for (size_t j = seen[i] & (cap - 1);; j = (j + 1) & (cap - 1))
					if (!t[j]) {
						t[j] = seen[i];
						break;
					}
		free(seen);
		seen = t;
		cap_seen = cap;
	}
	for (size_t j = h & (cap_seen - 1);; j = (j + 1) & (cap_seen - 1)) {
		if (seen[j] == h)
			return 0;
		if (!seen[j]) {
			seen[j] = h;
			n_seen++;
			return 1;
		}
	}
}

static void S_emit(enum diag_level level, struct buf *b)
{
	pthread_mutex_lock(&lock);
	if (level == DIAG_ERROR)
		n_errors++;
	if (S_first(S_hash(b->data, b->len))) {
		if (level == DIAG_ERROR)
			n_shown++;
		else if (level == DIAG_WARNING)
			n_warnings_shown++;
		if (!(level == DIAG_WARNING && quiet_warnings)) {
			S_unprogress();
			fputs(b->data, stderr);
		}
		if (capture)
			buf_add(capture, b->data, b->len);
	}
	pthread_mutex_unlock(&lock);
}

static const char *const S_names[] = { "error", "warning", "note" };

void diag(enum diag_level level, const char *path, int line, int col,
	  const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	if (path && *path) {
		if (root && !strncmp(path, root, root_len) && path[root_len]) {
			path += root_len;
			while (path[0] == '/' && path[1])
				path++;
		}
		buf_puts(&b, path);
		if (line > 0) {
			buf_printf(&b, ":%d", line);
			if (col > 0)
				buf_printf(&b, ":%d", col);
		}
		buf_puts(&b, ": ");
	} else {
		buf_puts(&b, "toivo: ");
	}
	buf_printf(&b, "%s: ", S_names[level]);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_putc(&b, '\n');
	S_emit(level, &b);
	buf_free(&b);
}

void diag_usage(const char *cmd, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "toivo%s%s: error: ", cmd ? " " : "", cmd ? cmd : "");
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_puts(&b, "; see 'toivo --help'\n");
	S_emit(DIAG_ERROR, &b);
	buf_free(&b);
}

void diag_line(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&lock);
	S_unprogress();
	fputs(b.data, stderr);
	pthread_mutex_unlock(&lock);
	buf_free(&b);
}

void diag_progress_begin(int on)
{
	pthread_mutex_lock(&lock);
	S_unprogress();
	__atomic_store_n(&progress_on, on < 0 ? isatty(2) : on, __ATOMIC_RELAXED);
	progress_start = S_now();
	/* TOIVO_PROGRESS_AFTER=0 shows it at once (tests). */
	const char *after = getenv("TOIVO_PROGRESS_AFTER");
	progress_after = after && *after ? atof(after) : 1.0;
	progress_at = 0;
	pthread_mutex_unlock(&lock);
}

void diag_progress(int force, const char *fmt, ...)
{
	/* Called for every page: off, it returns without the lock. */
	if (!__atomic_load_n(&progress_on, __ATOMIC_RELAXED))
		return;
	double now = S_now();
	pthread_mutex_lock(&lock);
	/* Quiet for the first second (a short build shows nothing), then at
	 * most ten lines a second; force draws the counter's last state. */
	if (progress_on && now - progress_start >= progress_after && (force || now - progress_at >= 0.1)) {
		struct buf b = BUF_INIT;
		va_list ap;
		va_start(ap, fmt);
		buf_vprintf(&b, fmt, ap);
		va_end(ap);
		fprintf(stderr, "\r\033[K%s", b.data);
		fflush(stderr);
		buf_free(&b);
		progress_shown = 1;
		progress_at = now;
	}
	pthread_mutex_unlock(&lock);
}

double diag_progress_seconds(void)
{
	return S_now() - progress_start;
}

void diag_progress_end(void)
{
	pthread_mutex_lock(&lock);
	S_unprogress();
	__atomic_store_n(&progress_on, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&lock);
}

int diag_errors(void)
{
	pthread_mutex_lock(&lock);
	int n = n_errors;
	pthread_mutex_unlock(&lock);
	return n;
}

int diag_errors_shown(void)
{
	pthread_mutex_lock(&lock);
	int n = n_shown;
	pthread_mutex_unlock(&lock);
	return n;
}

int diag_warnings(void)
{
	pthread_mutex_lock(&lock);
	int n = n_warnings_shown;
	pthread_mutex_unlock(&lock);
	return n;
}

void diag_counts(struct buf *b)
{
	int e = diag_errors_shown(), w = diag_warnings();
	if (e)
		buf_printf(b, "%d error%s", e, e == 1 ? "" : "s");
	if (w)
		buf_printf(b, "%s%d warning%s", e ? ", " : "", w, w == 1 ? "" : "s");
}

void diag_reset(void)
{
	pthread_mutex_lock(&lock);
	n_errors = n_shown = n_warnings_shown = 0;
	if (seen)
		memset(seen, 0, cap_seen * sizeof *seen);
	n_seen = 0;
	pthread_mutex_unlock(&lock);
}

void diag_set_root(const char *dir)
{
	pthread_mutex_lock(&lock);
	free(root);
	root = NULL;
	root_len = 0;
	if (dir && *dir && strcmp(dir, "/")) {
		size_t n = strlen(dir);
		while (n > 1 && dir[n - 1] == '/')
			n--;
		root = malloc(n + 2);
		if (root) {
			memcpy(root, dir, n);
			root[n] = '/';
			root[n + 1] = '\0';
			root_len = n + 1;
		}
	}
	pthread_mutex_unlock(&lock);
}

void diag_set_quiet_warnings(int q)
{
	quiet_warnings = q;
}

void diag_capture(struct buf *b)
{
	pthread_mutex_lock(&lock);
	capture = b;
	pthread_mutex_unlock(&lock);
}
