/* keys.c - the one list of site.yaml and front-matter keys.
 *
 * Each key that the code reads is listed here once, one to a line, so
 * that tests/t_config_docs.sh can compare the list with the keys the
 * sources look up and with docs/configuration.md: a key added to the code
 * and not here, or here and not in the docs, fails the test.  site.yaml
 * only configures toivo, so a key not in the list there is a mistake;
 * front matter may carry any key of the page's own (templates read it as
 * page.params.KEY), so only a near miss of a known key is reported. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "keys.h"
#include "value.h"

/* site.yaml; a nested key is written with its map's name and a dot. */
static const char *const S_site_keys[] = {
	"title",
	"description",
	"languages",
	"default_language",
	"base_url",
	"theme",
	"image",
	"image_alt",
	"print",
	"review_interval",
	"markdown.unsafe",
	"hooks.instructions",
	"hooks.seconds",
	"pdf.timeout",
	"pdf.allow_remote",
	"publish.branch",
	"publish.remote",
	"publish.cname",
	NULL
};

/* front matter */
static const char *const S_front_keys[] = {
	"title",
	"description",
	"slug",
	"weight",
	"draft",
	"date",
	"reviewed",
	"reviewed_by",
	"translation_key",
	"aliases",
	"layout",
	"print",
	"search",
	"subtitle",
	"reading_time",
	"image",
	"image_alt",
	NULL
};

/* Edit distance between a and b, ignoring case, a swap of two neighbours
 * counting as one edit ("weigth"); 3 for anything further. */
static size_t S_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40 || (la > lb ? la - lb : lb - la) > 2)
		return 3;
	size_t d[41][41];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			size_t best = d[i - 1][j - 1] + (ca != cb);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb] > 3 ? 3 : d[la][lb];
}

const char *keys_suggest(const char *key, int site)
{
	const char *const *keys = site ? S_site_keys : S_front_keys;
	const char *best = NULL;
	size_t bd = 3;
	for (size_t i = 0; keys[i]; i++) {
		size_t d = S_distance(key, keys[i]);
		if (d < bd) {
			bd = d;
			best = keys[i];
		}
	}
	return best;
}

static bool S_known(const char *const *keys, const char *key)
{
	for (size_t i = 0; keys[i]; i++)
		if (!strcmp(keys[i], key))
			return true;
	return false;
}

/* True when some known key starts with "name." (a map of keys). */
static bool S_is_map(const char *name, size_t n)
{
	for (size_t i = 0; S_site_keys[i]; i++)
		if (!strncmp(S_site_keys[i], name, n) && S_site_keys[i][n] == '.')
			return true;
	return false;
}

static void S_unknown_site(const char *key, const struct value *v, const char *path)
{
	const char *near = keys_suggest(key, 1);
	if (near)
		diag_warn(path, v->line, v->col, "unknown key '%s' in site.yaml; did you mean '%s'? "
			  "See docs/configuration.md for every key", key, near);
	else
		diag_warn(path, v->line, v->col, "unknown key '%s' in site.yaml; toivo does not read it: "
			  "remove it, or see docs/configuration.md for every key", key);
}

void keys_check_site(const struct value *config, const char *path)
{
	if (!config || config->kind != V_MAP)
		return;
	for (size_t i = 0; i < config->u.map.n; i++) {
		const char *k = config->u.map.keys[i];
		const struct value *v = config->u.map.vals[i];
		if (S_known(S_site_keys, k))
			continue;
		if (!S_is_map(k, strlen(k))) {
			S_unknown_site(k, v, path);
			continue;
		}
		if (v->kind != V_MAP)
			continue;       /* its reader says what it must be */
		for (size_t j = 0; j < v->u.map.n; j++) {
			char dotted[256];
			snprintf(dotted, sizeof dotted, "%s.%s", k, v->u.map.keys[j]);
			if (!S_known(S_site_keys, dotted))
				S_unknown_site(dotted, v->u.map.vals[j], path);
		}
	}
}

void keys_check_front(const struct value *fm, const char *path)
{
	if (!fm || fm->kind != V_MAP)
		return;
	for (size_t i = 0; i < fm->u.map.n; i++) {
		const char *k = fm->u.map.keys[i];
		if (S_known(S_front_keys, k))
			continue;
		/* Only a near miss of a longer key: short keys of the page's
		 * own ("data" beside "date") are too likely on purpose. */
		const char *near = keys_suggest(k, 0);
		size_t n = near ? strlen(near) : 0;
		if (!near || n < 5 || (n < 8 && S_distance(k, near) > 1))
			continue;
		const struct value *v = fm->u.map.vals[i];
		diag_warn(path, v->line, v->col, "unknown front-matter key '%s'; did you mean '%s'? "
			  "See docs/configuration.md for every key", k, near);
	}
}
