/* print.h - print pages of modules, the course and forms (for toivo pdf
 * and for readers who print).  They are rendered through the theme's
 * layouts/print.mustache, written as the pages render, and listed in
 * OUT/print.json: [{lang, kind: module|course|form, title, html, pdf}]. */
#ifndef TOIVO_PRINT_H
#define TOIVO_PRINT_H

#include <stdbool.h>
#include <stddef.h>

struct render_env;
struct output;
struct page;
struct tpl;
struct spool;

struct print_ctx {
	const struct render_env *env;
	struct output *out;
	const struct tpl *layout;       /* layouts/print.mustache */
	struct spool *spool;            /* for pages that come long before their turn */
	size_t hold_budget;             /* bytes held in memory at most; 0: 16 MB */
};

/* The documents are written while the pages render: print_begin plans
 * them (which pages each holds, in which order); print_page hands over a
 * page's content HTML (NUL-terminated; from any thread, in any order), and
 * each document takes it rewritten for its place, into its file at once
 * when it is the page's turn, else held until it is (in memory up to a
 * budget, then in the spool).  Pages that come in the documents' order
 * (site_tree_order) are held hardly at all.  print_end(r, true) finishes
 * every document and writes print.json; print_end(r, false) drops them
 * (the build failed).  Either frees r. */
struct print_run;
struct print_run *print_begin(const struct print_ctx *pc);
void print_page(struct print_run *r, const struct page *p, const char *html);
void print_end(struct print_run *r, bool ok);

#endif
