/* srcdate.h - the time a build stands for, reproducible on request.
 *
 * When SOURCE_DATE_EPOCH is set (seconds since 1970, as in
 * https://reproducible-builds.org/specs/source-date-epoch/) it is the time
 * of the build, and file times later than it are clamped to it: the same
 * sources then build to the same bytes on any day (the golden tests rely on
 * it).  Unset, the build time is now and file times are kept.
 */
#ifndef TOIVO_SRCDATE_H
#define TOIVO_SRCDATE_H

#include <time.h>

/* SOURCE_DATE_EPOCH, or now.  A value that is not a whole number of
 * seconds is reported once (warning) and ignored. */
time_t srcdate_now(void);
/* A file's modification time as the build shows it: at most
 * SOURCE_DATE_EPOCH when that is set. */
time_t srcdate_clamp(time_t file_time);

#endif
