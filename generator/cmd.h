/* cmd.h - the commands of the toivo binary.  Each takes argc/argv starting
 * at the command's own name and returns the exit status: 0 success, 1
 * problems in the site, 2 wrong usage. */
#ifndef TOIVO_CMD_H
#define TOIVO_CMD_H

#include <stdio.h>

#define TOIVO_VERSION "0.1.0"

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
