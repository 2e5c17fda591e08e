/* output_test.c - the output folder: whole or not at all, nothing written
 * outside it, unchanged files left as they were. */
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "unit.h"
#include "util.h"

static char *S_read(const char *dir, const char *rel)
{
	char *p = path_join(dir, rel), *text = NULL;
	size_t len;
	if (file_read(&text, &len, p) < 0)
		text = NULL;
	free(p);
	return text;
}

static ino_t S_ino(const char *dir, const char *rel)
{
	char *p = path_join(dir, rel);
	struct stat st;
	ino_t i = stat(p, &st) == 0 ? st.st_ino : 0;
	free(p);
	return i;
}

int main(void)
{
	char tmpl[] = "/tmp/toivo-output.XXXXXX";
	char *dir = mkdtemp(tmpl);
	char *out = path_join(dir, "public");
	char *cache = path_join(dir, ".toivo-cache");
	struct output o;

	unit_check(output_begin(&o, out, cache) == 0, "a first build begins");
	unit_check(output_write(&o, "index.html", "koti", 4, "t") == 0 &&
		   output_write(&o, "fi/a/index.html", "a1", 2, "t") == 0 &&
		   output_write(&o, "fi/b/index.html", "b1", 2, "t") == 0 &&
		   output_write(&o, "fi/c/index.html", "c1", 2, "t") == 0, "files are written, folders made");
	unit_check(!is_dir(out), "nothing is in OUT before the commit");
	unit_check(output_commit(&o) == 0, "the commit swaps the tree in");
	char *t = S_read(out, "fi/a/index.html");
	unit_str(t, "a1", "the committed file is there");
	free(t);
	ino_t same = S_ino(out, "fi/b/index.html");

	/* A second build: b unchanged, a changed, c gone. */
	unit_check(output_begin(&o, out, cache) == 0, "a second build begins");
	output_write(&o, "index.html", "koti", 4, "t");
	output_write(&o, "fi/a/index.html", "a2", 2, "t");
	output_write(&o, "fi/b/index.html", "b1", 2, "t");
	unit_capture();
	unit_check(output_write(&o, "../pako.html", "x", 1, "content/x.fi.md") < 0, "a path climbing out is refused");
	unit_check(strstr(unit_captured(), "content/x.fi.md") != NULL, "and reported against who asked");
	unit_check(output_commit(&o) == 0, "the second commit");
	t = S_read(out, "fi/a/index.html");
	unit_str(t, "a2", "the changed file has its new bytes");
	free(t);
	t = S_read(out, "fi/c/index.html");
	unit_check(t == NULL, "a file the build did not write is gone");
	free(t);
	unit_check(S_ino(out, "fi/b/index.html") == same, "an unchanged file is the same file (same inode, same time)");
	char *prev = path_join(dir, ".public.toivo-prev");
	unit_check(!is_dir(prev), "no copy of the previous output is left beside it");
	free(prev);
	char *esc = path_join(dir, "pako.html");
	unit_check(!is_file(esc), "nothing was written outside the output");

	/* A failed build leaves OUT as it was. */
	unit_check(output_begin(&o, out, cache) == 0, "a third build begins");
	output_write(&o, "fi/a/index.html", "a3", 2, "t");
	output_abort(&o);
	t = S_read(out, "fi/a/index.html");
	unit_str(t, "a2", "after an abort the previous output is untouched");
	free(t);

	unit_capture();
	unit_check(output_check_place(dir, dir) < 0, "the site folder itself is refused as the output");
	char *content = path_join(dir, "content/public");
	char *cdir = path_join(dir, "content");
	mkdir_p(cdir);
	free(cdir);
	unit_check(output_check_place(content, dir) < 0, "a folder inside content/ is refused");
	char *deep = path_join(dir, "content/new/er/public");
	unit_check(output_check_place(deep, dir) < 0, "a folder below content/ whose folders do not exist yet is refused");
	free(deep);
	unit_captured();
	unit_check(output_check_place(out, dir) == 0, "a previous output folder is fine");
	rm_rf(dir);
	free(content);
	free(esc);
	free(out);
	free(cache);
	return unit_done();
}
