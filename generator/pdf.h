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

/* A document of print.json, and the PDF a build may keep for it. */
struct pdf_kept {
	char *html, *pdf;       /* paths in the output, as in print.json */
	char *cached;           /* the PDF in the cache to put at pdf, or NULL:
				 * none was made, or its print page changed */
};

/* For a build: reads DIR/print.json and looks up the PDF of each document
 * in cache_dir (pdf_cache.c): one is kept only when its key still holds for
 * the files of DIR that has(ud, rel) says belong to this build, with the
 * hosts allow[0..n_allow) allowed as toivo pdf had them.  No browser is
 * needed.  Returns the number of documents, listed in *out (free it with
 * pdf_kept_free); 0 when there is no print.json. */
size_t pdf_keep_list(struct pdf_kept **out, const char *dir, const char *cache_dir,
		     char *const *allow, size_t n_allow, bool (*has)(void *ud, const char *rel), void *ud);
void pdf_kept_free(struct pdf_kept *k, size_t n);

/* Asks a running pdf_render_site() to stop at once (the browser is closed,
 * nothing more written).  Async-signal-safe: for a SIGINT handler. */
void pdf_interrupt(void);

/* True once pdf_interrupt() was called. */
bool pdf_stopping(void);

#endif
