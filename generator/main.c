/* main.c - the toivo command line: one binary, one mode per command. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"

static const char usage[] =
	"usage: toivo COMMAND [OPTIONS]     (no command: toivo build)\n"
	"\n"
	"  toivo build    [-s DIR] [-o OUT] [-j N]    build the site (default OUT: public/)\n"
	"  toivo check    [-s DIR] [--strict]         links, anchors, translations, data\n"
	"  toivo serve    [-s DIR] [--port N] [--bind ADDR]   preview with live reload\n"
	"  toivo pdf      [-s DIR] [-o OUT] [-j N] [-f] [--engine chromium|weasyprint]\n"
	"  toivo publish  [-s DIR] [--branch B] [--remote R] [--message M] [--no-push]\n"
	"                 [--dry-run] [--force] [--allow-dirty]\n"
	"  toivo new      [--lang fi,en] [--title T] DIR   a new course site that builds at once\n"
	"  toivo template FILE [DATA]                 render one template with YAML/JSON data\n"
	"  toivo clean    [-s DIR] [--output]         remove the site's cache (.toivo-cache/)\n"
	"\n"
	"  -s DIR   the site's root folder (default: .)\n"
	"  --help, --version   (man toivo: the whole manual)\n"
	"\n"
	"Exit status: 0 success, 1 problems in the site, 2 wrong usage.\n";

void cmd_usage(FILE *f)
{
	fputs(usage, f);
}

/* `toivo COMMAND --help`: what the command does and its options. */
static const struct {
	const char *name, *text;
} S_help[] = {
	{ "build", "usage: toivo build [-s DIR] [-o OUT] [-j N] [-q]\n\n"
		   "Builds the site into OUT (default: DIR/public), whole or not at all: after a\n"
		   "problem the previous output is left exactly as it was.\n\n"
		   "  -s, --site DIR   the site's root folder (default: .)\n"
		   "  -o, --out OUT    the output folder\n"
		   "  -j, --jobs N     worker threads (default: one per core)\n"
		   "  -q, --quiet      no summary line and no status line on a terminal\n" },
	{ "check", "usage: toivo check [-s DIR] [-j N] [--strict]\n\n"
		   "Builds the site without writing it and reports broken links and anchors,\n"
		   "bad dates and data as errors; missing and out-of-date translations, overdue\n"
		   "reviews, images without alt text and left-out raw HTML as warnings.  The last\n"
		   "line counts them.  Exit 0 with warnings alone, 1 with errors.\n\n"
		   "  -s, --site DIR   the site's root folder (default: .)\n"
		   "  -j, --jobs N     worker threads (default: one per core)\n"
		   "  --strict         warnings fail the check too (exit 1), for CI\n" },
	{ "serve", "usage: toivo serve [-s DIR] [-o OUT] [-j N] [--port N] [--bind ADDR]\n\n"
		   "Builds the site, serves it on http://127.0.0.1:1313/ and rebuilds on every\n"
		   "change; open pages reload themselves, and problems show on the page.  A page\n"
		   "whose text alone changed is rendered again on its own.\n\n"
		   "  -s, --site DIR   the site's root folder (default: .)\n"
		   "  -o, --out OUT    where to build (default: a temporary folder)\n"
		   "  -j, --jobs N     worker threads (default: one per core)\n"
		   "  --port N         the port (default: 1313)\n"
		   "  --bind ADDR      the address to listen on (default: 127.0.0.1, this machine only)\n" },
	{ "pdf", "usage: toivo pdf [-s DIR] [-o OUT] [-j N] [-q] [-f] [--engine chromium|weasyprint]\n\n"
		 "Builds the site, then prints a PDF of each module and of the whole course in\n"
		 "every language, next to its print page (OUT/LANG/MODULE/print/MODULE.pdf),\n"
		 "and of every slide deck in OUT/slides.json.  A PDF whose print page and\n"
		 "files are unchanged comes from DIR/.toivo-cache/pdf/.  See docs/pdf.md.\n\n"
		 "  -s, --site DIR   the site's root folder (default: .)\n"
		 "  -o, --out OUT    the output folder (default: DIR/public)\n"
		 "  -j, --jobs N     PDFs printed at once, one browser tab each (default: 2-4)\n"
		 "  -f, --force      make every PDF again, changed or not\n"
		 "  -q, --quiet      no progress lines\n"
		 "  --engine E       chromium (default) or weasyprint\n" },
	{ "publish", "usage: toivo publish [-s DIR] [--branch B] [--remote R] [--message M]\n"
		     "                     [--no-push] [-n|--dry-run] [-f|--force] [--allow-dirty]\n\n"
		     "Builds the site and commits the output to a branch (default: gh-pages), then\n"
		     "pushes it.  See docs/publish.md.\n\n"
		     "  --branch B       the branch to publish to\n"
		     "  --remote R       the remote to push to (default: origin)\n"
		     "  --message M      the commit message\n"
		     "  --no-push        commit, do not push\n"
		     "  -n, --dry-run    say what would be published, change nothing\n"
		     "  -f, --force      publish over a branch that moved on elsewhere\n"
		     "  --allow-dirty    publish with uncommitted changes in the site\n" },
	{ "new", "usage: toivo new [--lang fi,en] [--title TITLE] DIR\n\n"
		 "Creates a new course site in DIR that builds and passes toivo check at once,\n"
		 "with CI files for GitHub Pages and GitLab Pages and a .gitignore, and makes it\n"
		 "a git repository with a first commit (unless DIR is inside one already).\n\n"
		 "  --lang L,L       the languages, the first the default (default: fi,en)\n"
		 "  --title TITLE    the course's title in every language\n" },
	{ "template", "usage: toivo template FILE [DATA]\n"
		      "       toivo template --list [-s DIR]\n\n"
		      "Renders one Mustache template with data from a YAML or JSON file.\n"
		      "With --list, prints every layout, partial, asset and UI strings file the\n"
		      "site uses and where each comes from (docs/templates.md).\n" },
	{ "clean", "usage: toivo clean [-s DIR] [--output]\n\n"
		   "Removes the site's cache folder DIR/.toivo-cache (the build folders kept\n"
		   "for the next build, and their locks), and what older versions of toivo\n"
		   "left beside the output (.public.toivo-prev).  The next build is a full\n"
		   "one.  See docs/where-toivo-writes.md.\n\n"
		   "  -s, --site DIR   the site's root folder (default: .)\n"
		   "  --output         remove the output folder DIR/public too\n" },
};

static bool S_wants_help(int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	}
	return false;
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
		{ "clean", cmd_clean },
	};
	if (S_wants_help(argc, argv))
		for (size_t i = 0; i < sizeof S_help / sizeof S_help[0]; i++)
			if (!strcmp(c, S_help[i].name)) {
				fputs(S_help[i].text, stdout);
				return 0;
			}
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (!strcmp(c, cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	if (c[0] == '-')
		return cmd_build(argc, argv);
	diag_usage(NULL, "unknown command '%s'", c);
	return 2;
}
