/* hooks_impl.h - what the three files of the hooks share: the state of
 * one Lua state (struct hooks), its limits, and the functions one file
 * gives the others.  Not for use outside hooks*.c.
 *
 *   hooks.c          loading the files, protected calls, the calls
 *   hooks_sandbox.c  the sandboxed standard library and the budget
 *   hooks_lib.c      the toivo table, and values <-> Lua
 */
#ifndef TOIVO_HOOKS_IMPL_H
#define TOIVO_HOOKS_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <lua.h>

#include "hooks.h"

struct value;

#define DEFAULT_INSTRUCTIONS 50000000L
#define DEFAULT_SECONDS 30.0
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

/* hooks_sandbox.c */
/* The struct hooks of a Lua state (its allocator's data). */
struct hooks *hooks_of(lua_State *L);
/* Charges units of work to the current call (see hooks.c). */
void hooks_charge(struct hooks *h, size_t units);
/* Whether the current call's budget is spent. */
bool hooks_spent(const struct hooks *h);
/* Pushes the message of the spent budget, after `where`. */
void hooks_push_spent(lua_State *L, struct hooks *h, const char *where);
/* Starts a call's budget. */
void hooks_reset_limits(struct hooks *h);
/* The allocator of every state: counts and limits memory. */
void *hooks_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
/* Opens the sandboxed standard library and the registry tables (run by
 * S_protect). */
int hooks_open_sandbox(lua_State *L, struct hooks *h, void *arg);

/* hooks_lib.c */
/* Pushes v as Lua data; maps remember their key order in R_ORDER. */
void hooks_push_value(lua_State *L, const struct value *v, int depth);
/* The value at idx (orig: what it was made from, for key order), or NULL
 * with *err saying why; the caller frees it. */
struct value *hooks_to_value(lua_State *L, int idx, const struct value *orig, int depth, const char **err);
/* print(...): a note at the block (the global print). */
int hooks_print(lua_State *L);
/* Sets the global table toivo. */
void hooks_open_toivo(lua_State *L);

#endif
