/* spool_test.c - texts kept in an unlinked file: what goes in comes back,
 * from many threads at once, and the file leaves no name behind. */
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "spool.h"
#include "unit.h"
#include "util.h"

static const char S_pad[] = "................................................................................"
			    "................................................................................"
			    "........................................";

struct job {
	struct spool *sp;
	struct spool_ref ref[200];
	int id;
};

static void *S_put(void *arg)
{
	struct job *j = arg;
	for (int i = 0; i < 200; i++) {
		char *t = xasprintf("säie %d teksti %d %.*s", j->id, i, i, S_pad);
		spool_put(j->sp, &j->ref[i], t, strlen(t));
		free(t);
	}
	return NULL;
}

int main(void)
{
	char tmpl[] = "/tmp/toivo-spool.XXXXXX";
	char *dir = mkdtemp(tmpl);
	struct spool *sp = spool_new(dir);
	unit_check(sp != NULL, "a spool is made in a folder");
	if (!sp)
		return unit_done();

	struct spool_ref r = { 0 };
	unit_check(spool_put(sp, &r, "Toipuminen\0on polku", 19) == 0 && r.len == 19, "a text goes in, NUL bytes and all");
	size_t len = 0;
	char *got = spool_get(sp, r, &len);
	unit_check(got && len == 19 && !memcmp(got, "Toipuminen\0on polku", 19) && got[19] == '\0',
		   "it comes back whole, NUL-terminated");
	free(got);
	struct spool_ref none = { 0 };
	unit_check(spool_get(sp, none, NULL) == NULL, "no text for a ref of zeroes");

	/* Four threads at once, each text read back as it was. */
	struct job jobs[4];
	pthread_t th[4];
	for (int k = 0; k < 4; k++) {
		jobs[k] = (struct job){ .sp = sp, .id = k };
		pthread_create(&th[k], NULL, S_put, &jobs[k]);
	}
	for (int k = 0; k < 4; k++)
		pthread_join(th[k], NULL);
	int right = 0;
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < 200; i++) {
			char *want = xasprintf("säie %d teksti %d %.*s", k, i, i, S_pad);
			char *t = spool_get(sp, jobs[k].ref[i], NULL);
			right += t && !strcmp(t, want);
			free(t);
			free(want);
		}
	unit_check(right == 800, "800 texts put from four threads at once come back right");

	/* The file has no name: the folder stays empty. */
	DIR *d = opendir(dir);
	int names = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		names += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	unit_check(names == 0, "the spool leaves no file in its folder");
	spool_free(sp);
	unit_check(rmdir(dir) == 0, "the folder is empty after spool_free");
	return unit_done();
}
