/* publish.c - toivo publish with libgit2; see publish.h.
 *
 * The steps, and what each may change:
 *   1. open the repository found from the site folder; HEAD must be a
 *      commit (the source) and the branch must not be checked out;
 *   2. refuse uncommitted changes under the site's sources;
 *   3. connect to the remote, list it, fetch the branch (objects, and the
 *      remote-tracking ref of a named remote); a dry run only lists;
 *   4. choose the commit to build on: the local branch, or the remote tip
 *      when the local branch is behind or missing; diverged needs --force;
 *   5. write blobs and trees for the built folder (a dry run writes them
 *      into an in-memory object database that is thrown away);
 *   6. commit (no ref), then move refs/heads/BRANCH with compare-and-swap;
 *   7. push; when the push fails the branch is moved back.
 * The working tree, the index and HEAD are never written.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include "buf.h"
#include "cmd.h"
#include "diag.h"
#include "gitdates.h"
#include "publish.h"
#include "util.h"

enum { TRIED_USER = 1, TRIED_KEY = 2, TRIED_AGENT = 4, TRIED_TOKEN = 8 };

struct publish {
	struct publish_opts o;
	git_repository *repo;
	git_remote *remote;
	bool named;             /* a configured remote, not a URL */
	char *ref;              /* "refs/heads/gh-pages" */
	char *tracking;         /* "refs/remotes/origin/gh-pages", or NULL for a URL */
	char *remote_branch;    /* "origin/gh-pages" or "URL gh-pages", for messages */
	git_oid head;           /* the source commit */
	bool dirty;             /* published with --allow-dirty over changes */
	bool has_local;         /* refs/heads/BRANCH exists */
	git_oid local;
	bool has_remote;        /* the remote has the branch */
	bool remote_here;       /* ... and its tip is in the local object database */
	git_oid rtip;
	bool has_base;          /* the commit to build on */
	git_oid base;
	bool diverged;          /* local and remote diverged (only with --force) */
	bool offline;           /* --no-push and the remote could not be used */
	bool missing_path;      /* the remote is a local path that does not exist */
	/* credentials, per connection */
	int cred_tries;
	unsigned cred_tried;
	bool cred_gave_up;
	/* push result */
	char *push_status;
};

/* ------------------------------------------------------------------ */
/* messages */

/* The last libgit2 error as one line, without a final period. */
static const char *S_gerr(void)
{
	static char msg[512];
	const git_error *e = git_error_last();
	snprintf(msg, sizeof msg, "%s", e && e->message ? e->message : "unknown error");
	for (char *c = msg; *c; c++)
		if (*c == '\n' || *c == '\r' || *c == '\t')
			*c = ' ';
	size_t n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '.' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	return msg;
}

static void S_short(char out[8], const git_oid *id)
{
	git_oid_tostr(out, 8, id);
}

/* Where a message about the whole site points: the site folder, or nothing
 * ("toivo: error: ...") when that is the current folder. */
static const char *S_where(const struct publish *p)
{
	return strcmp(p->o.root, ".") && strcmp(p->o.root, "./") ? p->o.root : NULL;
}

static const char *S_remote_name(const struct publish *p)
{
	return p->o.remote;
}

/* What was tried, for an authentication message. */
static void S_tried(struct buf *b, unsigned tried)
{
	const char *sep = "";
	if (tried & TRIED_AGENT) {
		buf_printf(b, "%sthe ssh agent", sep);
		sep = ", ";
	}
	if (tried & TRIED_KEY) {
		buf_printf(b, "%sthe key in TOIVO_SSH_KEY", sep);
		sep = ", ";
	}
	if (tried & TRIED_TOKEN) {
		buf_printf(b, "%sthe token in TOIVO_GIT_TOKEN", sep);
		sep = ", ";
	}
	if (!*sep)
		buf_puts(b, "no credentials were found");
}

/* Reports a failed connection, fetch or push as one line. */
static void S_remote_error(struct publish *p, int r, const char *doing)
{
	const char *R = S_remote_name(p);
	if (r == GIT_EAUTH || p->cred_gave_up) {
		struct buf b = BUF_INIT;
		S_tried(&b, p->cred_tried);
		diag_error(NULL, 0, 0, "authentication to remote '%s' was refused (%s); for ssh run 'ssh-add KEY' "
			   "or set TOIVO_SSH_KEY=PATH, for https set TOIVO_GIT_TOKEN to a token that may push",
			   R, b.data);
		buf_free(&b);
	} else if (r == GIT_ECERTIFICATE) {
		diag_error(NULL, 0, 0, "the certificate of remote '%s' was not accepted (%s); check the URL "
			   "and the system's CA certificates", R, S_gerr());
	} else if (p->missing_path) {
		diag_error(NULL, 0, 0, "cannot %s remote '%s' (no such folder); check the path, or create the "
			   "repository with 'git init --bare PATH'", doing, R);
	} else {
		diag_error(NULL, 0, 0, "cannot %s remote '%s' (%s); check the URL or path, the network, and "
			   "that the repository exists", doing, R, S_gerr());
	}
}

/* ------------------------------------------------------------------ */
/* credentials */

static int S_cred(git_credential **out, const char *url, const char *user_from_url,
		  unsigned int allowed, void *payload)
{
	struct publish *p = payload;
	(void)url;
	const char *user = user_from_url && *user_from_url ? user_from_url : getenv("TOIVO_GIT_USER");
	if (++p->cred_tries > 5)
		goto give_up;
	if ((allowed & GIT_CREDENTIAL_USERNAME) && !(p->cred_tried & TRIED_USER)) {
		p->cred_tried |= TRIED_USER;
		return git_credential_username_new(out, user && *user ? user : "git");
	}
	if (allowed & GIT_CREDENTIAL_SSH_KEY) {
		const char *u = user && *user ? user : "git";
		const char *key = getenv("TOIVO_SSH_KEY");
		if (key && *key && !(p->cred_tried & TRIED_KEY)) {
			p->cred_tried |= TRIED_KEY;
			char *pub = xasprintf("%s.pub", key);
			int r = git_credential_ssh_key_new(out, u, is_file(pub) ? pub : NULL, key,
							   getenv("TOIVO_SSH_PASSPHRASE"));
			free(pub);
			return r;
		}
		const char *sock = getenv("SSH_AUTH_SOCK");
		if (sock && *sock && !(p->cred_tried & TRIED_AGENT)) {
			p->cred_tried |= TRIED_AGENT;
			return git_credential_ssh_key_from_agent(out, u);
		}
	}
	if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
		const char *tok = getenv("TOIVO_GIT_TOKEN");
		if (tok && *tok && !(p->cred_tried & TRIED_TOKEN)) {
			p->cred_tried |= TRIED_TOKEN;
			return git_credential_userpass_plaintext_new(out, user && *user ? user : "x-access-token", tok);
		}
	}
give_up:
	p->cred_gave_up = true;
	git_error_set_str(GIT_ERROR_NET, "no more credentials to try");
	return GIT_EAUTH;
}

static int S_push_ref(const char *refname, const char *status, void *payload)
{
	struct publish *p = payload;
	if (status && !p->push_status)
		p->push_status = xasprintf("%s: %s", refname, status);
	return 0;
}

static void S_callbacks(struct publish *p, git_remote_callbacks *cb)
{
	git_remote_init_callbacks(cb, GIT_REMOTE_CALLBACKS_VERSION);
	cb->credentials = S_cred;
	cb->push_update_reference = S_push_ref;
	cb->payload = p;
	p->cred_tries = 0;
	p->cred_tried = 0;
	p->cred_gave_up = false;
}

/* ------------------------------------------------------------------ */
/* step 1 and 2: the repository and the source */

static int S_open(struct publish *p)
{
	const char *root = S_where(p);
	if (!is_dir(p->o.root)) {
		diag_error(p->o.root, 0, 0, "no such folder; pass the site's folder with -s DIR");
		return -1;
	}
	if (git_repository_open_ext(&p->repo, p->o.root, 0, NULL) < 0) {
		diag_error(root, 0, 0, "not inside a git repository; publishing commits the built site to a "
			   "branch of the site's repository, so run 'git init' there and commit the site first");
		return -1;
	}
	if (git_repository_is_bare(p->repo)) {
		diag_error(root, 0, 0, "the repository is bare; run toivo publish in a clone that has a working tree");
		return -1;
	}
	if (git_reference_name_to_id(&p->head, p->repo, "HEAD") < 0) {
		diag_error(root, 0, 0, "the repository has no commit yet; commit the site first, so the "
			   "published pages name the commit they come from");
		return -1;
	}
	if (git_reference_name_to_id(&p->local, p->repo, p->ref) == 0) {
		git_reference *r = NULL;
		git_commit *c = NULL;
		int out = git_reference_lookup(&r, p->repo, p->ref) == 0 ? git_branch_is_checked_out(r) : 0;
		int ok = git_commit_lookup(&c, p->repo, &p->local) == 0;
		git_commit_free(c);
		git_reference_free(r);
		if (out == 1) {
			diag_error(root, 0, 0, "branch '%s' is checked out, and publishing would change the files "
				   "under it; switch to the branch of the sources ('git switch main'), or publish "
				   "to another branch with --branch", p->o.branch);
			return -1;
		}
		if (!ok) {
			diag_error(root, 0, 0, "branch '%s' does not point at a commit; publish to another "
				   "branch with --branch", p->o.branch);
			return -1;
		}
		p->has_local = true;
	}
	return 0;
}

static int S_check_clean(struct publish *p)
{
	char *prefix = gitdates_site_prefix(p->repo, p->o.root);
	if (!prefix) {
		diag_error(S_where(p), 0, 0, "the site folder is not inside the repository's working tree; "
			   "run toivo publish on a site folder inside the repository");
		return -1;
	}
	static const char *const parts[] = { "content", "themes", "lua", "static", "site.yaml" };
	enum { N = sizeof parts / sizeof parts[0] };
	char *specs[N];
	for (size_t i = 0; i < N; i++)
		specs[i] = xasprintf("%s%s", prefix, parts[i]);
	git_status_options so;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH | GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	so.pathspec.strings = specs;
	so.pathspec.count = N;
	git_status_list *sl = NULL;
	int rc = 0;
	if (git_status_list_new(&sl, p->repo, &so) < 0) {
		diag_error(S_where(p), 0, 0, "cannot read the repository's status (%s); run 'git status' to see why",
			   S_gerr());
		rc = -1;
		goto out;
	}
	size_t n = 0;
	const char *first = NULL;
	for (size_t i = 0; i < git_status_list_entrycount(sl); i++) {
		const git_status_entry *e = git_status_byindex(sl, i);
		if (e->status == GIT_STATUS_CURRENT || (e->status & GIT_STATUS_IGNORED))
			continue;
		if (!first) {
			const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
			first = d ? (d->new_file.path ? d->new_file.path : d->old_file.path) : NULL;
		}
		n++;
	}
	if (n > 0) {
		const char *rel = first && !strncmp(first, prefix, strlen(prefix)) ? first + strlen(prefix) : first;
		char *shown = rel && S_where(p) ? path_join(p->o.root, rel) : xstrdup(rel ? rel : p->o.root);
		if (!p->o.allow_dirty) {
			if (n > 1)
				diag_error(shown, 0, 0, "uncommitted change (and %zu more) in the site's sources, so the "
					   "published site would match no commit; commit them first, or pass --allow-dirty", n - 1);
			else
				diag_error(shown, 0, 0, "uncommitted change in the site's sources, so the published "
					   "site would match no commit; commit it first, or pass --allow-dirty");
			rc = -1;
		} else {
			diag_warn(shown, 0, 0, "publishing with %zu uncommitted change%s (--allow-dirty); the commit "
				  "message says so", n, n == 1 ? "" : "s");
			p->dirty = true;
		}
		free(shown);
	}
out:
	git_status_list_free(sl);
	for (size_t i = 0; i < N; i++)
		free(specs[i]);
	free(prefix);
	return rc;
}

/* ------------------------------------------------------------------ */
/* step 3: the remote */

/* A remote given as a URL or path rather than a name: it has "://", a
 * slash or a colon (scp-like "git@host:path") in it. */
static bool S_is_url(const char *r)
{
	return strstr(r, "://") || strchr(r, '/') || strchr(r, ':');
}

/* url.BASE.insteadOf (or pushInsteadOf when suffix says so): the URL with
 * the longest matching prefix rewritten, or NULL when none matches.  Done
 * here with a plain config iterator because libgit2 1.5 does it with a
 * regular expression that leaks for every config entry it does not match. */
static char *S_rewrite(git_config *cfg, const char *url, const char *suffix)
{
	git_config_iterator *it = NULL;
	git_config_entry *e;
	char *out = NULL;
	size_t best = 0, sl = strlen(suffix);
	if (git_config_iterator_new(&it, cfg) < 0)
		return NULL;
	while (git_config_next(&e, it) == 0) {
		const char *n = e->name;
		size_t nl = strlen(n), vl = e->value ? strlen(e->value) : 0;
		if (nl <= 4 + sl || strncmp(n, "url.", 4) || strcmp(n + nl - sl, suffix))
			continue;
		if (!vl || vl <= best || strncmp(url, e->value, vl))
			continue;
		best = vl;
		free(out);
		out = xasprintf("%.*s%s", (int)(nl - sl - 4), n + 4, url + vl);
	}
	git_config_iterator_free(it);
	return out;
}

/* The fetch and push URLs of remote `name` as git would use them; -1 when
 * there is no such remote, -2 on other errors. */
static int S_remote_urls(git_repository *repo, const char *name, char **fetch, char **push)
{
	git_config *cfg = NULL;
	git_buf url = { 0 }, pushurl = { 0 };
	char *k = xasprintf("remote.%s.url", name);
	char *pk = xasprintf("remote.%s.pushurl", name);
	int rc = -2;
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		goto out;
	int r = git_config_get_string_buf(&url, cfg, k);
	if (r == GIT_ENOTFOUND)
		rc = -1;
	if (r < 0)
		goto out;
	*fetch = S_rewrite(cfg, url.ptr, ".insteadof");
	if (!*fetch)
		*fetch = xstrdup(url.ptr);
	if (git_config_get_string_buf(&pushurl, cfg, pk) == 0) {
		*push = S_rewrite(cfg, pushurl.ptr, ".insteadof");
		if (!*push)
			*push = xstrdup(pushurl.ptr);
	} else {
		*push = S_rewrite(cfg, url.ptr, ".pushinsteadof");
		if (!*push)
			*push = xstrdup(*fetch);
	}
	rc = 0;
out:
	git_buf_dispose(&url);
	git_buf_dispose(&pushurl);
	git_config_free(cfg);
	free(k);
	free(pk);
	return rc;
}

/* A remote object for these URLs, made without libgit2's own insteadOf
 * lookup (see S_rewrite). */
static int S_make_remote(struct publish *p, const char *fetch, const char *push)
{
	git_remote_create_options co;
	git_remote_create_options_init(&co, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	co.repository = p->repo;
	co.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(&p->remote, fetch, &co) < 0)
		return -1;
	if (strcmp(fetch, push) && git_remote_set_instance_pushurl(p->remote, push) < 0)
		return -1;
	return 0;
}

/* Whether url is a local path (or file:// URL) with nothing there. */
static bool S_missing(const char *url)
{
	const char *path = !strncmp(url, "file://", 7) ? url + 7 : url;
	return (path[0] == '/' || path[0] == '.') && !is_dir(path);
}

static int S_remote(struct publish *p)
{
	const char *R = p->o.remote;
	int valid = 0;
	if (git_remote_name_is_valid(&valid, R) == 0 && valid && !S_is_url(R)) {
		char *fetch = NULL, *push = NULL;
		int r = S_remote_urls(p->repo, R, &fetch, &push);
		if (r == 0 && S_make_remote(p, fetch, push) < 0)
			r = -3;
		if (r == 0)
			p->missing_path = S_missing(fetch);
		free(fetch);
		free(push);
		if (r == 0) {
			p->named = true;
			p->tracking = xasprintf("refs/remotes/%s/%s", R, p->o.branch);
			p->remote_branch = xasprintf("%s/%s", R, p->o.branch);
			return 0;
		}
		if (r == -1 && p->o.no_push && !p->o.dry_run) {
			diag_warn(S_where(p), 0, 0, "no remote named '%s'; committing on the local branch only "
				  "(--no-push)", R);
			p->offline = true;
			return 0;
		}
		if (r == -1)
			diag_error(S_where(p), 0, 0, "no remote named '%s'; add it with 'git remote add %s URL', or "
				   "pass the remote's URL or path with --remote", R, R);
		else
			diag_error(S_where(p), 0, 0, "cannot use remote '%s' (%s); check it with 'git remote -v'",
				   R, S_gerr());
		return -1;
	}
	if (!S_is_url(R)) {
		diag_error(S_where(p), 0, 0, "'%s' is neither a remote's name nor a URL; pass a name from "
			   "'git remote' or a URL such as ./site.git or https://host/repo.git", R);
		return -1;
	}
	/* A local path is made absolute, so it does not depend on libgit2's
	 * idea of the current folder. */
	char abs[PATH_MAX];
	const char *url = !strstr(R, "://") && is_dir(R) && realpath(R, abs) ? abs : R;
	git_config *cfg = NULL;
	char *fetch = NULL, *push = NULL;
	if (git_repository_config_snapshot(&cfg, p->repo) == 0) {
		fetch = S_rewrite(cfg, url, ".insteadof");
		push = S_rewrite(cfg, url, ".pushinsteadof");
	}
	git_config_free(cfg);
	p->missing_path = S_missing(url);
	int r = S_make_remote(p, fetch ? fetch : url, push ? push : fetch ? fetch : url);
	free(fetch);
	free(push);
	if (r < 0) {
		diag_error(S_where(p), 0, 0, "'%s' is not a usable remote URL (%s); pass a URL such as "
			   "https://host/repo.git, ssh://host/repo.git or a path", R, S_gerr());
		return -1;
	}
	p->remote_branch = xasprintf("%s %s", R, p->o.branch);
	return 0;
}

/* Sets the remote-tracking ref refs/remotes/R/B, as git fetch and git push
 * do; a failure only costs that convenience, so it is a warning. */
static void S_track(struct publish *p, const git_oid *id, const char *log)
{
	git_reference *ref = NULL;
	if (git_reference_create(&ref, p->repo, p->tracking, id, 1, log) < 0)
		diag_warn(NULL, 0, 0, "cannot update %s (%s); 'git fetch' will", p->tracking, S_gerr());
	git_reference_free(ref);
}

/* Lists the remote and fetches the branch.  A dry run only lists. */
static int S_fetch(struct publish *p)
{
	if (p->offline)
		return 0;
	git_remote_callbacks cb;
	S_callbacks(p, &cb);
	git_proxy_options px;
	git_proxy_options_init(&px, GIT_PROXY_OPTIONS_VERSION);
	px.type = GIT_PROXY_AUTO;
	int r = git_remote_connect(p->remote, GIT_DIRECTION_FETCH, &cb, &px, NULL);
	if (r < 0) {
		if (p->o.no_push && !p->o.dry_run) {
			p->offline = true;
			diag_warn(NULL, 0, 0, "cannot reach remote '%s' (%s); committing on the local branch "
				  "only (--no-push)", S_remote_name(p), S_gerr());
			return 0;
		}
		S_remote_error(p, r, "reach");
		return -1;
	}
	const git_remote_head **heads = NULL;
	size_t n = 0;
	if ((r = git_remote_ls(&heads, &n, p->remote)) < 0) {
		S_remote_error(p, r, "list");
		git_remote_disconnect(p->remote);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(heads[i]->name, p->ref)) {
			p->has_remote = true;
			git_oid_cpy(&p->rtip, &heads[i]->oid);
		}
	if (p->has_remote && !p->o.dry_run) {
		char *spec = p->ref;
		git_strarray specs = { &spec, 1 };
		git_fetch_options fo;
		git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
		fo.callbacks = cb;
		fo.prune = GIT_FETCH_NO_PRUNE;
		fo.update_fetchhead = 0;
		fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
		fo.proxy_opts.type = GIT_PROXY_AUTO;
		r = git_remote_download(p->remote, &specs, &fo);
		if (r < 0) {
			S_remote_error(p, r, "fetch from");
			git_remote_disconnect(p->remote);
			return -1;
		}
	}
	git_remote_disconnect(p->remote);
	if (p->has_remote) {
		git_commit *c = NULL;
		p->remote_here = git_commit_lookup(&c, p->repo, &p->rtip) == 0;
		git_commit_free(c);
		if (!p->remote_here && !p->o.dry_run) {
			diag_error(NULL, 0, 0, "the fetch from remote '%s' did not bring the commit of branch '%s'; "
				   "run 'git fetch %s %s' to see why", S_remote_name(p), p->o.branch,
				   S_remote_name(p), p->o.branch);
			return -1;
		}
		if (p->tracking && !p->o.dry_run)
			S_track(p, &p->rtip, "toivo publish: fetch");
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* step 4: the commit to build on */

static int S_base(struct publish *p)
{
	char l[8], r[8];
	if (p->has_local)
		S_short(l, &p->local);
	if (p->has_remote)
		S_short(r, &p->rtip);
	if (!p->has_remote || !p->remote_here) {
		if (p->has_remote)
			diag(DIAG_NOTE, NULL, 0, 0, "remote '%s' has %s at %s, which is not fetched yet "
			     "(a dry run fetches nothing); comparing with the local branch",
			     S_remote_name(p), p->o.branch, r);
		if (p->has_local) {
			p->has_base = true;
			git_oid_cpy(&p->base, &p->local);
		}
		return 0;
	}
	p->has_base = true;
	if (!p->has_local || git_oid_equal(&p->local, &p->rtip)) {
		git_oid_cpy(&p->base, &p->rtip);
		return 0;
	}
	if (git_graph_descendant_of(p->repo, &p->local, &p->rtip) == 1) {
		git_oid_cpy(&p->base, &p->local);        /* local is ahead */
		return 0;
	}
	if (git_graph_descendant_of(p->repo, &p->rtip, &p->local) == 1) {
		git_oid_cpy(&p->base, &p->rtip);         /* local is behind */
		return 0;
	}
	if (!p->o.force) {
		diag_error(NULL, 0, 0, "branch '%s' (%s) and %s (%s) have diverged; pass --force to publish on "
			   "the local branch and replace the remote's, or delete the local branch "
			   "('git branch -D %s') to publish on the remote's", p->o.branch, l, p->remote_branch, r,
			   p->o.branch);
		return -1;
	}
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof hex, &p->rtip);
	diag_warn(NULL, 0, 0, "branch '%s' (%s) and %s (%s) have diverged; --force: publishing on the local "
		  "branch and replacing the remote's, whose old tip %s stays in this repository until 'git gc'",
		  p->o.branch, l, p->remote_branch, r, hex);
	p->diverged = true;
	git_oid_cpy(&p->base, &p->local);
	return 0;
}

struct publish *publish_begin(const struct publish_opts *o)
{
	git_libgit2_init();
	struct publish *p = xcalloc(1, sizeof *p);
	p->o = *o;
	p->ref = xasprintf("refs/heads/%s", o->branch);
	int valid = 0;
	if (git_reference_name_is_valid(&valid, p->ref) < 0 || !valid) {
		diag_error(S_where(p), 0, 0, "'%s' is not a valid branch name; pass another with --branch or "
			   "set publish.branch in site.yaml", o->branch);
		goto fail;
	}
	if (S_open(p) < 0 || S_check_clean(p) < 0 || S_remote(p) < 0)
		goto fail;
	if (S_fetch(p) < 0 || S_base(p) < 0)
		goto fail;
	return p;
fail:
	publish_end(p);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* step 5: the tree */

/* Writes the tree of folder dir ("rel" is its path in the output, "" at
 * the top).  *empty is set when it holds no file at all. */
static int S_tree(struct publish *p, const char *dir, const char *rel, git_oid *out, bool *empty)
{
	git_treebuilder *tb = NULL;
	DIR *d = opendir(dir);
	int rc = -1;
	if (!d) {
		diag_error(dir, 0, 0, "cannot read the built folder: %s", strerror(errno));
		return -1;
	}
	if (git_treebuilder_new(&tb, p->repo, NULL) < 0) {
		diag_error(NULL, 0, 0, "cannot make a tree (%s)", S_gerr());
		goto out;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *name = e->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		char *path = path_join(dir, name);
		char *r = *rel ? xasprintf("%s/%s", rel, name) : xstrdup(name);
		struct stat st;
		git_oid id;
		git_filemode_t mode = 0;
		int bad = 0;
		if (lstat(path, &st) < 0) {
			diag_error(path, 0, 0, "cannot read the built file: %s", strerror(errno));
			bad = 1;
		} else if (S_ISDIR(st.st_mode)) {
			bool sub_empty = false;
			if (S_tree(p, path, r, &id, &sub_empty) < 0)
				bad = 1;
			else if (!sub_empty)
				mode = GIT_FILEMODE_TREE;
		} else if (S_ISREG(st.st_mode)) {
			char *data = NULL;
			size_t len = 0;
			if (file_read(&data, &len, path) < 0) {
				diag_error(path, 0, 0, "cannot read the built file: %s", strerror(errno));
				bad = 1;
			} else if (git_blob_create_from_buffer(&id, p->repo, data, len) < 0) {
				diag_error(NULL, 0, 0, "cannot store %s in the repository (%s)", r, S_gerr());
				bad = 1;
			} else {
				mode = st.st_mode & S_IXUSR ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
			}
			free(data);
		} else {
			diag_error(NULL, 0, 0, "the built site has %s, which is %s; publish takes regular files and "
				   "folders only, so make it a file in static/ or content/", r,
				   S_ISLNK(st.st_mode) ? "a symbolic link" : "not a regular file");
			bad = 1;
		}
		if (!bad && mode && git_treebuilder_insert(NULL, tb, name, &id, mode) < 0) {
			diag_error(NULL, 0, 0, "cannot publish %s (%s); rename it", r, S_gerr());
			bad = 1;
		}
		free(path);
		free(r);
		if (bad)
			goto out;
	}
	if (!*rel) {
		/* .nojekyll: GitHub Pages serves the files as they are (also
		 * folders that start with '_'); CNAME: the custom domain. */
		git_oid id;
		const char *cname = p->o.cname;
		char *cn = cname && *cname ? xasprintf("%s\n", cname) : NULL;
		int r = git_blob_create_from_buffer(&id, p->repo, "", 0);
		if (r == 0)
			r = git_treebuilder_insert(NULL, tb, ".nojekyll", &id, GIT_FILEMODE_BLOB);
		if (r == 0 && cn && (r = git_blob_create_from_buffer(&id, p->repo, cn, strlen(cn))) == 0)
			r = git_treebuilder_insert(NULL, tb, "CNAME", &id, GIT_FILEMODE_BLOB);
		free(cn);
		if (r < 0) {
			diag_error(NULL, 0, 0, "cannot add .nojekyll or CNAME (%s)", S_gerr());
			goto out;
		}
	}
	*empty = git_treebuilder_entrycount(tb) == 0;
	if (!*empty && git_treebuilder_write(out, tb) < 0) {
		diag_error(NULL, 0, 0, "cannot write a tree (%s)", S_gerr());
		goto out;
	}
	rc = 0;
out:
	git_treebuilder_free(tb);
	closedir(d);
	return rc;
}

/* ------------------------------------------------------------------ */
/* the difference, for the summary and the dry run */

struct counts {
	size_t added, changed, removed;
	bool list;
};

static int S_delta(const git_diff_delta *d, float progress, void *ud)
{
	struct counts *c = ud;
	(void)progress;
	const char *what;
	switch (d->status) {
	case GIT_DELTA_ADDED:
		c->added++;
		what = "add";
		break;
	case GIT_DELTA_DELETED:
		c->removed++;
		what = "remove";
		break;
	default:
		c->changed++;
		what = "change";
		break;
	}
	if (c->list)
		printf("%-6s %s\n", what, d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path);
	return 0;
}

static int S_diff(struct publish *p, const git_tree *old, const git_tree *new, struct counts *c)
{
	git_diff *diff = NULL;
	git_diff_options dopts;
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	if (git_diff_tree_to_tree(&diff, p->repo, (git_tree *)old, (git_tree *)new, &dopts) < 0 ||
	    git_diff_foreach(diff, S_delta, NULL, NULL, NULL, c) < 0) {
		git_diff_free(diff);
		diag_error(NULL, 0, 0, "cannot compare with branch '%s' (%s)", p->o.branch, S_gerr());
		return -1;
	}
	git_diff_free(diff);
	return 0;
}

/* ------------------------------------------------------------------ */
/* steps 6 and 7 */

static char *S_message(const struct publish *p)
{
	char hex[GIT_OID_HEXSZ + 1], sh[8];
	git_oid_tostr(hex, sizeof hex, &p->head);
	S_short(sh, &p->head);
	struct buf b = BUF_INIT;
	if (p->o.message && *p->o.message) {
		size_t n = strlen(p->o.message);
		while (n > 0 && (p->o.message[n - 1] == '\n' || p->o.message[n - 1] == ' '))
			n--;
		buf_add(&b, p->o.message, n);
	} else {
		buf_printf(&b, "Publish %s%s (toivo %s)", sh, p->dirty ? "-dirty" : "", TOIVO_VERSION);
	}
	buf_printf(&b, "\n\nSource-commit: %s\n", hex);
	if (p->dirty)
		buf_puts(&b, "Source-dirty: true\n");
	return buf_detach(&b, NULL);
}

/* Moves the branch back after a failed push.  Returns 0, or -1 when it had
 * moved meanwhile (then it is left alone). */
static int S_restore(struct publish *p, const git_oid *made)
{
	git_reference *ref = NULL;
	int r;
	if (p->has_local) {
		r = git_reference_create_matching(&ref, p->repo, p->ref, &p->local, 1, made,
						  "toivo publish: push failed, branch restored");
	} else {
		git_oid now;
		r = git_reference_name_to_id(&now, p->repo, p->ref);
		if (r == 0 && git_oid_equal(&now, made) && (r = git_reference_lookup(&ref, p->repo, p->ref)) == 0)
			r = git_branch_delete(ref);
		else if (r == 0)
			r = -1;
	}
	git_reference_free(ref);
	return r < 0 ? -1 : 0;
}

static int S_push(struct publish *p, const git_oid *made, const git_oid *final)
{
	char *spec = xasprintf("%s%s:%s", p->diverged ? "+" : "", p->ref, p->ref);
	git_strarray specs = { &spec, 1 };
	git_push_options po;
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	S_callbacks(p, &po.callbacks);
	po.proxy_opts.type = GIT_PROXY_AUTO;
	int r = git_remote_push(p->remote, &specs, &po);
	free(spec);
	if (r == 0 && !p->push_status) {
		if (p->tracking)
			S_track(p, final, "toivo publish: push");
		return 0;
	}

	/* Failed: say why, and put the branch back. */
	char what[160] = "";
	if (made) {
		char sh[8];
		/* Restored once: a second try would find the branch gone (or
		 * back) and report that it moved. */
		int moved = S_restore(p, made) < 0;
		S_short(sh, p->has_local && !moved ? &p->local : made);
		if (moved)
			snprintf(what, sizeof what, "; branch '%s' has the new commit %s (it moved meanwhile)",
				 p->o.branch, sh);
		else if (p->has_local)
			snprintf(what, sizeof what, "; branch '%s' is back at %s", p->o.branch, sh);
		else
			snprintf(what, sizeof what, "; branch '%s' was removed again", p->o.branch);
	}
	const char *R = S_remote_name(p);
	if (p->push_status)
		diag_error(NULL, 0, 0, "remote '%s' rejected the push (%s)%s; if it changed meanwhile, run toivo "
			   "publish again, or pass --force to replace it", R, p->push_status, what);
	else if (r == GIT_ENONFASTFORWARD)
		diag_error(NULL, 0, 0, "the push to remote '%s' would not fast-forward %s (it changed "
			   "meanwhile)%s; run toivo publish again to build on it, or pass --force to replace it",
			   R, p->o.branch, what);
	else if (r == GIT_EAUTH || p->cred_gave_up) {
		struct buf b = BUF_INIT;
		S_tried(&b, p->cred_tried);
		diag_error(NULL, 0, 0, "authentication to remote '%s' was refused (%s)%s; for ssh run 'ssh-add "
			   "KEY' or set TOIVO_SSH_KEY=PATH, for https set TOIVO_GIT_TOKEN to a token that may push",
			   R, b.data, what);
		buf_free(&b);
	} else
		diag_error(NULL, 0, 0, "cannot push to remote '%s' (%s)%s; check the URL, the network and "
			   "your rights to push, or pass --no-push to commit only", R, S_gerr(), what);
	return -1;
}

/* An in-memory object database in front of the repository's: a dry run
 * writes its blobs and trees there, and they vanish with it. */
static int S_memory_odb(struct publish *p)
{
	git_odb *odb = NULL;
	git_odb_backend *mem = NULL;
	int r = git_repository_odb(&odb, p->repo);
	if (r == 0 && (r = git_mempack_new(&mem)) == 0 && (r = git_odb_add_backend(odb, mem, 999)) < 0)
		mem->free(mem);
	git_odb_free(odb);
	if (r < 0)
		diag_error(NULL, 0, 0, "cannot make an in-memory object database (%s)", S_gerr());
	return r < 0 ? -1 : 0;
}

int publish_finish(struct publish *p, const char *dir)
{
	int rc = -1;
	git_commit *base = NULL;
	git_tree *old = NULL, *tree = NULL;
	git_signature *sig = NULL;
	git_reference *ref = NULL;
	char *msg = NULL;
	git_oid tid, cid;
	bool empty = false;
	char sb[8] = "", sc[8] = "";
	const char *B = p->o.branch;
	struct buf say = BUF_INIT;

	if (p->o.dry_run && S_memory_odb(p) < 0)
		goto out;
	if (S_tree(p, dir, "", &tid, &empty) < 0)
		goto out;
	if (git_tree_lookup(&tree, p->repo, &tid) < 0) {
		diag_error(NULL, 0, 0, "cannot read the new tree (%s)", S_gerr());
		goto out;
	}
	if (p->has_base) {
		S_short(sb, &p->base);
		if (git_commit_lookup(&base, p->repo, &p->base) < 0 || git_commit_tree(&old, base) < 0) {
			diag_error(NULL, 0, 0, "cannot read the tip of branch '%s' (%s)", B, S_gerr());
			goto out;
		}
	}
	struct counts c = { .list = p->o.dry_run };
	if (S_diff(p, old, tree, &c) < 0)
		goto out;
	bool same = old && git_oid_equal(git_tree_id(old), &tid);
	const git_oid *final = same ? &p->base : NULL;
	bool push = !p->o.no_push && !p->offline;

	if (p->o.dry_run) {
		const char *on = !p->has_base ? "a new branch" : p->has_remote && git_oid_equal(&p->base, &p->rtip)
			? p->remote_branch : B;
		if (same)
			printf("dry run: %s at %s already holds this build; no commit would be made", B, sb);
		else
			printf("dry run: %zu to add, %zu to change, %zu to remove; would commit on %s%s%s", c.added,
			       c.changed, c.removed, on, *sb ? " at " : "", sb);
		bool ahead = !same || !p->has_remote || !p->remote_here || !git_oid_equal(&p->base, &p->rtip);
		if (push && ahead)
			printf("%s %s to %s%s", same ? "; would push it" : ", then push", B, S_remote_name(p),
			       p->diverged ? " with --force" : "");
		printf("; nothing was written\n");
		rc = 0;
		goto out;
	}

	if (!same) {
		if (git_signature_default(&sig, p->repo) < 0) {
			diag_error(NULL, 0, 0, "no git identity for the publish commit; set one with "
				   "'git config user.name NAME' and 'git config user.email ADDRESS'");
			goto out;
		}
		msg = S_message(p);
		const git_commit *parents[1] = { base };
		if (git_commit_create(&cid, p->repo, NULL, sig, sig, NULL, msg, tree, base ? 1 : 0, parents) < 0) {
			diag_error(NULL, 0, 0, "cannot write the publish commit (%s)", S_gerr());
			goto out;
		}
		S_short(sc, &cid);
		char *log = xasprintf("toivo publish: %s", msg);
		*strchr(log, '\n') = '\0';
		int r = p->has_local
			? git_reference_create_matching(&ref, p->repo, p->ref, &cid, 1, &p->local, log)
			: git_reference_create(&ref, p->repo, p->ref, &cid, 0, log);
		free(log);
		if (r < 0) {
			diag_error(NULL, 0, 0, "cannot move branch '%s' (%s); it was left as it was, run toivo "
				   "publish again", B, S_gerr());
			goto out;
		}
		final = &cid;
		buf_printf(&say, "committed %s on %s%s%s (%zu added, %zu changed, %zu removed)", sc, B,
			   *sb ? " over " : ", its first commit", sb, c.added, c.changed, c.removed);
	} else {
		buf_printf(&say, "%s at %s already holds this build, no commit made", B, sb);
	}

	/* One line at the end: a failed push prints its own line instead. */
	if (!push) {
		if (!same)
			buf_printf(&say, "; not pushed (%s), push it later with 'toivo publish'",
				   p->offline ? "remote not reachable" : "--no-push");
	} else if (p->has_remote && git_oid_equal(final, &p->rtip)) {
		buf_printf(&say, "; %s is up to date", p->remote_branch);
	} else {
		if (S_push(p, same ? NULL : &cid, final) < 0)
			goto out;
		char sf[8], sr[8] = "";
		S_short(sf, final);
		if (p->has_remote)
			S_short(sr, &p->rtip);
		buf_printf(&say, "; pushed to %s (%s%s%s%s)", S_remote_name(p), sr,
			   *sr ? (p->diverged ? "..." : "..") : "new branch at ", sf, p->diverged ? ", forced" : "");
	}
	diag_line("toivo publish: %s\n", say.data);
	rc = 0;
out:
	git_reference_free(ref);
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(old);
	git_commit_free(base);
	free(msg);
	buf_free(&say);
	return rc;
}

void publish_end(struct publish *p)
{
	if (!p)
		return;
	git_remote_free(p->remote);
	git_repository_free(p->repo);
	free(p->ref);
	free(p->tracking);
	free(p->remote_branch);
	free(p->push_status);
	free(p);
	git_libgit2_shutdown();
}

bool publish_branch_valid(const char *branch)
{
	char *ref = xasprintf("refs/heads/%s", branch);
	int valid = 0;
	git_libgit2_init();
	if (git_reference_name_is_valid(&valid, ref) < 0)
		valid = 0;
	git_libgit2_shutdown();
	free(ref);
	return valid && *branch != '-';
}
