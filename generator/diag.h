/* diag.h - every message a user sees goes through here.
 *
 * Messages read `path:line:col: error: message` (col 0 is left out, and so
 * is line 0), the problem first, then what to do.  Paths inside the site
 * are shown relative to it (diag_set_root).  The same message (same place,
 * same words) is printed once per build, however many pages hit it, but
 * every report is counted, so a caller that compares diag_errors() before
 * and after a step still sees its failure.  Counting is thread-safe; one
 * build reports every problem it finds and the caller decides the exit
 * status from diag_errors().
 *
 * The convention (docs/hacking.md): a function that can fail reports the
 * problem here, where it knows the place, and returns a negative int (or
 * NULL for a constructor); its callers only pass the failure on.
 */
#ifndef TOIVO_DIAG_H
#define TOIVO_DIAG_H

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

void diag(enum diag_level level, const char *path, int line, int col,
	  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define diag_error(path, line, col, ...) diag(DIAG_ERROR, path, line, col, __VA_ARGS__)
#define diag_warn(path, line, col, ...) diag(DIAG_WARNING, path, line, col, __VA_ARGS__)
/* A usage error of command cmd ("build"; NULL for toivo itself):
 * `toivo CMD: error: message; see 'toivo --help'`.  Counted as an error. */
void diag_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A line that is no diagnostic (a summary such as "toivo: 8 pages in
 * 12 ms", usage text), printed as it is to stderr: not counted, not
 * captured, never folded into one. */
void diag_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A status line for long work ("toivo: rendering 1200/10042 pages, ...")
 * on stderr when it is a terminal: each call replaces the line, any other
 * message clears it first, so it never mixes with them.  Nothing for the
 * first second of the work (a short run shows nothing) and at most ten
 * updates a second unless force.  diag_progress_begin(on): on 1 shows it,
 * 0 never (--quiet, tests), -1 when stderr is a terminal (CI logs stay
 * clean); diag_progress_end() clears the line. */
void diag_progress_begin(int on);
void diag_progress(int force, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Seconds since diag_progress_begin. */
double diag_progress_seconds(void);
void diag_progress_end(void);

/* Number of errors reported since the last diag_reset(), and how many of
 * them were printed (the same message is printed once). */
int diag_errors(void);
int diag_errors_shown(void);
/* Number of different warnings reported since the last diag_reset() (the
 * same warning twice is one, as it is printed once). */
int diag_warnings(void);
/* Appends the counts for a closing summary: "1 error, 2 warnings",
 * "2 warnings", or nothing when there was no problem. */
struct buf;
void diag_counts(struct buf *b);
/* Starts a new build: counts and the memory of printed messages. */
void diag_reset(void);
/* Paths under root (the site's folder) are shown relative to it: with root
 * "/srv/kurssi", "/srv/kurssi/content/a.fi.md" reads content/a.fi.md.
 * NULL shows paths as given.  The string is copied. */
void diag_set_root(const char *root);
/* When quiet, warnings are counted but not printed. */
void diag_set_quiet_warnings(int quiet);
/* Also append every message to this buffer (for the serve overlay); NULL stops. */
void diag_capture(struct buf *b);

#endif
