/* pdf_toc.h - page numbers for the table of contents of a print page.
 *
 * A print page's TOC is a list of span.toc-page[data-for=ID].  The PDF's
 * outline (read with poppler's pdftohtml -xml) says on which page each
 * heading landed; the entries and the outline are both in document order,
 * so each entry takes the next outline item with its heading's text.
 */
#ifndef TOIVO_PDF_TOC_H
#define TOIVO_PDF_TOC_H

#include <stddef.h>

struct toc_entry {
	char *id;
	char *title;    /* the target's heading as plain text */
	int page;       /* 0 = not known */
};

struct toc {
	struct toc_entry *e;
	size_t n, cap;
};

struct outline_item {
	int page;
	char *text;
};

/* Collects the TOC entries of html into t (free with pdf_toc_free()). */
void pdf_toc_read(struct toc *t, const char *html, size_t len);
void pdf_toc_free(struct toc *t);

/* Reads the outline items of pdftohtml -xml output, in document order,
 * into *out (the caller frees each text and the array).  Returns n. */
size_t pdf_outline_parse(struct outline_item **out, const char *xml, size_t len);

/* Reads the outline items of a PDF made by Chromium (plain objects, a
 * classic cross-reference table) in document order, as pdf_outline_parse()
 * does (in pdf_outline.c).  Returns n, or -1 when the file is not one it
 * can read. */
long pdf_outline_read(struct outline_item **out, const char *pdf, size_t len);

/* Sets each entry's page from the outline; returns the entries found. */
size_t pdf_toc_match(struct toc *t, const struct outline_item *it, size_t n);

/* Matches the outline it[0..n) (then freed) like pdf_toc_match() and
 * returns the entries whose page was known before and is unchanged: when
 * that is all of them, the numbers printed are right. */
size_t pdf_toc_update(struct toc *t, struct outline_item *it, size_t n);

/* The CSS (no <style>) that puts title in the running header; caller frees. */
char *pdf_title_css(const char *title);

/* html with the numbers of t written into its toc-page spans and, when
 * title is given, the running header set.  Caller frees. */
char *pdf_toc_fill(const char *html, size_t len, const struct toc *t, const char *title);

#endif
