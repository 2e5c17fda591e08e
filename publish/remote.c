/* remote.c - toivo publish's conversation with the remote (steps 3 and 7
 * of publish.c): which URLs a named remote or a URL means, credentials,
 * fetching the branch, pushing it, and putting the local branch back when
 * the push fails. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "buf.h"
#include "diag.h"
#include "publish.h"
#include "publish_git.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* messages about the remote */

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
	const char *R = publish_remote_name(p);
	if (r == GIT_EAUTH || p->cred_gave_up) {
		struct buf b = BUF_INIT;
		S_tried(&b, p->cred_tried);
		diag_error(NULL, 0, 0, "authentication to remote '%s' was refused (%s); for ssh run 'ssh-add KEY' "
			   "or set TOIVO_SSH_KEY=PATH, for https set TOIVO_GIT_TOKEN to a token that may push",
			   R, b.data);
		buf_free(&b);
	} else if (r == GIT_ECERTIFICATE) {
		diag_error(NULL, 0, 0, "the certificate of remote '%s' was not accepted (%s); check the URL "
			   "and the system's CA certificates", R, publish_git_error());
	} else if (p->missing_path) {
		diag_error(NULL, 0, 0, "cannot %s remote '%s' (no such folder); check the path, or create the "
			   "repository with 'git init --bare PATH'", doing, R);
	} else {
		diag_error(NULL, 0, 0, "cannot %s remote '%s' (%s); check the URL or path, the network, and "
			   "that the repository exists", doing, R, publish_git_error());
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

int publish_remote_open(struct publish *p)
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
			diag_warn(publish_where(p), 0, 0, "no remote named '%s'; committing on the local branch only "
				  "(--no-push)", R);
			p->offline = true;
			return 0;
		}
		if (r == -1)
			diag_error(publish_where(p), 0, 0, "no remote named '%s'; add it with 'git remote add %s URL', or "
				   "pass the remote's URL or path with --remote", R, R);
		else
			diag_error(publish_where(p), 0, 0, "cannot use remote '%s' (%s); check it with 'git remote -v'",
				   R, publish_git_error());
		return -1;
	}
	if (!S_is_url(R)) {
		diag_error(publish_where(p), 0, 0, "'%s' is neither a remote's name nor a URL; pass a name from "
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
		diag_error(publish_where(p), 0, 0, "'%s' is not a usable remote URL (%s); pass a URL such as "
			   "https://host/repo.git, ssh://host/repo.git or a path", R, publish_git_error());
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
		diag_warn(NULL, 0, 0, "cannot update %s (%s); 'git fetch' will", p->tracking, publish_git_error());
	git_reference_free(ref);
}

/* Lists the remote and fetches the branch.  A dry run only lists. */
int publish_fetch(struct publish *p)
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
				  "only (--no-push)", publish_remote_name(p), publish_git_error());
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
				   "run 'git fetch %s %s' to see why", publish_remote_name(p), p->o.branch,
				   publish_remote_name(p), p->o.branch);
			return -1;
		}
		if (p->tracking && !p->o.dry_run)
			S_track(p, &p->rtip, "toivo publish: fetch");
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* step 7: the push, and putting the branch back when it fails */

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
		/* Only the ref: publish made no branch configuration, and
		 * git_branch_delete's search for some leaks in libgit2 1.5. */
		if (r == 0 && git_oid_equal(&now, made) && (r = git_reference_lookup(&ref, p->repo, p->ref)) == 0)
			r = git_reference_delete(ref);
		else if (r == 0)
			r = -1;
	}
	git_reference_free(ref);
	return r < 0 ? -1 : 0;
}

int publish_push(struct publish *p, const git_oid *made, const git_oid *final)
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
		publish_short_id(sh, p->has_local && !moved ? &p->local : made);
		if (moved)
			snprintf(what, sizeof what, "; branch '%s' has the new commit %s (it moved meanwhile)",
				 p->o.branch, sh);
		else if (p->has_local)
			snprintf(what, sizeof what, "; branch '%s' is back at %s", p->o.branch, sh);
		else
			snprintf(what, sizeof what, "; branch '%s' was removed again", p->o.branch);
	}
	const char *R = publish_remote_name(p);
	/* A push killed while the remote's ref was being written (a remote
	 * on this machine, where the push writes the ref itself) leaves the
	 * ref's lock file behind, as git does. */
	const char *lk = p->push_status ? strstr(p->push_status, "failed to lock file '") : NULL;
	const char *lk_end = lk ? strchr(lk + 21, '\'') : NULL;
	if (lk_end)
		diag_error(NULL, 0, 0, "remote '%s' is locked: %.*s is there, most likely left by a push that was "
			   "interrupted%s; if no other push to it is running, delete that file and run toivo publish again",
			   R, (int)(lk_end - lk - 21), lk + 21, what);
	else if (p->push_status)
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
			   "your rights to push, or pass --no-push to commit only", R, publish_git_error(), what);
	return -1;
}

