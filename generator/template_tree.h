/* template_tree.h - the parsed form of a template, shared by the parser
 * and loader (template.c) and the renderer (template_render.c).  Not for
 * the rest of toivo: its interface is template.h. */
#ifndef TOIVO_TEMPLATE_TREE_H
#define TOIVO_TEMPLATE_TREE_H

#include <stdbool.h>
#include <stddef.h>

#define MAX_DEPTH 100       /* partials, parents and blocks within each other */
#define MAX_NESTING 1000    /* sections within each other in one template */

enum ntype { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL, N_BLOCK, N_PARENT };

struct node {
	enum ntype type;
	/* Partial, parent: the tag (pair) stood alone on its line.  Block: its
	 * content starts on a line of its own (the opening tag ended a line). */
	bool standalone;
	int line, col;
	const char *text;       /* N_TEXT: a slice of the source */
	size_t len;
	const char *ind;        /* indentation (a slice of the source) */
	size_t ind_len;
	char *name;             /* the tag's name as written, trimmed */
	char **parts;           /* the name split at dots; none for "." */
	size_t nparts;
	struct node *kids;      /* section, inverted, block, parent */
	size_t nkids;
	const struct tpl *target;       /* partial, parent: resolved when loaded */
};

struct tpl {
	char *path;             /* the file, or the name given to tpl_cache_add */
	char *dirpre;           /* path up to its file name; NULL when added by name */
	char *ext;              /* ".mustache" */
	char *src;
	size_t len;
	struct node *nodes;
	size_t n;
	bool bad;               /* failed to parse; errors were reported */
	struct tpl *next;       /* every template of the cache, for freeing */
};

/* Mustache's white space within a line. */
static inline bool tpl_ws(char c)
{
	return c == ' ' || c == '\t';
}

#endif
