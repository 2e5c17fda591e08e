/* value.c - a tree of data; see value.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"
#include "value.h"

static struct value *S_new(enum value_kind k)
{
	struct value *v = xcalloc(1, sizeof *v);
	v->kind = k;
	return v;
}

struct value *value_null(void) { return S_new(V_NULL); }

struct value *value_bool(bool b)
{
	struct value *v = S_new(V_BOOL);
	v->u.b = b;
	return v;
}

struct value *value_num(double n)
{
	struct value *v = S_new(V_NUM);
	v->u.n = n;
	return v;
}

struct value *value_str_own(char *s, size_t len)
{
	struct value *v = S_new(V_STR);
	v->u.str.s = s;
	v->u.str.len = len;
	return v;
}

struct value *value_strn(const char *s, size_t len)
{
	return value_str_own(xstrndup(s, len), len);
}

struct value *value_str(const char *s)
{
	return value_strn(s ? s : "", s ? strlen(s) : 0);
}

struct value *value_list(void) { return S_new(V_LIST); }
struct value *value_map(void) { return S_new(V_MAP); }

void value_free(struct value *v)
{
	if (!v || v->borrowed)
		return;
	switch (v->kind) {
	case V_STR:
		free(v->u.str.s);
		break;
	case V_LIST:
		for (size_t i = 0; i < v->u.list.n; i++)
			value_free(v->u.list.items[i]);
		free(v->u.list.items);
		break;
	case V_MAP:
		for (size_t i = 0; i < v->u.map.n; i++) {
			free(v->u.map.keys[i]);
			value_free(v->u.map.vals[i]);
		}
		free(v->u.map.keys);
		free(v->u.map.vals);
		break;
	default:
		break;
	}
	free(v);
}

struct value *value_copy(const struct value *v)
{
	struct value *c;
	switch (v->kind) {
	case V_STR:
		c = value_strn(v->u.str.s, v->u.str.len);
		break;
	case V_LIST:
		c = value_list();
		for (size_t i = 0; i < v->u.list.n; i++)
			value_push(c, value_copy(v->u.list.items[i]));
		break;
	case V_MAP:
		c = value_map();
		for (size_t i = 0; i < v->u.map.n; i++)
			value_set(c, v->u.map.keys[i], value_copy(v->u.map.vals[i]));
		break;
	default:
		c = S_new(v->kind);
		c->u = v->u;
		break;
	}
	c->line = v->line;
	c->col = v->col;
	return c;
}

struct value *value_borrow(struct value *v)
{
	v->borrowed = true;
	return v;
}

void value_push(struct value *list, struct value *item)
{
	list->u.list.items = xgrow(list->u.list.items, &list->u.list.cap,
				   list->u.list.n, sizeof *list->u.list.items);
	list->u.list.items[list->u.list.n++] = item;
}

void value_set(struct value *map, const char *key, struct value *v)
{
	for (size_t i = 0; i < map->u.map.n; i++) {
		if (strcmp(map->u.map.keys[i], key) == 0) {
			value_free(map->u.map.vals[i]);
			map->u.map.vals[i] = v;
			return;
		}
	}
	size_t cap = map->u.map.cap;
	map->u.map.keys = xgrow(map->u.map.keys, &cap, map->u.map.n, sizeof(char *));
	cap = map->u.map.cap;
	map->u.map.vals = xgrow(map->u.map.vals, &cap, map->u.map.n, sizeof(struct value *));
	map->u.map.cap = cap;
	map->u.map.keys[map->u.map.n] = xstrdup(key);
	map->u.map.vals[map->u.map.n++] = v;
}

void value_set_str(struct value *map, const char *key, const char *s)
{
	value_set(map, key, value_str(s));
}

void value_set_num(struct value *map, const char *key, double n)
{
	value_set(map, key, value_num(n));
}

void value_set_bool(struct value *map, const char *key, bool b)
{
	value_set(map, key, value_bool(b));
}

struct value *value_get(const struct value *map, const char *key)
{
	if (!map || map->kind != V_MAP)
		return NULL;
	/* Templates look names up through every map of their context: most
	 * keys differ in the first byte, which is compared before calling. */
	char k0 = key[0];
	for (size_t i = 0; i < map->u.map.n; i++)
		if (map->u.map.keys[i][0] == k0 && strcmp(map->u.map.keys[i], key) == 0)
			return map->u.map.vals[i];
	return NULL;
}

struct value *value_path(const struct value *v, const char *dotted)
{
	const char *p = dotted;
	while (v && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		char key[256];
		if (n >= sizeof key)
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		v = value_get(v, key);
		p += n;
		if (*p == '.')
			p++;
	}
	return (struct value *)v;
}

const char *value_string(const struct value *v)
{
	return v && v->kind == V_STR ? v->u.str.s : NULL;
}

bool value_truthy(const struct value *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case V_NULL: return false;
	case V_BOOL: return v->u.b;
	case V_STR: return v->u.str.len > 0;
	case V_LIST: return v->u.list.n > 0;
	default: return true;
	}
}

static void S_num(struct buf *b, double n)
{
	if (isnan(n) || isinf(n)) {
		buf_puts(b, isnan(n) ? "nan" : n > 0 ? "inf" : "-inf");
		return;
	}
	if (n == floor(n) && fabs(n) < 1e15) {
		buf_printf(b, "%.0f", n);
		return;
	}
	char tmp[32];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, n);
		if (strtod(tmp, NULL) == n)
			break;
	}
	buf_puts(b, tmp);
}

void value_to_text(struct buf *b, const struct value *v)
{
	if (!v)
		return;
	switch (v->kind) {
	case V_BOOL: buf_puts(b, v->u.b ? "true" : "false"); break;
	case V_NUM: S_num(b, v->u.n); break;
	case V_STR: buf_add(b, v->u.str.s, v->u.str.len); break;
	default: break;
	}
}

/* Bytes that need more than a copy in a JSON string: '"', '\\', control
 * characters, '<' (so the JSON can sit in a <script> element) and 0xe2,
 * which may start U+2028 or U+2029 (line ends in older JavaScript). */
static const unsigned char S_json_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1, ['<'] = 1, [0xe2] = 1,
};

/* Runs of plain bytes are copied whole: the search index writes tens of
 * megabytes of text through here. */
void value_json_string(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	buf_grow(b, len + 2);
	char *o = b->data + b->len;
	*o++ = '"';
	size_t i = 0;
	for (;;) {
		size_t run = i;
		while (run < len && !S_json_special[u[run]])
			run++;
		memcpy(o, s + i, run - i);
		o += run - i;
		i = run;
		if (i == len)
			break;
		/* At most 6 bytes for this one; room for the rest as well. */
		b->len = (size_t)(o - b->data);
		buf_grow(b, 6 + (len - i) + 1);
		o = b->data + b->len;
		unsigned c = u[i++];
		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if (c == 0xe2 && i + 1 < len && u[i] == 0x80 && (u[i + 1] == 0xa8 || u[i + 1] == 0xa9)) {
			memcpy(o, u[i + 1] == 0xa8 ? "\\u2028" : "\\u2029", 6);
			o += 6;
			i += 2;
		} else if (c == 0xe2) {
			*o++ = (char)c;
		} else {        /* a control character or '<' */
			memcpy(o, "\\u00", 4);
			o[4] = hex[c >> 4];
			o[5] = hex[c & 15];
			o += 6;
		}
	}
	*o++ = '"';
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}

void value_to_json(struct buf *b, const struct value *v)
{
	if (!v) {
		buf_puts(b, "null");
		return;
	}
	switch (v->kind) {
	case V_NULL: buf_puts(b, "null"); break;
	case V_BOOL:
	case V_NUM: value_to_text(b, v); break;
	case V_STR: value_json_string(b, v->u.str.s, v->u.str.len); break;
	case V_LIST:
		buf_putc(b, '[');
		for (size_t i = 0; i < v->u.list.n; i++) {
			if (i)
				buf_putc(b, ',');
			value_to_json(b, v->u.list.items[i]);
		}
		buf_putc(b, ']');
		break;
	case V_MAP:
		buf_putc(b, '{');
		for (size_t i = 0; i < v->u.map.n; i++) {
			if (i)
				buf_putc(b, ',');
			value_json_string(b, v->u.map.keys[i], strlen(v->u.map.keys[i]));
			buf_putc(b, ':');
			value_to_json(b, v->u.map.vals[i]);
		}
		buf_putc(b, '}');
		break;
	}
}
