/* site.h - the site model: configuration, pages and how they relate.
 *
 * site_load() reads site.yaml and scans content/ (front matter only, the
 * Markdown bodies are kept for the render phase); site_link() then builds
 * everything that relates pages (URLs, modules, order, translations,
 * prev/next, navigation) once, so rendering a page never scans all pages.
 * site_free() frees the site and every page.
 */
#ifndef TOIVO_SITE_H
#define TOIVO_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "hmap.h"

#define SITE_MAX_LANGS 8

struct value;
struct theme;

enum page_kind { PAGE_HOME, PAGE_MODULE, PAGE_LESSON, PAGE_PAGE, PAGE_404 };

struct page {
	char *src;              /* "content/pori/tulokset.fi.md", relative to the site root */
	char *dir;              /* content-relative folder: "pori", "" at the top */
	char *name;             /* "tulokset", or "_index" for a folder's own page */
	int lang;               /* index into site->langs */
	enum page_kind kind;
	struct value *fm;       /* front matter (a map; empty map when none) */
	const char *title;      /* borrowed from fm, or the name */
	const char *slug;       /* from fm, or NULL */
	const char *layout;     /* from fm, or NULL */
	double weight;
	bool draft;
	char *key;              /* translation key: dir/name, or fm translation_key */
	char *body;             /* Markdown after the front matter: read by site_page_body()
				 * when the page is rendered, freed after */
	size_t body_len;
	size_t body_off;        /* where the body starts in src */
	uint64_t fm_hash;       /* of the bytes before the body (site_page_reread) */
	size_t src_size;        /* src's size and mtime when it was scanned */
	struct timespec src_mtime;
	int body_line;          /* line of the body's first line in src */
	time_t updated;         /* last change: git commit time or mtime */
	bool committed;         /* updated comes from a commit */
	time_t commit_time;     /* the last commit that changed src, or 0 */
	char *path;             /* output path, "fi/pori/tulokset/" */
	struct page *parent;    /* the folder page above (module or home), NULL for home */
	struct page *module;    /* the module this page is in (a module is its own) */
	struct page **children; /* pages directly under a folder page, in order */
	size_t n_children, cap_children;
	struct page *prev, *next;
	struct page *trans[SITE_MAX_LANGS]; /* translations, this page included */
	size_t index;           /* position in site->pages */
	int number;             /* 1-based position among its siblings */
	struct value *nav_cache;/* unused yet */
	struct page *slides;    /* a folder page's deck (slides.LANG.md beside it), or NULL */
};

struct lang {
	char *code;             /* "fi" */
	char *title;            /* site title in this language */
	char *description;
	struct value *strings;  /* UI strings (map), theme + site overrides */
	struct page *home;
	/* content/_index.LANG.md is there but not loaded: a problem in it was
	 * reported (1), or it is a draft (2); 0 when it loaded or is missing. */
	int home_unloaded;
};

struct site {
	char *root;             /* the site's folder */
	char *config_path;      /* root/site.yaml */
	struct value *config;
	struct lang langs[SITE_MAX_LANGS];
	int n_langs;
	int default_lang;
	char *base_url;         /* always ends in '/' */
	char *theme;            /* theme name */
	char *theme_dir;        /* "ROOT/themes/NAME" on disk, or "builtin:themes/default" */
	struct theme *themes;   /* where each theme file comes from (theme.h) */
	bool unsafe_html;
	int review_interval;    /* days; 0 = no review check */
	long hook_instructions; /* hooks.instructions: budget of one hook call; 0 = default */
	double hook_seconds;    /* hooks.seconds: wall-clock limit of one hook call; 0 = default */
	struct page **pages;
	size_t n_pages, cap_pages;
	char **files;           /* other files in content/ (bundles), content-relative */
	size_t n_files, cap_files;
	struct hmap by_src;     /* "content/x.fi.md" -> page */
	struct hmap folders[SITE_MAX_LANGS]; /* content folder -> its _index page */
	struct hmap by_path;    /* output path -> page */
	struct hmap by_key;     /* "lang\x1fkey" -> page */
	char **renamed_from;    /* sources git saw renamed: old -> new path, */
	char **renamed_to;      /* "content/..." relative to the site root */
	size_t n_renames, cap_renames;
	bool shallow;           /* the git history is shallow */
	/* Decks: slides.LANG.md in a module folder (docs/slides.md).  Each is
	 * a struct page that is not in pages[]: no navigation, search or
	 * print page sees it.  Its kind is PAGE_LESSON, its layout "slides",
	 * its parent and module the folder page; its index is n_pages + its
	 * place here, so per-page arrays sized n_pages + n_decks cover both. */
	struct page **decks;
	size_t n_decks, cap_decks;
};

/* Whether s is a language code site.yaml accepts: "fi", "en", "pt-BR". */
bool site_lang_code_ok(const char *s);

/* Loads site.yaml and scans content/.  Problems are reported; returns NULL
 * when the site cannot be loaded at all (broken site.yaml, no content/). */
struct site *site_load(const char *root);
/* Relates the pages.  Returns 0, or -1 after reporting every problem. */
int site_link(struct site *s);
void site_free(struct site *s);

/* The output path a source file would have, judged by its name alone
 * ("content/pori/vanha.fi.md" -> "fi/pori/vanha/"), with its language in
 * *lang; NULL when the name is not a page of a known language. */
char *site_src_path(const struct site *s, const char *src, int *lang);
/* Reads the page's Markdown body into p->body (the scan keeps only the
 * front matter, so memory does not grow with the pages' text).  0, or -1
 * after reporting (the file went away or changed since the scan). */
int site_page_body(const struct site *s, struct page *p);
/* Reads the page's source again after it was edited.  Returns 1 when only
 * the body changed (the bytes before it are the same), so that no other
 * page changes with it; the page's size and time are updated and p->body
 * holds the new body, ready to render.  Returns 0 when the page must be loaded
 * again with the whole site (its front matter changed, it went away or is
 * unreadable).  Problems in the text (invalid UTF-8) are reported. */
int site_page_reread(const struct site *s, struct page *p);
/* The pages' indexes in the course's order: each language's home page and
 * the pages under it depth first, as a reader (and a print page) meets
 * them, the languages taking turns, then the pages under no home in their
 * own order.  order holds s->n_pages.  The build renders in this order, so
 * that print pages can be written as their pages come (print.h). */
void site_tree_order(const struct site *s, size_t *order);
/* The page with this source path ("content/x.fi.md"), or NULL. */
struct page *site_find_src(const struct site *s, const char *src);
/* Where the PDF of a module goes: "fi/pori/print/pori.pdf" (caller frees);
 * of the course, for its home page: "fi/print/course.pdf".
 * A URL rule of the model, so that render and print both use it. */
char *site_pdf_path(const struct page *module);
/* The output folder path of a content folder in a language ("pori" in en →
 * "en/case-pori/"); the caller frees it. */
char *site_dir_path(const struct site *s, const char *dir, int lang);
/* The path to go from one output folder to another, as a relative URL ending
 * in "index.html" (so links work from disk too); the caller frees it. */
char *site_rel(const char *from, const char *to);
/* Like site_rel for a file: from folder "fi/a/b/" to "fi/x.png" → "../../x.png". */
char *site_rel_file(const char *from, const char *to);

#endif
