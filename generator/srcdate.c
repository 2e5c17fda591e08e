/* srcdate.c - SOURCE_DATE_EPOCH; see srcdate.h. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "diag.h"
#include "srcdate.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int have_epoch;
static time_t epoch;

static void S_read(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (!s || !*s)
		return;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	/* Up to the last second of year 9999: dates beyond it have no
	 * four-digit year to show. */
	if (errno || *end || v < 0 || v > 253402300799LL || (long long)(time_t)v != v) {
		diag_warn(NULL, 0, 0, "SOURCE_DATE_EPOCH '%s' is not a number of seconds since 1970; "
			  "set it to e.g. $(git log -1 --format=%%ct) or unset it (using the current time)", s);
		return;
	}
	epoch = (time_t)v;
	have_epoch = 1;
}

time_t srcdate_now(void)
{
	pthread_once(&once, S_read);
	return have_epoch ? epoch : time(NULL);
}

time_t srcdate_clamp(time_t file_time)
{
	pthread_once(&once, S_read);
	return have_epoch && file_time > epoch ? epoch : file_time;
}
