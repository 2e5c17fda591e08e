/* search_text.h - a page's content HTML as plain text for the search
 * index: tags dropped, entities decoded, hidden and graphic elements
 * skipped, h2/h3 headings marked with their ids.  Used by search.c only. */
#ifndef TOIVO_SEARCH_TEXT_H
#define TOIVO_SEARCH_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

struct heading {
	size_t start, end;      /* bytes of the text */
	char *id;
};

/* The text is written straight into text->data, sized beforehand (see
 * search_text_extract), through the pointer o; text->len is set at the end. */
struct extract {
	struct buf *text;
	char *o;                /* where the next byte of text goes */
	bool space;             /* a space is due before the next character */
	struct heading *h;
	size_t n_h, cap_h;
	bool in_heading;
};

/* Fills x (x->text a buffer to write into, the rest zeroed) from html;
 * the caller frees x->h and each heading's id. */
void search_text_extract(struct extract *x, const char *html);

#endif
