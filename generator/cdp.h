/* cdp.h - one headless Chromium driven over the DevTools protocol.
 *
 * The browser is started with --remote-debugging-pipe: we write JSON
 * messages, each ended by a NUL byte, to its fd 3 and read its answers and
 * events from its fd 4 (jansson builds and parses them).  A reader thread
 * takes every message off the pipe: answers wake the thread that waits for
 * them, events go to the event hook first (on the reader thread, so that
 * paused requests are answered at once) and, when the hook leaves them,
 * into a queue that cdp_wait_event() reads.  Any number of threads may
 * call at once, each with its own session (one tab each).
 */
#ifndef TOIVO_CDP_H
#define TOIVO_CDP_H

#include <jansson.h>
#include <stdbool.h>

struct cdp;

/* Called on the reader thread for every event; returns true when it has
 * dealt with the event (it is then not queued).  params is borrowed. */
typedef bool (*cdp_event_fn)(void *ctx, struct cdp *c, const char *session, const char *method,
			     json_t *params);

/* Starts the browser exe with a fresh profile in profile_dir, in its own
 * process group, and waits until it answers.  On failure returns -1 with a
 * reason in *err (caller frees).  Free with cdp_free(). */
int cdp_start(struct cdp **out, char **err, const char *exe, const char *profile_dir, cdp_event_fn hook,
	      void *hook_ctx);

/* Closes the browser and every process it started, and frees c.  Harmless
 * on NULL. */
void cdp_free(struct cdp *c);

/* Sends method with params (stolen; NULL for none) to session (NULL for
 * the browser) and waits at most until deadline (a cdp_now() time) for the
 * answer.  0 with *result set (caller json_decref()s; may be NULL when not
 * wanted), or -1 with a reason in *err (caller frees). */
int cdp_call(json_t **result, char **err, struct cdp *c, const char *session, const char *method,
	     json_t *params, double deadline);

/* Sends without waiting for the answer (from the event hook).  0 or -1. */
int cdp_send(struct cdp *c, const char *session, const char *method, json_t *params);

/* Waits until deadline for a queued event method of session, and takes it
 * off the queue.  0 with *params set (caller json_decref()s), or -1 with a
 * reason in *err (timeout, browser gone, interrupted). */
int cdp_wait_event(json_t **params, char **err, struct cdp *c, const char *session, const char *method,
		   double deadline);

/* Drops the queued events of session (after its tab is closed). */
void cdp_forget(struct cdp *c, const char *session);

/* Makes every wait return -1 at once (after SIGINT); safe from any thread. */
void cdp_interrupt(struct cdp *c);

/* The monotonic clock in seconds. */
double cdp_now(void);

#endif
