/* search.h - the site search index, one file per language.
 *
 * search_page() turns one rendered page into a compact record (a JSON
 * array); it reads only that page and the site's fixed data, so build
 * workers call it in parallel, each for its own page.  search_write() then
 * joins the records of each language, in page order, into
 * OUT/LANG/search-index.js, a script that defines
 *
 *     window.toivoSearch[LANG] = [[title, module, url, headings, text, words], ...]
 *
 *   url       relative to the language's root ("pori/tulokset/index.html")
 *   headings  [[text, id], ...] of the h2/h3 headings that have an id
 *   text      the page's plain text, whitespace collapsed, cut at
 *             SEARCH_TEXT_MAX bytes (for matching and for snippets)
 *   words     the words after that cut, accent-folded, lower case, each
 *             once, joined by spaces (for matching only)
 *
 * A script (not JSON to fetch) so the search works from file:// too.  The
 * work is linear in the size of the site.  A page is left out when its
 * front matter says `search: false`.
 */
#ifndef TOIVO_SEARCH_H
#define TOIVO_SEARCH_H

#include <stddef.h>

#define SEARCH_TEXT_MAX 6000

struct output;
struct page;
struct site;
struct buf;

/* The record of page p with content HTML html; the caller frees it.  NULL
 * when the page is not searchable. */
char *search_page(const struct site *s, const struct page *p, const char *html);
/* Writes LANG/search-index.js for every language from the records
 * (indexed like s->pages, NULL entries skipped).  0 or -1 (reported). */
int search_write(struct output *out, const struct site *s, char *const *records);

/* Exposed for tests: appends html's plain text to text (tags dropped,
 * entities decoded, whitespace collapsed; script, style, svg and
 * aria-hidden elements left out). */
void search_plain_text(struct buf *text, const char *html);
/* Appends s folded for matching: lower case, accents removed (ä -> a,
 * ß -> ss, æ -> ae ...), as search.js folds a query. */
void search_fold(struct buf *out, const char *s, size_t len);

#endif
