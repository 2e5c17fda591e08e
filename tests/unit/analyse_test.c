/* analyse_test.c - analyser_terms(): Finnish base forms and compound parts
 * through Voikko, the Snowball fallback for words Voikko does not know,
 * English stems, a language without a stemmer, and analyse_lower(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"
#include "buf.h"

static int failed;

static void S_check(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	if (!cond)
		failed = 1;
}

/* Whether term stands among the space-separated terms. */
static int S_has(const char *terms, const char *term)
{
	size_t n = strlen(term);
	for (const char *p = terms; *p;) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);
		if (len == n && !strncmp(p, term, n))
			return 1;
		p += len + (sp != NULL);
	}
	return 0;
}

/* The terms of word must include each of want (NULL-terminated) and,
 * when not NULL, must not include unwanted. */
static void S_expect(struct analyser *a, const char *word, const char *const *want, const char *unwanted)
{
	struct buf b = BUF_INIT;
	int n = analyser_terms(a, &b, word, strlen(word), NULL);
	const char *terms = b.data ? b.data : "";
	int ok = n > 0;
	for (size_t i = 0; want[i]; i++)
		ok = ok && S_has(terms, want[i]);
	if (unwanted)
		ok = ok && !S_has(terms, unwanted);
	char what[200];
	snprintf(what, sizeof what, "%s -> %s", word, want[0]);
	S_check(ok, what);
	if (!ok)
		printf("# got \"%s\" (%d terms)\n", terms, n);
	buf_free(&b);
}

#define TERMS(...) ((const char *const[]){ __VA_ARGS__, NULL })

int main(void)
{
	struct analyser *fi = NULL, *en = NULL, *xx = NULL;
	const char *why = NULL;
	S_check(analyser_new(&fi, "fi", &why) == 0 && fi, "a Finnish analyser (Voikko with voikko-fi)");
	if (!fi) {
		printf("# %s\n", why ? why : "?");
		return 1;
	}
	S_check(analyser_method(fi) == ANALYSE_VOIKKO, "Finnish is analysed with Voikko");
	S_expect(fi, "kokemusasiantuntijoiden", TERMS("kokemusasiantuntija", "kokemus", "asiantuntija"), NULL);
	S_expect(fi, "asumispalveluissa", TERMS("asumispalvelu", "palvelu"), "asumispalveluissa");
	S_expect(fi, "asiantuntijat", TERMS("asiantuntija"), NULL);
	S_expect(fi, "sairauden", TERMS("sairaus"), NULL);
	S_expect(fi, "sairaus", TERMS("sairaus"), NULL);
	S_expect(fi, "porin", TERMS("pori"), NULL);
	S_expect(fi, "toipumisorientaatio", TERMS("toipumisorientaatio", "orientaatio"), NULL);
	S_expect(fi, "työtä", TERMS("työ"), NULL);
	S_expect(fi, "on", TERMS("olla"), NULL);
	S_expect(fi, "2011", TERMS("2011"), NULL);
	/* Not in Voikko's dictionary: the Snowball Finnish stem. */
	S_expect(fi, "zxqvorientaatioissa", TERMS("zxqvorientaatio"), NULL);
	{
		struct buf b = BUF_INIT;
		int whole = -1;
		int n = analyser_terms(fi, &b, "kokemusasiantuntijoiden", 23, &whole);
		S_check(whole == 1 && !strncmp(b.data, "kokemusasiantuntija ", 20),
			"the whole word's base form comes first, then the parts");
		int k = 1;
		for (size_t i = 0; i < b.len; i++)
			k += b.data[i] == ' ';
		S_check(n == k, "the count returned is the number of terms written");
		int once = !strstr(b.data, "kokemusasiantuntija kokemusasiantuntija");
		S_check(once, "each term once");
		buf_free(&b);
	}
	{
		/* Longer than any word: the word stands, no analysis. */
		char longw[120];
		memset(longw, 'a', sizeof longw - 1);
		longw[sizeof longw - 1] = '\0';
		struct buf b = BUF_INIT;
		int n = analyser_terms(fi, &b, longw, strlen(longw), NULL);
		S_check(n == 1 && b.len == strlen(longw), "a 119-letter word is its own term");
		buf_free(&b);
	}

	S_check(analyser_new(&en, "en", &why) == 0 && en && analyser_method(en) == ANALYSE_SNOWBALL,
		"English is analysed with Snowball");
	if (en) {
		S_expect(en, "services", TERMS("servic"), NULL);
		S_expect(en, "service", TERMS("servic"), NULL);
		S_expect(en, "plans", TERMS("plan"), NULL);
		S_expect(en, "experts", TERMS("expert"), NULL);
		S_expect(en, "housing", TERMS("hous"), NULL);
	}
	S_check(analyser_new(&xx, "xx", &why) == 0 && xx && analyser_method(xx) == ANALYSE_WORD,
		"a language without a stemmer keeps its words");
	if (xx)
		S_expect(xx, "wörter", TERMS("wörter"), NULL);

	struct buf b = BUF_INIT;
	analyse_lower(&b, "ÄÖÅ Ünïcödé ŁÓDŹ ΑΒΓ ДЖ İ\xff", strlen("ÄÖÅ Ünïcödé ŁÓDŹ ΑΒΓ ДЖ İ\xff"));
	S_check(!strcmp(b.data, "äöå ünïcödé łódź αβγ дж i\xff"), "analyse_lower: Latin, Greek, Cyrillic, a stray byte");
	if (strcmp(b.data, "äöå ünïcödé łódź αβγ дж i\xff"))
		printf("# got %s\n", b.data);
	buf_free(&b);

	analyser_free(fi);
	analyser_free(en);
	analyser_free(xx);
	return failed;
}
