/* i18n.h - UI strings per language, and dates the way each language
 * writes them. */
#ifndef TOIVO_I18N_H
#define TOIVO_I18N_H

#include <time.h>

struct site;
struct buf;

/* Loads THEME/i18n/LANG.yaml, then the site's i18n/LANG.yaml over it, for
 * every language into site->langs[k].strings.  A key that a language lacks
 * but the default language has is a warning naming key and language, and
 * takes the default language's text.  Returns 0, or -1 after reporting
 * every error. */
int i18n_load(struct site *s);
/* A UI string, or NULL. */
const char *i18n_get(const struct site *s, int lang, const char *key);
/* Appends the date as the language writes it: fi 22.11.2026, en 22 November
 * 2026, others ISO 8601. */
void i18n_date(struct buf *b, time_t t, const char *lang);
/* Appends YYYY-MM-DD (UTC). */
void i18n_iso_date(struct buf *b, time_t t);

#endif
