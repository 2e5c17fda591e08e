/* markdown.c - a page's Markdown to HTML, walking cmark-gfm's tree with its
 * iterator: headings get ids and anchors, links are resolved against the
 * page's folder, fenced blocks named after a hook are handed to Lua. */
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmark_arena.h"
#include "diag.h"
#include "hmap.h"
#include "hooks.h"
#include "i18n.h"
#include "markdown.h"
#include "plaintext.h"
#include "site.h"
#include "utf8.h"
#include "util.h"
#include "value.h"

static const char *const S_exts[] = {
	"table", "strikethrough", "autolink", "tagfilter", "tasklist",
};

void markdown_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* cmark-gfm keeps the table of inline special characters in a global:
 * each parser adds its extensions' characters ('~' for strikethrough,
 * ':' 'w' '@' for autolinks) when it parses inlines and removes them when
 * it is done, so two threads parsing at once make each other miss
 * strikethrough and autolinks now and then (see github/cmark-gfm#221 and
 * standardese/standardese#199).  The inline pass (cmark_parser_finish)
 * runs under this lock; block parsing, the walk and rendering do not. */
static pthread_mutex_t S_inline_lock = PTHREAD_MUTEX_INITIALIZER;

static cmark_node *S_finish(cmark_parser *p)
{
	pthread_mutex_lock(&S_inline_lock);
	cmark_node *doc = cmark_parser_finish(p);
	pthread_mutex_unlock(&S_inline_lock);
	return doc;
}

static cmark_parser *S_parser(bool unsafe, cmark_mem *mem)
{
	int opts = CMARK_OPT_FOOTNOTES | (unsafe ? CMARK_OPT_UNSAFE : 0);
	cmark_parser *p = mem ? cmark_parser_new_with_mem(opts, mem) : cmark_parser_new(opts);
	for (size_t i = 0; i < sizeof S_exts / sizeof S_exts[0]; i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(S_exts[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	return p;
}

static int S_opts(bool unsafe)
{
	return CMARK_OPT_FOOTNOTES | (unsafe ? CMARK_OPT_UNSAFE : 0);
}

/* ------------------------------------------------------------------ */
/* cmark-gfm's fixed English, in the page's language                  */
/* ------------------------------------------------------------------ */

/* The strings cmark-gfm writes into a page, each with its UI string
 * (i18n/LANG.yaml) and cmark-gfm's own text for a language without it. */
static const struct {
	const char *from, *key, *fallback, *before, *after;
} S_fixed[] = {
	{ "<section class=\"footnotes\" data-footnotes>", "footnotes", "Footnotes",
	  "<section class=\"footnotes\" data-footnotes aria-label=\"", "\">" },
	{ "aria-label=\"Back to content\"", "footnote_back", "Back to content", "aria-label=\"", "\"" },
	{ "<!-- raw HTML omitted -->", "raw_html_omitted", "raw HTML omitted", "<!-- ", " -->" },
};
enum { N_FIXED = sizeof S_fixed / sizeof S_fixed[0] };

/* Appends text fit for an HTML comment: no "--" in it. */
static void S_comment_text(struct buf *out, const char *t)
{
	for (; *t; t++)
		if (!(*t == '-' && t[1] == '-'))
			buf_putc(out, *t == '>' ? ' ' : *t);
}

/* Appends html with cmark-gfm's fixed strings in language lang.  In the
 * text of a page these strings cannot occur as they are: cmark escapes
 * '<' and '"' there, so only cmark itself writes them. */
static void S_localize(struct buf *out, const char *html, const struct site *s, int lang)
{
	const char *next[N_FIXED];
	for (size_t k = 0; k < N_FIXED; k++)
		next[k] = strstr(html, S_fixed[k].from);
	for (;;) {
		size_t first = N_FIXED;
		for (size_t k = 0; k < N_FIXED; k++)
			if (next[k] && (first == N_FIXED || next[k] < next[first]))
				first = k;
		if (first == N_FIXED)
			break;
		buf_add(out, html, (size_t)(next[first] - html));
		const char *t = s && lang >= 0 ? i18n_get(s, lang, S_fixed[first].key) : NULL;
		buf_puts(out, S_fixed[first].before);
		if (first == N_FIXED - 1)
			S_comment_text(out, t ? t : S_fixed[first].fallback);
		else
			buf_puts_html(out, t ? t : S_fixed[first].fallback);
		buf_puts(out, S_fixed[first].after);
		html = next[first] + strlen(S_fixed[first].from);
		next[first] = strstr(html, S_fixed[first].from);
	}
	buf_puts(out, html);
}

void markdown_html(struct buf *out, const struct markdown_job *job, cmark_node *node, int opts,
		   cmark_llist *exts)
{
	/* In the page's arena (markdown_render is always around this): the
	 * renderer's buffer grows in place there instead of being copied at
	 * every realloc, and goes with the page. */
	char *html = cmark_render_html_with_mem(node, opts, exts, &cmark_arena_mem);
	if (job->fixed_strings)
		S_localize(out, html, job->site, job->page->lang);
	else
		buf_puts(out, html);
}

char *markdown_simple(const char *md, size_t len, const struct site *s, int lang)
{
	cmark_parser *p = S_parser(s->unsafe_html, NULL);
	cmark_parser_feed(p, md, len);
	cmark_node *doc = S_finish(p);
	char *html = cmark_render_html(doc, S_opts(s->unsafe_html), cmark_parser_get_syntax_extensions(p));
	struct buf b = BUF_INIT;
	S_localize(&b, html, s, lang);
	free(html);
	cmark_node_free(doc);
	cmark_parser_free(p);
	return buf_detach(&b, NULL);
}

/* ------------------------------------------------------------------ */
/* heading ids                                                        */
/* ------------------------------------------------------------------ */

/* Latin letters with diacritics folded to ASCII: the Finnish ones as the
 * issue fixes them (ä→a, ö→o, å→a), the rest for names and loan words. */
static const struct { const char *from; char to; } S_fold[] = {
	{ "ä", 'a' }, { "Ä", 'a' }, { "ö", 'o' }, { "Ö", 'o' }, { "å", 'a' }, { "Å", 'a' },
	{ "é", 'e' }, { "É", 'e' }, { "è", 'e' }, { "ü", 'u' }, { "Ü", 'u' }, { "á", 'a' },
	{ "à", 'a' }, { "í", 'i' }, { "ó", 'o' }, { "ú", 'u' }, { "š", 's' }, { "Š", 's' },
	{ "ž", 'z' }, { "Ž", 'z' }, { "ñ", 'n' }, { "ç", 'c' }, { "õ", 'o' }, { "ø", 'o' },
};

void markdown_slugify(struct buf *out, const char *text, size_t len)
{
	size_t start = out->len;
	bool dash = false;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)text[i];
		char o = 0;
		size_t adv = 1;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			o = (char)c;
		} else if (c >= 'A' && c <= 'Z') {
			o = (char)(c - 'A' + 'a');
		} else if (c >= 0x80) {
			adv = utf8_len(c);
			for (size_t k = 0; k < sizeof S_fold / sizeof S_fold[0]; k++) {
				size_t fl = strlen(S_fold[k].from);
				if (i + fl <= len && !memcmp(text + i, S_fold[k].from, fl)) {
					o = S_fold[k].to;
					break;
				}
			}
		}
		if (o) {
			if (dash && out->len > start)
				buf_putc(out, '-');
			dash = false;
			buf_putc(out, o);
		} else {
			dash = true;
		}
		i += adv;
	}
	if (out->len == start)
		buf_puts(out, "section");
}

void markdown_plain(struct buf *b, cmark_node *node)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)) {
			const char *lit = cmark_node_get_literal(n);
			if (lit)
				buf_puts(b, lit);
		} else if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)) {
			buf_putc(b, ' ');
		}
	}
	cmark_iter_free(it);
}

/* ------------------------------------------------------------------ */
/* links                                                              */
/* ------------------------------------------------------------------ */

static bool S_has_scheme(const char *u)
{
	if (!((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z')))
		return false;
	for (const char *p = u; *p; p++) {
		if (*p == ':')
			return true;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.'))
			return false;
	}
	return false;
}

static void S_link_problem(struct markdown_job *job, int line, const char *fmt, const char *url)
{
	if (job->links_are_errors) {
		diag_error(job->page->src, line, 0, fmt, url);
		job->errors++;
	} else {
		diag_warn(job->page->src, line, 0, fmt, url);
	}
}

static void S_record_link(struct markdown_job *job, const char *path, const char *anchor, int line)
{
	if (!job->links)
		return;
	struct value *l = value_map();
	value_set_str(l, "path", path);
	value_set_str(l, "anchor", anchor ? anchor : "");
	value_set_num(l, "line", line);
	value_push(job->links, l);
}

/* Rewrites a link or image URL; returns a new URL or NULL to keep it. */
static char *S_resolve(struct markdown_job *job, const char *url, int line)
{
	const struct page *pg = job->page;
	const struct site *s = job->site;
	if (!*url || S_has_scheme(url) || str_starts_with(url, "//"))
		return NULL;
	if (url[0] == '#') {
		S_record_link(job, pg->path, url + 1, line);
		return NULL;
	}
	/* Split off ?query and #fragment: they pass through unchanged. */
	size_t n = strcspn(url, "?#");
	char *path = xstrndup(url, n);
	const char *rest = url + n;
	const char *frag = strchr(rest, '#');
	char *result = NULL;
	if (url[0] == '/') {
		/* Site-absolute: made relative so the site works under any base. */
		char *norm = path_normalize(path + 1);
		if (!norm) {
			S_link_problem(job, line, "link '%s' climbs out of the site; fix the path", url);
		} else {
			const char *base = strrchr(norm, '/');
			bool file = strchr(base ? base : norm, '.') != NULL;
			if (file) {
				result = site_rel_file(pg->path, norm);
				S_record_link(job, norm, NULL, line);
			} else {
				char *dirp = *norm ? xasprintf("%s/", norm) : xstrdup("");
				char *r = site_rel(pg->path, dirp);
				result = xasprintf("%s%s", r, rest);
				S_record_link(job, dirp, frag ? frag + 1 : NULL, line);
				free(r);
				free(dirp);
			}
			if (file) {
				char *r = result;
				result = xasprintf("%s%s", r, rest);
				free(r);
			}
		}
		free(norm);
		free(path);
		return result;
	}
	char *joined = *pg->dir ? xasprintf("%s/%s", pg->dir, path) : xstrdup(path);
	char *norm = path_normalize(joined);
	free(joined);
	if (!norm || !*path) {
		if (!norm)
			S_link_problem(job, line, "link '%s' points outside content/; link to a page or file inside it", url);
		free(path);
		free(norm);
		return NULL;
	}
	if (str_ends_with(norm, ".md")) {
		char *src = xasprintf("content/%s", norm);
		const struct page *t = site_find_src(s, src);
		if (!t) {
			S_link_problem(job, line, "link to '%s': no such page; check the file name", url);
		} else {
			char *r = site_rel(pg->path, t->path);
			result = xasprintf("%s%s", r, rest);
			S_record_link(job, t->path, frag ? frag + 1 : NULL, line);
			free(r);
		}
		free(src);
	} else {
		char *full = xasprintf("%s/content/%s", s->root, norm);
		if (!is_file(full) && !is_dir(full)) {
			S_link_problem(job, line, "link to '%s': no such file in content/; add it or fix the link", url);
		} else {
			/* Files are copied beside the pages of their folder. */
			char *d = path_dir(norm);
			char *dp = site_dir_path(s, d, pg->lang);
			const char *base = strrchr(norm, '/');
			char *target = xasprintf("%s%s", dp, base ? base + 1 : norm);
			char *r = site_rel_file(pg->path, target);
			result = xasprintf("%s%s", r, rest);
			S_record_link(job, target, NULL, line);
			free(r);
			free(target);
			free(dp);
			free(d);
		}
		free(full);
	}
	free(norm);
	free(path);
	return result;
}

/* ------------------------------------------------------------------ */
/* the walk                                                           */
/* ------------------------------------------------------------------ */

struct walk {
	cmark_node **dead;      /* replaced nodes, freed with the tree: their */
	size_t n_dead, cap_dead;/* text chunks are still used by moved children */
	struct { char *id; int level; } *heads; /* in order; a heading's node */
	size_t n_heads, cap_heads;              /* has its index + 1 as user data */
	struct hmap ids;
	struct value *cur_h2;
	int html_line;          /* the last line warned about raw HTML */
};

static void S_dead(struct walk *w, cmark_node *n)
{
	w->dead = xgrow(w->dead, &w->cap_dead, w->n_dead, sizeof *w->dead);
	w->dead[w->n_dead++] = n;
}

static void S_heading(struct markdown_job *job, struct walk *w, cmark_node *h)
{
	int level = cmark_node_get_heading_level(h);
	struct buf text = BUF_INIT, id = BUF_INIT;
	markdown_plain(&text, h);
	markdown_slugify(&id, text.data, text.len);
	/* Unique within the page: a second "Tulokset" becomes tulokset-2.
	 * Each id keeps the next suffix to try, so that many equal headings
	 * take linear time, not quadratic. */
	size_t base = id.len;
	uintptr_t next = (uintptr_t)hmap_get(&w->ids, id.data);
	if (next) {
		char *b = xstrndup(id.data, base);
		do {
			buf_truncate(&id, base);
			buf_printf(&id, "-%ju", (uintmax_t)next);
			next++;
		} while (hmap_get(&w->ids, id.data));
		hmap_put(&w->ids, b, (void *)next);
		free(b);
	}
	hmap_put(&w->ids, id.data, (void *)(uintptr_t)2);
	if (job->ids)
		value_push(job->ids, value_str(id.data));

	struct buf enter = BUF_INIT, leave = BUF_INIT;
	buf_puts(&enter, "<h");
	buf_putc(&enter, (char)('0' + level));
	buf_puts(&enter, " id=\"");
	buf_add_html(&enter, id.data, id.len);
	buf_puts(&enter, "\">");
	buf_puts(&leave, " <a class=\"heading-anchor\" href=\"#");
	buf_add_html(&leave, id.data, id.len);
	buf_puts(&leave, "\" aria-hidden=\"true\" tabindex=\"-1\">#</a>");
	buf_puts(&leave, "</h");
	buf_putc(&leave, (char)('0' + level));
	buf_putc(&leave, '>');

	cmark_node *c = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &cmark_arena_mem);
	cmark_node_set_on_enter(c, enter.data);
	cmark_node_set_on_exit(c, leave.data);
	if (job->text) {
		w->heads = xgrow(w->heads, &w->cap_heads, w->n_heads, sizeof *w->heads);
		w->heads[w->n_heads].id = xstrdup(id.data);
		w->heads[w->n_heads++].level = level;
		cmark_node_set_user_data(c, (void *)(uintptr_t)w->n_heads);
	}
	cmark_node *ch;
	while ((ch = cmark_node_first_child(h))) {
		cmark_node_unlink(ch);
		cmark_node_append_child(c, ch);
	}
	cmark_node_insert_before(h, c);
	cmark_node_unlink(h);
	S_dead(w, h);

	if (level == 2 || level == 3) {
		struct value *e = value_map();
		value_set_str(e, "id", id.data);
		value_set_str(e, "title", text.data);
		value_set_num(e, "level", level);
		value_set(e, "children", value_list());
		if (level == 2 || !w->cur_h2) {
			value_push(job->toc, e);
			if (level == 2)
				w->cur_h2 = e;
		} else {
			value_push(value_get(w->cur_h2, "children"), e);
		}
	}
	buf_free(&enter);
	buf_free(&leave);
	buf_free(&text);
	buf_free(&id);
}

static int S_codeblock(struct markdown_job *job, struct walk *w, cmark_node *n)
{
	const char *info = cmark_node_get_fence_info(n);
	if (!job->hooks || !info || !*info)
		return 0;
	size_t k = strcspn(info, " \t{");
	char *name = xstrndup(info, k);
	int r = 0;
	if (hooks_has_codeblock(job->hooks, name)) {
		struct buf html = BUF_INIT;
		const char *text = cmark_node_get_literal(n);
		int line = cmark_node_get_start_line(n) + job->page->body_line - 1;
		r = hooks_codeblock(job->hooks, &html, name, info, text ? text : "",
				    job->page->src, line, job->hook_page, job->hook_site);
		if (r == 1) {
			/* Hook HTML may hold toivo.markdown's fixed strings. */
			job->fixed_strings = true;
			cmark_node *c = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &cmark_arena_mem);
			cmark_node_set_on_enter(c, html.data);
			cmark_node_set_on_exit(c, "");
			cmark_node_insert_before(n, c);
			cmark_node_unlink(n);
			S_dead(w, n);
		} else if (r < 0) {
			job->errors++;
		}
		buf_free(&html);
	}
	free(name);
	return r;
}

/* An image without alt text is skipped by screen readers as if it said
 * nothing: a warning, unless the author marked it decorative with the alt
 * text "-" (docs/content-conventions.md), which becomes alt="". */
static void S_image(struct markdown_job *job, struct walk *w, cmark_node *n, const char *url, int line)
{
	struct buf alt = BUF_INIT;
	markdown_plain(&alt, n);
	const char *a = alt.data + strspn(alt.data, " \t\r\n");
	size_t len = strlen(a);
	while (len > 0 && strchr(" \t\r\n", a[len - 1]))
		len--;
	if (len == 1 && *a == '-') {
		/* Unlinked, not freed: the walk may still hold a child ("[-](x)"). */
		cmark_node *ch;
		while ((ch = cmark_node_first_child(n))) {
			cmark_node_unlink(ch);
			S_dead(w, ch);
		}
	} else if (!len) {
		diag_warn(job->page->src, line, 0, "image '%s' has no alt text, so screen readers skip it; "
			  "say what it shows, ![what it shows](%s), or write ![-](%s) if it is only decoration",
			  url, url, url);
	}
	buf_free(&alt);
}

/* Raw HTML is left out unless markdown.unsafe is set: say so, once a line.
 * Comments are meant to be left out and pass without a word. */
static void S_raw_html(struct markdown_job *job, struct walk *w, cmark_node *n, int line)
{
	const char *lit = cmark_node_get_literal(n);
	if (!lit || job->site->unsafe_html || line == w->html_line)
		return;
	lit += strspn(lit, " \t\r\n");
	if (!*lit || str_starts_with(lit, "<!--"))
		return;
	w->html_line = line;
	/* The first tag, at most 40 bytes of it, cut between characters. */
	size_t n_shown = strcspn(lit, "\r\n");
	const char *gt = memchr(lit, '>', n_shown);
	if (gt)
		n_shown = (size_t)(gt - lit) + 1;
	if (n_shown > 40) {
		n_shown = 40;
		while (n_shown > 0 && utf8_is_cont((unsigned char)lit[n_shown]))
			n_shown--;
	}
	diag_warn(job->page->src, line, 0, "raw HTML '%.*s' is left out of the page, as markdown.unsafe is off; "
		  "write it in Markdown, or set 'markdown: {unsafe: true}' in site.yaml if every author of the site is trusted",
		  (int)n_shown, lit);
}

/* ------------------------------------------------------------------ */
/* the page's plain text                                              */
/* ------------------------------------------------------------------ */

/* Whether block n holds inline raw HTML: its text may be hidden by it
 * (<span aria-hidden="true">, <svg>), which the nodes alone cannot say. */
static bool S_raw_inline(cmark_node *n)
{
	cmark_node *c = cmark_node_first_child(n);
	if (!c || (cmark_node_get_type(c) & CMARK_NODE_TYPE_MASK) != CMARK_NODE_TYPE_INLINE)
		return false;
	bool raw = false;
	cmark_iter *it = cmark_iter_new(n);
	while (!raw && cmark_iter_next(it) != CMARK_EVENT_DONE)
		raw = cmark_node_get_type(cmark_iter_get_node(it)) == CMARK_NODE_HTML_INLINE;
	cmark_iter_free(it);
	return raw;
}

/* Fills job->text from the finished tree: the text of its text and code,
 * a break between blocks, h2/h3 headings as sections; images (their alt
 * text is an attribute in the page), footnote reference numbers and
 * left-out raw HTML give no words.  What hooks wrote, and raw HTML when
 * it is kept, is HTML: plaintext_html reads it, and a block with raw HTML
 * inside it is read as the HTML it renders to. */
static void S_text(struct markdown_job *job, const struct walk *w, cmark_node *doc, cmark_llist *exts)
{
	struct plaintext *x = job->text;
	bool raw = job->site->unsafe_html;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		bool enter = ev == CMARK_EVENT_ENTER;
		if (raw && enter && (t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK && S_raw_inline(n)) {
			char *html = cmark_render_html_with_mem(n, S_opts(true), exts, cmark_get_default_mem_allocator());
			plaintext_break(x);
			plaintext_html(x, html);
			plaintext_break(x);
			free(html);
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			continue;
		}
		switch (t) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK: {
			const char *lit = cmark_node_get_literal(n);
			if (t == CMARK_NODE_CODE_BLOCK)
				plaintext_break(x);
			if (lit)
				plaintext_add(x, lit);
			break;
		}
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			plaintext_break(x);
			break;
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			if (raw && cmark_node_get_literal(n))
				plaintext_html(x, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_IMAGE:
			plaintext_break(x);
			if (enter)
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			break;
		case CMARK_NODE_CUSTOM_BLOCK: {
			size_t k = (uintptr_t)cmark_node_get_user_data(n);
			if (!k) {               /* a hook's HTML */
				plaintext_break(x);
				if (enter && cmark_node_get_on_enter(n))
					plaintext_html(x, cmark_node_get_on_enter(n));
			} else if (w->heads[k - 1].level != 2 && w->heads[k - 1].level != 3) {
				plaintext_break(x);
			} else if (enter) {
				plaintext_heading_begin(x, w->heads[k - 1].id);
			} else {
				plaintext_heading_end(x);
			}
			break;
		}
		default:
			if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK)
				plaintext_break(x);
			break;
		}
	}
	cmark_iter_free(it);
}

int markdown_render(struct buf *out, struct markdown_job *job)
{
	const struct page *pg = job->page;
	job->toc = value_list();
	/* The ids and links are kept for toivo check only: a plain build does
	 * not hold them for every page. */
	job->ids = job->links_are_errors ? value_list() : NULL;
	job->links = job->links_are_errors ? value_list() : NULL;
	job->errors = 0;
	job->fixed_strings = false;
	cmark_arena_enter();
	cmark_parser *p = S_parser(job->site->unsafe_html, &cmark_arena_mem);
	cmark_parser_feed(p, pg->body, pg->body_len);
	cmark_node *doc = S_finish(p);

	/* Collect first, change after: the iterator must not see a tree that
	 * changes under it. */
	cmark_node **todo = NULL;
	size_t n_todo = 0, cap_todo = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_FOOTNOTE_DEFINITION)
			job->fixed_strings = true;
		if (t == CMARK_NODE_HEADING || t == CMARK_NODE_CODE_BLOCK ||
		    t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE ||
		    t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) {
			todo = xgrow(todo, &cap_todo, n_todo, sizeof *todo);
			todo[n_todo++] = n;
		}
	}
	cmark_iter_free(it);

	struct walk w = { 0 };
	for (size_t i = 0; i < n_todo; i++) {
		cmark_node *n = todo[i];
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HEADING:
			S_heading(job, &w, n);
			break;
		case CMARK_NODE_CODE_BLOCK:
			S_codeblock(job, &w, n);
			break;
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			job->fixed_strings = true;
			S_raw_html(job, &w, n, cmark_node_get_start_line(n) + pg->body_line - 1);
			break;
		default: {
			const char *url = cmark_node_get_url(n);
			int line = cmark_node_get_start_line(n) + pg->body_line - 1;
			if (cmark_node_get_type(n) == CMARK_NODE_IMAGE)
				S_image(job, &w, n, url ? url : "", line);
			char *nu = url ? S_resolve(job, url, line) : NULL;
			if (nu) {
				cmark_node_set_url(n, nu);
				free(nu);
			}
			break;
		}
		}
	}
	free(todo);

	if (job->text)
		S_text(job, &w, doc, cmark_parser_get_syntax_extensions(p));
	if (job->render_tree) {
		if (job->render_tree(job, doc, S_opts(job->site->unsafe_html),
				     cmark_parser_get_syntax_extensions(p)) < 0)
			job->errors++;
	} else {
		markdown_html(out, job, doc, S_opts(job->site->unsafe_html), cmark_parser_get_syntax_extensions(p));
	}
	cmark_node_free(doc);
	for (size_t i = 0; i < w.n_dead; i++)
		cmark_node_free(w.dead[i]);
	free(w.dead);
	for (size_t i = 0; i < w.n_heads; i++)
		free(w.heads[i].id);
	free(w.heads);
	hmap_free(&w.ids);
	cmark_parser_free(p);
	cmark_arena_leave();
	return job->errors ? -1 : 0;
}
