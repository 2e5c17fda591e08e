/* serve.c - toivo serve: build, serve the output, watch, rebuild, reload.
 *
 * This file is the flow: it starts the parts in order, sleeps, and stops
 * them in the reverse order.  The parts, one concern each:
 *
 *   serve_http.c    the listening socket and libmicrohttpd: files from the
 *                   output folder, 404 pages, the reload script's tag
 *   serve_watch.c   the watcher thread: inotify, what changed, which
 *                   rebuild (the changed pages or the whole site)
 *   serve_reload.c  the outcome of the builds, sent to every open page as
 *                   an event; the reload script (themes/default/serve/)
 *
 * The main thread opens the listening socket itself (so "port in use" is
 * reported before anything else happens), hands it to libmicrohttpd,
 * starts the watcher (which runs the first build) and then sleeps until
 * SIGINT or SIGTERM arrive through a self-pipe: a signal handler may do
 * little, and a pipe wakes poll() whatever the thread is doing.
 *
 * Builds go to a temporary folder (or -o OUT), removed at the end.
 *
 * Shutdown.  The first signal ends every event stream and wakes every
 * request waiting for the first build (serve_reload_stop), stops and joins
 * the watcher, stops the HTTP daemon (which joins the connection threads),
 * frees everything and removes the temporary folder.  A second signal
 * stops at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "diag.h"
#include "hooks.h"
#include "serve.h"
#include "serve_http.h"
#include "serve_reload.h"
#include "serve_watch.h"
#include "util.h"
#include "vfs.h"

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

/* Reads the reload script and makes the state the parts share; NULL
 * after one message. */
static struct serve_reload *S_reload_new(const char *root)
{
	char *path = serve_reload_script_path(root);
	char *js;
	size_t len;
	int r = serve_reload_script_read(&js, &len, path);
	free(path);
	return r < 0 ? NULL : serve_reload_new(js, len);
}

int serve_run(const struct serve_opts *o)
{
	int status = 1;
	char *tmp = NULL, *out = NULL, *cache = NULL;
	struct serve_reload *reload = NULL;
	struct serve_http *http = NULL;
	struct serve_watch *watch = NULL;
	bool v6 = false;

	int lfd = serve_http_listen(o->bind, o->port, &v6);
	if (lfd < 0)
		goto out;
	/* Theme files are read through vfs, which keeps them inside the site. */
	vfs_set_root(o->root);
	reload = S_reload_new(o->root);
	if (!reload) {
		close(lfd);
		goto out;
	}
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
	struct build_opts bo = { .root = o->root, .out = out, .cache = cache, .jobs = o->jobs, .serve = true };

	if (pipe2(S_sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
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

	http = serve_http_new(lfd, v6, out, reload, o->bind, o->port);
	if (!http)
		goto out;
	watch = serve_watch_start(&bo, reload);
	if (!watch)
		goto out;
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
	if (reload)
		serve_reload_stop(reload);
	serve_watch_stop(watch);
	serve_http_free(http);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	for (int i = 0; i < 2; i++) {
		if (S_sig_pipe[i] >= 0)
			close(S_sig_pipe[i]);
		S_sig_pipe[i] = -1;
	}
	serve_reload_free(reload);
	if (tmp)
		rm_rf(tmp);
	free(tmp);
	free(out);
	free(cache);
	return status;
}
