/* search.h - the site search index: language-aware terms, sharded so a
 * query loads only what it needs.
 *
 * search_page() reads one page's plain text (plaintext.h, made by
 * markdown.c from the page's tree): its h2/h3 headings with their ids
 * (the sections), and its words, each counted
 * with a weight for where it stands (title 5, heading 3, body 1).  Build
 * workers call it in parallel; the words' forms go into the language's
 * table (locked in stripes).  search_write() then analyses every new form
 * once (analyse.h: Voikko for Finnish, Snowball for the rest), scores
 * each term on each page with BM25 and writes, for each language LANG:
 *
 *   LANG/search/index.js   the manifest: {pages, records, shards: [key...]}
 *   LANG/search/sN.js      shard N: the terms and word forms whose folded
 *                          spelling sorts from shards[N] up to the next
 *                          shard's key, written as each shard fills:
 *                          {t: {term: [delta page, score, section, ...]},
 *                           f: {form: "base base|part part"}}
 *                          A form is listed when its terms are not just
 *                          itself; the terms before '|' are the whole
 *                          word's base forms, after it a compound's parts.
 *                          Scores are BM25 (x40), a term keeps its best
 *                          SEARCH_MAX_POSTINGS pages.
 *   LANG/search/rN.js      records of pages N*records ...: [title, module,
 *                          url, [[heading, id, text], ...]] (section 0 is
 *                          the text before the first heading, heading "")
 *
 * Each file is a script that sets window.toivoSearch["LANG/NAME"], so it
 * loads from file:// and under any base path.  A page is left out when
 * it is the 404 page, a draft, or its front matter says `search: false`.
 */
#ifndef TOIVO_SEARCH_H
#define TOIVO_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

struct output;
struct page;
struct site;
struct buf;
struct search;
struct search_doc;

/* The index of site s (search_free frees it).  0, or -1 after reporting
 * that a language's analyser cannot be made (a library or dictionary is
 * missing); *out is set either way. */
struct spool;
/* The records are kept in sp (spool.h) until search_write, not in memory. */
int search_new(struct search **out, const struct site *s, struct spool *sp);
void search_free(struct search *ix);

struct plaintext;
/* Whether page p goes into index ix (NULL: there is no index): not a 404
 * page, not a draft, not 'search: false'. */
bool search_wants(const struct search *ix, const struct page *p);
/* The searchable part of page p, which search_wants took, with plain
 * text t; search_doc_free frees it.  Thread-safe. */
struct search_doc *search_page(struct search *ix, const struct page *p, struct plaintext *t);
void search_doc_free(struct search_doc *d);

/* Writes every language's index from docs (indexed like the site's
 * pages, NULL entries skipped).  0 or -1 (reported). */
int search_write(struct search *ix, struct output *out, struct search_doc *const *docs);

/* Appends s folded for matching: lower case, accents removed (ä -> a,
 * ß -> ss, æ -> ae ...), as search.js folds a query. */
void search_fold(struct buf *out, const char *s, size_t len);

#endif
