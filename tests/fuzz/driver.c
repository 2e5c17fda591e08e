/* driver.c - runs a libFuzzer target without libFuzzer: each argument is a
 * file (or a folder of files) given once to LLVMFuzzerTestOneInput.  Used by
 * tests/t_fuzz_regress.sh to replay the regression inputs under ASan. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int S_run(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	size_t cap = 4096, n = 0;
	uint8_t *d = malloc(cap);
	size_t r;
	while (d && (r = fread(d + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			uint8_t *nd = realloc(d, cap);
			if (!nd) {
				free(d);
				d = NULL;
			}
			d = nd;
		}
	}
	fclose(f);
	if (!d)
		return 1;
	/* A copy of exactly n bytes, so reads past the end are caught. */
	uint8_t *exact = malloc(n ? n : 1);
	if (!exact) {
		free(d);
		return 1;
	}
	memcpy(exact, d, n);
	free(d);
	fprintf(stderr, "driver: %s (%zu bytes)\n", path, n);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			struct dirent **names;
			int k = scandir(argv[i], &names, NULL, alphasort);
			for (int j = 0; j < k; j++) {
				if (names[j]->d_name[0] != '.') {
					size_t len = strlen(argv[i]) + strlen(names[j]->d_name) + 2;
					char *p = malloc(len);
					if (p) {
						snprintf(p, len, "%s/%s", argv[i], names[j]->d_name);
						bad |= S_run(p);
						free(p);
					}
				}
				free(names[j]);
			}
			if (k >= 0)
				free(names);
		} else {
			bad |= S_run(argv[i]);
		}
	}
	return bad;
}
