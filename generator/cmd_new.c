/* cmd_new.c - toivo new [--lang fi,en] [--title T] DIR: a small course in
 * the given languages that builds and passes `toivo check` at once with the
 * built-in theme and hooks, with CI files for GitHub Pages and GitLab Pages,
 * in a git repository of its own with a first commit. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "diag.h"
#include "embed.h"
#include "repo_init.h"
#include "site.h"
#include "util.h"

/* Where CI gets toivo's source for a release (%s: the release number). */
#ifndef TOIVO_SOURCE_URL
#define TOIVO_SOURCE_URL "https://github.com/toivo-course/toivo/archive/refs/tags/v%s.tar.gz"
#endif

/* The example course's words in one language.  Languages without their
 * own get the English ones, to translate. */
struct S_words {
	const char *lang, *title, *desc, *welcome, *mod_title, *mod_slug, *mod_desc, *mod_body;
	const char *lesson_title, *lesson_slug, *heading, *caption, *col_year, *col_count;
};

static const struct S_words S_fi = {
	"fi", "Uusi kurssi", "Kurssin kuvaus yhdellä lauseella.",
	"Tervetuloa! Kurssin ensimmäinen moduuli on", "Aloitus", NULL, "Ensimmäinen moduuli.",
	"Tämän moduulin jälkeen osaat kirjoittaa oppitunnin.",
	"Ensimmäinen oppitunti", NULL, "Luvut", "Esimerkkitaulukko", "Vuosi", "Määrä",
};
static const struct S_words S_en = {
	"en", "New course", "The course in one sentence.",
	"Welcome! The first module of the course is", "Getting started", "getting-started", "The first module.",
	"After this module you can write a lesson.",
	"First lesson", "first-lesson", "Figures", "An example table", "Year", "Count",
};

/* The shell step that installs what toivo builds with; `sudo` is "sudo "
 * on GitHub's runners and "" in GitLab's Debian image (root). */
static void S_ci_packages(struct buf *b, const char *indent, const char *sudo)
{
	buf_printf(b,
		   "%spkgs=\"ca-certificates curl make gcc libc6-dev pkg-config libcmark-gfm-dev\n"
		   "%s  libcmark-gfm-extensions-dev liblua5.4-dev libgit2-dev libyaml-dev libmicrohttpd-dev\n"
		   "%s  libjansson-dev libvoikko-dev voikko-fi libstemmer-dev\"\n"
		   "%smissing=\"\"\n"
		   "%sfor p in $pkgs; do\n"
		   "%s  dpkg-query -W -f='${Status}' \"$p\" 2>/dev/null | grep -q \"ok installed\" || missing=\"$missing $p\"\n"
		   "%sdone\n"
		   "%sif [ -n \"$missing\" ]; then\n"
		   "%s  %sapt-get update -q\n"
		   "%s  %sapt-get install -y -q --no-install-recommends $missing\n"
		   "%sfi\n",
		   indent, indent, indent, indent, indent, indent, indent, indent, indent, sudo, indent, sudo, indent);
}

/* The shell step that builds toivo from its release tarball into
 * .toivo-cache/ (skipped when it is there already: a CI cache, or the
 * test that stands a local build in for the download). */
static void S_ci_toivo(struct buf *b, const char *indent)
{
	buf_printf(b,
		   "%sbin=\".toivo-cache/toivo-$TOIVO_VERSION\"\n"
		   "%sif [ ! -x \"$bin/toivo\" ]; then\n"
		   "%s  mkdir -p \"$bin/src\"\n"
		   "%s  curl -fsSL \"$TOIVO_URL\" | tar -xz -C \"$bin/src\" --strip-components=1\n"
		   "%s  make -C \"$bin/src\" build/toivo\n"
		   "%s  cp \"$bin/src/build/toivo\" \"$bin/toivo\"\n"
		   "%sfi\n",
		   indent, indent, indent, indent, indent, indent, indent);
}

static void S_ci_github(struct buf *b, const char *branch)
{
	buf_printf(b,
		   "# Checks and builds the course with toivo and puts it on GitHub Pages at\n"
		   "# every push to %s.  Once, in the repository's Settings > Pages, choose\n"
		   "# \"GitHub Actions\" as the source, and set base_url in site.yaml to the\n"
		   "# address GitHub shows there.\n"
		   "name: Pages\n\n"
		   "on:\n  push:\n    branches: [%s]\n  workflow_dispatch:\n\n"
		   "permissions:\n  contents: read\n  pages: write\n  id-token: write\n\n"
		   "concurrency:\n  group: pages\n  cancel-in-progress: false\n\n"
		   "env:\n"
		   "  # The toivo release that builds the course, and where its source is.\n"
		   "  TOIVO_VERSION: \"%s\"\n"
		   "  TOIVO_URL: \"" TOIVO_SOURCE_URL "\"\n\n"
		   "jobs:\n"
		   "  build:\n"
		   "    runs-on: ubuntu-latest\n"
		   "    steps:\n"
		   "      - uses: actions/checkout@v4\n"
		   "        with:\n"
		   "          fetch-depth: 0   # the whole history: pages say when they last changed\n"
		   "      - name: Install the packages toivo builds with\n"
		   "        run: |\n",
		   branch, branch, TOIVO_RELEASE, TOIVO_RELEASE);
	S_ci_packages(b, "          ", "sudo ");
	buf_puts(b, "      - name: Build toivo\n        run: |\n");
	S_ci_toivo(b, "          ");
	buf_puts(b,
		 "          echo \"$PWD/$bin\" >> \"$GITHUB_PATH\"\n"
		 "      - name: Check the course\n"
		 "        run: toivo check\n"
		 "      - name: Build the course\n"
		 "        run: toivo build\n"
		 "      - uses: actions/configure-pages@v5\n"
		 "      - uses: actions/upload-pages-artifact@v3\n"
		 "        with:\n"
		 "          path: public\n\n"
		 "  deploy:\n"
		 "    needs: build\n"
		 "    runs-on: ubuntu-latest\n"
		 "    environment:\n"
		 "      name: github-pages\n"
		 "      url: ${{ steps.deployment.outputs.page_url }}\n"
		 "    steps:\n"
		 "      - id: deployment\n"
		 "        uses: actions/deploy-pages@v4\n");
}

static void S_ci_gitlab(struct buf *b)
{
	buf_printf(b,
		   "# Checks and builds the course with toivo and puts it on GitLab Pages at\n"
		   "# every push to the default branch.  Set base_url in site.yaml to the\n"
		   "# address shown under Deploy > Pages.\n"
		   "image: debian:bookworm-slim\n\n"
		   "variables:\n"
		   "  # The toivo release that builds the course, and where its source is.\n"
		   "  TOIVO_VERSION: \"%s\"\n"
		   "  TOIVO_URL: \"" TOIVO_SOURCE_URL "\"\n"
		   "  GIT_DEPTH: 0   # the whole history: pages say when they last changed\n\n"
		   "pages:\n"
		   "  stage: deploy\n"
		   "  cache:\n"
		   "    key: toivo-$TOIVO_VERSION\n"
		   "    paths:\n"
		   "      - .toivo-cache/\n"
		   "  before_script:\n"
		   "    - |\n",
		   TOIVO_RELEASE, TOIVO_RELEASE);
	S_ci_packages(b, "      ", "");
	buf_puts(b, "    - |\n");
	S_ci_toivo(b, "      ");
	buf_puts(b,
		 "      export PATH=\"$PWD/$bin:$PATH\"\n"
		 "  script:\n"
		 "    - toivo check\n"
		 "    - toivo build\n"
		 "  artifacts:\n"
		 "    paths:\n"
		 "      - public\n"
		 "  rules:\n"
		 "    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n");
}

/* s as a YAML double-quoted scalar. */
static void S_yaml_str(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			buf_printf(b, "\\x%02x", c);
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}

static const struct S_words *S_words_for(const char *lang)
{
	return !strcmp(lang, "fi") ? &S_fi : &S_en;
}

static void S_site_yaml(struct buf *b, char **langs, int n, const char *title)
{
	buf_puts(b, "# The course's settings; `man toivo` lists every key.\ntitle:");
	if (title) {
		buf_putc(b, ' ');
		S_yaml_str(b, title);
		buf_putc(b, '\n');
	} else {
		buf_putc(b, '\n');
		for (int k = 0; k < n; k++) {
			buf_printf(b, "  %s: ", langs[k]);
			S_yaml_str(b, S_words_for(langs[k])->title);
			buf_putc(b, '\n');
		}
	}
	buf_puts(b, "description:\n");
	for (int k = 0; k < n; k++) {
		buf_printf(b, "  %s: ", langs[k]);
		S_yaml_str(b, S_words_for(langs[k])->desc);
		buf_putc(b, '\n');
	}
	buf_puts(b, "languages: [");
	for (int k = 0; k < n; k++)
		buf_printf(b, "%s%s", k ? ", " : "", langs[k]);
	buf_printf(b, "]\ndefault_language: %s\n"
		      "base_url: \"https://example.org/course/\"\n"
		      "review_interval: 365\n"
		      "publish:\n  branch: gh-pages\n  remote: origin\n", langs[0]);
}

/* One front matter: title, then the optional slug and weight. */
static void S_front(struct buf *b, const char *title, const char *slug, const char *desc, bool weight)
{
	buf_puts(b, "---\ntitle: ");
	S_yaml_str(b, title);
	buf_putc(b, '\n');
	if (slug)
		buf_printf(b, "slug: %s\n", slug);
	if (weight)
		buf_puts(b, "weight: 1\n");
	if (desc) {
		buf_puts(b, "description: ");
		S_yaml_str(b, desc);
		buf_putc(b, '\n');
	}
	buf_puts(b, "---\n\n");
}

/* The three pages of the example course in one language. */
static void S_pages(struct buf *home, struct buf *mod, struct buf *lesson, const char *lang, const char *title)
{
	const struct S_words *w = S_words_for(lang);
	S_front(home, title ? title : w->title, NULL, NULL, false);
	buf_printf(home, "%s [%s](aloitus/_index.%s.md).\n", w->welcome, w->mod_title, lang);
	S_front(mod, w->mod_title, w->mod_slug, w->mod_desc, true);
	buf_printf(mod, "%s\n", w->mod_body);
	S_front(lesson, w->lesson_title, w->lesson_slug, NULL, true);
	buf_printf(lesson, "## %s\n\n```table\ndata: esimerkki.csv\ncaption: \"%s\"\nkey: vuosi\n"
			   "columns: {vuosi: \"%s\", maara: \"%s\"}\n```\n",
		   w->heading, w->caption, w->col_year, w->col_count);
}

/* i18n/LANG.yaml for a language the built-in theme has no strings for:
 * the English ones to translate, so the site has every string at once
 * instead of a warning for each. */
static void S_strings(struct buf *b, const char *lang)
{
	const struct embed_file *en = embed_find("themes/default/i18n/en.yaml");
	buf_printf(b, "# The theme's texts in '%s', copied from English by toivo new:\n"
		      "# translate each one.  Keys missing here fall back to the default language.\n", lang);
	const char *p = en ? (const char *)en->data : "";
	bool head = true;       /* the English file's own opening comment */
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
		head = head && p[0] == '#';
		if (str_starts_with(p, "language_name:"))
			buf_printf(b, "language_name: \"%s\"   # the language's name in itself\n", lang);
		else if (!head)
			buf_add(b, p, n);
		p += n;
	}
}

static int S_write(const char *dir, const char *rel, const struct buf *b)
{
	char *path = path_join(dir, rel);
	char *d = path_dir(path);
	int r = mkdir_p(d) == 0 ? file_write_atomic(path, b->data, b->len) : -1;
	if (r < 0)
		diag_error(path, 0, 0, "cannot write: %s; choose a folder you can write to", strerror(errno));
	free(d);
	free(path);
	return r;
}

/* Splits "fi,en" into langs (each freed by the caller).  Returns the
 * count, or -1 after a message. */
static int S_langs(char **langs, const char *list)
{
	int n = 0;
	const char *p = list;
	for (;;) {
		const char *end = strchr(p, ',');
		char *code = end ? xstrndup(p, (size_t)(end - p)) : xstrdup(p);
		bool dup = false;
		for (int k = 0; k < n; k++)
			dup = dup || !strcmp(langs[k], code);
		if (!site_lang_code_ok(code) || dup || n == SITE_MAX_LANGS) {
			diag_usage("new", "%s '%s' in --lang; give up to %d language codes such as fi,en "
				   "or fi,en,sv, each once", dup ? "repeated language" : n == SITE_MAX_LANGS ?
				"too many languages at" : "bad language code", code, SITE_MAX_LANGS);
			free(code);
			while (n > 0)
				free(langs[--n]);
			return -1;
		}
		langs[n++] = code;
		if (!end)
			return n;
		p = end + 1;
	}
}

/* Whether dir is missing or holds nothing but a .git folder. */
static bool S_empty(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT;
	bool empty = true;
	struct dirent *e;
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, ".git");
	closedir(d);
	return empty;
}

#define S_USAGE "; usage: toivo new [--lang fi,en] [--title TITLE] DIR"

int cmd_new(int argc, char **argv)
{
	const char *dir = NULL, *lang_list = "fi,en", *title = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **dest = !strncmp(a, "--lang", 6) ? &lang_list : !strncmp(a, "--title", 7) ? &title : NULL;
		size_t n = dest == &lang_list ? 6 : 7;
		if (dest && (a[n] == '=' || a[n] == '\0')) {
			if (a[n] == '=')
				*dest = a + n + 1;
			else if (i + 1 < argc)
				*dest = argv[++i];
			else
				return diag_usage("new", "option '%s' needs a value" S_USAGE, a), 2;
			if (!**dest)
				return diag_usage("new", "option '%s' needs a value" S_USAGE, a), 2;
		} else if (a[0] == '-') {
			return diag_usage("new", "unknown option '%s'" S_USAGE, a), 2;
		} else if (dir) {
			return diag_usage("new", "unexpected argument '%s' (one folder only)" S_USAGE, a), 2;
		} else {
			dir = a;
		}
	}
	if (!dir)
		return diag_usage("new", "the new site's folder is missing" S_USAGE), 2;
	char *langs[SITE_MAX_LANGS];
	int n_langs = S_langs(langs, lang_list);
	if (n_langs < 0)
		return 2;

	int rc = 1;
	struct buf b = BUF_INIT, mod = BUF_INIT, lesson = BUF_INIT;
	char *inside = NULL, *branch = NULL;
	char *cfg = path_join(dir, "site.yaml"), *content = path_join(dir, "content");
	bool exists = is_file(cfg) || is_dir(content);
	free(cfg);
	free(content);
	if (exists) {
		diag_error(dir, 0, 0, "this folder already holds a site; choose an empty or new folder");
		goto out;
	}
	/* The new site's files make its first commit; a folder holding other
	 * files (a home folder, say) must not be swept into it. */
	if (!S_empty(dir)) {
		diag_error(dir, 0, 0, "this folder already holds files; choose an empty or new folder");
		goto out;
	}

	S_site_yaml(&b, langs, n_langs, title);
	if (S_write(dir, "site.yaml", &b) < 0)
		goto out;
	buf_reset(&b);
	buf_puts(&b, "# What toivo builds, and what it keeps beside the output.\n"
		     "/public/\n/.public.toivo-*\n/.toivo-cache/\n");
	if (S_write(dir, ".gitignore", &b) < 0)
		goto out;
	buf_reset(&b);
	buf_puts(&b, "vuosi,maara\n2024,12\n2025,17\n");
	if (S_write(dir, "content/data/esimerkki.csv", &b) < 0)
		goto out;
	for (int k = 0; k < n_langs; k++) {
		buf_reset(&b);
		buf_reset(&mod);
		buf_reset(&lesson);
		S_pages(&b, &mod, &lesson, langs[k], title);
		char *p1 = xasprintf("content/_index.%s.md", langs[k]);
		char *p2 = xasprintf("content/aloitus/_index.%s.md", langs[k]);
		char *p3 = xasprintf("content/aloitus/ensimmainen.%s.md", langs[k]);
		int r = S_write(dir, p1, &b) < 0 || S_write(dir, p2, &mod) < 0 || S_write(dir, p3, &lesson) < 0;
		free(p1);
		free(p2);
		free(p3);
		if (r)
			goto out;
		char *theme = xasprintf("themes/default/i18n/%s.yaml", langs[k]);
		bool builtin = embed_find(theme) != NULL;
		free(theme);
		if (builtin)
			continue;
		buf_reset(&b);
		S_strings(&b, langs[k]);
		char *p4 = xasprintf("i18n/%s.yaml", langs[k]);
		r = S_write(dir, p4, &b);
		free(p4);
		if (r < 0)
			goto out;
		diag(DIAG_NOTE, dir, 0, 0, "the '%s' pages and i18n/%s.yaml hold English text; translate them",
		     langs[k], langs[k]);
	}
	/* The GitHub workflow names the branch it deploys from. */
	branch = repo_init_branch();
	buf_reset(&b);
	S_ci_github(&b, branch);
	if (S_write(dir, ".github/workflows/pages.yml", &b) < 0)
		goto out;
	buf_reset(&b);
	S_ci_gitlab(&b);
	if (S_write(dir, ".gitlab-ci.yml", &b) < 0 || repo_init_site(&inside, dir, branch) < 0)
		goto out;
	if (inside)
		printf("A new course is in %s, inside the git repository %s: commit it there.\n", dir, inside);
	else
		printf("A new course is in %s, with its first commit on the branch %s.\n", dir, branch);
	printf("Preview it with:  cd %s && toivo serve\n"
	       "Build it with:    toivo build -s %s\n"
	       "Publish it:       push it to GitHub or GitLab (see .github/workflows/pages.yml and\n"
	       "                  .gitlab-ci.yml), or run toivo publish\n", dir, dir);
	rc = 0;
out:
	buf_free(&b);
	buf_free(&mod);
	buf_free(&lesson);
	free(inside);
	free(branch);
	for (int k = 0; k < n_langs; k++)
		free(langs[k]);
	return rc;
}
