/* fuzz_page.c - libFuzzer target: one page through front matter, Markdown
 * and hooks, as a build renders it.
 *
 * Once: a small site is written to a temporary folder (a lua/ hook file
 * with code-block and page hooks, a CSV for the built-in table and chart
 * blocks) and loaded with site_load + site_link, with one sandboxed hook
 * state whose limits are small so that a slow input stays a slow input.
 * Each input is then a whole page file: checked (UTF-8, NUL), split into
 * front matter and body, and rendered in place of the site's lesson. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "frontmatter.h"
#include "hooks.h"
#include "i18n.h"
#include "markdown.h"
#include "render.h"
#include "site.h"
#include "utf8.h"
#include "util.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct site *S_site;
static struct render_env S_env;
static struct hooks *S_hooks;
static struct page *S_lesson;
static char S_root[64];

static void S_put(const char *rel, const char *text)
{
	char *p = path_join(S_root, rel);
	char *d = path_dir(p);
	mkdir_p(d);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(d);
	free(p);
}

static char *S_md(void *ud, const char *lang, const char *md, size_t len)
{
	(void)ud;
	int k = S_site->n_langs;
	while (lang && --k >= 0 && strcmp(S_site->langs[k].code, lang))
		;
	return markdown_simple(md, len, S_site, lang ? k : -1);
}

static const char *S_tr(void *ud, const char *lang, const char *key)
{
	(void)ud;
	for (int k = 0; k < S_site->n_langs; k++)
		if (!strcmp(S_site->langs[k].code, lang))
			return i18n_get(S_site, k, key);
	return NULL;
}

static void S_cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", S_root);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_page: cannot remove %s\n", S_root);
}

static void S_init(void)
{
	strcpy(S_root, "/tmp/toivo-fuzz-page.XXXXXX");
	if (!mkdtemp(S_root)) {
		perror("mkdtemp");
		abort();
	}
	atexit(S_cleanup);
	S_put("site.yaml", "title: {fi: \"Testi\", en: \"Test\"}\nlanguages: [fi, en]\n"
	      "default_language: fi\nbase_url: \"https://example.org/t/\"\n");
	S_put("content/_index.fi.md", "---\ntitle: \"Koti\"\n---\nKoti.\n");
	S_put("content/_index.en.md", "---\ntitle: \"Home\"\n---\nHome.\n");
	S_put("content/mod/_index.fi.md", "---\ntitle: \"Moduuli\"\nweight: 1\n---\nM.\n");
	S_put("content/mod/eka.fi.md", "---\ntitle: \"Eka\"\nweight: 1\n---\n## Eka\n");
	S_put("content/mod/toka.fi.md", "---\ntitle: \"Toka\"\nweight: 2\n---\nToka.\n");
	S_put("content/mod/kuva.png", "PNG");
	S_put("content/data/t.csv", "group,total,a,b\none,10,4,6\ntwo,8,4,4\nthree,5,2,2\n");
	S_put("content/data/d.yaml", "list: [1, 2]\nmap: {a: 1}\n");
	S_put("lua/fuzz.lua",
	      "return {\n"
	      "  codeblocks = {\n"
	      "    md = function(b) return toivo.markdown(b.text) end,\n"
	      "    yml = function(b) local y = toivo.yaml(b.text) return '<p>' .. toivo.escape(tostring(y)) .. '</p>' end,\n"
	      "    data = function(b) local ok, d = pcall(toivo.data, b.text:gsub('%s+$', '')) return '<p>' .. tostring(ok) .. '</p>' end,\n"
	      "    num = function(b) return toivo.format_number(tonumber(b.text) or 0, 2) end,\n"
	      "    keys = function(b) return table.concat(toivo.keys(b.page.params), ',') end,\n"
	      "    t = function(b) return tostring(toivo.t(b.text)) end,\n"
	      "    err = function(b) toivo.error(b.text) end,\n"
	      "    warn = function(b) toivo.warn(b.text) return '' end,\n"
	      "    loop = function(b) while true do end end,\n"
	      "  },\n"
	      "  page = function(p) p.params.seen = (p.params.seen or 0) end,\n"
	      "}\n");
	markdown_init();
	diag_set_quiet_warnings(1);
	S_site = site_load(S_root);
	if (!S_site) {
		fprintf(stderr, "fuzz_page: the site does not load\n");
		abort();
	}
	site_link(S_site);
	i18n_load(S_site);
	render_env_init(&S_env, S_site, false);
	struct hooks_config hc = {
		.site_dir = S_root, .markdown = S_md, .translate = S_tr,
		.max_instructions = 200000, .max_memory = 32u << 20,
	};
	S_hooks = hooks_new(&hc);
	S_lesson = site_find_src(S_site, "content/mod/eka.fi.md");
	if (!S_hooks || !S_lesson || diag_errors()) {
		fprintf(stderr, "fuzz_page: set-up failed\n");
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!S_site)
		S_init();
	diag_reset();
	const char *text = (const char *)data;
	const char *path = "content/mod/eka.fi.md";
	if (utf8_check(text, size, path) < 0)
		return 0;
	struct value *fm;
	size_t off;
	int body_line;
	if (frontmatter_parse(&fm, &off, &body_line, text, size, path) < 0)
		return 0;
	struct page p = *S_lesson;
	p.fm = fm;
	p.title = value_string(value_get(fm, "title"));
	if (!p.title)
		p.title = p.name;
	p.body = xstrndup(text + off, size - off);
	p.body_len = size - off;
	p.body_line = body_line;
	struct value *hp = render_hook_page(&S_env, &p);
	if (hooks_page(S_hooks, hp, path) == 0) {
		struct markdown_job job = {
			.site = S_site, .page = &p, .hooks = S_hooks,
			.hook_page = hp, .hook_site = S_env.hook_site,
		};
		struct buf html = BUF_INIT;
		markdown_render(&html, &job);
		value_free(job.toc);
		value_free(job.ids);
		value_free(job.links);
		buf_free(&html);
	}
	value_free(hp);
	free(p.body);
	value_free(fm);
	return 0;
}
