/* pdf_cache.h - PDFs kept with what they were made from (see pdf_cache.c). */
#ifndef TOIVO_PDF_CACHE_H
#define TOIVO_PDF_CACHE_H

#include "pdf_doc.h"

/* Copies the cached PDF of it into the output when its key is unchanged.
 * 1 when it did, 0 when the document must be made. */
int pdf_cache_get(const struct pdf_run *run, const struct pdf_item *it);

/* For a build, which has no browser: the path of the cached PDF of it
 * (caller frees) when its key still holds for the files of run->dir, as
 * made by the engine named in the cache; NULL when there is none or it is
 * out of date.  run->tools may be NULL. */
char *pdf_cache_find(const struct pdf_run *run, const struct pdf_item *it);

/* Keeps the PDF just made for it, with its key.  0, or -1 (the next run
 * then makes it again). */
int pdf_cache_put(const struct pdf_run *run, const struct pdf_item *it);

#endif
