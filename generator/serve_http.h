/* serve_http.h - toivo serve's HTTP side: the listening socket, and
 * libmicrohttpd answering from the output folder.  Used by serve.c; see
 * serve_http.c for the design. */
#ifndef TOIVO_SERVE_HTTP_H
#define TOIVO_SERVE_HTTP_H

#include <stdbool.h>

struct serve_reload;

/* The running server. */
struct serve_http;

/* Opens the listening socket on addr (an IPv4 or IPv6 literal) and port;
 * *v6 tells which.  Returns the fd, or -1 after one message that says what
 * to do (the port is in use, ...). */
int serve_http_listen(const char *addr, int port, bool *v6);

/* Starts answering on the socket lfd (taken over, closed on failure too):
 * files from the folder out, the reload script and events from r.  out and
 * r must outlive the server.  NULL after one message (bind and port name
 * the place in it). */
struct serve_http *serve_http_new(int lfd, bool v6, const char *out, struct serve_reload *r,
				  const char *bind, int port);
/* Stops answering: waits for every connection thread, then frees h.
 * Harmless on NULL.  Call serve_reload_stop() first, or open event streams
 * keep it waiting. */
void serve_http_free(struct serve_http *h);

/* The Content-Type for a file name ("a/b.css" -> "text/css; charset=utf-8"). */
const char *serve_http_content_type(const char *name);

/* Turns the raw (still percent-encoded) request path into a relative path
 * inside the output folder: "/fi/a%20b/" -> "fi/a b" with *dir set.
 * Returns NULL (request refused) for "..", NUL bytes, bad escapes, a path
 * that does not start with '/'.  The caller frees the result. */
char *serve_http_clean_path(const char *raw, int *dir);

#endif
