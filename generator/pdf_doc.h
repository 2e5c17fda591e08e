/* pdf_doc.h - what the parts of toivo pdf share: one document to make
 * (an entry of print.json or slides.json) and the run that makes them.
 * Used by pdf.c (the run), pdf_chromium.c (one document in a browser tab)
 * and pdf_cache.c (what each PDF was made from). */
#ifndef TOIVO_PDF_DOC_H
#define TOIVO_PDF_DOC_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "cdp.h"
#include "pdf.h"

struct pdf_item {
	char *lang, *kind, *title, *html, *pdf;  /* as in the manifest; paths relative to dir */
	int passes;             /* prints made */
	size_t toc_n, toc_ok;   /* TOC entries, and those that agree with the PDF */
	double seconds;
	bool failed, cached;
	long long size;         /* of the print page, to start the biggest first */
	/* Filled while the page loads (under run->lock): */
	char **deps;            /* files of the output it loaded, relative to dir */
	size_t n_deps, cap_deps;
	char **blocked;         /* URLs refused */
	size_t n_blocked, cap_blocked;
	struct pdf_request *pending;    /* requests not answered yet */
	size_t n_pending, cap_pending;
	bool no_cache;          /* loaded something from a host, or the engine does not say what it loaded */
	char *session;          /* its tab's DevTools session, while open */
	char *error;            /* why it failed, reported when it is finished */
};

struct pdf_request {
	char *id, *url;
};

/* A tab of the browser that one worker keeps for document after document:
 * its renderer process and its hooks are set up once. */
struct pdf_tab {
	char *target, *session;         /* NULL while there is none */
};

struct pdf_run {
	const struct pdf_tools *tools;
	const struct pdf_opts *opts;
	const char *dir;        /* the output being made */
	char *dir_real;         /* its realpath */
	char *tmp;              /* a private work folder in /tmp */
	struct pdf_item *items;
	size_t *order;          /* the items to make, the biggest page first */
	size_t n, n_order, next, done;
	struct cdp *cdp;
	pthread_mutex_t lock;
	/* Whether a file of dir counts (NULL: every file there does): a build
	 * leaves files of the previous one in its folder until the end. */
	bool (*has)(void *ud, const char *rel);
	void *has_ud;
	double t0;              /* cdp_now() at the start of the run */
	struct pdf_tab *tabs;   /* one per worker (slot) */
	size_t n_tabs;
	char *first_tab;        /* the browser's own tab until a worker takes it */
};

/* Makes one document in a tab of run->cdp: loads the page, waits for its
 * fonts and images, prints it (again with the TOC's page numbers when it
 * has a TOC), writes the Info dictionary and the PDF.  0, or -1 with the
 * reason in it->error. */
int pdf_chromium_item(struct pdf_run *run, struct pdf_item *it, int slot);

/* Finds the tab the browser opened at its start (run->first_tab), for
 * the first worker to use instead of opening one more. */
void pdf_chromium_first_tab(struct pdf_run *run);

/* Closes the tab of a worker, when it has one. */
void pdf_chromium_tab_close(struct pdf_run *run, struct pdf_tab *tab);

/* With TOIVO_PDF_PROFILE set, prints the time since the run began and
 * since since, the document who and the step it finished. */
void pdf_profile(const struct pdf_run *run, const char *who, const char *step, double since);

/* The DevTools event hook of the run (see cdp.h): answers paused requests,
 * letting through files of the output and allowed hosts only. */
bool pdf_chromium_hook(void *ctx, struct cdp *c, const char *session, const char *method,
		       json_t *params);

/* Runs argv (argv[0] a path) with stdout to out_path (or with stderr when
 * NULL) and stderr to log_path, killing it after timeout seconds or when
 * the run is interrupted.  The exit status, 128 + signal when killed, or
 * -1 when it could not start (errno set). */
int pdf_spawn(char *const argv[], const char *home, const char *out_path, const char *log_path, double timeout,
	      int *timed_out);

#endif
