/* keys.h - the keys toivo reads from site.yaml and from a page's front
 * matter, in one place: for the warning about a key it does not know (a
 * misspelt key is otherwise ignored without a word), and for
 * tests/t_config_docs.sh, which checks them against the code and against
 * docs/configuration.md.  Nothing here allocates anything the caller frees.
 */
#ifndef TOIVO_KEYS_H
#define TOIVO_KEYS_H

#include <stddef.h>

struct value;

/* Warns about each key of site.yaml (config, read from path) that toivo
 * does not read, nested ones too ("pdf.timout"), with the closest known key
 * as a suggestion.  Never fails: an unknown key changes nothing. */
void keys_check_site(const struct value *config, const char *path);

/* Warns about a front-matter key that looks like a misspelt known key
 * ("titel", "Weight").  Other keys are the page's own parameters for
 * templates and hooks (page.params.KEY), so they are not reported. */
void keys_check_front(const struct value *fm, const char *path);

/* The known key closest to key (at most two edits away, case ignored), or
 * NULL: for site.yaml when site is true, else for front matter. */
const char *keys_suggest(const char *key, int site);

#endif
