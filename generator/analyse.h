/* analyse.h - the search terms of a word, by language.
 *
 * Finnish goes through Voikko (libvoikko with the voikko-fi dictionary):
 * a word is indexed under each base form it may have and, when Voikko
 * marks it as a compound, under the base form of each tail and of its
 * first part ("kokemusasiantuntijoiden" -> kokemusasiantuntija, kokemus,
 * asiantuntija, tuntija).  A word Voikko does not know falls back to the
 * Snowball Finnish stem.  Any other language goes through its Snowball
 * stemmer (libstemmer) when there is one, else the word is its own term.
 *
 * An analyser is not thread-safe: one per thread, or used under a lock.
 * Analysis costs microseconds (Voikko: ~130 000 words/s), so callers
 * analyse each distinct word form once.
 */
#ifndef TOIVO_ANALYSE_H
#define TOIVO_ANALYSE_H

#include <stddef.h>

struct buf;
struct analyser;

enum analyse_method { ANALYSE_WORD, ANALYSE_SNOWBALL, ANALYSE_VOIKKO };

/* An analyser for language code lang ("fi", "en", ...); analyser_free()
 * frees it.  0, or -1 with *why set to a message that says what to
 * install (a static string) when the language needs a library or a
 * dictionary that is missing. */
int analyser_new(struct analyser **out, const char *lang, const char **why);
void analyser_free(struct analyser *a);
/* How a's language is analysed. */
enum analyse_method analyser_method(const struct analyser *a);

/* Appends the terms of word (len bytes of lower-case UTF-8, one word
 * without spaces) to out, each once, separated by single spaces; returns
 * how many.  Terms are lower case and never empty.  The first *whole of
 * them are the word's own base forms or stem, the rest the parts of a
 * compound (whole may be NULL). */
int analyser_terms(struct analyser *a, struct buf *out, const char *word, size_t len, int *whole);

/* Appends s (len bytes of UTF-8) in lower case: Latin, Greek and Cyrillic
 * letters; everything else, and bytes that are not UTF-8, as they are. */
void analyse_lower(struct buf *out, const char *s, size_t len);

#endif
