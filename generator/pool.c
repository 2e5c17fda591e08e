/* pool.c - see pool.h. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "pool.h"
#include "xalloc.h"

struct pool {
	size_t n;
	atomic_size_t next;
	void (*fn)(void *ud, size_t item, int worker);
	void *ud;
};

struct pool_worker {
	struct pool *p;
	int index;
	pthread_t thread;
};

static void *S_work(void *arg)
{
	struct pool_worker *w = arg;
	struct pool *p = w->p;
	for (;;) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->n)
			return NULL;
		p->fn(p->ud, i, w->index);
	}
}

int pool_run(size_t n, int threads, void (*fn)(void *ud, size_t item, int worker), void *ud)
{
	if (threads < 1)
		threads = 1;
	struct pool p = { .n = n, .fn = fn, .ud = ud };
	atomic_init(&p.next, 0);
	struct pool_worker *ws = xcalloc((size_t)threads, sizeof *ws);
	int started = 1;
	for (int i = 1; i < threads; i++) {
		/* Worker indexes stay dense: a thread that did not start leaves
		 * no gap, so per-worker state 0 .. ran-1 is what was used. */
		ws[started].p = &p;
		ws[started].index = started;
		if (pthread_create(&ws[started].thread, NULL, S_work, &ws[started]) == 0)
			started++;
	}
	ws[0].p = &p;
	ws[0].index = 0;
	S_work(&ws[0]);
	for (int i = 1; i < started; i++)
		pthread_join(ws[i].thread, NULL);
	free(ws);
	return started;
}
