/* cmark_arena_test.c - cmark-gfm's arena: a whole parse and render in it,
 * realloc keeping what it held, calloc zeroing reused memory, allocations
 * bigger than a chunk, and nesting. */
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "cmark_arena.h"
#include "unit.h"

static char *S_render(const char *md)
{
	cmark_arena_enter();
	cmark_parser *p = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, &cmark_arena_mem);
	cmark_parser_feed(p, md, strlen(md));
	cmark_node *doc = cmark_parser_finish(p);
	/* A node of toivo's own, linked into the arena's tree. */
	cmark_node *c = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &cmark_arena_mem);
	cmark_node_set_on_enter(c, "<hr class=\"x\">");
	int linked = cmark_node_append_child(doc, c);
	char *html = cmark_render_html_with_mem(doc, CMARK_OPT_DEFAULT, NULL, cmark_get_default_mem_allocator());
	cmark_node_free(doc);
	cmark_parser_free(p);
	cmark_arena_leave();
	unit_check(linked == 1, "a node made in the arena links into its tree");
	return html;
}

int main(void)
{
	/* The same Markdown renders the same in the arena as with malloc,
	 * twice over (the second time in the emptied, reused chunk). */
	const char *md = "# Otsikko\n\n*Toipuminen* on `polku`.\n\n- yksi\n- kaksi\n";
	char *plain = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT);
	for (int round = 0; round < 2; round++) {
		char *html = S_render(md);
		unit_check(!strncmp(html, plain, strlen(plain)) && strstr(html, "<hr class=\"x\">"),
			   round ? "the reused arena renders the same" : "a page parsed in the arena renders as with malloc");
		free(html);
	}
	free(plain);

	/* A big page: strings grow far past one chunk. */
	size_t n = 3u << 20;
	char *big = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		big[i] = i % 80 == 79 ? '\n' : 'a' + (char)(i % 26);
	big[n] = '\0';
	char *html = S_render(big);
	unit_check(html && strlen(html) > n, "3 MB of Markdown in the arena");
	free(html);
	free(big);

	/* realloc keeps the bytes, in place or moved; calloc zeroes. */
	cmark_arena_enter();
	char *a = cmark_arena_mem.calloc(1, 10);
	memcpy(a, "toipuminen", 10);
	char *other = cmark_arena_mem.calloc(1, 8);
	memset(other, 0x5a, 8);
	a = cmark_arena_mem.realloc(a, 5000);
	unit_check(!memcmp(a, "toipuminen", 10), "a moved realloc keeps the bytes");
	char *b = cmark_arena_mem.realloc(a, 9000);
	unit_check(b == a && !memcmp(b, "toipuminen", 10), "the newest allocation grows in place");
	cmark_arena_enter();
	cmark_arena_leave();
	unit_check(other[0] == 0x5a, "an inner leave does not empty the arena");
	cmark_arena_leave();
	cmark_arena_enter();
	unsigned char *z = cmark_arena_mem.calloc(64, 4);
	int zero = 1;
	for (int i = 0; i < 256; i++)
		zero &= z[i] == 0;
	unit_check(zero, "calloc zeroes memory the arena used before");
	cmark_arena_leave();
	return unit_done();
}
