/* spool.h - bytes a build needs again at its end, kept in a file instead
 * of in memory.
 *
 * A page's content HTML (for the print pages) and its search record are
 * made while the page renders and read once more when the print pages and
 * the search index are written, after every page.  Held in memory they
 * would grow with the site's text (gigabytes at 100 000 pages); here they
 * are appended to one unlinked temporary file in the build's cache folder
 * and read back by reference, so memory holds 12 bytes per text and the
 * file's pages stay in the kernel's cache while there is room for them.
 * The file has no name: it is gone when the build ends or dies.
 *
 * Appending and reading are thread-safe (pwrite/pread at offsets handed
 * out under a lock).  Texts are never rewritten: a page rendered again
 * (toivo serve) appends its new text and drops the old reference.
 */
#ifndef TOIVO_SPOOL_H
#define TOIVO_SPOOL_H

#include <stddef.h>
#include <stdint.h>

struct spool;

/* Where a text is: spool_put fills it; len 0 is "no text" (a ref of
 * zeroes is none). */
struct spool_ref {
	uint64_t off;
	uint32_t len;
};

/* A spool in folder dir (which must exist).  NULL after reporting. */
struct spool *spool_new(const char *dir);
void spool_free(struct spool *sp);
/* Appends len bytes; *ref says where.  0, or -1 after reporting (the disk
 * is full ...); *ref is then none.  Texts over 4 GB are refused. */
int spool_put(struct spool *sp, struct spool_ref *ref, const void *data, size_t len);
/* A NUL-terminated copy of the text at ref (caller frees), with its length
 * in *len when len is not NULL; NULL for none or after reporting. */
char *spool_get(struct spool *sp, struct spool_ref ref, size_t *len);

#endif
