/* opts.c - see opts.h. */
#include <string.h>

#include "diag.h"
#include "opts.h"

bool opts_next(struct opts *o)
{
	if (o->bad)
		return false;
	return ++o->i < o->argc;
}

const char *opts_arg(const struct opts *o)
{
	return o->argv[o->i];
}

bool opts_flag(struct opts *o, const char *lng, const char *shrt)
{
	const char *a = opts_arg(o);
	return !strcmp(a, lng) || (shrt && !strcmp(a, shrt));
}

bool opts_value(struct opts *o, const char *lng, const char *shrt, const char **out)
{
	const char *a = opts_arg(o);
	size_t n = strlen(lng);
	if (!strncmp(a, lng, n) && a[n] == '=') {
		*out = a + n + 1;
	} else if (opts_flag(o, lng, shrt)) {
		*out = o->i + 1 < o->argc ? o->argv[++o->i] : "";
	} else {
		return false;
	}
	if (!**out) {
		diag_usage(o->argv[0], "option '%s' needs a value", a);
		o->bad = true;
	}
	return true;
}

int opts_unknown(struct opts *o)
{
	const char *a = opts_arg(o);
	if (a[0] == '-')
		diag_usage(o->argv[0], "unknown option '%s'", a);
	else
		diag_usage(o->argv[0], "unexpected argument '%s' (the site's folder is given with -s DIR)", a);
	o->bad = true;
	return 2;
}
