/* plaintext.h - a page's plain text with its sections, as the search
 * index reads it: white space collapsed to single spaces, h2/h3 headings
 * marked with their ids.  markdown.c fills it while it walks cmark-gfm's
 * tree (plaintext_add, plaintext_break, the heading pair); the HTML that
 * hooks and raw HTML put into a page goes through plaintext_html, which
 * drops tags, decodes entities and skips hidden and graphic elements. */
#ifndef TOIVO_PLAINTEXT_H
#define TOIVO_PLAINTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct plaintext_heading {
	size_t start, end;      /* bytes of the text */
	char *id;
};

/* Zero it to start; plaintext_free frees what it holds. */
struct plaintext {
	struct buf text;
	struct plaintext_heading *h;
	size_t n_h, cap_h;
	bool space;             /* a space is due before the next character */
	bool in_heading;
	char *o;                /* inside the functions: where the next byte goes */
};

/* Appends the text of s (already plain: no tags, no entities). */
void plaintext_add(struct plaintext *x, const char *s);
/* A boundary between blocks: the next text is a new word. */
void plaintext_break(struct plaintext *x);
/* Starts and ends an h2/h3 heading with id (copied); its text goes in
 * between.  A heading still open at plaintext_html's h2/h3 is left alone. */
void plaintext_heading_begin(struct plaintext *x, const char *id);
void plaintext_heading_end(struct plaintext *x);
/* Appends the text of an HTML fragment; its h2/h3 headings with an id
 * become sections too. */
void plaintext_html(struct plaintext *x, const char *html);
void plaintext_free(struct plaintext *x);

#endif
