/* cmd_new.c - toivo new DIR: a small two-language course that builds at
 * once with the built-in theme and hooks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "util.h"

static const struct { const char *path, *text; } S_files[] = {
	{ "site.yaml",
	  "# The course's settings. See README.md of toivo for every key.\n"
	  "title:\n  fi: \"Uusi kurssi\"\n  en: \"New course\"\n"
	  "description:\n  fi: \"Kurssin kuvaus yhdellä lauseella.\"\n  en: \"The course in one sentence.\"\n"
	  "languages: [fi, en]\ndefault_language: fi\n"
	  "base_url: \"https://example.org/course/\"\n"
	  "review_interval: 365\n"
	  "publish:\n  branch: gh-pages\n  remote: origin\n" },
	{ ".gitignore",
	  "# What toivo builds, and the folders it keeps beside the output.\n"
	  "public/\n/.public.toivo-*\n"
	  "/.toivo-cache/\n" },
	{ "content/_index.fi.md",
	  "---\ntitle: \"Uusi kurssi\"\n---\n\nTervetuloa! Kurssin ensimmäinen moduuli on "
	  "[Aloitus](aloitus/_index.fi.md).\n" },
	{ "content/_index.en.md",
	  "---\ntitle: \"New course\"\n---\n\nWelcome! The first module of the course is "
	  "[Getting started](aloitus/_index.en.md).\n" },
	{ "content/aloitus/_index.fi.md",
	  "---\ntitle: \"Aloitus\"\nweight: 1\ndescription: \"Ensimmäinen moduuli.\"\n---\n\n"
	  "Tämän moduulin jälkeen osaat kirjoittaa oppitunnin.\n" },
	{ "content/aloitus/_index.en.md",
	  "---\ntitle: \"Getting started\"\nslug: getting-started\nweight: 1\n"
	  "description: \"The first module.\"\n---\n\nAfter this module you can write a lesson.\n" },
	{ "content/aloitus/ensimmainen.fi.md",
	  "---\ntitle: \"Ensimmäinen oppitunti\"\nweight: 1\n---\n\n## Luvut\n\n"
	  "```table\ndata: esimerkki.csv\ncaption: \"Esimerkkitaulukko\"\nkey: vuosi\n"
	  "columns: {vuosi: \"Vuosi\", maara: \"Määrä\"}\n```\n" },
	{ "content/aloitus/ensimmainen.en.md",
	  "---\ntitle: \"First lesson\"\nslug: first-lesson\nweight: 1\n---\n\n## Figures\n\n"
	  "```table\ndata: esimerkki.csv\ncaption: \"An example table\"\nkey: vuosi\n"
	  "columns: {vuosi: \"Year\", maara: \"Count\"}\n```\n" },
	{ "content/data/esimerkki.csv", "vuosi,maara\n2024,12\n2025,17\n" },
};

int cmd_new(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: toivo new DIR\n");
		return 2;
	}
	const char *dir = argv[1];
	char *cfg = path_join(dir, "site.yaml");
	bool exists = is_file(cfg);
	free(cfg);
	char *content = path_join(dir, "content");
	exists = exists || is_dir(content);
	free(content);
	if (exists) {
		fprintf(stderr, "toivo new: error: %s already holds a site; choose an empty or new folder\n", dir);
		return 1;
	}
	for (size_t i = 0; i < sizeof S_files / sizeof S_files[0]; i++) {
		char *path = path_join(dir, S_files[i].path);
		char *d = path_dir(path);
		int r = mkdir_p(d) == 0 ? file_write_atomic(path, S_files[i].text, strlen(S_files[i].text)) : -1;
		if (r < 0) {
			fprintf(stderr, "toivo new: error: cannot write %s: %s\n", path, strerror(errno));
			free(d);
			free(path);
			return 1;
		}
		free(d);
		free(path);
	}
	printf("A new course is in %s. Build it with:\n  toivo build -s %s\n", dir, dir);
	return 0;
}
