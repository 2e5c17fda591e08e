/* pdf_meta_test.c - pdf_meta_update(): the incremental update's offsets,
 * trailer and text strings; pdf_base64_decode(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pdf_meta.h"

static int failed;

static void S_check(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	if (!cond)
		failed = 1;
}

/* A one-page PDF with a classic cross-reference table, as Skia writes. */
static void S_pdf(struct buf *b)
{
	long off[5];
	buf_puts(b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
	off[1] = (long)b->len;
	buf_puts(b, "1 0 obj\n<</Title (Old)\n/Producer (Skia/PDF m1 \\(test\\))>>\nendobj\n");
	off[2] = (long)b->len;
	buf_puts(b, "2 0 obj\n<</Type /Catalog /Pages 3 0 R /Lang (fi)>>\nendobj\n");
	off[3] = (long)b->len;
	buf_puts(b, "3 0 obj\n<</Type /Pages /Kids [4 0 R] /Count 1>>\nendobj\n");
	off[4] = (long)b->len;
	buf_puts(b, "4 0 obj\n<</Type /Page /Parent 3 0 R /MediaBox [0 0 595 842]>>\nendobj\n");
	long xref = (long)b->len;
	buf_puts(b, "xref\n0 5\n0000000000 65535 f \n");
	for (int i = 1; i < 5; i++)
		buf_printf(b, "%010ld 00000 n \n", off[i]);
	buf_printf(b, "trailer\n<</Size 5\n/Root 2 0 R\n/Info 1 0 R>>\nstartxref\n%ld\n%%%%EOF", xref);
}

int main(void)
{
	struct buf b = BUF_INIT;
	S_pdf(&b);
	size_t old_len = b.len;
	char *old = strdup(b.data);
	struct pdf_meta m = { .title = "Case Pori – Toipumisorientaatio", .author = "A (b)", .subject = "S",
			      .keywords = "k1, k2", .creator = "toivo", .created = 1700000000 };
	S_check(pdf_meta_update(&b, &m) == 0, "a classic PDF is updated");
	S_check(b.len > old_len && !memcmp(b.data, old, old_len), "the old bytes stay as they were");
	const char *sx = strstr(b.data + old_len, "startxref\n");
	long xref = sx ? strtol(sx + 10, NULL, 10) : 0;
	S_check(xref > (long)old_len && !strncmp(b.data + xref, "xref\n1 1\n", 9), "startxref points at the new section");
	long obj = xref ? strtol(b.data + xref + 9, NULL, 10) : 0;
	S_check(obj > (long)old_len && !strncmp(b.data + obj, "1 0 obj\n", 8), "the entry points at the new Info object");
	S_check(strstr(b.data + xref, "/Prev ") && strtol(strstr(b.data + xref, "/Prev ") + 6, NULL, 10) ==
		strtol(strstr(old, "startxref\n") + 10, NULL, 10), "/Prev is the old cross-reference section");
	S_check(strstr(b.data + old_len, "/Root 2 0 R") && strstr(b.data + old_len, "/Size 5"), "the same /Root and /Size");
	S_check(strstr(b.data + old_len, "/Author (A \\(b\\))") != NULL, "ASCII text as an escaped literal");
	/* U+2013 (en dash) as UTF-16BE after the byte order mark. */
	S_check(strstr(b.data + old_len, "/Title <FEFF00430061007300650020005000") && strstr(b.data + old_len, "2013"),
		"other text as UTF-16BE hex");
	S_check(strstr(b.data + old_len, "/Producer (Skia/PDF m1 \\(test\\))") != NULL, "the engine's Producer kept");
	S_check(strstr(b.data + old_len, "/CreationDate (D:20231114221320+00'00')") != NULL, "the date in PDF form, UTC");
	S_check(b.len > 6 && !strcmp(b.data + b.len - 6, "%%EOF\n"), "ends with %%EOF");

	struct buf x = BUF_INIT;
	buf_puts(&x, "%PDF-1.5\n1 0 obj\n<</Type /XRef>>\nstream\nendstream\nendobj\nstartxref\n9\n%%EOF\n");
	size_t xl = x.len;
	S_check(pdf_meta_update(&x, &m) < 0 && x.len == xl, "a PDF with a cross-reference stream is left alone");

	char *out;
	size_t n;
	S_check(pdf_base64_decode(&out, &n, "JVBERi0=", 8) == 0 && n == 5 && !memcmp(out, "%PDF-", 5), "base64 with padding");
	free(out);
	S_check(pdf_base64_decode(&out, &n, "JV*E", 4) < 0, "not base64: an error");
	buf_free(&x);
	buf_free(&b);
	free(old);
	return failed;
}
