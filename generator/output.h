/* output.h - the output folder, written whole or not at all, and only
 * where it changed.
 *
 * A build writes into a stage folder next to OUT; output_commit() swaps it
 * in with one rename (renameat2 RENAME_EXCHANGE when OUT exists) and then
 * removes the old tree; output_abort() removes the stage, leaving OUT as it
 * was.  Every path written is checked to stay inside the stage.
 *
 * A file whose bytes are the same as OUT's file at the same path is not
 * written: the stage gets a hard link to OUT's file, so after the swap it
 * is the same file with the same mtime (rsync, git and browsers' caches see
 * only real changes), and the old tree's removal only drops a link.  Files
 * in the stage are never written through such a link.
 *
 * The tree that the swap replaces is kept next to OUT as .OUT.toivo-prev
 * and becomes the next build's stage: its folders are there already and
 * its files that did not change since are OUT's files already, so a
 * rebuild creates and removes only what changed.  What a build did not
 * write is removed from the stage before the swap.
 *
 * toivo serve's one-page rebuilds update OUT in place instead
 * (output_begin_update): writes are held in memory until output_commit,
 * which replaces each file whose bytes changed by writing a new file beside
 * it and renaming it over the old one, so a reader sees the old file or the
 * new one; output_abort drops them and OUT stays as it was.
 */
#ifndef TOIVO_OUTPUT_H
#define TOIVO_OUTPUT_H

#include <stddef.h>

#include <pthread.h>
#include <stdbool.h>

#include "hmap.h"

struct output {
	char *out;      /* OUT as given */
	char *stage;    /* the stage folder */
	char *prev;     /* the previous tree kept for the next build */
	int old_fd;     /* OUT, opened when it exists (files compared against), or -1 */
	size_t stage_len;
	bool reused;    /* the stage is an old tree: sweep what was not written */
	pthread_mutex_t lock;
	struct hmap written; /* stage-relative paths written (when reused) */
	bool update;    /* OUT is updated in place (output_begin_update) */
	struct pending *pend; /* the files held for output_commit (update) */
	size_t n_pend, cap_pend;
	size_t changed; /* files output_commit replaced (update) */
};

/* Refuses an output folder that a build must not replace: the site's folder
 * or one above it, a folder inside the site's sources (content/, themes/
 * ...), or an existing folder with files and no index.html (not a previous
 * output).  0, or -1 after reporting. */
int output_check_place(const char *out, const char *root);
/* Prepares the stage for OUT.  Returns 0, or -1 after reporting (OUT is a
 * file, its folder cannot be written ...). */
int output_begin(struct output *o, const char *out);
/* Prepares to update OUT, an existing output folder, in place.  0, or -1
 * after reporting. */
int output_begin_update(struct output *o, const char *out);
/* Writes a file at the site path rel ("fi/pori/index.html") inside the
 * stage, creating folders.  rel must be a normalised relative path; one that
 * climbs out is refused (reported against `who`).  0 or -1. */
int output_write(struct output *o, const char *rel, const void *data, size_t len, const char *who);
/* Copies a file into the stage at rel.  0 or -1 (reported). */
int output_copy(struct output *o, const char *rel, const char *from, const char *who);
int output_commit(struct output *o);
void output_abort(struct output *o);

#endif
