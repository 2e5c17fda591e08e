/* csv.c - RFC 4180 CSV (see csv.h).
 *
 * A single pass over the text splits it into records of fields; each field
 * remembers whether it was quoted, because only unquoted cells may become
 * numbers.  The header record names the keys.  Errors are reported with the
 * line a record starts on, and the parse goes on so that every ragged row of
 * a file is reported in one build.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "diag.h"
#include "utf8.h"
#include "util.h"
#include "value.h"

struct field {
	char *s;
	size_t len;
	bool quoted;
};

struct record {
	struct field *f;
	size_t n, cap;
	int line;
};

struct reader {
	const char *p, *end;
	int line;
	const char *path;
	int errors;
};

static void S_record_clear(struct record *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->f[i].s);
	r->n = 0;
}

/* Is s (len bytes) a number in JSON syntax? */
static bool S_is_number(const char *s, size_t len)
{
	size_t i = 0;
	if (i < len && s[i] == '-')
		i++;
	if (i >= len || s[i] < '0' || s[i] > '9')
		return false;
	if (s[i] == '0')
		i++;
	else
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	if (i < len && s[i] == '.') {
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return false;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return false;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == len;
}

/* Reads one record into r.  Returns 1 with a record, 0 at the end of the
 * text, -1 after an error that ends the parse (an unterminated quote). */
static int S_read_record(struct reader *rd, struct record *r)
{
	S_record_clear(r);
	/* Skip empty lines. */
	while (rd->p < rd->end && (*rd->p == '\n' || *rd->p == '\r')) {
		if (*rd->p == '\n')
			rd->line++;
		rd->p++;
	}
	if (rd->p >= rd->end)
		return 0;
	r->line = rd->line;
	for (;;) {
		struct buf b = BUF_INIT;
		bool quoted = false;
		if (rd->p < rd->end && *rd->p == '"') {
			quoted = true;
			int qline = rd->line;
			rd->p++;
			for (;;) {
				if (rd->p >= rd->end) {
					diag_error(rd->path, qline, 0,
						   "a quoted field is not closed; add the closing \"");
					rd->errors++;
					buf_free(&b);
					return -1;
				}
				char c = *rd->p++;
				if (c == '"') {
					if (rd->p < rd->end && *rd->p == '"') {
						buf_putc(&b, '"');
						rd->p++;
						continue;
					}
					break;
				}
				if (c == '\r' && rd->p < rd->end && *rd->p == '\n')
					continue;       /* CRLF inside quotes becomes LF */
				if (c == '\n')
					rd->line++;
				buf_putc(&b, c);
			}
			if (rd->p < rd->end && *rd->p != ',' && *rd->p != '\n' &&
			    !(*rd->p == '\r' && rd->p + 1 < rd->end && rd->p[1] == '\n') &&
			    !(*rd->p == '\r' && rd->p + 1 == rd->end)) {
				diag_error(rd->path, rd->line, 0,
					   "unexpected '%c' after a closing quote; quote the whole field and write a quote inside it as \"\"",
					   *rd->p);
				rd->errors++;
				/* Take the rest of the field as it is. */
				while (rd->p < rd->end && *rd->p != ',' && *rd->p != '\n' && *rd->p != '\r')
					buf_putc(&b, *rd->p++);
			}
		} else {
			while (rd->p < rd->end && *rd->p != ',' && *rd->p != '\n' &&
			       !(*rd->p == '\r' && (rd->p + 1 == rd->end || rd->p[1] == '\n')))
				buf_putc(&b, *rd->p++);
		}
		r->f = xgrow(r->f, &r->cap, r->n, sizeof *r->f);
		r->f[r->n].quoted = quoted;
		r->f[r->n].s = buf_detach(&b, &r->f[r->n].len);
		r->n++;
		if (rd->p >= rd->end)
			return 1;
		if (*rd->p == ',') {
			rd->p++;
			continue;
		}
		if (*rd->p == '\r')
			rd->p++;
		if (rd->p < rd->end && *rd->p == '\n') {
			rd->p++;
			rd->line++;
		}
		return 1;
	}
}

static struct value *S_cell(const struct field *f, int line, int col)
{
	struct value *v;
	if (!f->quoted && S_is_number(f->s, f->len))
		v = value_num(strtod(f->s, NULL));
	else
		v = value_strn(f->s, f->len);
	v->line = line;
	v->col = col;
	return v;
}

int csv_parse(struct value **out, const char *text, size_t len, const char *path)
{
	*out = NULL;
	/* Invalid UTF-8 or a NUL byte: reported with its line and column. */
	if (utf8_check(text, len, path) < 0)
		return -1;
	struct reader rd = { .p = text, .end = text + len, .line = 1, .path = path };
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		rd.p += 3;
	struct record hdr = { 0 }, r = { 0 };
	int got = S_read_record(&rd, &hdr);
	if (got <= 0) {
		if (got == 0)
			diag_error(path, 0, 0, "the file is empty; the first line must name the columns");
		S_record_clear(&hdr);
		free(hdr.f);
		return -1;
	}
	for (size_t i = 0; i < hdr.n; i++) {
		if (hdr.f[i].len == 0 || strlen(hdr.f[i].s) != hdr.f[i].len) {
			diag_error(path, hdr.line, 0, "column %zu has no name; name every column on the first line", i + 1);
			rd.errors++;
		}
		for (size_t j = 0; j < i; j++)
			if (hdr.f[i].len && !strcmp(hdr.f[i].s, hdr.f[j].s)) {
				diag_error(path, hdr.line, 0, "the column name '%s' appears twice; rename one of them", hdr.f[i].s);
				rd.errors++;
			}
	}
	struct value *list = value_list();
	list->line = 1;
	while ((got = S_read_record(&rd, &r)) > 0) {
		if (r.n != hdr.n) {
			diag_error(path, r.line, 0, "row has %zu field%s, the header has %zu; give every row the header's fields "
				   "(quote a value that holds a comma)",
				   r.n, r.n == 1 ? "" : "s", hdr.n);
			rd.errors++;
			continue;
		}
		struct value *row = value_map();
		row->line = r.line;
		for (size_t i = 0; i < r.n; i++)
			value_set(row, hdr.f[i].s, S_cell(&r.f[i], r.line, (int)i + 1));
		value_push(list, row);
	}
	S_record_clear(&hdr);
	free(hdr.f);
	S_record_clear(&r);
	free(r.f);
	if (rd.errors) {
		value_free(list);
		return -1;
	}
	*out = list;
	return 0;
}
