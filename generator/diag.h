/* diag.h - every message a user sees goes through here.
 *
 * Messages read `path:line:col: error: message` (col 0 is left out, and so
 * is line 0), the problem first, then what to do.  Counting is thread-safe;
 * one build reports every problem it finds and the caller decides the exit
 * status from diag_errors().
 */
#ifndef TOIVO_DIAG_H
#define TOIVO_DIAG_H

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

void diag(enum diag_level level, const char *path, int line, int col,
	  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define diag_error(path, line, col, ...) diag(DIAG_ERROR, path, line, col, __VA_ARGS__)
#define diag_warn(path, line, col, ...) diag(DIAG_WARNING, path, line, col, __VA_ARGS__)

/* Number of errors reported since the last diag_reset(). */
int diag_errors(void);
void diag_reset(void);
/* When quiet, warnings are counted but not printed. */
void diag_set_quiet_warnings(int quiet);
/* Also append every message to this buffer (for the serve overlay); NULL stops. */
struct buf;
void diag_capture(struct buf *b);

#endif
