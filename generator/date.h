/* date.h - dates as authors write them (front matter, review dates).
 * A leaf: front matter, checks and templates all read dates this way. */
#ifndef TOIVO_DATE_H
#define TOIVO_DATE_H

#include <stdbool.h>
#include <time.h>

/* Parses an ISO 8601 date, YYYY-MM-DD, into its day (noon UTC); a time
 * may follow (2026-03-01T14:30, 2026-03-01 14:30:00+02:00, ...Z) and is
 * checked, not kept.  -1 when not a date, such as "eilen", 2026-02-30 or
 * other text after the day. */
time_t date_parse(const char *s);
/* Like date_parse; on -1, *calendar (when not NULL) tells a date of the
 * right form that the calendar does not have (2026-02-30, 2026-13-01)
 * from text of another form. */
time_t date_check(const char *s, bool *calendar);

#endif
