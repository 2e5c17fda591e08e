/* output.h - the output folder, written whole or not at all.
 *
 * A build writes into a stage folder next to OUT; output_commit() swaps it
 * in with one rename (renameat2 RENAME_EXCHANGE when OUT exists) and then
 * removes the old tree; output_abort() removes the stage, leaving OUT as it
 * was.  Every path written is checked to stay inside the stage.
 */
#ifndef TOIVO_OUTPUT_H
#define TOIVO_OUTPUT_H

#include <stddef.h>

struct output {
	char *out;      /* OUT as given */
	char *stage;    /* the stage folder */
};

/* Prepares the stage for OUT.  Returns 0, or -1 after reporting (OUT is a
 * file, its folder cannot be written ...). */
int output_begin(struct output *o, const char *out);
/* Writes a file at the site path rel ("fi/pori/index.html") inside the
 * stage, creating folders.  rel must be a normalised relative path; one that
 * climbs out is refused (reported against `who`).  0 or -1. */
int output_write(struct output *o, const char *rel, const void *data, size_t len, const char *who);
/* Copies a file into the stage at rel.  0 or -1 (reported). */
int output_copy(struct output *o, const char *rel, const char *from, const char *who);
int output_commit(struct output *o);
void output_abort(struct output *o);

#endif
