/* date.c - dates as authors write them; see date.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"

/* Reads exactly n digits at *s into *v and moves past them. */
static bool S_digits(const char **s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*s)[i];
		if (c < '0' || c > '9')
			return false;
		*v = *v * 10 + (c - '0');
	}
	*s += n;
	return true;
}

/* HH:MM, then :SS and .fraction if there, then Z or an offset +HH:MM,
 * +HHMM or +HH: the ISO 8601 times that YAML and Hugo users write. */
static bool S_time(const char *s)
{
	int h, m, sec, oh, om;
	if (!S_digits(&s, 2, &h) || *s++ != ':' || !S_digits(&s, 2, &m) || h > 23 || m > 59)
		return false;
	if (*s == ':') {
		s++;
		if (!S_digits(&s, 2, &sec) || sec > 60)
			return false;
		if (*s == '.' || *s == ',') {
			s++;
			if (*s < '0' || *s > '9')
				return false;
			while (*s >= '0' && *s <= '9')
				s++;
		}
	}
	if (*s == 'Z')
		return s[1] == '\0';
	if (*s == '+' || *s == '-') {
		s++;
		if (!S_digits(&s, 2, &oh) || oh > 23)
			return false;
		if (*s == ':')
			s++;
		if (*s && (!S_digits(&s, 2, &om) || om > 59))
			return false;
	}
	return *s == '\0';
}

time_t date_check(const char *s, bool *calendar)
{
	int y, m, d;
	if (calendar)
		*calendar = false;
	if (!s || !S_digits(&s, 4, &y) || *s++ != '-' || !S_digits(&s, 2, &m) ||
	    *s++ != '-' || !S_digits(&s, 2, &d))
		return -1;
	/* Text after the day is a time, or no date at all. */
	if (*s && !((*s == 'T' || *s == 't' || *s == ' ') && S_time(s + 1)))
		return -1;
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m < 1 || m > 12 || d < 1 || y < 1900 || d > days[m - 1] + (m == 2 && leap)) {
		if (calendar)
			*calendar = true;
		return -1;      /* 2026-02-30 is no day, not 2 March */
	}
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12 };
	return timegm(&tm);
}

time_t date_parse(const char *s)
{
	return date_check(s, NULL);
}
