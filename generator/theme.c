/* theme.c - the places a theme file is looked for (see theme.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "hmap.h"
#include "theme.h"
#include "util.h"
#include "value.h"
#include "vfs.h"
#include "yamldoc.h"

#define BUILTIN_DEFAULT "builtin:themes/default"

static void S_add(struct theme *t, char *dir, char *shown)
{
	t->places = xrealloc(t->places, (t->n + 1) * sizeof *t->places);
	t->places[t->n].dir = dir;
	t->places[t->n].shown = shown;
	t->n++;
}

/* A theme name is one folder under themes/. */
static bool S_name_ok(const char *name)
{
	return *name && !strchr(name, '/') && !strchr(name, '\\') && name[0] != '.';
}

/* What themes/NAME/theme.yaml says it extends: *next is "default" when it
 * says nothing (or when there is no theme.yaml).  0, or -1 after
 * reporting. */
static int S_extends(char **next, int *line, int *col, const char *dir)
{
	*next = xstrdup("default");
	*line = *col = 0;
	char *path = path_join(dir, "theme.yaml");
	int rc = 0;
	struct value *v = NULL;
	if (!vfs_exists(path))
		goto out;
	if (yamldoc_load(&v, path) < 0) {
		rc = -1;
		goto out;
	}
	if (v->kind != V_MAP && v->kind != V_NULL) {
		diag_error(path, v->line, v->col, "theme.yaml must be 'key: value' lines, such as extends: default");
		rc = -1;
		goto out;
	}
	const struct value *e = v->kind == V_MAP ? value_get(v, "extends") : NULL;
	if (!e)
		goto out;
	const char *name = value_string(e);
	*line = e->line;
	*col = e->col;
	if (e->kind != V_STR || !name || !S_name_ok(name)) {
		diag_error(path, e->line, e->col, "extends must name one folder under themes/, such as extends: default");
		rc = -1;
		goto out;
	}
	free(*next);
	*next = xstrdup(name);
out:
	value_free(v);
	free(path);
	return rc;
}

int theme_load(struct theme **out, const char *root, const char *name,
	       const char *config_path, int line, int col)
{
	*out = NULL;
	struct theme *t = xcalloc(1, sizeof *t);
	S_add(t, xstrdup(root), xstrdup("."));
	char *cur = xstrdup(name ? name : "default");
	/* who names cur, for a message about it: site.yaml, then each
	 * theme.yaml in turn */
	char *who = xstrdup(config_path);
	int rc = 0;
	if (!S_name_ok(cur)) {
		diag_error(who, line, col, "theme '%s' must be a folder name under themes/", cur);
		rc = -1;
		goto out;
	}
	for (;;) {
		char *dir = xasprintf("%s/themes/%s", root, cur);
		for (size_t i = 1; i < t->n; i++) {
			if (strcmp(t->places[i].dir, dir))
				continue;
			struct buf chain = BUF_INIT;
			for (size_t k = i; k < t->n; k++)
				buf_printf(&chain, "%s -> ", t->places[k].shown + strlen("themes/"));
			buf_puts(&chain, cur);
			diag_error(who, line, col, "themes extend each other in a circle (%s); "
				   "make one of them extend default, or say nothing", chain.data);
			buf_free(&chain);
			free(dir);
			rc = -1;
			goto out;
		}
		if (!is_dir(dir)) {
			free(dir);
			if (!strcmp(cur, "default"))
				break;
			diag_error(who, line, col, "theme '%s' not found: no folder themes/%s; create it, or leave theme: out for the built-in one",
				   cur, cur);
			rc = -1;
			goto out;
		}
		S_add(t, dir, xasprintf("themes/%s", cur));
		if (!strcmp(cur, "default"))
			break;
		char *next;
		if (S_extends(&next, &line, &col, dir) < 0) {
			free(next);
			rc = -1;
			goto out;
		}
		free(who);
		who = path_join(dir, "theme.yaml");
		free(cur);
		cur = next;
	}
	/* The built-in theme is always last: a copy of default that lacks a
	 * file still finds it. */
	S_add(t, xstrdup(BUILTIN_DEFAULT), xstrdup("(built in) themes/default"));
out:
	free(cur);
	free(who);
	if (rc < 0)
		theme_free(t);
	else
		*out = t;
	return rc;
}

void theme_free(struct theme *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->places[i].dir);
		free(t->places[i].shown);
	}
	free(t->places);
	free(t);
}

char *theme_find(const struct theme *t, const char *rel)
{
	for (size_t i = 0; i < t->n; i++) {
		char *p = path_join(t->places[i].dir, rel);
		if (vfs_exists(p))
			return p;
		free(p);
	}
	return NULL;
}

/* "themes/mine/layouts/x.mustache" for place i and rel. */
static void S_shown(struct buf *b, const struct theme_place *pl, const char *rel)
{
	if (!strcmp(pl->shown, "."))
		buf_puts(b, rel);
	else if (str_starts_with(pl->dir, "builtin:"))
		buf_printf(b, "(built in) themes/default/%s", rel);
	else
		buf_printf(b, "%s/%s", pl->shown, rel);
}

void theme_looked(struct buf *b, const struct theme *t, const char *rel)
{
	for (size_t i = 0; i < t->n; i++) {
		if (i)
			buf_puts(b, ", ");
		S_shown(b, &t->places[i], rel);
	}
}

char *theme_shown(const struct theme *t, const char *full)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < t->n && !b.len; i++) {
		size_t n = strlen(t->places[i].dir);
		if (!strncmp(full, t->places[i].dir, n) && full[n] == '/')
			S_shown(&b, &t->places[i], full + n + 1);
	}
	if (!b.len)
		buf_puts(&b, full);
	return buf_detach(&b, NULL);
}

struct walk_ctx {
	struct hmap seen;
	void (*fn)(void *ud, const char *full, const char *rel);
	void *ud;
};

static void S_walk_one(void *ud, const char *full, const char *rel)
{
	struct walk_ctx *w = ud;
	if (hmap_get(&w->seen, rel))
		return;
	hmap_put(&w->seen, rel, (void *)1);
	w->fn(w->ud, full, rel);
}

void theme_walk(const struct theme *t, const char *sub,
		void (*fn)(void *ud, const char *full, const char *rel), void *ud)
{
	struct walk_ctx w = { .fn = fn, .ud = ud };
	for (size_t i = 0; i < t->n; i++) {
		char *dir = path_join(t->places[i].dir, sub);
		if (str_starts_with(dir, "builtin:") || is_dir(dir))
			vfs_walk(dir, S_walk_one, &w);
		free(dir);
	}
	hmap_free(&w.seen);
}
