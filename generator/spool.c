/* spool.c - texts kept in an unlinked temporary file (see spool.h). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "spool.h"
#include "xalloc.h"

struct spool {
	int fd;
	pthread_mutex_t lock;
	uint64_t end;           /* where the next text goes */
	char *dir;              /* for messages */
};

/* An unlinked file in dir: O_TMPFILE where the file system has it, else a
 * named file removed at once. */
static int S_open(const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	char *tmpl = xasprintf("%s/spool-XXXXXX", dir);
	fd = mkostemp(tmpl, O_CLOEXEC);
	if (fd >= 0)
		unlink(tmpl);
	free(tmpl);
	return fd;
}

struct spool *spool_new(const char *dir)
{
	int fd = S_open(dir);
	if (fd < 0) {
		diag_error(NULL, 0, 0, "cannot make a temporary file in %s: %s; check its permissions and the free space",
			   dir, strerror(errno));
		return NULL;
	}
	struct spool *sp = xcalloc(1, sizeof *sp);
	sp->fd = fd;
	sp->dir = xstrdup(dir);
	pthread_mutex_init(&sp->lock, NULL);
	return sp;
}

void spool_free(struct spool *sp)
{
	if (!sp)
		return;
	close(sp->fd);
	pthread_mutex_destroy(&sp->lock);
	free(sp->dir);
	free(sp);
}

int spool_put(struct spool *sp, struct spool_ref *ref, const void *data, size_t len)
{
	*ref = (struct spool_ref){ 0, 0 };
	if (len > UINT32_MAX) {
		diag_error(NULL, 0, 0, "a page's text is over 4 GB; split the page");
		return -1;
	}
	pthread_mutex_lock(&sp->lock);
	uint64_t off = sp->end;
	sp->end += len;
	pthread_mutex_unlock(&sp->lock);
	for (size_t done = 0; done < len;) {
		ssize_t w = pwrite(sp->fd, (const char *)data + done, len - done, (off_t)(off + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			diag_error(NULL, 0, 0, "cannot write a temporary file in %s: %s; free some space there",
				   sp->dir, w < 0 ? strerror(errno) : "nothing written");
			return -1;
		}
		done += (size_t)w;
	}
	*ref = (struct spool_ref){ off, (uint32_t)len };
	return 0;
}

char *spool_get(struct spool *sp, struct spool_ref ref, size_t *len)
{
	if (len)
		*len = 0;
	if (!ref.len)
		return NULL;
	char *s = xmalloc((size_t)ref.len + 1);
	for (size_t done = 0; done < ref.len;) {
		ssize_t r = pread(sp->fd, s + done, ref.len - done, (off_t)(ref.off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			diag_error(NULL, 0, 0, "cannot read back a temporary file in %s: %s",
				   sp->dir, r < 0 ? strerror(errno) : "it is shorter than written");
			free(s);
			return NULL;
		}
		done += (size_t)r;
	}
	s[ref.len] = '\0';
	if (len)
		*len = ref.len;
	return s;
}
