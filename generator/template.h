/* template.h - a Mustache engine (spec v1.3: comments, delimiters,
 * interpolation, sections, inverted sections, partials, ~inheritance).
 *
 * Templates are parsed once into a tree and kept in a cache.  When the cache
 * is strict every partial and parent a template names is loaded while the
 * template is loaded, so a missing one is reported at load time with its
 * file, line and column, and rendering never touches the disk: a loaded
 * template may be rendered from many threads at once.
 *
 * A partial {{> name}} is looked up as name + the including template's
 * extension in the including template's folder (unless tpl_cache_dirs_only),
 * then in each folder given to tpl_cache_add_dir(), then under its name as
 * added by tpl_cache_add().
 */
#ifndef TOIVO_TEMPLATE_H
#define TOIVO_TEMPLATE_H
#include <stdbool.h>
#include <stddef.h>

struct buf;
struct value;
struct tpl;
struct tpl_cache;

/* Reads the template at path into *text (NUL-terminated, caller frees).
 * Returns 0, or -1 when there is no such file. */
typedef int (*tpl_read_fn)(void *ud, const char *path, char **text, size_t *len);

struct tpl_cache *tpl_cache_new(tpl_read_fn read, void *ud, bool strict);
void tpl_cache_free(struct tpl_cache *c);
/* Adds a folder searched for partials after the including template's own;
 * messages call it shown (NULL: dir). */
void tpl_cache_add_dir(struct tpl_cache *c, const char *dir, const char *shown);
/* Partials are looked up only in the added folders, never beside the
 * including template: a site's templates come from several places (theme.h),
 * and the order of the places decides, not where the includer was found. */
void tpl_cache_dirs_only(struct tpl_cache *c);
/* Adds a template from memory under name (used as a partial of that name).
 * Returns it, or NULL after reporting parse errors. */
const struct tpl *tpl_cache_add(struct tpl_cache *c, const char *name,
				const char *text, size_t len);
/* Loads (once) and returns the template at path, or NULL after reporting
 * every error as path:line:col through diag(). */
const struct tpl *tpl_cache_load(struct tpl_cache *c, const char *path);

/* Renders t with ctx as the bottom of the context stack, appending to out.
 * Returns 0, or -1 after reporting an error (partials nested more than 100
 * deep). */
int tpl_render(struct buf *out, const struct tpl *t, const struct value *ctx);
#endif
