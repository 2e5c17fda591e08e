/* slides.c - a deck's Markdown as slides.
 *
 * The deck is parsed and walked as one page (markdown.c: heading ids,
 * links checked and resolved, hook blocks), so ids are unique across the
 * deck and `toivo check` sees its links as it sees a page's.  Only then
 * is the finished tree cut into slides: at the top level, a thematic
 * break whose source line is exactly `---` ends a slide (a `---` inside
 * a fenced block is code, not a break, so it never splits), and a
 * paragraph that starts with "Note:" starts the slide's speaker notes.
 * Each top-level node is rendered on its own into its slide's body or
 * notes.
 */
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "i18n.h"
#include "markdown.h"
#include "output.h"
#include "render.h"
#include "site.h"
#include "slides.h"
#include "util.h"
#include "value.h"

/* What starts the notes: English, and Finnish for Finnish writers. */
static const char *const S_note_words[] = { "Note:", "Muistiinpano:" };

/* Whether line `line` (1-based) of the body is exactly `---`, trailing
 * blanks aside: only that separates slides ("***" stays a rule). */
static bool S_is_separator(const char *body, int line)
{
	const char *p = body;
	for (int l = 1; l < line && p; l++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p || strncmp(p, "---", 3))
		return false;
	for (p += 3; *p && *p != '\n'; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return false;
	return true;
}

/* Warns about each `---` line outside fenced blocks that did not
 * separate slides: with text right above it Markdown reads it as the
 * underline of a heading.  seps[0..n) are the lines that did. */
static void S_check_separators(const struct markdown_job *job, const int *seps, size_t n)
{
	const char *p = job->page->body;
	char fence = 0;
	size_t fence_len = 0;
	bool prev_blank = true;
	for (int line = 1; p && *p; line++) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		size_t ind = strspn(p, " ");
		if (ind < 4 && (p[ind] == '`' || p[ind] == '~')) {
			size_t k = strspn(p + ind, p[ind] == '`' ? "`" : "~");
			if (k >= 3 && !fence) {
				fence = p[ind];
				fence_len = k;
			} else if (k >= fence_len && fence == p[ind] && ind + k == len) {
				fence = 0;
			}
		} else if (!fence && len == 3 && !strncmp(p, "---", 3) && !prev_blank) {
			bool used = false;
			for (size_t i = 0; i < n && !used; i++)
				used = seps[i] == line;
			if (!used)
				diag_warn(job->page->src, line + job->page->body_line - 1, 1,
					  "this '---' does not start a new slide: the line above makes it a heading's underline; put a blank line before it");
		}
		prev_blank = len == 0;
		p = eol ? eol + 1 : NULL;
	}
}

/* When a paragraph starts with one of S_note_words, removes the word (and
 * the line break after it) and returns true.  The word may span several
 * text nodes: the autolink extension splits text at ':'. */
static bool S_strip_note(cmark_node *para)
{
	struct buf b = BUF_INIT;
	cmark_node *c = cmark_node_first_child(para);
	for (; c && cmark_node_get_type(c) == CMARK_NODE_TEXT && b.len < 32; c = cmark_node_next(c)) {
		const char *lit = cmark_node_get_literal(c);
		buf_puts(&b, lit ? lit : "");
	}
	size_t n = 0;
	for (size_t i = 0; i < sizeof S_note_words / sizeof S_note_words[0] && !n; i++)
		if (b.len && str_starts_with(b.data, S_note_words[i]))
			n = strlen(S_note_words[i]);
	buf_free(&b);
	if (!n)
		return false;
	while (n) {
		cmark_node *t = cmark_node_first_child(para);
		const char *lit = cmark_node_get_literal(t);
		size_t l = lit ? strlen(lit) : 0;
		if (l <= n) {
			n -= l;
			cmark_node_free(t);
		} else {
			char *rest = xstrdup(lit + n);
			cmark_node_set_literal(t, rest);
			free(rest);
			n = 0;
		}
	}
	/* "Note: text" keeps "text"; "Note:" alone on its line goes whole. */
	cmark_node *t = cmark_node_first_child(para);
	if (t && cmark_node_get_type(t) == CMARK_NODE_TEXT) {
		const char *lit = cmark_node_get_literal(t);
		size_t sp = lit ? strspn(lit, " \t") : 0;
		if (lit && !lit[sp]) {
			cmark_node_free(t);
		} else if (sp) {
			char *rest = xstrdup(lit + sp);
			cmark_node_set_literal(t, rest);
			free(rest);
		}
	}
	t = cmark_node_first_child(para);
	if (t && (cmark_node_get_type(t) == CMARK_NODE_SOFTBREAK || cmark_node_get_type(t) == CMARK_NODE_LINEBREAK))
		cmark_node_free(t);
	return true;
}

/* A heading as markdown.c leaves it: a custom block opening with
 * `<hN id="ID">`.  Appends ID to id and returns true. */
static bool S_heading_id(cmark_node *n, struct buf *id)
{
	if (cmark_node_get_type(n) != CMARK_NODE_CUSTOM_BLOCK)
		return false;
	const char *e = cmark_node_get_on_enter(n);
	if (!e || e[0] != '<' || e[1] != 'h' || e[2] < '1' || e[2] > '6' || strncmp(e + 3, " id=\"", 5))
		return false;
	const char *s = e + 8, *q = strchr(s, '"');
	if (!q)
		return false;
	buf_add(id, s, (size_t)(q - s));
	return true;
}

/* The slide being gathered. */
struct slide {
	struct buf body, notes, title, id;
	bool in_notes, titled;
	int line;               /* of its first node in the source */
};

static void S_slide_reset(struct slide *sl)
{
	buf_reset(&sl->body);
	buf_reset(&sl->notes);
	buf_reset(&sl->title);
	buf_reset(&sl->id);
	sl->in_notes = sl->titled = false;
	sl->line = 0;
}

/* Adds the gathered slide to list (an empty one is dropped: a `---`
 * at the very start or end). */
static void S_slide_end(struct slide *sl, struct markdown_job *job, struct value *list)
{
	if (!sl->body.len && !sl->notes.len)
		return;
	/* The title slide is number 1. */
	int number = (int)list->u.list.n + 2;
	struct value *v = value_map();
	value_set_num(v, "number", number);
	if (!sl->titled) {
		diag_warn(job->page->src, sl->line, 0, "slide %d has no heading; start it with a line '## Title'", number);
		const char *w = i18n_get(job->site, job->page->lang, "slides_slide");
		buf_printf(&sl->title, "%s %d", w ? w : "#", number);
	}
	value_set_str(v, "title", sl->title.data);
	value_set_bool(v, "untitled", !sl->titled);
	if (sl->id.len)
		value_set_str(v, "id", sl->id.data);
	value_set_str(v, "html", sl->body.data);
	if (sl->notes.len)
		value_set_str(v, "notes", sl->notes.data);
	value_push(list, v);
}

int slides_tree(struct markdown_job *job, cmark_node *doc, int opts, cmark_llist *exts)
{
	struct value *list = value_list();
	struct slide sl = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, false, false, 0 };
	const struct page *pg = job->page;
	int *seps = NULL;
	size_t n_seps = 0, cap_seps = 0;
	cmark_node *next;
	for (cmark_node *n = cmark_node_first_child(doc); n; n = next) {
		next = cmark_node_next(n);
		int line = cmark_node_get_start_line(n);
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_THEMATIC_BREAK && S_is_separator(pg->body, line)) {
			seps = xgrow(seps, &cap_seps, n_seps, sizeof *seps);
			seps[n_seps++] = line;
			S_slide_end(&sl, job, list);
			S_slide_reset(&sl);
			continue;
		}
		if (!sl.line)
			sl.line = line + pg->body_line - 1;
		if (!sl.in_notes && t == CMARK_NODE_PARAGRAPH && S_strip_note(n)) {
			sl.in_notes = true;
			if (!cmark_node_first_child(n))
				continue;
		}
		if (!sl.in_notes && !sl.titled && S_heading_id(n, &sl.id)) {
			markdown_plain(&sl.title, n);
			sl.titled = true;
		}
		markdown_html(sl.in_notes ? &sl.notes : &sl.body, job, n, opts, exts);
	}
	S_slide_end(&sl, job, list);
	S_check_separators(job, seps, n_seps);
	free(seps);
	buf_free(&sl.body);
	buf_free(&sl.notes);
	buf_free(&sl.title);
	buf_free(&sl.id);
	*(struct value **)job->tree_ud = list;
	return 0;
}

char *slides_pdf_path(const struct page *deck)
{
	char *name = path_last(deck->parent ? deck->parent->path : "deck");
	char *r = xasprintf("%s%s-slides.pdf", deck->path, name);
	free(name);
	return r;
}

void slides_context(struct value *ctx, const struct render_env *env, const struct page *deck,
		    struct value *slides)
{
	struct value *d = value_map();
	value_set_str(d, "title", deck->title);
	const char *sub = value_string(value_get(deck->fm, "subtitle"));
	if (sub)
		value_set_str(d, "subtitle", sub);
	value_set_str(d, "course", env->site->langs[deck->lang].title);
	value_set_num(d, "count", (double)(slides ? slides->u.list.n : 0) + 1);
	value_set(d, "slides", slides ? slides : value_list());
	if (env->pdf) {
		char *pdf = slides_pdf_path(deck);
		char *u = site_rel_file(deck->path, pdf);
		value_set(d, "pdf", value_str_own(u, strlen(u)));
		free(pdf);
	}
	value_set(ctx, "deck", d);
}

void slides_manifest(struct output *out, const struct site *s)
{
	struct value *list = value_list();
	for (size_t i = 0; i < s->n_decks; i++) {
		const struct page *d = s->decks[i];
		if (!d->path)
			continue;
		struct value *m = value_map();
		value_set_str(m, "lang", s->langs[d->lang].code);
		value_set_str(m, "kind", "slides");
		value_set_str(m, "title", d->title);
		char *html = xasprintf("%sindex.html", d->path);
		value_set(m, "html", value_str_own(html, strlen(html)));
		char *pdf = slides_pdf_path(d);
		value_set(m, "pdf", value_str_own(pdf, strlen(pdf)));
		value_set_str(m, "module", d->dir);
		value_push(list, m);
	}
	struct buf js = BUF_INIT;
	value_to_json(&js, list);
	buf_putc(&js, '\n');
	output_write(out, "slides.json", js.data, js.len, s->config_path);
	buf_free(&js);
	value_free(list);
}
