/* keys_test.c - the suggestion for a misspelt key, and which unknown keys
 * of site.yaml and front matter are reported. */
#include "keys.h"
#include "unit.h"
#include "value.h"
#include "yamldoc.h"

static struct value *S_yaml(const char *text)
{
	struct value *v = NULL;
	if (yamldoc_parse(&v, text, strlen(text), "site.yaml", 0) < 0)
		return NULL;
	return v;
}

int main(void)
{
	unit_str(keys_suggest("titel", 1), "title", "a swapped pair of letters is one edit");
	unit_str(keys_suggest("Title", 0), "title", "case is ignored");
	unit_str(keys_suggest("baseurl", 1), "base_url", "a missing letter");
	unit_str(keys_suggest("pdf.timout", 1), "pdf.timeout", "a nested key");
	unit_str(keys_suggest("translationKey", 0), "translation_key", "Hugo's spelling finds toivo's");
	unit_check(keys_suggest("kuvaaja", 0) == NULL, "nothing near: no suggestion");
	unit_check(keys_suggest("", 1) == NULL, "an empty key: no suggestion");
	unit_check(keys_suggest("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1) == NULL,
		   "a very long key: no suggestion, no overflow");

	unit_capture();
	struct value *c = S_yaml("title: x\nmarkdown:\n  unsafe: true\n  unsaf: 1\nhooks: 3\nzzz: 1\n");
	keys_check_site(c, "site.yaml");
	const char *out = unit_captured();
	unit_check(strstr(out, "site.yaml:4:10: warning: unknown key 'markdown.unsaf' in site.yaml; did you mean 'markdown.unsafe'?") != NULL,
		   "an unknown nested key is named with its map and place");
	unit_check(strstr(out, "'zzz' in site.yaml; toivo does not read it") != NULL, "a key like none says so");
	unit_check(strstr(out, "'title'") == NULL && strstr(out, "'hooks'") == NULL,
		   "known keys and a map of the wrong kind are not reported here");
	value_free(c);

	unit_capture();
	struct value *fm = S_yaml("title: x\nslgu: a\ndata: 1\nomat: 2\nDRAFT: true\n");
	keys_check_front(fm, "content/x.fi.md");
	out = unit_captured();
	unit_check(strstr(out, "'slgu'") == NULL,
		   "a near miss of a key shorter than five letters is the page's own");
	unit_check(strstr(out, "'data'") == NULL && strstr(out, "'omat'") == NULL, "a page's own keys are not reported");
	unit_check(strstr(out, "content/x.fi.md:5:8: warning: unknown front-matter key 'DRAFT'; did you mean 'draft'?") != NULL,
		   "a known key in capitals is reported at its place");
	value_free(fm);
	keys_check_site(NULL, "site.yaml");
	keys_check_front(NULL, "x");
	return unit_done();
}
