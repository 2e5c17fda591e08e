/* slides.h - decks: slides.LANG.md in a module folder, rendered as one
 * page of slides through the theme's layouts/slides.mustache at
 * OUT/LANG/MODULE/slides/index.html, and listed in OUT/slides.json:
 * [{lang, kind: "slides", title, html, pdf, module}].  The site model
 * finds the decks (site.c); the source format is in docs/slides.md. */
#ifndef TOIVO_SLIDES_H
#define TOIVO_SLIDES_H

struct cmark_node;
struct _cmark_llist;
struct markdown_job;
struct output;
struct page;
struct render_env;
struct site;
struct value;

/* markdown_job.render_tree for a deck: splits the finished tree into
 * slides on `---` lines, a paragraph starting "Note:" (or
 * "Muistiinpano:") starting the slide's notes, and renders each.  The
 * list of slides ({number, title, id, html, notes, untitled}) goes to
 * *(struct value **)job->tree_ud; the caller frees it.  Returns 0. */
int slides_tree(struct markdown_job *job, struct cmark_node *doc, int opts, struct _cmark_llist *exts);

/* Adds what the slides layout sees as `deck` to a deck's context ctx
 * (render_context's): {title, subtitle, count, slides, pdf}.  Takes
 * slides over. */
void slides_context(struct value *ctx, const struct render_env *env, const struct page *deck,
		    struct value *slides);

/* Where a deck's PDF goes: "fi/pori/slides/pori-slides.pdf" (caller frees). */
char *slides_pdf_path(const struct page *deck);

/* Writes OUT/slides.json (an empty list when the site has no decks). */
void slides_manifest(struct output *out, const struct site *s);

#endif
