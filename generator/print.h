/* print.h - print pages of modules, the course and forms (for toivo pdf
 * and for readers who print).  They are rendered through the theme's
 * layouts/print.mustache, after every page's HTML is known, and listed in
 * OUT/print.json: [{lang, kind: module|course|form, title, html, pdf}]. */
#ifndef TOIVO_PRINT_H
#define TOIVO_PRINT_H

struct render_env;
struct output;
struct page;
struct tpl;
struct spool;
struct spool_ref;

struct print_ctx {
	const struct render_env *env;
	struct output *out;
	const struct tpl *layout;       /* layouts/print.mustache */
	struct spool *spool;
	const struct spool_ref *html;   /* per page index: its content HTML in spool (none: no page) */
	int jobs;                       /* documents made at once */
};

void print_pages(const struct print_ctx *pc);

#endif
