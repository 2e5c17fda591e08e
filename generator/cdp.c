/* cdp.c - the DevTools protocol over a pipe to one headless Chromium. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cdp.h"
#include "util.h"

extern char **environ;

#define CDP_START_S 60          /* until the browser first answers */
#define CDP_MAX_MESSAGE (512u << 20)    /* a PDF of 384 MB, base64 */

struct cdp_answer {
	long id;
	json_t *msg;            /* NULL until it arrives */
	struct cdp_answer *next;
};

struct cdp_event {
	char *session, *method;
	json_t *params;
	struct cdp_event *next;
};

struct cdp {
	pid_t pid;              /* also the process group */
	int to_browser, from_browser;
	int wake[2];            /* self-pipe: cdp_interrupt() writes here */
	pthread_t reader;
	bool reader_started;
	pthread_mutex_t lock;   /* everything below */
	pthread_mutex_t write_lock;
	pthread_cond_t changed; /* an answer or event arrived, or the end */
	long next_id;
	struct cdp_answer *answers;
	struct cdp_event *events, **events_tail;
	char *gone;             /* why the browser cannot answer any more */
	atomic_int interrupted;
	cdp_event_fn hook;
	void *hook_ctx;
};

double cdp_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --- the reader thread ------------------------------------------------------ */

/* Marks the browser gone (the first reason wins) and wakes every waiter.
 * Called with c->lock held. */
static void S_gone(struct cdp *c, const char *why)
{
	if (!c->gone)
		c->gone = xstrdup(why);
	pthread_cond_broadcast(&c->changed);
}

static void S_dispatch(struct cdp *c, json_t *msg)
{
	json_t *id = json_object_get(msg, "id");
	if (json_is_integer(id)) {
		pthread_mutex_lock(&c->lock);
		for (struct cdp_answer *a = c->answers; a; a = a->next)
			if (a->id == json_integer_value(id) && !a->msg) {
				a->msg = msg;
				msg = NULL;
				break;
			}
		pthread_cond_broadcast(&c->changed);
		pthread_mutex_unlock(&c->lock);
		json_decref(msg);       /* an answer nobody waits for any more */
		return;
	}
	const char *method = json_string_value(json_object_get(msg, "method"));
	const char *session = json_string_value(json_object_get(msg, "sessionId"));
	json_t *params = json_object_get(msg, "params");
	if (!method || (c->hook && c->hook(c->hook_ctx, c, session, method, params))) {
		json_decref(msg);
		return;
	}
	struct cdp_event *e = xcalloc(1, sizeof *e);
	e->session = xstrdup(session ? session : "");
	e->method = xstrdup(method);
	e->params = json_incref(params ? params : json_null());
	json_decref(msg);
	pthread_mutex_lock(&c->lock);
	*c->events_tail = e;
	c->events_tail = &e->next;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
}

static void *S_reader(void *arg)
{
	struct cdp *c = arg;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	const char *why = "the browser closed its pipe";
	for (;;) {
		struct pollfd p[2] = { { c->from_browser, POLLIN, 0 }, { c->wake[0], POLLIN, 0 } };
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			why = "cannot wait for the browser";
			break;
		}
		if (p[1].revents) {
			why = "interrupted";
			break;
		}
		if (len + 65536 > cap) {
			cap = (len + 65536) * 2;
			buf = xrealloc(buf, cap);
		}
		ssize_t n = read(c->from_browser, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size_t start = 0;
		for (size_t i = len; i < len + (size_t)n; i++) {
			if (buf[i])
				continue;
			json_error_t je;
			json_t *msg = json_loadb(buf + start, i - start, 0, &je);
			if (msg)
				S_dispatch(c, msg);
			start = i + 1;
		}
		len += (size_t)n;
		memmove(buf, buf + start, len - start);
		len -= start;
		if (len > CDP_MAX_MESSAGE) {
			why = "the browser sent a message too large to read";
			break;
		}
	}
	free(buf);
	pthread_mutex_lock(&c->lock);
	S_gone(c, why);
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* --- calls -------------------------------------------------------------------- */

static int S_write(struct cdp *c, json_t *msg)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	if (!text)
		return -1;
	size_t n = strlen(text) + 1;   /* with the NUL that ends a message */
	int r = 0;
	pthread_mutex_lock(&c->write_lock);
	for (size_t off = 0; off < n;) {
		ssize_t w = write(c->to_browser, text + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			r = -1;
			break;
		}
		off += (size_t)w;
	}
	pthread_mutex_unlock(&c->write_lock);
	free(text);
	return r;
}

static json_t *S_message(long id, const char *session, const char *method, json_t *params)
{
	json_t *msg = json_object();
	json_object_set_new(msg, "id", json_integer(id));
	json_object_set_new(msg, "method", json_string(method));
	json_object_set_new(msg, "params", params ? params : json_object());
	if (session)
		json_object_set_new(msg, "sessionId", json_string(session));
	return msg;
}

/* Waits on c->changed until deadline; false when it passed.  c->lock held. */
static bool S_wait(struct cdp *c, double deadline)
{
	double left = deadline - cdp_now();
	if (left <= 0)
		return false;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	long ns = ts.tv_nsec + (long)((left - (long)left) * 1e9);
	ts.tv_sec += (time_t)left + ns / 1000000000L;
	ts.tv_nsec = ns % 1000000000L;
	pthread_cond_timedwait(&c->changed, &c->lock, &ts);
	return true;
}

int cdp_send(struct cdp *c, const char *session, const char *method, json_t *params)
{
	pthread_mutex_lock(&c->lock);
	long id = ++c->next_id;
	pthread_mutex_unlock(&c->lock);
	json_t *msg = S_message(id, session, method, params);
	int r = S_write(c, msg);
	json_decref(msg);
	return r;
}

int cdp_call(json_t **result, char **err, struct cdp *c, const char *session, const char *method,
	     json_t *params, double deadline)
{
	if (result)
		*result = NULL;
	*err = NULL;
	struct cdp_answer a = { 0 };
	pthread_mutex_lock(&c->lock);
	a.id = ++c->next_id;
	a.next = c->answers;
	c->answers = &a;
	pthread_mutex_unlock(&c->lock);
	json_t *msg = S_message(a.id, session, method, params);
	int w = S_write(c, msg);
	json_decref(msg);
	pthread_mutex_lock(&c->lock);
	if (w < 0)
		S_gone(c, "the browser's pipe is closed");
	while (!a.msg && !c->gone && S_wait(c, deadline))
		;
	for (struct cdp_answer **p = &c->answers; *p; p = &(*p)->next)
		if (*p == &a) {
			*p = a.next;
			break;
		}
	if (!a.msg)
		*err = c->gone ? xstrdup(c->gone) : xasprintf("no answer to %s in time", method);
	pthread_mutex_unlock(&c->lock);
	if (!a.msg)
		return -1;
	json_t *e = json_object_get(a.msg, "error");
	if (e) {
		const char *m = json_string_value(json_object_get(e, "message"));
		*err = xasprintf("%s failed: %s", method, m ? m : "unknown error");
		json_decref(a.msg);
		return -1;
	}
	if (result)
		*result = json_incref(json_object_get(a.msg, "result"));
	json_decref(a.msg);
	return 0;
}

int cdp_wait_event(json_t **params, char **err, struct cdp *c, const char *session, const char *method,
		   double deadline)
{
	*params = NULL;
	*err = NULL;
	pthread_mutex_lock(&c->lock);
	for (;;) {
		for (struct cdp_event **p = &c->events; *p; p = &(*p)->next) {
			struct cdp_event *e = *p;
			if (strcmp(e->method, method) || strcmp(e->session, session ? session : ""))
				continue;
			*p = e->next;
			if (c->events_tail == &e->next)
				c->events_tail = p;
			*params = e->params;
			free(e->session);
			free(e->method);
			free(e);
			pthread_mutex_unlock(&c->lock);
			return 0;
		}
		if (c->gone) {
			*err = xstrdup(c->gone);
			break;
		}
		if (!S_wait(c, deadline)) {
			*err = xstrdup("timed out");
			break;
		}
	}
	pthread_mutex_unlock(&c->lock);
	return -1;
}

void cdp_forget(struct cdp *c, const char *session)
{
	pthread_mutex_lock(&c->lock);
	for (struct cdp_event **p = &c->events; *p;) {
		struct cdp_event *e = *p;
		if (strcmp(e->session, session)) {
			p = &e->next;
			continue;
		}
		*p = e->next;
		json_decref(e->params);
		free(e->session);
		free(e->method);
		free(e);
	}
	c->events_tail = &c->events;
	while (*c->events_tail)
		c->events_tail = &(*c->events_tail)->next;
	pthread_mutex_unlock(&c->lock);
}

void cdp_interrupt(struct cdp *c)
{
	/* Only a flag and write(2): this runs in a signal handler. */
	atomic_store(&c->interrupted, 1);
	ssize_t w = write(c->wake[1], "x", 1);
	(void)w;
}

/* --- starting and stopping ------------------------------------------------------ */

static void S_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Whether /dev/shm is there with room for the shared memory of long
 * documents (Chromium's own launcher asks for 3.8 GB free, a container's
 * default is 64 MB). */
static bool S_shm_roomy(void)
{
	struct statvfs sv;
	return statvfs("/dev/shm", &sv) == 0 && (double)sv.f_bavail * (double)sv.f_frsize >= 1024.0 * 1048576.0 &&
	       access("/dev/shm", W_OK) == 0;
}

int cdp_start(struct cdp **out, char **err, const char *exe, const char *profile_dir, cdp_event_fn hook,
	      void *hook_ctx)
{
	*out = NULL;
	*err = NULL;
	struct cdp *c = xcalloc(1, sizeof *c);
	c->pid = -1;
	c->to_browser = c->from_browser = c->wake[0] = c->wake[1] = -1;
	c->events_tail = &c->events;
	c->hook = hook;
	c->hook_ctx = hook_ctx;
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_init(&c->write_lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->changed, &ca);
	pthread_condattr_destroy(&ca);
	signal(SIGPIPE, SIG_IGN);

	int in[2] = { -1, -1 }, outp[2] = { -1, -1 };
	char *opt_profile = xasprintf("--user-data-dir=%s", profile_dir);
	char *log = xasprintf("%s.log", profile_dir);
	char *home = xasprintf("HOME=%s", profile_dir);
	char *tmpdir = xasprintf("TMPDIR=%s", profile_dir);
	char *argv[] = {
		(char *)exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--disable-default-apps",
		"--mute-audio", "--hide-scrollbars", "--remote-debugging-pipe",
		/* A page may read its own style sheets' rules (the TOC's page
		 * numbers need the @page rule); every file it loads still
		 * passes the request hook, which keeps it inside the output. */
		"--allow-file-access-from-files",
		/* What a print needs no process of its own for: the compositor
		 * (software only, with --disable-gpu) runs as a thread of the
		 * browser, and the omnibox's web popups, which a headless
		 * browser loads at its start all the same, are not made (the
		 * GPU process and the popups' renderer took 1.2-1.7 s of CPU
		 * each in a run of the bundled course, measured; a feature name
		 * Chromium does not know is passed over). */
		"--in-process-gpu", "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
		opt_profile, "about:blank", NULL, NULL,
	};
	/* Shared memory in /dev/shm, unless it is missing or too small for
	 * a long document's pages (a container's 64 MB): then in TMPDIR,
	 * slower when that is a disk. */
	if (!S_shm_roomy()) {
		size_t at = 0;
		while (argv[at])
			at++;
		argv[at] = argv[at - 1];
		argv[at - 1] = "--disable-dev-shm-usage";
	}
	/* The environment, with HOME and TMPDIR in the profile: nothing is
	 * written to the user's home, and its singleton socket goes with the
	 * profile even when the browser is killed. */
	size_t ne = 0;
	while (environ[ne])
		ne++;
	char **env = xcalloc(ne + 3, sizeof *env);
	size_t k = 0;
	for (size_t i = 0; i < ne; i++)
		if (!str_starts_with(environ[i], "HOME=") && !str_starts_with(environ[i], "TMPDIR="))
			env[k++] = environ[i];
	env[k++] = home;
	env[k++] = tmpdir;
	int r = -1;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0 || pipe2(c->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		*err = xasprintf("cannot make a pipe: %s", strerror(errno));
		goto out;
	}
	int logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		*err = xasprintf("cannot start a process: %s", strerror(errno));
		if (logfd >= 0)
			close(logfd);
		goto out;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls from here to execve. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		if (logfd >= 0) {
			dup2(logfd, 1);
			dup2(logfd, 2);
		}
		/* fd 3: what the browser reads, fd 4: what it writes.  Move
		 * them out of the way first, as they may be 3 or 4 already. */
		int a = fcntl(in[0], F_DUPFD, 10), b = fcntl(outp[1], F_DUPFD, 10);
		if (a < 0 || b < 0 || dup2(a, 3) < 0 || dup2(b, 4) < 0)
			_exit(127);
		/* F_DUPFD copies do not keep close-on-exec: the browser must
		 * hold only 3 and 4, or its pipe never reads as closed. */
		close(a);
		close(b);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execve(exe, argv, env);
		_exit(127);
	}
	setpgid(pid, pid);      /* also here, so that no kill can miss it */
	if (logfd >= 0)
		close(logfd);
	c->pid = pid;
	c->to_browser = in[1];
	c->from_browser = outp[0];
	in[1] = outp[0] = -1;
	/* The reader thread leaves SIGINT and SIGTERM to the main thread. */
	sigset_t block, old_mask;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old_mask);
	int started = pthread_create(&c->reader, NULL, S_reader, c);
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	if (started != 0) {
		*err = xstrdup("cannot start a thread");
		goto out;
	}
	c->reader_started = true;
	json_t *v = NULL;
	if (cdp_call(&v, err, c, NULL, "Browser.getVersion", NULL, cdp_now() + CDP_START_S) < 0) {
		/* Its own words say best why it did not start. */
		char *text = NULL;
		size_t len;
		if (file_read(&text, &len, log) == 0 && len) {
			char *both = xasprintf("%s; it said:\n%s", *err, text);
			free(*err);
			*err = both;
		}
		free(text);
		goto out;
	}
	json_decref(v);
	r = 0;
out:
	S_close(&in[0]);
	S_close(&in[1]);
	S_close(&outp[0]);
	S_close(&outp[1]);
	free(env);
	free(tmpdir);
	free(home);
	free(log);
	free(opt_profile);
	if (r < 0) {
		cdp_free(c);
		c = NULL;
	}
	*out = c;
	return r;
}

void cdp_free(struct cdp *c)
{
	if (!c)
		return;
	if (c->pid > 0) {
		/* A polite close first, so that it can tidy up, then the whole
		 * process group: renderers and helpers go with it. */
		if (!atomic_load(&c->interrupted)) {
			char *err = NULL;
			cdp_call(NULL, &err, c, NULL, "Browser.close", NULL, cdp_now() + 2);
			free(err);
		}
		double until = cdp_now() + 2;
		int st;
		while (waitpid(c->pid, &st, WNOHANG) == 0 && cdp_now() < until && !atomic_load(&c->interrupted)) {
			struct timespec ts = { 0, 20 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		kill(-c->pid, SIGKILL);
		waitpid(c->pid, &st, 0);
	}
	S_close(&c->to_browser);
	if (c->reader_started) {
		ssize_t w = write(c->wake[1], "x", 1);
		(void)w;
		pthread_join(c->reader, NULL);
	}
	S_close(&c->from_browser);
	S_close(&c->wake[0]);
	S_close(&c->wake[1]);
	while (c->events) {
		struct cdp_event *e = c->events;
		c->events = e->next;
		json_decref(e->params);
		free(e->session);
		free(e->method);
		free(e);
	}
	free(c->gone);
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->write_lock);
	pthread_cond_destroy(&c->changed);
	free(c);
}
