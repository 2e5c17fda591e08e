/* unit.h - what every unit test uses: "ok - what" / "not ok - what" lines
 * (as the shell tests print them, counted by tests/run.sh), the evidence on
 * "#" lines, and the exit status.  Each NAME_test.c includes it once. */
#ifndef TOIVO_UNIT_H
#define TOIVO_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "util.h"

static int unit_failed;

/* Writes root/rel with text, making its folders: test sites are real. */
static inline void unit_file(const char *root, const char *rel, const char *text)
{
	char *p = path_join(root, rel);
	char *d = path_dir(p);
	mkdir_p(d);
	file_write_atomic(p, text, strlen(text));
	free(d);
	free(p);
}

static inline void unit_check(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	if (!cond)
		unit_failed = 1;
}

/* got == want (both may be NULL). */
static inline void unit_str(const char *got, const char *want, const char *what)
{
	int same = got && want ? !strcmp(got, want) : got == want;
	unit_check(same, what);
	if (!same)
		printf("# got      %s\n# expected %s\n", got ? got : "(null)", want ? want : "(null)");
}

/* Messages reported through diag while a check runs, for looking at them. */
static struct buf unit_msgs = BUF_INIT;
static inline void unit_capture(void)
{
	buf_reset(&unit_msgs);
	diag_capture(&unit_msgs);
}
static inline const char *unit_captured(void)
{
	diag_capture(NULL);
	return unit_msgs.data;
}

static inline int unit_done(void)
{
	diag_capture(NULL);
	buf_free(&unit_msgs);
	return unit_failed;
}

#endif
