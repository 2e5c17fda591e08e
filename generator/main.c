/* main.c - the toivo command line: one binary, one mode per command. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const char usage[] =
	"usage: toivo COMMAND [OPTIONS]     (no command: toivo build)\n"
	"\n"
	"  toivo build    [-s DIR] [-o OUT] [-j N]    build the site (default OUT: public/)\n"
	"  toivo check    [-s DIR]                    links, anchors, translations, data\n"
	"  toivo serve    [-s DIR] [--port N] [--bind ADDR]   preview with live reload\n"
	"  toivo pdf      [-s DIR] [-o OUT] [-j N] [--engine chromium|weasyprint]\n"
	"  toivo publish  [-s DIR] [--branch B] [--remote R] [--message M] [--no-push]\n"
	"                 [--dry-run] [--force] [--allow-dirty]\n"
	"  toivo new      DIR                         a new course site that builds at once\n"
	"  toivo template FILE [DATA]                 render one template with YAML/JSON data\n"
	"\n"
	"  -s DIR   the site's root folder (default: .)\n"
	"  --help, --version\n"
	"\n"
	"Exit status: 0 success, 1 problems in the site, 2 wrong usage.\n";

void cmd_usage(FILE *f)
{
	fputs(usage, f);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return cmd_build(argc, argv);
	const char *c = argv[1];
	if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
		cmd_usage(stdout);
		return 0;
	}
	if (!strcmp(c, "--version") || !strcmp(c, "-V")) {
		printf("toivo %s\n", TOIVO_VERSION);
		return 0;
	}
	static const struct { const char *name; int (*fn)(int, char **); } cmds[] = {
		{ "build", cmd_build },
		{ "check", cmd_check },
		{ "serve", cmd_serve },
		{ "pdf", cmd_pdf },
		{ "publish", cmd_publish },
		{ "new", cmd_new },
		{ "template", cmd_template },
	};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (!strcmp(c, cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	if (c[0] == '-')
		return cmd_build(argc, argv);
	fprintf(stderr, "toivo: error: unknown command '%s'; see 'toivo --help'\n", c);
	return 2;
}
