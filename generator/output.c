/* output.c - stage, write, swap. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "output.h"
#include "util.h"
#include "vfs.h"

int output_begin(struct output *o, const char *out)
{
	o->out = xstrdup(out);
	o->stage = NULL;
	struct stat st;
	if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode)) {
		diag_error(out, 0, 0, "the output path is a file, not a folder; remove it or choose another with -o");
		goto fail;
	}
	char *parent = path_dir(out);
	if (*parent && mkdir_p(parent) < 0) {
		diag_error(parent, 0, 0, "cannot create the output's folder: %s", strerror(errno));
		free(parent);
		goto fail;
	}
	const char *base = strrchr(out, '/');
	base = base ? base + 1 : out;
	/* A stage left behind by a killed build is removed first. */
	o->stage = xasprintf("%s%s.%s.toivo-stage", parent, *parent ? "/" : "", base);
	free(parent);
	rm_rf(o->stage);
	if (mkdir(o->stage, 0755) < 0) {
		diag_error(o->stage, 0, 0, "cannot create the build folder next to the output: %s; check the permissions of its folder",
			   strerror(errno));
		free(o->stage);
		o->stage = NULL;
		goto fail;
	}
	return 0;
fail:
	free(o->out);
	o->out = NULL;
	return -1;
}

static char *S_target(struct output *o, const char *rel, const char *who)
{
	char *norm = path_normalize(rel);
	if (!norm || !*norm) {
		diag_error(who, 0, 0, "output path '%s' leaves the output folder; fix the slug, alias or file name", rel);
		free(norm);
		return NULL;
	}
	char *full = path_join(o->stage, norm);
	char *dir = path_dir(full);
	if (mkdir_p(dir) < 0) {
		diag_error(who, 0, 0, "cannot create folder %s: %s", dir, strerror(errno));
		free(full);
		full = NULL;
	}
	free(dir);
	free(norm);
	return full;
}

int output_write(struct output *o, const char *rel, const void *data, size_t len, const char *who)
{
	char *full = S_target(o, rel, who);
	if (!full)
		return -1;
	int fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int r = fd < 0 ? -1 : 0;
	const char *p = data;
	while (r == 0 && len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			r = -1;
			break;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fd >= 0 && close(fd) < 0)
		r = -1;
	if (r < 0)
		diag_error(who, 0, 0, "cannot write %s: %s", full, strerror(errno));
	free(full);
	return r;
}

int output_copy(struct output *o, const char *rel, const char *from, const char *who)
{
	if (str_starts_with(from, "builtin:")) {
		char *data;
		size_t len;
		if (vfs_read(&data, &len, from) < 0) {
			diag_error(who, 0, 0, "cannot read %s", from);
			return -1;
		}
		int r = output_write(o, rel, data, len, who);
		free(data);
		return r;
	}
	char *full = S_target(o, rel, who);
	if (!full)
		return -1;
	int r = file_copy(from, full);
	if (r < 0)
		diag_error(who, 0, 0, "cannot copy %s to %s: %s", from, full, strerror(errno));
	free(full);
	return r;
}

int output_commit(struct output *o)
{
	int r = 0;
	if (is_dir(o->out)) {
		/* Exchange the two trees in one step: a reader (or a killed
		 * build) sees the old site or the new one, never a mix. */
		if (renameat2(AT_FDCWD, o->stage, AT_FDCWD, o->out, RENAME_EXCHANGE) < 0) {
			diag_error(o->out, 0, 0, "cannot replace the output folder: %s", strerror(errno));
			r = -1;
		}
	} else if (rename(o->stage, o->out) < 0) {
		diag_error(o->out, 0, 0, "cannot create the output folder: %s", strerror(errno));
		r = -1;
	}
	rm_rf(o->stage);
	free(o->stage);
	free(o->out);
	o->stage = o->out = NULL;
	return r;
}

void output_abort(struct output *o)
{
	if (o->stage)
		rm_rf(o->stage);
	free(o->stage);
	free(o->out);
	o->stage = o->out = NULL;
}
