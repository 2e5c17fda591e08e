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
#include "util.h"
#include "value.h"

#define MAX_DEPTH 100       /* partials, parents and blocks within each other */
#define MAX_NESTING 1000    /* sections within each other in one template */

enum ntype { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL, N_BLOCK, N_PARENT };

struct node {
	enum ntype type;
	/* Partial, parent: the tag (pair) stood alone on its line.  Block: its
	 * content starts on a line of its own (the opening tag ended a line). */
	bool standalone;
	int line, col;
	const char *text;       /* N_TEXT: a slice of the source */
	size_t len;
	const char *ind;        /* indentation (a slice of the source) */
	size_t ind_len;
	char *name;             /* the tag's name as written, trimmed */
	char **parts;           /* the name split at dots; none for "." */
	size_t nparts;
	struct node *kids;      /* section, inverted, block, parent */
	size_t nkids;
	const struct tpl *target;       /* partial, parent: resolved when loaded */
};

struct tpl {
	char *path;             /* the file, or the name given to tpl_cache_add */
	char *dirpre;           /* path up to its file name; NULL when added by name */
	char *ext;              /* ".mustache" */
	char *src;
	size_t len;
	struct node *nodes;
	size_t n;
	bool bad;               /* failed to parse; errors were reported */
	struct tpl *next;       /* every template of the cache, for freeing */
};

struct tpl_cache {
	tpl_read_fn read;
	void *ud;
	bool strict;
	char **dirs;
	size_t ndirs, capdirs;
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
		if (((unsigned char)p->s[p->lc_cpos] & 0xC0) != 0x80)
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

static bool S_ws(char c)
{
	return c == ' ' || c == '\t';
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
		while (i < k->len && S_ws(k->text[i]))
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
	while (i < len && S_ws(a[i]))
		i++;
	s1 = i;
	while (i < len && !S_ws(a[i]) && a[i] != '=')
		i++;
	e1 = i;
	while (i < len && S_ws(a[i]))
		i++;
	s2 = i;
	while (i < len && !S_ws(a[i]) && a[i] != '=')
		i++;
	e2 = i;
	while (i < len && S_ws(a[i]))
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
	const char *s = p.s;
	size_t len = p.len, pos = 0, text_start = 0;

	for (;;) {
		const char *o = S_find(s + pos, len - pos, p.otag, p.olen);
		if (!o) {
			S_text(&p, text_start, len);
			break;
		}
		size_t t0 = (size_t)(o - s);
		size_t q = t0 + p.olen;
		char sig = q < len ? s[q] : 0;
		const char *endmark = p.ctag;
		size_t endlen = p.clen;
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
		if (!found && pre && S_find(s + q, len - q, p.ctag, p.clen)) {
			char *ct = xstrndup(p.ctag, p.clen);
			if (pre == '=')
				S_error_at(&p, t0, "bad set-delimiter tag: it must end with '=%s', as in {{=<%% %%>=}}", ct);
			else
				S_error_at(&p, t0, "tag opened with '%.*s{' must end with '}%s'", (int)p.olen, p.otag, ct);
			free(ct);
			S_text(&p, text_start, t0);
			break;
		}
		if (!found) {
			char *ot = xstrndup(p.otag, p.olen), *ct = xstrndup(p.ctag, p.clen);
			S_error_at(&p, t0, "tag opened with '%s' is never closed with '%s'", ot, ct);
			free(ot);
			free(ct);
			S_text(&p, text_start, t0);
			break;
		}
		size_t tag_end = cend + (pre ? 1 : 0) + p.clen;
		const char *content = s + q;
		size_t clen_ = cend - q;

		/* left and right clearance for the standalone rules */
		size_t ls = t0;
		while (ls > 0 && S_ws(s[ls - 1]))
			ls--;
		bool left = ls == 0 || s[ls - 1] == '\n';
		size_t re = tag_end;
		while (re < len && S_ws(s[re]))
			re++;
		bool right = true;
		if (re == len)
			;
		else if (s[re] == '\n')
			re++;
		else if (s[re] == '\r' && re + 1 < len && s[re + 1] == '\n')
			re += 2;
		else
			right = false;
		bool alone = left && right && sig != 0 && sig != '&' && sig != '{';
		struct frame *top = &p.st[p.depth - 1];
		bool in_parent = p.depth > 1 && top->open.type == N_PARENT;

		/* the name */
		size_t a = 0, b = clen_;
		while (a < b && (S_ws(content[a]) || content[a] == '\n' || content[a] == '\r'))
			a++;
		while (b > a && (S_ws(content[b - 1]) || content[b - 1] == '\n' || content[b - 1] == '\r'))
			b--;
		char *name = sig == '!' || sig == '=' ? NULL : xstrndup(content + a, b - a);
		if (name && !*name) {
			S_error_at(&p, t0, "empty tag: a name is missing");
			free(name);
			name = NULL;
			S_text(&p, text_start, t0);
			pos = text_start = tag_end;
			continue;
		}
		int line, col;
		S_linecol(&p, t0, &line, &col);

		if (sig == '!' || sig == '=') {
			if (sig == '=' && S_set_delims(&p, t0, content, clen_) < 0) {
				S_text(&p, text_start, t0);
				break;
			}
			S_text(&p, text_start, alone ? ls : t0);
			pos = alone ? re : tag_end;
		} else if (sig == 0 || sig == '&' || sig == '{') {
			S_text(&p, text_start, t0);
			if (!in_parent) {
				struct node *n = S_push(&top->kids);
				n->type = sig ? N_RAW : N_VAR;
				n->line = line;
				n->col = col;
				n->name = name;
				name = NULL;
				S_split_name(n);
			}
			pos = tag_end;
		} else if (sig == '#' || sig == '^' || sig == '$' || sig == '<') {
			if (p.depth >= MAX_NESTING) {
				S_error_at(&p, t0, "sections nested more than %d deep", MAX_NESTING);
				too_deep = true;
				free(name);
				break;
			}
			struct frame f = { 0 };
			f.open.type = sig == '#' ? N_SECTION : sig == '^' ? N_INVERTED :
				sig == '$' ? N_BLOCK : N_PARENT;
			f.open.line = line;
			f.open.col = col;
			f.open.name = name;
			name = NULL;
			f.text_idx = SIZE_MAX;
			f.left_clear = left;
			f.ws = s + ls;
			f.ws_len = t0 - ls;
			if (f.open.type == N_SECTION || f.open.type == N_INVERTED)
				S_split_name(&f.open);
			if (f.open.type == N_PARENT) {
				f.text_idx = S_text(&p, text_start, t0);
				pos = tag_end;
			} else if (f.open.type == N_BLOCK && in_parent) {
				f.open.standalone = right;
				pos = right ? re : tag_end;
			} else if (alone) {
				S_text(&p, text_start, ls);
				f.open.standalone = true;
				f.open.ind = s + ls;
				f.open.ind_len = t0 - ls;
				pos = re;
			} else {
				S_text(&p, text_start, t0);
				pos = tag_end;
			}
			if (p.depth == p.cap) {
				p.cap *= 2;
				p.st = xrealloc(p.st, p.cap * sizeof *p.st);
			}
			p.st[p.depth++] = f;
		} else if (sig == '>') {
			S_text(&p, text_start, alone ? ls : t0);
			if (!in_parent) {
				struct node *n = S_push(&top->kids);
				n->type = N_PARTIAL;
				n->line = line;
				n->col = col;
				n->name = name;
				name = NULL;
				n->standalone = alone;
				n->ind = s + ls;
				n->ind_len = alone ? t0 - ls : 0;
			}
			pos = alone ? re : tag_end;
		} else { /* '/' */
			size_t m = p.depth;
			while (m > 1 && strcmp(p.st[m - 1].open.name, name))
				m--;
			if (p.depth == 1) {
				S_error_at(&p, t0, "closing tag '%s' has no open section", name);
				S_text(&p, text_start, t0);
				pos = tag_end;
			} else if (m != p.depth) {
				S_error_at(&p, t0, "closing tag '%s' does not match open section '%s' (opened at line %d)",
					   name, top->open.name, top->open.line);
				S_text(&p, text_start, t0);
				pos = tag_end;
				if (m > 1) {
					/* close up to the matching one, already reported */
					while (p.depth >= m)
						S_pop(&p);
				}
			} else if (top->open.type == N_PARENT) {
				struct node *n = &top->open;
				if (top->left_clear && right) {
					n->standalone = true;
					n->ind = top->ws;
					n->ind_len = top->ws_len;
					struct frame *out = &p.st[p.depth - 2];
					if (top->text_idx != SIZE_MAX)
						out->kids.v[top->text_idx].len -= top->ws_len;
					pos = re;
				} else {
					pos = tag_end;
				}
				S_pop(&p);
			} else if (top->open.type == N_BLOCK && p.depth > 2 &&
				   p.st[p.depth - 2].open.type == N_PARENT) {
				/* an argument: the white space before its closing tag
				 * goes, the line end after it stays */
				S_text(&p, text_start, left ? ls : t0);
				pos = tag_end;
				top->open.kids = top->kids.v;
				top->open.nkids = top->kids.n;
				if (top->open.standalone)
					S_block_indent(&top->open, s + t0, 0);
				S_pop(&p);
			} else {
				S_text(&p, text_start, alone ? ls : t0);
				pos = alone ? re : tag_end;
				struct node *n = &top->open;
				if (n->type == N_BLOCK) {
					n->kids = top->kids.v;
					n->nkids = top->kids.n;
					if (n->standalone)
						S_block_indent(n, n->ind, n->ind_len);
					else if (top->left_clear && right) {
						n->ind = top->ws;
						n->ind_len = top->ws_len;
					}
				}
				S_pop(&p);
			}
		}
		free(name);
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
	for (size_t i = 0; i < c->ndirs; i++)
		free(c->dirs[i]);
	free(c->dirs);
	free(c->pending);
	hmap_free(&c->by_path);
	hmap_free(&c->by_name);
	free(c);
}

void tpl_cache_add_dir(struct tpl_cache *c, const char *dir)
{
	c->dirs = xgrow(c->dirs, &c->capdirs, c->ndirs, sizeof *c->dirs);
	c->dirs[c->ndirs++] = xstrdup(dir);
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
	if (text_check(text, len, path) < 0) {
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
	if (from->dirpre) {
		char *p = xasprintf("%s%s%s", from->dirpre, name, from->ext);
		t = S_get(c, p);
		free(p);
	}
	for (size_t i = 0; !t && i < c->ndirs; i++) {
		char *p = xasprintf("%s/%s%s", c->dirs[i], name, from->ext);
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
				if (t->dirpre)
					buf_printf(&where, "%s%s%s", t->dirpre, x->name, t->ext);
				for (size_t k = 0; k < c->ndirs; k++)
					buf_printf(&where, "%s%s/%s%s", where.len ? ", " : "",
						   c->dirs[k], x->name, t->ext);
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
		diag_error(path, 0, 0, "cannot read the template: no such file");
		c->errors++;
		return NULL;
	}
	S_drain(c);
	return t->bad || c->errors != before ? NULL : t;
}

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
			for (size_t k = 0; k < e->strip && i < len && S_ws(s[i]); k++)
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
	for (size_t k = 0; k < e->strip && len && S_ws(*ind); k++) {
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
				   "partials nested more than %d deep; a partial probably includes itself without end",
				   MAX_DEPTH);
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
