/* cmd.h - the commands of the toivo binary.  Each takes argc/argv starting
 * at the command's own name and returns the exit status: 0 success, 1
 * problems in the site, 2 wrong usage. */
#ifndef TOIVO_CMD_H
#define TOIVO_CMD_H

#include <stdio.h>

/* The released number (debian/changelog and the Makefile read it from
 * here).  A build from a git checkout gets TOIVO_VERSION from `git
 * describe` through build/version.h, which the Makefile writes. */
#define TOIVO_RELEASE "0.2.0"
#ifndef TOIVO_VERSION
#define TOIVO_VERSION TOIVO_RELEASE
#endif

int cmd_build(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_pdf(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_clean(int argc, char **argv);
void cmd_usage(FILE *f);

#endif
