/* site.c - site.yaml, the scan of content/, and relating the pages. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "diag.h"
#include "frontmatter.h"
#include "keys.h"
#include "pool.h"
#include "name.h"
#include "site.h"
#include "srcdate.h"
#include "theme.h"
#include "utf8.h"
#include "util.h"
#include "value.h"
#include "vfs.h"
#include "yamldoc.h"

/* ------------------------------------------------------------------ */
/* site.yaml                                                          */
/* ------------------------------------------------------------------ */

bool site_lang_code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 8)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (i >= 2 && (s[i] == '-' || (s[i] >= 'A' && s[i] <= 'Z')))))
			return false;
	return true;
}

/* A per-language text: either one string for all, or a map lang -> string. */
static char *S_lang_text(const struct value *v, const char *lang, const char *fallback)
{
	if (v && v->kind == V_STR)
		return xstrdup(v->u.str.s);
	const char *s = value_string(value_get(v, lang));
	return xstrdup(s ? s : fallback);
}

/* A hook limit of site.yaml (key a dotted path) into *out: 0 when not set;
 * a number from lo to hi (whole when whole), else an error. */
static int S_hook_limit(const struct site *s, const char *key, double lo, double hi, int whole, double *out)
{
	const struct value *v = value_path(s->config, key);
	*out = 0;
	if (!v)
		return 0;
	if (v->kind != V_NUM || v->u.n < lo || v->u.n > hi || (whole && v->u.n != floor(v->u.n))) {
		diag_error(s->config_path, v->line, v->col, "%s must be a %snumber from %.0f to %.0f", key,
			   whole ? "whole " : "", lo, hi);
		return -1;
	}
	*out = v->u.n;
	return 0;
}

static int S_config(struct site *s)
{
	struct value *c = NULL;
	double lim;
	if (!vfs_exists(s->config_path)) {
		diag_error(s->config_path, 0, 0, "site.yaml not found; create it (see 'toivo new DIR' for an example) or pass the site folder with -s DIR");
		return -1;
	}
	if (yamldoc_load(&c, s->config_path) < 0)
		return -1;
	if (c->kind == V_NULL) {
		value_free(c);
		c = value_map();
	}
	if (c->kind != V_MAP) {
		diag_error(s->config_path, c->line, c->col, "site.yaml must be 'key: value' lines");
		value_free(c);
		return -1;
	}
	s->config = c;
	keys_check_site(c, s->config_path);
	int bad = 0;
	const struct value *langs = value_get(c, "languages");
	if (!langs) {
		const char *def[] = { "fi", "en" };
		for (int i = 0; i < 2; i++)
			s->langs[s->n_langs++].code = xstrdup(def[i]);
	} else if (langs->kind != V_LIST || langs->u.list.n == 0) {
		diag_error(s->config_path, langs->line, langs->col, "'languages' must be a list of language codes, e.g. languages: [fi, en]");
		bad = -1;
	} else {
		for (size_t i = 0; i < langs->u.list.n; i++) {
			const struct value *l = langs->u.list.items[i];
			const char *code = value_string(l);
			if (!code || !site_lang_code_ok(code)) {
				diag_error(s->config_path, l->line, l->col, "'%s' is not a language code; use codes such as fi, en, sv",
					   code ? code : "(not text)");
				bad = -1;
				continue;
			}
			if (s->n_langs == SITE_MAX_LANGS) {
				diag_error(s->config_path, l->line, l->col, "more than %d languages; remove some", SITE_MAX_LANGS);
				bad = -1;
				break;
			}
			for (int k = 0; k < s->n_langs; k++)
				if (!strcmp(s->langs[k].code, code)) {
					diag_error(s->config_path, l->line, l->col, "language '%s' is listed twice; remove one", code);
					bad = -1;
				}
			s->langs[s->n_langs++].code = xstrdup(code);
		}
	}
	if (bad)
		return -1;
	const struct value *dl = value_get(c, "default_language");
	s->default_lang = 0;
	if (dl) {
		const char *code = value_string(dl);
		int found = -1;
		for (int k = 0; code && k < s->n_langs; k++)
			if (!strcmp(s->langs[k].code, code))
				found = k;
		if (found < 0) {
			diag_error(s->config_path, dl->line, dl->col, "default_language must be one of 'languages'");
			return -1;
		}
		s->default_lang = found;
	}
	const struct value *title = value_get(c, "title");
	const struct value *desc = value_get(c, "description");
	for (int k = 0; k < s->n_langs; k++) {
		s->langs[k].title = S_lang_text(title, s->langs[k].code, "");
		s->langs[k].description = S_lang_text(desc, s->langs[k].code, "");
	}
	const char *bu = value_string(value_get(c, "base_url"));
	if (!bu || !*bu)
		bu = "/";
	s->base_url = xasprintf("%s%s", bu, str_ends_with(bu, "/") ? "" : "/");
	const struct value *tv = value_get(c, "theme");
	const char *theme = value_string(tv);
	int tl = tv ? tv->line : 0, tc = tv ? tv->col : 0;
	s->theme = xstrdup(theme ? theme : "default");
	if (theme_load(&s->themes, s->root, s->theme, s->config_path, tl, tc) < 0)
		return -1;
	/* the chosen theme's own folder (the first place after the site's) */
	s->theme_dir = xstrdup(s->themes->places[1].dir);
	s->unsafe_html = value_truthy(value_path(c, "markdown.unsafe"));
	const struct value *ri = value_get(c, "review_interval");
	if (ri && ri->kind == V_NUM)
		s->review_interval = (int)ri->u.n;
	if (S_hook_limit(s, "hooks.instructions", 1e6, 2e9, 1, &lim) < 0)
		return -1;
	s->hook_instructions = (long)lim;
	if (S_hook_limit(s, "hooks.seconds", 1, 300, 0, &lim) < 0)
		return -1;
	s->hook_seconds = lim;
	return 0;
}

/* ------------------------------------------------------------------ */
/* scanning content/                                                  */
/* ------------------------------------------------------------------ */

/* Splits "name.fi.md" into name and language index; -1 when not a page. */
static int S_page_lang(const struct site *s, const char *file, char **name)
{
	if (!str_ends_with(file, ".md"))
		return -1;
	size_t n = strlen(file) - 3;
	for (int k = 0; k < s->n_langs; k++) {
		size_t cl = strlen(s->langs[k].code);
		if (n > cl + 1 && file[n - cl - 1] == '.' && !memcmp(file + n - cl, s->langs[k].code, cl)) {
			*name = xstrndup(file, n - cl - 1);
			return k;
		}
	}
	return -2;
}

/* FNV-1a over the bytes before a page's body. */
static uint64_t S_fm_hash(const char *text, size_t n)
{
	uint64_t h = 14695981039346656037u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)text[i];
		h *= 1099511628211u;
	}
	return h;
}

/* A page file found by the walk, read by S_read_page on a worker. */
struct scan_job {
	char *dir, *file, *name;
	int lang;
	bool deck;              /* slides.LANG.md in a folder: a deck, not a page */
	bool draft;             /* a draft, not loaded */
	struct page *p;         /* the page, or NULL (a draft, or a problem reported) */
};

struct scan {
	struct site *s;
	struct scan_job *jobs;
	size_t n, cap;
	size_t done;            /* files read (for the status line) */
};

/* Reads one page file: its front matter, checked.  Touches nothing shared
 * but diag, so the files are read in parallel.  NULL for a draft (*draft
 * set) or after reporting a problem. */
static struct page *S_read_page(bool *draft, const struct site *s, const char *dir, const char *file,
				const char *name, int lang)
{
	char *rel = *dir ? xasprintf("content/%s/%s", dir, file) : xasprintf("content/%s", file);
	char *full = path_join(s->root, rel);
	char *text = NULL;
	size_t len;
	struct page *p = NULL;
	struct stat st;
	if (vfs_read_stat(&text, &len, &st, full) < 0) {
		diag_error(rel, 0, 0, "cannot read: %s", file_strerror(errno));
		goto out;
	}
	if (utf8_check(text, len, rel) < 0)
		goto out;
	struct value *fm;
	size_t off;
	int body_line;
	if (frontmatter_parse(&fm, &off, &body_line, text, len, rel) < 0)
		goto out;
	if (value_truthy(value_get(fm, "draft"))) {
		*draft = true;
		value_free(fm);
		goto out;
	}
	p = xcalloc(1, sizeof *p);
	p->src = rel;
	rel = NULL;
	p->dir = xstrdup(dir);
	p->name = xstrdup(name);
	p->lang = lang;
	p->fm = fm;
	p->title = value_string(value_get(fm, "title"));
	if (!p->title)
		p->title = p->name;
	p->slug = value_string(value_get(fm, "slug"));
	p->layout = value_string(value_get(fm, "layout"));
	const struct value *w = value_get(fm, "weight");
	p->weight = w && w->kind == V_NUM ? w->u.n : 0;
	p->body_off = off;
	p->fm_hash = S_fm_hash(text, off);
	p->body_len = len - off;
	p->body_line = body_line;
	p->src_size = len;
	if (st.st_mode) {
		p->updated = srcdate_clamp(st.st_mtime);
		p->src_mtime = st.st_mtim;
	}
out:
	free(text);
	free(full);
	free(rel);
	return p;
}

static void S_read_one(void *ud, size_t i, int worker)
{
	struct scan *sc = ud;
	struct scan_job *j = &sc->jobs[i];
	j->p = S_read_page(&j->draft, sc->s, j->dir, j->file, j->name, j->lang);
	size_t done = __atomic_add_fetch(&sc->done, 1, __ATOMIC_RELAXED);
	diag_progress(done == sc->n, "toivo: reading pages, %zu/%zu", done, sc->n);
}

/* Reads the pages the walk found on every core, then adds them in the
 * walk's order, so builds stay deterministic. */
static void S_read_pages(struct scan *sc)
{
	int n = cpu_count();
	if ((size_t)n > sc->n / 64 + 1)
		n = (int)(sc->n / 64 + 1);
	pool_run(sc->n, n, S_read_one, sc);
	struct site *s = sc->s;
	for (size_t i = 0; i < sc->n; i++) {
		struct scan_job *j = &sc->jobs[i];
		struct page *p = j->p;
		if (p && j->deck) {
			s->decks = xgrow(s->decks, &s->cap_decks, s->n_decks, sizeof *s->decks);
			s->decks[s->n_decks++] = p;
		} else if (p) {
			p->index = s->n_pages;
			s->pages = xgrow(s->pages, &s->cap_pages, s->n_pages, sizeof *s->pages);
			s->pages[s->n_pages++] = p;
			hmap_put(&s->by_src, p->src, p);
		} else if (!j->deck && !*j->dir && !strcmp(j->name, "_index")) {
			/* site_link must not call a home page with a reported
			 * problem missing: that would be a second error for one fault. */
			s->langs[j->lang].home_unloaded = j->draft ? 2 : 1;
		}
		free(j->dir);
		free(j->file);
		free(j->name);
	}
	free(sc->jobs);
}

/* Walks content/DIR; depth-first, names in byte order, so builds are
 * deterministic.  data/ at the top holds data for hooks, not pages. */
static void S_scan(struct scan *sc, const char *dir, int depth)
{
	struct site *s = sc->s;
	char *full = *dir ? xasprintf("%s/content/%s", s->root, dir) : xasprintf("%s/content", s->root);
	size_t n;
	unsigned char *types;
	char **names = dir_names_typed(full, &n, &types);
	if (!names) {
		diag_error(full, 0, 0, "cannot read the folder: %s; check its permissions", strerror(errno));
		free(full);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char *path = path_join(full, names[i]);
		char *rel = *dir ? xasprintf("%s/%s", dir, names[i]) : xstrdup(names[i]);
		/* The folder says what most names are; the rest are looked at
		 * (only st_mode is used below). */
		struct stat st = { .st_mode = types[i] == DT_REG ? S_IFREG : types[i] == DT_DIR ? S_IFDIR : 0 };
		const char *why = name_problem(names[i]);
		if (why) {
			char *shown = name_shown(path);
			diag_error(shown, 0, 0, "the name %s; rename it (letters, digits, '-' and '_' are safe everywhere)", why);
			free(shown);
		} else if (!st.st_mode && lstat(path, &st) < 0) {
			diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
		} else if (S_ISLNK(st.st_mode)) {
			diag_warn(path, 0, 0, "symbolic link skipped; copy the file into content/ instead");
		} else if (S_ISDIR(st.st_mode)) {
			if (!(depth == 0 && !strcmp(names[i], "data"))) {
				if (depth > 32)
					diag_error(path, 0, 0, "folders nested more than 32 deep; flatten them");
				else
					S_scan(sc, rel, depth + 1);
			}
		} else if (S_ISREG(st.st_mode)) {
			char *name = NULL;
			int lang = S_page_lang(s, names[i], &name);
			if (lang >= 0) {
				sc->jobs = xgrow(sc->jobs, &sc->cap, sc->n, sizeof *sc->jobs);
				bool deck = *dir && !strcmp(name, "slides");
				sc->jobs[sc->n++] = (struct scan_job){ xstrdup(dir), xstrdup(names[i]), name, lang, deck, false, NULL };
				name = NULL;
			} else if (lang == -2) {
				diag_warn(path, 0, 0, "Markdown file without a known language; name it NAME.%s.md", s->langs[0].code);
			} else {
				s->files = xgrow(s->files, &s->cap_files, s->n_files, sizeof *s->files);
				s->files[s->n_files++] = xstrdup(rel);
			}
			free(name);
		} else {
			diag_error(path, 0, 0, "%s", file_strerror(FILE_ENOTREG));
		}
		free(rel);
		free(path);
		free(names[i]);
	}
	free(names);
	free(types);
	free(full);
}

struct site *site_load(const char *root)
{
	struct site *s = xcalloc(1, sizeof *s);
	s->root = xstrdup(root);
	/* Messages name the site's files relative to its folder. */
	diag_set_root(root);
	s->config_path = path_join(root, "site.yaml");
	vfs_set_root(root);     /* every file read from now on stays inside */
	if (S_config(s) < 0) {
		site_free(s);
		return NULL;
	}
	char *content = path_join(root, "content");
	if (!is_dir(content)) {
		diag_error(content, 0, 0, "no content folder; create content/ with a page such as _index.%s.md",
			   s->langs[s->default_lang].code);
		free(content);
		site_free(s);
		return NULL;
	}
	free(content);
	struct scan sc = { .s = s };
	S_scan(&sc, "", 0);
	S_read_pages(&sc);
	return s;
}

/* ------------------------------------------------------------------ */
/* relating pages                                                     */
/* ------------------------------------------------------------------ */

char *site_pdf_path(const struct page *module)
{
	/* The module's last path segment names the file; the course's
	 * (the home page's) is course.pdf. */
	if (module->kind == PAGE_HOME)
		return xasprintf("%sprint/course.pdf", module->path);
	char *name = path_last(module->path);
	char *r = xasprintf("%sprint/%s.pdf", module->path, name);
	free(name);
	return r;
}

static char *S_dir_path(const struct site *s, const char *dir, int lang);

char *site_dir_path(const struct site *s, const char *dir, int lang)
{
	char *raw = S_dir_path(s, dir, lang);
	char *nfc = name_nfc(raw);
	free(raw);
	return nfc;
}

static char *S_dir_path(const struct site *s, const char *dir, int lang)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, s->langs[lang].code);
	buf_putc(&b, '/');
	const char *p = dir;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		char *prefix = xstrndup(dir, (size_t)(p - dir) + n);
		const struct page *ix = hmap_get(&s->folders[lang], prefix);
		free(prefix);
		if (ix && ix->slug)
			buf_puts(&b, ix->slug);
		else
			buf_add(&b, p, n);
		buf_putc(&b, '/');
		p += n;
		if (*p == '/')
			p++;
	}
	return buf_detach(&b, NULL);
}

static int S_cmp_pages(const void *a, const void *b)
{
	const struct page *x = *(struct page *const *)a, *y = *(struct page *const *)b;
	if (x->weight != y->weight)
		return x->weight < y->weight ? -1 : 1;
	int c = strcmp(x->title, y->title);
	return c ? c : strcmp(x->src, y->src);
}

static void S_add_child(struct page *parent, struct page *p)
{
	parent->children = xgrow(parent->children, &parent->cap_children,
				 parent->n_children, sizeof *parent->children);
	parent->children[parent->n_children++] = p;
}

/* Orders a folder page's children and links prev/next through the module:
 * the module page, then its pages depth-first. */
static struct page *S_order(struct page *p, struct page *prev)
{
	if (p->n_children > 1)
		qsort(p->children, p->n_children, sizeof *p->children, S_cmp_pages);
	for (size_t i = 0; i < p->n_children; i++) {
		struct page *c = p->children[i];
		c->number = (int)i + 1;
		if (p->kind == PAGE_HOME) {
			if (c->kind == PAGE_MODULE)
				S_order(c, c);
			continue;
		}
		if (prev) {
			prev->next = c;
			c->prev = prev;
		}
		prev = c;
		if (c->kind == PAGE_MODULE)
			prev = S_order(c, prev);
	}
	return prev;
}

/* Whether a and b are one name to a case-blind, normalising file system. */
static bool S_same_folded(const char *a, const char *b)
{
	char *fa = name_fold(a), *fb = name_fold(b);
	bool same = !strcmp(fa, fb);
	free(fa);
	free(fb);
	return same;
}

static void S_tree(const struct page *p, size_t *order, size_t *n, bool *seen)
{
	if (seen[p->index])
		return;
	seen[p->index] = true;
	order[(*n)++] = p->index;
	for (size_t i = 0; i < p->n_children; i++)
		S_tree(p->children[i], order, n, seen);
}

void site_tree_order(const struct site *s, size_t *order)
{
	bool *seen = xcalloc(s->n_pages + 1, sizeof *seen);
	size_t *tree = xmalloc((s->n_pages + 1) * sizeof *tree);
	size_t n = 0, start[SITE_MAX_LANGS + 1];
	for (int k = 0; k < s->n_langs; k++) {
		start[k] = n;
		if (s->langs[k].home)
			S_tree(s->langs[k].home, tree, &n, seen);
	}
	start[s->n_langs] = n;
	/* The languages side by side, each at its own pace (a page of a
	 * language with half the pages every second turn): workers next to
	 * each other in the order then mostly write different languages'
	 * print pages and search words. */
	size_t at[SITE_MAX_LANGS] = { 0 }, m = 0;
	while (m < n) {
		int best = -1;
		double lag = 2;
		for (int k = 0; k < s->n_langs; k++) {
			size_t len = start[k + 1] - start[k];
			if (at[k] < len && (double)at[k] / (double)len < lag) {
				lag = (double)at[k] / (double)len;
				best = k;
			}
		}
		order[m++] = tree[start[best] + at[best]++];
	}
	for (size_t i = 0; i < s->n_pages; i++)
		if (!seen[i])
			order[m++] = i;
	free(tree);
	free(seen);
}

/* Relates the decks to their folder pages (site_link has given those
 * their paths): a deck's URL is its folder's plus slides/, its
 * translations are the decks of the same folder in other languages. */
static int S_link_decks(struct site *s)
{
	int errors = 0;
	for (size_t j = 0; j < s->n_decks; j++) {
		struct page *d = s->decks[j];
		d->index = s->n_pages + j;
		d->kind = PAGE_LESSON;
		d->layout = "slides";
		d->key = xasprintf("%s/slides", d->dir);
		struct page *f = hmap_get(&s->folders[d->lang], d->dir);
		if (!f) {
			diag_error(d->src, 1, 1, "a deck belongs to a module: create content/%s/_index.%s.md beside it",
				   d->dir, s->langs[d->lang].code);
			errors++;
			continue;
		}
		d->parent = f;
		d->module = f->module ? f->module : f;
		if (!value_get(d->fm, "title"))
			d->title = f->title;
		f->slides = d;
		d->path = xasprintf("%sslides/", f->path);
		struct page *other = hmap_put(&s->by_path, d->path, d);
		if (other) {
			diag_error(d->src, 1, 1, "URL /%s of this deck is also the URL of %s; rename that page or give it a slug",
				   d->path, other->src);
			errors++;
		}
	}
	for (size_t j = 0; j < s->n_decks; j++) {
		struct page *d = s->decks[j];
		for (int k = 0; k < s->n_langs; k++) {
			const struct page *f = hmap_get(&s->folders[k], d->dir);
			d->trans[k] = f ? f->slides : NULL;
		}
	}
	return errors;
}

int site_link(struct site *s)
{
	int errors = 0;
	struct hmap folded = HMAP_INIT;  /* folded URL -> page (name_fold) */
	/* Folder pages first: their slugs shape the URLs of everything below. */
	for (size_t i = 0; i < s->n_pages; i++) {
		struct page *p = s->pages[i];
		if (strcmp(p->name, "_index"))
			continue;
		p->kind = *p->dir ? PAGE_MODULE : PAGE_HOME;
		hmap_put(&s->folders[p->lang], p->dir, p);
		if (p->kind == PAGE_HOME)
			s->langs[p->lang].home = p;
	}
	for (int k = 0; k < s->n_langs; k++) {
		if (s->langs[k].home || s->langs[k].home_unloaded == 1) {
			continue;       /* loaded, or its problem is reported already */
		} else if (s->langs[k].home_unloaded == 2) {
			char *src = xasprintf("content/_index.%s.md", s->langs[k].code);
			diag_error(src, 0, 0, "the home page of language '%s' is a draft, and every language needs one; "
				   "remove 'draft: true' from it", s->langs[k].code);
			free(src);
		} else {
			diag_error("content", 0, 0, "no home page for language '%s'; create content/_index.%s.md",
				   s->langs[k].code, s->langs[k].code);
		}
		errors++;
	}
	for (size_t i = 0; i < s->n_pages; i++) {
		struct page *p = s->pages[i];
		bool ix = !strcmp(p->name, "_index");
		if (!ix)
			p->kind = *p->dir ? PAGE_LESSON : PAGE_PAGE;
		char *dp = site_dir_path(s, p->dir, p->lang);
		if (ix) {
			p->path = dp;
		} else {
			/* NFC: the form every file system and server agrees on */
			char *raw = xasprintf("%s%s/", dp, p->slug ? p->slug : p->name);
			p->path = name_nfc(raw);
			free(raw);
			free(dp);
		}
		struct page *other = hmap_put(&s->by_path, p->path, p);
		char *fold = name_fold(p->path);
		struct page *same = hmap_put(&folded, fold, p);
		free(fold);
		if (other && S_same_folded(p->src, other->src)) {
			diag_error(p->src, 1, 1, "the name is the name of %s written in another Unicode form (NFC/NFD), "
				   "so both are /%s; remove one of them", other->src, p->path);
			errors++;
		} else if (other) {
			diag_error(p->src, 1, 1, "URL /%s is also the URL of %s; change the slug or the file name of one of them",
				   p->path, other->src);
			errors++;
		} else if (same) {
			diag_error(p->src, 1, 1, "URL /%s differs from /%s of %s only by upper and lower case or by how "
				   "its letters are encoded (Unicode NFC/NFD), so the two collide on macOS, Windows and in zip "
				   "files; rename one of them", p->path, same->path, same->src);
			errors++;
		}
		/* The translation key pairs NAME.fi.md with NAME.en.md. */
		/* translationKey: Hugo's spelling, so a site moved from Hugo keeps
		 * its pairs. */
		const char *tk = value_string(value_get(p->fm, "translation_key"));
		if (!tk)
			tk = value_string(value_get(p->fm, "translationKey"));
		p->key = tk ? xasprintf("key:%s", tk) : xasprintf("%s/%s", p->dir, p->name);
	}
	for (size_t i = 0; i < s->n_pages; i++) {
		struct page *p = s->pages[i];
		char *k = xasprintf("%s\x1f%s", s->langs[p->lang].code, p->key);
		struct page *other = hmap_put(&s->by_key, k, p);
		free(k);
		if (other) {
			diag_error(p->src, 1, 1, "translation_key is also used by %s in the same language; each page needs its own",
				   other->src);
			errors++;
		}
	}
	for (size_t i = 0; i < s->n_pages; i++) {
		struct page *p = s->pages[i];
		for (int k = 0; k < s->n_langs; k++) {
			char *key = xasprintf("%s\x1f%s", s->langs[k].code, p->key);
			p->trans[k] = hmap_get(&s->by_key, key);
			free(key);
		}
		if (p->kind == PAGE_HOME)
			continue;
		/* The parent is the nearest folder page above. */
		char *d = xstrdup(p->dir);
		if (p->kind == PAGE_MODULE) {
			char *up = path_dir(d);
			free(d);
			d = up;
		}
		for (;;) {
			struct page *f = hmap_get(&s->folders[p->lang], d);
			if (f && f != p) {
				p->parent = f;
				break;
			}
			if (!*d)
				break;
			char *up = path_dir(d);
			free(d);
			d = up;
		}
		free(d);
		if (!p->parent)
			p->parent = s->langs[p->lang].home;
		if (p->parent)
			S_add_child(p->parent, p);
	}
	for (size_t i = 0; i < s->n_pages; i++) {
		struct page *p = s->pages[i];
		struct page *m = p;
		while (m && m->parent && m->parent->kind != PAGE_HOME)
			m = m->parent;
		p->module = (m && (m->kind == PAGE_MODULE)) ? m : NULL;
	}
	for (int k = 0; k < s->n_langs; k++)
		if (s->langs[k].home)
			S_order(s->langs[k].home, NULL);
	errors += S_link_decks(s);
	hmap_free(&folded);
	return errors ? -1 : 0;
}

char *site_src_path(const struct site *s, const char *src, int *lang)
{
	if (!str_starts_with(src, "content/"))
		return NULL;
	char *rel = xstrdup(src + 8);
	char *dir = path_dir(rel);
	const char *file = strrchr(rel, '/');
	file = file ? file + 1 : rel;
	char *name = NULL;
	char *r = NULL;
	int k = S_page_lang(s, file, &name);
	if (k >= 0) {
		char *dp = site_dir_path(s, dir, k);
		r = !strcmp(name, "_index") ? xstrdup(dp) : xasprintf("%s%s/", dp, name);
		free(dp);
		*lang = k;
	}
	free(name);
	free(dir);
	free(rel);
	return r;
}

int site_page_body(const struct site *s, struct page *p)
{
	if (p->body)
		return 0;
	char *full = path_join(s->root, p->src);
	char *text = NULL;
	size_t len = 0;
	struct stat st;
	int r = vfs_read_expect(&text, &len, &st, full, p->src_size);
	if (r < 0) {
		diag_error(p->src, 0, 0, "cannot read: %s", file_strerror(errno));
	} else if (len != p->src_size || !st.st_mode ||
		   st.st_mtim.tv_sec != p->src_mtime.tv_sec || st.st_mtim.tv_nsec != p->src_mtime.tv_nsec) {
		diag_error(p->src, 0, 0, "changed while the site was being built; build again");
		r = -1;
	} else {
		memmove(text, text + p->body_off, len - p->body_off);
		text[len - p->body_off] = '\0';
		p->body = text;
		text = NULL;
	}
	free(text);
	free(full);
	return r;
}

int site_page_reread(const struct site *s, struct page *p)
{
	char *full = path_join(s->root, p->src);
	char *text = NULL;
	size_t len = 0;
	struct stat st;
	int r = 0;
	if (lstat(full, &st) < 0 || !S_ISREG(st.st_mode) || vfs_read(&text, &len, full) < 0)
		goto out;
	/* The same bytes before the old body offset and the same offset from
	 * the parser mean the same front matter. */
	if (len < p->body_off || S_fm_hash(text, p->body_off) != p->fm_hash)
		goto out;
	struct value *fm = NULL;
	size_t off = 0;
	int line = 0;
	int ok = utf8_check(text, len, p->src) == 0 &&
		 frontmatter_parse(&fm, &off, &line, text, len, p->src) == 0;
	value_free(fm);
	if (!ok || off != p->body_off || line != p->body_line)
		goto out;
	/* The text read here is the body the page is rendered from. */
	free(p->body);
	memmove(text, text + off, len - off);
	text[len - off] = '\0';
	p->body = text;
	text = NULL;
	p->body_len = len - off;
	p->src_size = len;
	p->src_mtime = st.st_mtim;
	if (!p->committed)
		p->updated = srcdate_clamp(st.st_mtime);
	r = 1;
out:
	free(text);
	free(full);
	return r;
}

struct page *site_find_src(const struct site *s, const char *src)
{
	return hmap_get(&s->by_src, src);
}

/* Counts the segments of a folder path ("fi/a/" has 2). */
static size_t S_segments(const char *p)
{
	size_t n = 0;
	for (; *p; p++)
		if (*p == '/')
			n++;
	return n;
}

/* The way from `from` to `to`, then tail. */
static char *S_rel(const char *from, const char *to, const char *tail)
{
	/* Skip the common folders, then climb out of the rest of `from`. */
	size_t common = 0;
	for (size_t i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	struct buf b = BUF_INIT;
	for (size_t n = S_segments(from + common); n > 0; n--)
		buf_puts(&b, "../");
	buf_puts(&b, to + common);
	buf_puts(&b, tail);
	return buf_detach(&b, NULL);
}

char *site_rel_file(const char *from, const char *to)
{
	return S_rel(from, to, "");
}

char *site_rel(const char *from, const char *to)
{
	return S_rel(from, to, "index.html");
}

static void S_page_free(struct page *p)
{
	free(p->src);
	free(p->dir);
	free(p->name);
	value_free(p->fm);
	free(p->key);
	free(p->body);
	free(p->path);
	free(p->children);
	value_free(p->nav_cache);
	free(p);
}

void site_free(struct site *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_pages; i++)
		S_page_free(s->pages[i]);
	free(s->pages);
	for (size_t i = 0; i < s->n_decks; i++)
		S_page_free(s->decks[i]);
	free(s->decks);
	for (size_t i = 0; i < s->n_files; i++)
		free(s->files[i]);
	free(s->files);
	for (int k = 0; k < s->n_langs; k++) {
		free(s->langs[k].code);
		free(s->langs[k].title);
		free(s->langs[k].description);
		value_free(s->langs[k].strings);
		hmap_free(&s->folders[k]);
	}
	for (size_t i = 0; i < s->n_renames; i++) {
		free(s->renamed_from[i]);
		free(s->renamed_to[i]);
	}
	free(s->renamed_from);
	free(s->renamed_to);
	hmap_free(&s->by_src);
	hmap_free(&s->by_path);
	hmap_free(&s->by_key);
	value_free(s->config);
	free(s->root);
	free(s->config_path);
	free(s->base_url);
	free(s->theme);
	free(s->theme_dir);
	theme_free(s->themes);
	free(s);
}
