/* serve.h - toivo serve: a preview server that rebuilds on change and
 * reloads the browser.  See serve.c for the design. */
#ifndef TOIVO_SERVE_H
#define TOIVO_SERVE_H

struct serve_opts {
	const char *root;       /* the site's folder */
	const char *out;        /* the output folder; NULL = a temporary one, removed at the end */
	const char *bind;       /* an IPv4 or IPv6 literal */
	int port;               /* 1-65535 */
	int jobs;               /* build workers; 0 = one per core */
};

/* Builds, serves and watches until SIGINT or SIGTERM.  Returns the exit
 * status: 0 after a clean shutdown, 1 when the server cannot start (the
 * port is in use, ...). */
int serve_run(const struct serve_opts *o);

/* The Content-Type for a file name ("a/b.css" -> "text/css; charset=utf-8"). */
const char *serve_content_type(const char *name);

/* Turns the raw (still percent-encoded) request path into a relative path
 * inside the output folder: "/fi/a%20b/" -> "fi/a b" with *dir set.
 * Returns NULL (request refused) for "..", NUL bytes, bad escapes, a path
 * that does not start with '/'.  The caller frees the result. */
char *serve_clean_path(const char *raw, int *dir);

#endif
