/* frontmatter_test.c - front matter: split from the body, typed keys,
 * errors at their line. */
#include "frontmatter.h"
#include "unit.h"
#include "value.h"

static int S_parse(struct value **fm, size_t *off, int *line, const char *text)
{
	*fm = NULL;
	return frontmatter_parse(fm, off, line, text, strlen(text), "content/x.fi.md");
}

int main(void)
{
	struct value *fm;
	size_t off;
	int line;
	const char *page = "---\ntitle: \"Otsikko\"\nweight: 3\n---\n\nTeksti.\n";
	unit_check(S_parse(&fm, &off, &line, page) == 0, "a page with front matter parses");
	unit_str(value_string(value_get(fm, "title")), "Otsikko", "the title is read");
	unit_check(value_get(fm, "weight")->u.n == 3, "the weight is a number");
	unit_str(page + off, "\nTeksti.\n", "the body starts after the closing line");
	unit_check(line == 5, "the body's first line number counts the front matter");
	value_free(fm);

	unit_check(S_parse(&fm, &off, &line, "Vain tekstiä.\n") == 0 && fm && fm->kind == V_MAP &&
		   fm->u.map.n == 0 && off == 0 && line == 1, "no front matter: an empty map and the whole body");
	value_free(fm);
	unit_check(S_parse(&fm, &off, &line, "\xef\xbb\xbf---\ntitle: x\n---\nb\n") == 0 &&
		   !strcmp(value_string(value_get(fm, "title")), "x"), "a byte order mark before the front matter is skipped");
	value_free(fm);
	unit_check(S_parse(&fm, &off, &line, "---\naliases: /fi/vanha/\n---\n") == 0 &&
		   value_get(fm, "aliases")->kind == V_LIST, "one alias as text becomes a list of one");
	value_free(fm);

	unit_capture();
	unit_check(S_parse(&fm, &off, &line, "---\ntitle: x\nTeksti ilman loppua\n") < 0, "unclosed front matter is an error");
	unit_check(strstr(unit_captured(), "content/x.fi.md:1:1: error: front matter is never closed") != NULL,
		   "the unclosed front matter is reported at its start with what to do");
	value_free(fm);
	unit_capture();
	unit_check(S_parse(&fm, &off, &line, "---\ntitle: x\nweight: kolme\ndraft: ehkä\n---\n") < 0,
		   "wrong types are errors");
	const char *msg = unit_captured();
	unit_check(strstr(msg, "content/x.fi.md:3:9: error: 'weight' must be a number") != NULL &&
		   strstr(msg, "content/x.fi.md:4:8: error: 'draft' must be true or false") != NULL,
		   "every wrong type is reported at its value");
	if (!strstr(msg, "x.fi.md:3:9"))
		printf("# %s", msg);
	value_free(fm);
	unit_capture();
	unit_check(S_parse(&fm, &off, &line, "---\nslug: a/b\n---\n") < 0 &&
		   strstr(unit_captured(), "slug 'a/b' is not one URL segment") != NULL, "a slug with a slash is refused");
	value_free(fm);
	unit_capture();
	unit_check(S_parse(&fm, &off, &line, "---\n- a\n- b\n---\n") < 0 &&
		   strstr(unit_captured(), "must be 'key: value' lines") != NULL, "a list as front matter is refused");
	value_free(fm);
	return unit_done();
}
