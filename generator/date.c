/* date.c - dates as authors write them; see date.h. */
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "date.h"

time_t date_parse(const char *s)
{
	int y, m, d;
	char tail;
	/* Exactly three fields: text after the day is not a date. */
	if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return -1;
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m < 1 || m > 12 || d < 1 || y < 1900 || y > 9999 || d > days[m - 1] + (m == 2 && leap))
		return -1;      /* 2026-02-30 is no day, not 2 March */
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12 };
	time_t t = timegm(&tm);
	/* timegm moves 2023-02-30 to March: such a day does not exist. */
	if (tm.tm_mday != d || tm.tm_mon != m - 1)
		return -1;
	return t;
}
