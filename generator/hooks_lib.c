/* hooks_lib.c - the toivo table of the Lua hooks, and values <-> Lua
 * (see hooks.c). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "buf.h"
#include "csv.h"
#include "diag.h"
#include "hooks.h"
#include "hooks_impl.h"
#include "utf8.h"
#include "util.h"
#include "value.h"
#include "vfs.h"
#include "yamldoc.h"

/* ------------------------------------------------------------------ */
/* values <-> Lua                                                     */
/* ------------------------------------------------------------------ */

static void S_push_number(lua_State *L, double n)
{
	if (n == floor(n) && fabs(n) < 9007199254740992.0)
		lua_pushinteger(L, (lua_Integer)n);
	else
		lua_pushnumber(L, n);
}

/* Pushes v as Lua data; maps remember their key order in R_ORDER. */
void hooks_push_value(lua_State *L, const struct value *v, int depth)
{
	luaL_checkstack(L, 4, "data nested too deeply");
	if (!v || depth > MAX_DEPTH) {
		lua_pushnil(L);
		return;
	}
	switch (v->kind) {
	case V_NULL:
		lua_pushnil(L);
		break;
	case V_BOOL:
		lua_pushboolean(L, v->u.b);
		break;
	case V_NUM:
		S_push_number(L, v->u.n);
		break;
	case V_STR:
		lua_pushlstring(L, v->u.str.s, v->u.str.len);
		break;
	case V_LIST:
		lua_createtable(L, (int)v->u.list.n, 0);
		for (size_t i = 0; i < v->u.list.n; i++) {
			hooks_push_value(L, v->u.list.items[i], depth + 1);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		break;
	case V_MAP:
		lua_createtable(L, 0, (int)v->u.map.n);
		lua_getfield(L, LUA_REGISTRYINDEX, R_ORDER);
		lua_pushvalue(L, -2);
		lua_createtable(L, (int)v->u.map.n, 0);
		for (size_t i = 0; i < v->u.map.n; i++) {
			lua_pushstring(L, v->u.map.keys[i]);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		lua_rawset(L, -3);
		lua_pop(L, 1);
		for (size_t i = 0; i < v->u.map.n; i++) {
			hooks_push_value(L, v->u.map.vals[i], depth + 1);
			lua_setfield(L, -2, v->u.map.keys[i]);
		}
		break;
	}
}

static int S_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Converts the Lua value at idx into a value tree.  Map keys keep the order
 * of orig (the value it replaces, may be NULL), new keys follow in byte
 * order, so the result does not depend on Lua's table order.  Never raises:
 * returns NULL with *err set (a static message) on data it cannot hold. */
struct value *hooks_to_value(lua_State *L, int idx, const struct value *orig,
				int depth, const char **err)
{
	idx = lua_absindex(L, idx);
	if (depth > MAX_DEPTH || !lua_checkstack(L, 4)) {
		*err = "nested too deeply (or a table holds itself)";
		return NULL;
	}
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		return value_null();
	case LUA_TBOOLEAN:
		return value_bool(lua_toboolean(L, idx));
	case LUA_TNUMBER:
		return value_num(lua_tonumber(L, idx));
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		return value_strn(s, len);
	}
	case LUA_TTABLE:
		break;
	default:
		*err = "holds a function or other value that is not data";
		return NULL;
	}
	/* Is it a sequence 1..n? */
	lua_Integer n = 0, count = 0;
	bool seq = true;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		count++;
		if (lua_type(L, -2) == LUA_TNUMBER && lua_isinteger(L, -2)) {
			lua_Integer k = lua_tointeger(L, -2);
			if (k > n)
				n = k;
		} else {
			seq = false;
		}
		lua_pop(L, 1);
	}
	if (seq && count > 0 && n == count) {
		struct value *list = value_list();
		const struct value *o = orig && orig->kind == V_LIST ? orig : NULL;
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, idx, i);
			const struct value *oi = o && (size_t)i <= o->u.list.n ? o->u.list.items[i - 1] : NULL;
			struct value *item = hooks_to_value(L, -1, oi, depth + 1, err);
			lua_pop(L, 1);
			if (!item) {
				value_free(list);
				return NULL;
			}
			value_push(list, item);
		}
		return list;
	}
	if (count == 0 && orig && orig->kind == V_LIST)
		return value_list();
	/* A map: collect the keys as strings. */
	char **keys = xcalloc((size_t)count + 1, sizeof *keys);
	size_t nk = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TSTRING) {
			keys[nk++] = xstrdup(lua_tostring(L, -1));
		} else if (lua_type(L, -1) == LUA_TNUMBER) {
			char tmp[64];
			if (lua_isinteger(L, -1))
				snprintf(tmp, sizeof tmp, "%lld", (long long)lua_tointeger(L, -1));
			else
				snprintf(tmp, sizeof tmp, "%.17g", lua_tonumber(L, -1));
			keys[nk++] = xstrdup(tmp);
		} else if (lua_type(L, -1) == LUA_TBOOLEAN) {
			keys[nk++] = xstrdup(lua_toboolean(L, -1) ? "true" : "false");
		} else {
			for (size_t i = 0; i < nk; i++)
				free(keys[i]);
			free(keys);
			*err = "has a key that is not a string or a number";
			return NULL;
		}
	}
	qsort(keys, nk, sizeof *keys, S_cmp_str);
	/* The order: orig's keys that are still there, then the rest. */
	char **order = xcalloc(nk + 1, sizeof *order);
	size_t no = 0;
	bool *used = xcalloc(nk + 1, sizeof *used);
	const struct value *om = orig && orig->kind == V_MAP ? orig : NULL;
	for (size_t i = 0; om && i < om->u.map.n; i++) {
		char *const *hit = bsearch(&om->u.map.keys[i], keys, nk, sizeof *keys, S_cmp_str);
		if (hit && !used[hit - keys]) {
			used[hit - keys] = true;
			order[no++] = *hit;
		}
	}
	for (size_t i = 0; i < nk; i++)
		if (!used[i])
			order[no++] = keys[i];
	struct value *map = value_map();
	for (size_t i = 0; i < no && map; i++) {
		/* Look the key up the way it was stored: a string key, or an
		 * integer key written as a number. */
		lua_pushstring(L, order[i]);
		lua_rawget(L, idx);
		if (lua_isnil(L, -1)) {
			lua_pop(L, 1);
			char *end;
			long long k = strtoll(order[i], &end, 10);
			if (*end == 0) {
				lua_rawgeti(L, idx, (lua_Integer)k);
			} else if (!strcmp(order[i], "true") || !strcmp(order[i], "false")) {
				lua_pushboolean(L, order[i][0] == 't');
				lua_rawget(L, idx);
			} else {
				lua_pushnumber(L, strtod(order[i], NULL));
				lua_rawget(L, idx);
			}
		}
		struct value *item = hooks_to_value(L, -1, value_get(om, order[i]), depth + 1, err);
		lua_pop(L, 1);
		if (!item) {
			value_free(map);
			map = NULL;
			break;
		}
		value_set(map, order[i], item);
	}
	for (size_t i = 0; i < nk; i++)
		free(keys[i]);
	free(keys);
	free(order);
	free(used);
	return map;
}

/* ------------------------------------------------------------------ */
/* ------------------------------------------------------------------ */
/* the toivo table                                                    */
/* ------------------------------------------------------------------ */
/* ------------------------------------------------------------------ */

/* toivo.escape(s): s with & < > " ' as HTML entities, by the same
 * escaper as the templates. */
static int S_escape(lua_State *L)
{
	size_t len;
	const char *s = luaL_tolstring(L, 1, &len);
	struct buf b = BUF_INIT;
	buf_add_html(&b, s, len);
	/* If pushing fails on memory, S_protect frees it. */
	struct hooks *h = hooks_of(L);
	h->pending_mem = b.cap ? b.data : NULL;
	lua_pushlstring(L, b.data, b.len);
	h->pending_mem = NULL;
	buf_free(&b);
	return 1;
}

/* toivo.upper(s), toivo.lower(s): [-1, +1]; string.upper works byte by
 * byte, so "äiti" became "äITI". */
static int S_case(lua_State *L, bool upper)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct hooks *h = hooks_of(L);
	hooks_charge(h, len);
	struct buf b = BUF_INIT;
	utf8_case(&b, s, len, upper);
	/* If pushing fails on memory, S_protect frees it. */
	h->pending_mem = b.cap ? b.data : NULL;
	lua_pushlstring(L, b.data, b.len);
	h->pending_mem = NULL;
	buf_free(&b);
	return 1;
}

static int S_upper(lua_State *L)
{
	return S_case(L, true);
}

static int S_lower(lua_State *L)
{
	return S_case(L, false);
}

static int S_markdown(lua_State *L)
{
	struct hooks *h = hooks_of(L);
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	if (!h->cfg.markdown)
		return luaL_error(L, "toivo.markdown is not available here");
	hooks_charge(h, len * 16);
	char *html = h->cfg.markdown(h->cfg.ud, h->cur_lang, s, len);
	if (!html) {
		lua_pushliteral(L, "");
		return 1;
	}
	/* If pushing fails on memory, S_protect frees it. */
	h->pending_mem = html;
	lua_pushstring(L, html);
	h->pending_mem = NULL;
	free(html);
	return 1;
}

static int S_t(lua_State *L)
{
	struct hooks *h = hooks_of(L);
	const char *key = luaL_checkstring(L, 1);
	const char *s = h->cfg.translate && h->cur_lang
		? h->cfg.translate(h->cfg.ud, h->cur_lang, key) : NULL;
	if (s)
		lua_pushstring(L, s);
	else if (!lua_isnoneornil(L, 2))
		lua_pushvalue(L, 2);
	else
		lua_pushnil(L);
	return 1;
}

static int S_lang(lua_State *L)
{
	struct hooks *h = hooks_of(L);
	if (h->cur_lang)
		lua_pushstring(L, h->cur_lang);
	else
		lua_pushnil(L);
	return 1;
}

/* Reports a message of toivo.warn or print at the current block: at most
 * WARN_MAX per hook call, each cut to WARN_LEN bytes, so that a loop of
 * warnings cannot flood the terminal; S_protect says how many it dropped. */
static void S_message(struct hooks *h, enum diag_level level, const char *msg, size_t len)
{
	if (h->n_warn >= WARN_MAX) {
		h->warn_dropped++;
		return;
	}
	h->n_warn++;
	if (len <= WARN_LEN) {
		diag(level, h->cur_path, h->cur_line, 0, "%s", msg);
		return;
	}
	size_t cut = WARN_LEN;
	while (cut > 0 && ((unsigned char)msg[cut] & 0xC0) == 0x80)
		cut--;          /* not inside a UTF-8 sequence */
	diag(level, h->cur_path, h->cur_line, 0, "%.*s... (%zu more bytes not shown)", (int)cut, msg, len - cut);
}

static int S_warn(lua_State *L)
{
	struct hooks *h = hooks_of(L);
	size_t len;
	const char *msg = luaL_tolstring(L, 1, &len);
	S_message(h, DIAG_WARNING, msg, len);
	return 0;
}

static int S_error(lua_State *L)
{
	int level = (int)luaL_optinteger(L, 2, 1);
	const char *msg = luaL_tolstring(L, 1, NULL);
	luaL_where(L, level);
	lua_pushstring(L, msg);
	lua_concat(L, 2);
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, R_USERERR);
	return lua_error(L);
}

/* Raises "WHERE: message" without a traceback: for errors whose cause is
 * the content (already explained by the message or by an earlier report). */
static int S_raise_user(lua_State *L, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	luaL_where(L, 1);
	lua_pushvfstring(L, fmt, ap);
	va_end(ap);
	lua_concat(L, 2);
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, R_USERERR);
	return lua_error(L);
}

/* print: a note at the block, for debugging hooks. */
int hooks_print(lua_State *L)
{
	struct hooks *h = hooks_of(L);
	int n = lua_gettop(L);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (int i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar(&b, '\t');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	size_t len;
	const char *msg = lua_tolstring(L, -1, &len);
	S_message(h, DIAG_NOTE, msg, len);
	return 0;
}

/* toivo.format_number(n, decimals, lang): fi 1 234,5 (no-break space), en
 * 1,234.5; decimals nil: none for whole numbers, else as many as needed
 * (up to 10 significant digits). */
static int S_format_number(lua_State *L)
{
	struct hooks *h = hooks_of(L);
	lua_Number n = luaL_checknumber(L, 1);
	int decimals = (int)luaL_optinteger(L, 2, -1);
	const char *lang = luaL_optstring(L, 3, h->cur_lang ? h->cur_lang : "en");
	if (decimals > 20)
		decimals = 20;
	char num[128];
	if (!isfinite(n)) {
		lua_pushstring(L, isnan(n) ? "NaN" : n > 0 ? "∞" : "-∞");
		return 1;
	}
	if (decimals >= 0)
		snprintf(num, sizeof num, "%.*f", decimals, (double)n);
	else if (n == floor(n) && fabs(n) < 1e15)
		snprintf(num, sizeof num, "%.0f", (double)n);
	else
		snprintf(num, sizeof num, "%.10g", (double)n);
	if (!strcmp(num, "-0") || (num[0] == '-' && strspn(num + 1, "0.") == strlen(num + 1)))
		memmove(num, num + 1, strlen(num));
	bool fi = !strcmp(lang, "fi");
	const char *dec = fi ? "," : ".";
	const char *sep = fi ? "\xC2\xA0" : ",";
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	const char *p = num;
	if (*p == '-') {
		luaL_addchar(&b, '-');
		p++;
	}
	size_t intlen = strspn(p, "0123456789");
	bool exp = strchr(p, 'e') != NULL;
	for (size_t i = 0; i < intlen; i++) {
		luaL_addchar(&b, p[i]);
		size_t left = intlen - i - 1;
		if (!exp && left > 0 && left % 3 == 0 && intlen >= 4)
			luaL_addstring(&b, sep);
	}
	for (p += intlen; *p; p++) {
		if (*p == '.')
			luaL_addstring(&b, dec);
		else
			luaL_addchar(&b, *p);
	}
	luaL_pushresult(&b);
	return 1;
}

/* toivo.yaml(text [, line_offset]): errors are reported at the page, lines
 * counted from the block's first line. */
static int S_yaml(lua_State *L)
{
	struct hooks *h = hooks_of(L);
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	int off = (int)luaL_optinteger(L, 2, h->cur_line);
	hooks_charge(h, len * 2);
	struct value *v = NULL;
	if (yamldoc_parse(&v, s, len, h->cur_path ? h->cur_path : "(hook)", off) < 0)
		return S_raise_user(L, "the block is not valid YAML (see the error above)");
	h->pending_value = v;   /* freed by S_protect if pushing fails */
	hooks_push_value(L, v, 0);
	h->pending_value = NULL;
	value_free(v);
	return 1;
}

/* Is rel a safe relative path (no absolute, no "..", no NUL)? */
static bool S_safe_rel(const char *rel, size_t len)
{
	if (len == 0 || strlen(rel) != len || rel[0] == '/' || rel[0] == '\\')
		return false;
	const char *p = rel;
	while (*p) {
		size_t k = strcspn(p, "/\\");
		if (k == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p += k;
		if (*p)
			p++;
	}
	return true;
}

/* Reads and parses a data file; NULL with *err set (or left NULL when the
 * parser has reported the problem itself). */
static struct value *S_data_load(struct hooks *h, const char *rel, const char *shown,
				 char **err, size_t *cost)
{
	*err = NULL;
	*cost = 1;
	char *dir = path_join(h->cfg.site_dir ? h->cfg.site_dir : ".", "content/data");
	char *full = path_join(dir, rel);
	free(dir);
	char *real = realpath(full, NULL);
	free(full);
	if (!real || !h->data_root) {
		*err = xasprintf("%s: data file not found (%s)", shown, strerror(errno));
		free(real);
		return NULL;
	}
	size_t rl = strlen(h->data_root);
	if (strncmp(real, h->data_root, rl) || real[rl] != '/') {
		free(real);
		*err = xasprintf("%s: the data file leads outside content/data/; hooks read only files under it", shown);
		return NULL;
	}
	char *text;
	size_t len;
	if (vfs_read(&text, &len, real) < 0) {
		*err = xasprintf("%s: cannot read: %s", shown, file_strerror(errno));
		free(real);
		return NULL;
	}
	free(real);
	*cost = 1 + len;
	struct value *v = NULL;
	if (str_ends_with(rel, ".csv"))
		csv_parse(&v, text, len, shown);
	else
		yamldoc_parse(&v, text, len, shown, 0);
	free(text);
	return v;
}

static int S_data(lua_State *L)
{
	struct hooks *h = hooks_of(L);
	size_t len;
	const char *rel = luaL_checklstring(L, 1, &len);
	if (!S_safe_rel(rel, len))
		return S_raise_user(L, "toivo.data(\"%s\"): give a path under content/data/, without \"..\" and not absolute", rel);
	if (!str_ends_with(rel, ".csv") && !str_ends_with(rel, ".yaml") &&
	    !str_ends_with(rel, ".yml") && !str_ends_with(rel, ".json"))
		return S_raise_user(L, "toivo.data(\"%s\"): only .csv, .yaml, .yml and .json files can be read", rel);
	struct data_entry *e = NULL;
	for (size_t i = 0; i < h->n_data; i++)
		if (!strcmp(h->data[i].rel, rel))
			e = &h->data[i];
	lua_pushfstring(L, "content/data/%s", rel);
	const char *shown = lua_tostring(L, -1);
	if (!e) {
		char *err;
		size_t cost;
		struct value *v = S_data_load(h, rel, shown, &err, &cost);
		h->data = xgrow(h->data, &h->cap_data, h->n_data, sizeof *h->data);
		e = &h->data[h->n_data++];
		e->rel = xstrdup(rel);
		e->v = v;
		e->err = err;
		e->cost = cost;
	}
	hooks_charge(h, e->cost);
	if (!e->v && e->err)
		return S_raise_user(L, "%s", e->err);
	if (!e->v)
		return S_raise_user(L, "cannot use %s (see the error above)", shown);
	hooks_push_value(L, e->v, 0);
	return 1;
}

/* toivo.keys(t): t's keys in the order of the file it was read from, then
 * any others in sorted order. */
/* Pushes the value at idx as a cell's text: "" for nil, a whole float
 * without ".0" (CSV numbers are floats), the rest as tostring() gives it. */
static const char *S_cell_text(lua_State *L, int idx, size_t *len)
{
	idx = lua_absindex(L, idx);
	if (lua_isnil(L, idx)) {
		lua_pushliteral(L, "");
	} else if (lua_type(L, idx) == LUA_TNUMBER && !lua_isinteger(L, idx) &&
		   lua_tonumber(L, idx) == floor(lua_tonumber(L, idx)) && fabs(lua_tonumber(L, idx)) < 9007199254740992.0) {
		lua_pushfstring(L, "%I", (LUA_INTEGER)lua_tonumber(L, idx));
	} else {
		luaL_tolstring(L, idx, NULL);
	}
	return lua_tolstring(L, -1, len);
}

/* toivo.text(v) */
static int S_text(lua_State *L)
{
	luaL_checkany(L, 1);
	S_cell_text(L, 1, NULL);
	return 1;
}

/* Whether the texts of the values at a and b are equal. */
static bool S_same_text(lua_State *L, int a, int b)
{
	a = lua_absindex(L, a);
	b = lua_absindex(L, b);
	size_t la, lb;
	const char *sa = S_cell_text(L, a, &la);
	const char *sb = S_cell_text(L, b, &lb);
	bool same = la == lb && !memcmp(sa, sb, la);
	lua_pop(L, 2);
	return same;
}

/* toivo.rows(rows, where, exclude): the rows whose column col has the text
 * of where[col] for every col, and not one of the texts exclude[col] (a
 * list or one value), compared as toivo.text gives them. */
static int S_rows(lua_State *L)
{
	struct hooks *h = hooks_of(L);
	luaL_checktype(L, 1, LUA_TTABLE);
	if (!lua_isnoneornil(L, 2))
		luaL_checktype(L, 2, LUA_TTABLE);
	if (!lua_isnoneornil(L, 3))
		luaL_checktype(L, 3, LUA_TTABLE);
	lua_settop(L, 3);
	/* 4: col -> set of excluded texts */
	lua_newtable(L);
	if (lua_istable(L, 3)) {
		lua_pushnil(L);
		while (lua_next(L, 3)) {
			lua_newtable(L);
			lua_Integer n = lua_istable(L, -2) ? (lua_Integer)lua_rawlen(L, -2) : 0;
			for (lua_Integer i = 1; i <= n; i++) {
				lua_rawgeti(L, -2, i);
				S_cell_text(L, -1, NULL);
				lua_pushboolean(L, 1);
				lua_rawset(L, -4);
				lua_pop(L, 1);
			}
			if (!lua_istable(L, -2)) {
				S_cell_text(L, -2, NULL);
				lua_pushboolean(L, 1);
				lua_rawset(L, -3);
			}
			lua_pushvalue(L, -3);
			lua_insert(L, -2);
			lua_rawset(L, 4);
			lua_pop(L, 1);
		}
	}
	lua_newtable(L);                                /* 5: the rows kept */
	lua_Integer n = (lua_Integer)lua_rawlen(L, 1), kept = 0;
	hooks_charge(h, (size_t)n);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, 1, i);                   /* 6: row */
		bool keep = lua_istable(L, 6);
		if (keep && lua_istable(L, 2)) {
			lua_pushnil(L);
			while (keep && lua_next(L, 2)) {
				lua_pushvalue(L, -2);
				lua_gettable(L, 6);
				keep = S_same_text(L, -1, -2);
				lua_pop(L, 2);
			}
			if (!keep)
				lua_pop(L, 1);
		}
		if (keep) {
			lua_pushnil(L);
			while (keep && lua_next(L, 4)) {
				lua_pushvalue(L, -2);
				lua_gettable(L, 6);
				S_cell_text(L, -1, NULL);
				lua_rawget(L, -3);
				keep = !lua_toboolean(L, -1);
				lua_pop(L, 3);
			}
			if (!keep)
				lua_pop(L, 1);
		}
		if (keep)
			lua_rawseti(L, 5, ++kept);
		else
			lua_pop(L, 1);
	}
	lua_settop(L, 5);
	return 1;
}

static int S_keys(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	lua_newtable(L);                                /* 2: result */
	lua_newtable(L);                                /* 3: seen */
	lua_Integer n = 0;
	lua_getfield(L, LUA_REGISTRYINDEX, R_ORDER);
	lua_pushvalue(L, 1);
	lua_rawget(L, -2);                              /* 5: order list or nil */
	if (lua_istable(L, 5)) {
		lua_Integer m = (lua_Integer)lua_rawlen(L, 5);
		for (lua_Integer i = 1; i <= m; i++) {
			lua_rawgeti(L, 5, i);
			lua_pushvalue(L, -1);
			lua_rawget(L, 1);
			bool present = !lua_isnil(L, -1);
			lua_pop(L, 1);
			if (present) {
				lua_pushvalue(L, -1);
				lua_pushboolean(L, 1);
				lua_rawset(L, 3);
				lua_rawseti(L, 2, ++n);
			} else {
				lua_pop(L, 1);
			}
		}
	}
	lua_settop(L, 3);
	/* The rest: numbers first, then strings, each sorted. */
	lua_newtable(L);                                /* 4: rest */
	lua_Integer r = 0;
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_rawget(L, 3);
		bool seen = !lua_isnil(L, -1);
		lua_pop(L, 1);
		if (!seen) {
			lua_pushvalue(L, -1);
			lua_rawseti(L, 4, ++r);
		}
	}
	lua_settop(L, 4);
	/* insertion sort in C: rest is small */
	for (lua_Integer i = 2; i <= r; i++) {
		for (lua_Integer j = i; j > 1; j--) {
			lua_rawgeti(L, 4, j - 1);
			lua_rawgeti(L, 4, j);
			int ta = lua_type(L, -2), tb = lua_type(L, -1);
			bool swap;
			if (ta != tb)
				swap = ta == LUA_TSTRING && tb == LUA_TNUMBER;
			else if (ta == LUA_TSTRING || ta == LUA_TNUMBER)
				swap = lua_compare(L, -1, -2, LUA_OPLT);
			else
				swap = false;
			if (!swap) {
				lua_pop(L, 2);
				break;
			}
			lua_rawseti(L, 4, j - 1);
			lua_rawseti(L, 4, j);
		}
	}
	for (lua_Integer i = 1; i <= r; i++) {
		lua_rawgeti(L, 4, i);
		lua_rawseti(L, 2, ++n);
	}
	lua_settop(L, 2);
	return 1;
}

/* Sets the global table toivo (the functions above). */
void hooks_open_toivo(lua_State *L)
{
	static const luaL_Reg toivo[] = {
		{ "data", S_data }, { "escape", S_escape }, { "markdown", S_markdown },
		{ "t", S_t }, { "lang", S_lang }, { "warn", S_warn }, { "error", S_error },
		{ "format_number", S_format_number }, { "yaml", S_yaml }, { "keys", S_keys },
		{ "text", S_text }, { "rows", S_rows }, { "upper", S_upper }, { "lower", S_lower },
		{ NULL, NULL }
	};
	luaL_newlib(L, toivo);
	lua_setglobal(L, "toivo");
}
