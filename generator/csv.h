/* csv.h - RFC 4180 CSV into a value tree.
 *
 * The first record is the header.  Every later record becomes a V_MAP whose
 * keys are the header names in header order; the result is a V_LIST of them.
 * Quoted fields may hold commas, line breaks (a CRLF in them is read as LF)
 * and "" (one quote); records end with LF or CRLF; a UTF-8 byte order mark
 * is skipped; empty lines are skipped.  An unquoted cell that is wholly a number in JSON syntax
 * (-12, 3.5, 1e3; not 007, .5, " 1" or 1,5) becomes a V_NUM; every other cell,
 * including every quoted one and the empty cell, stays a V_STR ("" when
 * empty).  Each value's line is the line its record starts on.
 */
#ifndef TOIVO_CSV_H
#define TOIVO_CSV_H

#include <stddef.h>

struct value;

/* Parses text into *out (caller frees with value_free).  Errors are reported
 * as `path:LINE: error: ...` (a row with the wrong number of fields, an
 * unterminated quote, a character after a closing quote, an empty or
 * duplicate header name, invalid UTF-8 or a NUL byte); then it returns -1
 * with *out NULL. */
int csv_parse(struct value **out, const char *text, size_t len, const char *path);

#endif
