/* hooks_sandbox.c - the sandbox of the Lua hooks: the safe standard
 * library and the budget of a call (see hooks.c). */
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
#include "util.h"
#include "value.h"
#include "vfs.h"
#include "yamldoc.h"

/* ------------------------------------------------------------------ */
/* limits                                                             */
/* ------------------------------------------------------------------ */
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

struct hooks *hooks_of(lua_State *L)
{
	void *ud;
	lua_getallocf(L, &ud);
	return ud;
}

/* Whether the current call's budget is spent: from then on every
 * instruction, in any coroutine, fails. */
bool hooks_spent(const struct hooks *h)
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
void hooks_push_spent(lua_State *L, struct hooks *h, const char *where)
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
int hooks_raise_spent(lua_State *L, struct hooks *h, const char *where)
{
	lua_sethook(L, S_count_hook, LUA_MASKCOUNT, 1);
	S_trip(h);
	hooks_push_spent(L, h, where);
	return lua_error(L);
}

static void S_count_hook(lua_State *L, lua_Debug *ar)
{
	struct hooks *h = hooks_of(L);
	if (!hooks_spent(h)) {
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
	hooks_raise_spent(L, h, where);
}

void hooks_charge(struct hooks *h, size_t units);

void *hooks_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
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
			hooks_charge(h, (nsize - osize) >> 6);
	}
	return p;
}

/* Starts a call's budget. */
void hooks_reset_limits(struct hooks *h)
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
/* ------------------------------------------------------------------ */
/* the sandbox                                                        */
/* ------------------------------------------------------------------ */
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
void hooks_charge(struct hooks *h, size_t units)
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
	hooks_charge(hooks_of(L), units);
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
	struct hooks *h = hooks_of(L);
	if (hooks_spent(h)) {
		luaL_where(L, 1);
		return hooks_raise_spent(L, h, lua_tostring(L, -1));
	}
	return lua_gettop(L);
}

/* Calls upvalue 1 with the arguments, guarded (a continuation, so that a
 * coroutine may still yield inside pcall). */
static int S_guarded(lua_State *L)
{
	struct hooks *h = hooks_of(L);
	if (hooks_spent(h)) {
		luaL_where(L, 1);
		return hooks_raise_spent(L, h, lua_tostring(L, -1));
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
	struct hooks *h = hooks_of(L);
	if (hooks_spent(h)) {
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

int hooks_open_sandbox(lua_State *L, struct hooks *h, void *arg)
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
	lua_pushcfunction(L, hooks_print);
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

	hooks_open_toivo(L);

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
