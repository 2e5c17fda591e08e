/* serve_reload.c - toivo serve's live reload: build outcomes to open pages.
 *
 * Every served HTML page gets <script src="/__toivo/reload.js"
 * data-toivo-gen="G"> before </body>, G naming the last good build (and
 * this run of the server, so a page from an earlier run reloads too).  The
 * script opens an EventSource on /__toivo/events?since=G.  Each build ends
 * with one event for every open stream: "reload" after a good build,
 * "error" with the messages (one data line each) after a failed one; the
 * script shows those in an overlay (textContent, so they are escaped).  A
 * stream that connects with an old G gets "reload" at once, one that
 * connects after a failed build gets "error" at once, so no change is
 * missed between a page load and its stream opening.
 *
 * Streams block in their content callback on a condition variable (fine
 * with libmicrohttpd's thread per connection), send a comment every
 * S_PING_SECONDS so idle connections are not closed, and end when the
 * server stops.  One lock guards the whole state: it is touched once per
 * build and once per stream wake-up.
 *
 * The script is a file of the default theme, themes/default/serve/reload.js,
 * outside assets/ so that `toivo build` never copies it into the output.
 * It is read once when the server starts (serve_reload_script_read, one
 * path in, so the lookup can be pointed elsewhere without touching the rest).
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "buf.h"
#include "diag.h"
#include "serve_reload.h"
#include "util.h"
#include "vfs.h"

/* An idle stream sends a comment this often. */
#define S_PING_SECONDS 10

#define S_SCRIPT "themes/default/serve/reload.js"

struct serve_reload {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned long seq;      /* builds finished; each is one event */
	unsigned long good;     /* good builds */
	bool built;             /* the first build has finished */
	bool ok;                /* the last build succeeded */
	bool stopping;
	char *errors;           /* the messages of the last failed build */
	char instance[32];      /* this run of the server */
	char *script;           /* reload.js */
	size_t script_len;
};

/* ------------------------------------------------------------------ */
/* the script                                                         */
/* ------------------------------------------------------------------ */

char *serve_reload_script_path(const char *root)
{
	char *own = path_join(root, S_SCRIPT);
	if (is_file(own))
		return own;
	free(own);
	return xstrdup("builtin:" S_SCRIPT);
}

int serve_reload_script_read(char **js, size_t *len, const char *path)
{
	if (vfs_read(js, len, path) < 0) {
		int e = errno;
		/* file_strerror says what to do for these two already. */
		if (e == EXDEV || e == FILE_ENOTREG)
			diag_error(path, 0, 0, "cannot read the live-reload script: %s", file_strerror(e));
		else
			diag_error(path, 0, 0, "cannot read the live-reload script: %s; fix the file, or "
				   "remove it to use the built-in one", file_strerror(e));
		*js = NULL;
		*len = 0;
		return -1;
	}
	return 0;
}

const char *serve_reload_script(const struct serve_reload *r, size_t *len)
{
	*len = r->script_len;
	return r->script;
}

/* Inserts the script tag before the last </body> (or at the end). */
void serve_reload_inject(struct buf *html, const char *gen)
{
	char *tag = xasprintf("<script src=\"" SERVE_RELOAD_SCRIPT_URL "\" data-toivo-gen=\"%s\"></script>\n", gen);
	size_t at = html->len;
	for (size_t i = html->len; i >= 7; i--) {
		if (!strncasecmp(html->data + i - 7, "</body>", 7)) {
			at = i - 7;
			break;
		}
	}
	struct buf out = BUF_INIT;
	buf_add(&out, html->data, at);
	buf_puts(&out, tag);
	buf_add(&out, html->data + at, html->len - at);
	buf_free(html);
	*html = out;
	free(tag);
}

/* ------------------------------------------------------------------ */
/* the state of the builds                                            */
/* ------------------------------------------------------------------ */

struct serve_reload *serve_reload_new(char *js, size_t len)
{
	struct serve_reload *r = xcalloc(1, sizeof *r);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(r->instance, sizeof r->instance, "%lx%lx", (unsigned long)now.tv_sec,
		 (unsigned long)(now.tv_nsec / 1000) ^ (unsigned long)getpid());
	r->script = js;
	r->script_len = len;
	return r;
}

void serve_reload_free(struct serve_reload *r)
{
	if (!r)
		return;
	free(r->errors);
	free(r->script);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

void serve_reload_built(struct serve_reload *r, bool ok, struct buf *msgs)
{
	pthread_mutex_lock(&r->lock);
	r->seq++;
	r->built = true;
	r->ok = ok;
	free(r->errors);
	r->errors = NULL;
	if (r->ok)
		r->good++;
	else
		r->errors = buf_detach(msgs, NULL);
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

void serve_reload_stop(struct serve_reload *r)
{
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

bool serve_reload_wait_first(struct serve_reload *r)
{
	pthread_mutex_lock(&r->lock);
	while (!r->built && !r->stopping)
		pthread_cond_wait(&r->cond, &r->lock);
	bool stopping = r->stopping;
	pthread_mutex_unlock(&r->lock);
	return !stopping;
}

char *serve_reload_gen(struct serve_reload *r)
{
	pthread_mutex_lock(&r->lock);
	char *g = xasprintf("%s-%lu", r->instance, r->good);
	pthread_mutex_unlock(&r->lock);
	return g;
}

/* ------------------------------------------------------------------ */
/* server-sent events                                                 */
/* ------------------------------------------------------------------ */

struct stream {
	struct serve_reload *r;
	unsigned long seen;     /* the seq this stream has reported */
	struct buf pending;     /* bytes not yet handed to MHD */
	size_t off;
};

/* Appends one event; every line of data becomes a "data:" line. */
static void S_event(struct buf *b, const char *name, const char *data)
{
	buf_printf(b, "event: %s\n", name);
	const char *p = data;
	do {
		size_t n = strcspn(p, "\r\n");
		buf_puts(b, "data: ");
		buf_add(b, p, n);
		buf_putc(b, '\n');
		p += n;
		if (*p == '\r' && p[1] == '\n')
			p++;
		if (*p)
			p++;
	} while (*p);
	buf_putc(b, '\n');
}

/* The event that tells a stream about the last build (called locked). */
static void S_last_build_event(struct serve_reload *r, struct buf *b)
{
	if (r->ok)
		S_event(b, "reload", "");
	else
		S_event(b, "error", r->errors && *r->errors ? r->errors : "the build failed; see the terminal");
}

/* MHD's content callback: hands out what is pending, else waits for the
 * next build, a ping or the end. */
static ssize_t S_stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	struct stream *e = cls;
	struct serve_reload *r = e->r;
	if (e->off >= e->pending.len) {
		buf_reset(&e->pending);
		e->off = 0;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += S_PING_SECONDS;
		pthread_mutex_lock(&r->lock);
		for (;;) {
			if (r->stopping) {
				pthread_mutex_unlock(&r->lock);
				return MHD_CONTENT_READER_END_OF_STREAM;
			}
			if (e->seen != r->seq) {
				e->seen = r->seq;
				S_last_build_event(r, &e->pending);
				break;
			}
			if (pthread_cond_timedwait(&r->cond, &r->lock, &until) == ETIMEDOUT) {
				buf_puts(&e->pending, ": ping\n\n");
				break;
			}
		}
		pthread_mutex_unlock(&r->lock);
	}
	size_t n = e->pending.len - e->off;
	if (n > max)
		n = max;
	memcpy(out, e->pending.data + e->off, n);
	e->off += n;
	return (ssize_t)n;
}

static void S_stream_free(void *cls)
{
	struct stream *e = cls;
	buf_free(&e->pending);
	free(e);
}

struct MHD_Response *serve_reload_events(struct serve_reload *r, const char *since)
{
	struct stream *e = xcalloc(1, sizeof *e);
	e->r = r;
	buf_init(&e->pending);
	buf_puts(&e->pending, "retry: 1000\n\n");
	pthread_mutex_lock(&r->lock);
	e->seen = r->seq;
	if (r->built) {
		char *g = xasprintf("%s-%lu", r->instance, r->good);
		/* A page older than the last good build reloads; after a failed
		 * build the overlay shows at once. */
		if (!r->ok || (since && strcmp(since, g)))
			S_last_build_event(r, &e->pending);
		free(g);
	}
	pthread_mutex_unlock(&r->lock);
	struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, S_stream_read, e,
								      S_stream_free);
	if (!resp) {
		S_stream_free(e);
		return NULL;
	}
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	return resp;
}
