/* diag.c - diagnostics: formatting, counting, capture. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "buf.h"
#include "diag.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int n_errors, quiet_warnings;
static struct buf *capture;

void diag(enum diag_level level, const char *path, int line, int col,
	  const char *fmt, ...)
{
	static const char *names[] = { "error", "warning", "note" };
	struct buf b = BUF_INIT;
	if (path && *path) {
		buf_puts(&b, path);
		if (line > 0) {
			buf_printf(&b, ":%d", line);
			if (col > 0)
				buf_printf(&b, ":%d", col);
		}
		buf_puts(&b, ": ");
	} else {
		buf_puts(&b, "toivo: ");
	}
	buf_printf(&b, "%s: ", names[level]);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_putc(&b, '\n');

	pthread_mutex_lock(&lock);
	if (level == DIAG_ERROR)
		n_errors++;
	if (!(level == DIAG_WARNING && quiet_warnings))
		fputs(b.data, stderr);
	if (capture)
		buf_add(capture, b.data, b.len);
	pthread_mutex_unlock(&lock);
	buf_free(&b);
}

int diag_errors(void)
{
	pthread_mutex_lock(&lock);
	int n = n_errors;
	pthread_mutex_unlock(&lock);
	return n;
}

void diag_reset(void)
{
	pthread_mutex_lock(&lock);
	n_errors = 0;
	pthread_mutex_unlock(&lock);
}

void diag_set_quiet_warnings(int q)
{
	quiet_warnings = q;
}

void diag_capture(struct buf *b)
{
	pthread_mutex_lock(&lock);
	capture = b;
	pthread_mutex_unlock(&lock);
}
