/* date.h - dates as authors write them (front matter, review dates).
 * A leaf: front matter, checks and templates all read dates this way. */
#ifndef TOIVO_DATE_H
#define TOIVO_DATE_H

#include <time.h>

/* Parses YYYY-MM-DD into a time (noon UTC); -1 when not a date, such as
 * 2026-02-30 or text after the day. */
time_t date_parse(const char *s);

#endif
