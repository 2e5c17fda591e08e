/* print_test.c - print documents are written as the pages' HTML comes, in
 * whatever order it comes: the same bytes whether a page comes in its turn,
 * before it (held in memory) or long before it (held in the spool), and
 * with a layout that shows a section twice, late, or not at all. */
#include <stdlib.h>
#include <unistd.h>

#include "i18n.h"
#include "output.h"
#include "print.h"
#include "render.h"
#include "site.h"
#include "spool.h"
#include "unit.h"
#include "util.h"

static void S_site(const char *root)
{
	unit_file(root, "site.yaml", "title: {fi: Kurssi, en: Course}\nlanguages: [fi, en]\ndefault_language: fi\n"
			    "base_url: \"https://example.org/\"\n");
	unit_file(root, "content/_index.fi.md", "---\ntitle: Koti\n---\n");
	unit_file(root, "content/_index.en.md", "---\ntitle: Home\n---\n");
	const char *mods[] = { "m1", "m2", "m3" };
	for (int m = 0; m < 3; m++) {
		char rel[80], text[120];
		for (int l = 0; l < 2; l++) {
			const char *lang = l ? "en" : "fi";
			snprintf(rel, sizeof rel, "content/%s/_index.%s.md", mods[m], lang);
			snprintf(text, sizeof text, "---\ntitle: %s %d\nweight: %d\n---\n", l ? "Module" : "Moduuli", m + 1, 3 - m);
			unit_file(root, rel, text);
			for (int k = 0; k < 4; k++) {
				snprintf(rel, sizeof rel, "content/%s/l%d.%s.md", mods[m], k, lang);
				snprintf(text, sizeof text, "---\ntitle: %s %d.%d\nweight: %d\n%s---\n", l ? "Lesson" : "Oppitunti",
					 m + 1, k + 1, 4 - k, m == 1 && k == 2 ? "print: form\n" : "");
				unit_file(root, rel, text);
			}
		}
	}
}

/* What the render would hand over for p: a heading with an id, a link to
 * the folder above (a module, or the home page) and one within the page. */
static char *S_html(const struct page *p)
{
	return xasprintf("<h2 id=\"a\">%s</h2>\n<p><a href=\"../\">ylös</a> <a href=\"#a\">tähän</a></p>\n", p->title);
}

/* The print documents made with the pages fed in order (n of them), and
 * print.json: each file's path and bytes, one after another. */
static char *S_docs(struct site *s, const struct render_env *env, const char *dir, const char *tag,
		    const size_t *order, size_t n, size_t budget)
{
	char *out = xasprintf("%s/out-%s", dir, tag);
	char *cache = xasprintf("%s/cache", dir);
	struct output o;
	struct buf all = BUF_INIT;
	if (output_begin(&o, out, cache) < 0)
		goto done;
	struct spool *sp = spool_new(dir);
	struct print_ctx pc = { .env = env, .out = &o, .layout = render_layout(env, "print"), .spool = sp,
				 .hold_budget = budget };
	struct print_run *r = print_begin(&pc);
	for (size_t i = 0; i < n; i++) {
		const struct page *p = s->pages[order[i]];
		char *html = S_html(p);
		print_page(r, p, html);
		free(html);
	}
	print_end(r, true);
	spool_free(sp);
	if (output_commit(&o) < 0)
		goto done;
	char *json = NULL, *path = xasprintf("%s/print.json", out);
	size_t len;
	if (file_read(&json, &len, path) == 0) {
		buf_puts(&all, json);
		for (const char *h = json; (h = strstr(h, "\"html\":\""));) {
			h += strlen("\"html\":\"");
			const char *e = strchr(h, '"');
			char *rel = xstrndup(h, (size_t)(e - h));
			char *full = path_join(out, rel), *text = NULL;
			if (file_read(&text, &len, full) == 0)
				buf_printf(&all, "== %s\n%s", rel, text);
			else
				buf_printf(&all, "== %s missing\n", rel);
			free(text);
			free(full);
			free(rel);
			h = e;
		}
	}
	free(json);
	free(path);
done:
	free(out);
	free(cache);
	return buf_detach(&all, NULL);
}

static size_t S_count(const char *s, const char *what)
{
	size_t n = 0;
	for (; (s = strstr(s, what)); s++)
		n++;
	return n;
}

/* The same documents from the tree order, its reverse and odd pages
 * first, with the default budget and with one byte (all held go to the
 * spool).  Returns the tree order's. */
static char *S_orders(struct site *s, const struct render_env *env, const char *dir, const char *name)
{
	size_t n = s->n_pages;
	size_t *tree = xmalloc(n * sizeof *tree), *rev = xmalloc(n * sizeof *rev), *odd = xmalloc(n * sizeof *odd);
	site_tree_order(s, tree);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		rev[i] = tree[n - 1 - i];
	for (size_t i = 1; i < n; i += 2)
		odd[k++] = tree[i];
	for (size_t i = 0; i < n; i += 2)
		odd[k++] = tree[i];
	char tag[64], what[160];
	snprintf(tag, sizeof tag, "%s-tree", name);
	char *want = S_docs(s, env, dir, tag, tree, n, 0);
	const struct {
		const char *name;
		const size_t *order;
		size_t budget;
	} runs[] = {
		{ "in the tree order with one byte held at most", tree, 1 },
		{ "in reverse (held in memory)", rev, 0 },
		{ "in reverse, held in the spool", rev, 1 },
		{ "odd pages first (held in memory)", odd, 0 },
		{ "odd pages first, held in the spool", odd, 1 },
	};
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		snprintf(tag, sizeof tag, "%s-%zu", name, i);
		char *got = S_docs(s, env, dir, tag, runs[i].order, n, runs[i].budget);
		snprintf(what, sizeof what, "%s: the documents are the same with the pages %s", name, runs[i].name);
		unit_check(got && want && !strcmp(got, want), what);
		free(got);
	}
	free(tree);
	free(rev);
	free(odd);
	return want;
}

static struct site *S_load(const char *root, struct render_env *env)
{
	struct site *s = site_load(root);
	if (!s || site_link(s) < 0 || i18n_load(s) < 0 || render_env_init(env, s, false) < 0)
		return NULL;
	return s;
}

int main(void)
{
	char tmpl[] = "/tmp/toivo-print.XXXXXX";
	char *dir = mkdtemp(tmpl);
	char *root = path_join(dir, "site");
	S_site(root);
	struct render_env env;
	struct site *s = S_load(root, &env);
	unit_check(s != NULL, "the test site loads");
	if (!s)
		return unit_done();
	size_t *order = xmalloc(s->n_pages * sizeof *order);
	bool *seen = xcalloc(s->n_pages, sizeof *seen);
	site_tree_order(s, order);
	bool once = true;
	for (size_t i = 0; i < s->n_pages; i++) {
		once = once && order[i] < s->n_pages && !seen[order[i]];
		if (order[i] < s->n_pages)
			seen[order[i]] = true;
	}
	unit_check(once, "site_tree_order has every page once");
	const struct page *o0 = s->pages[order[0]], *o1 = s->pages[order[1]], *o2 = s->pages[order[2]];
	const struct page *o3 = s->pages[order[3]], *o4 = s->pages[order[4]];
	unit_check(o0 == s->langs[0].home && o1 == s->langs[1].home && !strcmp(o2->title, "Moduuli 3") &&
		   !strcmp(o3->title, "Module 3") && !strcmp(o4->title, "Oppitunti 3.4"),
		   "site_tree_order: the languages take turns, each its home, then its modules by weight, each with its pages");
	free(order);
	free(seen);
	char *docs = S_orders(s, &env, dir, "theme");
	/* 2 languages: 3 modules, a course and a form each, and print.json. */
	unit_check(S_count(docs, "\n== ") + (strncmp(docs, "== ", 3) == 0) == 10, "ten documents are listed and written");
	unit_check(S_count(docs, "missing\n") == 0, "every document listed is there");
	const char *course = strstr(docs, "== fi/print/index.html\n");
	const char *end = course ? strstr(course + 1, "\n== ") : NULL;
	char *c = course ? xstrndup(course, end ? (size_t)(end - course) : strlen(course)) : xstrdup("");
	unit_check(S_count(c, "Oppitunti 2.3</h") == 2, "the course shows a lesson once (its title and its heading)");
	const char *m1 = strstr(c, "id=\"m1\""), *m3 = strstr(c, "id=\"m3\"");
	unit_check(m1 && m3 && m3 < m1, "the course shows the modules in the site's order (by weight)");
	unit_check(strstr(c, "href=\"#m1\"") != NULL, "a lesson's link to its module stays within the course");
	free(c);
	free(docs);
	render_env_free(&env);
	site_free(s);

	/* A layout that shows a lesson twice, and the module's own page only
	 * after its lessons: parts must be kept until their last place. */
	unit_file(root, "layouts/print.mustache",
		  "<main>{{#print.sections}}{{^intro}}<s id=\"{{id}}\">{{{content}}}</s>{{/intro}}{{/print.sections}}"
		  "{{#print.sections}}<t>{{{content}}}</t>{{/print.sections}}</main>\n");
	s = S_load(root, &env);
	unit_check(s != NULL, "the site loads with its own print layout");
	if (s) {
		docs = S_orders(s, &env, dir, "twice");
		unit_check(S_count(docs, "Oppitunti 1.1</h") == 4 && S_count(docs, "Lesson 3.4</h") == 4,
			   "a lesson the layout shows twice is there twice in its module and its course");
		const char *m = strstr(docs, "== fi/m2/print/index.html\n");
		const char *last = m ? strstr(m, "Oppitunti 2.4</h") : NULL, *own = m ? strstr(m, ">Moduuli 2</h") : NULL;
		const char *next = m ? strstr(m + 1, "\n== ") : NULL;
		const char *again = own ? strstr(own + 1, ">Moduuli 2</h") : NULL;
		unit_check(last && own && last < own && (!next || own < next) && (!again || (next && again > next)),
			   "the module's own page is there once in its document, after its lessons");
		free(docs);
		render_env_free(&env);
		site_free(s);
	}
	/* A layout without the sections' contents. */
	unit_file(root, "layouts/print.mustache", "<ol>{{#print.sections}}<li>{{title}}</li>{{/print.sections}}</ol>\n");
	s = S_load(root, &env);
	if (s) {
		docs = S_orders(s, &env, dir, "none");
		unit_check(S_count(docs, "<li>Oppitunti 1.1</li>") == 2 && !strstr(docs, "ylös"),
			   "a layout that shows no contents gets its documents, without them");
		free(docs);
		render_env_free(&env);
		site_free(s);
	}
	rm_rf(dir);
	free(root);
	return unit_done();
}
