/* util_test.c - paths, files and folders: the edge cases a site can hit. */
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "util.h"

static void S_norm(const char *in, const char *want)
{
	char *got = path_normalize(in);
	char what[160];
	snprintf(what, sizeof what, "path_normalize(\"%s\")", in);
	unit_str(got, want, what);
	free(got);
}

int main(void)
{
	S_norm("a/./b//c/", "a/b/c");
	S_norm("a/b/../c", "a/c");
	S_norm("a/..", "");
	S_norm("./", "");
	S_norm("../x", NULL);
	S_norm("a/../../x", NULL);
	S_norm("/etc/passwd", NULL);
	S_norm("a/..b/c", "a/..b/c");

	/* xasprintf formats into a 256-byte stack buffer first: every length
	 * around its edge comes out whole. */
	char pad[1100];
	memset(pad, 'k', sizeof pad - 1);
	pad[sizeof pad - 1] = '\0';
	int whole = 1;
	for (int n = 250; n < 262; n++) {
		char *x = xasprintf("%d:%.*s", n, n, pad);
		char want[1200];
		snprintf(want, sizeof want, "%d:%.*s", n, n, pad);
		whole &= !strcmp(x, want);
		free(x);
	}
	char *big = xasprintf("%s|%s", pad, "loppu");
	whole &= strlen(big) == sizeof pad - 1 + 6 && !strcmp(big + sizeof pad - 1, "|loppu");
	free(big);
	unit_check(whole, "xasprintf: strings shorter, as long as and longer than its stack buffer");

	char *s = path_join("a/", "b");
	unit_str(s, "a/b", "path_join does not double a slash");
	free(s);
	s = path_join("a", "b");
	unit_str(s, "a/b", "path_join adds one slash");
	free(s);
	s = path_dir("content/pori/x.fi.md");
	unit_str(s, "content/pori", "path_dir is the folder part");
	free(s);
	s = path_last("fi/pori/");
	unit_str(s, "pori", "path_last ignores the final slash");
	free(s);
	s = path_last("pori");
	unit_str(s, "pori", "path_last of a bare name is the name");
	free(s);
	s = path_dir("x.md");
	unit_str(s, "", "path_dir of a bare name is empty");
	free(s);

	unit_check(str_ends_with("x.fi.md", ".md") && !str_ends_with("md", ".md") && str_ends_with("a", ""),
		   "str_ends_with, including a suffix longer than the string");
	unit_check(str_starts_with("builtin:x", "builtin:") && !str_starts_with("bui", "builtin:"),
		   "str_starts_with");

	char tmpl[] = "/tmp/toivo-unit.XXXXXX";
	char *dir = mkdtemp(tmpl);
	unit_check(dir != NULL, "a temporary folder");
	char *deep = xasprintf("%s/a/b/c", dir);
	unit_check(mkdir_p(deep) == 0 && is_dir(deep) && mkdir_p(deep) == 0, "mkdir_p makes parents and may run twice");
	char *f = xasprintf("%s/a/b/tiedosto.txt", dir);
	unit_check(file_write_atomic(f, "sisältö\0x", 10) == 0 && is_file(f) && !is_dir(f), "file_write_atomic writes a file");
	char *text = NULL;
	size_t len = 0;
	unit_check(file_read(&text, &len, f) == 0 && len == 10 && !memcmp(text, "sisältö\0x", 10) && text[len] == '\0',
		   "file_read gives the bytes back, NUL-terminated");
	free(text);
	char *dot = xasprintf("%s/a/b/.piilo", dir);
	file_write_atomic(dot, "", 0);
	size_t n = 0;
	char *ad = xasprintf("%s/a/b", dir);
	char **names = dir_names(ad, &n);
	unit_check(names && n == 2 && !strcmp(names[0], "c") && !strcmp(names[1], "tiedosto.txt"),
		   "dir_names: sorted, dot files left out");
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	char *missing = xasprintf("%s/ei", dir);
	unit_check(dir_names(missing, &n) == NULL && file_read(&text, &len, missing) < 0,
		   "a missing folder or file is an error, not a crash");
	char *in_file = xasprintf("%s/a/b/tiedosto.txt/x", dir);
	unit_check(mkdir_p(in_file) < 0, "mkdir_p under a file fails");
	unit_check(rm_rf(dir) == 0 && !is_dir(dir) && rm_rf(dir) == 0, "rm_rf removes a tree; a missing one is fine");

	unit_check(cpu_count() >= 1, "cpu_count is at least 1");

	free(deep);
	free(f);
	free(dot);
	free(ad);
	free(missing);
	free(in_file);
	return unit_done();
}
