/* serve_http_test.c - toivo serve's request paths and content types, and
 * the reload script's tag in a served page. */
#include "unit.h"
#include "serve_http.h"
#include "serve_reload.h"
#include "util.h"

/* clean(raw) as "rel|dir", or NULL when refused; the caller frees. */
static char *S_clean(const char *raw)
{
	int dir;
	char *rel = serve_http_clean_path(raw, &dir);
	if (!rel)
		return NULL;
	char *r = xasprintf("%s|%d", rel, dir);
	free(rel);
	return r;
}

static void S_path(const char *raw, const char *want, const char *what)
{
	char *got = S_clean(raw);
	unit_str(got, want, what);
	free(got);
}

static void S_inject(const char *page, const char *want, const char *what)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, page);
	serve_reload_inject(&b, "g-1");
	unit_str(b.data, want, what);
	buf_free(&b);
}

int main(void)
{
	S_path("/", "|1", "the root is the output folder");
	S_path("/fi/a%20b/", "fi/a b|1", "escapes are decoded, a slash marks a folder");
	S_path("/fi/a", "fi/a|0", "no slash: maybe a file");
	S_path("//fi/./x//y", "fi/x/y|0", "empty and '.' segments are dropped");
	S_path("/%C3%A4", "\xc3\xa4|0", "UTF-8 escapes give the bytes");
	S_path("/fi/../x", NULL, "'..' is refused");
	S_path("/fi/%2e%2e/x", NULL, "'..' is refused after decoding");
	S_path("/a%00b", NULL, "an escaped NUL is refused");
	S_path("/a%0Ab", NULL, "an escaped control character is refused");
	S_path("/a%zz", NULL, "a bad escape is refused");
	S_path("/a%4", NULL, "a cut escape is refused");
	S_path("/a\\b", NULL, "a backslash is refused");
	S_path("fi/", NULL, "a path without its leading slash is refused");
	S_path(NULL, NULL, "no path is refused");

	unit_str(serve_http_content_type("fi/index.html"), "text/html; charset=utf-8", "HTML");
	unit_str(serve_http_content_type("assets/STYLE.CSS"), "text/css; charset=utf-8",
		 "extensions in any case");
	unit_str(serve_http_content_type("a.b/file"), "application/octet-stream",
		 "a dot in a folder name is no extension");
	unit_str(serve_http_content_type("x.woff2"), "font/woff2", "fonts");

	S_inject("<html><body><p>x</p></body></html>",
		 "<html><body><p>x</p><script src=\"" SERVE_RELOAD_SCRIPT_URL
		 "\" data-toivo-gen=\"g-1\"></script>\n</body></html>",
		 "the tag goes before </body>");
	S_inject("<p>a</p></body><p>b</p></BODY>",
		 "<p>a</p></body><p>b</p><script src=\"" SERVE_RELOAD_SCRIPT_URL
		 "\" data-toivo-gen=\"g-1\"></script>\n</BODY>",
		 "before the last </body>, in any case");
	S_inject("<p>no body</p>",
		 "<p>no body</p><script src=\"" SERVE_RELOAD_SCRIPT_URL "\" data-toivo-gen=\"g-1\"></script>\n",
		 "at the end when there is no </body>");

	char *js;
	size_t len;
	char *path = serve_reload_script_path("/nonexistent-site");
	unit_str(path, "builtin:themes/default/serve/reload.js", "a site without its own copy: the built-in script");
	unit_check(serve_reload_script_read(&js, &len, path) == 0 && len > 0 && strstr(js, "EventSource"),
		   "the built-in script reads");
	free(js);
	free(path);
	unit_capture();
	int r = serve_reload_script_read(&js, &len, "/nonexistent-site/reload.js");
	const char *msgs = unit_captured();
	unit_check(r < 0 && js == NULL && strstr(msgs, "/nonexistent-site/reload.js: error: cannot read the live-reload script") &&
			   strstr(msgs, "built-in"),
		   "a missing script is one error that names the file and what to do");
	return unit_done();
}
