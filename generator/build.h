/* build.h - one build of a site: load, relate, render in parallel, write
 * the output whole or not at all. */
#ifndef TOIVO_BUILD_H
#define TOIVO_BUILD_H

#include <stdbool.h>

struct buf;

struct build_opts {
	const char *root;       /* the site's folder */
	const char *out;        /* the output folder */
	const char *cache;      /* the cache folder; NULL: the site's .toivo-cache */
	int jobs;               /* worker threads; 0 = one per core */
	bool check;             /* toivo check: links and translations are checked, problems are errors */
	bool serve;             /* add the live-reload script */
	bool quiet;             /* no summary line */
	bool no_progress;       /* no status line on a terminal (--quiet) */
	bool pdf;               /* toivo pdf: decks link to the PDFs it makes */
};

/* Builds the site.  Returns 0, or 1 when problems were reported (the
 * previous output is then left exactly as it was). */
int build_run(const struct build_opts *o);

/* What a build made, kept by toivo serve to render single pages again. */
struct build;
/* Like build_run; after a build without errors, *keep holds what it made
 * (o must outlive it), else NULL.  A build kept before is freed first. */
int build_run_keep(const struct build_opts *o, struct build **keep);
/* Renders again the edited pages srcs[0..n) ("content/x.fi.md") of a kept
 * build when only their bodies changed, and replaces their pages in the
 * output (build_opts.out), each file whole.  Returns 0 when done, with the
 * number of files replaced in *changed; -1 when the whole site must be
 * built again (something besides a body changed, or a problem was
 * reported): the output is then left as it was, and b must be freed.
 * build_update_site() must follow a 0. */
int build_update(struct build *b, char *const *srcs, size_t n, size_t *changed);
/* Then what the pages' bodies feed: the search indexes, sitemap and print
 * pages, and the checks.  0, or -1 as above. */
int build_update_site(struct build *b, size_t *changed);
/* After toivo pdf made the PDFs in a kept build's output: writes again the
 * pages that link their print page (the course's home, the modules), now
 * with the PDFs that are there and their sizes.  0, or -1 after
 * reporting. */
int build_link_pdfs(struct build *b);
void build_free(struct build *b);

#endif
