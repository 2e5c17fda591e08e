/* yamldoc.h - YAML and JSON documents into value trees (libyaml). */
#ifndef TOIVO_YAMLDOC_H
#define TOIVO_YAMLDOC_H

#include <stddef.h>

struct value;

/* Parses the first document of text (YAML 1.1 or JSON) into *out (the caller
 * frees it with value_free).  Plain scalars that look like numbers, true /
 * false and null become those; quoted scalars stay strings.  Aliases are
 * expanded, within a bound.  On a syntax error it reports
 * `path:LINE:COL: error: ...` with line_offset added to the line, and returns
 * -1 with *out NULL.  An empty document gives a null value. */
int yamldoc_parse(struct value **out, const char *text, size_t len,
		  const char *path, int line_offset);
/* Reads path and parses it; a missing file is reported too. */
int yamldoc_load(struct value **out, const char *path);

#endif
