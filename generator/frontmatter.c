/* frontmatter.c - split and check the YAML block at the top of a page. */
#include <stdbool.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "diag.h"
#include "frontmatter.h"
#include "keys.h"
#include "util.h"
#include "value.h"
#include "yamldoc.h"

/* Returns the length of the line starting at p (without its newline). */
static size_t S_line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? (size_t)(nl - p) : (size_t)(end - p);
}

static bool S_is_fence(const char *p, size_t n)
{
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return n == 3 && memcmp(p, "---", 3) == 0;
}

static const char *S_kind_name(const struct value *v)
{
	switch (v->kind) {
	case V_NULL: return "nothing";
	case V_BOOL: return "true/false";
	case V_NUM: return "a number";
	case V_STR: return "text";
	case V_LIST: return "a list";
	default: return "a map";
	}
}

static int S_expect(const struct value *fm, const char *key, enum value_kind kind,
		    const char *path, const char *hint)
{
	const struct value *v = value_get(fm, key);
	if (!v || v->kind == kind)
		return 0;
	/* A date or number may be written bare where text is wanted: YAML made
	 * it a number, which is fine for text keys. */
	if (kind == V_STR && (v->kind == V_NUM || v->kind == V_BOOL))
		return 0;
	diag_error(path, v->line, v->col, "'%s' must be %s, not %s; %s", key,
		   kind == V_STR ? "text" : kind == V_NUM ? "a number" :
		   kind == V_BOOL ? "true or false" : "a list",
		   S_kind_name(v), hint);
	return -1;
}

static int S_check(struct value *fm, const char *path)
{
	int bad = 0;
	bad |= S_expect(fm, "title", V_STR, path, "write it as text, e.g. title: \"Tulokset\"");
	bad |= S_expect(fm, "description", V_STR, path, "write one sentence of text");
	bad |= S_expect(fm, "slug", V_STR, path, "write the last part of the URL, e.g. slug: results");
	bad |= S_expect(fm, "weight", V_NUM, path, "write a whole number, e.g. weight: 3");
	bad |= S_expect(fm, "draft", V_BOOL, path, "write draft: true or draft: false");
	bad |= S_expect(fm, "date", V_STR, path, "write a date as YYYY-MM-DD");
	bad |= S_expect(fm, "reviewed", V_STR, path, "write a date as YYYY-MM-DD");
	bad |= S_expect(fm, "translation_key", V_STR, path, "write a short name shared by the translations");
	bad |= S_expect(fm, "layout", V_STR, path, "write the name of a layout in the theme");
	bad |= S_expect(fm, "image", V_STR, path, "write a picture's file name, e.g. image: kansi.jpg");
	bad |= S_expect(fm, "image_alt", V_STR, path, "write one sentence saying what the picture shows");
	const struct value *al = value_get(fm, "aliases");
	if (al && al->kind == V_STR) {
		/* One alias written without brackets: make it a list. */
		struct value *l = value_list();
		l->line = al->line;
		l->col = al->col;
		value_push(l, value_copy(al));
		value_set(fm, "aliases", l);
	} else if (al && al->kind != V_LIST) {
		bad |= S_expect(fm, "aliases", V_LIST, path, "write a list of old URLs, e.g. aliases: [/fi/vanha/]");
	} else if (al) {
		for (size_t i = 0; i < al->u.list.n; i++) {
			const struct value *a = al->u.list.items[i];
			if (a->kind != V_STR) {
				diag_error(path, a->line, a->col, "an alias must be text (a URL path such as /fi/vanha/)");
				bad = -1;
			}
		}
	}
	static const char *const dates[] = { "date", "reviewed" };
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		const struct value *v = value_get(fm, dates[i]);
		if (!v || v->kind == V_NULL || v->kind == V_LIST || v->kind == V_MAP ||
		    (v->kind == V_STR && date_parse(v->u.str.s) != (time_t)-1))
			continue;       /* a list or map was reported above */
		/* A bare 2026 or 20260301 is a number to YAML, and no date either. */
		struct buf shown = BUF_INIT;
		bool calendar = false;
		if (v->kind == V_STR) {
			buf_puts(&shown, v->u.str.s);
			date_check(v->u.str.s, &calendar);
		} else {
			value_to_text(&shown, v);
		}
		if (calendar)
			diag_error(path, v->line, v->col, "%s: '%s' is not a date of the calendar; write YYYY-MM-DD "
				   "with a month from 01 to 12 and a day that the month has, e.g. %s: 2026-03-01",
				   dates[i], shown.data, dates[i]);
		else
			diag_error(path, v->line, v->col, "%s: '%s' is not a date; write it as YYYY-MM-DD (ISO 8601), "
				   "e.g. %s: 2026-03-01, or with a time: %s: 2026-03-01T14:30",
				   dates[i], shown.data, dates[i], dates[i]);
		buf_free(&shown);
		bad = -1;
	}
	const char *slug = value_string(value_get(fm, "slug"));
	if (slug && (!*slug || strchr(slug, '/') || strchr(slug, '\\') ||
		     !strcmp(slug, ".") || !strcmp(slug, ".."))) {
		const struct value *v = value_get(fm, "slug");
		diag_error(path, v->line, v->col, "slug '%s' is not one URL segment; use letters, digits and '-' only", slug);
		bad = -1;
	}
	const struct value *w = value_get(fm, "weight");
	if (w && w->kind == V_NUM && (w->u.n != w->u.n || w->u.n > 1e9 || w->u.n < -1e9)) {
		diag_error(path, w->line, w->col, "weight is out of range; use a number between -1000000000 and 1000000000");
		bad = -1;
	}
	keys_check_front(fm, path);
	return bad;
}

int frontmatter_parse(struct value **fm, size_t *body_off, int *body_line,
		      const char *text, size_t len, const char *path)
{
	const char *end = text + len;
	const char *p = text;
	*fm = NULL;
	*body_off = 0;
	*body_line = 1;
	/* A byte-order mark is allowed before the fence. */
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	size_t n = S_line_len(p, end);
	if (!S_is_fence(p, n)) {
		*fm = value_map();
		*body_off = (size_t)(p - text);
		return 0;
	}
	const char *yaml = p + n + (p + n < end);
	const char *q = yaml;
	int line = 2;
	while (q < end) {
		size_t m = S_line_len(q, end);
		if (S_is_fence(q, m)) {
			struct value *v;
			if (yamldoc_parse(&v, yaml, (size_t)(q - yaml), path, 1) < 0)
				return -1;
			if (v->kind == V_NULL) {
				value_free(v);
				v = value_map();
			} else if (v->kind != V_MAP) {
				diag_error(path, 2, 1, "front matter must be 'key: value' lines; found %s", S_kind_name(v));
				value_free(v);
				return -1;
			}
			if (S_check(v, path) < 0) {
				value_free(v);
				return -1;
			}
			*fm = v;
			q += m;
			if (q < end)
				q++;
			*body_off = (size_t)(q - text);
			*body_line = line + 1;
			return 0;
		}
		q += m;
		if (q < end)
			q++;
		line++;
	}
	diag_error(path, 1, 1, "front matter is never closed; add a line '---' after its last key");
	return -1;
}
