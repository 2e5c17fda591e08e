/* serve_watch.h - toivo serve's watcher: a thread that builds the site,
 * then watches its folders and builds again after each change, the
 * changed pages alone when that is enough.  Used by serve.c; see
 * serve_watch.c for the design. */
#ifndef TOIVO_SERVE_WATCH_H
#define TOIVO_SERVE_WATCH_H

struct build_opts;
struct serve_reload;

/* The folders of a site that are watched (with site.yaml), ending in
 * NULL. */
extern const char *const serve_watch_folders[];

/* The running watcher. */
struct serve_watch;

/* Starts the thread, which builds at once and tells r about every build.
 * bo and r must outlive the watcher.  NULL after one message. */
struct serve_watch *serve_watch_start(const struct build_opts *bo, struct serve_reload *r);
/* Tells the thread to stop, waits for it (a build under way finishes
 * first), and frees w with what it kept.  Harmless on NULL. */
void serve_watch_stop(struct serve_watch *w);

#endif
