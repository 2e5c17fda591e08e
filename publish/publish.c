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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "buf.h"
#include "cmd.h"
#include "diag.h"
#include "gitdates.h"
#include "publish.h"
#include "publish_git.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* messages */

/* The last libgit2 error as one line, without a final period. */
const char *publish_git_error(void)
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

void publish_short_id(char out[8], const git_oid *id)
{
	git_oid_tostr(out, 8, id);
}

/* Where a message about the whole site points: the site folder, or nothing
 * ("toivo: error: ...") when that is the current folder. */
const char *publish_where(const struct publish *p)
{
	return strcmp(p->o.root, ".") && strcmp(p->o.root, "./") ? p->o.root : NULL;
}

const char *publish_remote_name(const struct publish *p)
{
	return p->o.remote;
}

/* What was tried, for an authentication message. */
/* ------------------------------------------------------------------ */
/* step 1 and 2: the repository and the source */

static int S_open(struct publish *p)
{
	const char *root = publish_where(p);
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
		diag_error(publish_where(p), 0, 0, "the site folder is not inside the repository's working tree; "
			   "run toivo publish on a site folder inside the repository");
		return -1;
	}
	static const char *const parts[] = { "content", "themes", "lua", "static", "site.yaml", "i18n", "layouts", "partials", "assets" };
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
		diag_error(publish_where(p), 0, 0, "cannot read the repository's status (%s); run 'git status' to see why",
			   publish_git_error());
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
		char *shown = rel && publish_where(p) ? path_join(p->o.root, rel) : xstrdup(rel ? rel : p->o.root);
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
/* step 4: the commit to build on */

static int S_base(struct publish *p)
{
	char l[8], r[8];
	if (p->has_local)
		publish_short_id(l, &p->local);
	if (p->has_remote)
		publish_short_id(r, &p->rtip);
	if (!p->has_remote || !p->remote_here) {
		if (p->has_remote)
			diag(DIAG_NOTE, NULL, 0, 0, "remote '%s' has %s at %s, which is not fetched yet "
			     "(a dry run fetches nothing); comparing with the local branch",
			     publish_remote_name(p), p->o.branch, r);
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
		diag_error(publish_where(p), 0, 0, "'%s' is not a valid branch name; pass another with --branch or "
			   "set publish.branch in site.yaml", o->branch);
		goto fail;
	}
	if (S_open(p) < 0 || S_check_clean(p) < 0 || publish_remote_open(p) < 0)
		goto fail;
	if (publish_fetch(p) < 0 || S_base(p) < 0)
		goto fail;
	return p;
fail:
	publish_end(p);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* steps 6 and 7 */

static char *S_message(const struct publish *p)
{
	char hex[GIT_OID_HEXSZ + 1], sh[8];
	git_oid_tostr(hex, sizeof hex, &p->head);
	publish_short_id(sh, &p->head);
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

	if (p->o.dry_run && publish_memory_odb(p) < 0)
		goto out;
	if (publish_tree_write(p, dir, "", &tid, &empty) < 0)
		goto out;
	if (git_tree_lookup(&tree, p->repo, &tid) < 0) {
		diag_error(NULL, 0, 0, "cannot read the new tree (%s)", publish_git_error());
		goto out;
	}
	if (p->has_base) {
		publish_short_id(sb, &p->base);
		if (git_commit_lookup(&base, p->repo, &p->base) < 0 || git_commit_tree(&old, base) < 0) {
			diag_error(NULL, 0, 0, "cannot read the tip of branch '%s' (%s)", B, publish_git_error());
			goto out;
		}
	}
	struct publish_counts c = { .list = p->o.dry_run };
	if (publish_tree_diff(p, old, tree, &c) < 0)
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
			printf("%s %s to %s%s", same ? "; would push it" : ", then push", B, publish_remote_name(p),
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
			diag_error(NULL, 0, 0, "cannot write the publish commit (%s)", publish_git_error());
			goto out;
		}
		publish_short_id(sc, &cid);
		char *log = xasprintf("toivo publish: %s", msg);
		*strchr(log, '\n') = '\0';
		int r = p->has_local
			? git_reference_create_matching(&ref, p->repo, p->ref, &cid, 1, &p->local, log)
			: git_reference_create(&ref, p->repo, p->ref, &cid, 0, log);
		free(log);
		if (r < 0) {
			diag_error(NULL, 0, 0, "cannot move branch '%s' (%s); it was left as it was, run toivo "
				   "publish again", B, publish_git_error());
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
		if (publish_push(p, same ? NULL : &cid, final) < 0)
			goto out;
		char sf[8], sr[8] = "";
		publish_short_id(sf, final);
		if (p->has_remote)
			publish_short_id(sr, &p->rtip);
		buf_printf(&say, "; pushed to %s (%s%s%s%s)", publish_remote_name(p), sr,
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

