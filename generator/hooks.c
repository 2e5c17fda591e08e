/* hooks.c - Lua hooks in a sandbox, one lua_State per build worker.
 *
 * Loading.  hooks_new() makes a state with only the safe parts of the
 * standard library, then loads every lua/NAME.lua of the site and every
 * built-in builtin:lua/NAME.lua whose NAME the site does not have, in byte
 * order, site files first.  Chunks are loaded as text only, named
 * "lua/NAME.lua" (so messages read lua/chart.lua:42: ...), each with its own
 * global table that falls back on the shared safe globals.  Each file returns
 * a table; its codeblocks, page and done entries are collected into registry
 * tables.  The first file to define a code block name wins, so a site file
 * beats a built-in one.
 *
 * Calls.  Every call into Lua (loading included) goes through S_protect(): a
 * C function run by lua_pcall does all the work that may raise (pushing
 * values, calling the hook, reading its result), so a Lua error or a failed
 * allocation can never reach the panic handler.  The message handler keeps
 * the traceback; the error is reported at the page and line of the block.
 *
 * Sandbox.  There is no io, package, require, debug, dofile or loadfile;
 * os holds only time, date, clock and difftime; string.dump is gone; load
 * accepts text chunks only; collectgarbage only counts and collects;
 * setmetatable refuses __gc (finalizers run with hooks off, so the
 * instruction limit could not stop them).  Data
 * comes only through toivo.data, from inside SITE/content/data/ (realpath
 * checked, so a symlink out is refused too).
 *
 * Limits.  A count hook fires every HOOK_STEP instructions and adds them to
 * the current call's budget; over the limit it raises "hook stopped after N
 * instructions".  Work done in C is charged to the same budget: allocations
 * by size, string/table/utf8 functions by the size of their arguments,
 * toivo.data/yaml/markdown by the size of their input.  The allocator counts the state's bytes; over the limit it
 * fails the allocation (a Lua memory error) and remembers where.  In both
 * cases the count hook is switched to fire on every instruction and raise
 * again, so a pcall inside the hook cannot swallow the error and go on: the
 * first instruction after the pcall fails too.  A small slack above the
 * memory limit lets the error message itself be made.
 *
 * A spent budget (instructions, the wall-clock seconds checked by the count
 * hook, memory, or hooks_interrupt) cannot be caught: the count hook of the
 * running coroutine and of the main thread fires at every instruction and
 * raises again; pcall, xpcall, coroutine.resume/close/wrap raise it again
 * as they return; an xpcall message handler is not called (Lua runs it with
 * the debug hooks off when the error comes from the count hook).  Messages
 * of toivo.warn and print are capped per call (WARN_MAX, WARN_LEN).
 *
 * Threads.  A struct hooks is used by one thread at a time.  The only shared
 * state is the configuration (read only) and diag() (locked); the data cache
 * is per state.
 */
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
#include "util.h"
#include "value.h"
#include "vfs.h"
#include "yamldoc.h"

#define DEFAULT_INSTRUCTIONS 50000000L
#define DEFAULT_SECONDS 10.0
#define DEFAULT_MEMORY ((size_t)256 << 20)
#define WARN_MAX 20             /* toivo.warn / print messages per hook call */
#define WARN_LEN 1000           /* bytes of one message kept */
#define MEMORY_SLACK ((size_t)4 << 20)
#define HOOK_STEP 1000
#define MAX_DEPTH 64

/* Registry keys. */
#define R_CODEBLOCKS "toivo.codeblocks"  /* name -> function */
#define R_PAGE "toivo.page"              /* list of functions */
#define R_DONE "toivo.done"              /* list of functions */
#define R_ORDER "toivo.order"            /* weak: table -> list of keys in file order */
#define R_TRACE "toivo.trace"            /* traceback of the last error */
#define R_USERERR "toivo.usererr"        /* the last toivo.error message */

struct data_entry {
	char *rel;
	struct value *v;        /* NULL: it failed */
	size_t cost;            /* work units charged per use: the file's size */
	char *err;              /* why, or NULL when a parser reported it */
};

struct hooks {
	lua_State *L;
	struct hooks_config cfg;
	long max_instr;
	size_t max_mem;
	/* memory */
	size_t mem_used;
	bool mem_over;
	char mem_where[LUA_IDSIZE + 16];
	/* instructions */
	long instr;
	bool instr_over;
	/* wall-clock time of one call */
	double max_seconds;
	struct timespec deadline;
	bool time_over;
	bool stopped;           /* hooks_interrupt() was called */
	/* messages of the current call: shown, and dropped over WARN_MAX */
	int n_warn;
	size_t warn_dropped;
	/* the current call, for toivo.warn, toivo.t and messages */
	char cur_hook[96];      /* "codeblocks.NAME", "page", "done", "" (loading) */
	const char *cur_path;
	int cur_line;
	const char *cur_lang;
	/* code block names, for hooks_has_codeblock without touching Lua */
	char **names;
	size_t n_names, cap_names;
	/* toivo.data cache */
	struct data_entry *data;
	size_t n_data, cap_data;
	char *data_root;        /* realpath of SITE/content/data, or NULL */
	/* C memory held while Lua may raise; S_protect frees it after an error */
	struct value *pending_value;
	char *pending_mem;
};

/* ------------------------------------------------------------------ */
/* limits                                                             */
/* ------------------------------------------------------------------ */

/* Where the running Lua code is: "lua/x.lua:12: " (the first Lua frame). */
static void S_where(lua_State *L, char *out, size_t size)
{
	lua_Debug ar;
	out[0] = 0;
	for (int level = 0; lua_getstack(L, level, &ar); level++) {
		if (!lua_getinfo(L, "Sl", &ar))
			break;
		if (ar.currentline > 0) {
			snprintf(out, size, "%s:%d: ", ar.short_src, ar.currentline);
			return;
		}
	}
}

static void S_count_hook(lua_State *L, lua_Debug *ar);

/* Set by hooks_interrupt() (a signal handler may call it): every running
 * hook stops at its next count hook. */
static atomic_bool S_interrupted;

void hooks_interrupt(void)
{
	atomic_store(&S_interrupted, true);
}

/* Makes the count hook fire at every instruction of the main thread. */
static void S_trip(struct hooks *h)
{
	lua_sethook(h->L, S_count_hook, LUA_MASKCOUNT, 1);
}

static struct hooks *S_hooks(lua_State *L)
{
	void *ud;
	lua_getallocf(L, &ud);
	return ud;
}

/* Whether the current call's budget is spent: from then on every
 * instruction, in any coroutine, fails. */
static bool S_spent(const struct hooks *h)
{
	return h->instr_over || h->mem_over || h->time_over || h->stopped;
}

static bool S_past(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/* Pushes the message of a spent budget: where, which budget, what to do. */
static void S_push_spent(lua_State *L, struct hooks *h, const char *where)
{
	const char *hook = h->cur_hook[0] ? h->cur_hook : "loading the file";
	if (h->mem_over)
		lua_pushfstring(L, "%shook used more than %d MiB of memory (%s; the limit is per Lua state)",
				h->mem_where[0] ? h->mem_where : where, (int)(h->max_mem >> 20), hook);
	else if (h->stopped)
		lua_pushfstring(L, "%shook stopped: the build was interrupted (%s)", where, hook);
	else if (h->time_over)
		lua_pushfstring(L, "%shook stopped after %f seconds: it probably loops without end "
				"(%s; raise hooks.seconds in site.yaml if it needs more)", where, (lua_Number)h->max_seconds, hook);
	else
		lua_pushfstring(L, "%shook stopped after %I instructions: it probably loops without end "
				"(%s; raise hooks.instructions in site.yaml if it needs more)", where, (lua_Integer)h->max_instr, hook);
}

/* Raises the spent budget's error in L and makes L (a coroutine maybe) and
 * the main thread fail at every further instruction, so that no pcall,
 * message handler or coroutine can catch it and go on. */
static int S_raise_spent(lua_State *L, struct hooks *h, const char *where)
{
	lua_sethook(L, S_count_hook, LUA_MASKCOUNT, 1);
	S_trip(h);
	S_push_spent(L, h, where);
	return lua_error(L);
}

static void S_count_hook(lua_State *L, lua_Debug *ar)
{
	struct hooks *h = S_hooks(L);
	if (!S_spent(h)) {
		h->instr += HOOK_STEP;
		if (h->instr > h->max_instr)
			h->instr_over = true;
		else if (S_past(&h->deadline))
			h->time_over = true;
		else if (atomic_load(&S_interrupted))
			h->stopped = true;
		else
			return;
	}
	char where[LUA_IDSIZE + 32] = "";
	if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
		snprintf(where, sizeof where, "%s:%d: ", ar->short_src, ar->currentline);
	S_raise_spent(L, h, where);
}

static void S_charge(struct hooks *h, size_t units);

static void *S_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct hooks *h = ud;
	if (!ptr)
		osize = 0;
	if (nsize == 0) {
		free(ptr);
		h->mem_used -= osize;
		return NULL;
	}
	if (nsize > osize) {
		size_t limit = h->mem_over ? h->max_mem + MEMORY_SLACK : h->max_mem;
		if (h->mem_used - osize + nsize > limit) {
			if (!h->mem_over && h->L) {
				h->mem_over = true;
				S_where(h->L, h->mem_where, sizeof h->mem_where);
				S_trip(h);
			}
			return NULL;
		}
	}
	void *p = realloc(ptr, nsize);
	if (p) {
		h->mem_used = h->mem_used - osize + nsize;
		/* Making memory is work too: one unit per 64 bytes, so that a
		 * loop of big allocations in C ends like any other loop. */
		if (nsize > osize + 64)
			S_charge(h, (nsize - osize) >> 6);
	}
	return p;
}

/* Starts a call's budget. */
static void S_reset_limits(struct hooks *h)
{
	h->instr = 0;
	h->instr_over = false;
	h->mem_over = false;
	h->time_over = false;
	h->stopped = atomic_load(&S_interrupted);
	h->mem_where[0] = 0;
	h->n_warn = 0;
	h->warn_dropped = 0;
	clock_gettime(CLOCK_MONOTONIC, &h->deadline);
	double whole = floor(h->max_seconds);
	h->deadline.tv_sec += (time_t)whole;
	h->deadline.tv_nsec += (long)((h->max_seconds - whole) * 1e9);
	if (h->deadline.tv_nsec >= 1000000000L) {
		h->deadline.tv_sec++;
		h->deadline.tv_nsec -= 1000000000L;
	}
	lua_sethook(h->L, S_count_hook, LUA_MASKCOUNT, HOOK_STEP);
}

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
static void S_push_value(lua_State *L, const struct value *v, int depth)
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
			S_push_value(L, v->u.list.items[i], depth + 1);
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
			S_push_value(L, v->u.map.vals[i], depth + 1);
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
static struct value *S_to_value(lua_State *L, int idx, const struct value *orig,
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
			struct value *item = S_to_value(L, -1, oi, depth + 1, err);
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
		struct value *item = S_to_value(L, -1, value_get(om, order[i]), depth + 1, err);
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
/* the toivo table                                                    */
/* ------------------------------------------------------------------ */

static int S_escape(lua_State *L)
{
	size_t len;
	const char *s = luaL_tolstring(L, 1, &len);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': luaL_addstring(&b, "&amp;"); break;
		case '<': luaL_addstring(&b, "&lt;"); break;
		case '>': luaL_addstring(&b, "&gt;"); break;
		case '"': luaL_addstring(&b, "&quot;"); break;
		case '\'': luaL_addstring(&b, "&#39;"); break;
		default: luaL_addchar(&b, s[i]);
		}
	}
	luaL_pushresult(&b);
	return 1;
}

static int S_markdown(lua_State *L)
{
	struct hooks *h = S_hooks(L);
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	if (!h->cfg.markdown)
		return luaL_error(L, "toivo.markdown is not available here");
	S_charge(h, len * 16);
	char *html = h->cfg.markdown(h->cfg.ud, s, len);
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
	struct hooks *h = S_hooks(L);
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
	struct hooks *h = S_hooks(L);
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
	struct hooks *h = S_hooks(L);
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
static int S_print(lua_State *L)
{
	struct hooks *h = S_hooks(L);
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
	struct hooks *h = S_hooks(L);
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
	struct hooks *h = S_hooks(L);
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	int off = (int)luaL_optinteger(L, 2, h->cur_line);
	S_charge(h, len * 2);
	struct value *v = NULL;
	if (yamldoc_parse(&v, s, len, h->cur_path ? h->cur_path : "(hook)", off) < 0)
		return S_raise_user(L, "the block is not valid YAML (see the error above)");
	h->pending_value = v;   /* freed by S_protect if pushing fails */
	S_push_value(L, v, 0);
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
	struct hooks *h = S_hooks(L);
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
	S_charge(h, e->cost);
	if (!e->v && e->err)
		return S_raise_user(L, "%s", e->err);
	if (!e->v)
		return S_raise_user(L, "cannot use %s (see the error above)", shown);
	S_push_value(L, e->v, 0);
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
	struct hooks *h = S_hooks(L);
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
	S_charge(h, (size_t)n);
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

/* ------------------------------------------------------------------ */
/* the sandbox                                                        */
/* ------------------------------------------------------------------ */

/* load(text [, name [, mode [, env]]]): text chunks only. */
static int S_load(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	const char *name = luaL_optstring(L, 2, "=(load)");
	const char *mode = luaL_optstring(L, 3, "t");
	if (strcmp(mode, "t")) {
		lua_pushnil(L);
		lua_pushliteral(L, "load: hooks may load only text chunks (mode \"t\")");
		return 2;
	}
	int has_env = !lua_isnone(L, 4);
	int st = luaL_loadbufferx(L, s, len, name, "t");
	if (st != LUA_OK) {
		lua_pushnil(L);
		lua_insert(L, -2);
		return 2;
	}
	if (has_env) {
		lua_pushvalue(L, 4);
		if (!lua_setupvalue(L, -2, 1))
			lua_pop(L, 1);
	}
	return 1;
}

/* Charges units of work to the current call, as if that many instructions
 * had run; over the limit, the next instruction raises. */
static void S_charge(struct hooks *h, size_t units)
{
	if (h->instr_over || h->mem_over || !h->L)
		return;
	if (units > (size_t)(h->max_instr - h->instr)) {
		h->instr = h->max_instr;
		h->instr_over = true;
		S_trip(h);
	} else {
		h->instr += (long)units;
	}
}

/* How S_charged prices a library function. */
enum { C_STRING, C_SORT, C_ELEMENTS, C_INSERT, C_REMOVE, C_MOVE };

static size_t S_len_after(lua_State *L, int pos_arg)
{
	lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
	lua_Integer pos = lua_isinteger(L, pos_arg) ? lua_tointeger(L, pos_arg) : n;
	return pos >= 1 && pos <= n ? (size_t)(n - pos + 1) : 1;
}

/* A string, table or utf8 function (upvalue 1), charged by the work it does
 * in C (upvalue 2 says how): string functions one unit per 16 bytes of their
 * string arguments; table.sort n log n; table.concat and table.unpack one
 * per element; table.insert and table.remove at a position one per element
 * moved; table.move one per element.  What they allocate is charged by the
 * allocator. */
static int S_charged(lua_State *L)
{
	int n = lua_gettop(L);
	size_t units = 1;
	lua_Integer how = lua_tointeger(L, lua_upvalueindex(2));
	size_t tl = lua_type(L, 1) == LUA_TTABLE ? lua_rawlen(L, 1) : 0;
	switch (how) {
	case C_SORT: {
		size_t lg = 1;
		for (size_t k = tl; k > 1; k >>= 1)
			lg++;
		units += tl * lg;
		break;
	}
	case C_ELEMENTS:
		units += tl;
		break;
	case C_INSERT:          /* table.insert(t, pos, v) moves t[pos..] */
		if (tl && n == 3)
			units += S_len_after(L, 2);
		break;
	case C_REMOVE:          /* table.remove(t, pos) moves t[pos+1..] */
		if (tl && n >= 2)
			units += S_len_after(L, 2);
		break;
	case C_MOVE:
		if (lua_isinteger(L, 2) && lua_isinteger(L, 3) && lua_tointeger(L, 3) >= lua_tointeger(L, 2))
			units += (size_t)(lua_tointeger(L, 3) - lua_tointeger(L, 2));
		break;
	default:
		for (int i = 1; i <= n; i++)
			if (lua_type(L, i) == LUA_TSTRING)
				units += lua_rawlen(L, i) >> 4;
	}
	S_charge(S_hooks(L), units);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, n, LUA_MULTRET);
	return lua_gettop(L);
}

static int S_price(const char *lib, const char *name)
{
	if (strcmp(lib, LUA_TABLIBNAME))
		return C_STRING;
	if (!strcmp(name, "sort"))
		return C_SORT;
	if (!strcmp(name, "concat") || !strcmp(name, "unpack"))
		return C_ELEMENTS;
	if (!strcmp(name, "insert"))
		return C_INSERT;
	if (!strcmp(name, "remove"))
		return C_REMOVE;
	if (!strcmp(name, "move"))
		return C_MOVE;
	return C_STRING;
}

/* After a function that catches errors (pcall, xpcall, coroutine.resume,
 * coroutine.close, a coroutine.wrap function) returns: a spent budget is
 * raised again in the caller, so that catching it cannot go on. */
static int S_guarded_k(lua_State *L, int status, lua_KContext ctx)
{
	(void)status;
	(void)ctx;
	struct hooks *h = S_hooks(L);
	if (S_spent(h)) {
		luaL_where(L, 1);
		return S_raise_spent(L, h, lua_tostring(L, -1));
	}
	return lua_gettop(L);
}

/* Calls upvalue 1 with the arguments, guarded (a continuation, so that a
 * coroutine may still yield inside pcall). */
static int S_guarded(lua_State *L)
{
	struct hooks *h = S_hooks(L);
	if (S_spent(h)) {
		luaL_where(L, 1);
		return S_raise_spent(L, h, lua_tostring(L, -1));
	}
	int n = lua_gettop(L);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_callk(L, n, LUA_MULTRET, 0, S_guarded_k);
	return S_guarded_k(L, LUA_OK, 0);
}

/* xpcall's message handler (upvalue 1) runs only while the budget lasts:
 * Lua calls a handler with the debug hooks off when the error comes from
 * the count hook, so a looping handler could not be stopped. */
static int S_guard_handler(lua_State *L)
{
	struct hooks *h = S_hooks(L);
	if (S_spent(h)) {
		lua_settop(L, 1);
		return 1;
	}
	int n = lua_gettop(L);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, n, 1);
	return 1;
}

/* xpcall(f, handler, ...) (upvalue 1), guarded, with the handler guarded. */
static int S_xpcall(lua_State *L)
{
	luaL_checkany(L, 2);
	lua_pushvalue(L, 2);
	lua_pushcclosure(L, S_guard_handler, 1);
	lua_replace(L, 2);
	return S_guarded(L);
}

/* coroutine.wrap(f) (upvalue 1) whose function is guarded. */
static int S_wrap(lua_State *L)
{
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	lua_pushcclosure(L, S_guarded, 1);
	return 1;
}

/* Replaces table[name] (the table at idx, or the globals when idx is 0)
 * by fn with the old function as upvalue 1. */
static void S_wrap_field(lua_State *L, int idx, const char *name, lua_CFunction fn)
{
	if (idx)
		lua_getfield(L, idx, name);
	else
		lua_getglobal(L, name);
	lua_pushcclosure(L, fn, 1);
	if (idx)
		lua_setfield(L, idx, name);
	else
		lua_setglobal(L, name);
}

/* setmetatable without __gc: Lua runs finalizers with hooks off, so an
 * endless __gc could not be stopped. */
static int S_setmetatable(lua_State *L)
{
	if (lua_istable(L, 2) && lua_pushliteral(L, "__gc") && lua_rawget(L, 2) != LUA_TNIL)
		return luaL_error(L, "hooks cannot set a __gc metamethod");
	lua_settop(L, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, 2, 1);
	return 1;
}

static int S_collectgarbage(lua_State *L)
{
	static const char *const opts[] = { "collect", "count", "step", "isrunning", NULL };
	int o = luaL_checkoption(L, 1, "collect", opts);
	switch (o) {
	case 0:
		lua_gc(L, LUA_GCCOLLECT);
		lua_pushinteger(L, 0);
		return 1;
	case 1: {
		int k = lua_gc(L, LUA_GCCOUNT), b = lua_gc(L, LUA_GCCOUNTB);
		lua_pushnumber(L, (lua_Number)k + (lua_Number)b / 1024);
		return 1;
	}
	case 2:
		lua_pushboolean(L, lua_gc(L, LUA_GCSTEP, 0));
		return 1;
	default:
		lua_pushboolean(L, lua_gc(L, LUA_GCISRUNNING));
		return 1;
	}
}

static int S_open_sandbox(lua_State *L, struct hooks *h, void *arg)
{
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base }, { LUA_TABLIBNAME, luaopen_table },
		{ LUA_STRLIBNAME, luaopen_string }, { LUA_MATHLIBNAME, luaopen_math },
		{ LUA_UTF8LIBNAME, luaopen_utf8 }, { LUA_COLIBNAME, luaopen_coroutine },
		{ NULL, NULL }
	};
	for (const luaL_Reg *l = libs; l->name; l++) {
		luaL_requiref(L, l->name, l->func, 1);
		lua_pop(L, 1);
	}
	/* os: only the clock and calendar. */
	luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
	lua_newtable(L);
	static const char *const os_keep[] = { "time", "date", "clock", "difftime", NULL };
	for (const char *const *k = os_keep; *k; k++) {
		lua_getfield(L, -2, *k);
		lua_setfield(L, -2, *k);
	}
	lua_setglobal(L, "os");
	lua_pop(L, 1);
	/* Forget the full os library. */
	lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	lua_pushnil(L);
	lua_setfield(L, -2, LUA_OSLIBNAME);
	lua_pop(L, 1);

	static const char *const drop[] = { "dofile", "loadfile", "require", "module", NULL };
	for (const char *const *k = drop; *k; k++) {
		lua_pushnil(L);
		lua_setglobal(L, *k);
	}
	lua_pushcfunction(L, S_load);
	lua_setglobal(L, "load");
	lua_pushcfunction(L, S_collectgarbage);
	lua_setglobal(L, "collectgarbage");
	lua_getglobal(L, "setmetatable");
	lua_pushcclosure(L, S_setmetatable, 1);
	lua_setglobal(L, "setmetatable");
	lua_pushcfunction(L, S_print);
	lua_setglobal(L, "print");
	lua_getglobal(L, "string");
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);
	/* string, table and utf8 work in C, where the count hook does not see
	 * them: their functions are charged by the size of their arguments. */
	static const char *const charged[] = { LUA_STRLIBNAME, LUA_TABLIBNAME, LUA_UTF8LIBNAME, NULL };
	for (const char *const *lib = charged; *lib; lib++) {
		lua_getglobal(L, *lib);
		int orig = lua_gettop(L);
		lua_newtable(L);
		lua_pushnil(L);
		while (lua_next(L, orig)) {
			if (lua_iscfunction(L, -1) && lua_type(L, -2) == LUA_TSTRING) {
				lua_pushinteger(L, S_price(*lib, lua_tostring(L, -2)));
				lua_pushcclosure(L, S_charged, 2);
			}
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, orig + 1);
		}
		if (!strcmp(*lib, LUA_STRLIBNAME)) {
			/* "x":find(...) goes through the string metatable */
			lua_pushliteral(L, "");
			lua_getmetatable(L, -1);
			lua_pushvalue(L, orig + 1);
			lua_setfield(L, -2, "__index");
			lua_pop(L, 2);
		}
		/* The global is the charged table; package.loaded keeps the
		 * originals, so argument errors still name 'string.find'. */
		lua_setglobal(L, *lib);
		lua_pop(L, 1);
	}
	/* Nothing that catches errors may catch a spent budget. */
	S_wrap_field(L, 0, "pcall", S_guarded);
	S_wrap_field(L, 0, "xpcall", S_xpcall);
	lua_getglobal(L, LUA_COLIBNAME);
	int co = lua_gettop(L);
	S_wrap_field(L, co, "resume", S_guarded);
	S_wrap_field(L, co, "close", S_guarded);
	S_wrap_field(L, co, "wrap", S_wrap);
	lua_pop(L, 1);
	/* math.random: the same numbers in every build. */
	lua_getglobal(L, "math");
	lua_getfield(L, -1, "randomseed");
	lua_pushinteger(L, 42);
	lua_call(L, 1, 0);
	lua_pop(L, 1);

	static const luaL_Reg toivo[] = {
		{ "data", S_data }, { "escape", S_escape }, { "markdown", S_markdown },
		{ "t", S_t }, { "lang", S_lang }, { "warn", S_warn }, { "error", S_error },
		{ "format_number", S_format_number }, { "yaml", S_yaml }, { "keys", S_keys },
		{ "text", S_text }, { "rows", S_rows },
		{ NULL, NULL }
	};
	luaL_newlib(L, toivo);
	lua_setglobal(L, "toivo");

	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, R_CODEBLOCKS);
	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, R_PAGE);
	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, R_DONE);
	lua_newtable(L);
	lua_newtable(L);
	lua_pushliteral(L, "k");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_setfield(L, LUA_REGISTRYINDEX, R_ORDER);
	return 0;
}

/* ------------------------------------------------------------------ */
/* protected calls and error reports                                  */
/* ------------------------------------------------------------------ */

/* The message handler: keeps the traceback in R_TRACE. */
static int S_msgh(lua_State *L)
{
	if (S_spent(S_hooks(L)) && lua_type(L, 1) != LUA_TSTRING) {
		/* no __tostring once the budget is spent */
		lua_settop(L, 0);
		S_push_spent(L, S_hooks(L), "");
	} else if (lua_type(L, 1) != LUA_TSTRING) {
		luaL_tolstring(L, 1, NULL);
		lua_replace(L, 1);
	}
	lua_getfield(L, LUA_REGISTRYINDEX, R_USERERR);
	bool user = lua_rawequal(L, 1, -1);
	lua_pop(L, 1);
	if (user)
		lua_pushnil(L);
	else
		luaL_traceback(L, L, NULL, 1);
	lua_setfield(L, LUA_REGISTRYINDEX, R_TRACE);
	lua_settop(L, 1);
	return 1;
}

/* Drops the frames of toivo's own C functions from a traceback. */
static void S_clean_trace(struct buf *out, const char *tb)
{
	const char *p = tb;
	while (*p) {
		size_t k = strcspn(p, "\n");
		bool skip = (k >= 8 && !strncmp(p, "\t[C]: in ?", 10)) ||
			    (k >= 8 && !strncmp(p, "\t[C]: in function 'error'", 25));
		if (!skip) {
			if (out->len)
				buf_putc(out, '\n');
			buf_add(out, p, k);
		}
		p += k;
		if (*p)
			p++;
	}
}

typedef int (*S_body)(lua_State *L, struct hooks *h, void *arg);

struct protect {
	struct hooks *h;
	S_body fn;
	void *arg;
	int result;
};

static int S_trampoline(lua_State *L)
{
	struct protect *p = lua_touserdata(L, 1);
	lua_settop(L, 0);
	lua_pushnil(L);
	lua_setfield(L, LUA_REGISTRYINDEX, R_TRACE);
	lua_pushnil(L);
	lua_setfield(L, LUA_REGISTRYINDEX, R_USERERR);
	p->result = p->fn(L, p->h, p->arg);
	return 0;
}

/* Runs fn(L, h, arg) protected; reports an error at path:line.  Returns
 * fn's result, or -1 after an error. */
static int S_protect(struct hooks *h, S_body fn, void *arg, const char *path, int line)
{
	lua_State *L = h->L;
	struct protect p = { h, fn, arg, 0 };
	lua_settop(L, 0);
	S_reset_limits(h);
	lua_pushcfunction(L, S_msgh);
	lua_pushcfunction(L, S_trampoline);
	lua_pushlightuserdata(L, &p);
	int st = lua_pcall(L, 1, 0, 1);
	bool spent = S_spent(h);
	if (st == LUA_OK && spent)
		st = LUA_ERRRUN;        /* spent as the call returned */
	if (st != LUA_OK) {
		struct buf msg = BUF_INIT;
		if (spent && (!lua_isstring(L, -1) || (!strstr(lua_tostring(L, -1), "hook stopped") &&
						       !strstr(lua_tostring(L, -1), "hook used more than")))) {
			/* the budget's own message was replaced (an error in a
			 * __close, a memory error): say which budget */
			lua_settop(L, 0);
			S_push_spent(L, h, "");
		}
		if (lua_isstring(L, -1))
			buf_puts(&msg, lua_tostring(L, -1));
		else
			buf_puts(&msg, "(an error without a message)");
		/* Outside a page (loading, done hooks) the message's own
		 * "lua/NAME.lua:LINE:" prefix is where the problem is. */
		char *file = NULL;
		const char *text = msg.data, *c = path ? NULL : strstr(msg.data, ".lua:");
		if (c && c[5] >= '0' && c[5] <= '9' && !memchr(msg.data, '\n', (size_t)(c - msg.data))) {
			file = xstrndup(msg.data, (size_t)(c + 4 - msg.data));
			line = atoi(c + 5);
			text = c + 5 + strspn(c + 5, "0123456789");
			text += strspn(text, ": ");
		}
		/* Stopping toivo stops every hook call: say it once. */
		static atomic_bool told;
		bool quiet = h->stopped && atomic_exchange(&told, true) && diag_errors() > 0;
		if (quiet)
			;       /* the build fails already, for the same reason */
		else if (file)
			diag_error(file, line, 0, "%s; fix this hook file", text);
		else
			diag_error(path, line, 0, "%s", text);
		buf_free(&msg);
		/* the traceback, when there is one */
		lua_settop(L, 0);
		lua_gc(L, LUA_GCCOLLECT);
		h->mem_over = false;    /* room to read the traceback */
		lua_getfield(L, LUA_REGISTRYINDEX, R_TRACE);
		if (lua_isstring(L, -1) && !h->stopped) {
			struct buf tb = BUF_INIT;
			S_clean_trace(&tb, lua_tostring(L, -1));
			if (strchr(tb.data, '\n'))
				diag(DIAG_NOTE, file ? file : path, line, 0, "%s", tb.data);
			buf_free(&tb);
		}
		free(file);
		p.result = -1;
	}
	if (h->warn_dropped)
		diag_warn(path, line, 0, "%zu more messages of this hook call not shown (at most %d are)",
			  h->warn_dropped, WARN_MAX);
	value_free(h->pending_value);
	h->pending_value = NULL;
	free(h->pending_mem);
	h->pending_mem = NULL;
	lua_settop(L, 0);
	S_reset_limits(h);
	return p.result;
}

/* ------------------------------------------------------------------ */
/* loading                                                            */
/* ------------------------------------------------------------------ */

struct file {
	char *path;     /* where to read it */
	char *name;     /* "lua/NAME.lua" */
};

struct files {
	struct file *f;
	size_t n, cap;
	bool builtin;
};

static void S_collect(void *ud, const char *full, const char *rel)
{
	struct files *fs = ud;
	if (strchr(rel, '/') || !str_ends_with(rel, ".lua"))
		return;
	char *name = xasprintf("lua/%s", rel);
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->f[i].name, name)) {
			free(name);     /* the site's file replaces the built-in one */
			return;
		}
	fs->f = xgrow(fs->f, &fs->cap, fs->n, sizeof *fs->f);
	fs->f[fs->n].path = xstrdup(full);
	fs->f[fs->n].name = name;
	fs->n++;
}

/* Does the folder hold anything?  (vfs_walk of an empty folder passes NULL
 * to qsort, which UBSan rejects.) */
static bool S_has_entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	struct dirent *e;
	bool any = false;
	while (!any && (e = readdir(d)))
		any = e->d_name[0] != '.';
	closedir(d);
	return any;
}

static void S_add_name(struct hooks *h, const char *name)
{
	h->names = xgrow(h->names, &h->cap_names, h->n_names, sizeof *h->names);
	h->names[h->n_names++] = xstrdup(name);
}

struct load_arg {
	const char *text;
	size_t len;
	const char *name;
};

static void S_append(lua_State *L, const char *reg)
{
	/* Appends the value on top to the registry list reg. */
	lua_getfield(L, LUA_REGISTRYINDEX, reg);
	lua_insert(L, -2);
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	lua_pop(L, 1);
}

static int S_load_body(lua_State *L, struct hooks *h, void *arg)
{
	struct load_arg *a = arg;
	char *chunk = xasprintf("@%s", a->name);
	int st = luaL_loadbufferx(L, a->text, a->len, chunk, "t");
	free(chunk);
	if (st != LUA_OK) {
		/* Syntax errors name the file already; "binary chunk" does not. */
		size_t nl = strlen(a->name);
		const char *m = lua_tostring(L, -1);
		if (m && strncmp(m, a->name, nl)) {
			lua_pushfstring(L, "%s: %s", a->name, m);
			lua_replace(L, -2);
		}
		return lua_error(L);
	}
	/* Its own globals, falling back on the shared ones. */
	lua_newtable(L);
	lua_newtable(L);
	lua_pushglobaltable(L);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	lua_setupvalue(L, -2, 1);
	lua_call(L, 0, 1);
	if (!lua_istable(L, -1))
		return luaL_error(L, "%s: the file must return a table (of codeblocks, page, done), not %s",
				  a->name, luaL_typename(L, -1));
	int t = lua_gettop(L);
	lua_getfield(L, t, "codeblocks");
	if (lua_istable(L, -1)) {
		int cb = lua_gettop(L);
		lua_getfield(L, LUA_REGISTRYINDEX, R_CODEBLOCKS);
		int reg = lua_gettop(L);
		lua_pushnil(L);
		while (lua_next(L, cb)) {
			if (lua_type(L, -2) != LUA_TSTRING || !lua_isfunction(L, -1))
				return luaL_error(L, "%s: codeblocks must map names to functions", a->name);
			lua_pushvalue(L, -2);
			lua_rawget(L, reg);
			bool taken = !lua_isnil(L, -1);
			lua_pop(L, 1);
			if (!taken) {
				lua_pushvalue(L, -2);
				lua_pushvalue(L, -2);
				lua_rawset(L, reg);
				S_add_name(h, lua_tostring(L, -2));
			}
			lua_pop(L, 1);
		}
	} else if (!lua_isnil(L, -1)) {
		return luaL_error(L, "%s: codeblocks must be a table", a->name);
	}
	lua_settop(L, t);
	static const char *const lists[][2] = { { "page", R_PAGE }, { "done", R_DONE } };
	for (int i = 0; i < 2; i++) {
		lua_getfield(L, t, lists[i][0]);
		if (lua_isfunction(L, -1))
			S_append(L, lists[i][1]);
		else if (!lua_isnil(L, -1))
			return luaL_error(L, "%s: %s must be a function", a->name, lists[i][0]);
		lua_settop(L, t);
	}
	return 0;
}

struct hooks *hooks_new(const struct hooks_config *cfg)
{
	struct hooks *h = xcalloc(1, sizeof *h);
	h->cfg = *cfg;
	h->max_instr = cfg->max_instructions > 0 ? cfg->max_instructions : DEFAULT_INSTRUCTIONS;
	h->max_mem = cfg->max_memory > 0 ? cfg->max_memory : DEFAULT_MEMORY;
	h->max_seconds = cfg->max_seconds > 0 ? cfg->max_seconds : DEFAULT_SECONDS;
	h->L = lua_newstate(S_alloc, h);
	if (!h->L) {
		diag_error(NULL, 0, 0, "cannot make a Lua state: out of memory");
		free(h);
		return NULL;
	}
	char *dd = path_join(cfg->site_dir ? cfg->site_dir : ".", "content/data");
	h->data_root = realpath(dd, NULL);
	free(dd);

	struct files fs = { 0 };
	char *sitelua = path_join(cfg->site_dir ? cfg->site_dir : ".", "lua");
	if (S_has_entries(sitelua))
		vfs_walk(sitelua, S_collect, &fs);
	free(sitelua);
	vfs_walk("builtin:lua", S_collect, &fs);

	int errors = 0;
	/* The sandbox itself is made in protected mode too. */
	if (S_protect(h, S_open_sandbox, NULL, NULL, 0) < 0)
		errors++;
	for (size_t i = 0; i < fs.n; i++) {
		char *text = NULL;
		size_t len = 0;
		if (errors) {
			/* stop at the first file that fails; free the rest */
		} else if (vfs_read(&text, &len, fs.f[i].path) < 0) {
			diag_error(fs.f[i].name, 0, 0, "cannot read: %s", file_strerror(errno));
			errors++;
		} else {
			struct load_arg a = { text, len, fs.f[i].name };
			if (S_protect(h, S_load_body, &a, NULL, 0) < 0)
				errors++;
		}
		free(text);
		free(fs.f[i].path);
		free(fs.f[i].name);
	}
	free(fs.f);
	if (errors) {
		hooks_free(h);
		return NULL;
	}
	return h;
}

void hooks_free(struct hooks *h)
{
	if (!h)
		return;
	if (h->L) {
		/* Finalizers run at close: give them one budget, then stop. */
		S_reset_limits(h);
		lua_close(h->L);
	}
	for (size_t i = 0; i < h->n_names; i++)
		free(h->names[i]);
	free(h->names);
	for (size_t i = 0; i < h->n_data; i++) {
		free(h->data[i].rel);
		free(h->data[i].err);
		value_free(h->data[i].v);
	}
	free(h->data);
	free(h->data_root);
	free(h);
}

bool hooks_has_codeblock(struct hooks *h, const char *name)
{
	for (size_t i = 0; h && i < h->n_names; i++)
		if (!strcmp(h->names[i], name))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* calls                                                              */
/* ------------------------------------------------------------------ */

struct cb_arg {
	const char *name, *info, *text;
	int line;
	const struct value *page, *site;
	struct buf *out;
};

static int S_codeblock_body(lua_State *L, struct hooks *h, void *arg)
{
	struct cb_arg *a = arg;
	lua_getfield(L, LUA_REGISTRYINDEX, R_CODEBLOCKS);
	lua_getfield(L, -1, a->name);
	if (!lua_isfunction(L, -1))
		return 0;
	lua_Debug ar;
	lua_pushvalue(L, -1);
	lua_getinfo(L, ">S", &ar);
	lua_createtable(L, 0, 6);
	lua_pushstring(L, a->text);
	lua_setfield(L, -2, "text");
	lua_pushstring(L, a->info);
	lua_setfield(L, -2, "info");
	lua_pushinteger(L, a->line);
	lua_setfield(L, -2, "line");
	lua_pushstring(L, a->name);
	lua_setfield(L, -2, "name");
	S_push_value(L, a->page, 0);
	lua_setfield(L, -2, "page");
	S_push_value(L, a->site, 0);
	lua_setfield(L, -2, "site");
	lua_call(L, 1, 1);
	if (lua_isnil(L, -1))
		return 0;
	if (lua_type(L, -1) != LUA_TSTRING)
		return luaL_error(L, "%s:%d: codeblocks.%s returned a %s; return an HTML string, or nil to keep the code block",
				  ar.short_src, ar.linedefined, a->name, luaL_typename(L, -1));
	size_t len;
	const char *s = lua_tolstring(L, -1, &len);
	buf_add(a->out, s, len);
	return 1;
}

static void S_set_current(struct hooks *h, const char *hook, const char *path, int line, const struct value *page)
{
	snprintf(h->cur_hook, sizeof h->cur_hook, "%s", hook ? hook : "");
	h->cur_path = path;
	h->cur_line = line;
	h->cur_lang = value_string(value_get(page, "lang"));
}

int hooks_codeblock(struct hooks *h, struct buf *out, const char *name,
		    const char *info, const char *text, const char *page_path,
		    int line, const struct value *page, const struct value *site)
{
	struct cb_arg a = { name, info ? info : "", text ? text : "", line, page, site, out };
	char hook[sizeof h->cur_hook];
	snprintf(hook, sizeof hook, "codeblocks.%s", name);
	S_set_current(h, hook, page_path, line, page);
	size_t start = out->len;
	int r = S_protect(h, S_codeblock_body, &a, page_path, line);
	if (r < 0)
		buf_truncate(out, start);
	S_set_current(h, NULL, NULL, 0, NULL);
	return r;
}

static int S_page_body(lua_State *L, struct hooks *h, void *arg)
{
	struct value *page = arg;
	lua_getfield(L, LUA_REGISTRYINDEX, R_PAGE);
	int list = lua_gettop(L);
	lua_Integer n = (lua_Integer)lua_rawlen(L, list);
	if (n == 0)
		return 0;
	S_push_value(L, page, 0);
	int pt = lua_gettop(L);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, list, i);
		lua_pushvalue(L, pt);
		lua_call(L, 1, 0);
	}
	lua_getfield(L, pt, "params");
	struct value *old = value_get(page, "params");
	const char *err = NULL;
	struct value *params = S_to_value(L, -1, old, 0, &err);
	if (!params)
		return luaL_error(L, "page.params %s; keep only strings, numbers, booleans and tables in it", err);
	if (params->kind != V_MAP) {
		value_free(params);
		return luaL_error(L, "page.params must stay a table of named values");
	}
	value_set(page, "params", params);
	return 0;
}

int hooks_page(struct hooks *h, struct value *page, const char *page_path)
{
	S_set_current(h, "page", page_path, 0, page);
	int r = S_protect(h, S_page_body, page, page_path, 0);
	S_set_current(h, NULL, NULL, 0, NULL);
	return r < 0 ? -1 : 0;
}

struct done_arg {
	const struct value *site, *pages;
};

static int S_done_body(lua_State *L, struct hooks *h, void *arg)
{
	struct done_arg *a = arg;
	lua_getfield(L, LUA_REGISTRYINDEX, R_DONE);
	int list = lua_gettop(L);
	lua_Integer n = (lua_Integer)lua_rawlen(L, list);
	if (n == 0)
		return 0;
	S_push_value(L, a->site, 0);
	if (!lua_istable(L, -1)) {
		lua_pop(L, 1);
		lua_newtable(L);
	}
	S_push_value(L, a->pages, 0);
	lua_setfield(L, -2, "pages");
	int st = lua_gettop(L);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, list, i);
		lua_pushvalue(L, st);
		lua_call(L, 1, 0);
	}
	return 0;
}

bool hooks_has_done(struct hooks *h)
{
	lua_getfield(h->L, LUA_REGISTRYINDEX, R_DONE);
	bool any = lua_rawlen(h->L, -1) > 0;
	lua_pop(h->L, 1);
	return any;
}

int hooks_done(struct hooks *h, const struct value *site, const struct value *pages)
{
	struct done_arg a = { site, pages };
	/* toivo.t in done speaks the site's first language. */
	const struct value *langs = value_get(site, "languages");
	S_set_current(h, "done", NULL, 0, NULL);
	h->cur_lang = langs && langs->kind == V_LIST && langs->u.list.n
		? value_string(langs->u.list.items[0]) : NULL;
	int r = S_protect(h, S_done_body, &a, NULL, 0);
	S_set_current(h, NULL, NULL, 0, NULL);
	return r < 0 ? -1 : 0;
}
