/* pdf.c - print pages to PDF: child processes, the outline, the TOC pass. */
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
#include "diag.h"
#include "pdf.h"
#include "util.h"
#include "value.h"
#include "yamldoc.h"

extern char **environ;

#define PDF_TIMEOUT_S 120       /* one render or one pdftohtml run */
#define PDF_MAX_PASSES 4        /* renders of one document until the TOC agrees */

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
	static const char *const chromium[] = { "chromium", "chromium-browser", NULL };
	static const char *const weasy[] = { "weasyprint", NULL };
	static const char *const poppler[] = { "pdftohtml", NULL };
	memset(t, 0, sizeof *t);
	t->engine = engine;
	int r = 0;
	if (engine == PDF_CHROMIUM) {
		t->engine_path = S_find_exe("TOIVO_CHROMIUM", chromium);
		if (!t->engine_path) {
			diag_error("toivo pdf", 0, 0, "Chromium is not installed (no 'chromium' on PATH%s); install it with: apt-get install chromium (or use --engine weasyprint)",
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

/* --- running a program ------------------------------------------------------- */

static double S_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
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

/* Runs argv in its own process group with stdout to out_path (or to
 * log_path when NULL) and stderr to log_path, killing the group after
 * PDF_TIMEOUT_S.  Returns the exit status, 128 + signal when killed, or -1
 * when it could not start (errno set). */
static int S_run(char *const argv[], char *const env[], const char *out_path, const char *log_path,
		 int *timed_out)
{
	*timed_out = 0;
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
	if (e) {
		errno = e;
		return -1;
	}
	double deadline = S_now() + PDF_TIMEOUT_S;
	int st = 0;
	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			st = 0;
			break;
		}
		if (S_now() > deadline && !*timed_out) {
			*timed_out = 1;
			kill(-pid, SIGKILL);
		}
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	/* Helpers Chromium started and left behind go with it. */
	kill(-pid, SIGKILL);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* --- text helpers ------------------------------------------------------------ */

/* Appends s[0..n) with tags removed, entities decoded and white space
 * collapsed to single spaces. */
static void S_plain(struct buf *b, const char *s, size_t n)
{
	static const struct { const char *name; const char *text; } ents[] = {
		{ "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" }, { "quot;", "\"" }, { "apos;", "'" },
		{ "nbsp;", " " },
	};
	bool space = b->len == 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '<') {
			const char *e = memchr(s + i, '>', n - i);
			if (!e)
				break;
			i = (size_t)(e - s);
			continue;
		}
		if (c == '&') {
			bool done = false;
			for (size_t k = 0; k < sizeof ents / sizeof ents[0] && !done; k++) {
				size_t l = strlen(ents[k].name);
				if (i + 1 + l <= n && !memcmp(s + i + 1, ents[k].name, l)) {
					c = ents[k].text[0];
					i += l;
					done = true;
				}
			}
			if (!done && i + 2 < n && s[i + 1] == '#') {
				char *end;
				long cp = s[i + 2] == 'x' || s[i + 2] == 'X' ? strtol(s + i + 3, &end, 16) : strtol(s + i + 2, &end, 10);
				if (*end == ';' && cp > 0 && cp < 0x110000) {
					i = (size_t)(end - s);
					if (cp == 0xa0)
						cp = ' ';
					if (cp < 0x80) {
						c = (char)cp;
					} else {
						char u[4];
						int k = 0;
						if (cp < 0x800) {
							u[k++] = (char)(0xc0 | (cp >> 6));
						} else if (cp < 0x10000) {
							u[k++] = (char)(0xe0 | (cp >> 12));
							u[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
						} else {
							u[k++] = (char)(0xf0 | (cp >> 18));
							u[k++] = (char)(0x80 | ((cp >> 12) & 0x3f));
							u[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
						}
						u[k++] = (char)(0x80 | (cp & 0x3f));
						buf_add(b, u, (size_t)k);
						space = false;
						continue;
					}
				}
			}
		}
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			if (!space)
				buf_putc(b, ' ');
			space = true;
			continue;
		}
		buf_putc(b, c);
		space = false;
	}
	while (b->len && b->data[b->len - 1] == ' ')
		buf_truncate(b, b->len - 1);
}

static const char *S_memmem(const char *h, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	if (h >= end)
		return NULL;
	return memmem(h, (size_t)(end - h), needle, n);
}

/* --- the table of contents ---------------------------------------------------- */

struct toc_entry {
	char *id;
	char *title;    /* the target's heading as plain text */
	int page;       /* 0 = not known */
};

struct toc {
	struct toc_entry *e;
	size_t n, cap;
};

static void S_toc_free(struct toc *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->e[i].id);
		free(t->e[i].title);
	}
	free(t->e);
	t->e = NULL;
	t->n = t->cap = 0;
}

/* The plain text of the first heading at or after the element with id. */
static char *S_heading_of(const char *html, size_t len, const char *id)
{
	char *pat = xasprintf(" id=\"%s\"", id);
	const char *end = html + len;
	const char *p = S_memmem(html, end, pat);
	free(pat);
	if (!p)
		return NULL;
	/* The id may be on the heading itself or on its section. */
	const char *tag = p;
	while (tag > html && *tag != '<')
		tag--;
	for (const char *h = tag; h && h < end; h = S_memmem(h + 1, end, "<h")) {
		if (h[2] < '1' || h[2] > '6')
			continue;
		const char *open_end = memchr(h, '>', (size_t)(end - h));
		char close[6] = { '<', '/', 'h', h[2], '>', 0 };
		const char *c = open_end ? S_memmem(open_end, end, close) : NULL;
		if (!c)
			return NULL;
		struct buf b = BUF_INIT;
		S_plain(&b, open_end + 1, (size_t)(c - open_end - 1));
		return buf_detach(&b, NULL);
	}
	return NULL;
}

/* Collects the span.toc-page[data-for] of html, each with its target's
 * heading (or, failing that, the link text before it). */
static void S_toc_read(struct toc *t, const char *html, size_t len)
{
	const char *end = html + len;
	static const char mark[] = "class=\"toc-page\" data-for=\"";
	for (const char *p = S_memmem(html, end, mark); p; p = S_memmem(p + 1, end, mark)) {
		const char *id = p + sizeof mark - 1;
		const char *q = memchr(id, '"', (size_t)(end - id));
		if (!q || q == id)
			continue;
		struct toc_entry e = { xstrndup(id, (size_t)(q - id)), NULL, 0 };
		e.title = S_heading_of(html, len, e.id);
		if (!e.title) {
			/* The link text of <a href="#ID">...</a> before the span. */
			char *pat = xasprintf("href=\"#%s\"", e.id);
			const char *a = S_memmem(html, p, pat);
			free(pat);
			const char *gt = a ? memchr(a, '>', (size_t)(p - a)) : NULL;
			const char *ca = gt ? S_memmem(gt, p, "</a>") : NULL;
			struct buf b = BUF_INIT;
			if (ca)
				S_plain(&b, gt + 1, (size_t)(ca - gt - 1));
			e.title = buf_detach(&b, NULL);
		}
		t->e = xgrow(t->e, &t->cap, t->n, sizeof *t->e);
		t->e[t->n++] = e;
	}
}

struct outline_item {
	int page;
	char *text;
};

/* Reads the outline items of pdftohtml -xml output, in document order. */
static size_t S_outline_parse(struct outline_item **out, const char *xml, size_t len)
{
	size_t n = 0, cap = 0;
	struct outline_item *items = NULL;
	const char *end = xml + len;
	const char *o = S_memmem(xml, end, "<outline>");
	static const char mark[] = "<item page=\"";
	for (const char *p = o ? S_memmem(o, end, mark) : NULL; p; p = S_memmem(p + 1, end, mark)) {
		int page = atoi(p + sizeof mark - 1);
		const char *gt = memchr(p, '>', (size_t)(end - p));
		const char *ce = gt ? S_memmem(gt, end, "</item>") : NULL;
		if (!ce)
			break;
		struct buf b = BUF_INIT;
		S_plain(&b, gt + 1, (size_t)(ce - gt - 1));
		items = xgrow(items, &cap, n, sizeof *items);
		items[n].page = page;
		items[n].text = buf_detach(&b, NULL);
		n++;
	}
	*out = items;
	return n;
}

/* Sets each entry's page from the outline: the entries and the headings
 * are both in document order, so each entry takes the next outline item
 * with its text.  Returns the number of entries found. */
static size_t S_toc_match(struct toc *t, const struct outline_item *it, size_t n)
{
	size_t cur = 0, found = 0;
	for (size_t i = 0; i < t->n; i++) {
		t->e[i].page = 0;
		if (!t->e[i].title || !*t->e[i].title)
			continue;
		for (size_t k = cur; k < n; k++) {
			if (!strcmp(it[k].text, t->e[i].title)) {
				t->e[i].page = it[k].page;
				cur = k + 1;
				found++;
				break;
			}
		}
	}
	return found;
}

/* html with the numbers written into the toc-page spans and, when title is
 * given, the running header set. */
static char *S_fill(const char *html, size_t len, const struct toc *t, const char *title)
{
	struct buf b = BUF_INIT;
	const char *end = html + len;
	const char *p = html;
	if (title) {
		const char *h = S_memmem(html, end, "</head>");
		if (h) {
			buf_add(&b, html, (size_t)(h - html));
			/* Chromium has no string-set: the running header is the
			 * document's title, as a CSS string. */
			buf_puts(&b, "<style>@page { @top-center { content: \"");
			for (const char *s = title; *s; s++) {
				unsigned char c = (unsigned char)*s;
				if (c == '"' || c == '\\')
					buf_printf(&b, "\\%c", c);
				else if (c == '<' || c == '>' || c == '&' || c < 0x20)
					buf_printf(&b, "\\%x ", c);
				else
					buf_putc(&b, (char)c);
			}
			buf_puts(&b, "\" } } @page toivo-cover { @top-center { content: none } }</style>\n");
			p = h;
		}
	}
	static const char mark[] = "class=\"toc-page\" data-for=\"";
	size_t idx = 0;
	for (const char *m = S_memmem(p, end, mark); m; m = S_memmem(m + 1, end, mark)) {
		const char *gt = memchr(m, '>', (size_t)(end - m));
		const char *ce = gt ? S_memmem(gt, end, "</span>") : NULL;
		if (!ce)
			break;
		buf_add(&b, p, (size_t)(gt + 1 - p));
		if (idx < t->n && t->e[idx].page > 0)
			buf_printf(&b, "%d", t->e[idx].page);
		idx++;
		p = ce;
	}
	buf_add(&b, p, (size_t)(end - p));
	return buf_detach(&b, NULL);
}

/* --- one document ---------------------------------------------------------------- */

struct pdf_item {
	char *lang, *kind, *title, *html, *pdf;  /* as in print.json; paths relative to dir */
	int passes;             /* renders made */
	size_t toc_n, toc_ok;   /* TOC entries, and those that agree with the PDF */
	double seconds;
	int failed;
};

struct pdf_run {
	const struct pdf_tools *tools;
	const char *dir;
	struct pdf_item *items;
	size_t n;
	size_t next;
	pthread_mutex_t lock;
};

static char *S_file_url(const char *abs)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "file://");
	for (const unsigned char *s = (const unsigned char *)abs; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    strchr("/-._~", *s))
			buf_putc(&b, (char)*s);
		else
			buf_printf(&b, "%%%02X", *s);
	}
	return buf_detach(&b, NULL);
}

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
			fprintf(stderr, "    %s\n", l);
			lines++;
		}
		if (!nl)
			break;
		l = nl + 1;
	}
	free(text);
}

/* Renders src (an HTML file) to pdf.  0, or -1 after reporting. */
static int S_render(const struct pdf_tools *t, const char *src, const char *pdf, const char *tmp,
		    const char *who)
{
	char *url = S_file_url(src);
	char *log = path_join(tmp, "engine.log");
	char *profile = path_join(tmp, "profile");
	char *opt_profile = xasprintf("--user-data-dir=%s", profile);
	char *opt_out = xasprintf("--print-to-pdf=%s", pdf);
	char **env = S_env(tmp);
	unlink(pdf);
	int r, timed_out;
	if (t->engine == PDF_CHROMIUM) {
		char *argv[] = {
			t->engine_path, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
			"--generate-pdf-document-outline", "--export-tagged-pdf", "--no-first-run",
			"--disable-extensions", "--disable-background-networking", "--disable-sync",
			"--disable-dev-shm-usage", "--allow-file-access-from-files", "--run-all-compositor-stages-before-draw",
			opt_profile, opt_out, url, NULL,
		};
		r = S_run(argv, env, NULL, log, &timed_out);
	} else {
		char *argv[] = {
			t->engine_path, "--quiet", "--pdf-variant", "pdf/ua-1", "--", (char *)src, (char *)pdf, NULL,
		};
		r = S_run(argv, env, NULL, log, &timed_out);
	}
	int ok = r == 0 && is_file(pdf);
	if (ok) {
		struct stat st;
		ok = stat(pdf, &st) == 0 && st.st_size > 0;
	}
	if (!ok) {
		if (r < 0)
			diag_error(who, 0, 0, "cannot run %s: %s; check that it is installed", t->engine_path, strerror(errno));
		else if (timed_out)
			diag_error(who, 0, 0, "%s did not finish in %d s and was stopped; simplify the page or try --engine %s",
				   t->engine_path, PDF_TIMEOUT_S, t->engine == PDF_CHROMIUM ? "weasyprint" : "chromium");
		else
			diag_error(who, 0, 0, "%s could not make the PDF (exit status %d); its output follows", t->engine_path, r);
		S_show_log(log);
	}
	S_env_free(env);
	free(opt_out);
	free(opt_profile);
	free(profile);
	free(log);
	free(url);
	return ok ? 0 : -1;
}

/* Reads the outline of pdf.  Returns the number of items, or -1 after
 * reporting. */
static long S_outline(const struct pdf_tools *t, const char *pdf, const char *tmp, const char *who,
		      struct outline_item **items)
{
	*items = NULL;
	char *xml = path_join(tmp, "outline.xml");
	char *log = path_join(tmp, "pdftohtml.log");
	char **env = S_env(tmp);
	char *argv[] = { t->pdftohtml, "-q", "-xml", "-i", "-stdout", (char *)pdf, NULL };
	int timed_out;
	int r = S_run(argv, env, xml, log, &timed_out);
	long n = -1;
	char *text = NULL;
	size_t len;
	if (r != 0) {
		diag_error(who, 0, 0, "pdftohtml could not read %s (exit status %d); check poppler-utils", pdf, r);
		S_show_log(log);
	} else if (file_read(&text, &len, xml) < 0) {
		diag_error(who, 0, 0, "cannot read the output of pdftohtml: %s", strerror(errno));
	} else {
		n = (long)S_outline_parse(items, text, len);
	}
	free(text);
	S_env_free(env);
	free(log);
	free(xml);
	return n;
}

static void S_outline_free(struct outline_item *it, long n)
{
	for (long i = 0; i < n; i++)
		free(it[i].text);
	free(it);
}

/* Renders one print page, with as many passes as the TOC needs. */
static int S_item(const struct pdf_run *run, struct pdf_item *it)
{
	double t0 = S_now();
	char *src = path_join(run->dir, it->html);
	char *pdf = path_join(run->dir, it->pdf);
	char *abs = realpath(src, NULL);
	const char *who = it->html;  /* as the user sees it in OUT */
	char *html = NULL;
	size_t len = 0;
	char *copy = NULL;
	char tmp[] = "/tmp/toivo-pdf-XXXXXX";
	bool have_tmp = false;
	struct toc toc = { 0 };
	int r = -1;
	if (!abs || file_read(&html, &len, abs) < 0) {
		diag_error(who, 0, 0, "the print page listed in print.json is missing: %s; rebuild, or report a bug in toivo",
			   strerror(errno));
		goto done;
	}
	if (!mkdtemp(tmp)) {
		diag_error(who, 0, 0, "cannot make a temporary folder in /tmp: %s", strerror(errno));
		goto done;
	}
	have_tmp = true;
	char *pdir = path_dir(pdf);
	mkdir_p(pdir);
	free(pdir);
	/* The copy sits beside the page, so its relative links still work. */
	char *dir = path_dir(abs);
	copy = xasprintf("%s/.toivo-render-%d-%zu.html", dir, (int)getpid(), (size_t)(it - run->items));
	free(dir);
	S_toc_read(&toc, html, len);
	it->toc_n = toc.n;
	for (it->passes = 1; it->passes <= PDF_MAX_PASSES; it->passes++) {
		char *text = S_fill(html, len, &toc, it->title);
		int w = file_write_atomic(copy, text, strlen(text));
		free(text);
		if (w < 0) {
			diag_error(who, 0, 0, "cannot write %s: %s", copy, strerror(errno));
			goto done;
		}
		if (S_render(run->tools, copy, pdf, tmp, who) < 0)
			goto done;
		if (!toc.n) {
			r = 0;
			break;
		}
		struct outline_item *ol;
		long n = S_outline(run->tools, pdf, tmp, who, &ol);
		if (n < 0)
			goto done;
		/* Agreement: every number printed is the page the PDF has. */
		size_t same = 0;
		int *old = xcalloc(toc.n, sizeof *old);
		for (size_t i = 0; i < toc.n; i++)
			old[i] = toc.e[i].page;
		S_toc_match(&toc, ol, (size_t)n);
		S_outline_free(ol, n);
		for (size_t i = 0; i < toc.n; i++)
			same += old[i] == toc.e[i].page && old[i] > 0;
		free(old);
		it->toc_ok = same;
		if (same == toc.n) {
			r = 0;
			break;
		}
	}
	if (r < 0 && it->passes > PDF_MAX_PASSES) {
		it->passes = PDF_MAX_PASSES;
		size_t missing = 0;
		for (size_t i = 0; i < toc.n; i++)
			if (!toc.e[i].page) {
				if (!missing)
					diag_warn(who, 0, 0, "heading '%s' (#%s) of the table of contents is not in the PDF's outline; its page number is left out",
						  toc.e[i].title ? toc.e[i].title : "", toc.e[i].id);
				missing++;
			}
		if (!missing)
			diag_warn(who, 0, 0, "the table of contents' page numbers did not settle after %d passes; some may be off by a page",
				  PDF_MAX_PASSES);
		r = 0;
	}
done:
	if (copy)
		unlink(copy);
	if (have_tmp)
		rm_rf(tmp);
	S_toc_free(&toc);
	free(copy);
	free(html);
	free(abs);
	free(pdf);
	free(src);
	it->seconds = S_now() - t0;
	it->failed = r < 0;
	return r;
}

static void *S_worker(void *arg)
{
	struct pdf_run *run = arg;
	for (;;) {
		pthread_mutex_lock(&run->lock);
		size_t i = run->next++;
		pthread_mutex_unlock(&run->lock);
		if (i >= run->n)
			break;
		S_item(run, &run->items[i]);
	}
	return NULL;
}

/* --- the manifest ---------------------------------------------------------------- */

static char *S_field(const struct value *m, const char *key)
{
	const char *s = value_string(value_get(m, key));
	return s ? xstrdup(s) : NULL;
}

/* A path of print.json that stays inside the output and ends as it should. */
static bool S_safe(const char *p, const char *suffix)
{
	if (!p || !str_ends_with(p, suffix))
		return false;
	char *n = path_normalize(p);
	bool ok = n && *n && !strcmp(n, p);
	free(n);
	return ok;
}

int pdf_render_site(const struct pdf_tools *t, const char *dir, int jobs, int quiet)
{
	char *mpath = path_join(dir, "print.json");
	struct value *m = NULL;
	if (!is_file(mpath)) {
		diag_error(mpath, 0, 0, "the build wrote no print.json, so there are no print pages to render; report this as a bug in toivo");
		free(mpath);
		return -1;
	}
	if (yamldoc_load(&m, mpath) < 0) {
		free(mpath);
		return -1;
	}
	int r = 0;
	struct pdf_run run = { .tools = t, .dir = dir };
	if (m->kind != V_LIST) {
		diag_error(mpath, 0, 0, "print.json is not a list; report this as a bug in toivo");
		r = -1;
		goto out;
	}
	run.items = xcalloc(m->u.list.n + 1, sizeof *run.items);
	for (size_t i = 0; i < m->u.list.n; i++) {
		const struct value *e = m->u.list.items[i];
		struct pdf_item *it = &run.items[run.n++];
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
	if (r < 0)
		goto out;
	if (jobs < 1)
		jobs = 1;
	if ((size_t)jobs > run.n)
		jobs = run.n ? (int)run.n : 1;
	pthread_mutex_init(&run.lock, NULL);
	double t0 = S_now();
	pthread_t *th = xcalloc((size_t)jobs, sizeof *th);
	int started = 0;
	for (int i = 1; i < jobs; i++)
		if (pthread_create(&th[i], NULL, S_worker, &run) == 0)
			started = i;
	S_worker(&run);
	for (int i = 1; i <= started; i++)
		pthread_join(th[i], NULL);
	free(th);
	pthread_mutex_destroy(&run.lock);
	size_t failed = 0;
	for (size_t i = 0; i < run.n; i++) {
		struct pdf_item *it = &run.items[i];
		failed += it->failed;
		if (!quiet && !it->failed) {
			if (it->toc_n)
				fprintf(stderr, "toivo pdf: %s  %.1f s, %d passes, TOC %zu/%zu\n", it->pdf, it->seconds,
					it->passes, it->toc_ok, it->toc_n);
			else
				fprintf(stderr, "toivo pdf: %s  %.1f s\n", it->pdf, it->seconds);
		}
	}
	if (failed)
		r = -1;
	else if (!quiet)
		fprintf(stderr, "toivo pdf: %zu PDFs in %.1f s (%s, %d at once)\n", run.n, S_now() - t0,
			t->engine == PDF_CHROMIUM ? "chromium" : "weasyprint", jobs);
out:
	for (size_t i = 0; i < run.n; i++) {
		free(run.items[i].lang);
		free(run.items[i].kind);
		free(run.items[i].title);
		free(run.items[i].html);
		free(run.items[i].pdf);
	}
	free(run.items);
	value_free(m);
	free(mpath);
	return r;
}
