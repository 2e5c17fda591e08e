/* check.c - links, anchors, translations and review dates. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "check.h"
#include "date.h"
#include "diag.h"
#include "i18n.h"
#include "site.h"
#include "srcdate.h"
#include "util.h"
#include "value.h"

static bool S_has_id(const struct value *ids, const char *id)
{
	for (size_t i = 0; ids && i < ids->u.list.n; i++)
		if (!strcmp(value_string(ids->u.list.items[i]), id))
			return true;
	/* Footnotes and their back-references are made by cmark. */
	return str_starts_with(id, "fn-") || str_starts_with(id, "fnref-");
}

/* Pages, then decks: their links and ids are at p->index in both. */
static void S_links(const struct site *s, struct value **ids, struct value **links)
{
	for (size_t i = 0; i < s->n_pages + s->n_decks; i++) {
		const struct page *p = i < s->n_pages ? s->pages[i] : s->decks[i - s->n_pages];
		const struct value *l = links[p->index];
		for (size_t j = 0; l && j < l->u.list.n; j++) {
			const struct value *e = l->u.list.items[j];
			const char *path = value_string(value_get(e, "path"));
			const char *anchor = value_string(value_get(e, "anchor"));
			int line = (int)value_get(e, "line")->u.n;
			if (!str_ends_with(path, "/"))
				continue;       /* files were checked when the link was resolved */
			const struct page *t = hmap_get(&s->by_path, path);
			if (!t) {
				diag_error(p->src, line, 0, "link to /%s: no page has that URL; fix the link", path);
				continue;
			}
			if (anchor && *anchor && !S_has_id(ids[t->index], anchor))
				diag_error(p->src, line, 0, "link to #%s: %s has no heading with that id; fix the anchor",
					   anchor, t->src);
		}
	}
}

static void S_translations(const struct site *s)
{
	for (size_t i = 0; i < s->n_pages + s->n_decks; i++) {
		const struct page *p = i < s->n_pages ? s->pages[i] : s->decks[i - s->n_pages];
		for (int k = 0; k < s->n_langs; k++) {
			if (p->trans[k] || k == p->lang)
				continue;
			diag_warn(p->src, 1, 0, "no %s translation; add %s.%s.md beside it", s->langs[k].code,
				  p->name, s->langs[k].code);
		}
	}
}

/* A translation is probably out of date when the default language's source
 * changed in a later commit.  The default language is the original: when a
 * translation is brought up to date in a later commit, the original is not
 * reported in turn.  Only committed dates are compared: a file being edited
 * says nothing yet about which side is behind. */
static void S_stale(const struct site *s)
{
	for (size_t i = 0; i < s->n_pages; i++) {
		const struct page *p = s->pages[i];
		if (!p->committed || p->lang == s->default_lang)
			continue;
		{
			const struct page *o = p->trans[s->default_lang];
			if (!o || o == p || !o->committed || o->updated <= p->updated)
				continue;
			struct buf a = BUF_INIT, b = BUF_INIT;
			i18n_iso_date(&a, p->updated);
			i18n_iso_date(&b, o->updated);
			diag_warn(p->src, 1, 0,
				  "translation probably out of date: %s changed later (%s) than this file (%s); bring it up to date, then commit both",
				  o->src, b.data, a.data);
			buf_free(&a);
			buf_free(&b);
		}
	}
}

static void S_reviews(const struct site *s)
{
	if (s->review_interval <= 0)
		return;
	time_t now = srcdate_now();
	for (size_t i = 0; i < s->n_pages; i++) {
		const struct page *p = s->pages[i];
		const struct value *r = value_get(p->fm, "reviewed");
		const char *d = value_string(r);
		time_t t = date_parse(d);
		if (d && t == (time_t)-1) {
			diag_warn(p->src, r->line, r->col, "reviewed: '%s' is not a date; write YYYY-MM-DD", d);
			continue;
		}
		if (t == (time_t)-1)
			continue;
		long days = (long)((now - t) / 86400);
		if (days > s->review_interval)
			diag_warn(p->src, r->line, r->col, "last reviewed %s, %ld days ago (review_interval is %d days); review the page and update 'reviewed'",
				  d, days, s->review_interval);
	}
}

void check_site(const struct site *s, struct value **ids, struct value **links, bool strict)
{
	if (!strict)
		return;
	S_links(s, ids, links);
	S_translations(s);
	S_stale(s);
	S_reviews(s);
}
