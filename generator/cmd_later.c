/* cmd_later.c - commands whose work is not part of this version yet.  They
 * say so plainly and exit 2, rather than pretending to work. */
#include <stdio.h>

#include "cmd.h"

static int S_later(const char *name)
{
	fprintf(stderr, "toivo %s: error: not available in toivo %s yet; see README.md for the commands that are\n",
		name, TOIVO_VERSION);
	return 2;
}

int cmd_pdf(int argc, char **argv) { (void)argc; (void)argv; return S_later("pdf"); }
