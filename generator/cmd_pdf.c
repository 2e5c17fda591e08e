/* cmd_pdf.c - toivo pdf: build the site with its print pages into a folder
 * beside OUT, make every PDF there, and only then swap the result into OUT,
 * so that a failed run leaves OUT as it was.  When some documents fail and
 * others are made, the others are kept (and the run exits 1): the failed
 * ones are named, and the cache makes the next run redo only them.
 * SIGINT and SIGTERM close the browser, remove the work folder and leave
 * OUT as it was. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build.h"
#include "cmd.h"
#include "diag.h"
#include "hooks.h"
#include "output.h"
#include "pdf.h"
#include "util.h"
#include "value.h"
#include "yamldoc.h"

#define PDF_TIMEOUT_DEFAULT 60
#define PDF_TIMEOUT_MIN 2
#define PDF_TIMEOUT_MAX 600

/* Swaps the finished tree tmp into out; the old out is removed. */
static int S_swap(const char *tmp, const char *out)
{
	if (is_dir(out)) {
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, out, RENAME_EXCHANGE) < 0) {
			diag_error(out, 0, 0, "cannot replace the output folder: %s; check that its folder is writable", strerror(errno));
			return -1;
		}
		rm_rf(tmp);     /* the previous output */
		return 0;
	}
	if (rename(tmp, out) < 0) {
		diag_error(out, 0, 0, "cannot create the output folder: %s; check that its folder is writable", strerror(errno));
		return -1;
	}
	return 0;
}

static void S_on_signal(int sig)
{
	(void)sig;
	pdf_interrupt();
	hooks_interrupt();      /* the build before the prints stops too */
}

/* Reads the pdf: section of site.yaml into opts (allow_remote, timeout).
 * 0, or -1 after reporting. */
static int S_config(struct pdf_opts *opts, struct value **cfg, const char *root)
{
	char *path = path_join(root, "site.yaml");
	int r = 0;
	*cfg = NULL;
	if (is_file(path) && yamldoc_load(cfg, path) < 0)
		r = -1;
	const struct value *p = *cfg ? value_get(*cfg, "pdf") : NULL;
	const struct value *t = p ? value_get(p, "timeout") : NULL;
	if (t && (t->kind != V_NUM || t->u.n < PDF_TIMEOUT_MIN || t->u.n > PDF_TIMEOUT_MAX)) {
		diag_error("site.yaml", t->line, t->col, "pdf.timeout must be a number of seconds from %d to %d", PDF_TIMEOUT_MIN,
			   PDF_TIMEOUT_MAX);
		r = -1;
	} else if (t) {
		opts->timeout = t->u.n;
	}
	const struct value *a = p ? value_get(p, "allow_remote") : NULL;
	if (a && a->kind == V_LIST) {
		opts->allow_remote = xcalloc(a->u.list.n + 1, sizeof *opts->allow_remote);
		for (size_t i = 0; i < a->u.list.n; i++) {
			const char *h = value_string(a->u.list.items[i]);
			if (!h || !*h || strpbrk(h, "/:?#@ ")) {
				diag_error("site.yaml", a->u.list.items[i]->line, a->u.list.items[i]->col,
					   "pdf.allow_remote lists host names (like example.org), not URLs");
				r = -1;
				continue;
			}
			opts->allow_remote[opts->n_allow++] = xstrdup(h);
		}
	} else if (a) {
		diag_error("site.yaml", a->line, a->col, "pdf.allow_remote must be a list of host names");
		r = -1;
	}
	free(path);
	return r;
}

int cmd_pdf(int argc, char **argv)
{
	struct build_opts o = { .root = ".", .pdf = true, .quiet = true };
	const char *out = NULL;
	enum pdf_engine engine = PDF_CHROMIUM;
	int ncpu = cpu_count();
	/* Two tabs at least (one waits for fonts while the other prints);
	 * more than four gain little, as Chromium's own threads fill the cores. */
	struct pdf_opts opts = { .jobs = ncpu < 2 ? 2 : ncpu > 4 ? 4 : ncpu, .timeout = PDF_TIMEOUT_DEFAULT };
	bool quiet = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = !strcmp(a, "-s") || !strcmp(a, "--site") || !strcmp(a, "-o") || !strcmp(a, "--out") ||
			     !strcmp(a, "--engine") || !strcmp(a, "-j") || !strcmp(a, "--jobs");
		if (takes && !v)
			return diag_usage("pdf", "option '%s' needs a value", a), 2;
		if (!strcmp(a, "-s") || !strcmp(a, "--site")) {
			o.root = v;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--out")) {
			out = v;
		} else if (!strcmp(a, "--engine")) {
			if (!strcmp(v, "chromium"))
				engine = PDF_CHROMIUM;
			else if (!strcmp(v, "weasyprint"))
				engine = PDF_WEASYPRINT;
			else
				return diag_usage("pdf", "unknown engine '%s' (use chromium or weasyprint)", v), 2;
		} else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
			opts.jobs = atoi(v);
			if (opts.jobs < 1)
				return diag_usage("pdf", "-j needs a number of at least 1, not '%s'", v), 2;
		} else if (!strcmp(a, "-f") || !strcmp(a, "--force")) {
			opts.force = true;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			quiet = true;
		} else {
			return diag_usage("pdf", "unknown option '%s'", a), 2;
		}
		if (takes)
			i++;
	}

	opts.quiet = quiet;
	struct pdf_tools tools;
	struct value *cfg = NULL;
	if (pdf_tools_find(&tools, engine) < 0 || S_config(&opts, &cfg, o.root) < 0) {
		pdf_tools_free(&tools);
		value_free(cfg);
		for (size_t i = 0; i < opts.n_allow; i++)
			free(opts.allow_remote[i]);
		free(opts.allow_remote);
		return 1;
	}
	/* The cache lives in the site, beside its sources (and is ignored by
	 * git): it holds what each PDF was made from. */
	char *cache = path_join(o.root, ".toivo-cache/pdf");
	opts.cache_dir = cache;
	struct sigaction sa = { 0 }, old_int, old_term;
	sa.sa_handler = S_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	char *def = out ? NULL : path_join(o.root, "public");
	if (!out)
		out = def;
	int r = 1;
	struct stat st;
	if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode)) {
		diag_error(out, 0, 0, "the output path is a file, not a folder; remove it or choose another with -o");
		goto done;
	}
	/* The whole run happens in a folder beside OUT (same file system,
	 * so the swap is one rename). */
	char *trimmed = xstrdup(out);
	size_t tl = strlen(trimmed);
	while (tl > 1 && trimmed[tl - 1] == '/')
		trimmed[--tl] = 0;
	char *parent = path_dir(trimmed);
	const char *base = strrchr(trimmed, '/');
	base = base ? base + 1 : trimmed;
	char *tmp = xasprintf("%s%s.%s.toivo-pdf", parent, *parent ? "/" : "", base);
	free(parent);
	/* One run at a time per output, as for build and serve: the work
	 * folder and the swap belong to the run that holds OUT's lock. */
	char *site_cache = output_cache_dir(o.root);
	struct output_lock *lock = output_lock_take(site_cache, trimmed);
	free(site_cache);
	if (!lock) {
		free(tmp);
		free(trimmed);
		goto done;
	}
	rm_rf(tmp);     /* left by a killed run */
	o.out = tmp;
	size_t failed = 0;
	long made = -1;
	struct build *kept = NULL;
	if (build_run_keep(&o, &kept) != 0) {
		diag_line("toivo pdf: the site has problems (above); %s is unchanged\n", trimmed);
	} else if (pdf_stopping()) {
		;
	} else if ((made = pdf_render_site(&failed, &tools, tmp, &opts)) <= 0 && (failed || made < 0)) {
		if (!pdf_stopping())
			diag_error(trimmed, 0, 0, "no PDF could be made (above); the folder is unchanged");
	} else if (pdf_stopping()) {
		;
	} else if (build_link_pdfs(kept) < 0) {
		diag_error(trimmed, 0, 0, "the pages could not link their PDFs (above); the folder is unchanged");
	} else if (S_swap(tmp, trimmed) == 0) {
		if (failed)
			diag_error(trimmed, 0, 0, "%zu of %zu PDFs could not be made (above); the others are in this folder",
				   failed, failed + (size_t)made);
		else if (!quiet)
			diag_line("toivo pdf: -> %s\n", trimmed);
		r = failed ? 1 : 0;
	}
	build_free(kept);
	rm_rf(tmp);
	output_lock_release(lock);
	if (pdf_stopping()) {
		diag_line("toivo pdf: stopped; %s is unchanged\n", trimmed);
		r = 130;
	}
	free(tmp);
	free(trimmed);
done:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	free(cache);
	free(def);
	value_free(cfg);
	for (size_t i = 0; i < opts.n_allow; i++)
		free(opts.allow_remote[i]);
	free(opts.allow_remote);
	pdf_tools_free(&tools);
	return r;
}
