/* pdf.h - print pages to PDF with headless Chromium or WeasyPrint.
 *
 * pdf_render_site() reads DIR/print.json (written by the build) and, when
 * it exists, DIR/slides.json, and makes every PDF they list beside its
 * print page.
 *
 * Chromium: one browser for the whole run, driven over the DevTools
 * protocol (cdp.c), with opts->jobs tabs at once.  Each page may load files
 * of DIR and nothing else (hosts named in pdf.allow_remote excepted); a
 * blocked request is a warning naming the page and the URL.  The table of
 * contents' page numbers come from the same tab: print, read where each
 * heading landed from the PDF's outline (poppler's pdftohtml), write the
 * numbers into the page, print again until they agree.
 *
 * WeasyPrint: one process per print, the numbers written into a copy of the
 * HTML instead.
 *
 * With opts->cache_dir, each PDF is kept there with a key made from its
 * print page and every file the page loaded (pdf_cache.c); a document
 * whose key is unchanged is copied from the cache instead of being made.
 */
#ifndef TOIVO_PDF_H
#define TOIVO_PDF_H

#include <stdbool.h>
#include <stddef.h>

enum pdf_engine { PDF_CHROMIUM, PDF_WEASYPRINT };

struct pdf_tools {
	enum pdf_engine engine;
	char *engine_path;      /* chromium or weasyprint */
	char *pdftohtml;        /* poppler-utils */
};

struct pdf_opts {
	int jobs;               /* documents at once */
	bool quiet;             /* no progress lines */
	bool force;             /* make every PDF, cache or not */
	const char *cache_dir;  /* NULL: no cache */
	double timeout;         /* seconds for one page to load, or one print */
	char **allow_remote;    /* host names a page may load from */
	size_t n_allow;
};

/* Finds the programs for engine.  Returns 0, or -1 after saying which
 * Debian package to install.  Free with pdf_tools_free(). */
int pdf_tools_find(struct pdf_tools *t, enum pdf_engine engine);
void pdf_tools_free(struct pdf_tools *t);

/* Makes every PDF of DIR's manifests.  Returns the number made (or taken
 * from the cache), or -1 when none could be; *failed is the number of
 * documents that failed (each reported, naming its print page). */
long pdf_render_site(size_t *failed, const struct pdf_tools *t, const char *dir, const struct pdf_opts *opts);

/* Asks a running pdf_render_site() to stop at once (the browser is closed,
 * nothing more written).  Async-signal-safe: for a SIGINT handler. */
void pdf_interrupt(void);

/* True once pdf_interrupt() was called. */
bool pdf_stopping(void);

#endif
