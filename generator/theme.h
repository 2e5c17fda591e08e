/* theme.h - where each layout, partial, asset and UI strings file comes
 * from (docs/templates.md, "Where each file comes from").
 *
 * A site looks for a file such as layouts/lesson.mustache in places, in
 * order, and takes the first it finds:
 *
 *   1. the site's own folder (ROOT/layouts/, partials/, assets/, i18n/);
 *   2. the chosen theme (ROOT/themes/NAME/);
 *   3. the theme it extends (`extends: OTHER` in ROOT/themes/NAME/theme.yaml),
 *      and so on; a theme that says nothing extends `default`;
 *   4. `default`: ROOT/themes/default/ when the site has that folder, and
 *      last of all the built-in default theme.
 *
 * So a site or a theme changes one file at a time, and whatever it lacks
 * comes from the next place.  UI strings (i18n/LANG.yaml) are the one
 * exception to "the first file wins": every place's file is read, the last
 * place first, so one key in the site's file replaces just that key.
 */
#ifndef TOIVO_THEME_H
#define TOIVO_THEME_H

#include <stddef.h>

struct buf;

struct theme_place {
	char *dir;      /* "ROOT", "ROOT/themes/NAME", or "builtin:themes/default" */
	char *shown;    /* the same relative to the site: ".", "themes/NAME",
			 * "(built in) themes/default" */
};

struct theme {
	struct theme_place *places;     /* in lookup order, the site first */
	size_t n;
};

/* The places of the site at root with the theme called name (NULL:
 * "default").  config_path, line and col are where site.yaml names the
 * theme, for the message.  Returns 0 with *out set (the caller frees it
 * with theme_free), or -1 after reporting the problem: a bad name, a theme
 * that does not exist, a broken theme.yaml, or themes that extend each other
 * in a circle. */
int theme_load(struct theme **out, const char *root, const char *name,
	       const char *config_path, int line, int col);
void theme_free(struct theme *t);

/* The full path of the first place that has rel ("layouts/lesson.mustache"),
 * or NULL when none has it.  The caller frees it. */
char *theme_find(const struct theme *t, const char *rel);
/* Appends every path where rel was looked for, relative to the site and
 * separated by ", " ("layouts/x.mustache, themes/mine/layouts/x.mustache,
 * (built in) themes/default/layouts/x.mustache"). */
void theme_looked(struct buf *b, const struct theme *t, const char *rel);
/* The path shown for a full path below one of the places (relative to the
 * site; built-in files start with "(built in) ").  The caller frees it. */
char *theme_shown(const struct theme *t, const char *full);
/* Calls fn for every file under the folder sub ("assets") of every place,
 * once per relative path: the file of the first place that has it.  full
 * is the file's path, rel its path below sub.  In byte order of rel within
 * each place, the site's place first. */
void theme_walk(const struct theme *t, const char *sub,
		void (*fn)(void *ud, const char *full, const char *rel), void *ud);

#endif
