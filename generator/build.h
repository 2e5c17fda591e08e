/* build.h - one build of a site: load, relate, render in parallel, write
 * the output whole or not at all. */
#ifndef TOIVO_BUILD_H
#define TOIVO_BUILD_H

#include <stdbool.h>

struct buf;

struct build_opts {
	const char *root;       /* the site's folder */
	const char *out;        /* the output folder */
	int jobs;               /* worker threads; 0 = one per core */
	bool check;             /* toivo check: links and translations are checked, problems are errors */
	bool serve;             /* add the live-reload script */
	bool quiet;             /* no summary line */
	bool pdf;               /* module pages link to the PDFs toivo pdf makes */
};

/* Builds the site.  Returns 0, or 1 when problems were reported (the
 * previous output is then left exactly as it was). */
int build_run(const struct build_opts *o);

#endif
