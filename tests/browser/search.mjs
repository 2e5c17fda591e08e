// search.mjs - the site search in a real browser (Debian's chromium driven by
// playwright-core), run by tests/t_search_browser.sh on a built copy of the
// bundled course.  Checks:
//   - the query set tests/search/queries.yaml through the search box, from
//     file://, hits@3 >= 0.9 for each language;
//   - a search over HTTP under a base path, its result link opening;
//   - a cold query loads only the manifest, its shards and the records of
//     the results it shows;
//   - shards that fail to load give a message, no exception;
//   - a 1000-character query and a punctuation-only query;
//   - ?q= fills the box and searches; typing keeps the query in the address;
//   - a misspelt word offers the nearest word of the site as a link.
//
// Usage: node search.mjs OUT QUERIES
// Prints "ok - ..." / "not ok - ..." lines (evidence on "# " lines); with
// SEARCH_REPORT=FILE also writes the per-query results as JSON.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveStatic, launchChromium } from './web.mjs';

const [out, queriesFile] = process.argv.slice(2);

let failed = 0;
function ok(what) { console.log(`ok - ${what}`); }
function nok(what, evidence) {
	failed++;
	console.log(`not ok - ${what}`);
	if (evidence)
		String(evidence).split('\n').slice(0, 30).forEach((l) => console.log(`# ${l}`));
}
function check(what, cond, evidence) { cond ? ok(what) : nok(what, evidence); }
function note(s) { console.log(`# ${s}`); }
async function step(what, fn) {
	try {
		await fn();
	} catch (e) {
		nok(what, e && e.stack ? e.stack : e);
	}
}

// The query lines of queries.yaml: `  - [lang, query, kind, [pages]]`.
function readQueries(file) {
	return fs.readFileSync(file, 'utf8').split('\n')
		.filter((l) => /^\s*-\s*\[/.test(l))
		.map((l) => {
			const [lang, q, kind, pages] = JSON.parse(l.replace(/^\s*-\s*/, ''));
			return { lang, q, kind, pages };
		});
}

// A static server for OUT under the base path /kurssit/toivo/.
const BASE = '/kurssit/toivo/';
const { server, url: http0 } = await serveStatic(out, BASE);

const browser = await launchChromium(['--allow-file-access-from-files']);
const pageErrors = [];
async function newPage() {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const p = await ctx.newPage();
	p.setDefaultTimeout(10000);
	p.on('pageerror', (e) => pageErrors.push(`${p.url()}: ${e.message}`));
	return p;
}

// Types q into the box (all at once, or key by key) and waits for the
// answer: the results no longer busy.  Returns the results.
async function search(p, q, keys) {
	await p.fill('#site-search-input', '');
	if (keys)
		await p.locator('#site-search-input').pressSequentially(q, { delay: 15 });
	else
		await p.fill('#site-search-input', q);
	await p.waitForFunction(() => document.querySelector('#site-search-results').getAttribute('aria-busy') === 'false');
	return p.$$eval('#site-search-results li', (lis) => lis.map((li) => ({
		title: li.querySelector('a').textContent,
		href: li.querySelector('a').getAttribute('href'),
		url: li.querySelector('a').href,
		marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
		text: li.textContent,
	})));
}

// A result's page as a path from its language's root ("pori/miksi/").
function pageOf(url, lang) {
	const u = new URL(url);
	const at = u.pathname.indexOf(`/${lang}/`);
	return u.pathname.slice(at + lang.length + 2).replace(/index\.html$/, '');
}

// --- the query set ---------------------------------------------------------------
await step('the query set', async () => {
	const qs = readQueries(queriesFile);
	const per = {};
	const report = [];
	const p = await newPage();
	for (const lang of ['fi', 'en']) {
		await p.goto(pathToFileURL(path.join(out, lang, 'index.html')).href);
		const mine = qs.filter((q) => q.lang === lang);
		let hits = 0;
		const misses = [];
		for (const q of mine) {
			const res = await search(p, q.q);
			const top = res.slice(0, 3).map((r) => pageOf(r.url, lang));
			const hit = top.some((t) => q.pages.includes(t));
			hits += hit ? 1 : 0;
			if (!hit)
				misses.push(`${q.q} (${q.kind}): got [${top.join(', ')}], want one of [${q.pages.join(', ')}]`);
			report.push({ lang, q: q.q, kind: q.kind, hit, top, count: res.length });
		}
		per[lang] = { n: mine.length, hits };
		const h3 = mine.length ? hits / mine.length : 0;
		check(`${lang}: hits@3 is at least 0.9 on ${mine.length} queries (${h3.toFixed(2)})`,
			mine.length >= (lang === 'fi' ? 30 : 20) && h3 >= 0.9, misses.join('\n'));
		misses.forEach((m) => note(`miss ${lang}: ${m}`));
	}
	if (process.env.SEARCH_REPORT)
		fs.writeFileSync(process.env.SEARCH_REPORT, JSON.stringify({ per, report }, null, 1));
	await p.context().close();
});

// --- a cold query over HTTP under a base path --------------------------------------
await step('a cold query under a base path', async () => {
	const p = await newPage();
	const loaded = [];
	let bytes = 0;
	p.on('response', async (r) => {
		const u = new URL(r.url());
		if (u.pathname.includes('/search/') || u.pathname.endsWith('/search.js')) {
			loaded.push(u.pathname.slice(BASE.length));
			try {
				bytes += (await r.body()).length;
			} catch { /* gone with the page */ }
		}
	});
	await p.goto(`${http0}fi/pori/tulokset/`);
	// The query at once (typing it key by key would search each beginning).
	const res = await search(p, 'asumispalveluissa');
	check('base path: "asumispalveluissa" finds pages', res.length > 0, JSON.stringify(res.slice(0, 3)));
	const files = loaded.filter((f) => f.includes('/search/')).map((f) => f.replace(/^fi\/search\//, ''));
	const manifest = fs.readFileSync(path.join(out, 'fi/search/index.js'), 'utf8');
	const nShards = (manifest.match(/"shards":\[(.*)\]/)[1].match(/"/g) || []).length / 2;
	const shards = files.filter((f) => /^s\d+\.js$/.test(f));
	const records = files.filter((f) => /^r\d+\.js$/.test(f));
	const strange = files.filter((f) => !/^(index|s\d+|r\d+)\.js$/.test(f));
	check('a cold query loads the manifest, some shards and records, nothing else',
		files.includes('index.js') && shards.length >= 1 && records.length >= 1 && strange.length === 0 &&
		new Set(files).size === files.length, files.join(' '));
	check(`it loads ${shards.length} of ${nShards} term shards`, shards.length < nShards || nShards <= 2,
		shards.join(' '));
	check(`it loads at most one record file per result shown (${records.length})`,
		records.length <= Math.min(res.length, 10), records.join(' '));
	note(`cold query "asumispalveluissa": ${files.length} index files, ${bytes} bytes with search.js`);
	// The link goes to a page under the base path that exists.
	const first = res[0].url;
	const r = await fetch(first.split('#')[0]);
	check('base path: the first result links to a page under the base', first.startsWith(http0) && r.ok, first);
	// A section anchor that exists on that page.
	const hash = new URL(first).hash;
	if (hash) {
		await p.goto(first);
		check(`the result's section anchor ${hash} exists on its page`,
			(await p.$(`[id="${decodeURIComponent(hash.slice(1))}"]`)) !== null);
	} else {
		ok('the result links to the page itself (no section matched better)');
	}
	await p.context().close();
});

// --- failures, odd queries ------------------------------------------------------------
await step('shards that fail to load', async () => {
	const p = await newPage();
	await p.route(/\/search\/s\d+\.js$/, (route) => route.abort());
	await p.goto(`${http0}en/`);
	const before = pageErrors.length;
	await search(p, 'recovery');
	const status = await p.textContent('#site-search-status');
	const want = await p.getAttribute('form.site-search', 'data-msg-unavailable');
	check('a query whose shards fail to load says search is unavailable, without an exception',
		status.trim() === want && pageErrors.length === before, `status "${status}", errors ${pageErrors.slice(before)}`);
	await p.context().close();
});

await step('a long query and a punctuation-only query', async () => {
	const p = await newPage();
	await p.goto(`${http0}fi/`);
	const before = pageErrors.length;
	const long = 'toivo asumispalvelu '.repeat(50).slice(0, 1000);
	const t = Date.now();
	const res = await search(p, long);
	const ms = Date.now() - t;
	check(`a 1000-character query answers without an error (${res.length} results)`,
		pageErrors.length === before && (await p.isEditable('#site-search-input')), `${ms} ms`);
	await search(p, '!?.,;:–—()[]{}"\'/\\*&%$#@');
	const status = await p.textContent('#site-search-status');
	const n = (await p.$$('#site-search-results li')).length;
	check('a punctuation-only query shows nothing and no error', n === 0 && status.trim() === '' &&
		pageErrors.length === before, `status "${status}", ${n} results`);
	await p.context().close();
});

await step('?q= in the address', async () => {
	const p = await newPage();
	await p.goto(`${http0}fi/?q=${encodeURIComponent('kokemusasiantuntijat')}`);
	await p.waitForFunction(() => document.querySelector('#site-search-results').getAttribute('aria-busy') === 'false');
	const value = await p.inputValue('#site-search-input');
	const n = (await p.$$('#site-search-results li')).length;
	check('?q= fills the box and shows the results', value === 'kokemusasiantuntijat' && n > 0, `"${value}", ${n}`);
	await search(p, 'laitostuminen');
	check('typing keeps the query in the address', new URL(p.url()).searchParams.get('q') === 'laitostuminen', p.url());
	await p.goto(pathToFileURL(path.join(out, 'en', 'index.html')).href + '?q=funding');
	await p.waitForFunction(() => document.querySelector('#site-search-results').getAttribute('aria-busy') === 'false');
	const m = (await p.$$('#site-search-results li')).length;
	check('?q= works from file:// too', m > 0);
	await p.context().close();
});

await step('did you mean', async () => {
	const p = await newPage();
	await p.goto(`${http0}fi/`);
	// One letter off early in the word: no form of the site begins alike.
	const res = await search(p, 'laitoztuminen');
	const link = await p.$('#site-search-status a');
	const text = link ? await link.textContent() : '';
	check('a misspelt word gets no results and a suggestion link', res.length === 0 && text === 'laitostuminen',
		`${res.length} results, suggestion "${text}"`);
	if (link) {
		await link.click();
		await p.waitForFunction(() => document.querySelector('#site-search-results').getAttribute('aria-busy') === 'false');
		check('following the suggestion searches for it', (await p.$$('#site-search-results li')).length > 0 &&
			(await p.inputValue('#site-search-input')) === 'laitostuminen');
	}
	await p.context().close();
});

await step('marks and sections', async () => {
	const p = await newPage();
	await p.goto(`${http0}fi/`);
	const res = await search(p, 'vertaisuuden');
	const marked = res.filter((r) => r.marks.some((m) => /^vertaisuu/i.test(m)));
	check('inflected forms of the query are marked in snippets', marked.length > 0,
		JSON.stringify(res.slice(0, 3).map((r) => r.marks)));
	const anchored = res.filter((r) => r.href.includes('#'));
	check('results link to the matching section', anchored.length > 0, res.map((r) => r.href).join(' '));
	await p.context().close();
});

check('no JavaScript errors', pageErrors.length === 0, pageErrors.join('\n'));
await browser.close();
server.close();
process.exit(0);
