// search_bench.mjs - toivo's search against Pagefind on the same built site,
// in Chromium (tests/bench.sh runs it).  The site in SITE holds toivo's
// index (LANG/search/) and Pagefind's (pagefind/, made by `pagefind --site
// SITE`).  For each tool it measures:
//   index     bytes on disk of the search files (Pagefind's without its
//             optional UI scripts and styles)
//   cold      bytes a cold query loads (uncompressed: toivo's search.js and
//             index files; Pagefind's pagefind.js, wasm, entry, index
//             chunks and the fragments of the results shown), median and
//             largest over the queries
//   ms        keystroke to results in Chromium, cold (first query of a
//             fresh page) and warm (the same query again), medians
//   hits@3    over QUERIES (tests/search/queries.yaml) when given
// Queries without a query file: words taken from the site's own pages.
//
// Usage: node search_bench.mjs SITE LABEL [QUERIES]
// Pagefind's index is expected in SITE/pagefind (made without the print
// pages, which toivo does not index either).
// Prints one line per tool: LABEL tool index cold-median cold-max ms-cold
// ms-warm hits-fi hits-en.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(path.dirname(new URL(import.meta.url).pathname), '../browser/'));
const { chromium } = require('playwright-core');
const [site, label, queriesFile] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const MAX = 10;

// Bytes of the files under dir; skip names a pattern of files that are
// not the index (Pagefind's ready-made UI scripts and styles).
function du(dir, skip) {
	let n = 0;
	if (!fs.existsSync(dir))
		return 0;
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const f = path.join(dir, e.name);
		if (skip && skip.test(e.name))
			continue;
		n += e.isDirectory() ? du(f) : fs.statSync(f).size;
	}
	return n;
}
const median = (a) => {
	const s = a.slice().sort((x, y) => x - y);
	return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : 0;
};

// Queries: the query set, or words from the site's pages.
let queries = [];
if (queriesFile) {
	queries = fs.readFileSync(queriesFile, 'utf8').split('\n').filter((l) => /^\s*-\s*\[/.test(l))
		.map((l) => { const [lang, q, , pages] = JSON.parse(l.replace(/^\s*-\s*/, '')); return { lang, q, pages }; });
} else {
	for (const lang of ['fi', 'en']) {
		// Words of some pages' titles, spread over the site.
		const recs = [];
		global.window = {};
		for (let i = 0; recs.length < 400; i += 37) {
			const f = path.join(site, lang, 'search', `r${i}.js`);
			if (!fs.existsSync(f))
				break;
			new Function('window', fs.readFileSync(f, 'utf8'))(global.window);
			recs.push(...window.toivoSearch[`${lang}/r${i}`]);
		}
		const words = [];
		recs.forEach((r) => (r[0].toLowerCase().match(/[\p{L}]{5,}/gu) || []).forEach((w) => words.push(w)));
		for (let k = 0; k < 8 && words.length; k++)
			queries.push({ lang, q: words[(k * 7919) % words.length] });
		queries.push({ lang, q: words.slice(3, 5).join(' ') });
	}
}

// Bytes served per tool, counted by the server (a worker's responses are
// not all visible to the browser's events).
const served = { toivo: 0, pagefind: 0 };
const server = http.createServer((req, res) => {
	const u = decodeURIComponent(new URL(req.url, 'http://x').pathname);
	let p = path.join(site, u);
	if (!p.startsWith(site)) {
		res.writeHead(403);
		return res.end();
	}
	if (fs.existsSync(p) && fs.statSync(p).isDirectory())
		p = path.join(p, 'index.html');
	fs.readFile(p, (err, body) => {
		if (err) {
			res.writeHead(404);
			return res.end();
		}
		const ext = path.extname(p);
		if (/\/search\/|\/search\.js$/.test(u))
			served.toivo += body.length;
		else if (u.startsWith('/pagefind/'))
			served.pagefind += body.length;
		res.writeHead(200, { 'content-type': { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm',
			'.css': 'text/css' }[ext] || 'application/octet-stream' });
		res.end(body);
	});
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });

// One query on a fresh page: bytes loaded, cold ms, warm ms, top 3 pages.
async function run(tool, q) {
	const ctx = await browser.newContext();
	const p = await ctx.newPage();
	served.toivo = served.pagefind = 0;
	await p.goto(`${origin}/${q.lang}/`);
	let cold, warm, urls;
	if (tool === 'toivo') {
		// Timed in the page: from the input event to the results no
		// longer busy (a MutationObserver, no polling).
		const once = () => p.evaluate((text) => new Promise((resolve) => {
			const input = document.querySelector('#site-search-input');
			const list = document.querySelector('#site-search-results');
			input.value = text;
			const t = performance.now();
			const obs = new MutationObserver(() => {
				if (list.getAttribute('aria-busy') === 'false') {
					obs.disconnect();
					resolve(performance.now() - t);
				}
			});
			obs.observe(list, { attributes: true, attributeFilter: ['aria-busy'] });
			input.dispatchEvent(new Event('input'));
		}), q.q);
		cold = await once();
		warm = await once();
		urls = await p.$$eval('#site-search-results a.search-hit', (as) => as.map((a) => a.href));
	} else {
		const r = await p.evaluate(async ({ q, max }) => {
			const once = async () => {
				const t = performance.now();
				const pf = window.__pf || (window.__pf = await import('/pagefind/pagefind.js'));
				const s = await pf.search(q);
				const data = await Promise.all(s.results.slice(0, max).map((x) => x.data()));
				return { ms: performance.now() - t, urls: data.map((d) => d.url) };
			};
			const a = await once();
			const b = await once();
			return { cold: a.ms, warm: b.ms, urls: a.urls };
		}, { q: q.q, max: MAX });
		cold = r.cold;
		warm = r.warm;
		urls = r.urls.map((u) => new URL(u, origin).href);
	}
	const bytes = served[tool];
	await ctx.close();
	const top = urls.slice(0, 3).map((u) => {
		const path0 = new URL(u).pathname;
		return path0.slice(path0.indexOf(`/${q.lang}/`) + q.lang.length + 2).replace(/index\.html$/, '');
	});
	return { bytes, cold, warm, hit: q.pages ? top.some((t) => q.pages.includes(t)) : null };
}

for (const tool of ['toivo', 'pagefind']) {
	const rs = [];
	for (const q of queries)
		rs.push({ q, ...(await run(tool, q)) });
	const index = tool === 'toivo' ? du(path.join(site, 'fi', 'search')) + du(path.join(site, 'en', 'search')) :
		du(path.join(site, 'pagefind'), /-ui\.|highlight/);
	const hits = (lang) => {
		const a = rs.filter((r) => r.q.lang === lang && r.hit !== null);
		return a.length ? (a.filter((r) => r.hit).length / a.length).toFixed(2) : '-';
	};
	console.log([label, tool, index, median(rs.map((r) => r.bytes)), Math.max(...rs.map((r) => r.bytes)),
		Math.round(median(rs.map((r) => r.cold))), Math.round(median(rs.map((r) => r.warm))), hits('fi'), hits('en')].join(' '));
}
await browser.close();
server.close();
