/* pool.h - one function over many items on several threads: how the build
 * renders pages and how the scan reads them, in one place.
 *
 * Items are handed out one at a time from a shared counter, so a slow item
 * does not hold up a whole slice; the calling thread works too.  Which
 * thread did which item is not fixed, so callers keep per-item results in
 * arrays indexed by item and combine them in item order afterwards (builds
 * stay deterministic).
 */
#ifndef TOIVO_POOL_H
#define TOIVO_POOL_H

#include <stddef.h>

/* Calls fn(ud, item, worker) for every item in [0, n) on up to `threads`
 * threads (at least 1, the caller's own being worker 0), and returns when
 * all are done.  `worker` (0 .. threads-1) lets fn use per-thread state.
 * Returns how many threads ran (fewer than asked when the system would not
 * start more; the items are all done anyway). */
int pool_run(size_t n, int threads, void (*fn)(void *ud, size_t item, int worker), void *ud);

#endif
