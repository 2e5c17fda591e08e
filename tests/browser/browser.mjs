// browser.mjs - the default theme in a real browser (Debian's chromium,
// driven by playwright-core), run by tests/t_browser.sh.
//
// Serves a copy of the bundled course with `toivo serve` on loopback and
// checks: the home page of each language; switching language on a lesson
// lands on its translation; search as you type (accents and case ignored,
// word beginnings) and following a result; the navigation by keyboard;
// axe-core on every page (print pages too) with no serious or critical
// violation, in the light and, for contrast, the dark scheme; no
// horizontal scroll at 360 px; the search hidden without JavaScript;
// search from file://; and live reload after a content edit.
//
// Usage: node browser.mjs TOIVO SITE_COPY OUT TMPDIR
// Prints "ok - ..." / "not ok - ..." lines (evidence on "# " lines).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './web.mjs';
import { ok, nok, check, note, step } from './tap.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [toivo, site, out, tmp] = process.argv.slice(2);
const axeSource = fs.readFileSync(path.join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
const t0 = Date.now();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

// --- the server -------------------------------------------------------------
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const serveLog = fs.openSync(path.join(tmp, 'serve.log'), 'w');
const server = spawn(toivo, ['serve', '-s', site, '-o', out, '--port', String(port)], {
	stdio: ['ignore', serveLog, serveLog],
});
let serverExited = false;
server.on('exit', () => { serverExited = true; });

async function up() {
	for (let i = 0; i < 300 && !serverExited; i++) {
		try {
			const r = await fetch(`${base}/fi/`);
			if (r.ok)
				return true;
		} catch { /* not yet */ }
		await sleep(100);
	}
	return false;
}
if (!(await up())) {
	nok('toivo serve answers', fs.readFileSync(path.join(tmp, 'serve.log'), 'utf8'));
	server.kill();
	process.exit(0);
}
ok('toivo serve answers');

const browser = await launchChromium();
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const pageErrors = [];
function watch(page) {
	page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
	return page;
}
const page = watch(await ctx.newPage());
page.setDefaultTimeout(10000);

// The pages of the course: every HTML file of the output that is not a
// redirect, as site paths ("fi/pori/" for fi/pori/index.html).
function pagesOf(dir) {
	const found = [];
	(function walk(d, rel) {
		for (const e of fs.readdirSync(d, { withFileTypes: true })) {
			const full = path.join(d, e.name);
			if (e.isDirectory())
				walk(full, rel + e.name + '/');
			else if (e.name.endsWith('.html') && !/http-equiv="refresh"/i.test(fs.readFileSync(full, 'utf8')))
				found.push(e.name === 'index.html' ? rel : rel + e.name);
		}
	})(dir, '');
	return found.sort();
}

// --- home pages -------------------------------------------------------------
await step('home pages', async () => {
	for (const lang of ['fi', 'en']) {
		const r = await page.goto(`${base}/${lang}/`);
		const htmlLang = await page.getAttribute('html', 'lang');
		const h1 = (await page.textContent('h1')).trim();
		check(`${lang} home page opens (${h1})`, r.ok() && htmlLang === lang && h1.length > 0,
			`status ${r.status()}, lang ${htmlLang}`);
		check(`${lang} home page shows the search box`, await page.isVisible('#site-search-input'));
	}
});

// --- language switch ----------------------------------------------------------
await step('language switch', async () => {
	// The expected translation, from the sitemap's alternates.
	const sm = fs.readFileSync(path.join(out, 'sitemap.xml'), 'utf8');
	const baseUrl = sm.match(/<loc>(.*?)fi\/<\/loc>/)[1];
	const entry = sm.split('<url>').find((u) => u.includes(`<loc>${baseUrl}fi/pori/tulokset/</loc>`));
	const en = entry.match(/hreflang="en" href="([^"]*)"/)[1].slice(baseUrl.length);
	await page.goto(`${base}/fi/pori/tulokset/`);
	await page.click('.langswitch a[hreflang="en"]');
	await page.waitForLoadState('load');
	const u = new URL(page.url());
	check('switching to English on a lesson lands on its translation',
		u.pathname.replace(/index\.html$/, '') === `/${en}` && (await page.getAttribute('html', 'lang')) === 'en',
		`at ${page.url()}, expected /${en}`);
	await page.click('.langswitch a[hreflang="fi"]');
	await page.waitForLoadState('load');
	check('and back to Finnish', new URL(page.url()).pathname.replace(/index\.html$/, '') === '/fi/pori/tulokset/',
		`at ${page.url()}`);
});

// --- search -----------------------------------------------------------------------
async function search(p, q) {
	await p.fill('#site-search-input', '');
	await p.locator('#site-search-input').pressSequentially(q, { delay: 20 });
	await p.waitForSelector('#site-search-results li', { timeout: 5000 });
	return p.$$eval('#site-search-results li', (lis) => lis.map((li) => ({
		title: li.querySelector('a').textContent,
		href: li.querySelector('a').getAttribute('href'),
		marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
		text: li.textContent,
	})));
}

await step('search over http', async () => {
	await page.goto(`${base}/fi/pori/tulokset/`);
	let res = await search(page, 'toipumis');
	check('fi: "toipumis" finds toipumisorientaatio (word beginnings)',
		res.length > 0 && res.some((r) => /toipumisorientaatio/i.test(r.text)), JSON.stringify(res.slice(0, 3)));
	const status = await page.textContent('#site-search-status');
	check('the result count is in the live region', /\d/.test(status) &&
		(await page.getAttribute('#site-search-status', 'aria-live')) === 'polite', status);
	res = await search(page, 'tyo');
	const accented = res.find((r) => r.marks.some((m) => m.toLowerCase().startsWith('työ')));
	check('fi: "tyo" finds a page with "työ", marked in the snippet', !!accented, JSON.stringify(res.slice(0, 3)));
	res = await search(page, 'TOIVO');
	check('case is ignored ("TOIVO")', res.length > 0 && res.some((r) => r.marks.some((m) => /toivo/i.test(m))));
	const first = res[0];
	const expect = new URL(first.href, page.url());
	await page.click('#site-search-results li a');
	await page.waitForLoadState('load');
	check(`following a result opens it (${first.title})`,
		page.url().split('#')[0] === expect.href.split('#')[0] && (await page.title()).includes(first.title),
		`at ${page.url()}, expected ${expect.href}`);
	// Keyboard: Down into the results, Escape clears.
	await search(page, 'hanke');
	await page.keyboard.press('ArrowDown');
	const onLink = await page.evaluate(() => document.activeElement.matches('#site-search-results a'));
	await page.keyboard.press('Escape');
	const cleared = await page.evaluate(() => document.querySelector('#site-search-input').value === '' &&
		document.querySelectorAll('#site-search-results li').length === 0 &&
		document.activeElement.id === 'site-search-input');
	check('Down moves into the results, Escape clears and returns to the box', onLink && cleared,
		`on link ${onLink}, cleared ${cleared}`);
	await page.goto(`${base}/en/`);
	res = await search(page, 'recov');
	check('en: "recov" finds recovery', res.length > 0 && res.some((r) => /recover/i.test(r.text)));
	// Wait for this query's status, not the one the last query left.
	const before = await page.textContent('#site-search-status');
	await page.fill('#site-search-input', 'zzqxj');
	await page.waitForFunction((b) => {
		const t = document.querySelector('#site-search-status').textContent;
		return t !== '' && t !== b;
	}, before);
	check('no match says so', (await page.$$('#site-search-results li')).length === 0,
		await page.textContent('#site-search-status'));
});

// --- keyboard navigation of a module -----------------------------------------
await step('keyboard navigation', async () => {
	await page.goto(`${base}/fi/`);
	await page.evaluate(() => document.activeElement && document.activeElement.blur());
	let found = null;
	for (let i = 0; i < 60 && !found; i++) {
		await page.keyboard.press('Tab');
		found = await page.evaluate(() => {
			const a = document.activeElement;
			return a && a.matches('.nav-list .nav-item > details:not([open]) > summary') ? a.textContent.trim() : null;
		});
	}
	if (!found) {
		nok('Tab reaches a closed module in the navigation');
		return;
	}
	ok(`Tab reaches a closed module in the navigation (${found})`);
	await page.keyboard.press('Enter');
	const open = await page.evaluate(() => document.activeElement.parentElement.open);
	await page.keyboard.press('Space');
	const closed = await page.evaluate(() => !document.activeElement.parentElement.open);
	await page.keyboard.press('Space');
	check('Enter opens the module, Space toggles it', open && closed &&
		(await page.evaluate(() => document.activeElement.parentElement.open)));
	await page.keyboard.press('Tab');
	await page.keyboard.press('Tab');
	const link = await page.evaluate(() => {
		const a = document.activeElement;
		return a.matches('.nav-pages a') ? a.href : null;
	});
	if (!link) {
		nok('Tab goes on to the lessons of the module');
		return;
	}
	await page.keyboard.press('Enter');
	await page.waitForURL(link);
	check(`Enter follows a lesson link (${new URL(link).pathname})`,
		(await page.getAttribute('.nav-pages a[aria-current="page"]', 'href')) !== null);
});

// --- without JavaScript ----------------------------------------------------------
await step('without JavaScript', async () => {
	const noJs = await browser.newContext({ javaScriptEnabled: false });
	const p = watch(await noJs.newPage());
	await p.goto(`${base}/fi/`);
	check('without JavaScript the search is hidden and the page reads',
		(await p.$('form.site-search')) !== null && !(await p.isVisible('form.site-search')) &&
		(await p.isVisible('main h1')));
	await noJs.close();
});

// --- from disk --------------------------------------------------------------------------
await step('search from file://', async () => {
	const p = watch(await ctx.newPage());
	await p.goto(pathToFileURL(path.join(out, 'fi', 'index.html')).href);
	const res = await search(p, 'toipumis');
	check('file://: the search finds "toipumis"', res.length > 0);
	const href = new URL(res[0].href, p.url()).href;
	await p.click('#site-search-results li a');
	await p.waitForLoadState('load');
	check('file://: a result opens its page', p.url() === href && (await p.title()).includes(res[0].title),
		`at ${p.url()}, expected ${href}`);
	await p.close();
});

// --- every page: axe, 360 px --------------------------------------------------------------
await step('every page', async () => {
	const all = pagesOf(out);
	const serious = [];
	const minor = new Map();
	const wide = [];
	const darkBad = [];
	let done = 0;
	const queue = all.slice();
	const sweepStart = Date.now();
	async function worker() {
		const c = await browser.newContext({ viewport: { width: 360, height: 800 } });
		const p = watch(await c.newPage());
		p.setDefaultTimeout(15000);
		for (let rel; (rel = queue.shift()) !== undefined;) {
			await p.emulateMedia({ colorScheme: 'light' });
			await p.setViewportSize({ width: 360, height: 800 });
			await p.goto(`${base}/${rel}`, { waitUntil: 'load' });
			const sw = await p.evaluate(() => document.documentElement.scrollWidth);
			if (sw > 360)
				wide.push(`${rel}: scrollWidth ${sw}`);
			await p.addScriptTag({ content: axeSource });
			const run = (opts) => p.evaluate(async (o) => {
				const r = await window.axe.run(document, o);
				return r.violations.map((v) => ({
					id: v.id, impact: v.impact, help: v.help,
					nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\n').slice(1, 2).join('')),
				}));
			}, opts);
			const report = (vs, where) => {
				for (const v of vs) {
					if (v.impact === 'serious' || v.impact === 'critical')
						serious.push(`${rel} (${where}): ${v.id} [${v.impact}] ${v.help}: ${v.nodes.join(' | ')}`);
					else
						minor.set(`${v.id} [${v.impact}]`, (minor.get(`${v.id} [${v.impact}]`) || 0) + 1);
				}
			};
			report(await run({ resultTypes: ['violations'] }), '360 px');
			await p.setViewportSize({ width: 1280, height: 900 });
			report(await run({ resultTypes: ['violations'] }), '1280 px');
			await p.emulateMedia({ colorScheme: 'dark' });
			const dv = await run({ resultTypes: ['violations'], runOnly: ['color-contrast', 'link-in-text-block'] });
			report(dv, '1280 px, dark');
			if (dv.length)
				darkBad.push(rel);
			done++;
		}
		await c.close();
	}
	await Promise.all([worker(), worker()]);
	note(`${done} pages checked in ${((Date.now() - sweepStart) / 1000).toFixed(1)} s`);
	check(`axe-core: no serious or critical violation on any of ${all.length} pages (360 px, 1280 px, dark scheme)`,
		serious.length === 0, serious.join('\n'));
	for (const [k, n] of minor)
		note(`axe (minor or moderate, not failing): ${k} on ${n} checks`);
	check(`no horizontal scroll at 360 px on any of ${all.length} pages`, wide.length === 0, wide.join('\n'));
	check('every page was checked', done === all.length && all.length > 40, `${done} of ${all.length}`);
});

// --- live reload ------------------------------------------------------------------------------
await step('live reload', async () => {
	const src = path.join(site, 'content', 'sanasto.fi.md');
	await page.goto(`${base}/fi/sanasto/`);
	await sleep(300); // the page's event stream connects
	const marker = `Selainkoe${Date.now()}`;
	const start = Date.now();
	fs.appendFileSync(src, `\n\n${marker}\n`);
	let seen = false;
	while (!seen && Date.now() - start < 4000) {
		try {
			seen = await page.evaluate((m) => document.body.textContent.includes(m), marker);
		} catch { /* the page is reloading */ }
		if (!seen)
			await sleep(50);
	}
	const ms = Date.now() - start;
	check(`an edit reloads the open page with the change within 2 s (${ms} ms)`, seen && ms <= 2000,
		seen ? `took ${ms} ms` : 'not seen in 4 s');
});

check('no JavaScript errors on any page', pageErrors.length === 0, pageErrors.join('\n'));
await browser.close();
server.kill('SIGTERM');
note(`browser tests took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(0);
