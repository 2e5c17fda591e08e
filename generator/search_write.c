/* search_write.c - writing the search index: every new word form
 * analysed into terms, the postings BM25-scored, and per language the
 * records, the term shards and the manifest (format in search.h). */
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"
#include "buf.h"
#include "output.h"
#include "search.h"
#include "search_impl.h"
#include "site.h"
#include "spool.h"
#include "util.h"

/* Pages per record file, and the bytes a term shard aims at. */
#define SEARCH_RECORDS_PER_FILE 4
#define SEARCH_SHARD_BYTES 24000
/* A term keeps at most this many pages, its best by score: a word on
 * every page adds little to a query, and its list would be most of a
 * shard.  All query words are required, so this trims recall only for
 * queries made of such words. */
#define SEARCH_MAX_POSTINGS 1500
/* BM25 parameters and the scale of the whole-number scores written. */
#define BM25_K1 1.2
#define BM25_B 0.75
#define SCORE_SCALE 40.0


/* A term or a form, to go into a shard. */
struct entry {
	char *key;              /* folded; owned */
	const char *word;       /* as written (in the term or form table) */
	bool form;
	uint32_t id;            /* term number, or FORM_REF */
	size_t bytes;           /* about what it takes in the shard */
};

struct lang_write {
	struct search *ix;
	struct output *out;
	struct search_doc *const *docs;
	int lang;
	int rc;
	/* working state */
	uint32_t *post_at, *post_n;     /* by term: range in post */
	struct posting *post;
	struct entry *e;
	size_t n_e, cap_e;
};

/* Analyses the forms that came in since the last write. */
static void S_analyse_new(struct lang_index *li)
{
	struct buf terms = BUF_INIT;
	for (unsigned s = 0; s < FORM_STRIPES; s++) {
		struct form_stripe *st = &li->stripe[s];
		if (st->forms.n > st->cap) {
			size_t cap = st->cap;
			st->term_at = xgrow(st->term_at, &cap, st->forms.n, sizeof *st->term_at);
			cap = st->cap;
			st->term_whole = xgrow(st->term_whole, &cap, st->forms.n, sizeof *st->term_whole);
			cap = st->cap;
			st->used = xgrow(st->used, &cap, st->forms.n, sizeof *st->used);
			st->term_n = xgrow(st->term_n, &st->cap, st->forms.n, sizeof *st->term_n);
		}
		for (; st->analysed < st->forms.n; st->analysed++) {
			const char *w = search_str(&st->forms, (uint32_t)st->analysed);
			buf_reset(&terms);
			int whole = 0;
			analyser_terms(li->analyser, &terms, w, strlen(w), &whole);
			st->term_whole[st->analysed] = (uint32_t)whole;
			st->term_at[st->analysed] = (uint32_t)li->n_term_list;
			uint32_t n = 0;
			for (const char *t = terms.data; t && *t;) {
				const char *sp = strchr(t, ' ');
				size_t len = sp ? (size_t)(sp - t) : strlen(t);
				uint32_t id = search_intern(&li->terms, t, len, search_hash(t, len));
				li->term_list = xgrow(li->term_list, &li->cap_term_list, li->n_term_list + 1, sizeof *li->term_list);
				li->term_list[li->n_term_list++] = id;
				n++;
				t += len + (sp != NULL);
			}
			st->term_n[st->analysed] = n;
		}
	}
	buf_free(&terms);
}

/* The max-th best score is found in two passes of 256 counts each, its
 * high byte then its low byte, so a list costs its length, not a sort of
 * it. */
size_t search_keep_best(struct posting *ps, size_t n, size_t max)
{
	if (n <= max)
		return n;
	size_t count[256] = { 0 };
	for (size_t k = 0; k < n; k++)
		count[ps[k].tf >> 8]++;
	size_t above = 0;
	unsigned hi = 255;
	while (above + count[hi] < max)
		above += count[hi--];
	memset(count, 0, sizeof count);
	for (size_t k = 0; k < n; k++)
		if (ps[k].tf >> 8 == hi)
			count[ps[k].tf & 255]++;
	unsigned lo = 255;
	while (above + count[lo] < max)
		above += count[lo--];
	uint16_t cut = (uint16_t)(hi << 8 | lo);
	size_t ties = max - above, m = 0;
	for (size_t k = 0; k < n; k++)
		if (ps[k].tf > cut || (ps[k].tf == cut && ties && ties--))
			ps[m++] = ps[k];
	return m;
}
static int S_cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	/* A total order, so the output does not depend on the order the
	 * words came in (serve adds them as pages change). */
	int c = strcmp(x->key, y->key);
	if (!c)
		c = (int)x->form - (int)y->form;
	return c ? c : strcmp(x->word, y->word);
}

/* The postings of every term, BM25-scored, the longest lists cut.  The
 * language's pages are numbered in site order. */
/* Walks the language's pages (numbered pn in site order) and their terms:
 * without fill, counts the pages each term stands on into post_n; with
 * fill, writes the postings, a term's weight on a page summed over its
 * forms, its section the one of its heaviest form.  last[t] is the last
 * page that had term t.  Returns the number of pages. */
static uint32_t S_walk(struct lang_write *lw, uint32_t *last, bool fill, double *words)
{
	struct lang_index *li = &lw->ix->lang[lw->lang];
	memset(last, 0xff, (li->terms.n + 1) * sizeof *last);
	uint32_t pn = 0;
	for (size_t i = 0; i < lw->ix->site->n_pages; i++) {
		const struct search_doc *d = lw->docs[i];
		if (!d || d->lang != lw->lang)
			continue;
		words[pn] = d->words;
		for (size_t h = 0; h < d->n_hit; h++) {
			const struct search_hit *hit = &d->hit[h];
			struct form_stripe *st = &li->stripe[hit->form & (FORM_STRIPES - 1)];
			uint32_t f = hit->form >> FORM_STRIPE_BITS;
			st->used[f] = 1;
			for (uint32_t j = 0; j < st->term_n[f]; j++) {
				uint32_t t = li->term_list[st->term_at[f] + j];
				bool first = last[t] != pn;
				last[t] = pn;
				if (!fill) {
					lw->post_n[t] += first;
				} else if (first) {
					lw->post[lw->post_at[t] + lw->post_n[t]++] =
						(struct posting){ .page = pn, .tf = hit->tf, .sec = hit->sec };
				} else {
					struct posting *q = &lw->post[lw->post_at[t] + lw->post_n[t] - 1];
					if (hit->tf > q->tf)
						q->sec = hit->sec;
					q->tf = (uint16_t)(q->tf + hit->tf > 65535 ? 65535 : q->tf + hit->tf);
				}
			}
		}
		pn++;
	}
	return pn;
}

/* The postings of every term, BM25-scored, the longest lists cut. */
static void S_postings(struct lang_write *lw, size_t n_docs)
{
	struct lang_index *li = &lw->ix->lang[lw->lang];
	size_t nt = li->terms.n;
	uint32_t *last = xmalloc((nt + 1) * sizeof *last);
	double *norm = xmalloc((n_docs + 1) * sizeof *norm);
	lw->post_at = xcalloc(nt + 1, sizeof *lw->post_at);
	lw->post_n = xcalloc(nt + 1, sizeof *lw->post_n);
	for (unsigned i = 0; i < FORM_STRIPES; i++)
		if (li->stripe[i].used)
			memset(li->stripe[i].used, 0, li->stripe[i].forms.n);
	uint32_t pn = S_walk(lw, last, false, norm);
	size_t sum = 0;
	for (size_t t = 0; t < nt; t++) {
		lw->post_at[t] = (uint32_t)sum;
		sum += lw->post_n[t];
		lw->post_n[t] = 0;
	}
	lw->post = xmalloc((sum + 1) * sizeof *lw->post);
	S_walk(lw, last, true, norm);
	/* norm: from each page's length in words to BM25's length factor. */
	double total = 0;
	for (uint32_t k = 0; k < pn; k++)
		total += norm[k];
	double avg = pn && total >= pn ? total / pn : 1;
	for (uint32_t k = 0; k < pn; k++)
		norm[k] = BM25_K1 * (1 - BM25_B + BM25_B * norm[k] / avg);
	free(last);
	/* Scores, then the best SEARCH_MAX_POSTINGS of a long list. */
	for (size_t t = 0; t < nt; t++) {
		struct posting *ps = lw->post + lw->post_at[t];
		size_t df = lw->post_n[t];
		if (!df)
			continue;
		double idf = log(1 + (pn - df + 0.5) / (df + 0.5));
		for (size_t k = 0; k < df; k++) {
			double tf = ps[k].tf;
			double sc = idf * tf * (BM25_K1 + 1) / (tf + norm[ps[k].page]) * SCORE_SCALE;
			ps[k].tf = (uint16_t)(sc < 1 ? 1 : sc > 65535 ? 65535 : sc + 0.5);
		}
		if (df > SEARCH_MAX_POSTINGS)
			lw->post_n[t] = (uint32_t)search_keep_best(ps, df, SEARCH_MAX_POSTINGS);
	}
	free(norm);
}

/* Appends entry e's JSON member to b: "term":[df,page,score,sec,...]
 * (pages as differences from the one before) or "form":"t1 t2". */
static void S_entry_json(struct lang_write *lw, struct buf *b, const struct entry *e)
{
	struct lang_index *li = &lw->ix->lang[lw->lang];
	if (e->form) {
		const struct form_stripe *st = &li->stripe[e->id & (FORM_STRIPES - 1)];
		uint32_t f = e->id >> FORM_STRIPE_BITS;
		search_json_str(b, search_str(&st->forms, f));
		buf_putc(b, ':');
		/* Terms come from the analysers: escaped like any text, so no
		 * base form can break the shard. */
		struct buf v = BUF_INIT;
		for (uint32_t j = 0; j < st->term_n[f]; j++) {
			if (j)
				buf_putc(&v, j == st->term_whole[f] ? '|' : ' ');
			buf_puts(&v, search_str(&li->terms, li->term_list[st->term_at[f] + j]));
		}
		value_json_string(b, v.data, v.len);
		buf_free(&v);
		return;
	}
	search_json_str(b, search_str(&li->terms, e->id));
	buf_putc(b, ':');
	const struct posting *ps = lw->post + lw->post_at[e->id];
	uint32_t prev = 0;
	buf_putc(b, '[');
	for (size_t k = 0; k < lw->post_n[e->id]; k++) {
		if (k)
			buf_putc(b, ',');
		buf_put_uint(b, ps[k].page - prev);
		buf_putc(b, ',');
		buf_put_uint(b, ps[k].tf);
		buf_putc(b, ',');
		buf_put_uint(b, ps[k].sec);
		prev = ps[k].page;
	}
	buf_putc(b, ']');
}

/* Writes entries e[lo..hi) as shard k and adds its first key to the
 * manifest: the shortest prefix of it that sorts after the previous
 * shard's last key, so the manifest stays small. */
static void S_shard(struct lang_write *lw, size_t lo, size_t hi, int k, struct buf *manifest)
{
	const char *code = lw->ix->site->langs[lw->lang].code;
	struct buf js = BUF_INIT;
	buf_puts(&js, "(window.toivoSearch = window.toivoSearch || {})[");
	char *name = xasprintf("%s/s%d", code, k);
	search_json_str(&js, name);
	free(name);
	/* Terms and forms apart: a word may be both ("tuli"). */
	buf_puts(&js, "] = {\"t\":{");
	for (int form = 0; form < 2; form++) {
		bool first = true;
		for (size_t i = lo; i < hi; i++) {
			if (lw->e[i].form != form)
				continue;
			if (!first)
				buf_putc(&js, ',');
			first = false;
			S_entry_json(lw, &js, &lw->e[i]);
		}
		buf_puts(&js, form ? "}};\n" : "},\"f\":{");
	}
	char *rel = xasprintf("%s/search/s%d.js", code, k);
	if (output_write(lw->out, rel, js.data, js.len, lw->ix->site->config_path) < 0)
		lw->rc = -1;
	free(rel);
	buf_free(&js);
	const char *key = lw->e[lo].key;
	size_t n = 0;
	if (lo > 0) {
		/* Whole code points, one past the common prefix. */
		const char *prev = lw->e[lo - 1].key;
		while (key[n] && key[n] == prev[n])
			n++;
		while (n > 0 && ((unsigned char)key[n] & 0xc0) == 0x80)
			n--;
		if (key[n]) {
			n++;
			while (((unsigned char)key[n] & 0xc0) == 0x80)
				n++;
		}
	}
	if (k)
		buf_putc(manifest, ',');
	value_json_string(manifest, key, n);
}

/* The entries (sorted by folded key) into shards of about
 * SEARCH_SHARD_BYTES, in order, written as each fills.  Entries with the
 * same key stay together, so a word's shard is the last whose first key
 * sorts at or before it. */
static int S_shards(struct lang_write *lw, struct buf *manifest)
{
	int k = 0;
	size_t lo = 0, bytes = 0;
	for (size_t i = 0; i < lw->n_e; i++) {
		if (i > lo && bytes + lw->e[i].bytes > SEARCH_SHARD_BYTES && strcmp(lw->e[i].key, lw->e[i - 1].key)) {
			S_shard(lw, lo, i, k++, manifest);
			lo = i;
			bytes = 0;
		}
		bytes += lw->e[i].bytes;
	}
	if (lo < lw->n_e)
		S_shard(lw, lo, lw->n_e, k++, manifest);
	return k;
}

static void S_entry_add(struct lang_write *lw, const char *s, bool form, uint32_t id, size_t bytes)
{
	struct buf key = BUF_INIT;
	search_fold(&key, s, strlen(s));
	lw->e = xgrow(lw->e, &lw->cap_e, lw->n_e + 1, sizeof *lw->e);
	lw->e[lw->n_e++] = (struct entry){ .key = buf_detach(&key, NULL), .word = s, .form = form, .id = id, .bytes = bytes };
}

/* One language's index: records, term shards, manifest. */
static void *S_write_lang(void *arg)
{
	struct lang_write *lw = arg;
	struct search *ix = lw->ix;
	const struct site *s = ix->site;
	struct lang_index *li = &ix->lang[lw->lang];
	const char *code = s->langs[lw->lang].code;
	S_analyse_new(li);

	/* Records, SEARCH_RECORDS_PER_FILE pages a file, in page order. */
	size_t n_docs = 0;
	struct buf js = BUF_INIT;
	for (size_t i = 0; i <= s->n_pages; i++) {
		const struct search_doc *d = i < s->n_pages ? lw->docs[i] : NULL;
		bool flush = i == s->n_pages ? n_docs % SEARCH_RECORDS_PER_FILE != 0 : false;
		if (d && d->lang == lw->lang) {
			if (n_docs % SEARCH_RECORDS_PER_FILE == 0) {
				buf_reset(&js);
				buf_printf(&js, "(window.toivoSearch = window.toivoSearch || {})[\"%s/r%zu\"] = [\n",
					   code, n_docs / SEARCH_RECORDS_PER_FILE);
			} else {
				buf_puts(&js, ",\n");
			}
			size_t len;
			char *rec = spool_get(lw->ix->spool, d->record, &len);
			if (rec)
				buf_add(&js, rec, len);
			else
				lw->rc = -1;
			free(rec);
			n_docs++;
			flush = n_docs % SEARCH_RECORDS_PER_FILE == 0;
		}
		if (flush) {
			buf_puts(&js, "\n];\n");
			char *rel = xasprintf("%s/search/r%zu.js", code, (n_docs - 1) / SEARCH_RECORDS_PER_FILE);
			if (output_write(lw->out, rel, js.data, js.len, s->config_path) < 0)
				lw->rc = -1;
			free(rel);
		}
	}
	buf_free(&js);

	S_postings(lw, n_docs);
	/* The entries: every term on some page, every form whose terms are
	 * not just itself. */
	for (size_t t = 0; t < li->terms.n; t++)
		if (lw->post_n[t])
			S_entry_add(lw, search_str(&li->terms, (uint32_t)t), false, (uint32_t)t,
				    strlen(search_str(&li->terms, (uint32_t)t)) + 4 + lw->post_n[t] * 9);
	for (unsigned st_i = 0; st_i < FORM_STRIPES; st_i++) {
		struct form_stripe *st = &li->stripe[st_i];
		for (size_t f = 0; f < st->forms.n; f++) {
			const char *w = search_str(&st->forms, (uint32_t)f);
			uint32_t n = st->term_n[f];
			if (!st->used[f] || (n == 1 && !strcmp(search_str(&li->terms, li->term_list[st->term_at[f]]), w)))
				continue;
			bool any = false;
			size_t bytes = strlen(w) + 6;
			for (uint32_t j = 0; j < n; j++) {
				uint32_t t = li->term_list[st->term_at[f] + j];
				any = any || lw->post_n[t];
				bytes += strlen(search_str(&li->terms, t)) + 1;
			}
			if (any)
				S_entry_add(lw, w, true, FORM_REF(st_i, f), bytes);
		}
	}
	if (lw->n_e)     /* no entries: e is NULL, which qsort may not take */
		qsort(lw->e, lw->n_e, sizeof *lw->e, S_cmp_entry);

	struct buf manifest = BUF_INIT;
	buf_puts(&manifest, "(window.toivoSearch = window.toivoSearch || {})[");
	char *mname = xasprintf("%s/index", code);
	search_json_str(&manifest, mname);
	free(mname);
	buf_printf(&manifest, "] = {\"pages\":%zu,\"records\":%d,\"shards\":[", n_docs, SEARCH_RECORDS_PER_FILE);
	S_shards(lw, &manifest);
	buf_puts(&manifest, "]};\n");
	char *rel = xasprintf("%s/search/index.js", code);
	if (output_write(lw->out, rel, manifest.data, manifest.len, s->config_path) < 0)
		lw->rc = -1;
	free(rel);
	buf_free(&manifest);

	for (size_t i = 0; i < lw->n_e; i++)
		free(lw->e[i].key);
	free(lw->e);
	free(lw->post);
	free(lw->post_at);
	free(lw->post_n);
	return NULL;
}

int search_write(struct search *ix, struct output *out, struct search_doc *const *docs)
{
	/* The languages at once, each in its own thread. */
	const struct site *s = ix->site;
	struct lang_write lw[SITE_MAX_LANGS];
	pthread_t t[SITE_MAX_LANGS];
	bool started[SITE_MAX_LANGS] = { false };
	for (int k = 0; k < s->n_langs; k++) {
		lw[k] = (struct lang_write){ .ix = ix, .out = out, .docs = docs, .lang = k };
		if (k > 0)
			started[k] = pthread_create(&t[k], NULL, S_write_lang, &lw[k]) == 0;
	}
	for (int k = 0; k < s->n_langs; k++)
		if (k == 0 || !started[k])
			S_write_lang(&lw[k]);
	int rc = 0;
	for (int k = 0; k < s->n_langs; k++) {
		if (started[k])
			pthread_join(t[k], NULL);
		if (lw[k].rc < 0)
			rc = -1;
	}
	return rc;
}
