/* yamldoc_test.c - YAML and JSON into values: scalar types, positions,
 * errors with their line, alias bombs. */
#include "unit.h"
#include "value.h"
#include "yamldoc.h"

static void S_expect(const char *yaml, const char *json, const char *what)
{
	struct value *v = NULL;
	struct buf b = BUF_INIT;
	if (yamldoc_parse(&v, yaml, strlen(yaml), "t.yaml", 0) == 0)
		value_to_json(&b, v);
	unit_str(v ? b.data : NULL, json, what);
	value_free(v);
	buf_free(&b);
}

int main(void)
{
	S_expect("a: 1\nb: -2.5\nc: true\nd: null\ne: \"1\"\nf: '2'\ng: teksti\n",
		 "{\"a\":1,\"b\":-2.5,\"c\":true,\"d\":null,\"e\":\"1\",\"f\":\"2\",\"g\":\"teksti\"}",
		 "plain numbers, booleans and null are typed; quoted scalars stay text");
	S_expect("2018: x\n", "{\"2018\":\"x\"}", "a number as a map key is its text");
	S_expect("v: 2011-2014\nw: 1.5.2\n", "{\"v\":\"2011-2014\",\"w\":\"1.5.2\"}",
		 "year ranges and versions stay text");
	S_expect("[1, {a: [x, y]}]", "[1,{\"a\":[\"x\",\"y\"]}]", "flow collections nest");
	S_expect("{\"a\": [1, 2], \"b\": {\"c\": \"ä\"}}", "{\"a\":[1,2],\"b\":{\"c\":\"ä\"}}", "JSON is YAML");
	S_expect("", "null", "an empty document is null");
	S_expect("x: &k [1, 2]\ny: *k\n", "{\"x\":[1,2],\"y\":[1,2]}", "aliases are expanded");
	S_expect("a: |\n  rivi 1\n  rivi 2\n", "{\"a\":\"rivi 1\\nrivi 2\\n\"}", "block scalars keep their lines");

	struct value *v = NULL;
	const char *doc = "otsikko: x\nlista:\n  - yksi\n  - kaksi\n";
	yamldoc_parse(&v, doc, strlen(doc), "t.yaml", 0);
	struct value *l = value_get(v, "lista");
	unit_check(l && l->line == 3 && l->u.list.items[1]->line == 4 && l->u.list.items[1]->col == 5,
		   "values know their line and column");
	value_free(v);

	unit_capture();
	v = (struct value *)1;
	int r = yamldoc_parse(&v, "a: [1, 2\nb: 3\n", 14, "front.md", 10);
	const char *msg = unit_captured();
	unit_check(r < 0 && v == NULL, "a syntax error returns -1 and no value");
	unit_check(strstr(msg, "front.md:1") != NULL && strstr(msg, ": error: ") != NULL,
		   "the error names the file and a line moved by line_offset");
	if (!strstr(msg, "front.md:1"))
		printf("# %s", msg);

	/* A billion laughs: aliases of aliases must not expand without end. */
	const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
			   "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
			   "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
			   "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
			   "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
			   "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
			   "h: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
	unit_capture();
	r = yamldoc_parse(&v, bomb, strlen(bomb), "bomb.yaml", 0);
	msg = unit_captured();
	unit_check(r < 0 && strstr(msg, "bomb.yaml") != NULL, "an alias bomb is refused with an error");
	value_free(v);

	unit_capture();
	r = yamldoc_load(&v, "/nonexistent/toivo/x.yaml");
	msg = unit_captured();
	unit_check(r < 0 && strstr(msg, "x.yaml") != NULL, "a missing file is reported");
	return unit_done();
}
