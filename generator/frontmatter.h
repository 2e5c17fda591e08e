/* frontmatter.h - the YAML block at the top of a page. */
#ifndef TOIVO_FRONTMATTER_H
#define TOIVO_FRONTMATTER_H

#include <stddef.h>

struct value;


/* Splits a page into front matter and body.  *fm gets the front matter map
 * (an empty map when the page has none; the caller frees it), *body_off the
 * offset of the body and *body_line its first line number.  Known keys are
 * type-checked (title: text, weight: number, draft: true/false, aliases: a
 * list ...).  Returns 0, or -1 after reporting every problem. */
int frontmatter_parse(struct value **fm, size_t *body_off, int *body_line,
		      const char *text, size_t len, const char *path);

#endif
