/* i18n.c - UI strings and dates. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "i18n.h"
#include "site.h"
#include "theme.h"
#include "util.h"
#include "value.h"
#include "vfs.h"
#include "yamldoc.h"

/* Loads one strings file into map (keys from it replace those in map). */
static int S_load(struct value *map, const char *path)
{
	char *text;
	size_t len;
	errno = 0;
	if (vfs_read(&text, &len, path) < 0) {
		if (errno == ENOENT)
			return 0;
		diag_error(path, 0, 0, "cannot read: %s", file_strerror(errno));
		return 1;
	}
	const char *shown = str_starts_with(path, "builtin:") ? path + 8 : path;
	struct value *v;
	int r = yamldoc_parse(&v, text, len, shown, 0);
	free(text);
	if (r < 0)
		return 1;
	if (v->kind == V_MAP) {
		for (size_t i = 0; i < v->u.map.n; i++) {
			struct value *x = v->u.map.vals[i];
			if (x->kind == V_MAP || x->kind == V_LIST) {
				diag_error(shown, x->line, x->col, "UI string '%s' must be text; write it as %s: \"text\"", v->u.map.keys[i], v->u.map.keys[i]);
				r = 1;
				continue;
			}
			value_set(map, v->u.map.keys[i], value_copy(x));
		}
	} else if (v->kind != V_NULL) {
		diag_error(shown, 1, 1, "UI strings must be 'key: text' lines");
		r = 1;
	}
	value_free(v);
	return r ? 1 : 0;
}

/* How many missing UI strings the warning names before it only counts. */
#define I18N_NAMED 8

int i18n_load(struct site *s)
{
	int errors = 0;
	for (int k = 0; k < s->n_langs; k++) {
		struct value *m = value_map();
		/* Every place's file, the last place first: a key in an earlier
		 * place (the site's own i18n/) replaces just that key. */
		for (size_t i = s->themes->n; i-- > 0;) {
			char *p = xasprintf("%s/i18n/%s.yaml", s->themes->places[i].dir, s->langs[k].code);
			errors += S_load(m, p);
			free(p);
		}
		s->langs[k].strings = m;
	}
	const struct value *def = s->langs[s->default_lang].strings;
	for (int k = 0; k < s->n_langs; k++) {
		if (k == s->default_lang)
			continue;
		struct value *m = s->langs[k].strings;
		/* One message per language, however many strings it lacks: a
		 * new language lacks them all. */
		struct buf missing = BUF_INIT;
		int n = 0;
		for (size_t i = 0; i < def->u.map.n; i++) {
			if (value_get(m, def->u.map.keys[i]))
				continue;
			/* The first few name the kind of string; the count says
			 * the rest (a new language lacks them all: 85). */
			if (n < I18N_NAMED)
				buf_printf(&missing, "%s'%s'", n ? ", " : "", def->u.map.keys[i]);
			n++;
			value_set(m, def->u.map.keys[i], value_copy(def->u.map.vals[i]));
		}
		if (n == 1)
			diag_warn(s->config_path, 0, 0, "UI string %s is missing in language '%s'; add it to i18n/%s.yaml "
				  "(using the %s text meanwhile)", missing.data, s->langs[k].code, s->langs[k].code,
				  s->langs[s->default_lang].code);
		else if (n > 1) {
			if (n > I18N_NAMED)
				buf_printf(&missing, " and %d more", n - I18N_NAMED);
			diag_warn(s->config_path, 0, 0, "%d UI strings are missing in language '%s' (%s); add them to i18n/%s.yaml "
				  "(the %s texts are shown meanwhile; 'toivo new --lang %s DIR' writes DIR/i18n/%s.yaml with "
				  "every string to start from, see docs/languages.md)",
				  n, s->langs[k].code, missing.data, s->langs[k].code, s->langs[s->default_lang].code,
				  s->langs[k].code, s->langs[k].code);
		}
		buf_free(&missing);
	}
	return errors ? -1 : 0;
}

const char *i18n_get(const struct site *s, int lang, const char *key)
{
	return value_string(value_get(s->langs[lang].strings, key));
}

void i18n_iso_date(struct buf *b, time_t t)
{
	struct tm tm;
	if (!gmtime_r(&t, &tm))     /* beyond what struct tm holds: 1970-01-01 */
		tm = (struct tm){ .tm_mday = 1, .tm_year = 70 };
	buf_printf(b, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void i18n_date(struct buf *b, time_t t, const char *lang)
{
	static const char *const months[] = { "January", "February", "March", "April",
		"May", "June", "July", "August", "September", "October", "November", "December" };
	struct tm tm;
	if (!gmtime_r(&t, &tm))     /* beyond what struct tm holds: 1970-01-01 */
		tm = (struct tm){ .tm_mday = 1, .tm_year = 70 };
	if (!strcmp(lang, "fi"))
		buf_printf(b, "%d.%d.%d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
	else if (!strncmp(lang, "en", 2))
		buf_printf(b, "%d %s %d", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900);
	else
		i18n_iso_date(b, t);
}
