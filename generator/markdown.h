/* markdown.h - a page's Markdown to HTML with cmark-gfm: heading ids and
 * anchors, links resolved against the page's own folder, hook code blocks. */
#ifndef TOIVO_MARKDOWN_H
#define TOIVO_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct value;
struct site;
struct page;
struct hooks;
struct cmark_node;
struct plaintext;
struct _cmark_llist;

struct markdown_job {
	const struct site *site;
	const struct page *page;
	struct hooks *hooks;            /* NULL: code blocks stay code */
	const struct value *hook_page;  /* what hooks see as block.page */
	const struct value *hook_site;  /* block.site */
	bool links_are_errors;          /* toivo check: broken links fail */
	struct plaintext *text;         /* when set, filled with the page's plain
	                                 * text and sections (for search) */
	/* Out: the table of contents ({id, title, level, children}), the ids
	 * of the page and the links it makes ({path, anchor, line}); ids
	 * and links only with links_are_errors (NULL otherwise). */
	struct value *toc;
	struct value *ids;
	struct value *links;
	int errors;
	/* Set by the walk when the page has footnotes or raw HTML, whose
	 * fixed English strings markdown_html puts in the page's language. */
	bool fixed_strings;
	/* When set, called with the finished tree (headings, links and hook
	 * blocks done) instead of rendering it into out: slides.c renders a
	 * deck's tree slide by slide.  Returns 0, or -1 after reporting. */
	int (*render_tree)(struct markdown_job *job, struct cmark_node *doc, int opts,
			   struct _cmark_llist *exts);
	void *tree_ud;
};

/* Must be called once before any thread renders. */
void markdown_init(void);
/* Renders job->page's body into out.  Fills job->toc, ids and links (the
 * caller frees them).  Returns 0, or -1 after reporting errors. */
int markdown_render(struct buf *out, struct markdown_job *job);
/* Renders node as HTML into out, with the strings cmark-gfm writes in
 * English (footnote labels, the note on left-out raw HTML) in the page's
 * language (i18n/LANG.yaml); for render_tree callbacks, which run inside
 * markdown_render (the HTML is made in its cmark arena). */
void markdown_html(struct buf *out, const struct markdown_job *job, struct cmark_node *node, int opts,
		   struct _cmark_llist *exts);
/* Plain Markdown to HTML (for toivo.markdown), rendered like the site's
 * pages in language lang (an index into s->langs); the caller frees it. */
char *markdown_simple(const char *md, size_t len, const struct site *s, int lang);
/* Makes a heading id from text: lower case, ä→a, ö→o, å→a, other
 * non-alphanumerics to single '-'.  Appends to out. */
void markdown_slugify(struct buf *out, const char *text, size_t len);
/* Appends the text of a node's inline content (text and code, breaks as
 * spaces): a heading's title. */
void markdown_plain(struct buf *b, struct cmark_node *node);

#endif
