/* buf_test.c - the growable buffer: invariants, growth, escaping, detach. */
#include <stdarg.h>
#include <stdbool.h>

#include "unit.h"

/* xvsnprintf and vsnprintf into dst of every size up to past the text:
 * the same bytes and the same count. */
static int S_fmt(bool plain, char *dst, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int S_fmt(bool plain, char *dst, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = plain ? xvsnprintf(dst, cap, fmt, ap) : vsnprintf(dst, cap, fmt, ap);
	va_end(ap);
	return n;
}

int main(void)
{
	struct buf b = BUF_INIT;
	unit_check(b.data && b.data[0] == '\0' && b.len == 0, "BUF_INIT is an empty NUL-terminated string");
	buf_free(&b);
	unit_check(b.data && b.len == 0, "freeing an empty buffer leaves it usable");

	buf_puts(&b, "abc");
	buf_putc(&b, 'd');
	buf_add(&b, "ef\0g", 4);
	unit_check(b.len == 8 && !memcmp(b.data, "abcdef\0g", 8) && b.data[8] == '\0',
		   "bytes are appended, NUL bytes included, and the end stays NUL-terminated");

	buf_reset(&b);
	for (int i = 0; i < 10000; i++)
		buf_printf(&b, "%04d,", i % 10000);
	unit_check(b.len == 50000 && !strncmp(b.data + 49995, "9999,", 5) && b.data[b.len] == '\0',
		   "buf_printf grows the buffer across many reallocations");
	/* buf_put_uint writes what printf's %ju writes, at the edges too. */
	struct buf u = BUF_INIT, want = BUF_INIT;
	const uintmax_t nums[] = { 0, 7, 9, 10, 99, 100, 65535, 4294967295u, UINTMAX_MAX };
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		buf_put_uint(&u, nums[i]);
		buf_putc(&u, ',');
		buf_printf(&want, "%ju,", nums[i]);
	}
	unit_str(u.data, want.data, "buf_put_uint matches %ju from 0 to UINTMAX_MAX");
	buf_free(&u);
	buf_free(&want);

	buf_reset(&b);
	buf_puts_url_path(&b, "fi/ty\xc3\xb6 #1/a b~-._%");
	unit_str(b.data, "fi/ty%C3%B6%20%231/a%20b~-._%25", "buf_puts_url_path encodes all but unreserved bytes and '/'");

	char big[3000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_reset(&b);
	buf_printf(&b, "[%s]", big);
	unit_check(b.len == sizeof big + 1 && b.data[0] == '[' && b.data[b.len - 1] == ']',
		   "one formatted string longer than the free space");

	buf_truncate(&b, 1);
	unit_str(b.data, "[", "truncate shortens and terminates");
	buf_truncate(&b, 100);
	unit_check(b.len == 1, "truncate to a longer length changes nothing");

	buf_reset(&b);
	buf_puts_html(&b, "<a href=\"x\">Tom & 'Jerry'</a>");
	unit_str(b.data, "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;",
		 "HTML escaping covers & < > \" and '");
	buf_reset(&b);
	buf_add_html(&b, "ä<bc", 4);
	unit_str(b.data, "ä&lt;b", "buf_add_html takes a length (UTF-8 passes through)");

	size_t len = 0;
	buf_reset(&b);
	buf_puts(&b, "owned");
	char *s = buf_detach(&b, &len);
	unit_check(!strcmp(s, "owned") && len == 5 && b.len == 0 && b.data[0] == '\0',
		   "detach hands the bytes over and leaves the buffer empty");
	free(s);
	s = buf_detach(&b, &len);
	unit_check(s && s[0] == '\0' && len == 0, "detaching an empty buffer gives an allocated empty string");
	free(s);
	buf_free(&b);
	/* The plain formats are written as printf writes them. */
	struct buf f = BUF_INIT;
	char fwant[200];
	bool same = true;
	int fnums[] = { 0, 7, -1, 42, 2147483647, -2147483647 - 1 };
	for (size_t i = 0; i < sizeof fnums / sizeof fnums[0]; i++) {
		buf_reset(&f);
		buf_printf(&f, "%s/%d-%u %zu%%%.*s|%.*s|%s", "a\xc3\xa4", fnums[i], (unsigned)fnums[i], (size_t)fnums[i] * 3,
			   3, "abcdef", -1, "whole", "");
		snprintf(fwant, sizeof fwant, "%s/%d-%u %zu%%%.*s|%.*s|%s", "a\xc3\xa4", fnums[i], (unsigned)fnums[i],
			 (size_t)fnums[i] * 3, 3, "abcdef", -1, "whole", "");
		same = same && !strcmp(f.data, fwant);
	}
	char *x = xasprintf("%s%s/%.*s", "fi/", "moduuli", 2, "x");
	same = same && !strcmp(x, "fi/moduuli/x");
	free(x);
	x = xasprintf("%s", "");
	same = same && x && !*x;
	free(x);
	char longs[400], longwant[420];
	memset(longs, 'k', sizeof longs - 1);
	longs[sizeof longs - 1] = '\0';
	x = xasprintf("%s-%d", longs, -5);            /* past xasprintf's first 256 bytes */
	snprintf(longwant, sizeof longwant, "%s-%d", longs, -5);
	same = same && !strcmp(x, longwant);
	free(x);
	buf_reset(&f);
	buf_puts(&f, "alku:");
	buf_printf(&f, "%s|%zu", longs, (size_t)12345678901u);  /* grows the buffer */
	snprintf(longwant, sizeof longwant, "alku:%s|%zu", longs, (size_t)12345678901u);
	same = same && !strcmp(f.data, longwant);
	for (size_t cap = 0; cap < 40; cap++) {
		char a[40], c[40];
		memset(a, 'X', sizeof a);
		memset(c, 'X', sizeof c);
		int na = S_fmt(true, a, cap, "%s/%d:%.*s%%%zu", "polku", -42, 2, "abc", (size_t)7);
		int nc = S_fmt(false, c, cap, "%s/%d:%.*s%%%zu", "polku", -42, 2, "abc", (size_t)7);
		same = same && na == nc && !memcmp(a, c, sizeof a);
	}
	x = xasprintf("%5.2f|%s", 1.5, "muu");      /* not plain: printf's */
	same = same && !strcmp(x, " 1.50|muu");
	free(x);
	unit_check(same, "buf_printf and xasprintf write %s, %.*s, %d, %u, %zu and %% without printf, as printf would");
	buf_free(&f);
	return unit_done();
}
