/* floor.c - the floor for `make bench`: parse every Markdown file of a
 * content folder with cmark-gfm (the extensions toivo uses) and write the
 * HTML, nothing else, on N threads.
 *
 *   floor CONTENT OUT [THREADS]
 *
 * Front matter (a first line "---" up to the next "---") is skipped; each
 * NAME.md becomes OUT/<same folders>/NAME/index.html: one folder per page,
 * as toivo and Hugo write them. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char **files;
static size_t n_files, cap_files;
static const char *content, *out;
static atomic_size_t next;
static atomic_int failed;
static pthread_mutex_t inline_lock = PTHREAD_MUTEX_INITIALIZER;

static int S_add(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	size_t n = strlen(p);
	if (flag == FTW_F && n > 3 && !strcmp(p + n - 3, ".md")) {
		if (n_files == cap_files) {
			cap_files = cap_files ? 2 * cap_files : 1024;
			files = realloc(files, cap_files * sizeof *files);
		}
		files[n_files++] = strdup(p);
	}
	return 0;
}

static void S_mkdirs(char *path)
{
	for (char *s = path + 1; (s = strchr(s, '/')); s++) {
		*s = 0;
		mkdir(path, 0755);
		*s = '/';
	}
}

static char *S_read(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	struct stat st;
	fstat(fd, &st);
	char *b = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, b + got, (size_t)st.st_size - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	b[got] = 0;
	*len = got;
	return b;
}

static void *S_work(void *arg)
{
	(void)arg;
	static const char *exts[] = { "table", "strikethrough", "autolink", "tagfilter", "tasklist" };
	int opts = CMARK_OPT_FOOTNOTES;
	for (;;) {
		size_t i = atomic_fetch_add(&next, 1);
		if (i >= n_files)
			break;
		size_t len;
		char *text = S_read(files[i], &len);
		if (!text) {
			atomic_store(&failed, 1);
			continue;
		}
		const char *body = text;
		if (!strncmp(text, "---\n", 4)) {
			const char *e = strstr(text + 4, "\n---");
			if (e) {
				e = strchr(e + 1, '\n');
				body = e ? e + 1 : text + len;
			}
		}
		cmark_parser *p = cmark_parser_new(opts);
		for (size_t k = 0; k < sizeof exts / sizeof exts[0]; k++)
			cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(exts[k]));
		cmark_parser_feed(p, body, len - (size_t)(body - text));
		/* cmark-gfm's table of inline special characters is global: the
		 * inline pass of two parsers must not overlap (toivo does the
		 * same; see generator/markdown.c). */
		pthread_mutex_lock(&inline_lock);
		cmark_node *doc = cmark_parser_finish(p);
		pthread_mutex_unlock(&inline_lock);
		char *html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
		const char *rel = files[i] + strlen(content);
		char *to;
		if (asprintf(&to, "%s%.*s/index.html", out, (int)(strlen(rel) - 3), rel) < 0)
			abort();
		S_mkdirs(to);
		FILE *f = fopen(to, "w");
		if (!f || fputs(html, f) < 0 || fclose(f) != 0)
			atomic_store(&failed, 1);
		free(to);
		free(html);
		cmark_node_free(doc);
		cmark_parser_free(p);
		free(text);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: floor CONTENT OUT [THREADS]\n");
		return 2;
	}
	content = argv[1];
	out = argv[2];
	int n = argc > 3 ? atoi(argv[3]) : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	cmark_gfm_core_extensions_ensure_registered();
	nftw(content, S_add, 32, FTW_PHYS);
	mkdir(out, 0755);
	pthread_t *t = calloc((size_t)n, sizeof *t);
	for (int i = 1; i < n; i++)
		pthread_create(&t[i], NULL, S_work, NULL);
	S_work(NULL);
	for (int i = 1; i < n; i++)
		pthread_join(t[i], NULL);
	fprintf(stderr, "floor: %zu files\n", n_files);
	return failed ? 1 : 0;
}
