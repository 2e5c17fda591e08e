/* site_test.c - the site model on a real folder: URLs and slugs, order by
 * weight, modules, translations, prev/next, relative links. */
#include <unistd.h>

#include "site.h"
#include "unit.h"
#include "util.h"
#include "value.h"

static char *root;

static void S_rel(const char *from, const char *to, const char *want)
{
	char *got = site_rel(from, to);
	char what[160];
	snprintf(what, sizeof what, "site_rel(%s, %s)", from, to);
	unit_str(got, want, what);
	free(got);
}

int main(void)
{
	S_rel("fi/a/b/", "fi/a/c/", "../c/index.html");
	S_rel("fi/a/", "fi/a/", "index.html");
	S_rel("fi/", "en/x/", "../en/x/index.html");
	S_rel("fi/a/b/", "fi/", "../../index.html");
	char *f = site_rel_file("fi/a/b/", "fi/x.png");
	unit_str(f, "../../x.png", "site_rel_file climbs to a file");
	free(f);

	char tmpl[] = "/tmp/toivo-site.XXXXXX";
	root = mkdtemp(tmpl);
	unit_file(root, "site.yaml", "title: {fi: Testi, en: Test}\nlanguages: [fi, en]\ndefault_language: fi\n"
			    "base_url: \"https://example.org/t\"\n");
	unit_file(root, "content/_index.fi.md", "---\ntitle: Koti\n---\n");
	unit_file(root, "content/_index.en.md", "---\ntitle: Home\n---\n");
	unit_file(root, "content/mod/_index.fi.md", "---\ntitle: Moduuli\n---\n");
	unit_file(root, "content/mod/_index.en.md", "---\ntitle: Module\nslug: module\n---\n");
	unit_file(root, "content/mod/b.fi.md", "---\ntitle: Bee\nweight: 1\n---\n");
	unit_file(root, "content/mod/a.fi.md", "---\ntitle: Aa\nweight: 2\n---\n");
	unit_file(root, "content/mod/c.fi.md", "---\ntitle: Cee\nweight: 2\n---\n");
	unit_file(root, "content/mod/a.en.md", "---\ntitle: Ay\nslug: first\n---\n");
	unit_file(root, "content/mod/luonnos.fi.md", "---\ntitle: Luonnos\ndraft: true\n---\n");
	unit_file(root, "content/mod/kuva.png", "png");
	unit_file(root, "content/sivu.fi.md", "---\ntitle: Sivu\n---\n");

	struct site *s = site_load(root);
	unit_check(s != NULL, "the site loads");
	if (!s)
		return unit_done();
	unit_check(site_link(s) == 0, "the site links without errors");
	unit_str(s->base_url, "https://example.org/t/", "base_url gets its final slash");
	unit_check(s->n_langs == 2 && !strcmp(s->langs[s->default_lang].code, "fi"), "two languages, fi first");
	unit_check(site_find_src(s, "content/mod/luonnos.fi.md") == NULL, "a draft is left out");
	unit_check(s->n_files == 1 && !strcmp(s->files[0], "mod/kuva.png"), "a file beside the pages is kept as a bundle file");

	struct page *a = site_find_src(s, "content/mod/a.fi.md");
	struct page *b = site_find_src(s, "content/mod/b.fi.md");
	struct page *c = site_find_src(s, "content/mod/c.fi.md");
	struct page *ae = site_find_src(s, "content/mod/a.en.md");
	struct page *m = site_find_src(s, "content/mod/_index.fi.md");
	struct page *pg = site_find_src(s, "content/sivu.fi.md");
	unit_check(a && b && c && ae && m && pg, "every page is found by its source");
	if (!(a && b && c && ae && m && pg))
		return unit_done();
	unit_str(a->path, "fi/mod/a/", "a lesson's path is its folder and name");
	unit_str(ae->path, "en/module/first/", "slugs of the module and the page shape the English path");
	unit_check(a->kind == PAGE_LESSON && m->kind == PAGE_MODULE && pg->kind == PAGE_PAGE &&
		   s->langs[0].home->kind == PAGE_HOME, "page kinds: home, module, lesson, plain page");
	unit_check(m->n_children == 3 && m->children[0] == b && m->children[1] == a && m->children[2] == c,
		   "lessons in order of weight, then name");
	unit_check(b->number == 1 && a->number == 2 && c->number == 3, "lesson numbers follow the order");
	unit_check(m->prev == NULL && m->next == b && b->prev == m && b->next == a && a->prev == b &&
		   a->next == c && c->next == NULL, "prev and next run through the module, its own page first");
	unit_check(a->module == m && a->parent == m && m->module == m, "a lesson's module and parent");
	unit_check(a->trans[1] == ae && ae->trans[0] == a && b->trans[1] == NULL, "translations pair by name");

	int lang = -1;
	char *sp = site_src_path(s, "content/mod/vanha.en.md", &lang);
	unit_str(sp, "en/module/vanha/", "site_src_path judges a name alone, with the folder's slug");
	unit_check(lang == 1, "and gives its language");
	free(sp);
	sp = site_src_path(s, "content/mod/kuva.png", &lang);
	unit_check(sp == NULL, "a file that is not a page has no page path");
	char *dp = site_dir_path(s, "mod", 1);
	unit_str(dp, "en/module/", "site_dir_path uses the folder page's slug");
	free(dp);
	site_free(s);

	/* A broken site.yaml: NULL, with the place. */
	unit_file(root, "site.yaml", "title: [\n");
	unit_capture();
	s = site_load(root);
	unit_check(s == NULL && strstr(unit_captured(), "site.yaml:") != NULL, "a broken site.yaml is reported, no site");
	site_free(s);
	rm_rf(root);
	return unit_done();
}
