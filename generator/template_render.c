/* template_render.c - rendering a parsed template (see template.c for the
 * design): read-only over the tree, all state on the renderer's stack, so
 * many threads may render at once. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "template.h"
#include "template_tree.h"
#include "util.h"
#include "value.h"

/* ---------------------------------------------------------------- rendering */

struct ctx {
	const struct value *v;
	const struct ctx *up;
};

/* The block arguments of the parent tags being rendered, innermost first. */
struct ovr {
	const struct node *parent;
	const struct tpl *t;    /* where the parent tag is */
	const struct ovr *outer;
};

struct rs {
	struct buf *out;
	bool src_ls;            /* at the start of a source line (for strip) */
	bool out_ls;            /* at the start of an output line (for ind) */
	bool failed;
	int depth;
};

struct env {
	const struct tpl *t;
	const struct ctx *ctx;
	const char *ind;
	size_t ind_len;
	size_t strip;
	const struct ovr *ovr;
};

static void S_render(struct rs *rs, const struct node *ns, size_t n, const struct env *e);

static void S_emit_text(struct rs *rs, const struct env *e, const char *s, size_t len)
{
	if (!len)
		return;
	if (!e->ind_len && !e->strip) {
		buf_add(rs->out, s, len);
		rs->src_ls = rs->out_ls = s[len - 1] == '\n';
		return;
	}
	size_t i = 0;
	while (i < len) {
		if (rs->src_ls && e->strip) {
			for (size_t k = 0; k < e->strip && i < len && tpl_ws(s[i]); k++)
				i++;
			if (i >= len)
				break;
		}
		const char *nl = memchr(s + i, '\n', len - i);
		size_t j = nl ? (size_t)(nl - s) + 1 : len;
		if (rs->out_ls && e->ind_len)
			buf_add(rs->out, e->ind, e->ind_len);
		buf_add(rs->out, s + i, j - i);
		rs->src_ls = rs->out_ls = s[j - 1] == '\n';
		i = j;
	}
}

static const struct value *S_lookup(const struct ctx *ctx, const struct node *n)
{
	if (!n->nparts)
		return ctx ? ctx->v : NULL;
	const struct value *v = NULL;
	for (const struct ctx *c = ctx; c && !v; c = c->up)
		v = value_get(c->v, n->parts[0]);
	for (size_t i = 1; v && i < n->nparts; i++)
		v = value_get(v, n->parts[i]);
	return v;
}

/* Indentation ind (of a tag at the start of a source line) after stripping
 * up to e->strip leading blanks, appended to e's indentation. */
static char *S_indent(const struct env *e, const char *ind, size_t len, size_t *out_len,
		      char *sbuf, size_t sbuf_len)
{
	for (size_t k = 0; k < e->strip && len && tpl_ws(*ind); k++) {
		ind++;
		len--;
	}
	size_t n = e->ind_len + len;
	char *r = n <= sbuf_len ? sbuf : xmalloc(n);
	if (e->ind_len)
		memcpy(r, e->ind, e->ind_len);
	if (len)
		memcpy(r + e->ind_len, ind, len);
	*out_len = n;
	return r;
}

static bool S_deeper(struct rs *rs, const struct env *e, const struct node *n)
{
	if (rs->depth >= MAX_DEPTH) {
		if (!rs->failed)
			diag_error(e->t->path, n->line, n->col,
				   "partials nested more than %d deep; a partial probably includes itself without end: "
				   "remove the tag that leads back to it", MAX_DEPTH);
		rs->failed = true;
		return false;
	}
	rs->depth++;
	return true;
}

static void S_include(struct rs *rs, const struct env *e, const struct node *n)
{
	if (!n->target)
		return;
	if (!S_deeper(rs, e, n))
		return;
	char sbuf[128];
	struct env e2 = *e;
	e2.t = n->target;
	e2.strip = 0;
	char *ind = NULL;
	if (n->standalone) {
		ind = S_indent(e, n->ind, n->ind_len, &e2.ind_len, sbuf, sizeof sbuf);
		e2.ind = ind;
	} else {
		if (rs->out_ls && e->ind_len) {
			buf_add(rs->out, e->ind, e->ind_len);
			rs->out_ls = false;
		}
		e2.ind = "";
		e2.ind_len = 0;
	}
	struct ovr o = { n, e->t, e->ovr };
	if (n->type == N_PARENT)
		e2.ovr = &o;
	rs->src_ls = true;
	S_render(rs, n->target->nodes, n->target->n, &e2);
	rs->src_ls = n->standalone;
	if (ind && ind != sbuf)
		free(ind);
	rs->depth--;
}

static void S_block(struct rs *rs, const struct env *e, const struct node *n)
{
	const struct node *arg = NULL;
	const struct tpl *arg_t = NULL;
	for (const struct ovr *o = e->ovr; o; o = o->outer)
		for (size_t i = 0; i < o->parent->nkids; i++) {
			const struct node *k = &o->parent->kids[i];
			if (k->type == N_BLOCK && !strcmp(k->name, n->name)) {
				arg = k;
				arg_t = o->t;
				break;
			}
		}
	if (!S_deeper(rs, e, n))
		return;
	char sbuf[128];
	struct env e2 = *e;
	char *ind = S_indent(e, n->ind, n->ind_len, &e2.ind_len, sbuf, sizeof sbuf);
	e2.ind = ind;
	if (arg) {
		e2.t = arg_t;
		e2.strip = arg->ind_len;
		rs->src_ls = arg->standalone;
		S_render(rs, arg->kids, arg->nkids, &e2);
	} else {
		e2.strip = n->ind_len;
		rs->src_ls = n->standalone;
		S_render(rs, n->kids, n->nkids, &e2);
	}
	rs->src_ls = rs->out_ls;
	if (ind != sbuf)
		free(ind);
	rs->depth--;
}

static void S_render(struct rs *rs, const struct node *ns, size_t n, const struct env *e)
{
	for (size_t i = 0; i < n && !rs->failed; i++) {
		const struct node *x = &ns[i];
		switch (x->type) {
		case N_TEXT:
			S_emit_text(rs, e, x->text, x->len);
			break;
		case N_VAR:
		case N_RAW: {
			const struct value *v = S_lookup(e->ctx, x);
			if (rs->out_ls && e->ind_len)
				buf_add(rs->out, e->ind, e->ind_len);
			if (v && v->kind == V_STR && x->type == N_VAR)
				buf_add_html(rs->out, v->u.str.s, v->u.str.len);
			else
				value_to_text(rs->out, v);
			rs->src_ls = rs->out_ls = false;
			break;
		}
		case N_SECTION: {
			const struct value *v = S_lookup(e->ctx, x);
			if (!value_truthy(v))
				break;
			struct env e2 = *e;
			if (v->kind == V_LIST) {
				for (size_t k = 0; k < v->u.list.n && !rs->failed; k++) {
					struct ctx c = { v->u.list.items[k], e->ctx };
					e2.ctx = &c;
					S_render(rs, x->kids, x->nkids, &e2);
				}
			} else {
				struct ctx c = { v, e->ctx };
				e2.ctx = &c;
				S_render(rs, x->kids, x->nkids, &e2);
			}
			break;
		}
		case N_INVERTED:
			if (!value_truthy(S_lookup(e->ctx, x)))
				S_render(rs, x->kids, x->nkids, e);
			break;
		case N_PARTIAL:
		case N_PARENT:
			S_include(rs, e, x);
			break;
		case N_BLOCK:
			S_block(rs, e, x);
			break;
		}
	}
}

int tpl_render(struct buf *out, const struct tpl *t, const struct value *ctx)
{
	struct rs rs = { out, true, true, false, 0 };
	struct ctx c0 = { ctx, NULL };
	struct env e = { t, ctx ? &c0 : NULL, "", 0, 0, NULL };
	S_render(&rs, t->nodes, t->n, &e);
	return rs.failed ? -1 : 0;
}
