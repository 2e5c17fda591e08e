/* fuzz_template.c - libFuzzer target: a Mustache template and its data.
 *
 * The input is TEMPLATE NUL DATA: the template is added to a non-strict
 * cache under the name "p" (so {{> p}} includes itself), beside a fixed
 * partial "q" and a parent "base"; DATA is parsed as YAML / JSON (an empty
 * map when it does not parse) and the template is rendered with it. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "template.h"
#include "value.h"
#include "yamldoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int S_read(void *ud, const char *path, char **text, size_t *len)
{
	(void)ud;
	(void)path;
	(void)text;
	(void)len;
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	const char *nul = memchr(in, 0, size);
	size_t tlen = nul ? (size_t)(nul - in) : size;
	struct value *ctx = NULL;
	diag_reset();
	if (!nul || yamldoc_parse(&ctx, nul + 1, size - tlen - 1, "fuzz.yaml", 0) < 0)
		ctx = value_map();
	struct tpl_cache *c = tpl_cache_new(S_read, NULL, false);
	static const char q[] = "[{{.}}|{{#list}}{{name}}{{/list}}{{> p}}]";
	static const char base[] = "<b>{{$a}}A{{/a}}{{$b}}B{{/b}}{{> q}}</b>";
	tpl_cache_add(c, "q", q, sizeof q - 1);
	tpl_cache_add(c, "base", base, sizeof base - 1);
	const struct tpl *t = tpl_cache_add(c, "p", in, tlen);
	if (t) {
		struct buf out = BUF_INIT;
		tpl_render(&out, t, ctx);
		buf_free(&out);
	}
	tpl_cache_free(c);
	value_free(ctx);
	return 0;
}
