/* value_test.c - value trees: maps in order, paths, truthiness, text and
 * JSON forms, copies and borrowed subtrees. */
#include "unit.h"
#include "value.h"

static char *S_json(const struct value *v)
{
	struct buf b = BUF_INIT;
	value_to_json(&b, v);
	return buf_detach(&b, NULL);
}

static void S_text(const struct value *v, const char *want, const char *what)
{
	struct buf b = BUF_INIT;
	value_to_text(&b, v);
	unit_str(b.data, want, what);
	buf_free(&b);
}

int main(void)
{
	struct value *m = value_map();
	value_set_str(m, "b", "kaksi");
	value_set_num(m, "a", 1);
	value_set_bool(m, "c", true);
	value_set_num(m, "b", 2);
	char *j = S_json(m);
	unit_str(j, "{\"b\":2,\"a\":1,\"c\":true}", "maps keep insertion order; setting a key again replaces it in place");
	free(j);

	struct value *page = value_map();
	struct value *params = value_map();
	value_set_str(params, "title", "Otsikko");
	value_set(page, "params", params);
	value_set(m, "page", page);
	unit_str(value_string(value_path(m, "page.params.title")), "Otsikko", "value_path follows dots");
	unit_check(value_path(m, "page.nothing.title") == NULL && value_path(m, "b.x") == NULL,
		   "value_path is NULL through a missing key or a non-map");
	unit_check(value_get(NULL, "x") == NULL && value_get(value_get(m, "a"), "x") == NULL,
		   "value_get on NULL or a number is NULL");
	unit_check(value_string(value_get(m, "a")) == NULL, "value_string of a number is NULL");

	struct value *e = value_list();
	struct value *z = value_num(0), *es = value_str(""), *n = value_null(), *f = value_bool(false);
	unit_check(!value_truthy(NULL) && !value_truthy(n) && !value_truthy(f) && !value_truthy(es) &&
		   !value_truthy(e) && value_truthy(z), "truthiness: null, false, \"\" and [] are false, 0 is true");
	value_push(e, value_str("x"));
	unit_check(value_truthy(e), "a list with an item is true");

	S_text(z, "0", "0 as text");
	struct value *x = value_num(2.5);
	S_text(x, "2.5", "a fraction is written shortest");
	value_free(x);
	x = value_num(1e21);
	S_text(x, "1e+21", "a large number keeps its exponent");
	value_free(x);
	x = value_num(-3);
	S_text(x, "-3", "a negative whole number has no decimals");
	value_free(x);
	S_text(n, "", "null is empty text");
	S_text(f, "false", "false as text");

	struct buf b = BUF_INIT;
	static const char js[] = "a\"b\\c\n\t</script>\xe2\x80\xa8";
	value_json_string(&b, js, sizeof js - 1);
	unit_str(b.data, "\"a\\\"b\\\\c\\n\\u0009\\u003c/script>\\u2028\"",
		 "JSON strings escape quotes, control bytes, '<' and U+2028 (safe inside <script>)");
	buf_free(&b);
	struct value *bin = value_strn("a\0b", 3);
	j = S_json(bin);
	unit_str(j, "\"a\\u0000b\"", "a NUL byte in a string is escaped");
	free(j);
	value_free(bin);

	struct value *c = value_copy(m);
	value_set_str(value_get(c, "page"), "new", "x");
	unit_check(value_get(value_get(m, "page"), "new") == NULL && value_get(c, "a")->u.n == 1,
		   "value_copy is deep: changing the copy leaves the original");
	value_free(c);

	/* A borrowed subtree shared by two parents is freed by neither. */
	struct value *shared = value_borrow(value_str("yhteinen"));
	struct value *p1 = value_list(), *p2 = value_list();
	value_push(p1, shared);
	value_push(p2, shared);
	value_free(p1);
	value_free(p2);
	unit_str(value_string(shared), "yhteinen", "a borrowed value outlives its parents");
	shared->borrowed = false;
	value_free(shared);
	value_free(NULL);
	unit_check(1, "value_free(NULL) is harmless");

	value_free(z);
	value_free(es);
	value_free(n);
	value_free(f);
	value_free(e);
	value_free(m);
	return unit_done();
}
