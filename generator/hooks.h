/* hooks.h - Lua hooks, one sandboxed Lua state per build worker.
 *
 * Every *.lua file of the site's lua/ folder, then the built-in hooks
 * (the repository's lua/, embedded as "builtin:lua/NAME.lua"), is loaded
 * once per state; a site file replaces the built-in file of the same name.
 * Each file returns a table that may hold codeblocks = {NAME = fn},
 * page = fn(page) and done = fn(site).
 *
 * Errors are reported through diag() as
 *   content/x.fi.md:LINE: error: lua/chart.lua:42: message
 * followed by the traceback, and count as build errors.
 */
#ifndef TOIVO_HOOKS_H
#define TOIVO_HOOKS_H
#include <stdbool.h>
#include <stddef.h>

struct buf;
struct value;
struct hooks;

struct hooks_config {
	const char *site_dir;           /* the site root: lua/ and content/data/ are under it */
	/* HTML of a Markdown string (caller frees), for toivo.markdown(), with
	 * the renderer's own words in language lang (a code; NULL: unknown). */
	char *(*markdown)(void *ud, const char *lang, const char *md, size_t len);
	/* A UI string of language lang, or NULL, for toivo.t(). */
	const char *(*translate)(void *ud, const char *lang, const char *key);
	void *ud;
	long max_instructions;          /* per hook call; 0: the default (50 million) */
	double max_seconds;             /* wall-clock time per hook call; 0: the default (30) */
	size_t max_memory;              /* per state, bytes; 0: the default (256 MiB) */
};

/* Makes every running and later hook call fail at once ("the build was
 * interrupted"); async-signal-safe, for SIGTERM and Ctrl-C. */
void hooks_interrupt(void);
/* Loads the hooks; NULL after reporting errors. */
struct hooks *hooks_new(const struct hooks_config *cfg);
void hooks_free(struct hooks *h);
bool hooks_has_codeblock(struct hooks *h, const char *name);
/* Runs codeblocks[name](block).  page is the hook page (title, lang, url,
 * path, params), site the hook site (title, languages, base_url).  Returns 1
 * with HTML appended to out, 0 when the hook returned nil, -1 after reporting
 * an error at page_path:line. */
int hooks_codeblock(struct hooks *h, struct buf *out, const char *name,
		    const char *info, const char *text, const char *page_path,
		    int line, const struct value *page, const struct value *site);
/* Runs every page(page) hook; page.params may be changed in place.
 * 0, or -1 after reporting an error at page_path. */
int hooks_page(struct hooks *h, struct value *page, const char *page_path);
/* Whether any hook registered done. */
bool hooks_has_done(struct hooks *h);
/* Runs every done(site) hook with site.pages = pages.  0 or -1. */
int hooks_done(struct hooks *h, const struct value *site, const struct value *pages);
#endif
