/* template_test.c - the Mustache engine: escaping, sections, partials,
 * inheritance, errors with their place, a partial that includes itself. */
#include "template.h"
#include "unit.h"
#include "value.h"
#include "yamldoc.h"

/* Templates come from a small in-memory folder "t/". */
static const char *const files[][2] = {
	{ "t/item.mustache", "<li>{{name}}</li>\n" },
	{ "t/base.mustache", "<h1>{{$title}}Oletus{{/title}}</h1>\n{{$body}}{{/body}}\n" },
	{ "t/page.mustache", "{{<base}}{{$title}}{{page}}{{/title}}{{$body}}<p>sisältö</p>{{/body}}{{/base}}" },
	{ "t/loop.mustache", "x{{> loop}}" },
	{ "t/broken.mustache", "rivi 1\n  {{#open}}\n" },
	{ "t/missing.mustache", "a\n{{> nowhere}}\n" },
};

static int S_read(void *ud, const char *path, char **text, size_t *len)
{
	(void)ud;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		if (!strcmp(path, files[i][0])) {
			*text = strdup(files[i][1]);
			*len = strlen(files[i][1]);
			return 0;
		}
	return -1;
}

static struct value *S_data(const char *yaml)
{
	struct value *v = NULL;
	yamldoc_parse(&v, yaml, strlen(yaml), "data.yaml", 0);
	return v;
}

/* Renders text (added as "in") with data; the output, or NULL on error. */
static char *S_render(struct tpl_cache *c, const char *text, const char *yaml)
{
	const struct tpl *t = tpl_cache_add(c, "in", text, strlen(text));
	if (!t)
		return NULL;
	struct value *v = S_data(yaml);
	struct buf b = BUF_INIT;
	int r = tpl_render(&b, t, v);
	value_free(v);
	if (r < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static void S_expect(const char *text, const char *yaml, const char *want, const char *what)
{
	struct tpl_cache *c = tpl_cache_new(S_read, NULL, false);
	char *got = S_render(c, text, yaml);
	unit_str(got, want, what);
	free(got);
	tpl_cache_free(c);
}

int main(void)
{
	S_expect("{{a}} {{{a}}} {{&a}}", "a: \"<b>&'\\\"\"", "&lt;b&gt;&amp;&#39;&quot; <b>&'\" <b>&'\"",
		 "{{x}} escapes HTML, {{{x}}} and {{&x}} do not");
	S_expect("{{a.b.c}}|{{a.x.c}}|{{missing}}", "a: {b: {c: 7}}", "7||", "dotted names; missing is empty");
	S_expect("{{#l}}[{{.}}]{{/l}}{{^l}}tyhjä{{/l}}", "l: [1, 2, 3]", "[1][2][3]", "a section repeats over a list");
	S_expect("{{#l}}x{{/l}}{{^l}}tyhjä{{/l}}", "l: []", "tyhjä", "an inverted section shows for an empty list");
	S_expect("{{#m}}{{n}}/{{top}}{{/m}}", "{m: {n: 1}, top: 2}", "1/2", "names are looked up down the context stack");
	S_expect("{{#z}}zero is true{{/z}}", "z: 0", "zero is true", "0 is truthy");
	S_expect("{{=<% %>=}}<% a %>{{a}}", "a: 1", "1{{a}}", "set delimiters");
	S_expect("a\n  {{#s}}\nb\n  {{/s}}\nc\n", "s: true", "a\nb\nc\n", "standalone section lines disappear");
	S_expect("{{! a comment }}x", "{}", "x", "comments render nothing");

	/* Partials and parents from files, as the theme loads them. */
	struct tpl_cache *c = tpl_cache_new(S_read, NULL, true);
	tpl_cache_add_dir(c, "t", NULL);
	char *got = S_render(c, "<ul>\n{{#l}}\n{{> item}}\n{{/l}}\n</ul>\n", "l: [{name: a}, {name: b}]");
	unit_str(got, "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n", "a partial from a folder, once per item");
	free(got);
	const struct tpl *page = tpl_cache_load(c, "t/page.mustache");
	struct value *v = S_data("page: Otsikko");
	struct buf b = BUF_INIT;
	unit_check(page && tpl_render(&b, page, v) == 0, "a template with a parent loads and renders");
	unit_str(b.data, "<h1>Otsikko</h1>\n<p>sisältö</p>\n", "blocks replace the parent's defaults");
	value_free(v);

	/* A partial that includes itself: loading is fine, rendering fails
	 * once, with the place. */
	const struct tpl *loop = tpl_cache_load(c, "t/loop.mustache");
	buf_reset(&b);
	unit_capture();
	int r = loop ? tpl_render(&b, loop, NULL) : 0;
	const char *msg = unit_captured();
	unit_check(loop && r < 0, "a partial including itself fails to render, it does not hang");
	unit_check(strstr(msg, "t/loop.mustache:1:2: error: partials nested more than 100 deep") != NULL,
		   "the error names the partial's file, line and column");
	const char *second = strstr(msg, "error");
	unit_check(second && !strstr(second + 1, "error"), "the error is reported once, not once per level");

	unit_capture();
	unit_check(tpl_cache_load(c, "t/broken.mustache") == NULL, "an unclosed section does not load");
	msg = unit_captured();
	unit_check(strstr(msg, "t/broken.mustache:2:3: error:") != NULL, "the unclosed section is named at its line and column");
	if (!strstr(msg, "t/broken.mustache:2:3"))
		printf("# %s", msg);
	unit_capture();
	unit_check(tpl_cache_load(c, "t/missing.mustache") == NULL, "a strict cache refuses a missing partial");
	msg = unit_captured();
	unit_check(strstr(msg, "t/missing.mustache:2:1: error:") != NULL && strstr(msg, "nowhere") != NULL,
		   "the missing partial is named where it is included");
	if (!strstr(msg, "t/missing.mustache:2:1"))
		printf("# %s", msg);
	buf_free(&b);
	tpl_cache_free(c);
	return unit_done();
}
