/* pdf.h - print pages to PDF with headless Chromium or WeasyPrint.
 *
 * pdf_render_site() reads DIR/print.json (written by the build) and renders
 * every print page it lists to the PDF path beside it.  Table-of-contents
 * page numbers are filled in by a second pass: the PDF's outline (read with
 * poppler's pdftohtml) says on which page each heading landed, the numbers
 * are written into span.toc-page[data-for=ID] of a copy of the HTML, and the
 * copy is rendered again until the numbers agree with the PDF.
 */
#ifndef TOIVO_PDF_H
#define TOIVO_PDF_H

enum pdf_engine { PDF_CHROMIUM, PDF_WEASYPRINT };

struct pdf_tools {
	enum pdf_engine engine;
	char *engine_path;      /* chromium or weasyprint */
	char *pdftohtml;        /* poppler-utils */
};

/* Finds the programs for engine.  Returns 0, or -1 after saying which
 * Debian package to install.  Free with pdf_tools_free(). */
int pdf_tools_find(struct pdf_tools *t, enum pdf_engine engine);
void pdf_tools_free(struct pdf_tools *t);

/* Renders every print page of DIR/print.json, `jobs` at once.  Returns 0,
 * or -1 when any page failed (each failure reported). */
int pdf_render_site(const struct pdf_tools *t, const char *dir, int jobs, int quiet);

#endif
