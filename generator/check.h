/* check.h - what `toivo check` looks at after a build: links and anchors
 * against the ids the build wrote, translations, review dates. */
#ifndef TOIVO_CHECK_H
#define TOIVO_CHECK_H

#include <stdbool.h>

struct site;
struct value;

/* ids and links are per page (site->pages order), as markdown_render made
 * them.  With strict (toivo check) broken anchors are errors and the
 * translation and review checks run; otherwise nothing is checked beyond
 * what the build itself reported. */
void check_site(const struct site *s, struct value **ids, struct value **links, bool strict);

#endif
