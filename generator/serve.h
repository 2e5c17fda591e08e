/* serve.h - toivo serve: a preview server that rebuilds on change and
 * reloads the browser.  See serve.c for the design and the parts
 * (serve_http, serve_watch, serve_reload). */
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

#endif
