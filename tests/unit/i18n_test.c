/* i18n_test.c - dates as each language writes them, and parsing them. */
#include "date.h"
#include "i18n.h"
#include "unit.h"

static void S_date(time_t t, const char *lang, const char *want)
{
	struct buf b = BUF_INIT;
	if (lang)
		i18n_date(&b, t, lang);
	else
		i18n_iso_date(&b, t);
	char what[80];
	snprintf(what, sizeof what, "date in %s: %s", lang ? lang : "ISO", want);
	unit_str(b.data, want, what);
	buf_free(&b);
}

int main(void)
{
	time_t t = 1700000000; /* 2023-11-14 22:13:20 UTC */
	S_date(t, NULL, "2023-11-14");
	S_date(t, "fi", "14.11.2023");
	S_date(t, "en", "14 November 2023");
	S_date(t, "sv", "2023-11-14");
	S_date(0, "fi", "1.1.1970");

	time_t p = date_parse("2026-11-22");
	struct buf b = BUF_INIT;
	i18n_iso_date(&b, p);
	unit_str(b.data, "2026-11-22", "a parsed date writes back the same");
	buf_free(&b);
	unit_check(date_parse("2024-02-29") != (time_t)-1, "a leap day parses");
	unit_check(date_parse("2023-02-29") == (time_t)-1, "a day that does not exist is not a date");
	unit_check(date_parse("2023-13-01") == (time_t)-1, "month 13 is not a date");
	unit_check(date_parse("22.11.2026") == (time_t)-1, "the Finnish way of writing is not the ISO form");
	unit_check(date_parse("2023-11-14x") == (time_t)-1, "trailing text is not a date");
	unit_check(date_parse("") == (time_t)-1 && date_parse(NULL) == (time_t)-1, "empty and NULL are not dates");
	unit_check(date_parse("2026-11-22T14:30") == p && date_parse("2026-11-22 14:30:05+02:00") == p &&
		   date_parse("2026-11-22T14:30:05.25Z") == p, "an ISO 8601 time after the day is the same day");
	unit_check(date_parse("2026-11-22T24:00") == (time_t)-1 && date_parse("2026-11-22T14") == (time_t)-1 &&
		   date_parse("2026-11-22T14:30+") == (time_t)-1 && date_parse(" 2026-11-22") == (time_t)-1 &&
		   date_parse("+2026-11-22") == (time_t)-1, "a bad time, a sign or a space is not a date");
	bool cal = false;
	unit_check(date_check("2026-02-30", &cal) == (time_t)-1 && cal, "2026-02-30 has the form, not the day");
	unit_check(date_check("eilen", &cal) == (time_t)-1 && !cal, "eilen has not even the form");
	return unit_done();
}
