/* pdf_cache.c - what each PDF was made from, so that an unchanged document
 * is not made again.
 *
 * For every document the cache folder (SITE/.toivo-cache/pdf/) holds two
 * files named by a hash of the engine and the PDF's path:
 *   NAME.pdf   the PDF as last made;
 *   NAME.key   the key it was made from, then "engine PATH" (the browser
 *              that made it), then the files of the output the page
 *              loaded, one path a line.
 * The key is a SHA-1 (libgit2's) over the engine, the manifest entry, the
 * allowed hosts, and the path and SHA-1 of the print page and of every file
 * it loaded.  A new run computes the key again from the same list of files
 * as they are now; when it is the same, the PDF is copied from the cache.
 * A page that changed what it loads must itself have changed (or one of
 * its style sheets), so the old list is enough to notice.  Pages that
 * loaded anything from a host are never taken from the cache.
 *
 * A build (no browser) asks the same question with pdf_cache_find: the
 * engine's path comes from the key file, and a file the build did not
 * write counts as missing.
 */
#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "pdf_cache.h"
#include "util.h"

#define PDF_CACHE_FORMAT "toivo-pdf-cache 2"
#define ENGINE_LINE "engine "

static void S_sha1(char hex[GIT_OID_HEXSZ + 1], const void *data, size_t len)
{
	git_oid oid;
	if (git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB) < 0)
		memset(&oid, 0, sizeof oid);
	git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &oid);
}

/* The file names of it's entry in the cache; the caller frees both. */
static void S_names(char **pdf, char **key, const struct pdf_run *run, const struct pdf_item *it)
{
	/* a build asks without tools: only Chromium's PDFs are kept */
	bool chromium = !run->tools || run->tools->engine == PDF_CHROMIUM;
	char *id = xasprintf("%s\n%s", chromium ? "chromium" : "weasyprint", it->pdf);
	char hex[GIT_OID_HEXSZ + 1];
	S_sha1(hex, id, strlen(id));
	free(id);
	*pdf = xasprintf("%s/%s.pdf", run->opts->cache_dir, hex);
	*key = xasprintf("%s/%s.key", run->opts->cache_dir, hex);
}

/* The key of it, made from deps[0..n) (paths relative to the output; the
 * print page is always counted).  The caller frees it. */
static char *S_key(const struct pdf_run *run, const char *engine_path, const struct pdf_item *it,
		   char *const *deps, size_t n)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s\n%s\n%s\n%s\n%s\n%s\n%s\n", PDF_CACHE_FORMAT, engine_path,
		   it->kind ? it->kind : "", it->lang ? it->lang : "", it->title, it->html, it->pdf);
	for (size_t i = 0; i < run->opts->n_allow; i++)
		buf_printf(&b, "allow %s\n", run->opts->allow_remote[i]);
	for (size_t i = 0; i <= n; i++) {
		const char *rel = i < n ? deps[i] : it->html;
		char *path = path_join(run->dir, rel);
		char *text = NULL;
		size_t len = 0;
		bool ours = !run->has || run->has(run->has_ud, rel);
		if (ours && file_read(&text, &len, path) == 0) {
			char hex[GIT_OID_HEXSZ + 1];
			S_sha1(hex, text, len);
			buf_printf(&b, "%s %s\n", hex, rel);
		} else {
			buf_printf(&b, "missing %s\n", rel);
		}
		free(text);
		free(path);
	}
	char hex[GIT_OID_HEXSZ + 1];
	S_sha1(hex, b.data, b.len);
	buf_free(&b);
	return xstrdup(hex);
}

/* The cached PDF of it when its key holds for the files of run->dir as
 * they are now (the caller frees it), else NULL. */
static char *S_lookup(const struct pdf_run *run, const struct pdf_item *it)
{
	char *cpdf, *ckey;
	S_names(&cpdf, &ckey, run, it);
	char *text = NULL;
	size_t len;
	char **deps = NULL;
	size_t n = 0, cap = 0;
	const char *engine = run->tools ? run->tools->engine_path : NULL;
	bool hit = false;
	if (file_read(&text, &len, ckey) < 0 || !is_file(cpdf))
		goto out;
	/* Line 1: the key; line 2: the engine; then the files. */
	char *nl = strchr(text, '\n');
	if (!nl || !str_starts_with(nl + 1, ENGINE_LINE))
		goto out;
	*nl = 0;
	char *l = nl + 1;
	char *e = strchr(l, '\n');
	if (!e)
		goto out;
	*e = 0;
	if (!engine)
		engine = l + strlen(ENGINE_LINE);
	for (l = e + 1; *l;) {
		e = strchr(l, '\n');
		if (e)
			*e = 0;
		char *norm = *l ? path_normalize(l) : NULL;
		if (norm) {
			deps = xgrow(deps, &cap, n, sizeof *deps);
			deps[n++] = norm;
		}
		if (!e)
			break;
		l = e + 1;
	}
	char *now = S_key(run, engine, it, deps, n);
	hit = !strcmp(now, text);
	free(now);
out:
	for (size_t i = 0; i < n; i++)
		free(deps[i]);
	free(deps);
	free(text);
	free(ckey);
	if (!hit) {
		free(cpdf);
		cpdf = NULL;
	}
	return cpdf;
}

int pdf_cache_get(const struct pdf_run *run, const struct pdf_item *it)
{
	char *cpdf = S_lookup(run, it);
	if (!cpdf)
		return 0;
	char *dst = path_join(run->dir, it->pdf);
	char *dir = path_dir(dst);
	mkdir_p(dir);
	int r = file_copy(cpdf, dst) == 0 ? 1 : 0;
	free(dir);
	free(dst);
	free(cpdf);
	return r;
}

char *pdf_cache_find(const struct pdf_run *run, const struct pdf_item *it)
{
	return S_lookup(run, it);
}

int pdf_cache_put(const struct pdf_run *run, const struct pdf_item *it)
{
	char *cpdf, *ckey;
	S_names(&cpdf, &ckey, run, it);
	if (it->no_cache) {
		/* An entry kept from an earlier run must not be taken either. */
		unlink(ckey);
		free(ckey);
		free(cpdf);
		return 0;
	}
	char *src = path_join(run->dir, it->pdf);
	char *key = S_key(run, run->tools->engine_path, it, it->deps, it->n_deps);
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s\n" ENGINE_LINE "%s\n", key, run->tools->engine_path);
	for (size_t i = 0; i < it->n_deps; i++)
		buf_printf(&b, "%s\n", it->deps[i]);
	/* The PDF first: a key never names a PDF that is not there. */
	int r = -1;
	unlink(ckey);
	if (mkdir_p(run->opts->cache_dir) == 0 && file_copy(src, cpdf) == 0 &&
	    file_write_atomic(ckey, b.data, b.len) == 0)
		r = 0;
	buf_free(&b);
	free(key);
	free(src);
	free(ckey);
	free(cpdf);
	return r;
}
