/* serve_http.c - toivo serve's HTTP side: files from the output folder.
 *
 * The listening socket is opened here, before libmicrohttpd sees it, so
 * that "port in use" and its kin are reported exactly and with what to do.
 * libmicrohttpd then runs one thread per connection: event streams block
 * in theirs (serve_reload.c), and a build running in the watcher thread
 * never holds up a request.
 *
 * Builds are atomic (build_run): a failed build leaves the previous output
 * as it was, so the last good pages keep being served.  Each request opens
 * OUT once and walks the path one component at a time with O_NOFOLLOW, so
 * it sees one tree (the old or the new one) and never leaves OUT.  Paths
 * are percent-decoded here, not by libmicrohttpd (its unescape callback is
 * a no-op), so that %00, bad escapes and ".." after decoding are all
 * refused with 404.  A missing page gets the 404 page of its language.
 * Every HTML page goes out with the reload script's tag, every response
 * with no-store, so the browser always asks again.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "buf.h"
#include "diag.h"
#include "serve_http.h"
#include "serve_reload.h"
#include "util.h"

/* A connection idle this long is closed (an event stream pings sooner). */
#define S_IDLE_SECONDS 20
/* Connections at once: each has a thread (event streams block in theirs),
 * so a few hundred idle clients must not take the last one. */
#define S_MAX_CONNECTIONS 1000

struct serve_http {
	struct MHD_Daemon *d;
	const char *out;                /* the output folder */
	struct serve_reload *reload;
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

char *serve_http_clean_path(const char *raw, int *dir)
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

const char *serve_http_content_type(const char *name)
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
/* responses                                                          */
/* ------------------------------------------------------------------ */

static const char S_builtin_404[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<title>404 Not Found</title>\n</head>\n<body>\n<h1>404 Not Found</h1>\n"
	"<p>There is no page at this address (and the site has no 404 page yet).</p>\n"
	"</body>\n</html>\n";

/* Queues r (NULL: MHD could not make it) with the headers every answer
 * has, and lets it go. */
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
	serve_reload_inject(html, gen);
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
	buf_puts_url_path(&b, rel);
	buf_putc(&b, '/');
	return buf_detach(&b, NULL);
}

/* Answers url from the output folder: the file, a folder's index.html, a
 * redirect to the folder with its slash, or the 404 page. */
static enum MHD_Result S_file(struct serve_http *h, struct MHD_Connection *c, const char *url)
{
	/* The tag is read before the file is opened: a page can then only be
	 * newer than its tag, which costs at most one extra reload. */
	char *gen = serve_reload_gen(h->reload);
	int dir;
	char *rel = serve_http_clean_path(url, &dir);
	enum MHD_Result ret;
	int root = open(h->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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
	ret = S_queue(c, MHD_HTTP_OK, r, serve_http_content_type(rel));
done:
	if (root >= 0)
		close(root);
	free(rel);
	free(gen);
	return ret;
}

/* ------------------------------------------------------------------ */
/* the request handler                                                */
/* ------------------------------------------------------------------ */

/* Paths are decoded by serve_http_clean_path, not by MHD: keep them raw. */
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
	struct serve_http *h = cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
		struct MHD_Response *r = MHD_create_response_from_buffer(
			strlen("405 only GET and HEAD are served\n"), (void *)"405 only GET and HEAD are served\n",
			MHD_RESPMEM_PERSISTENT);
		if (r)
			MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		return S_queue(c, MHD_HTTP_METHOD_NOT_ALLOWED, r, "text/plain; charset=utf-8");
	}
	if (!strcmp(url, SERVE_RELOAD_SCRIPT_URL)) {
		size_t len;
		const char *js = serve_reload_script(h->reload, &len);
		struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)js, MHD_RESPMEM_PERSISTENT);
		return S_queue(c, MHD_HTTP_OK, r, "text/javascript; charset=utf-8");
	}
	if (!strcmp(url, SERVE_RELOAD_EVENTS_URL)) {
		const char *since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
		return S_queue(c, MHD_HTTP_OK, serve_reload_events(h->reload, since),
			       "text/event-stream; charset=utf-8");
	}
	/* Until the first build is done there is nothing to serve: wait. */
	if (!serve_reload_wait_first(h->reload))
		return S_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "503 toivo serve is stopping\n");
	return S_file(h, c, url);
}

/* ------------------------------------------------------------------ */
/* start and stop                                                     */
/* ------------------------------------------------------------------ */

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

int serve_http_listen(const char *addr, int port, bool *v6)
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


struct serve_http *serve_http_new(int lfd, bool v6, const char *out, struct serve_reload *r,
				  const char *bind, int port)
{
	struct serve_http *h = xcalloc(1, sizeof *h);
	h->out = out;
	h->reload = r;
	unsigned int limit = S_connection_limit();
	h->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_AUTO |
					(v6 ? MHD_USE_IPv6 : 0),
				0, NULL, NULL, S_handle, h,
				MHD_OPTION_LISTEN_SOCKET, lfd,
				MHD_OPTION_UNESCAPE_CALLBACK, S_unescape, NULL,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)S_IDLE_SECONDS,
				MHD_OPTION_CONNECTION_LIMIT, limit,
				MHD_OPTION_THREAD_STACK_SIZE, (size_t)256 << 10,
				MHD_OPTION_END);
	if (!h->d) {
		diag_error(NULL, 0, 0, "cannot start the HTTP server on %s port %d; try another --port N",
			bind, port);
		close(lfd);
		free(h);
		return NULL;
	}
	return h;
}

void serve_http_free(struct serve_http *h)
{
	if (!h)
		return;
	/* Joins the connection threads; MHD closes the listening socket. */
	MHD_stop_daemon(h->d);
	free(h);
}
