/* cmd_pdf.c - toivo pdf: build the site with its print pages into a folder
 * beside OUT, render every print page to PDF there, and only then swap the
 * result into OUT, so that a failed run leaves OUT as it was. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build.h"
#include "cmd.h"
#include "diag.h"
#include "pdf.h"
#include "util.h"

static int S_usage_error(const char *fmt, const char *a)
{
	fprintf(stderr, "toivo pdf: error: ");
	fprintf(stderr, fmt, a);
	fprintf(stderr, "; see 'toivo --help'\n");
	return 2;
}

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

int cmd_pdf(int argc, char **argv)
{
	struct build_opts o = { .root = ".", .pdf = true, .quiet = true };
	const char *out = NULL;
	enum pdf_engine engine = PDF_CHROMIUM;
	int jobs = cpu_count() >= 2 ? 2 : 1;
	bool quiet = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = !strcmp(a, "-s") || !strcmp(a, "--site") || !strcmp(a, "-o") || !strcmp(a, "--out") ||
			     !strcmp(a, "--engine") || !strcmp(a, "-j") || !strcmp(a, "--jobs");
		if (takes && !v)
			return S_usage_error("option '%s' needs a value", a);
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
				return S_usage_error("unknown engine '%s' (use chromium or weasyprint)", v);
		} else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
			jobs = atoi(v);
			if (jobs < 1)
				return S_usage_error("-j needs a number of at least 1, not '%s'", v);
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			quiet = true;
		} else {
			return S_usage_error("unknown option '%s'", a);
		}
		if (takes)
			i++;
	}

	struct pdf_tools tools;
	if (pdf_tools_find(&tools, engine) < 0) {
		pdf_tools_free(&tools);
		return 1;
	}
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
	rm_rf(tmp);     /* left by a killed run */
	o.out = tmp;
	if (build_run(&o) != 0) {
		fprintf(stderr, "toivo pdf: the site has problems (above); %s is unchanged\n", trimmed);
	} else if (pdf_render_site(&tools, tmp, jobs, quiet) < 0) {
		fprintf(stderr, "toivo pdf: error: not every PDF could be made (above); %s is unchanged\n", trimmed);
	} else if (S_swap(tmp, trimmed) == 0) {
		if (!quiet)
			fprintf(stderr, "toivo pdf: -> %s\n", trimmed);
		r = 0;
	}
	rm_rf(tmp);
	free(tmp);
	free(trimmed);
done:
	free(def);
	pdf_tools_free(&tools);
	return r;
}
