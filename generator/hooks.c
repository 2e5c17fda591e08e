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
#include "hooks_impl.h"
#include "util.h"
#include "value.h"
#include "vfs.h"
#include "yamldoc.h"

/* ------------------------------------------------------------------ */
/* protected calls and error reports                                  */
/* ------------------------------------------------------------------ */
/* ------------------------------------------------------------------ */

/* The message handler: keeps the traceback in R_TRACE. */
static int S_msgh(lua_State *L)
{
	if (hooks_spent(hooks_of(L)) && lua_type(L, 1) != LUA_TSTRING) {
		/* no __tostring once the budget is spent */
		lua_settop(L, 0);
		hooks_push_spent(L, hooks_of(L), "");
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
	hooks_reset_limits(h);
	lua_pushcfunction(L, S_msgh);
	lua_pushcfunction(L, S_trampoline);
	lua_pushlightuserdata(L, &p);
	int st = lua_pcall(L, 1, 0, 1);
	bool spent = hooks_spent(h);
	if (st == LUA_OK && spent)
		st = LUA_ERRRUN;        /* spent as the call returned */
	if (st != LUA_OK) {
		struct buf msg = BUF_INIT;
		if (spent && (!lua_isstring(L, -1) || (!strstr(lua_tostring(L, -1), "hook stopped") &&
						       !strstr(lua_tostring(L, -1), "hook used more than")))) {
			/* the budget's own message was replaced (an error in a
			 * __close, a memory error): say which budget */
			lua_settop(L, 0);
			hooks_push_spent(L, h, "");
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
	hooks_reset_limits(h);
	return p.result;
}

/* ------------------------------------------------------------------ */
/* ------------------------------------------------------------------ */
/* loading                                                            */
/* ------------------------------------------------------------------ */
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
	h->L = lua_newstate(hooks_alloc, h);
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
	if (S_protect(h, hooks_open_sandbox, NULL, NULL, 0) < 0)
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
		hooks_reset_limits(h);
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
/* ------------------------------------------------------------------ */
/* calls                                                              */
/* ------------------------------------------------------------------ */
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
	hooks_push_value(L, a->page, 0);
	lua_setfield(L, -2, "page");
	hooks_push_value(L, a->site, 0);
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
	hooks_push_value(L, page, 0);
	int pt = lua_gettop(L);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, list, i);
		lua_pushvalue(L, pt);
		lua_call(L, 1, 0);
	}
	lua_getfield(L, pt, "params");
	struct value *old = value_get(page, "params");
	const char *err = NULL;
	struct value *params = hooks_to_value(L, -1, old, 0, &err);
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
	hooks_push_value(L, a->site, 0);
	if (!lua_istable(L, -1)) {
		lua_pop(L, 1);
		lua_newtable(L);
	}
	hooks_push_value(L, a->pages, 0);
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
