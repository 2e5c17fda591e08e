/* serve_reload.h - toivo serve's live reload: the outcome of the last
 * build, told to every open page through an event stream, and the script
 * in the page that listens to it.  Used by the other serve*.c files only;
 * see serve_reload.c for the design. */
#ifndef TOIVO_SERVE_RELOAD_H
#define TOIVO_SERVE_RELOAD_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct MHD_Response;

/* Where a served page loads the script from, and where the script listens. */
#define SERVE_RELOAD_SCRIPT_URL "/__toivo/reload.js"
#define SERVE_RELOAD_EVENTS_URL "/__toivo/events"

/* The builds so far, shared by the thread that runs them and the
 * connection threads that wait on them; locked inside. */
struct serve_reload;

/* The file the script is read from for the site in root: the site's own
 * themes/default/serve/reload.js when it has one, else the built-in copy
 * ("builtin:themes/default/serve/reload.js").  The script belongs to the
 * server, not to a theme's look, so another theme needs no copy.  The
 * caller frees the result. */
char *serve_reload_script_path(const char *root);

/* Reads the script at path (on disk or "builtin:...") into *js
 * (NUL-terminated, the caller frees it) and *len.  0, or -1 after one
 * message. */
int serve_reload_script_read(char **js, size_t *len, const char *path);

/* A new state, no build yet, holding the script (js of len bytes, taken
 * over); serve_reload_free() frees both, and is harmless on NULL. */
struct serve_reload *serve_reload_new(char *js, size_t len);
void serve_reload_free(struct serve_reload *r);

/* The script, owned by r. */
const char *serve_reload_script(const struct serve_reload *r, size_t *len);

/* A build finished: ok, or failed with the messages in msgs (taken over,
 * msgs is left empty).  Every open stream gets one event. */
void serve_reload_built(struct serve_reload *r, bool ok, struct buf *msgs);

/* The server stops: every stream ends, every waiter wakes. */
void serve_reload_stop(struct serve_reload *r);

/* Waits until the first build has finished.  Returns false when the
 * server is stopping instead. */
bool serve_reload_wait_first(struct serve_reload *r);

/* The tag of the last good build ("INSTANCE-GOOD"); the caller frees it. */
char *serve_reload_gen(struct serve_reload *r);

/* Puts the script tag, tagged gen, before the last </body> of html (or at
 * its end). */
void serve_reload_inject(struct buf *html, const char *gen);

/* A new event stream for a page of the build tagged since (NULL when the
 * request gave none); NULL when MHD could not make the response.  The
 * caller queues and destroys it. */
struct MHD_Response *serve_reload_events(struct serve_reload *r, const char *since);

#endif
