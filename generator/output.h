/* output.h - the output folder, written whole or not at all, and only
 * where it changed, by one build at a time.
 *
 * A build writes into a stage folder and output_commit() swaps it in with
 * one rename (renameat2 RENAME_EXCHANGE when OUT exists); output_abort()
 * leaves OUT as it was.  Every path written is checked to stay inside the
 * stage.
 *
 * Where the stage is.  Each output folder has a folder in the cache (the
 * site's .toivo-cache/, see docs/where-toivo-writes.md):
 * CACHE/out-KEY/, KEY a hash of OUT's real path, holding `lock` and
 * `stage/`.  The tree that the swap replaces stays there as the next
 * build's stage: its folders are there already and its files that did not
 * change since are OUT's files already, so a rebuild creates and removes
 * only what changed; what a build did not write is removed from the stage
 * before the swap.  When the cache is on another file system than OUT (no
 * rename between them) the stage is .OUT.toivo-stage beside OUT for the
 * build's time only, and the old tree is removed after the swap.  Nothing
 * else is ever left beside OUT; what older versions left there
 * (.OUT.toivo-prev) is removed.
 *
 * A file whose bytes are the same as OUT's file at the same path is not
 * written: the stage gets a hard link to OUT's file, so after the swap it
 * is the same file with the same mtime (rsync, git and browsers' caches see
 * only real changes).  Files in the stage are never written through such a
 * link.
 *
 * One build at a time: output_begin and output_begin_update take the
 * output's lock (flock on CACHE/out-KEY/lock; without a cache, on the
 * folder holding OUT) until output_commit or output_abort.  A second build
 * into the same OUT waits, after a note naming the process that holds it.
 * The lock is reentrant within a process.
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
#include <stdio.h>

#include <pthread.h>
#include <stdbool.h>

#include "hmap.h"

struct output_lock;

struct output {
	char *out;      /* OUT as given */
	char *stage;    /* the stage folder */
	bool beside;    /* the stage is beside OUT (not in the cache): removed at the end */
	struct output_lock *lock;
	int old_fd;     /* OUT, opened when it exists (files compared against), or -1 */
	size_t stage_len;
	bool reused;    /* the stage is an old tree: sweep what was not written */
	pthread_mutex_t mu;
	struct hmap written; /* stage-relative paths written (when reused) */
	struct hmap owners;  /* stage-relative path -> kind letter + who wrote it */
	struct hmap folded;  /* name_fold(path) -> the path */
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
/* The cache folder of the site at root: root/.toivo-cache (caller frees). */
char *output_cache_dir(const char *root);
/* Takes the lock of the output folder out (cache: the cache folder, or NULL
 * to lock the folder that holds out), waiting for another process that
 * holds it.  NULL after reporting.  Release it with output_lock_release
 * (NULL is harmless).  toivo pdf holds it over its whole run. */
struct output_lock *output_lock_take(const char *cache, const char *out);
/* CACHE/out-KEY, the cache folder of the output out (created), or NULL
 * when it cannot be made; the caller frees it. */
char *output_key_dir(const char *cache, const char *out);
void output_lock_release(struct output_lock *l);
/* Takes OUT's lock and prepares the stage (in cache, see above).  Returns
 * 0, or -1 after reporting (OUT is a file, its folder cannot be written
 * ...). */
int output_begin(struct output *o, const char *out, const char *cache);
/* Takes OUT's lock and prepares to update OUT, an existing output folder,
 * in place.  0, or -1 after reporting. */
int output_begin_update(struct output *o, const char *out, const char *cache);
/* Writes a file at the site path rel ("fi/pori/index.html") inside the
 * stage, creating folders.  rel must be a normalised relative path; one that
 * climbs out is refused (reported against `who`).  0 or -1. */
int output_write(struct output *o, const char *rel, const void *data, size_t len, const char *who);
/* Like output_write for a file too big to hold whole: fill(ud, f) writes
 * it to f piece by piece and returns 0, or -1 after reporting (then
 * nothing is written).  The same rules: unchanged bytes keep OUT's file. */
int output_write_with(struct output *o, const char *rel, const char *who,
		      int (*fill)(void *ud, FILE *f), void *ud);
/* A file written piece by piece over a longer time (a print document
 * while the pages render): output_open claims rel and opens it (NULL after
 * reporting); several may be open at once, each used by one thread at a
 * time.  output_close(o, f, ok, who) with ok 0 keeps the file (unchanged
 * bytes keep OUT's file, as output_write_with does), with ok -1 (a
 * failure already reported) removes it; it returns 0 or -1 (reported). */
struct output_file;
struct output_file *output_open(struct output *o, const char *rel, const char *who);
FILE *output_file_stream(struct output_file *f);
int output_close(struct output *o, struct output_file *f, int ok, const char *who);
/* What writes a file: output_write makes it; output_copy copies a file of
 * the site (static/, beside the pages) or of the theme (its assets, which
 * a file of static/ may replace).  Any other two writers of the same path
 * are an error naming both. */
enum output_kind { OUTPUT_MADE, OUTPUT_THEME_COPY, OUTPUT_COPY };
/* Copies a file into the stage at rel.  0 or -1 (reported). */
int output_copy(struct output *o, const char *rel, const char *from, const char *who, enum output_kind kind);
/* Whether this build wrote or copied the file at rel so far (a reused
 * stage still holds the previous build's other files until the commit). */
bool output_has(struct output *o, const char *rel);
int output_commit(struct output *o);
void output_abort(struct output *o);

#endif
