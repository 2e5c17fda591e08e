/* serve.c - toivo serve: build, serve the output, watch, rebuild, reload.
 *
 * Threads.  The main thread opens the listening socket itself (so "port in
 * use" is reported exactly), hands it to libmicrohttpd with one thread per
 * connection, starts the watcher thread and then sleeps until SIGINT or
 * SIGTERM arrive through a self-pipe.  The watcher thread owns inotify and
 * runs every build_run(), so requests keep being served while a build runs.
 *
 * Output.  Builds go to a temporary folder (or -o OUT).  build_run() is
 * atomic: a failed build leaves the previous output as it was, so the last
 * good pages keep being served.  Each request opens OUT once and walks the
 * path one component at a time with O_NOFOLLOW, so it sees one tree (the old
 * or the new one) and never leaves OUT.  Paths are percent-decoded here, not
 * by libmicrohttpd (its unescape callback is a no-op), so that %00, bad
 * escapes and ".." after decoding are all refused with 404.
 *
 * Reload.  Every served HTML page gets <script src="/__toivo/reload.js"
 * data-toivo-gen="G"> before </body>, G naming the last good build (and
 * this run of the server).  The script opens an EventSource on
 * /__toivo/events?since=G.  Each build ends with one event for every open
 * stream: "reload" after a good build, "error" with the messages (one data
 * line each) after a failed one; the script shows those in an overlay
 * (textContent, so they are escaped).  A stream that connects with an old G
 * gets "reload" at once, one that connects after a failed build gets
 * "error" at once, so no change is missed between a page load and its
 * stream opening.  Streams block in their content callback on a condition
 * variable (fine with a thread per connection), send a comment every 15 s,
 * and end when the server stops.
 *
 * Shutdown.  The first signal sets `stopping`, wakes the watcher and every
 * stream, joins the watcher, stops the daemon (which joins the connection
 * threads), frees everything and removes the temporary folder.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "buf.h"
#include "build.h"
#include "diag.h"
#include "hooks.h"
#include "serve.h"
#include "util.h"

#define S_PING_SECONDS 10
/* A connection idle this long is closed (an event stream pings sooner). */
#define S_IDLE_SECONDS 20
/* Connections at once: each has a thread (event streams block in theirs),
 * so a few hundred idle clients must not take the last one. */
#define S_MAX_CONNECTIONS 1000
/* A burst of events ends after this much quiet: editors save in a few
 * milliseconds; a build that starts too early is followed by another. */
#define S_DEBOUNCE_MS 20
#define S_DEBOUNCE_MAX_MS 2000
/* More pages than this changed in one burst: the whole site is built. */
#define S_MAX_PAGES 64

struct server {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned long seq;      /* builds finished; each is one event */
	unsigned long good;     /* good builds */
	bool built;             /* the first build has finished */
	bool ok;                /* the last build succeeded */
	bool stopping;
	char *errors;           /* the messages of the last failed build */
	char instance[32];      /* this run of the server */
	struct build_opts bo;
	struct build *kept;     /* the last good build, for one-page rebuilds */
	const char *out;
	int stop_pipe[2];       /* wakes the watcher */
};

/* ------------------------------------------------------------------ */
/* paths and content types                                            */
/* ------------------------------------------------------------------ */

static int S_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *serve_clean_path(const char *raw, int *dir)
{
	*dir = 0;
	if (!raw || raw[0] != '/')
		return NULL;
	size_t n = strlen(raw);
	if (n > 4096)
		return NULL;
	char *dec = xmalloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)raw[i];
		if (c == '%') {
			int hi = S_hex(raw[i + 1]);
			int lo = hi >= 0 ? S_hex(raw[i + 2]) : -1;
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				free(dec);
				return NULL;
			}
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		}
		if (c < 0x20 || c == 0x7f || c == '\\') {
			free(dec);
			return NULL;
		}
		dec[k++] = (char)c;
	}
	dec[k] = '\0';
	*dir = k == 0 || dec[k - 1] == '/';
	/* Split on '/', drop empty and "." segments, refuse "..". */
	struct buf b = BUF_INIT;
	char *save = NULL;
	for (char *seg = strtok_r(dec, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (!strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			buf_free(&b);
			free(dec);
			return NULL;
		}
		if (b.len)
			buf_putc(&b, '/');
		buf_puts(&b, seg);
	}
	free(dec);
	if (!b.len)
		*dir = 1;
	return buf_detach(&b, NULL);
}

const char *serve_content_type(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ "html", "text/html; charset=utf-8" },
		{ "htm", "text/html; charset=utf-8" },
		{ "css", "text/css; charset=utf-8" },
		{ "js", "text/javascript; charset=utf-8" },
		{ "mjs", "text/javascript; charset=utf-8" },
		{ "json", "application/json; charset=utf-8" },
		{ "map", "application/json; charset=utf-8" },
		{ "xml", "application/xml; charset=utf-8" },
		{ "svg", "image/svg+xml; charset=utf-8" },
		{ "txt", "text/plain; charset=utf-8" },
		{ "md", "text/plain; charset=utf-8" },
		{ "csv", "text/csv; charset=utf-8" },
		{ "png", "image/png" },
		{ "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" },
		{ "gif", "image/gif" },
		{ "webp", "image/webp" },
		{ "avif", "image/avif" },
		{ "ico", "image/vnd.microsoft.icon" },
		{ "pdf", "application/pdf" },
		{ "woff2", "font/woff2" },
		{ "woff", "font/woff" },
		{ "ttf", "font/ttf" },
		{ "otf", "font/otf" },
		{ "mp4", "video/mp4" },
		{ "webm", "video/webm" },
		{ "mp3", "audio/mpeg" },
		{ "wasm", "application/wasm" },
		{ "zip", "application/zip" },
	};
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	const char *dot = strrchr(base, '.');
	if (dot)
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (!strcasecmp(dot + 1, types[i].ext))
				return types[i].type;
	return "application/octet-stream";
}

static bool S_is_html(const char *name)
{
	return str_ends_with(name, ".html") || str_ends_with(name, ".htm");
}

/* Opens rel ("fi/a/index.html", "" = OUT itself) inside OUT without
 * following symbolic links; fills *st.  Returns the fd or -1. */
static int S_open_in(int root, const char *rel, struct stat *st)
{
	int d = dup(root);
	if (d < 0)
		return -1;
	char *copy = xstrdup(rel);
	char *save = NULL;
	char *seg = strtok_r(copy, "/", &save);
	while (seg) {
		char *next = strtok_r(NULL, "/", &save);
		int f = openat(d, seg, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (next ? O_DIRECTORY : 0));
		close(d);
		d = f;
		if (d < 0)
			break;
		seg = next;
	}
	free(copy);
	if (d >= 0 && fstat(d, st) < 0) {
		close(d);
		d = -1;
	}
	return d;
}

/* Reads a whole open file into b. 0 or -1. */
static int S_read_fd(int fd, struct buf *b)
{
	char tmp[65536];
	for (;;) {
		ssize_t r = read(fd, tmp, sizeof tmp);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		buf_add(b, tmp, (size_t)r);
	}
}

/* ------------------------------------------------------------------ */
/* the reload script                                                  */
/* ------------------------------------------------------------------ */

static const char S_reload_js[] =
	"/* toivo serve: reloads the page after a rebuild, shows build errors. */\n"
	"(function () {\n"
	"  'use strict';\n"
	"  if (window.__toivoReload || !window.EventSource) return;\n"
	"  window.__toivoReload = true;\n"
	"  function overlay(text) {\n"
	"    var o = document.getElementById('toivo-build-error');\n"
	"    if (!o) {\n"
	"      o = document.createElement('div');\n"
	"      o.id = 'toivo-build-error';\n"
	"      o.setAttribute('role', 'alert');\n"
	"      o.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;'\n"
	"        + 'background:rgba(20,20,20,.92);color:#fff;padding:2rem;font:15px/1.5 system-ui,sans-serif';\n"
	"      document.body.appendChild(o);\n"
	"    }\n"
	"    o.textContent = '';\n"
	"    var h = document.createElement('p');\n"
	"    h.style.cssText = 'font-weight:bold;font-size:1.2em;margin:0 0 1rem';\n"
	"    h.textContent = 'toivo: the build failed. Fix the problems below and save; '\n"
	"      + 'the page reloads by itself. Until then the last good build is served.';\n"
	"    var pre = document.createElement('pre');\n"
	"    pre.style.cssText = 'white-space:pre-wrap;color:#ffb4a8;font:14px/1.5 monospace;margin:0 0 1rem';\n"
	"    pre.textContent = text;\n"
	"    var b = document.createElement('button');\n"
	"    b.type = 'button';\n"
	"    b.textContent = 'Hide';\n"
	"    b.onclick = function () { o.remove(); };\n"
	"    o.appendChild(h); o.appendChild(pre); o.appendChild(b);\n"
	"  }\n"
	"  function start() {\n"
	"    var tag = document.querySelector('script[data-toivo-gen]');\n"
	"    var gen = tag ? tag.getAttribute('data-toivo-gen') : '';\n"
	"    var es = new EventSource('/__toivo/events?since=' + encodeURIComponent(gen));\n"
	"    es.addEventListener('reload', function () { es.close(); location.reload(); });\n"
	"    es.addEventListener('error', function (e) {\n"
	"      if (typeof e.data === 'string') overlay(e.data);\n"
	"    });\n"
	"  }\n"
	"  if (document.readyState === 'loading')\n"
	"    document.addEventListener('DOMContentLoaded', start);\n"
	"  else\n"
	"    start();\n"
	"})();\n";

static const char S_builtin_404[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<title>404 Not Found</title>\n</head>\n<body>\n<h1>404 Not Found</h1>\n"
	"<p>There is no page at this address (and the site has no 404 page yet).</p>\n"
	"</body>\n</html>\n";

/* The current build's tag, "INSTANCE-GOOD"; the caller frees it. */
static char *S_gen(struct server *s)
{
	pthread_mutex_lock(&s->lock);
	char *g = xasprintf("%s-%lu", s->instance, s->good);
	pthread_mutex_unlock(&s->lock);
	return g;
}

/* Inserts the script tag before the last </body> (or at the end). */
static void S_inject(struct buf *html, const char *gen)
{
	char *tag = xasprintf("<script src=\"/__toivo/reload.js\" data-toivo-gen=\"%s\"></script>\n", gen);
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
/* responses                                                          */
/* ------------------------------------------------------------------ */

static enum MHD_Result S_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r,
			       const char *type)
{
	if (!r)
		return MHD_NO;
	if (type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result S_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	return S_queue(c, status, r, "text/plain; charset=utf-8");
}

static enum MHD_Result S_html(struct MHD_Connection *c, unsigned status, struct buf *html, const char *gen)
{
	S_inject(html, gen);
	size_t len;
	char *data = buf_detach(html, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!r)
		free(data);
	return S_queue(c, status, r, "text/html; charset=utf-8");
}

/* The language's 404 page: the first segment's, else the default
 * language's (the lang of the root index.html), else a built-in one. */
static enum MHD_Result S_not_found(struct MHD_Connection *c, int root, const char *rel, const char *gen)
{
	char lang[16] = "";
	size_t n = strcspn(rel, "/");
	if (n > 0 && n < sizeof lang) {
		memcpy(lang, rel, n);
		lang[n] = '\0';
	}
	struct buf html = BUF_INIT;
	for (int attempt = 0; attempt < 2 && root >= 0; attempt++) {
		if (attempt == 1) {
			/* <html lang="fi"> of the root page names the default language. */
			struct stat st;
			int f = S_open_in(root, "index.html", &st);
			lang[0] = '\0';
			if (f >= 0) {
				struct buf idx = BUF_INIT;
				if (S_ISREG(st.st_mode) && S_read_fd(f, &idx) == 0) {
					const char *p = strstr(idx.data, "<html lang=\"");
					if (p) {
						p += 12;
						size_t k = 0;
						while (k + 1 < sizeof lang && ((p[k] >= 'a' && p[k] <= 'z') || p[k] == '-'))
							k++;
						if (p[k] == '"') {
							memcpy(lang, p, k);
							lang[k] = '\0';
						}
					}
				}
				buf_free(&idx);
				close(f);
			}
		}
		if (!lang[0] || lang[0] == '.')
			continue;
		char *path = xasprintf("%s/404.html", lang);
		struct stat st;
		int f = S_open_in(root, path, &st);
		free(path);
		if (f < 0)
			continue;
		bool got = S_ISREG(st.st_mode) && S_read_fd(f, &html) == 0;
		close(f);
		if (got)
			return S_html(c, MHD_HTTP_NOT_FOUND, &html, gen);
		buf_reset(&html);
	}
	buf_puts(&html, S_builtin_404);
	return S_html(c, MHD_HTTP_NOT_FOUND, &html, gen);
}

/* A Location for the folder rel: "/" + rel percent-encoded + "/". */
static char *S_dir_location(const char *rel)
{
	struct buf b = BUF_INIT;
	buf_putc(&b, '/');
	for (const unsigned char *p = (const unsigned char *)rel; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	buf_putc(&b, '/');
	return buf_detach(&b, NULL);
}

static enum MHD_Result S_file(struct server *s, struct MHD_Connection *c, const char *url)
{
	/* The tag is read before the file is opened: a page can then only be
	 * newer than its tag, which costs at most one extra reload. */
	char *gen = S_gen(s);
	int dir;
	char *rel = serve_clean_path(url, &dir);
	enum MHD_Result ret;
	int root = open(s->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (!rel) {
		ret = S_not_found(c, root, "", gen);
		goto done;
	}
	struct stat st;
	int f = S_open_in(root, rel, &st);
	if (f >= 0 && S_ISDIR(st.st_mode)) {
		if (!dir) {
			close(f);
			char *loc = S_dir_location(rel);
			struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
			if (r)
				MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc);
			free(loc);
			ret = S_queue(c, MHD_HTTP_FOUND, r, "text/plain; charset=utf-8");
			goto done;
		}
		int idx = openat(f, "index.html", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		close(f);
		f = idx;
		if (f >= 0 && fstat(f, &st) < 0) {
			close(f);
			f = -1;
		}
		char *r2 = xasprintf("%s%sindex.html", rel, *rel ? "/" : "");
		free(rel);
		rel = r2;
	}
	if (f >= 0 && !S_ISREG(st.st_mode)) {
		close(f);
		f = -1;
	}
	if (f < 0) {
		ret = S_not_found(c, root, rel, gen);
		goto done;
	}
	if (S_is_html(rel)) {
		struct buf html = BUF_INIT;
		int r = S_read_fd(f, &html);
		close(f);
		if (r < 0) {
			buf_free(&html);
			ret = S_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "500 cannot read the file\n");
		} else {
			ret = S_html(c, MHD_HTTP_OK, &html, gen);
		}
		goto done;
	}
	/* MHD owns the fd from here and sends no body for HEAD. */
	struct MHD_Response *r = MHD_create_response_from_fd((size_t)st.st_size, f);
	if (!r)
		close(f);
	ret = S_queue(c, MHD_HTTP_OK, r, serve_content_type(rel));
done:
	if (root >= 0)
		close(root);
	free(rel);
	free(gen);
	return ret;
}

/* ------------------------------------------------------------------ */
/* server-sent events                                                 */
/* ------------------------------------------------------------------ */

struct stream {
	struct server *s;
	unsigned long seen;     /* the server's seq this stream has reported */
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
static void S_last_build_event(struct server *s, struct buf *b)
{
	if (s->ok)
		S_event(b, "reload", "");
	else
		S_event(b, "error", s->errors && *s->errors ? s->errors : "the build failed; see the terminal");
}

static ssize_t S_stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	struct stream *e = cls;
	struct server *s = e->s;
	if (e->off >= e->pending.len) {
		buf_reset(&e->pending);
		e->off = 0;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += S_PING_SECONDS;
		pthread_mutex_lock(&s->lock);
		for (;;) {
			if (s->stopping) {
				pthread_mutex_unlock(&s->lock);
				return MHD_CONTENT_READER_END_OF_STREAM;
			}
			if (e->seen != s->seq) {
				e->seen = s->seq;
				S_last_build_event(s, &e->pending);
				break;
			}
			if (pthread_cond_timedwait(&s->cond, &s->lock, &until) == ETIMEDOUT) {
				buf_puts(&e->pending, ": ping\n\n");
				break;
			}
		}
		pthread_mutex_unlock(&s->lock);
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

static enum MHD_Result S_events(struct server *s, struct MHD_Connection *c)
{
	const char *since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
	struct stream *e = xcalloc(1, sizeof *e);
	e->s = s;
	buf_init(&e->pending);
	buf_puts(&e->pending, "retry: 1000\n\n");
	pthread_mutex_lock(&s->lock);
	e->seen = s->seq;
	if (s->built) {
		char *g = xasprintf("%s-%lu", s->instance, s->good);
		/* A page older than the last good build reloads; after a failed
		 * build the overlay shows at once. */
		if (!s->ok || (since && strcmp(since, g)))
			S_last_build_event(s, &e->pending);
		free(g);
	}
	pthread_mutex_unlock(&s->lock);
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, S_stream_read, e,
								   S_stream_free);
	if (!r) {
		S_stream_free(e);
		return MHD_NO;
	}
	MHD_add_response_header(r, "X-Accel-Buffering", "no");
	return S_queue(c, MHD_HTTP_OK, r, "text/event-stream; charset=utf-8");
}

/* ------------------------------------------------------------------ */
/* the request handler                                                */
/* ------------------------------------------------------------------ */

/* Paths are decoded by serve_clean_path, not by MHD: keep them raw. */
static size_t S_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static enum MHD_Result S_handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	(void)version;
	(void)upload;
	(void)upload_size;
	(void)con_cls;
	struct server *s = cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
		struct MHD_Response *r = MHD_create_response_from_buffer(
			strlen("405 only GET and HEAD are served\n"), (void *)"405 only GET and HEAD are served\n",
			MHD_RESPMEM_PERSISTENT);
		if (r)
			MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		return S_queue(c, MHD_HTTP_METHOD_NOT_ALLOWED, r, "text/plain; charset=utf-8");
	}
	if (!strcmp(url, "/__toivo/reload.js")) {
		struct MHD_Response *r = MHD_create_response_from_buffer(sizeof S_reload_js - 1, (void *)S_reload_js,
									 MHD_RESPMEM_PERSISTENT);
		return S_queue(c, MHD_HTTP_OK, r, "text/javascript; charset=utf-8");
	}
	if (!strcmp(url, "/__toivo/events"))
		return S_events(s, c);
	/* Until the first build is done there is nothing to serve: wait. */
	pthread_mutex_lock(&s->lock);
	while (!s->built && !s->stopping)
		pthread_cond_wait(&s->cond, &s->lock);
	bool stopping = s->stopping;
	pthread_mutex_unlock(&s->lock);
	if (stopping)
		return S_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "503 toivo serve is stopping\n");
	return S_file(s, c, url);
}

/* ------------------------------------------------------------------ */
/* building                                                           */
/* ------------------------------------------------------------------ */

/* Publishes the result of a build to the event streams. */
static void S_built(struct server *s, bool ok, struct buf *msgs)
{
	pthread_mutex_lock(&s->lock);
	s->seq++;
	s->built = true;
	s->ok = ok;
	free(s->errors);
	s->errors = NULL;
	if (s->ok)
		s->good++;
	else
		s->errors = buf_detach(msgs, NULL);
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static void S_build(struct server *s)
{
	struct buf msgs = BUF_INIT;
	diag_capture(&msgs);
	int r = build_run_keep(&s->bo, &s->kept);
	diag_capture(NULL);
	S_built(s, r == 0, &msgs);
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
static bool S_update(struct server *s, char *const *srcs, size_t n)
{
	if (!s->kept || n == 0)
		return false;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct buf msgs = BUF_INIT;
	diag_capture(&msgs);
	size_t changed = 0, more = 0;
	int r = build_update(s->kept, srcs, n, &changed);
	double ms = S_ms_since(&t0);
	if (r == 0) {
		S_built(s, true, &msgs);
		r = build_update_site(s->kept, &more);
	}
	diag_capture(NULL);
	buf_free(&msgs);
	if (r < 0) {
		/* What it reported is reported again by the whole build. */
		build_free(s->kept);
		s->kept = NULL;
		return false;
	}
	if (!s->bo.quiet)
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

static const char *const S_watched[] = { "content", "themes", "lua", "i18n", "static", "layouts", "partials", "assets" };

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
	struct server *s;
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
	for (size_t i = 0; i < sizeof S_watched / sizeof S_watched[0]; i++)
		if (!strcmp(name, S_watched[i]))
			return true;
	return false;
}

static void S_watch_all(struct watcher *w)
{
	S_add(w, w->s->bo.root, true);
	for (size_t i = 0; i < sizeof S_watched / sizeof S_watched[0]; i++) {
		char *p = path_join(w->s->bo.root, S_watched[i]);
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
	const char *root = w->s->bo.root;
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
		char *full = path_join(w->s->bo.root, w->other[i].rel);
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
	struct pollfd p[2] = { { w->fd, POLLIN, 0 }, { w->s->stop_pipe[0], POLLIN, 0 } };
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
	struct watcher w = { .s = arg };
	w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w.fd < 0)
		diag_warn(NULL, 0, 0, "cannot watch for changes (%s); restart toivo serve after editing",
			strerror(errno));
	else
		S_watch_all(&w);
	S_build(w.s);
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
		if (!pages || !S_update(w.s, w.pages, w.n_pages)) {
			diag(DIAG_NOTE, NULL, 0, 0, "change seen, rebuilding");
			S_build(w.s);
		}
		S_burst_reset(&w);
	}
	if (w.fd < 0) {
		/* No watching: just wait to be stopped. */
		char c;
		while (read(w.s->stop_pipe[0], &c, 1) < 0 && errno == EINTR)
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

static int S_sig_pipe[2] = { -1, -1 };

static void S_on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;
	hooks_interrupt();      /* a running hook stops at once */
	if (write(S_sig_pipe[1], &c, 1) < 0) {
		/* nothing to do: the pipe is full, a stop is already pending */
	}
	errno = saved;
}

/* How many connections to allow: S_MAX_CONNECTIONS, within the limit on
 * open files (raised to its hard limit), keeping room for the build. */
static unsigned int S_connection_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 200;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > S_MAX_CONNECTIONS + 256)
		return S_MAX_CONNECTIONS;
	return rl.rlim_cur > 456 ? (unsigned int)(rl.rlim_cur - 256) : 200;
}

/* Opens the listening socket.  Returns the fd, or -1 after one line. */
static int S_listen(const char *addr, int port, bool *v6)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	socklen_t len;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		len = sizeof *a4;
		*v6 = false;
	} else if (inet_pton(AF_INET6, addr, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		len = sizeof *a6;
		*v6 = true;
	} else {
		diag_error(NULL, 0, 0, "'%s' is not an IPv4 or IPv6 address; use e.g. --bind 127.0.0.1", addr);
		return -1;
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		diag_error(NULL, 0, 0, "cannot make a socket: %s", strerror(errno));
		return -1;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (*v6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 64) < 0) {
		int e = errno;
		if (e == EADDRINUSE)
			diag_error(NULL, 0, 0, "port %d on %s is already in use; stop the other server "
				"or choose another port with --port N", port, addr);
		else if (e == EACCES)
			diag_error(NULL, 0, 0, "not allowed to listen on port %d; choose a port above 1023 "
				"with --port N", port);
		else if (e == EADDRNOTAVAIL)
			diag_error(NULL, 0, 0, "%s is not an address of this machine; use --bind 127.0.0.1",
				addr);
		else
			diag_error(NULL, 0, 0, "cannot listen on %s port %d: %s; try another --port N",
				addr, port, strerror(e));
		close(fd);
		return -1;
	}
	return fd;
}

int serve_run(const struct serve_opts *o)
{
	struct server s;
	memset(&s, 0, sizeof s);
	pthread_mutex_init(&s.lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_cond_init(&s.cond, &ca);
	pthread_condattr_destroy(&ca);
	s.stop_pipe[0] = s.stop_pipe[1] = -1;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(s.instance, sizeof s.instance, "%lx%lx", (unsigned long)now.tv_sec,
		 (unsigned long)(now.tv_nsec / 1000) ^ (unsigned long)getpid());

	int status = 1;
	char *tmp = NULL, *out = NULL, *cache = NULL;
	struct MHD_Daemon *d = NULL;
	bool v6 = false;
	bool watching = false;
	pthread_t watcher;

	int lfd = S_listen(o->bind, o->port, &v6);
	if (lfd < 0)
		goto out;
	if (o->out) {
		out = xstrdup(o->out);
	} else {
		char tmpl[] = "/tmp/toivo-serve-XXXXXX";
		if (!mkdtemp(tmpl)) {
			diag_error(NULL, 0, 0, "cannot make a temporary folder: %s; set -o OUT",
				strerror(errno));
			close(lfd);
			goto out;
		}
		tmp = xstrdup(tmpl);
		out = path_join(tmp, "public");
		cache = path_join(tmp, "cache");        /* a private output's cache goes with it */
	}
	s.out = out;
	s.bo = (struct build_opts){ .root = o->root, .out = out, .cache = cache, .jobs = o->jobs, .serve = true };

	if (pipe2(s.stop_pipe, O_CLOEXEC) < 0 || pipe2(S_sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		diag_error(NULL, 0, 0, "cannot make a pipe: %s", strerror(errno));
		close(lfd);
		goto out;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = S_on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned int limit = S_connection_limit();
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_AUTO |
				     (v6 ? MHD_USE_IPv6 : 0),
			     0, NULL, NULL, S_handle, &s,
			     MHD_OPTION_LISTEN_SOCKET, lfd,
			     MHD_OPTION_UNESCAPE_CALLBACK, S_unescape, NULL,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)S_IDLE_SECONDS,
			     MHD_OPTION_CONNECTION_LIMIT, limit,
			     MHD_OPTION_THREAD_STACK_SIZE, (size_t)256 << 10,
			     MHD_OPTION_END);
	if (!d) {
		diag_error(NULL, 0, 0, "cannot start the HTTP server on %s port %d; try another --port N",
			o->bind, o->port);
		close(lfd);
		goto out;
	}
	if (pthread_create(&watcher, NULL, S_watch_thread, &s) != 0) {
		diag_error(NULL, 0, 0, "cannot start the watcher thread: %s", strerror(errno));
		goto out;
	}
	watching = true;
	diag(DIAG_NOTE, NULL, 0, 0, "http://%s%s%s:%d/ serves %s; watching for changes; Ctrl-C stops",
		v6 ? "[" : "", o->bind, v6 ? "]" : "", o->port, o->root);

	/* Sleep until a signal arrives through the pipe. */
	struct pollfd p = { S_sig_pipe[0], POLLIN, 0 };
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	/* A second Ctrl-C stops at once if shutting down takes long. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	diag(DIAG_NOTE, NULL, 0, 0, "stopping");
	status = 0;
out:
	pthread_mutex_lock(&s.lock);
	s.stopping = true;
	pthread_cond_broadcast(&s.cond);
	pthread_mutex_unlock(&s.lock);
	if (watching) {
		if (write(s.stop_pipe[1], "x", 1) < 0)
			diag_warn(NULL, 0, 0, "cannot wake the watcher: %s", strerror(errno));
		pthread_join(watcher, NULL);
	}
	if (d)
		MHD_stop_daemon(d);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	for (int i = 0; i < 2; i++) {
		if (s.stop_pipe[i] >= 0)
			close(s.stop_pipe[i]);
		if (S_sig_pipe[i] >= 0)
			close(S_sig_pipe[i]);
		S_sig_pipe[i] = -1;
	}
	build_free(s.kept);
	if (tmp)
		rm_rf(tmp);
	free(tmp);
	free(out);
	free(cache);
	free(s.errors);
	pthread_cond_destroy(&s.cond);
	pthread_mutex_destroy(&s.lock);
	return status;
}
