/* pool_test.c - the thread pool: every item once, per-worker indexes in
 * range, the caller's thread working too. */
#include <pthread.h>
#include <stdatomic.h>

#include "pool.h"
#include "unit.h"

struct run {
	atomic_int *done;       /* per item: how often it ran */
	int threads;
	atomic_int bad_worker;
	pthread_t caller;
	atomic_int by_caller;
};

static void S_item(void *ud, size_t i, int worker)
{
	struct run *r = ud;
	atomic_fetch_add(&r->done[i], 1);
	if (worker < 0 || worker >= r->threads)
		atomic_fetch_add(&r->bad_worker, 1);
	if (pthread_equal(pthread_self(), r->caller))
		atomic_fetch_add(&r->by_caller, 1);
}

int main(void)
{
	enum { N = 10000 };
	static atomic_int done[N];
	struct run r = { done, 4, 0, pthread_self(), 0 };
	int ran = pool_run(N, 4, S_item, &r);
	int once = 1;
	for (size_t i = 0; i < N; i++)
		once &= atomic_load(&done[i]) == 1;
	unit_check(ran >= 1 && ran <= 4, "between 1 and the asked number of threads ran");
	unit_check(once, "every item ran exactly once");
	unit_check(atomic_load(&r.bad_worker) == 0, "worker indexes are within 0 .. threads-1");

	for (size_t i = 0; i < N; i++)
		atomic_store(&done[i], 0);
	r.threads = 1;
	atomic_store(&r.by_caller, 0);
	unit_check(pool_run(N, 0, S_item, &r) == 1 && atomic_load(&r.by_caller) == N,
		   "0 threads means one: the caller does all the work");
	unit_check(pool_run(0, 3, S_item, &r) >= 1, "no items: nothing to do, no crash");
	return unit_done();
}
