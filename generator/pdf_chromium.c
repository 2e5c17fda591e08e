/* pdf_chromium.c - one document in a tab of the run's browser, and the
 * request hook that keeps every page inside the output. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cdp.h"
#include "diag.h"
#include "pdf_doc.h"
#include "pdf_meta.h"
#include "pdf_toc.h"
#include "util.h"

#define PDF_MAX_PASSES 4        /* prints of one document until the TOC agrees */

/* --- the request hook (on the reader thread) ---------------------------------- */

static struct pdf_item *S_item_of(struct pdf_run *run, const char *session)
{
	if (!session)
		return NULL;
	for (size_t i = 0; i < run->n; i++)
		if (run->items[i].session && !strcmp(run->items[i].session, session))
			return &run->items[i];
	return NULL;
}

static void S_push(char ***list, size_t *n, size_t *cap, char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*list)[i], s)) {
			free(s);
			return;
		}
	*list = xgrow(*list, cap, *n, sizeof **list);
	(*list)[(*n)++] = s;
}

static int S_hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The path of a file:// URL inside the output, relative to it, or NULL
 * when the URL points anywhere else.  The caller frees it. */
static char *S_inside(const struct pdf_run *run, const char *url)
{
	if (!str_starts_with(url, "file://"))
		return NULL;
	const char *p = url + 7;
	if (str_starts_with(p, "localhost/"))
		p += 9;
	if (*p != '/')
		return NULL;
	struct buf b = BUF_INIT;
	for (; *p && *p != '?' && *p != '#'; p++) {
		if (*p == '%' && S_hex(p[1]) >= 0 && S_hex(p[2]) >= 0) {
			char c = (char)(S_hex(p[1]) * 16 + S_hex(p[2]));
			if (!c)
				break;
			buf_putc(&b, c);
			p += 2;
		} else {
			buf_putc(&b, *p);
		}
	}
	char *rel = NULL;
	size_t dl = strlen(run->dir_real);
	if (!strncmp(b.data, run->dir_real, dl) && b.data[dl] == '/') {
		/* Lexically inside, and no symbolic link leads out. */
		char *n = path_normalize(b.data + dl + 1);
		char *real = n ? realpath(b.data, NULL) : NULL;
		if (n && (!real || (!strncmp(real, run->dir_real, dl) && real[dl] == '/')))
			rel = xstrdup(n);
		free(real);
		free(n);
	}
	buf_free(&b);
	return rel;
}

/* The host of an http(s) URL when pdf.allow_remote names it. */
static bool S_allowed_host(const struct pdf_run *run, const char *url)
{
	const char *h = str_starts_with(url, "http://") ? url + 7 : str_starts_with(url, "https://") ? url + 8 : NULL;
	/* user:password@host would read as "user" below: refused. */
	if (!h || h[strcspn(h, "@/?#")] == '@')
		return false;
	size_t n = strcspn(h, ":/?#");
	for (size_t i = 0; i < run->opts->n_allow; i++)
		if (strlen(run->opts->allow_remote[i]) == n && !strncasecmp(h, run->opts->allow_remote[i], n))
			return true;
	return false;
}

static void S_paused(struct pdf_run *run, struct cdp *c, const char *session, json_t *params)
{
	const char *id = json_string_value(json_object_get(params, "requestId"));
	const char *url = json_string_value(json_object_get(json_object_get(params, "request"), "url"));
	if (!id || !url)
		return;
	bool ok = false;
	char *rel = S_inside(run, url);
	pthread_mutex_lock(&run->lock);
	struct pdf_item *it = S_item_of(run, session);
	if (rel) {
		ok = true;
		if (it)
			S_push(&it->deps, &it->n_deps, &it->cap_deps, rel);
		else
			free(rel);
	} else if (str_starts_with(url, "data:") || str_starts_with(url, "blob:") || !strcmp(url, "about:blank")) {
		ok = true;      /* made by the page itself, nothing is read */
	} else if (S_allowed_host(run, url)) {
		ok = true;
		if (it)
			it->no_cache = true;
	} else if (it) {
		S_push(&it->blocked, &it->n_blocked, &it->cap_blocked, xstrdup(url));
	}
	pthread_mutex_unlock(&run->lock);
	json_t *p = json_object();
	json_object_set_new(p, "requestId", json_string(id));
	if (ok) {
		cdp_send(c, session, "Fetch.continueRequest", p);
	} else {
		json_object_set_new(p, "errorReason", json_string("BlockedByClient"));
		cdp_send(c, session, "Fetch.failRequest", p);
	}
}

/* Keeps the list of requests a page still waits for, to name them when
 * it does not finish loading. */
static void S_network(struct pdf_run *run, const char *session, const char *method, json_t *params)
{
	const char *id = json_string_value(json_object_get(params, "requestId"));
	if (!id)
		return;
	pthread_mutex_lock(&run->lock);
	struct pdf_item *it = S_item_of(run, session);
	if (it && !strcmp(method, "Network.requestWillBeSent")) {
		const char *url = json_string_value(json_object_get(json_object_get(params, "request"), "url"));
		it->pending = xgrow(it->pending, &it->cap_pending, it->n_pending, sizeof *it->pending);
		it->pending[it->n_pending].id = xstrdup(id);
		it->pending[it->n_pending++].url = xstrdup(url ? url : "");
	} else if (it && (!strcmp(method, "Network.loadingFinished") || !strcmp(method, "Network.loadingFailed"))) {
		for (size_t i = 0; i < it->n_pending; i++)
			if (!strcmp(it->pending[i].id, id)) {
				free(it->pending[i].id);
				free(it->pending[i].url);
				it->pending[i] = it->pending[--it->n_pending];
				break;
			}
	}
	pthread_mutex_unlock(&run->lock);
}

bool pdf_chromium_hook(void *ctx, struct cdp *c, const char *session, const char *method, json_t *params)
{
	struct pdf_run *run = ctx;
	if (getenv("TOIVO_CDP_TRACE")) {
		char *t = json_dumps(params, JSON_COMPACT);
		diag_line("cdp: %s %s %.300s\n", session ? session : "-", method, t ? t : "");
		free(t);
	}
	if (!strcmp(method, "Fetch.requestPaused")) {
		S_paused(run, c, session, params);
		return true;
	}
	if (str_starts_with(method, "Network.")) {
		S_network(run, session, method, params);
		return true;
	}
	/* Only what a document waits for is queued. */
	return strcmp(method, "Page.loadEventFired") && strcmp(method, "Inspector.targetCrashed");
}

/* --- one document ------------------------------------------------------------------ */

/* With TOIVO_PDF_PROFILE set, one line per step of each document on
 * stderr: where a run's time goes. */
void pdf_profile(const struct pdf_run *run, const char *who, const char *step, double since)
{
	static int on = -1;
	if (on < 0)
		on = getenv("TOIVO_PDF_PROFILE") && *getenv("TOIVO_PDF_PROFILE");
	if (on)
		diag_line("pdf-profile: %8.3f %6.3f %s %s\n", cdp_now() - run->t0, cdp_now() - since, who, step);
}

static char *S_file_url(const char *abs)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "file://");
	buf_puts_url_path(&b, abs);
	return buf_detach(&b, NULL);
}

/* Runs a script in the page and returns its value as a string (caller
 * frees), or NULL with *err set. */
static char *S_eval(char **err, struct cdp *c, const char *session, const char *js, double deadline)
{
	json_t *p = json_pack("{s:s, s:b, s:b}", "expression", js, "awaitPromise", 1, "returnByValue", 1);
	json_t *res = NULL;
	if (cdp_call(&res, err, c, session, "Runtime.evaluate", p, deadline) < 0)
		return NULL;
	char *out = NULL;
	json_t *ex = json_object_get(res, "exceptionDetails");
	if (ex) {
		const char *t = json_string_value(json_object_get(json_object_get(ex, "exception"), "description"));
		*err = xasprintf("a script in the page failed: %s", t ? t : json_string_value(json_object_get(ex, "text")));
	} else {
		const char *v = json_string_value(json_object_get(json_object_get(res, "result"), "value"));
		out = xstrdup(v ? v : "");
	}
	json_decref(res);
	return out;
}

/* Waits for fonts and images, puts the title in the running header (not
 * on slides), and reads what the Info dictionary needs. */
static const char S_prepare_js[] =
	"(async () => {\n"
	"  if (%s) { const s = document.createElement('style'); s.textContent = %s; document.head.appendChild(s); }\n"
	"  await document.fonts.ready;\n"
	"  await Promise.all(Array.from(document.images, i => i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; })));\n"
	"  const m = n => { const e = document.querySelector('meta[name=\"' + n + '\"]'); return e ? e.content : ''; };\n"
	"  const t = document.querySelector('.print-meta time[datetime], time[datetime]');\n"
	"  let k = m('keywords');\n"
	"  if (!k) k = Array.from(document.querySelectorAll('section.print-lesson > h2, section.slide h2, .slide > h2'), h => h.textContent.trim()).filter(x => x).join(', ');\n"
	"  return JSON.stringify({ title: document.title, author: m('author'), subject: m('description'), keywords: k,\n"
	"    created: m('dcterms.created') || m('dcterms.modified') || (t ? t.getAttribute('datetime') : '') });\n"
	"})()";

/* An ISO date or date-time as a time (UTC), 0 when it is not one. */
static time_t S_iso_time(const char *s)
{
	struct tm tm = { 0 };
	if (!s || !*s)
		return 0;
	const char *e = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!e) {
		memset(&tm, 0, sizeof tm);
		e = strptime(s, "%Y-%m-%d", &tm);
	}
	if (!e)
		return 0;
	time_t t = timegm(&tm);
	/* An offset such as +02:00 after the time. */
	if ((*e == '+' || *e == '-') && strlen(e) >= 6) {
		int h = atoi(e + 1), mi = atoi(e + 4);
		t -= (*e == '+' ? 1 : -1) * (h * 3600 + mi * 60);
	}
	return t;
}

/* Seconds one print may take: the site's timeout, but five minutes at
 * least. */
static double S_print_limit(const struct pdf_run *run)
{
	return run->opts->timeout > 300 ? run->opts->timeout : 300;
}

/* Prints the page; the PDF's bytes in *pdf.  0, or -1 with *err. */
static int S_print(struct buf *pdf, char **err, struct cdp *c, const char *session, double deadline)
{
	json_t *p = json_pack("{s:b, s:b, s:b, s:b, s:b, s:f, s:f, s:f, s:f, s:f, s:f}", "printBackground", 1,
			      "preferCSSPageSize", 1, "generateTaggedPDF", 1, "generateDocumentOutline", 1,
			      "displayHeaderFooter", 0,
			      /* A4 when the page's CSS sets no size. */
			      "paperWidth", 8.2677, "paperHeight", 11.6929, "marginTop", 0.0, "marginBottom", 0.0,
			      "marginLeft", 0.0, "marginRight", 0.0);
	json_t *res = NULL;
	if (cdp_call(&res, err, c, session, "Page.printToPDF", p, deadline) < 0)
		return -1;
	const char *data = json_string_value(json_object_get(res, "data"));
	char *bytes = NULL;
	size_t n = 0;
	int r = -1;
	if (!data || pdf_base64_decode(&bytes, &n, data, strlen(data)) < 0 || n < 8 || memcmp(bytes, "%PDF-", 5)) {
		*err = xstrdup("the browser's answer holds no PDF");
	} else {
		buf_reset(pdf);
		buf_add(pdf, bytes, n);
		r = 0;
	}
	free(bytes);
	json_decref(res);
	return r;
}

/* The outline items of the PDF in pdf, read with pdftohtml from a file in
 * the run's work folder.  The number of items, or -1 with *err. */
static long S_outline(struct outline_item **items, char **err, const struct pdf_run *run, const struct buf *pdf,
		      int slot)
{
	*items = NULL;
	/* Chromium's PDFs are read here; pdftohtml is for any other. */
	long got = pdf_outline_read(items, pdf->data, pdf->len);
	if (got >= 0)
		return got;
	char *file = xasprintf("%s/outline-%d.pdf", run->tmp, slot);
	char *xml = xasprintf("%s/outline-%d.xml", run->tmp, slot);
	char *log = xasprintf("%s/outline-%d.log", run->tmp, slot);
	char *argv[] = { run->tools->pdftohtml, "-q", "-xml", "-i", "-stdout", file, NULL };
	char *text = NULL;
	size_t len;
	long n = -1;
	int timed_out;
	if (file_write_atomic(file, pdf->data, pdf->len) < 0) {
		*err = xasprintf("cannot write %s: %s", file, strerror(errno));
	} else {
		int st = pdf_spawn(argv, run->tmp, xml, log, S_print_limit(run), &timed_out);
		if (st != 0)
			*err = xasprintf("pdftohtml could not read the PDF's outline (exit status %d); check poppler-utils", st);
		else if (file_read(&text, &len, xml) < 0)
			*err = xasprintf("cannot read the output of pdftohtml: %s", strerror(errno));
		else
			n = (long)pdf_outline_parse(items, text, len);
	}
	free(text);
	free(log);
	free(xml);
	free(file);
	return n;
}

/* Where each TOC entry's heading will be printed, found without printing:
 * with print media, the body becomes a multi-column box whose columns are
 * the pages' content boxes (from the page's @page rule), page breaks become
 * column breaks, and a heading's column is its page.  Chromium fragments
 * columns and pages with the same code, so this is right for the course's
 * pages; the print's outline still checks it.  It measures twice, the
 * second time with the numbers in place (they may wrap a TOC line), writes
 * them into the spans, puts the page back as it was, and returns them as a
 * JSON list, or '' when the page box cannot be read.  A style sheet that
 * was blocked has no rules to read and is passed over; a change of named
 * page breaks the page; content wider than the page (a wide table) makes
 * Chromium lay the whole document out that much wider and scale it down
 * to fit, so the columns are as much wider. */
static const char S_predict_js[] =
	"(() => {\n"
	"  const sizes = { a3: [297, 420], a4: [210, 297], a5: [148, 210], b4: [250, 353], b5: [176, 250],\n"
	"    letter: [215.9, 279.4], legal: [215.9, 355.6], ledger: [279.4, 431.8] };\n"
	"  const probe = document.createElement('div');\n"
	"  probe.style.cssText = 'position:absolute;visibility:hidden;height:0';\n"
	"  document.body.appendChild(probe);\n"
	"  const px = v => { if (!v || /%|auto/.test(v)) return NaN; probe.style.width = v; return probe.getBoundingClientRect().width; };\n"
	"  let size = '', m = {};\n"
	"  const rules = sh => { try { return Array.from(sh.cssRules); } catch (e) { return []; } };\n"
	"  for (const sh of document.styleSheets) for (const r of rules(sh)) {\n"
	"    if (!(r instanceof CSSPageRule) || r.selectorText !== '') continue;\n"
	"    if (r.style.size) size = r.style.size;\n"
	"    for (const k of ['marginTop', 'marginRight', 'marginBottom', 'marginLeft']) if (r.style[k]) m[k] = r.style[k];\n"
	"  }\n"
	"  let w = 0, h = 0;\n"
	"  const words = size.toLowerCase().split(/\\s+/).filter(x => x);\n"
	"  const named = words.find(x => sizes[x]);\n"
	"  if (!words.length || named) { [w, h] = sizes[named || 'a4']; w = px(w + 'mm'); h = px(h + 'mm'); }\n"
	"  else { const l = words.filter(x => !/^(portrait|landscape)$/.test(x)); w = px(l[0]); h = px(l[1] || l[0]); }\n"
	"  if (words.includes('landscape') && w < h) [w, h] = [h, w];\n"
	"  w -= px(m.marginLeft || '0px') + px(m.marginRight || '0px');\n"
	"  h -= px(m.marginTop || '0px') + px(m.marginBottom || '0px');\n"
	"  probe.remove();\n"
	"  if (!(w > 50 && h > 50)) return '';\n"
	"  const spans = Array.from(document.querySelectorAll('span.toc-page[data-for]'));\n"
	"  const saved = new Map();\n"
	"  const set = (el, k, v) => { if (!saved.has(el)) saved.set(el, el.getAttribute('style')); el.style[k] = v; };\n"
	"  const forced = /^(page|left|right|recto|verso)$/;\n"
	"  const pageOf = new Map([[document.documentElement, 'auto']]);\n"
	"  for (const el of document.body.querySelectorAll('*')) {\n"
	"    const cs = getComputedStyle(el);\n"
	"    if (cs.display === 'none') continue;\n"
	"    pageOf.set(el, cs.page && cs.page !== 'auto' ? cs.page : pageOf.get(el.parentElement) || 'auto');\n"
	"    for (const k of ['breakBefore', 'breakAfter']) {\n"
	"      if (forced.test(cs[k])) set(el, k, 'column');\n"
	"      else if (cs[k] === 'avoid-page') set(el, k, 'avoid');\n"
	"    }\n"
	"    if (cs.breakInside === 'avoid-page') set(el, 'breakInside', 'avoid');\n"
	"    const prev = el.previousElementSibling;\n"
	"    if (prev && pageOf.has(prev) && pageOf.get(prev) !== pageOf.get(el)) set(el, 'breakBefore', 'column');\n"
	"  }\n"
	"  const b = document.body;\n"
	"  set(b, 'boxSizing', 'content-box');\n"
	"  b.style.width = w + 'px';\n"
	"  const left = b.getBoundingClientRect().left;\n"
	"  let right = 0;\n"
	"  for (const el of b.querySelectorAll('*')) { const q = el.getBoundingClientRect(); if (q.width && q.right - left > right) right = q.right - left; }\n"
	"  const f = Math.min(Math.max(right / w, 1), 2);\n"
	"  w *= f; h *= f;\n"
	"  b.style.width = w + 'px'; b.style.height = h + 'px'; b.style.columnCount = '1';\n"
	"  b.style.columnGap = '0'; b.style.columnFill = 'auto'; b.style.overflow = 'visible';\n"
	"  const measure = () => {\n"
	"    const r = b.getBoundingClientRect(), cs = getComputedStyle(b);\n"
	"    const x0 = r.left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft);\n"
	"    return spans.map(s => {\n"
	"      const t = document.getElementById(s.dataset.for);\n"
	"      if (!t) return 0;\n"
	"      const q = t.getBoundingClientRect();\n"
	"      if (!q.width && !q.height) return 0;\n"
	"      return Math.floor((q.left + Math.min(q.width, w) / 2 - x0) / w) + 1;\n"
	"    });\n"
	"  };\n"
	"  const fill = n => spans.forEach((s, i) => { s.textContent = n[i] > 0 ? String(n[i]) : ''; });\n"
	"  let n = measure();\n"
	"  for (let k = 0; k < 2; k++) {\n"
	"    fill(n);\n"
	"    const again = measure();\n"
	"    if (again.every((x, i) => x === n[i])) break;\n"
	"    n = again;\n"
	"  }\n"
	"  fill(n);\n"
	"  for (const [el, st] of saved) { if (st === null) el.removeAttribute('style'); else el.setAttribute('style', st); }\n"
	"  return JSON.stringify(n);\n"
	"})()";

/* Guesses the TOC's numbers with S_predict_js and writes them into the
 * page, so that the first print is most often the last.  A guess that
 * cannot be made leaves toc as it was (the prints find the numbers). */
static void S_predict(struct pdf_run *run, struct pdf_item *it, struct toc *toc, const char *session)
{
	char *err = NULL;
	double t0 = cdp_now();
	json_t *p = json_pack("{s:s}", "media", "print");
	if (cdp_call(NULL, &err, run->cdp, session, "Emulation.setEmulatedMedia", p, t0 + S_print_limit(run)) < 0) {
		free(err);
		return;
	}
	char *v = S_eval(&err, run->cdp, session, S_predict_js, t0 + S_print_limit(run));
	if (getenv("TOIVO_PDF_PROFILE"))
		diag_line("pdf-profile: %s guessed %s%s\n", it->html, v ? v : "nothing: ", v ? "" : err);
	json_error_t je;
	json_t *n = v && *v ? json_loads(v, 0, &je) : NULL;
	if (json_is_array(n) && json_array_size(n) == toc->n)
		for (size_t i = 0; i < toc->n; i++)
			toc->e[i].page = (int)json_integer_value(json_array_get(n, i));
	json_decref(n);
	free(v);
	free(err);
	pdf_profile(run, it->html, "numbers guessed", t0);
}

/* Writes the TOC's numbers into the page's spans (in document order, as
 * pdf_toc_read() found them). */
static int S_set_numbers(char **err, struct cdp *c, const char *session, const struct toc *t, double deadline)
{
	struct buf js = BUF_INIT;
	buf_puts(&js, "(() => { const n = [");
	for (size_t i = 0; i < t->n; i++)
		buf_printf(&js, "%s%d", i ? "," : "", t->e[i].page);
	buf_puts(&js, "]; document.querySelectorAll('span.toc-page[data-for]').forEach((s, i) => "
		      "{ s.textContent = n[i] > 0 ? String(n[i]) : ''; }); return ''; })()");
	char *v = S_eval(err, c, session, js.data, deadline);
	buf_free(&js);
	free(v);
	return v ? 0 : -1;
}

/* The TOC passes: print, read the outline, write the numbers, until every
 * number printed is the page the PDF has.  0, or -1 with *err. */
static int S_print_all(struct buf *pdf, char **err, struct pdf_run *run, struct pdf_item *it, struct toc *toc,
		       const char *session, int slot)
{
	if (toc->n)
		S_predict(run, it, toc, session);
	for (it->passes = 1; it->passes <= PDF_MAX_PASSES; it->passes++) {
		/* A long document on a busy machine takes minutes to print,
		 * and a print ends: the site's timeout is for loading. */
		double tp = cdp_now();
		if (S_print(pdf, err, run->cdp, session, cdp_now() + S_print_limit(run)) < 0)
			return -1;
		pdf_profile(run, it->html, "printed", tp);
		if (!toc->n)
			return 0;
		struct outline_item *ol;
		tp = cdp_now();
		long n = S_outline(&ol, err, run, pdf, slot);
		if (n < 0)
			return -1;
		pdf_profile(run, it->html, "outline read", tp);
		int *was = xcalloc(toc->n, sizeof *was);
		for (size_t i = 0; i < toc->n; i++)
			was[i] = toc->e[i].page;
		size_t same = pdf_toc_update(toc, ol, (size_t)n);
		it->toc_ok = same;
		if (getenv("TOIVO_PDF_PROFILE"))
			for (size_t i = 0; i < toc->n; i++)
				if (was[i] != toc->e[i].page)
					diag_line("pdf-profile: %s #%s printed %d, is on %d\n", it->html, toc->e[i].id, was[i],
						toc->e[i].page);
		free(was);
		if (same == toc->n)
			return 0;
		if (it->passes < PDF_MAX_PASSES &&
		    S_set_numbers(err, run->cdp, session, toc, cdp_now() + S_print_limit(run)) < 0)
			return -1;
	}
	it->passes = PDF_MAX_PASSES;
	size_t missing = 0;
	for (size_t i = 0; i < toc->n; i++)
		if (!toc->e[i].page && !missing++)
			diag_warn(it->html, 0, 0, "heading '%s' (#%s) of the table of contents is not in the PDF's outline; its page number is left out",
				  toc->e[i].title ? toc->e[i].title : "", toc->e[i].id);
	if (!missing)
		diag_warn(it->html, 0, 0, "the table of contents' page numbers did not settle after %d prints; some may be off by a page",
			  PDF_MAX_PASSES);
	return 0;
}

/* Says why the page did not load, naming what it still waited for. */
static char *S_load_failure(struct pdf_run *run, struct pdf_item *it, const char *why)
{
	struct buf b = BUF_INIT;
	if (!strcmp(why, "timed out"))
		buf_printf(&b, "the print page did not finish loading within %.0f s", run->opts->timeout);
	else
		buf_printf(&b, "the print page could not be loaded: %s", why);
	pthread_mutex_lock(&run->lock);
	for (size_t i = 0; i < it->n_pending && i < 3; i++)
		buf_printf(&b, "%s%s", i ? ", " : "; still waiting for ", it->pending[i].url);
	pthread_mutex_unlock(&run->lock);
	return buf_detach(&b, NULL);
}

/* Opens a tab with its hooks in tab: the browser's first tab when no
 * worker took it yet (a new one costs a renderer's start), else a new one.
 * 0, or -1 with *err. */
static int S_tab_open(struct pdf_tab *tab, char **err, struct pdf_run *run)
{
	struct cdp *c = run->cdp;
	json_t *res = NULL;
	/* Opening a tab takes no time unless the machine is very busy: the
	 * timeout the site sets counts from the navigation on. */
	double deadline = cdp_now() + (run->opts->timeout > 60 ? run->opts->timeout : 60);
	pthread_mutex_lock(&run->lock);
	tab->target = run->first_tab;
	run->first_tab = NULL;
	pthread_mutex_unlock(&run->lock);
	if (!tab->target) {
		/* In a window of its own: a tab behind another is hidden, and
		 * Chromium runs a hidden tab's renderer at a lower priority
		 * (nice 5, even with --disable-renderer-backgrounding): on a
		 * busy machine its documents would wait behind every other
		 * process. */
		if (cdp_call(&res, err, c, NULL, "Target.createTarget",
			     json_pack("{s:s, s:b}", "url", "about:blank", "newWindow", 1), deadline) < 0)
			return -1;
		const char *id = json_string_value(json_object_get(res, "targetId"));
		tab->target = xstrdup(id ? id : "");
		json_decref(res);
	}
	if (cdp_call(&res, err, c, NULL, "Target.attachToTarget",
		     json_pack("{s:s, s:b}", "targetId", tab->target, "flatten", 1), deadline) < 0) {
		pdf_chromium_tab_close(run, tab);
		return -1;
	}
	const char *sid = json_string_value(json_object_get(res, "sessionId"));
	tab->session = xstrdup(sid ? sid : "");
	json_decref(res);
	const char *s = tab->session;
	if (cdp_call(NULL, err, c, s, "Network.enable", NULL, deadline) < 0 ||
	    cdp_call(NULL, err, c, s, "Fetch.enable", json_pack("{s:[{s:s}]}", "patterns", "urlPattern", "*"), deadline) < 0 ||
	    cdp_call(NULL, err, c, s, "Page.enable", NULL, deadline) < 0) {
		pdf_chromium_tab_close(run, tab);
		return -1;
	}
	return 0;
}

/* The browser's first tab, for the first worker to take: found once it
 * has started. */
void pdf_chromium_first_tab(struct pdf_run *run)
{
	char *err = NULL;
	json_t *res = NULL;
	if (cdp_call(&res, &err, run->cdp, NULL, "Target.getTargets", NULL, cdp_now() + 30) == 0) {
		json_t *infos = json_object_get(res, "targetInfos"), *t;
		size_t i;
		json_array_foreach(infos, i, t) {
			const char *type = json_string_value(json_object_get(t, "type"));
			const char *id = json_string_value(json_object_get(t, "targetId"));
			if (type && id && !strcmp(type, "page") && !json_is_true(json_object_get(t, "attached"))) {
				run->first_tab = xstrdup(id);
				break;
			}
		}
	}
	json_decref(res);
	free(err);
}

void pdf_chromium_tab_close(struct pdf_run *run, struct pdf_tab *tab)
{
	if (tab->target && *tab->target && run->cdp) {
		char *err = NULL;
		cdp_call(NULL, &err, run->cdp, NULL, "Target.closeTarget", json_pack("{s:s}", "targetId", tab->target),
			 cdp_now() + 5);
		free(err);
	}
	if (tab->session && run->cdp)
		cdp_forget(run->cdp, tab->session);
	free(tab->target);
	free(tab->session);
	tab->target = tab->session = NULL;
}

int pdf_chromium_item(struct pdf_run *run, struct pdf_item *it, int slot)
{
	struct cdp *c = run->cdp;
	char *err = NULL, *src = path_join(run->dir, it->html), *abs = realpath(src, NULL);
	char *url = NULL, *html = NULL, *info = NULL;
	size_t len = 0;
	struct toc toc = { 0 };
	struct buf pdf = BUF_INIT;
	json_t *res = NULL, *ev = NULL, *meta = NULL;
	int r = -1;
	if (!abs || file_read(&html, &len, abs) < 0) {
		err = xasprintf("the print page is missing (%s); rebuild, or report a bug in toivo", strerror(errno));
		goto out;
	}
	pdf_toc_read(&toc, html, len);
	it->toc_n = toc.n;
	url = S_file_url(abs);
	double tp = cdp_now();
	struct pdf_tab *tab = &run->tabs[slot];
	if (!tab->session && S_tab_open(tab, &err, run) < 0)
		goto out;
	pdf_profile(run, it->html, "tab ready", tp);
	/* The hook sees this document's requests from here on. */
	pthread_mutex_lock(&run->lock);
	it->session = xstrdup(tab->session);
	pthread_mutex_unlock(&run->lock);
	const char *s = it->session;
	tp = cdp_now();
	double deadline;
	deadline = cdp_now() + run->opts->timeout;
	if (cdp_call(&res, &err, c, s, "Page.navigate", json_pack("{s:s}", "url", url), deadline) < 0)
		goto out;
	const char *nav_err = json_string_value(json_object_get(res, "errorText"));
	if (nav_err && *nav_err) {
		err = xasprintf("the print page could not be opened: %s", nav_err);
		goto out;
	}
	/* The tab served other documents before: a load event is this
	 * page's only when the tab's document is the one this navigation
	 * made (its loader), fully loaded. */
	const char *lid = json_string_value(json_object_get(res, "loaderId"));
	char *loader = lid ? xstrdup(lid) : NULL;
	for (;;) {
		char *why = NULL;
		if (cdp_wait_event(&ev, &why, c, s, "Page.loadEventFired", deadline) < 0) {
			err = S_load_failure(run, it, why);
			free(why);
			break;
		}
		json_decref(ev);
		ev = NULL;
		json_t *tree = NULL;
		bool loaded = true;
		if (loader && cdp_call(&tree, &why, c, s, "Page.getFrameTree", NULL, deadline) == 0) {
			const char *now = json_string_value(
				json_object_get(json_object_get(json_object_get(tree, "frameTree"), "frame"), "loaderId"));
			loaded = now && !strcmp(now, loader);
		}
		json_decref(tree);
		char *state = why ? NULL : S_eval(&why, c, s, "document.readyState === 'complete' ? 'loaded' : ''", deadline);
		loaded = loaded && state && !strcmp(state, "loaded");
		free(state);
		if (why) {
			err = S_load_failure(run, it, why);
			free(why);
			break;
		}
		if (loaded)
			break;
	}
	free(loader);
	if (err)
		goto out;
	pdf_profile(run, it->html, "loaded", tp);
	tp = cdp_now();
	/* The page's own scripts have run; fonts and images next. */
	char *css = it->kind && !strcmp(it->kind, "slides") ? NULL : pdf_title_css(it->title);
	json_t *jcss = json_string(css ? css : "");
	char *lit = json_dumps(jcss, JSON_ENCODE_ANY);
	char *js = xasprintf(S_prepare_js, css ? "true" : "false", lit);
	json_decref(jcss);
	free(lit);
	free(css);
	/* Fonts and images are part of loading: the same deadline. */
	info = S_eval(&err, c, s, js, deadline);
	free(js);
	if (!info)
		goto out;
	pdf_profile(run, it->html, "fonts and images", tp);
	json_error_t je;
	meta = json_loads(info, 0, &je);
	if (S_print_all(&pdf, &err, run, it, &toc, s, slot) < 0)
		goto out;
	struct pdf_meta pm = {
		.title = json_string_value(json_object_get(meta, "title")),
		.author = json_string_value(json_object_get(meta, "author")),
		.subject = json_string_value(json_object_get(meta, "subject")),
		.keywords = json_string_value(json_object_get(meta, "keywords")),
		.creator = "toivo",
		.created = S_iso_time(json_string_value(json_object_get(meta, "created"))),
	};
	if (!pm.title || !*pm.title)
		pm.title = it->title;
	tp = cdp_now();
	pdf_meta_update(&pdf, &pm);
	char *dst = path_join(run->dir, it->pdf);
	char *pdir = path_dir(dst);
	mkdir_p(pdir);
	if (file_write_atomic(dst, pdf.data, pdf.len) < 0)
		err = xasprintf("cannot write %s: %s", it->pdf, strerror(errno));
	else
		r = 0;
	pdf_profile(run, it->html, "written", tp);
	free(pdir);
	free(dst);
out:
	if (err && !it->error)
		it->error = xasprintf("%s; %s was not made", err, it->pdf);
	pthread_mutex_lock(&run->lock);
	if (it->session)
		cdp_forget(c, it->session);
	free(it->session);
	it->session = NULL;
	pthread_mutex_unlock(&run->lock);
	/* A tab whose page failed may still be loading it, or be gone: the
	 * next document gets a new one.  One that worked goes straight on to
	 * the next page (its load event is that page's, see above). */
	if (r < 0)
		pdf_chromium_tab_close(run, &run->tabs[slot]);
	json_decref(meta);
	json_decref(ev);
	json_decref(res);
	buf_free(&pdf);
	pdf_toc_free(&toc);
	free(info);
	free(err);
	free(html);
	free(url);
	free(abs);
	free(src);
	return r;
}
