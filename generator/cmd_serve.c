/* cmd_serve.c - toivo serve: the command line.  The server is serve.c. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "serve.h"
#include "serve_watch.h"
#include "util.h"

/* "--port=N" or "--port N": the value, advancing *i; NULL when missing. */
static const char *S_value(int argc, char **argv, int *i, const char *name, bool *matched)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	*matched = false;
	if (strncmp(a, name, n))
		return NULL;
	if (a[n] == '=') {
		*matched = true;
		return a + n + 1;
	}
	if (a[n])
		return NULL;
	*matched = true;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static bool S_loopback(const char *addr)
{
	struct in_addr a4;
	struct in6_addr a6;
	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) == 1) {
		if (IN6_IS_ADDR_LOOPBACK(&a6))
			return true;
		return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
	}
	return false;
}

/* Refuses an output folder inside a watched folder: every build would
 * trigger the next. */
static bool S_out_inside_watched(const char *root, const char *out)
{
	char *rr = realpath(root, NULL);
	char *parent = path_dir(out);
	char *rp = realpath(*parent ? parent : ".", NULL);
	bool inside = false;
	for (size_t i = 0; rr && rp && serve_watch_folders[i]; i++) {
		char *w = path_join(rr, serve_watch_folders[i]);
		size_t n = strlen(w);
		if (!strncmp(rp, w, n) && (rp[n] == '/' || rp[n] == '\0'))
			inside = true;
		/* OUT itself named as the watched folder */
		char *full = rp ? path_join(rp, strrchr(out, '/') ? strrchr(out, '/') + 1 : out) : NULL;
		if (full && !strcmp(full, w))
			inside = true;
		free(full);
		free(w);
	}
	free(rr);
	free(rp);
	free(parent);
	return inside;
}

int cmd_serve(int argc, char **argv)
{
	struct serve_opts o = { .root = ".", .bind = "127.0.0.1", .port = 1313 };
	char bind_buf[64];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool m;
		const char *val;
		if (!strcmp(a, "-s") || !strcmp(a, "--site")) {
			if (!v)
				goto missing;
			o.root = v;
			i++;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--out")) {
			if (!v)
				goto missing;
			o.out = v;
			i++;
		} else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
			if (!v || atoi(v) < 1)
				goto missing;
			o.jobs = atoi(v);
			i++;
		} else if ((val = S_value(argc, argv, &i, "--port", &m)), m) {
			if (!val)
				goto missing;
			char *end;
			long p = strtol(val, &end, 10);
			if (!*val || *end || p < 1 || p > 65535) {
				diag_error(NULL, 0, 0, "--port must be a number from 1 to 65535, not '%s'", val);
				return 2;
			}
			o.port = (int)p;
		} else if ((val = S_value(argc, argv, &i, "--bind", &m)), m) {
			if (!val)
				goto missing;
			size_t n = strlen(val);
			if (!strcmp(val, "localhost"))
				val = "127.0.0.1";
			else if (n >= 2 && n < sizeof bind_buf && val[0] == '[' && val[n - 1] == ']') {
				memcpy(bind_buf, val + 1, n - 2);
				bind_buf[n - 2] = '\0';
				val = bind_buf;
			}
			struct in6_addr tmp;
			if (inet_pton(AF_INET, val, &tmp) != 1 && inet_pton(AF_INET6, val, &tmp) != 1) {
				diag_error(NULL, 0, 0, "--bind needs an IPv4 or IPv6 address such as 127.0.0.1 "
					"or ::1, not '%s'", val);
				return 2;
			}
			o.bind = val;
		} else {
			diag_error(NULL, 0, 0, "unknown option '%s'; see 'toivo --help'", a);
			return 2;
		}
		continue;
missing:
		diag_error(NULL, 0, 0, "option '%s' needs a value; see 'toivo --help'", a);
		return 2;
	}
	char *cfg = path_join(o.root, "site.yaml");
	bool have = is_file(cfg);
	if (!have)
		diag_error(cfg, 0, 0, "site.yaml not found; run toivo serve in a site's folder "
			   "or name the folder with -s DIR");
	free(cfg);
	if (!have)
		return 1;
	if (o.out && S_out_inside_watched(o.root, o.out)) {
		diag_error(o.out, 0, 0, "the output folder is inside a folder that is watched for "
			   "changes; choose another with -o OUT");
		return 2;
	}
	if (!S_loopback(o.bind))
		diag_warn(NULL, 0, 0, "listening on %s makes the preview reachable from other "
			"machines; use --bind 127.0.0.1 to keep it on this one", o.bind);
	return serve_run(&o);
}
