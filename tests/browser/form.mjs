// form.mjs - the plan form in a real browser (Debian's chromium driven by
// playwright-core), run by tests/t_form.sh on a built copy of the course
// that also has a second form (crisis.yaml).
//
// In Finnish over http (a local static server) and in English from
// file://: fill every field (120 words in one part, Finnish letters), no
// storage and no request off the site, leaving with unsaved answers asks,
// Save downloads a file that reads by itself and holds every answer,
// reload empties the form, Open brings every answer back exactly, the
// printed PDF (pdftotext) has every answer, a broken file / a file of the
// other form / a file with unknown parts is refused with a message and
// changes nothing, Clear asks, axe-core finds nothing serious on the
// filled form (1280 px, 360 px, dark scheme), no horizontal scroll at
// 360 px, the keyboard reaches every field in order; without JavaScript
// the page is the blank paper form.
//
// Usage: node form.mjs OUT TMPDIR PLAN_YAML
// Prints "ok - ..." / "not ok - ..." lines (evidence on "# " lines).
// FORM_SHOTS=DIR keeps screenshots (360 px, 1280 px) and a PDF page as PNG.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serveStatic, launchChromium } from './web.mjs';
import { ok, nok, check, note, step } from './tap.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [out, tmp, planYaml] = process.argv.slice(2);
const SHOTS = process.env.FORM_SHOTS || '';
const axeSource = fs.readFileSync(path.join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');

const squash = (s) => s.replace(/\s+/g, ' ').trim();

// The keys of the plan, in order, from its YAML (fields, then parts).
const KEYS = [...fs.readFileSync(planYaml, 'utf8').matchAll(/^ {2}- key: (\S+)/gm)].map((m) => m[1]);

// --- a static server for OUT on loopback -----------------------------------
const { server, url: base0 } = await serveStatic(out);
const base = base0.replace(/\/$/, '');

const browser = await launchChromium();

// Spies, before any script of the page: every storage, cookie or network
// API the page calls is counted (the form must call none).
function spies() {
	const calls = [];
	window.__formSpy = calls;
	const wrap = (obj, name, label) => {
		const f = obj && obj[name];
		if (typeof f !== 'function')
			return;
		obj[name] = function (...a) {
			calls.push(label + ' ' + (new Error().stack || '').split('\n').slice(2, 4).join(' <- '));
			return f.apply(this, a);
		};
	};
	wrap(Storage.prototype, 'setItem', 'Storage.setItem');
	wrap(window, 'fetch', 'fetch');
	wrap(XMLHttpRequest.prototype, 'open', 'XMLHttpRequest');
	wrap(navigator, 'sendBeacon', 'sendBeacon');
	if (window.indexedDB)
		wrap(IDBFactory.prototype, 'open', 'indexedDB.open');
	const d = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
	Object.defineProperty(document, 'cookie', {
		get() { return d.get.call(document); },
		set(v) { calls.push('cookie'); d.set.call(document, v); },
	});
	const WS = window.WebSocket;
	window.WebSocket = function (...a) { calls.push('WebSocket'); return new WS(...a); };
}

// The answers: 120 words in the first part (and 700 in the second, in
// English), Finnish letters everywhere, a line break kept, every answer
// different.
const WORDS = ('toivon että löydän oman kodin jossa voin asua rauhassa ja tavata ystäviä säännöllisesti ' +
	'haaveilen työstä puutarhassa sekä kävelyistä meren rannalla äidin kanssa kesäisin').split(' ');
function words(n, seed) {
	const w = [];
	for (let i = 0; i < n; i++)
		w.push(WORDS[(i * 7 + seed) % WORDS.length] + (i % 17 === 16 ? '.' : ''));
	return w.join(' ');
}
function answersFor(lang) {
	const a = {};
	let n = 0;
	for (const k of KEYS) {
		n++;
		if (k === 'date')
			a[k] = '2026-03-15';
		else if (k === 'name')
			a[k] = lang === 'fi' ? 'Testi Äöå-Henkilö' : 'Test Äöå Person';
		else if (n === 3)
			a[k] = words(120, 1);
		else if (n === 4 && lang === 'en')
			a[k] = words(700, 3);   // more than a page: must break, not clip
		else
			a[k] = `Vastaus ${n} (${k}): pieni askel kerrallaan, ääneen ja yhdessä; öisin ja päivisin.\nToinen rivi ${n}: å ja ö.`;
	}
	return a;
}

async function values(page) {
	return page.$$eval('form.planform [data-key]', (fs) => Object.fromEntries(fs.map((f) => [f.dataset.key, f.value])));
}
async function statusText(page, before) {
	await page.waitForFunction((b) => {
		const s = document.querySelector('.planform-status').textContent;
		return s !== '' && s !== b;
	}, before, { timeout: 5000 });
	return page.$eval('.planform-status', (s) => ({ text: s.textContent, error: s.classList.contains('planform-error') }));
}
async function openFile(page, file) {
	await page.evaluate(() => { document.querySelector('.planform-status').textContent = ''; });
	await page.setInputFiles('form.planform input[type=file]', file);
	return statusText(page, '');
}
async function axe(page, what) {
	await page.addScriptTag({ content: axeSource });
	const r = await page.evaluate(async () => {
		// preload: false - axe would fetch the stylesheets itself (XHR), and
		// the page's own calls are counted.
		const res = await window.axe.run(document, { resultTypes: ['violations'], preload: false });
		return res.violations.map((v) => ({ id: v.id, impact: v.impact, n: v.nodes.length,
			t: v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ') }));
	});
	const bad = r.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	check(`axe-core: no serious or critical violation on the filled form (${what})`, bad.length === 0, JSON.stringify(bad));
	for (const v of r.filter((x) => !bad.includes(x)))
		note(`axe (${v.impact}, not failing): ${v.id} on ${v.n}`);
}

async function run(lang, url, how) {
	const tag = `${lang} ${how}`;
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
	await ctx.addInitScript(spies);
	const page = await ctx.newPage();
	page.setDefaultTimeout(10000);
	const errors = [];
	const offsite = [];
	page.on('pageerror', (e) => errors.push(e.message));
	page.on('request', (r) => {
		const u = r.url();
		if (!(u.startsWith(base + '/') || u.startsWith('file://') || u.startsWith('blob:') || u.startsWith('data:')))
			offsite.push(u);
	});
	const dialogs = [];
	let answer = 'accept';
	page.on('dialog', async (d) => {
		dialogs.push(d.type());
		if (answer === 'accept')
			await d.accept();
		else
			await d.dismiss();
	});
	const want = answersFor(lang);
	const tmpd = path.join(tmp, lang);
	fs.mkdirSync(tmpd, { recursive: true });

	await page.goto(url);
	await page.waitForSelector('form.planform.planform-live');
	check(`${tag}: the form is live, its tools shown`, await page.isVisible('.planform-tools'));
	check(`${tag}: the privacy sentence shows`, await page.isVisible('.planform-privacy'));
	const keys = await page.$$eval('form.planform [data-key]', (fs) => fs.map((f) => f.dataset.key));
	check(`${tag}: a field for every key of plan.yaml (${KEYS.length})`, JSON.stringify(keys) === JSON.stringify(KEYS), keys);
	check(`${tag}: the date is a date input`, (await page.getAttribute('[data-key="date"]', 'type')) === 'date');
	const hope = `[data-key="${KEYS[2]}"]`;
	const h0 = await page.$eval(hope, (t) => t.getBoundingClientRect().height);

	// Fill: by keyboard in the first field (a user's own typing), the rest fill().
	await page.click('[data-key="name"]');
	await page.keyboard.type(want.name);
	for (const k of KEYS.slice(1))
		await page.fill(`[data-key="${k}"]`, want[k]);
	check(`${tag}: every field holds its answer`, JSON.stringify(await values(page)) === JSON.stringify(want));
	const copies = await page.$$eval('form.planform [data-key]', (fs) => fs.map((f) => f.nextElementSibling.textContent));
	check(`${tag}: each answer is copied into its box for print`,
		copies.every((c, i) => KEYS[i] === 'date' ? c !== '' : c === want[KEYS[i]]), copies.map((c) => c.slice(0, 40)));
	const clipped = await page.$$eval('form.planform textarea', (ts) => ts.filter((t) => t.scrollHeight > t.clientHeight + 1).map((t) => t.dataset.key));
	check(`${tag}: every text area shows all of its text (grows)`, clipped.length === 0, clipped);

	// Nothing stored, nothing sent.
	const store = await page.evaluate(async () => ({
		local: (() => { try { return localStorage.length; } catch { return 0; } })(),
		session: (() => { try { return sessionStorage.length; } catch { return 0; } })(),
		cookie: document.cookie,
		idb: indexedDB.databases ? (await indexedDB.databases()).length : 0,
		calls: window.__formSpy,
	}));
	check(`${tag}: no localStorage, sessionStorage, IndexedDB or cookie`,
		store.local === 0 && store.session === 0 && store.cookie === '' && store.idb === 0 &&
		(await ctx.cookies()).length === 0, JSON.stringify(store));
	check(`${tag}: no storage, cookie or network API called`, store.calls.length === 0, store.calls);

	// Leaving with unsaved answers asks; staying keeps them.
	answer = 'dismiss';
	dialogs.length = 0;
	await page.reload({ timeout: 3000 }).catch(() => {});
	check(`${tag}: leaving with unsaved answers asks first (beforeunload)`, dialogs.includes('beforeunload'), dialogs);
	check(`${tag}: staying keeps the answers`, JSON.stringify(await values(page)) === JSON.stringify(want));
	answer = 'accept';

	// Save.
	const [dl] = await Promise.all([page.waitForEvent('download'), page.click('button[data-action="save"]')]);
	const saved = path.join(tmpd, dl.suggestedFilename());
	await dl.saveAs(saved);
	const st = await statusText(page, '');
	check(`${tag}: Save downloads one .html file, named without personal data (${dl.suggestedFilename()})`,
		/^plan-\d{4}-\d{2}-\d{2}\.html$/.test(dl.suggestedFilename()) && st.text.includes(dl.suggestedFilename()) && !st.error, st.text);
	const html = fs.readFileSync(saved, 'utf8');
	const m = html.match(/<script type="application\/json" id="toivo-form-data">([\s\S]*?)<\/script>/);
	let data = null;
	try { data = JSON.parse(m[1]); } catch { /* checked below */ }
	check(`${tag}: the file carries the answers as JSON with format, version and form id`,
		data && data.format === 'toivo-form' && data.version === 1 && data.form === 'plan' &&
		JSON.stringify(data.answers) === JSON.stringify(want), m ? m[1].slice(0, 300) : html.slice(0, 300));
	{
		const view = await ctx.newPage();
		const viewOff = [];
		view.on('request', (r) => { if (!r.url().startsWith('file://')) viewOff.push(r.url()); });
		await view.goto(pathToFileURL(saved).href);
		const text = squash(await view.textContent('body'));
		const missing = KEYS.filter((k) => k !== 'date' && !text.includes(squash(want[k])));
		check(`${tag}: the saved file opens by itself and reads every answer`, missing.length === 0 && viewOff.length === 0,
			{ missing, viewOff });
		await view.close();
	}

	// Reload: empty, and no question (saved).
	dialogs.length = 0;
	await page.reload();
	await page.waitForSelector('form.planform.planform-live');
	const empty = await values(page);
	check(`${tag}: after a reload the form is empty, and saved answers did not ask`,
		Object.values(empty).every((v) => v === '') && !dialogs.includes('beforeunload'), JSON.stringify(empty).slice(0, 200));

	// Open the saved file: every answer back, exactly.
	const op = await openFile(page, saved);
	const back = await values(page);
	check(`${tag}: Open brings every answer back exactly`, JSON.stringify(back) === JSON.stringify(want) && !op.error,
		JSON.stringify({ op, diff: KEYS.filter((k) => back[k] !== want[k]) }));
	const grew = await page.$eval(hope, (t) => t.getBoundingClientRect().height);
	if (how === 'file://') {
		// (at 360 px, where 120 words surely need more room)
		await page.setViewportSize({ width: 360, height: 800 });
		const g360 = await page.$eval(hope, (t) => t.getBoundingClientRect().height);
		check(`${tag}: the text area grows with 120 words (360 px: ${Math.round(g360)} px, empty ${Math.round(h0)} px)`, g360 > h0 + 20);
		await page.setViewportSize({ width: 1280, height: 900 });
	} else {
		note(`${tag}: the 120-word part is ${Math.round(grew)} px high, empty ${Math.round(h0)} px`);
	}

	// Print: every answer in the PDF, the buttons not.
	const pdf = path.join(tmpd, 'filled.pdf');
	await page.pdf({ path: pdf, format: 'A4', printBackground: true });
	// The text of the pages without their running page numbers (an answer
	// that continues on the next page reads on across them).
	const raw = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
	fs.writeFileSync(path.join(tmpd, 'filled.txt'), raw);
	const txt = squash(raw.split('\n').filter((l) => !/^\s*(sivu \d+\/\d+|page \d+ of \d+)\s*$/.test(l)).join('\n'));
	const pages = Number((execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/) || [])[1]);
	const date = lang === 'fi' ? '15.3.2026' : '15 March 2026';
	const notIn = KEYS.filter((k) => !txt.includes(k === 'date' ? date : squash(want[k])));
	check(`${tag}: the printed PDF (${pages} pages) holds every answer, none clipped`, notIn.length === 0,
		`missing: ${notIn.join(', ')}\n${txt.slice(0, 600)}`);
	const saveLabel = await page.textContent('button[data-action="save"]');
	const privacy = squash(await page.textContent('.planform-privacy'));
	check(`${tag}: the PDF is the form alone (title, no buttons, no privacy note, no site menu)`,
		txt.includes(squash(await page.textContent('.planform-title'))) && !txt.includes(privacy) &&
		!txt.includes(saveLabel) && !txt.includes(squash(await page.textContent('.content > p')).slice(0, 40)),
		txt.slice(0, 400));
	check(`${tag}: long answers continue onto another page`, pages >= 2, pages);
	if (SHOTS) {
		execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(SHOTS, `${lang}-pdf`)]);
		fs.copyFileSync(path.join(tmpd, 'filled.txt'), path.join(SHOTS, `${lang}-pdf.txt`));
	}

	// Files that must change nothing.
	const before = await values(page);
	const broken = path.join(tmpd, 'broken.html');
	fs.writeFileSync(broken, '<!doctype html><p>Tämä ei ole lomake.</p>');
	let r = await openFile(page, broken);
	check(`${tag}: a file that is no saved form: a clear message, form unchanged`,
		r.error && r.text.includes('broken.html') && JSON.stringify(await values(page)) === JSON.stringify(before), r.text);
	const cut = path.join(tmpd, 'cut.html');
	fs.writeFileSync(cut, html.slice(0, Math.floor(html.indexOf('"answers"') + 40)));
	r = await openFile(page, cut);
	check(`${tag}: a damaged (cut) file: a message, form unchanged`,
		r.error && JSON.stringify(await values(page)) === JSON.stringify(before), r.text);
	const unknown = path.join(tmpd, 'unknown.html');
	fs.writeFileSync(unknown, html.replace('"answers": {', '"answers": {\n  "zzz_extra": "x",'));
	r = await openFile(page, unknown);
	check(`${tag}: a file with parts this form lacks: names them, form unchanged`,
		r.error && r.text.includes('zzz_extra') && JSON.stringify(await values(page)) === JSON.stringify(before), r.text);

	// The other form: fill and save the crisis plan, open it in the plan form.
	{
		const other = await ctx.newPage();
		await other.goto(new URL(lang === 'fi' ? '../kriisi/index.html' : '../crisis-plan/index.html', page.url()).href);
		await other.waitForSelector('form.planform.planform-live');
		await other.fill('form.planform textarea', 'Kriisisuunnitelman vastaus äöå');
		const [d2] = await Promise.all([other.waitForEvent('download'), other.click('button[data-action="save"]')]);
		const f2 = path.join(tmpd, 'crisis-' + d2.suggestedFilename());
		await d2.saveAs(f2);
		await other.close();
		r = await openFile(page, f2);
		check(`${tag}: a file of another form (the crisis plan): a clear message, form unchanged`,
			r.error && /crisis|kriisi/i.test(r.text) && JSON.stringify(await values(page)) === JSON.stringify(before), r.text);
	}

	// Keyboard: Tab goes through every field in order.
	await page.focus('[data-key="name"]');
	const order = [KEYS[0]];
	for (let i = 0; i < 40 && order.length < KEYS.length; i++) {
		await page.keyboard.press('Tab');
		const k = await page.evaluate(() => document.activeElement.dataset.key || null);
		if (k && k !== order[order.length - 1])
			order.push(k);
	}
	check(`${tag}: Tab reaches every field in order`, JSON.stringify(order) === JSON.stringify(KEYS), order);

	// axe on the filled form, then 360 px.
	await axe(page, `${tag}, 1280 px`);
	if (SHOTS)
		await page.screenshot({ path: path.join(SHOTS, `${lang}-1280.png`), fullPage: true, timeout: 60000 });
	await page.setViewportSize({ width: 360, height: 800 });
	const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	check(`${tag}: no horizontal scroll at 360 px with the filled form`, scroll <= 0, scroll);
	await axe(page, `${tag}, 360 px`);
	if (SHOTS)
		await page.screenshot({ path: path.join(SHOTS, `${lang}-360.png`), fullPage: true, timeout: 60000 });
	// 200 % zoom of a 1280 px window is a 640 px viewport.
	await page.setViewportSize({ width: 640, height: 450 });
	const scroll2 = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	check(`${tag}: no horizontal scroll at 200 % zoom`, scroll2 <= 0, scroll2);

	// Clear: asks; No keeps, Yes empties.
	answer = 'dismiss';
	dialogs.length = 0;
	await page.click('button[data-action="clear"]');
	const kept = JSON.stringify(await values(page)) === JSON.stringify(before);
	answer = 'accept';
	await page.click('button[data-action="clear"]');
	const cleared = await values(page);
	const boxes = await page.$$eval('form.planform .write-space', (bs) => bs.every((b) => b.textContent === ''));
	check(`${tag}: Clear asks; No keeps the answers, Yes empties the form and its print boxes`,
		dialogs.filter((t) => t === 'confirm').length === 2 && kept && Object.values(cleared).every((v) => v === '') && boxes,
		JSON.stringify({ dialogs, kept }));

	const calls = await page.evaluate(() => window.__formSpy);
	check(`${tag}: still no storage, cookie or network API called`, calls.length === 0, calls);
	check(`${tag}: no request left the site`, offsite.length === 0, offsite);
	check(`${tag}: no script errors`, errors.length === 0, errors);
	await ctx.close();
}

await step('fi over http', () => run('fi', `${base}/fi/asiakassuunnitelma/lomake/`, 'http'));
await step('en from file://', () => run('en', pathToFileURL(path.join(out, 'en/client-plan/form/index.html')).href, 'file://'));

// A second look in the dark scheme: axe on the filled form.
await step('dark scheme', async () => {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
	const page = await ctx.newPage();
	await page.goto(`${base}/fi/asiakassuunnitelma/lomake/`);
	await page.waitForSelector('form.planform.planform-live');
	const want = answersFor('fi');
	for (const k of KEYS)
		await page.fill(`[data-key="${k}"]`, want[k]);
	await page.evaluate(() => { document.querySelector('.planform-status').textContent = 'Tallennettu.'; });
	await axe(page, 'dark scheme');
	page.on('dialog', (d) => d.accept());
	await ctx.close();
});

// Without JavaScript: the blank paper form, fields and tools hidden.
await step('without JavaScript', async () => {
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto(`${base}/fi/asiakassuunnitelma/lomake/`);
	const shown = await page.$$eval('form.planform [data-key]', (fs) => fs.filter((f) => f.offsetParent !== null).length);
	const boxes = await page.$$eval('form.planform .write-space', (bs) => bs.filter((b) => b.offsetHeight > 0).length);
	check('without JavaScript the form is the paper form (boxes shown, fields and tools hidden)',
		shown === 0 && boxes === KEYS.length && !(await page.isVisible('.planform-tools')), { shown, boxes });
	await ctx.close();
});

// The print page stays blank with the script (toivo pdf prints it).
await step('print page', async () => {
	const ctx = await browser.newContext();
	const page = await ctx.newPage();
	await page.goto(`${base}/fi/asiakassuunnitelma/lomake/print/`);
	const live = await page.$$('form.planform.planform-live');
	const pdf = path.join(tmp, 'blank.pdf');
	await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
	const pages = Number((execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/) || [])[1]);
	check(`the print page stays the blank paper form on one page (${pages})`, live.length === 0 && pages === 1
		&& !(await page.isVisible('.planform-tools')));
	if (SHOTS)
		execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(SHOTS, 'blank-pdf')]);
	// The form's own page, live but empty, prints as that blank form.
	await page.goto(`${base}/fi/asiakassuunnitelma/lomake/`);
	await page.waitForSelector('form.planform.planform-live');
	const pdf2 = path.join(tmp, 'empty.pdf');
	await page.pdf({ path: pdf2, format: 'A4', printBackground: true });
	const pages2 = Number((execFileSync('pdfinfo', [pdf2], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/) || [])[1]);
	const text2 = squash(execFileSync('pdftotext', ['-enc', 'UTF-8', pdf2, '-'], { encoding: 'utf8' }));
	const blank = squash(execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }));
	check(`the form's page, empty, prints as the blank form (${pages2} page, same text)`, pages2 === pages && text2 === blank,
		`${text2.slice(0, 200)}\n---\n${blank.slice(0, 200)}`);
	await ctx.close();
});

await browser.close();
server.close();
process.exit(0);
