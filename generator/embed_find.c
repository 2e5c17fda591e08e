/* embed_find.c - lookup in the built-in files. */
#include <string.h>

#include "embed.h"

const struct embed_file *embed_find(const char *path)
{
	for (const struct embed_file *f = embed_files; f->path; f++)
		if (strcmp(f->path, path) == 0)
			return f;
	return NULL;
}
