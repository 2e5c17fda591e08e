/* plaintext_test.c - a page's plain text for search: text pieces from the
 * tree, HTML fragments from hooks, and the h2/h3 sections between them. */
#include <stdbool.h>
#include <string.h>

#include "plaintext.h"
#include "unit.h"

int main(void)
{
	/* Text from the tree: white space collapses, no space at the start,
	 * U+00A0 is a space and a soft hyphen vanishes. */
	struct plaintext x = { 0 };
	plaintext_add(&x, "  Toipumisen\n  polku");
	plaintext_break(&x);
	plaintext_add(&x, "vertais\xc2\xad" "tuki\xc2\xa0ja");
	plaintext_add(&x, "<b>&amp;");
	unit_str(x.text.data, "Toipumisen polku vertaistuki ja<b>&amp;", "tree text: spaces collapsed, nbsp and soft hyphen, no markup read");
	plaintext_free(&x);

	/* Runs of spaces inside a text, at its end and before markup: one
	 * space each, none at the end, none before a heading's end. */
	plaintext_add(&x, "yksi  kaksi   kolme \t");
	plaintext_add(&x, "nelj\xc3\xa4 ");
	plaintext_heading_begin(&x, "h");
	plaintext_add(&x, "viisi  ");
	plaintext_heading_end(&x);
	plaintext_html(&x, "kuusi <em>seitsem\xc3\xa4n</em>  <p>kahdeksan  </p>");
	unit_str(x.text.data, "yksi kaksi kolme nelj\xc3\xa4 viisi kuusi seitsem\xc3\xa4n kahdeksan",
		 "runs of spaces are one space, trailing ones are due only when text follows");
	unit_check(x.n_h == 1 && x.text.data[x.h[0].end - 1] == 'i', "a heading's span ends at its last letter, not at a space");
	plaintext_free(&x);

	/* Two spaces at every place against the eight-byte words they are
	 * looked for in, the pair split between two words too. */
	bool one = true;
	for (size_t k = 1; k < 24; k++) {
		char in[32], want[32];
		memset(in, 'a', 26);
		in[26] = '\0';
		in[k] = in[k + 1] = ' ';
		memcpy(want, in, k + 1);
		memcpy(want + k + 1, in + k + 2, 26 - k - 1);
		plaintext_add(&x, in);
		one = one && !strcmp(x.text.data, want);
		plaintext_free(&x);
	}
	unit_check(one, "two spaces in a row are one wherever they stand");

	/* A heading's span covers its words only, and the words after it are
	 * a new word even without white space. */
	plaintext_add(&x, "Alku");
	plaintext_heading_begin(&x, "tulokset");
	plaintext_add(&x, "Tulokset");
	plaintext_heading_end(&x);
	plaintext_add(&x, "Loppu");
	unit_str(x.text.data, "Alku Tulokset Loppu", "a heading is its own words");
	unit_check(x.n_h == 1 && !strcmp(x.h[0].id, "tulokset"), "the heading keeps its id");
	unit_check(x.n_h == 1 && x.text.data[x.h[0].end - 1] == 't' && x.h[0].end - x.h[0].start <= 9 &&
		   strstr(x.text.data + x.h[0].start, "Tulokset") == x.text.data + x.h[0].start + (x.text.data[x.h[0].start] == ' '),
		   "the heading's span is its text");
	plaintext_free(&x);

	/* HTML from hooks: tags drop, entities decode, block tags part words,
	 * inline tags do not, svg, script and aria-hidden text is skipped. */
	plaintext_html(&x, "<p>Kuva&shy;teksti &amp; <em>koros</em>tus</p><p>toinen</p>"
		       "<svg><text>PIILO</text></svg><span aria-hidden=\"true\">PIILO</span>"
		       "<script>var a = '<p>';</script>&#228;&#x00e4;&nbsp;x");
	unit_str(x.text.data, "Kuvateksti & korostus toinen ää x", "hook HTML as text");
	plaintext_free(&x);

	/* h2/h3 in hook HTML become sections; an h2 it leaves open ends with
	 * the fragment, and an open heading of the tree is not closed by it. */
	plaintext_html(&x, "<h2 id=\"a\">Otsikko</h2>teksti<h3 id=\"b\">Auki");
	unit_check(x.n_h == 2 && !strcmp(x.h[0].id, "a") && !strcmp(x.h[1].id, "b") && !x.in_heading,
		   "hook headings are sections, an open one ends with the fragment");
	plaintext_free(&x);
	plaintext_heading_begin(&x, "c");
	plaintext_add(&x, "Puu");
	plaintext_html(&x, "<span>osa</span>");
	unit_check(x.in_heading, "a fragment inside a tree heading leaves it open");
	plaintext_heading_end(&x);
	unit_str(x.text.data, "Puuosa", "inline HTML inside a heading runs on");
	plaintext_free(&x);

	/* A space due from before and a fragment of stray bytes, each written
	 * as two: the buffer holds it all (ASan checks). */
	int fit = 1;
	for (size_t n = 1; n < 70; n++) {
		char junk[80];
		memset(junk, 0xff, n);
		junk[n] = '\0';
		plaintext_add(&x, "a");
		plaintext_break(&x);
		plaintext_html(&x, junk);
		fit &= x.text.len == 2 + 2 * n && x.text.data[1] == ' ' && x.text.data[x.text.len] == '\0';
		plaintext_free(&x);
	}
	unit_check(fit, "a due space and stray bytes, each written as two, fit the buffer");

	/* Stray bytes do not make bad UTF-8. */
	plaintext_add(&x, "a\xff" "b");
	unit_check(x.text.len >= 2 && x.text.data[0] == 'a' && x.text.data[x.text.len - 1] == 'b', "a stray byte is replaced");
	plaintext_free(&x);
	return unit_done();
}
