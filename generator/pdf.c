/* pdf.c - toivo pdf's run: the manifests, the cache, one browser and its
 * tabs (or WeasyPrint processes), progress, and stopping on SIGINT. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cdp.h"
#include "diag.h"
#include "pdf_cache.h"
#include "pdf_doc.h"
#include "pdf_toc.h"
#include "util.h"
#include "value.h"
#include "yamldoc.h"

extern char **environ;

#define PDF_MAX_PASSES 4        /* WeasyPrint renders of one document until the TOC agrees */

/* --- finding the programs ------------------------------------------------- */

/* The program named by the environment variable var, or the first of names
 * found on PATH; NULL when none. */
static char *S_find_exe(const char *var, const char *const *names)
{
	const char *v = getenv(var);
	if (v && *v)
		return access(v, X_OK) == 0 ? xstrdup(v) : NULL;
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (; *names; names++) {
		const char *p = path;
		while (1) {
			const char *end = strchr(p, ':');
			size_t n = end ? (size_t)(end - p) : strlen(p);
			if (n) {
				char *dir = xstrndup(p, n);
				char *f = path_join(dir, *names);
				free(dir);
				if (access(f, X_OK) == 0 && is_file(f))
					return f;
				free(f);
			}
			if (!end)
				break;
			p = end + 1;
		}
	}
	return NULL;
}

int pdf_tools_find(struct pdf_tools *t, enum pdf_engine engine)
{
	/* Chromium's headless shell first: the same engine and the same
	 * PDFs, without the full browser's windows, compositor and one
	 * print-compositor process per print (measured on the bundled
	 * course's 20 PDFs: 10 s of CPU instead of 20 s). */
	static const char *const chromium[] = { "chromium-headless-shell", "chromium", "chromium-browser", NULL };
	static const char *const weasy[] = { "weasyprint", NULL };
	static const char *const poppler[] = { "pdftohtml", NULL };
	memset(t, 0, sizeof *t);
	t->engine = engine;
	int r = 0;
	if (engine == PDF_CHROMIUM) {
		t->engine_path = S_find_exe("TOIVO_CHROMIUM", chromium);
		if (!t->engine_path) {
			diag_error("toivo pdf", 0, 0, "Chromium is not installed (no 'chromium-headless-shell' or 'chromium' on PATH%s); install it with: apt-get install chromium-headless-shell (or use --engine weasyprint)",
				   getenv("TOIVO_CHROMIUM") && *getenv("TOIVO_CHROMIUM") ? ", and TOIVO_CHROMIUM is not a program" : "");
			r = -1;
		}
	} else {
		t->engine_path = S_find_exe("TOIVO_WEASYPRINT", weasy);
		if (!t->engine_path) {
			diag_error("toivo pdf", 0, 0, "WeasyPrint is not installed (no 'weasyprint' on PATH%s); install it with: apt-get install weasyprint (or use --engine chromium)",
				   getenv("TOIVO_WEASYPRINT") && *getenv("TOIVO_WEASYPRINT") ? ", and TOIVO_WEASYPRINT is not a program" : "");
			r = -1;
		}
	}
	t->pdftohtml = S_find_exe("TOIVO_PDFTOHTML", poppler);
	if (!t->pdftohtml) {
		diag_error("toivo pdf", 0, 0, "pdftohtml is not installed (it reads the page numbers for the table of contents); install it with: apt-get install poppler-utils");
		r = -1;
	}
	return r;
}

void pdf_tools_free(struct pdf_tools *t)
{
	free(t->engine_path);
	free(t->pdftohtml);
	t->engine_path = t->pdftohtml = NULL;
}

/* --- stopping ----------------------------------------------------------------- */

static volatile sig_atomic_t S_stop;
static struct cdp *volatile S_cdp;      /* the browser of the run, while it lives */

void pdf_interrupt(void)
{
	S_stop = 1;
	struct cdp *c = S_cdp;
	if (c)
		cdp_interrupt(c);
}

bool pdf_stopping(void)
{
	return S_stop != 0;
}

/* --- running a program ------------------------------------------------------- */

static double S_now(void)
{
	return cdp_now();
}

/* The environment for a child: ours, with HOME and the XDG folders moved to
 * home so that nothing is written to the user's home. */
static char **S_env(const char *home)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = xcalloc(n + 4, sizeof *env);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (str_starts_with(environ[i], "HOME=") || str_starts_with(environ[i], "XDG_CONFIG_HOME=") ||
		    str_starts_with(environ[i], "XDG_CACHE_HOME="))
			continue;
		env[k++] = xstrdup(environ[i]);
	}
	env[k++] = xasprintf("HOME=%s", home);
	env[k++] = xasprintf("XDG_CONFIG_HOME=%s/.config", home);
	env[k++] = xasprintf("XDG_CACHE_HOME=%s/.cache", home);
	env[k] = NULL;
	return env;
}

static void S_env_free(char **env)
{
	for (size_t i = 0; env[i]; i++)
		free(env[i]);
	free(env);
}

int pdf_spawn(char *const argv[], const char *home, const char *out_path, const char *log_path, double timeout,
	      int *timed_out)
{
	*timed_out = 0;
	char **env = S_env(home);
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (out_path)
		posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	else
		posix_spawn_file_actions_adddup2(&fa, 2, 1);
	/* Its own process group: a Ctrl-C reaches toivo, which stops it. */
	posix_spawnattr_setpgroup(&at, 0);
	sigset_t def;
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	posix_spawnattr_setsigdefault(&at, &def);
	sigset_t none;
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	pid_t pid;
	int e = posix_spawn(&pid, argv[0], &fa, &at, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	S_env_free(env);
	if (e) {
		errno = e;
		return -1;
	}
	double deadline = S_now() + timeout;
	int st = 0;
	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			st = 0;
			break;
		}
		if ((S_now() > deadline && !*timed_out) || pdf_stopping()) {
			*timed_out = !pdf_stopping();
			kill(-pid, SIGKILL);
		}
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	/* Helpers it started and left behind go with it. */
	kill(-pid, SIGKILL);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* --- one document with WeasyPrint ------------------------------------------------ */

/* Shows the captured output of a failed child, a few lines of it. */
static void S_show_log(const char *log)
{
	char *text;
	size_t len;
	if (file_read(&text, &len, log) < 0)
		return;
	int lines = 0;
	for (char *l = text; *l && lines < 15;) {
		char *nl = strchr(l, '\n');
		if (nl)
			*nl = 0;
		if (*l) {
			diag_line("    %s\n", l);
			lines++;
		}
		if (!nl)
			break;
		l = nl + 1;
	}
	free(text);
}

/* Renders src (an HTML file) to pdf with WeasyPrint.  0, or -1 after
 * reporting. */
static int S_weasy_render(const struct pdf_run *run, const char *src, const char *pdf, const char *tmp,
			  const char *who)
{
	const struct pdf_tools *t = run->tools;
	char *log = path_join(tmp, "engine.log");
	unlink(pdf);
	char *argv[] = {
		t->engine_path, "--quiet", "--pdf-variant", "pdf/ua-1", "--", (char *)src, (char *)pdf, NULL,
	};
	int timed_out;
	/* WeasyPrint loads and prints in one go: as long as a print may take. */
	double limit = run->opts->timeout > 300 ? run->opts->timeout : 300;
	int r = pdf_spawn(argv, tmp, NULL, log, limit, &timed_out);
	struct stat st;
	int ok = r == 0 && stat(pdf, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
	if (!ok && !pdf_stopping()) {
		if (r < 0)
			diag_error(who, 0, 0, "cannot run %s: %s; check that it is installed", t->engine_path, strerror(errno));
		else if (timed_out)
			diag_error(who, 0, 0, "%s did not finish in %.0f s and was stopped; simplify the page or try --engine chromium",
				   t->engine_path, limit);
		else
			diag_error(who, 0, 0, "%s could not make the PDF (exit status %d); its output follows", t->engine_path, r);
		S_show_log(log);
	}
	free(log);
	return ok ? 0 : -1;
}

/* Reads the outline of pdf.  Returns the number of items, or -1 after
 * reporting. */
static long S_weasy_outline(const struct pdf_run *run, const char *pdf, const char *tmp, const char *who,
			    struct outline_item **items)
{
	*items = NULL;
	char *xml = path_join(tmp, "outline.xml");
	char *log = path_join(tmp, "pdftohtml.log");
	char *argv[] = { run->tools->pdftohtml, "-q", "-xml", "-i", "-stdout", (char *)pdf, NULL };
	int timed_out;
	int r = pdf_spawn(argv, tmp, xml, log, 300, &timed_out);
	long n = -1;
	char *text = NULL;
	size_t len;
	if (r != 0) {
		diag_error(who, 0, 0, "pdftohtml could not read %s (exit status %d); check poppler-utils", pdf, r);
		S_show_log(log);
	} else if (file_read(&text, &len, xml) < 0) {
		diag_error(who, 0, 0, "cannot read the output of pdftohtml: %s", strerror(errno));
	} else {
		n = (long)pdf_outline_parse(items, text, len);
	}
	free(text);
	free(log);
	free(xml);
	return n;
}

/* One print page with WeasyPrint, with as many passes as the TOC needs:
 * the numbers go into a copy of the page beside it (so that its relative
 * links still work). */
static int S_weasy_item(struct pdf_run *run, struct pdf_item *it)
{
	char *src = path_join(run->dir, it->html);
	char *pdf = path_join(run->dir, it->pdf);
	char *abs = realpath(src, NULL);
	const char *who = it->html;
	char *html = NULL, *copy = NULL;
	size_t len = 0;
	char *tmp = xasprintf("%s/w%zu", run->tmp, (size_t)(it - run->items));
	bool have_tmp = false;
	struct toc toc = { 0 };
	int r = -1;
	if (!abs || file_read(&html, &len, abs) < 0) {
		diag_error(who, 0, 0, "the print page is missing: %s; rebuild, or report a bug in toivo", strerror(errno));
		goto done;
	}
	if (mkdir_p(tmp) < 0) {
		diag_error(who, 0, 0, "cannot make a work folder %s: %s", tmp, strerror(errno));
		goto done;
	}
	have_tmp = true;
	char *pdir = path_dir(pdf);
	mkdir_p(pdir);
	free(pdir);
	char *dir = path_dir(abs);
	copy = xasprintf("%s/.toivo-render-%d-%zu.html", dir, (int)getpid(), (size_t)(it - run->items));
	free(dir);
	/* WeasyPrint does not say which files it read, so its PDFs cannot
	 * be kept with a key that is sure to change with them. */
	it->no_cache = true;
	pdf_toc_read(&toc, html, len);
	it->toc_n = toc.n;
	for (it->passes = 1; it->passes <= PDF_MAX_PASSES && !pdf_stopping(); it->passes++) {
		char *text = pdf_toc_fill(html, len, &toc, it->title);
		int w = file_write_atomic(copy, text, strlen(text));
		free(text);
		if (w < 0) {
			diag_error(who, 0, 0, "cannot write %s: %s", copy, strerror(errno));
			goto done;
		}
		if (S_weasy_render(run, copy, pdf, tmp, who) < 0)
			goto done;
		if (!toc.n) {
			r = 0;
			break;
		}
		struct outline_item *ol;
		long n = S_weasy_outline(run, pdf, tmp, who, &ol);
		if (n < 0)
			goto done;
		size_t same = pdf_toc_update(&toc, ol, (size_t)n);
		it->toc_ok = same;
		if (same == toc.n) {
			r = 0;
			break;
		}
	}
	if (r < 0 && it->passes > PDF_MAX_PASSES) {
		it->passes = PDF_MAX_PASSES;
		diag_warn(who, 0, 0, "the table of contents' page numbers did not settle after %d passes; some may be off by a page",
			  PDF_MAX_PASSES);
		r = 0;
	}
done:
	if (copy)
		unlink(copy);
	if (have_tmp)
		rm_rf(tmp);
	free(tmp);
	pdf_toc_free(&toc);
	free(copy);
	free(html);
	free(abs);
	free(pdf);
	free(src);
	return r;
}

/* --- progress ----------------------------------------------------------------------- */

/* One line per finished document; on a terminal, a live [done/all]
 * counter below them (diag's status line).  Called with run->lock held. */
static void S_progress(struct pdf_run *run, const struct pdf_item *it)
{
	if (run->opts->quiet)
		return;
	if (it) {
		struct stat st;
		char *path = path_join(run->dir, it->pdf);
		double mb = stat(path, &st) == 0 ? st.st_size / 1048576.0 : 0;
		free(path);
		if (it->failed)
			diag_line("toivo pdf: %s  failed (above)\n", it->pdf);
		else if (it->cached)
			diag_line("toivo pdf: %s  unchanged, %.1f MB\n", it->pdf, mb);
		else if (it->toc_n)
			diag_line("toivo pdf: %s  %.1f s, %d prints, TOC %zu/%zu, %.1f MB\n", it->pdf, it->seconds,
				  it->passes, it->toc_ok, it->toc_n, mb);
		else
			diag_line("toivo pdf: %s  %.1f s, %.1f MB\n", it->pdf, it->seconds, mb);
	}
	if (run->done < run->n)
		diag_progress(1, "toivo pdf: [%zu/%zu]", run->done, run->n);
}

static void S_finish(struct pdf_run *run, struct pdf_item *it)
{
	pthread_mutex_lock(&run->lock);
	if (it->error)
		diag_error(it->html, 0, 0, "%s", it->error);
	for (size_t i = 0; i < it->n_blocked; i++)
		diag_warn(it->html, 0, 0, "blocked a request for %s: a PDF may load files of the output only; if the page is meant to load from that host, name it in pdf.allow_remote in site.yaml",
			  it->blocked[i]);
	run->done++;
	S_progress(run, it);
	pthread_mutex_unlock(&run->lock);
}

/* --- the documents ---------------------------------------------------------------- */

static void *S_worker(void *arg)
{
	struct pdf_run *run = ((void **)arg)[0];
	int slot = (int)(size_t)((void **)arg)[1];
	for (;;) {
		pthread_mutex_lock(&run->lock);
		size_t k = run->next++;
		pthread_mutex_unlock(&run->lock);
		if (k >= run->n_order || pdf_stopping())
			break;
		struct pdf_item *it = &run->items[run->order[k]];
		double t0 = S_now();
		int r = run->tools->engine == PDF_CHROMIUM ? pdf_chromium_item(run, it, slot) : S_weasy_item(run, it);
		it->seconds = S_now() - t0;
		it->failed = r < 0;
		if (pdf_stopping())
			break;
		if (r == 0 && run->opts->cache_dir)
			pdf_cache_put(run, it);
		S_finish(run, it);
	}
	return NULL;
}

static char *S_field(const struct value *m, const char *key)
{
	const char *s = value_string(value_get(m, key));
	return s ? xstrdup(s) : NULL;
}

/* A path of a manifest that stays inside the output and ends as it should. */
static bool S_safe(const char *p, const char *suffix)
{
	if (!p || !str_ends_with(p, suffix))
		return false;
	char *n = path_normalize(p);
	bool ok = n && *n && !strcmp(n, p);
	free(n);
	return ok;
}

/* Adds the entries of DIR/name to run.  0, or -1 after reporting; a
 * missing file is an error only when required. */
static int S_manifest(struct pdf_run *run, size_t *cap, const char *name, bool required)
{
	char *mpath = path_join(run->dir, name);
	struct value *m = NULL;
	int r = 0;
	if (!is_file(mpath)) {
		if (required) {
			diag_error(mpath, 0, 0, "the build wrote no %s, so there are no print pages to render; report this as a bug in toivo", name);
			r = -1;
		}
		goto out;
	}
	if (yamldoc_load(&m, mpath) < 0) {
		r = -1;
		goto out;
	}
	if (m->kind != V_LIST) {
		diag_error(mpath, 0, 0, "%s is not a list; report this as a bug in toivo", name);
		r = -1;
		goto out;
	}
	for (size_t i = 0; i < m->u.list.n; i++) {
		const struct value *e = m->u.list.items[i];
		run->items = xgrow(run->items, cap, run->n, sizeof *run->items);
		struct pdf_item *it = &run->items[run->n++];
		memset(it, 0, sizeof *it);
		it->lang = S_field(e, "lang");
		it->kind = S_field(e, "kind");
		it->title = S_field(e, "title");
		it->html = S_field(e, "html");
		it->pdf = S_field(e, "pdf");
		if (!S_safe(it->html, ".html") || !S_safe(it->pdf, ".pdf") || !it->title) {
			diag_error(mpath, e->line, e->col, "entry %zu needs \"title\", \"html\" and \"pdf\" paths inside the output; report this as a bug in toivo",
				   i + 1);
			r = -1;
		}
	}
out:
	value_free(m);
	free(mpath);
	return r;
}

static void S_item_free(struct pdf_item *it)
{
	free(it->lang);
	free(it->kind);
	free(it->title);
	free(it->html);
	free(it->pdf);
	for (size_t i = 0; i < it->n_deps; i++)
		free(it->deps[i]);
	free(it->deps);
	for (size_t i = 0; i < it->n_blocked; i++)
		free(it->blocked[i]);
	free(it->blocked);
	for (size_t i = 0; i < it->n_pending; i++) {
		free(it->pending[i].id);
		free(it->pending[i].url);
	}
	free(it->pending);
	free(it->session);
	free(it->error);
}

size_t pdf_keep_list(struct pdf_kept **out, const char *dir, const char *cache_dir,
		     char *const *allow, size_t n_allow, bool (*has)(void *ud, const char *rel), void *ud)
{
	struct pdf_opts opts = { .cache_dir = cache_dir, .allow_remote = (char **)allow, .n_allow = n_allow };
	struct pdf_run run = { .opts = &opts, .dir = dir, .has = has, .has_ud = ud };
	size_t cap = 0;
	*out = NULL;
	char *mpath = path_join(dir, "print.json");
	bool there = is_file(mpath);
	free(mpath);
	if (!there || S_manifest(&run, &cap, "print.json", false) < 0 || !run.n) {
		for (size_t i = 0; i < run.n; i++)
			S_item_free(&run.items[i]);
		free(run.items);
		return 0;
	}
	struct pdf_kept *k = xcalloc(run.n, sizeof *k);
	for (size_t i = 0; i < run.n; i++) {
		k[i].cached = pdf_cache_find(&run, &run.items[i]);
		k[i].html = run.items[i].html;
		k[i].pdf = run.items[i].pdf;
		run.items[i].html = run.items[i].pdf = NULL;
		S_item_free(&run.items[i]);
	}
	free(run.items);
	*out = k;
	return run.n;
}

void pdf_kept_free(struct pdf_kept *k, size_t n)
{
	for (size_t i = 0; k && i < n; i++) {
		free(k[i].html);
		free(k[i].pdf);
		free(k[i].cached);
	}
	free(k);
}

long pdf_render_site(size_t *failed, const struct pdf_tools *t, const char *dir, const struct pdf_opts *opts)
{
	struct pdf_run run = { .tools = t, .opts = opts, .dir = dir };
	size_t cap = 0;
	long made = -1;
	*failed = 0;
	pthread_mutex_init(&run.lock, NULL);
	double t0 = S_now();
	run.t0 = t0;
	if (S_manifest(&run, &cap, "print.json", true) < 0 || S_manifest(&run, &cap, "slides.json", false) < 0)
		goto out;
	run.dir_real = realpath(dir, NULL);
	/* The work folder (the browser's profile, outlines) in TMPDIR. */
	const char *tdir = getenv("TMPDIR");
	run.tmp = xasprintf("%s/toivo-pdf-XXXXXX", tdir && *tdir ? tdir : "/tmp");
	if (!run.dir_real || !mkdtemp(run.tmp)) {
		diag_error(dir, 0, 0, "cannot make a work folder in %s: %s", tdir && *tdir ? tdir : "/tmp", strerror(errno));
		free(run.tmp);
		run.tmp = NULL;
		goto out;
	}
	/* What is unchanged comes from the cache at once; the rest is made
	 * biggest first, so that the last document to finish is a small one. */
	size_t todo = 0;
	run.order = xcalloc(run.n + 1, sizeof *run.order);
	for (size_t i = 0; i < run.n; i++) {
		struct pdf_item *it = &run.items[i];
		it->cached = opts->cache_dir && !opts->force && pdf_cache_get(&run, it) == 1;
		if (it->cached) {
			run.done++;
			S_progress(&run, it);
			continue;
		}
		struct stat st;
		char *src = path_join(dir, it->html);
		it->size = stat(src, &st) == 0 ? (long long)st.st_size : 0;
		free(src);
		size_t k = todo++;
		while (k > 0 && run.items[run.order[k - 1]].size < it->size) {
			run.order[k] = run.order[k - 1];
			k--;
		}
		run.order[k] = i;
	}
	run.n_order = todo;
	diag_progress_begin(opts->quiet ? 0 : -1);
	if (todo)
		S_progress(&run, NULL);         /* the counter, on a terminal */
	int jobs = opts->jobs < 1 ? 1 : opts->jobs;
	if ((size_t)jobs > todo)
		jobs = todo ? (int)todo : 1;
	if (todo && t->engine == PDF_CHROMIUM) {
		char *profile = path_join(run.tmp, "profile");
		char *err = NULL;
		double ts = S_now();
		int started = cdp_start(&run.cdp, &err, t->engine_path, profile, pdf_chromium_hook, &run);
		pdf_profile(&run, "chromium", "started", ts);
		if (started < 0) {
			if (!pdf_stopping())
				diag_error("toivo pdf", 0, 0, "Chromium (%s) did not start: %s", t->engine_path, err);
			free(err);
			free(profile);
			*failed = todo;
			goto out;
		}
		free(profile);
		S_cdp = run.cdp;
		pdf_chromium_first_tab(&run);
		if (pdf_stopping())
			cdp_interrupt(run.cdp);
	}
	if (todo) {
		run.tabs = xcalloc((size_t)jobs, sizeof *run.tabs);
		run.n_tabs = (size_t)jobs;
		pthread_t *th = xcalloc((size_t)jobs, sizeof *th);
		void *(*args)[2] = xcalloc((size_t)jobs, sizeof *args);
		bool *up = xcalloc((size_t)jobs, sizeof *up);
		for (int i = 0; i < jobs; i++) {
			args[i][0] = &run;
			args[i][1] = (void *)(size_t)i;
		}
		/* The workers leave Ctrl-C to the main thread, whose handler
		 * may then touch the browser safely. */
		sigset_t block, old;
		sigemptyset(&block);
		sigaddset(&block, SIGINT);
		sigaddset(&block, SIGTERM);
		pthread_sigmask(SIG_BLOCK, &block, &old);
		for (int i = 1; i < jobs; i++)
			up[i] = pthread_create(&th[i], NULL, S_worker, args[i]) == 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		S_worker(args[0]);
		for (int i = 1; i < jobs; i++)
			if (up[i])
				pthread_join(th[i], NULL);
		free(up);
		free(args);
		free(th);
	}
	made = 0;
	size_t cached = 0;
	for (size_t i = 0; i < run.n; i++) {
		struct pdf_item *it = &run.items[i];
		if (it->failed || (!it->cached && !it->passes))
			(*failed)++;
		else
			made++;
		cached += it->cached;
	}
	if (pdf_stopping())
		made = -1;
	if (!opts->quiet && made >= 0)       /* diag_line clears the counter first */
		diag_line("toivo pdf: %ld of %zu PDFs in %.1f s (%zu unchanged; %s, %d at once)\n", made, run.n,
			S_now() - t0, cached, t->engine == PDF_CHROMIUM ? "chromium" : "weasyprint", jobs);
out:
	diag_progress_end();      /* also after a failure (idempotent) */
	for (size_t i = 0; i < run.n_tabs; i++) {
		free(run.tabs[i].target);
		free(run.tabs[i].session);
	}
	free(run.tabs);
	free(run.first_tab);
	S_cdp = NULL;
	cdp_free(run.cdp);
	if (run.tmp)
		rm_rf(run.tmp);
	free(run.tmp);
	free(run.dir_real);
	for (size_t i = 0; i < run.n; i++)
		S_item_free(&run.items[i]);
	free(run.items);
	free(run.order);
	pthread_mutex_destroy(&run.lock);
	return made;
}
