/* pdf_meta.h - the document information a library catalogue reads.
 *
 * Chromium's Page.printToPDF writes Title (from <title>), Lang (in the
 * catalogue, from <html lang>) and the time of printing, but no Author,
 * Subject or Keywords, and a date that changes with every run.
 * pdf_meta_update() appends an incremental update to the PDF (ISO 32000-1,
 * 7.5.6): a new Info dictionary and a cross-reference section for it, with
 * /Prev pointing at the old one.  The bytes Chromium wrote stay as they
 * are, so nothing it made can be damaged; every reader takes the newest
 * Info.  Only PDFs with a classic cross-reference table are updated (as
 * Skia writes them); others are left alone.
 */
#ifndef TOIVO_PDF_META_H
#define TOIVO_PDF_META_H

#include <stddef.h>
#include <time.h>

struct buf;

struct pdf_meta {
	const char *title, *author, *subject, *keywords;  /* UTF-8; NULL or "" = left out */
	const char *creator;
	time_t created;         /* 0 = keep the engine's dates */
};

/* Appends the update to pdf.  Returns 0, or -1 when the PDF's trailer is
 * not one this code reads (pdf is then unchanged). */
int pdf_meta_update(struct buf *pdf, const struct pdf_meta *m);

/* Decodes base64 text into *out (caller frees) of *len bytes.  0, or -1
 * when text is not base64. */
int pdf_base64_decode(char **out, size_t *len, const char *text, size_t n);

#endif
