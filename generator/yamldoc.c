/* yamldoc.c - YAML and JSON into value trees, on libyaml's event parser. */
#include <errno.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "diag.h"
#include "util.h"
#include "value.h"
#include "vfs.h"
#include "yamldoc.h"

/* Anchors seen so far, for aliases; and a bound on the nodes that alias
 * expansion may create, so a "billion laughs" document cannot exhaust
 * memory. */
struct anchor {
	char *name;
	struct value *v;
	bool owned;     /* v is the anchor's own copy (an anchored key: the key itself is freed) */
};

struct loader {
	yaml_parser_t parser;
	const char *path;
	int line_offset;
	struct anchor *anchors;
	size_t n_anchors, cap_anchors;
	size_t nodes;
	int depth;
};

#define MAX_NODES 5000000
#define MAX_DEPTH 1000

static bool S_is_number(const char *s, double *out)
{
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	bool digits = false;
	while (*p >= '0' && *p <= '9') {
		p++;
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits = true;
		}
	}
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return false;
	*out = strtod(s, NULL);
	return true;
}

static struct value *S_scalar(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.tag) {
		double n;
		if (len == 0 || !strcmp(s, "~") || !strcmp(s, "null") ||
		    !strcmp(s, "Null") || !strcmp(s, "NULL"))
			return value_null();
		if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
			return value_bool(true);
		if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
			return value_bool(false);
		if (strlen(s) == len && S_is_number(s, &n))
			return value_num(n);
	}
	return value_strn(s, len);
}

static void S_error(struct loader *l, const char *what)
{
	const yaml_parser_t *p = &l->parser;
	int line = (int)p->problem_mark.line + 1 + l->line_offset;
	int col = (int)p->problem_mark.column + 1;
	if (p->context)
		diag_error(l->path, line, col, "%s: %s %s; fix the YAML syntax there",
			   what, p->problem ? p->problem : "syntax error", p->context);
	else
		diag_error(l->path, line, col, "%s: %s; fix the YAML syntax there", what,
			   p->problem ? p->problem : "syntax error");
}

static void S_anchor(struct loader *l, const yaml_char_t *name, struct value *v)
{
	if (!name)
		return;
	l->anchors = xgrow(l->anchors, &l->cap_anchors, l->n_anchors, sizeof *l->anchors);
	l->anchors[l->n_anchors].name = xstrdup((const char *)name);
	l->anchors[l->n_anchors].v = v;
	l->anchors[l->n_anchors].owned = false;
	l->n_anchors++;
}

static size_t S_count(const struct value *v)
{
	size_t n = 1;
	if (v->kind == V_LIST)
		for (size_t i = 0; i < v->u.list.n; i++)
			n += S_count(v->u.list.items[i]);
	else if (v->kind == V_MAP)
		for (size_t i = 0; i < v->u.map.n; i++)
			n += S_count(v->u.map.vals[i]);
	return n;
}

/* Parses one node whose first event is ev (already taken); returns the
 * value, or NULL after reporting an error. */
static struct value *S_node(struct loader *l, yaml_event_t *ev)
{
	struct value *v = NULL;
	int line = (int)ev->start_mark.line + 1 + l->line_offset;
	int col = (int)ev->start_mark.column + 1;
	if (++l->nodes > MAX_NODES) {
		diag_error(l->path, line, col, "document too large (over %d nodes); split it", MAX_NODES);
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		v = S_scalar(ev);
		S_anchor(l, ev->data.scalar.anchor, v);
		break;
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		for (size_t i = l->n_anchors; i-- > 0;) {
			if (strcmp(l->anchors[i].name, name) == 0) {
				size_t n = S_count(l->anchors[i].v);
				if ((l->nodes += n) > MAX_NODES) {
					diag_error(l->path, line, col, "alias '%s' expands too far; remove the nesting of aliases", name);
					return NULL;
				}
				v = value_copy(l->anchors[i].v);
				break;
			}
		}
		if (!v)
			diag_error(l->path, line, col, "unknown alias '%s'; define the anchor '&%s' before using it", name, name);
		break;
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		bool is_map = ev->type == YAML_MAPPING_START_EVENT;
		yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
		char *aname = anchor ? xstrdup((const char *)anchor) : NULL;
		if (++l->depth > MAX_DEPTH) {
			diag_error(l->path, line, col, "nesting deeper than %d levels; flatten the data", MAX_DEPTH);
			free(aname);
			return NULL;
		}
		v = is_map ? value_map() : value_list();
		for (;;) {
			yaml_event_t e;
			if (!yaml_parser_parse(&l->parser, &e)) {
				S_error(l, "invalid YAML");
				value_free(v);
				free(aname);
				return NULL;
			}
			if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&e);
				break;
			}
			if (!is_map) {
				struct value *item = S_node(l, &e);
				yaml_event_delete(&e);
				if (!item) {
					value_free(v);
					free(aname);
					return NULL;
				}
				value_push(v, item);
				continue;
			}
			/* A key: scalars only; anything else is reported. */
			int kl = (int)e.start_mark.line + 1 + l->line_offset;
			int kc = (int)e.start_mark.column + 1;
			struct value *key = S_node(l, &e);
			yaml_event_delete(&e);
			if (!key) {
				value_free(v);
				free(aname);
				return NULL;
			}
			/* An anchored key ("&x a: 1") is freed below, once it is
			 * text: the anchor keeps a copy for the aliases to it. */
			if (l->n_anchors && l->anchors[l->n_anchors - 1].v == key) {
				l->anchors[l->n_anchors - 1].v = value_copy(key);
				l->anchors[l->n_anchors - 1].owned = true;
			}
			yaml_event_t e2;
			if (!yaml_parser_parse(&l->parser, &e2)) {
				S_error(l, "invalid YAML");
				value_free(key);
				value_free(v);
				free(aname);
				return NULL;
			}
			struct value *val = S_node(l, &e2);
			yaml_event_delete(&e2);
			if (!val) {
				value_free(key);
				value_free(v);
				free(aname);
				return NULL;
			}
			if (key->kind == V_LIST || key->kind == V_MAP) {
				diag_error(l->path, kl, kc, "a mapping key must be a plain value; quote it");
				value_free(key);
				value_free(val);
				value_free(v);
				free(aname);
				return NULL;
			}
			struct buf kb = BUF_INIT;
			value_to_text(&kb, key);
			if (key->kind == V_NULL)
				buf_puts(&kb, "null");
			if (value_get(v, kb.data)) {
				diag_error(l->path, kl, kc, "duplicate key '%s'; remove one of them", kb.data);
				buf_free(&kb);
				value_free(key);
				value_free(val);
				value_free(v);
				free(aname);
				return NULL;
			}
			value_set(v, kb.data, val);
			buf_free(&kb);
			value_free(key);
		}
		l->depth--;
		if (aname) {
			S_anchor(l, (const yaml_char_t *)aname, v);
			free(aname);
		}
		break;
	}
	default:
		diag_error(l->path, line, col, "unexpected YAML event; check the document's structure");
		return NULL;
	}
	if (v) {
		v->line = line;
		v->col = col;
	}
	return v;
}

int yamldoc_parse(struct value **out, const char *text, size_t len,
		  const char *path, int line_offset)
{
	struct loader l = { .path = path, .line_offset = line_offset };
	struct value *doc = NULL;
	int rc = -1;
	*out = NULL;
	yaml_parser_initialize(&l.parser);
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&l.parser, &ev)) {
			S_error(&l, "invalid YAML");
			goto out;
		}
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT || t == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_START_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		doc = S_node(&l, &ev);
		yaml_event_delete(&ev);
		if (!doc)
			goto out;
	}
	*out = doc ? doc : value_null();
	doc = NULL;
	rc = 0;
out:
	value_free(doc);
	for (size_t i = 0; i < l.n_anchors; i++) {
		free(l.anchors[i].name);
		if (l.anchors[i].owned)
			value_free(l.anchors[i].v);
	}
	free(l.anchors);
	yaml_parser_delete(&l.parser);
	return rc;
}

int yamldoc_load(struct value **out, const char *path)
{
	char *text;
	size_t len;
	*out = NULL;
	if (vfs_read(&text, &len, path) < 0) {
		diag_error(path, 0, 0, "cannot read: %s", file_strerror(errno));
		return -1;
	}
	int r = yamldoc_parse(out, text, len, path, 0);
	free(text);
	return r;
}
