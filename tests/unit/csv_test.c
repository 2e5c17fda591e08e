/* csv_test.c - csv_parse(): RFC 4180 details, numbers, errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "diag.h"
#include "value.h"

static int failed;

static void S_check(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	if (!cond)
		failed = 1;
}

/* Parses text and returns it as JSON (caller frees), or NULL on error. */
static char *S_json(const char *text)
{
	struct value *v;
	if (csv_parse(&v, text, strlen(text), "t.csv") < 0)
		return NULL;
	struct buf b = BUF_INIT;
	value_to_json(&b, v);
	value_free(v);
	return buf_detach(&b, NULL);
}

static void S_expect(const char *text, const char *json, const char *what)
{
	char *got = S_json(text);
	int ok = got && !strcmp(got, json);
	S_check(ok, what);
	if (!ok)
		printf("# got      %s\n# expected %s\n", got ? got : "(error)", json);
	free(got);
}

static void S_expect_error(const char *text, const char *what)
{
	int before = diag_errors();
	char *got = S_json(text);
	S_check(!got && diag_errors() > before, what);
	free(got);
}

int main(void)
{
	S_expect("a,b\n1,x\n", "[{\"a\":1,\"b\":\"x\"}]", "a simple file");
	S_expect("a,b\n1,x", "[{\"a\":1,\"b\":\"x\"}]", "no newline at the end");
	S_expect("a,b\r\n1,2\r\n", "[{\"a\":1,\"b\":2}]", "CRLF line ends");
	S_expect("\xEF\xBB\xBF" "a\n1\n", "[{\"a\":1}]", "a byte order mark is skipped");
	S_expect("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", "[{\"a\":\"x,y\",\"b\":\"say \\\"hi\\\"\"}]",
		 "quoted commas and doubled quotes");
	S_expect("a,b\n\"line\r\nbreak\",2\n", "[{\"a\":\"line\\nbreak\",\"b\":2}]",
		 "a line break inside quotes is kept (CRLF as LF)");
	S_expect("a,b,c\n,\"\",3\n", "[{\"a\":\"\",\"b\":\"\",\"c\":3}]", "empty cells are empty strings");
	S_expect("n\n-1.5\n0\n1e3\n2E-2\n", "[{\"n\":-1.5},{\"n\":0},{\"n\":1000},{\"n\":0.02}]",
		 "numbers in JSON syntax");
	S_expect("n\n007\n.5\n1.\n 1\n+1\n0x10\n\"12\"\nnan\n2011-2014\n",
		 "[{\"n\":\"007\"},{\"n\":\".5\"},{\"n\":\"1.\"},{\"n\":\" 1\"},{\"n\":\"+1\"},"
		 "{\"n\":\"0x10\"},{\"n\":\"12\"},{\"n\":\"nan\"},{\"n\":\"2011-2014\"}]",
		 "only whole unquoted numbers become numbers");
	S_expect("a\n\n1\n\n", "[{\"a\":1}]", "empty lines are skipped");
	S_expect("b,a\n1,2\n", "[{\"b\":1,\"a\":2}]", "keys keep the header order");
	S_expect_error("a,b,c\n1,2\n", "a short row is an error");
	S_expect_error("a,b\n1,2,3\n", "a long row is an error");
	S_expect_error("a,b\n\"open,2\n", "an unterminated quote is an error");
	S_expect_error("a,b\n\"x\"y,2\n", "text after a closing quote is an error");
	S_expect_error("a,a\n1,2\n", "a duplicate column name is an error");
	S_expect_error("a,\n1,2\n", "an empty column name is an error");
	S_expect_error("", "an empty file is an error");

	/* The line of the error: the row on line 3. */
	struct buf cap = BUF_INIT;
	diag_capture(&cap);
	diag_set_quiet_warnings(1);
	struct value *v;
	csv_parse(&v, "a,b\n1,2\n3\n", 10, "r.csv");
	diag_capture(NULL);
	S_check(strstr(cap.data, "r.csv:3: error: row has 1 field, the header has 2") != NULL,
		"a ragged row is reported with its line and the counts");
	buf_free(&cap);

	/* Record lines follow quoted line breaks. */
	if (csv_parse(&v, "a\n\"x\ny\"\n2\n", 10, "l.csv") == 0) {
		S_check(v->u.list.n == 2 && v->u.list.items[1]->line == 4, "record lines count quoted line breaks");
		value_free(v);
	} else {
		S_check(0, "record lines count quoted line breaks");
	}
	return failed;
}
