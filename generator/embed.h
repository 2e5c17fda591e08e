/* embed.h - the built-in theme and hooks, compiled into the binary from
 * themes/default/ and lua/ by tools/embed.sh. */
#ifndef TOIVO_EMBED_H
#define TOIVO_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *path;               /* "themes/default/layouts/baseof.mustache" */
	const unsigned char *data;      /* NUL-terminated */
	size_t len;
};

/* The files, ending with an entry whose path is NULL. */
extern const struct embed_file embed_files[];

/* Returns the file with this path, or NULL. */
const struct embed_file *embed_find(const char *path);

#endif
