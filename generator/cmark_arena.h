/* cmark_arena.h - an arena for cmark-gfm's parser and trees: every
 * calloc and realloc cmark makes between cmark_arena_enter and the
 * matching cmark_arena_leave (on one thread) is bump-allocated, free does
 * nothing, and the last leave empties it all.  Nodes must all come from
 * one allocator to be linked: make them with cmark_node_new_with_mem.
 * Render HTML with another allocator (cmark_render_html_with_mem) when
 * the string must outlive the leave. */
#ifndef TOIVO_CMARK_ARENA_H
#define TOIVO_CMARK_ARENA_H

#include <cmark-gfm.h>

extern cmark_mem cmark_arena_mem;
/* Enter before the parser is made; leave after the tree and the parser
 * are freed.  Nesting is counted: only the outermost leave empties. */
void cmark_arena_enter(void);
void cmark_arena_leave(void);

#endif
