/* template.c - a Mustache engine (spec v1.3 with ~inheritance; see
 * template.h).
 *
 * Design.  A template is parsed once into a tree of nodes.  Text nodes point
 * into the template's source, which the template keeps; tag names are split
 * at dots at parse time.  The standalone-line rules are applied by the
 * parser: a standalone tag's line disappears and its indentation is kept in
 * the node (partials, parents and blocks need it when rendering).
 *
 * Loading resolves every {{>partial}} and {{<parent}} to a template pointer
 * kept in the node, with a work list, so cycles (a partial including itself)
 * are fine and rendering never touches the disk or the cache: after loading,
 * everything is read-only and many threads may render at once.  All render
 * state lives on the renderer's stack.
 *
 * Indentation.  Rendering carries an indentation (added at the start of each
 * output line, from standalone partials and blocks) and a strip width (how
 * much leading white space to remove from each source line of the block
 * content being rendered: the block's own indentation where it was written).
 * Together they move a block's lines from where it was written to where it
 * is expanded ("Block reindentation" in ~inheritance).
 *
 * Inheritance.  A parent tag renders its template with its block arguments
 * pushed on a chain of overrides; a block looks its name up along the chain
 * and the outermost argument wins.  Partials pass the chain on.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "hmap.h"
#include "template.h"
#include "template_tree.h"
#include "utf8.h"
#include "util.h"
#include "value.h"

struct tpl_dir {
	char *dir;
	char *shown;            /* dir as messages name it */
};

struct tpl_cache {
	tpl_read_fn read;
	void *ud;
	bool strict;
	struct tpl_dir *dirs;   /* searched for partials, in order */
	size_t ndirs, capdirs;
	bool dirs_only;         /* never beside the including template */
	struct hmap by_path, by_name;
	struct tpl *all;
	struct tpl **pending;   /* loaded, partials not resolved yet */
	size_t npending, cappending;
	int errors;
};

static char S_missing;          /* by_path marker: no such file */

/* ---------------------------------------------------------------- parsing */

struct vec {
	struct node *v;
	size_t n, cap;
};

struct frame {
	struct node open;
	struct vec kids;
	bool left_clear;        /* only white space before the tag on its line */
	size_t text_idx;        /* parent: the text node before it, or SIZE_MAX */
	const char *ws;         /* the white space before the opening tag */
	size_t ws_len;
};

struct parser {
	struct tpl_cache *c;
	const char *path;
	const char *s;
	size_t len;
	const char *otag, *ctag;
	size_t olen, clen;
	size_t lc_pos, lc_ls;   /* line tracking: lc_ls starts line lc_line */
	size_t lc_cpos;         /* column tracking: lc_cpos is at column lc_col */
	int lc_line, lc_col;
	struct frame *st;       /* st[0] is the template itself */
	size_t depth, cap;
	int errors;
};

static void S_linecol(struct parser *p, size_t pos, int *line, int *col)
{
	if (pos < p->lc_pos) {
		p->lc_pos = p->lc_ls = p->lc_cpos = 0;
		p->lc_line = p->lc_col = 1;
	}
	while (p->lc_pos < pos) {
		const char *nl = memchr(p->s + p->lc_pos, '\n', pos - p->lc_pos);
		if (!nl) {
			p->lc_pos = pos;
			break;
		}
		p->lc_line++;
		p->lc_pos = p->lc_ls = (size_t)(nl - p->s) + 1;
	}
	if (p->lc_cpos < p->lc_ls || p->lc_cpos > pos) {
		p->lc_cpos = p->lc_ls;
		p->lc_col = 1;
	}
	/* columns count characters (UTF-8), not bytes */
	for (; p->lc_cpos < pos; p->lc_cpos++)
		if (!utf8_is_cont((unsigned char)p->s[p->lc_cpos]))
			p->lc_col++;
	*line = p->lc_line;
	*col = p->lc_col;
}

static void S_error_at(struct parser *p, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void S_error_at(struct parser *p, size_t pos, const char *fmt, ...)
{
	int line, col;
	S_linecol(p, pos, &line, &col);
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	diag_error(p->path, line, col, "%s", msg.data);
	buf_free(&msg);
	p->errors++;
}

static struct node *S_push(struct vec *v)
{
	v->v = xgrow(v->v, &v->cap, v->n, sizeof *v->v);
	struct node *n = &v->v[v->n++];
	memset(n, 0, sizeof *n);
	return n;
}

static void S_free_nodes(struct node *ns, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct node *x = &ns[i];
		free(x->name);
		for (size_t k = 0; k < x->nparts; k++)
			free(x->parts[k]);
		free(x->parts);
		S_free_nodes(x->kids, x->nkids);
	}
	free(ns);
}

/* Adds source text [a, b) to the innermost open node (text directly inside
 * a parent tag is ignored, as the spec says). */
static size_t S_text(struct parser *p, size_t a, size_t b)
{
	struct frame *f = &p->st[p->depth - 1];
	if (b <= a || (p->depth > 1 && f->open.type == N_PARENT))
		return SIZE_MAX;
	struct node *n = S_push(&f->kids);
	n->type = N_TEXT;
	n->text = p->s + a;
	n->len = b - a;
	return f->kids.n - 1;
}

static void S_split_name(struct node *n)
{
	if (!strcmp(n->name, "."))
		return;
	size_t cnt = 1;
	for (const char *q = n->name; *q; q++)
		cnt += *q == '.';
	n->parts = xmalloc(cnt * sizeof *n->parts);
	const char *q = n->name;
	for (;;) {
		const char *dot = strchr(q, '.');
		size_t l = dot ? (size_t)(dot - q) : strlen(q);
		n->parts[n->nparts++] = xstrndup(q, l);
		if (!dot)
			break;
		q = dot + 1;
	}
}

/* The indentation of a block's first content line (its "intrinsic"
 * indentation), or fallback when the block is empty. */
static void S_block_indent(struct node *n, const char *fb, size_t fb_len)
{
	n->ind = fb;
	n->ind_len = fb_len;
	if (!n->nkids)
		return;
	const struct node *k = &n->kids[0];
	if (k->type == N_TEXT) {
		size_t i = 0;
		while (i < k->len && tpl_ws(k->text[i]))
			i++;
		n->ind = k->text;
		n->ind_len = i;
	} else {
		n->ind = k->ind;
		n->ind_len = k->ind_len;
	}
}

/* Closes the innermost open node and adds it to the one around it. */
static void S_pop(struct parser *p)
{
	struct frame *f = &p->st[--p->depth];
	struct node n = f->open;
	n.kids = f->kids.v;
	n.nkids = f->kids.n;
	*S_push(&p->st[p->depth - 1].kids) = n;
}

static const char *S_kind(enum ntype t)
{
	return t == N_BLOCK ? "block" : t == N_PARENT ? "parent" : "section";
}

static int S_set_delims(struct parser *p, size_t at, const char *a, size_t len)
{
	size_t i = 0, s1, e1, s2, e2;
	while (i < len && tpl_ws(a[i]))
		i++;
	s1 = i;
	while (i < len && !tpl_ws(a[i]) && a[i] != '=')
		i++;
	e1 = i;
	while (i < len && tpl_ws(a[i]))
		i++;
	s2 = i;
	while (i < len && !tpl_ws(a[i]) && a[i] != '=')
		i++;
	e2 = i;
	while (i < len && tpl_ws(a[i]))
		i++;
	if (e1 == s1 || e2 == s2 || i != len || e1 == s2) {
		S_error_at(p, at, "bad set-delimiter tag: it needs two delimiters without spaces or '=', such as {{=<%% %%>=}}");
		return -1;
	}
	p->otag = a + s1;
	p->olen = e1 - s1;
	p->ctag = a + s2;
	p->clen = e2 - s2;
	return 0;
}

static const char *S_find(const char *h, size_t hlen, const char *n, size_t nlen)
{
	return memmem(h, hlen, n, nlen);
}

/* One tag as the parser found it. */
struct tag {
	char sig;               /* 0 (a variable), or & # ^ / ! > $ < { = */
	size_t t0;              /* where the opening delimiter starts */
	size_t tag_end;         /* just after the closing delimiter */
	const char *content;    /* between the delimiters, sigil aside */
	size_t clen;
	size_t ls;              /* the start of the white space before the tag */
	size_t re;              /* after the white space and line end after it */
	bool left, right;       /* only white space before / after it on its line */
	bool alone;             /* a standalone tag: its line disappears */
	char *name;             /* trimmed; NULL for comments and delimiters */
	int line, col;
};

/* Finds the next tag from pos.  Returns 1 with *g filled, 0 when there is
 * none (the rest is text), -1 after reporting a tag that is never closed. */
static int S_next_tag(struct parser *p, size_t pos, struct tag *g)
{
	const char *s = p->s;
	size_t len = p->len;
	const char *o = S_find(s + pos, len - pos, p->otag, p->olen);
	if (!o)
		return 0;
	memset(g, 0, sizeof *g);
	size_t t0 = (size_t)(o - s);
	size_t q = t0 + p->olen;
	char sig = q < len ? s[q] : 0;
	const char *endmark = p->ctag;
	size_t endlen = p->clen;
	char pre = 0;
	if (sig == '{' || sig == '=') {
		pre = sig == '{' ? '}' : '=';
		q++;
	} else if (sig == '&' || sig == '#' || sig == '^' || sig == '/' || sig == '!' ||
		   sig == '>' || sig == '$' || sig == '<') {
		q++;
	} else {
		sig = 0;
	}
	g->sig = sig;
	g->t0 = t0;
	/* the end of the tag: [pre] ctag */
	size_t cend = 0;
	bool found = false;
	for (size_t from = q; from < len;) {
		const char *e = S_find(s + from, len - from, endmark, endlen);
		if (!e)
			break;
		size_t ep = (size_t)(e - s);
		if (!pre) {
			cend = ep;
			found = true;
			break;
		}
		if (ep > q && s[ep - 1] == pre) {
			cend = ep - 1;
			found = true;
			break;
		}
		from = ep + 1;
	}
	if (!found && pre && S_find(s + q, len - q, p->ctag, p->clen)) {
		char *ct = xstrndup(p->ctag, p->clen);
		if (pre == '=')
			S_error_at(p, t0, "bad set-delimiter tag: it must end with '=%s', as in {{=<%% %%>=}}", ct);
		else
			S_error_at(p, t0, "tag opened with '%.*s{' must end with '}%s'", (int)p->olen, p->otag, ct);
		free(ct);
		return -1;
	}
	if (!found) {
		char *ot = xstrndup(p->otag, p->olen), *ct = xstrndup(p->ctag, p->clen);
		S_error_at(p, t0, "tag opened with '%s' is never closed with '%s'", ot, ct);
		free(ot);
		free(ct);
		return -1;
	}
	g->tag_end = cend + (pre ? 1 : 0) + p->clen;
	g->content = s + q;
	g->clen = cend - q;

	/* left and right clearance for the standalone rules */
	size_t ls = t0;
	while (ls > 0 && tpl_ws(s[ls - 1]))
		ls--;
	g->ls = ls;
	g->left = ls == 0 || s[ls - 1] == '\n';
	size_t re = g->tag_end;
	while (re < len && tpl_ws(s[re]))
		re++;
	g->right = true;
	if (re == len)
		;
	else if (s[re] == '\n')
		re++;
	else if (s[re] == '\r' && re + 1 < len && s[re + 1] == '\n')
		re += 2;
	else
		g->right = false;
	g->re = re;
	g->alone = g->left && g->right && sig != 0 && sig != '&' && sig != '{';

	/* the name */
	const char *content = g->content;
	size_t a = 0, b = g->clen;
	while (a < b && (tpl_ws(content[a]) || content[a] == '\n' || content[a] == '\r'))
		a++;
	while (b > a && (tpl_ws(content[b - 1]) || content[b - 1] == '\n' || content[b - 1] == '\r'))
		b--;
	g->name = sig == '!' || sig == '=' ? NULL : xstrndup(content + a, b - a);
	return 1;
}

/* An opening tag (# ^ $ <): pushes a frame.  Returns where parsing goes on,
 * or SIZE_MAX when the sections are nested too deep (reported). */
static size_t S_open(struct parser *p, struct tag *g, size_t text_start, bool in_parent)
{
	if (p->depth >= MAX_NESTING) {
		S_error_at(p, g->t0, "sections nested more than %d deep", MAX_NESTING);
		return SIZE_MAX;
	}
	const char *s = p->s;
	size_t pos;
	struct frame f = { 0 };
	f.open.type = g->sig == '#' ? N_SECTION : g->sig == '^' ? N_INVERTED :
		g->sig == '$' ? N_BLOCK : N_PARENT;
	f.open.line = g->line;
	f.open.col = g->col;
	f.open.name = g->name;
	g->name = NULL;
	f.text_idx = SIZE_MAX;
	f.left_clear = g->left;
	f.ws = s + g->ls;
	f.ws_len = g->t0 - g->ls;
	if (f.open.type == N_SECTION || f.open.type == N_INVERTED)
		S_split_name(&f.open);
	if (f.open.type == N_PARENT) {
		f.text_idx = S_text(p, text_start, g->t0);
		pos = g->tag_end;
	} else if (f.open.type == N_BLOCK && in_parent) {
		f.open.standalone = g->right;
		pos = g->right ? g->re : g->tag_end;
	} else if (g->alone) {
		S_text(p, text_start, g->ls);
		f.open.standalone = true;
		f.open.ind = s + g->ls;
		f.open.ind_len = g->t0 - g->ls;
		pos = g->re;
	} else {
		S_text(p, text_start, g->t0);
		pos = g->tag_end;
	}
	if (p->depth == p->cap) {
		p->cap *= 2;
		p->st = xrealloc(p->st, p->cap * sizeof *p->st);
	}
	p->st[p->depth++] = f;
	return pos;
}

/* A closing tag: ends the open section of its name.  Returns where parsing
 * goes on. */
static size_t S_close(struct parser *p, const struct tag *g, size_t text_start)
{
	const char *s = p->s;
	const char *name = g->name;
	struct frame *top = &p->st[p->depth - 1];
	size_t pos;
	size_t m = p->depth;
	while (m > 1 && strcmp(p->st[m - 1].open.name, name))
		m--;
	if (p->depth == 1) {
		S_error_at(p, g->t0, "closing tag '%s' has no open section", name);
		S_text(p, text_start, g->t0);
		pos = g->tag_end;
	} else if (m != p->depth) {
		S_error_at(p, g->t0, "closing tag '%s' does not match open section '%s' (opened at line %d)",
			   name, top->open.name, top->open.line);
		S_text(p, text_start, g->t0);
		pos = g->tag_end;
		if (m > 1) {
			/* close up to the matching one, already reported */
			while (p->depth >= m)
				S_pop(p);
		}
	} else if (top->open.type == N_PARENT) {
		struct node *n = &top->open;
		if (top->left_clear && g->right) {
			n->standalone = true;
			n->ind = top->ws;
			n->ind_len = top->ws_len;
			struct frame *out = &p->st[p->depth - 2];
			if (top->text_idx != SIZE_MAX)
				out->kids.v[top->text_idx].len -= top->ws_len;
			pos = g->re;
		} else {
			pos = g->tag_end;
		}
		S_pop(p);
	} else if (top->open.type == N_BLOCK && p->depth > 2 &&
		   p->st[p->depth - 2].open.type == N_PARENT) {
		/* an argument: the white space before its closing tag
		 * goes, the line end after it stays */
		S_text(p, text_start, g->left ? g->ls : g->t0);
		pos = g->tag_end;
		top->open.kids = top->kids.v;
		top->open.nkids = top->kids.n;
		if (top->open.standalone)
			S_block_indent(&top->open, s + g->t0, 0);
		S_pop(p);
	} else {
		S_text(p, text_start, g->alone ? g->ls : g->t0);
		pos = g->alone ? g->re : g->tag_end;
		struct node *n = &top->open;
		if (n->type == N_BLOCK) {
			n->kids = top->kids.v;
			n->nkids = top->kids.n;
			if (n->standalone)
				S_block_indent(n, n->ind, n->ind_len);
			else if (top->left_clear && g->right) {
				n->ind = top->ws;
				n->ind_len = top->ws_len;
			}
		}
		S_pop(p);
	}
	return pos;
}

/* A variable ({{x}}, {{{x}}}, {{&x}}) or a partial ({{> x}}): one node, unless
 * inside a parent tag, where only blocks count. */
static size_t S_leaf(struct parser *p, struct tag *g, size_t text_start, bool in_parent)
{
	bool partial = g->sig == '>';
	S_text(p, text_start, partial && g->alone ? g->ls : g->t0);
	if (!in_parent) {
		struct node *n = S_push(&p->st[p->depth - 1].kids);
		n->type = partial ? N_PARTIAL : g->sig ? N_RAW : N_VAR;
		n->line = g->line;
		n->col = g->col;
		n->name = g->name;
		g->name = NULL;
		if (partial) {
			n->standalone = g->alone;
			n->ind = p->s + g->ls;
			n->ind_len = g->alone ? g->t0 - g->ls : 0;
		} else {
			S_split_name(n);
		}
	}
	return partial && g->alone ? g->re : g->tag_end;
}

static int S_parse(struct tpl_cache *c, struct tpl *t)
{
	struct parser p = { 0 };
	bool too_deep = false;  /* then the open sections are not news */
	p.c = c;
	p.path = t->path;
	p.s = t->src;
	p.len = t->len;
	p.otag = "{{";
	p.ctag = "}}";
	p.olen = p.clen = 2;
	p.lc_line = p.lc_col = 1;
	p.cap = 8;
	p.st = xcalloc(p.cap, sizeof *p.st);
	p.depth = 1;
	size_t pos = 0, text_start = 0;

	for (;;) {
		struct tag g;
		int r = S_next_tag(&p, pos, &g);
		if (r <= 0) {
			S_text(&p, text_start, r == 0 ? p.len : g.t0);
			break;
		}
		if (g.name && !*g.name) {
			S_error_at(&p, g.t0, "empty tag: a name is missing");
			free(g.name);
			S_text(&p, text_start, g.t0);
			pos = text_start = g.tag_end;
			continue;
		}
		S_linecol(&p, g.t0, &g.line, &g.col);
		struct frame *top = &p.st[p.depth - 1];
		bool in_parent = p.depth > 1 && top->open.type == N_PARENT;
		char sig = g.sig;
		if (sig == '!' || sig == '=') {
			if (sig == '=' && S_set_delims(&p, g.t0, g.content, g.clen) < 0) {
				S_text(&p, text_start, g.t0);
				break;
			}
			S_text(&p, text_start, g.alone ? g.ls : g.t0);
			pos = g.alone ? g.re : g.tag_end;
		} else if (sig == 0 || sig == '&' || sig == '{' || sig == '>') {
			pos = S_leaf(&p, &g, text_start, in_parent);
		} else if (sig == '#' || sig == '^' || sig == '$' || sig == '<') {
			pos = S_open(&p, &g, text_start, in_parent);
			if (pos == SIZE_MAX) {
				too_deep = true;
				free(g.name);
				break;
			}
		} else { /* '/' */
			pos = S_close(&p, &g, text_start);
		}
		free(g.name);
		text_start = pos;
	}
	while (p.depth > 1) {
		struct frame *f = &p.st[p.depth - 1];
		int line = f->open.line;
		if (!too_deep) {
			diag_error(p.path, line, f->open.col, "%s '%s' is never closed; close it with {{/%s}}",
				   S_kind(f->open.type), f->open.name, f->open.name);
			p.errors++;
		}
		S_pop(&p);
	}
	t->nodes = p.st[0].kids.v;
	t->n = p.st[0].kids.n;
	free(p.st);
	c->errors += p.errors;
	return p.errors ? -1 : 0;
}

/* ---------------------------------------------------------------- cache */

struct tpl_cache *tpl_cache_new(tpl_read_fn read, void *ud, bool strict)
{
	struct tpl_cache *c = xcalloc(1, sizeof *c);
	c->read = read;
	c->ud = ud;
	c->strict = strict;
	return c;
}

void tpl_cache_free(struct tpl_cache *c)
{
	if (!c)
		return;
	for (struct tpl *t = c->all, *next; t; t = next) {
		next = t->next;
		S_free_nodes(t->nodes, t->n);
		free(t->path);
		free(t->dirpre);
		free(t->ext);
		free(t->src);
		free(t);
	}
	for (size_t i = 0; i < c->ndirs; i++) {
		free(c->dirs[i].dir);
		free(c->dirs[i].shown);
	}
	free(c->dirs);
	free(c->pending);
	hmap_free(&c->by_path);
	hmap_free(&c->by_name);
	free(c);
}

void tpl_cache_add_dir(struct tpl_cache *c, const char *dir, const char *shown)
{
	c->dirs = xgrow(c->dirs, &c->capdirs, c->ndirs, sizeof *c->dirs);
	c->dirs[c->ndirs].dir = xstrdup(dir);
	c->dirs[c->ndirs].shown = xstrdup(shown ? shown : dir);
	c->ndirs++;
}

void tpl_cache_dirs_only(struct tpl_cache *c)
{
	c->dirs_only = true;
}

/* Makes a template of text (taking it over) and parses it. */
static struct tpl *S_new(struct tpl_cache *c, const char *path, bool named, char *text, size_t len)
{
	struct tpl *t = xcalloc(1, sizeof *t);
	t->path = xstrdup(path);
	t->src = text;
	t->len = len;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 :
		str_starts_with(path, "builtin:") ? path + 8 : path;
	if (!named)
		t->dirpre = xstrndup(path, (size_t)(base - path));
	const char *dot = strrchr(base, '.');
	t->ext = xstrdup(dot && dot != base ? dot : named ? ".mustache" : "");
	t->next = c->all;
	c->all = t;
	/* Invalid UTF-8 or a NUL byte would go on into every page. */
	if (utf8_check(text, len, path) < 0) {
		c->errors++;
		t->bad = true;
	} else if (S_parse(c, t) < 0) {
		t->bad = true;
	} else {
		c->pending = xgrow(c->pending, &c->cappending, c->npending, sizeof *c->pending);
		c->pending[c->npending++] = t;
	}
	return t;
}

/* The template at path, loaded when it is new; NULL when there is none. */
static struct tpl *S_get(struct tpl_cache *c, const char *path)
{
	void *v = hmap_get(&c->by_path, path);
	if (v)
		return v == &S_missing ? NULL : v;
	char *text = NULL;
	size_t len = 0;
	errno = 0;
	if (c->read(c->ud, path, &text, &len) < 0) {
		/* missing: the next place is looked at; anything else is said */
		if (errno && errno != ENOENT && errno != ENOTDIR) {
			diag_error(path, 0, 0, "cannot read the template: %s", file_strerror(errno));
			c->errors++;
		}
		hmap_put(&c->by_path, path, &S_missing);
		return NULL;
	}
	struct tpl *t = S_new(c, path, false, text, len);
	hmap_put(&c->by_path, path, t);
	return t;
}

/* A partial name that stays in its folder: relative, without "..". */
static bool S_name_inside(const char *name)
{
	if (name[0] == '/' || strchr(name, '\\'))
		return false;
	for (const char *p = name; *p; p += strcspn(p, "/"), p += *p == '/')
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
			return false;
	return true;
}

static const struct tpl *S_resolve(struct tpl_cache *c, const struct tpl *from, const char *name)
{
	struct tpl *t = NULL;
	if (from->dirpre && !c->dirs_only) {
		char *p = xasprintf("%s%s%s", from->dirpre, name, from->ext);
		t = S_get(c, p);
		free(p);
	}
	for (size_t i = 0; !t && i < c->ndirs; i++) {
		char *p = xasprintf("%s/%s%s", c->dirs[i].dir, name, from->ext);
		t = S_get(c, p);
		free(p);
	}
	if (!t)
		t = hmap_get(&c->by_name, name);
	return t;
}

static void S_link(struct tpl_cache *c, const struct tpl *t, struct node *ns, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct node *x = &ns[i];
		if ((x->type == N_PARTIAL || x->type == N_PARENT) && !S_name_inside(x->name)) {
			diag_error(t->path, x->line, x->col,
				   "partial '%s' leaves the partials folder (an absolute path or \"..\"); "
				   "name a partial inside the theme's partials/ folder", x->name);
			c->errors++;
			x->target = NULL;
		} else if (x->type == N_PARTIAL || x->type == N_PARENT) {
			const struct tpl *r = S_resolve(c, t, x->name);
			if (!r && c->strict) {
				struct buf where = BUF_INIT;
				if (t->dirpre && !c->dirs_only)
					buf_printf(&where, "%s%s%s", t->dirpre, x->name, t->ext);
				for (size_t k = 0; k < c->ndirs; k++)
					buf_printf(&where, "%s%s/%s%s", where.len ? ", " : "",
						   c->dirs[k].shown, x->name, t->ext);
				diag_error(t->path, x->line, x->col,
					   "partial '%s' not found (looked for %s); create it or fix the name",
					   x->name, where.len ? where.data : "a template of that name");
				buf_free(&where);
				c->errors++;
			}
			x->target = r && !r->bad ? r : NULL;
		}
		S_link(c, t, x->kids, x->nkids);
	}
}

/* Resolves the partials of every template loaded but not linked yet. */
static void S_drain(struct tpl_cache *c)
{
	for (size_t i = 0; i < c->npending; i++) {
		struct tpl *t = c->pending[i];
		S_link(c, t, t->nodes, t->n);
	}
	c->npending = 0;
}

const struct tpl *tpl_cache_add(struct tpl_cache *c, const char *name,
				const char *text, size_t len)
{
	int before = c->errors;
	struct tpl *t = S_new(c, name, true, xstrndup(text, len), len);
	hmap_put(&c->by_name, name, t);
	S_drain(c);
	return t->bad || c->errors != before ? NULL : t;
}

const struct tpl *tpl_cache_load(struct tpl_cache *c, const char *path)
{
	int before = c->errors;
	void *v = hmap_get(&c->by_path, path);
	struct tpl *t = v == &S_missing ? NULL : v;
	if (!v) {
		char *text = NULL;
		size_t len = 0;
		errno = 0;
		if (c->read(c->ud, path, &text, &len) < 0) {
			diag_error(path, 0, 0, "cannot read the template: %s",
				   errno ? file_strerror(errno) : "no such file");
			c->errors++;
			return NULL;
		}
		t = S_new(c, path, false, text, len);
		hmap_put(&c->by_path, path, t);
	}
	if (!t) {
		diag_error(path, 0, 0, "cannot read the template: no such file; create it or fix the name");
		c->errors++;
		return NULL;
	}
	S_drain(c);
	return t->bad || c->errors != before ? NULL : t;
}
