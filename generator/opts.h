/* opts.h - command-line options, read the same way by every command:
 * "-s DIR", "--site DIR", "--site=DIR"; flags "-q", "--quiet".
 *
 *     struct opts o = OPTS_INIT(argc, argv);
 *     while (opts_next(&o)) {
 *         if (opts_value(&o, "--site", "-s", &root)) continue;
 *         if (opts_flag(&o, "--quiet", "-q")) { quiet = true; continue; }
 *         return opts_unknown(&o);
 *     }
 *     if (o.bad) return 2;
 *
 * Usage errors are reported through diag_usage ("toivo CMD: error: ...;
 * see 'toivo --help'"); a command that meets one exits 2.
 */
#ifndef TOIVO_OPTS_H
#define TOIVO_OPTS_H

#include <stdbool.h>

struct opts {
	int argc;
	char **argv;            /* argv[0] is the command's name */
	int i;                  /* the argument being looked at */
	bool bad;               /* a usage error was reported */
};
#define OPTS_INIT(argc, argv) { (argc), (argv), 0, false }

/* Moves to the next argument; false at the end or after a usage error. */
bool opts_next(struct opts *o);
/* The current argument. */
const char *opts_arg(const struct opts *o);
/* True when the argument is the flag (long or short; shrt may be NULL). */
bool opts_flag(struct opts *o, const char *lng, const char *shrt);
/* True when the argument is the option: *out gets its value (the next
 * argument, or what follows "--name=").  A missing or empty value is a
 * usage error (reported, o->bad set; still true). */
bool opts_value(struct opts *o, const char *lng, const char *shrt, const char **out);
/* Reports the current argument as unknown; returns 2. */
int opts_unknown(struct opts *o);

#endif
