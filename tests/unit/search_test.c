/* search_test.c - a page's words for the search index: folding, which
 * pages are searched, the words of the title, headings and body with
 * their weights and best sections, and the record kept for snippets. */
#include <stdlib.h>
#include <unistd.h>

#include "plaintext.h"
#include "search.h"
#include "search_impl.h"
#include "site.h"
#include "spool.h"
#include "unit.h"
#include "util.h"

static char *root;

static void S_fold(const char *in, const char *want)
{
	struct buf b = BUF_INIT;
	search_fold(&b, in, strlen(in));
	char what[120];
	snprintf(what, sizeof what, "search_fold(\"%s\")", in);
	unit_str(b.data ? b.data : "", want, what);
	buf_free(&b);
}

/* The hit of form w on page d, or NULL. */
static const struct search_hit *S_hit(const struct search *ix, const struct search_doc *d, const char *w)
{
	const struct lang_index *li = &ix->lang[d->lang];
	for (size_t k = 0; k < d->n_hit; k++) {
		uint32_t f = d->hit[k].form;
		const struct strset *set = &li->stripe[f & (FORM_STRIPES - 1)].forms;
		if (!strcmp(search_str(set, f >> FORM_STRIPE_BITS), w))
			return &d->hit[k];
	}
	return NULL;
}

/* The hash as it was first written, a byte at a time from the length:
 * the index's layout depends on it, so the hash made while a word is read
 * must be this one. */
static uint32_t S_ref_hash(const char *w, size_t len)
{
	uint64_t h = len;
	for (size_t i = 0; i < len; i++)
		h = ((h << 5) | (h >> 59)) ^ (unsigned char)w[i];
	h *= 0x9e3779b97f4a7c15u;
	return (uint32_t)(h >> 32);
}

/* Every form of d is stored with the hash of its bytes. */
static bool S_hashes_right(const struct search *ix, const struct search_doc *d)
{
	const struct lang_index *li = &ix->lang[d->lang];
	for (size_t k = 0; k < d->n_hit; k++) {
		uint32_t f = d->hit[k].form;
		const struct strset *set = &li->stripe[f & (FORM_STRIPES - 1)].forms;
		uint32_t i = f >> FORM_STRIPE_BITS;
		const char *w = search_str(set, i);
		if (search_strlen(set, i) != strlen(w) || set->hash[i] != S_ref_hash(w, strlen(w)))
			return false;
	}
	return true;
}

/* search_keep_best against what it replaced: a stable sort by score, the
 * first max kept, sorted again by page. */
static int S_by_score(const void *a, const void *b)
{
	const struct posting *x = a, *y = b;
	if (x->tf != y->tf)
		return (int)y->tf - (int)x->tf;
	return x->page < y->page ? -1 : x->page > y->page;   /* stable: page order */
}
static int S_by_page(const void *a, const void *b)
{
	const struct posting *x = a, *y = b;
	return x->page < y->page ? -1 : x->page > y->page;
}
static bool S_keep_best_ok(size_t n, size_t max, unsigned spread, unsigned seed)
{
	struct posting *got = malloc(n * sizeof *got), *want = malloc(n * sizeof *want);
	srand(seed);
	for (size_t k = 0; k < n; k++) {
		unsigned r = (unsigned)rand();
		/* Scores with many ties, across both bytes of the score. */
		uint16_t tf = (uint16_t)(spread > 256 ? r % spread : (r % spread) * 257);
		got[k] = want[k] = (struct posting){ .page = (uint32_t)(3 * k + 1), .tf = tf, .sec = (uint16_t)(r >> 20) };
	}
	size_t m = search_keep_best(got, n, max);
	qsort(want, n, sizeof *want, S_by_score);
	qsort(want, max, sizeof *want, S_by_page);
	bool ok = m == max && !memcmp(got, want, max * sizeof *got);
	free(got);
	free(want);
	return ok;
}

int main(void)
{
	char word[80];
	bool same = true;
	for (size_t n = 0; n < sizeof word; n++) {
		same = same && search_hash(word, n) == S_ref_hash(word, n);
		word[n] = (char)('a' + n % 26);
	}
	unit_check(same, "search_hash, made of search_hash_step and search_hash_end, is the hash seeded with the length, at every length");

	bool kept = true;
	for (unsigned seed = 1; seed <= 40; seed++)
		kept = kept && S_keep_best_ok(1501 + seed * 97, 1500, seed % 4 == 0 ? 3 : seed % 4 == 1 ? 200 : 65536, seed) &&
		       S_keep_best_ok(10, 3, seed % 3 + 1, seed);
	unit_check(kept, "search_keep_best keeps the postings a stable sort by score keeps, in page order, ties at the cut to the first pages");

	/* Folding as search.js folds a query: case and accents go. */
	S_fold("Äiti ÖLJY", "aiti oljy");
	S_fold("Straße Æble Œuvre", "strasse aeble oeuvre");
	S_fold("Šekki 12", "sekki 12");

	char tmpl[] = "/tmp/toivo-search.XXXXXX";
	root = mkdtemp(tmpl);
	unit_file(root, "site.yaml", "title: Testi\nlanguages: [fi]\ndefault_language: fi\nbase_url: \"https://example.org/\"\n");
	unit_file(root, "content/_index.fi.md", "---\ntitle: Koti\n---\n");
	unit_file(root, "content/mod/_index.fi.md", "---\ntitle: Moduuli\n---\n");
	unit_file(root, "content/mod/a.fi.md", "---\ntitle: Toipumisen polku\n---\n");
	unit_file(root, "content/mod/piilo.fi.md", "---\ntitle: Piilo\nsearch: false\n---\n");
	struct site *s = site_load(root);
	unit_check(s && site_link(s) == 0, "the site loads");
	if (!s)
		return unit_done();
	struct spool *sp = spool_new(root);
	struct search *ix = NULL;
	unit_check(search_new(&ix, s, sp) == 0, "the Finnish analyser is made");
	struct page *a = site_find_src(s, "content/mod/a.fi.md");
	struct page *hidden = site_find_src(s, "content/mod/piilo.fi.md");
	unit_check(a && hidden && search_wants(ix, a) && !search_wants(ix, hidden) && !search_wants(NULL, a),
		   "a page is searched unless it says 'search: false' or there is no index");

	/* Body, a heading (section 1), body again. */
	struct plaintext t = { 0 };
	plaintext_add(&t, "Kokemusasiantuntija kertoo toipumisesta.");
	plaintext_heading_begin(&t, "tulokset");
	plaintext_add(&t, "Tulokset ja polku");
	plaintext_heading_end(&t);
	plaintext_add(&t, "Polku jatkuu. Ja x.");
	struct search_doc *d = a ? search_page(ix, a, &t) : NULL;
	unit_check(d != NULL, "the page gives a search document");
	if (d) {
		/* 2 title words (the title counts too), 3 + 3 + 4 in the text. */
		unit_check(d->words == 2 + 3 + 3 + 4, "every word is counted, one-letter words too");
		const struct search_hit *polku = S_hit(ix, d, "polku");
		const struct search_hit *tulokset = S_hit(ix, d, "tulokset");
		const struct search_hit *kertoo = S_hit(ix, d, "kertoo");
		unit_check(polku && polku->tf == 5 + 3 + 1, "a word weighs 5 in the title, 3 in a heading, 1 in the text");
		unit_check(polku && polku->sec == 1 && tulokset && tulokset->sec == 1 && kertoo && kertoo->sec == 0,
			   "a word's best section is the heading it stands in, else where it first stands");
		unit_check(S_hit(ix, d, "x") == NULL && S_hit(ix, d, "Polku") == NULL,
			   "one-letter words are not indexed; forms are lower case");
		char *rec = spool_get(sp, d->record, NULL);
		unit_check(rec && strstr(rec, "\"Toipumisen polku\"") && strstr(rec, "\"mod/a/index.html\"") &&
			   strstr(rec, "[\"Tulokset ja polku\",\"tulokset\",\"Polku jatkuu. Ja x.\"]"),
			   "the record holds the title, the URL and each section's heading, id and text");
		free(rec);
	}
	unit_check(d && S_hashes_right(ix, d), "each form is stored with its hash, made as the word was read");
	search_doc_free(d);
	plaintext_free(&t);

	/* Words with letters past ASCII, lower-cased a character at a time. */
	struct plaintext u = { 0 };
	plaintext_add(&u, "Ääni ÄÄNI äänekäs, Straße; ÖLJYÄ.");
	d = a ? search_page(ix, a, &u) : NULL;
	const struct search_hit *aani = d ? S_hit(ix, d, "ääni") : NULL;
	unit_check(aani && aani->tf == 2 && S_hit(ix, d, "öljyä") && S_hit(ix, d, "straße") && S_hit(ix, d, "äänekäs"),
		   "a word past ASCII is lower-cased as it is read, and its cases are one form");
	unit_check(d && S_hashes_right(ix, d), "a form past ASCII is stored with the hash of its lower-case bytes");
	search_doc_free(d);
	plaintext_free(&u);

	/* Words read eight ASCII bytes at a time: every length around the
	 * eight, with a letter past ASCII at every place or none, between
	 * other words and alone at the text's very end. */
	bool found = true, hashed = true;
	for (size_t n = 2; n <= 19 && found && hashed; n++) {
		for (size_t at = 0; at <= n && found && hashed; at++) {
			static const char abc[] = "AbCdEfGh0IjKlMn9OpQrSt";
			struct buf w = BUF_INIT, low = BUF_INIT;
			for (size_t k = 0; k < n; k++) {
				if (k == at) {
					buf_puts(&w, k % 2 ? "Ä" : "ö");
					buf_puts(&low, k % 2 ? "ä" : "ö");
				} else {
					buf_putc(&w, abc[k]);
					buf_putc(&low, (char)(abc[k] >= 'A' && abc[k] <= 'Z' ? abc[k] + 32 : abc[k]));
				}
			}
			for (int alone = 0; alone < 2; alone++) {
				struct plaintext v = { 0 };
				char *text = alone ? xstrdup(w.data) : xasprintf("Yksi %s, kaksi.%s kolme", w.data, w.data);
				plaintext_add(&v, text);
				d = a ? search_page(ix, a, &v) : NULL;
				const struct search_hit *hit = d ? S_hit(ix, d, low.data) : NULL;
				found = found && hit && hit->tf == (alone ? 1 : 2) && d->words == (alone ? 3 : 7);
				hashed = hashed && d && S_hashes_right(ix, d);
				if (!found || !hashed)
					printf("# %s (%s): %s\n", text, low.data, !found ? "not found as one form" : "hash differs");
				free(text);
				search_doc_free(d);
				plaintext_free(&v);
			}
			buf_free(&w);
			buf_free(&low);
		}
	}
	unit_check(found, "a word of 2 to 19 letters, one past ASCII anywhere or none, is one form wherever it stands");
	unit_check(hashed, "...stored with the hash of its bytes read one at a time");

	/* A page with no text at all (only front matter). */
	struct plaintext empty = { 0 };
	d = a ? search_page(ix, a, &empty) : NULL;
	char *rec = d ? spool_get(sp, d->record, NULL) : NULL;
	unit_check(d && d->words == 2 && rec && strstr(rec, "[[\"\",\"\",\"\"]]"), "a page without text has its title's words and an empty section");
	free(rec);
	search_doc_free(d);
	plaintext_free(&empty);
	search_free(ix);
	spool_free(sp);
	site_free(s);
	rm_rf(root);
	return unit_done();
}
