// slides.mjs - decks in a real browser (Debian's chromium, driven by
// playwright-core), run by tests/t_slides.sh on the release build.
//
// Every deck that OUT/slides.json lists is opened over HTTP (served here
// under a base path, /base/path/, as a site may be published) and checked:
// at 1280x720 and 390x844 no slide overflows its canvas and the page does
// not scroll; notes are never visible; axe-core finds nothing serious or
// critical on any slide; printing gives one landscape A4 page per slide
// (pdfinfo).  The first deck is also opened from disk and over HTTP and
// driven: arrows, Space, Page Up/Down, Home/End move and the fragment
// follows; reload keeps the slide; #/N opens slide N; the live region
// says the heading; Esc shows the overview; a swipe moves; the language
// switcher opens the other deck at the same slide; S opens the speaker
// view, which follows the main window both ways and shows the notes and
// the next slide; reduced motion turns the animation off; without
// JavaScript every slide is shown and the notes are not.
//
// Usage: node slides.mjs OUT TMPDIR [LABEL]
// Prints "ok - ..." / "not ok - ..." lines (evidence on "# " lines);
// screenshots of the first deck go to TMPDIR/shots/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serveStatic, launchChromium } from './web.mjs';
import { tap } from './tap.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [out, tmp, label = 'deck'] = process.argv.slice(2);
const axeSource = fs.readFileSync(path.join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
const BASE = '/base/path/';

const { check, nok, step } = tap(label);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- a static server under a base path ---------------------------------------
const { server, url: http0 } = await serveStatic(out, BASE);

const decks = JSON.parse(fs.readFileSync(path.join(out, 'slides.json'), 'utf8'));
check(`slides.json lists decks (${decks.length})`, decks.length > 0);

const browser = await launchChromium();

function watch(p, errs) {
	p.on('pageerror', (e) => errs.push(String(e)));
	p.on('console', (m) => {
		if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
			errs.push(m.text());
	});
	p.on('response', (r) => {
		if (r.status() >= 400 && !r.url().endsWith('/favicon.ico'))
			errs.push(`${r.status()} ${r.url()}`);
	});
	return p;
}

// The current slide's number, read from the page.
const current = (p) => p.evaluate(() => {
	const s = document.querySelector('main.deck > section.slide.current');
	return s ? parseInt(s.id.slice(1), 10) : 0;
});

async function waitSlide(p, n) {
	for (let i = 0; i < 50; i++) {
		if (await current(p) === n)
			return true;
		await sleep(50);
	}
	return false;
}

// Measures every slide of the deck open in p (each made current through
// the fragment): overflow of the slide, its canvas and body, the page's
// own scroll, the scaled slide inside the window, notes not visible.
async function measure(p, count) {
	const bad = [];
	for (let i = 1; i <= count; i++) {
		await p.evaluate((n) => { location.hash = '#/' + n; }, i);
		if (!await waitSlide(p, i)) {
			bad.push(`slide ${i} did not become current`);
			continue;
		}
		const r = await p.evaluate(() => {
			const s = document.querySelector('main.deck > section.slide.current');
			const probs = [];
			for (const el of [s, s.querySelector('.slide-canvas'), s.querySelector('.slide-body')]) {
				if (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight)
					probs.push(`${el.className}: scroll ${el.scrollWidth}x${el.scrollHeight} > client ${el.clientWidth}x${el.clientHeight}`);
			}
			const d = document.documentElement;
			if (d.scrollWidth > innerWidth || d.scrollHeight > innerHeight)
				probs.push(`page scrolls: ${d.scrollWidth}x${d.scrollHeight} in ${innerWidth}x${innerHeight}`);
			const f = s.querySelector('.slide-frame').getBoundingClientRect();
			if (f.left < -0.5 || f.top < -0.5 || f.right > innerWidth + 0.5 || f.bottom > innerHeight + 0.5 || f.width < 100)
				probs.push(`slide outside the window: ${JSON.stringify(f)}`);
			const text = document.body.innerText;
			for (const n of document.querySelectorAll('.slide-notes')) {
				const t = n.textContent.trim().slice(0, 40);
				if (n.checkVisibility() || (t && text.includes(t)))
					probs.push(`notes visible: ${t}`);
			}
			return probs;
		});
		for (const x of r)
			bad.push(`slide ${i}: ${x}`);
	}
	return bad;
}

// The slide fades in: contrast and screenshots are taken once it has.
const settled = (p) => p.evaluate(() => Promise.all(document.getAnimations().map((x) => x.finished)));

async function axeSlides(p, count, opts) {
	if (!await p.evaluate(() => !!window.axe))
		await p.addScriptTag({ content: axeSource });
	const serious = [];
	for (let i = 1; i <= count; i++) {
		await p.evaluate((n) => { location.hash = '#/' + n; }, i);
		await waitSlide(p, i);
		await settled(p);
		// The whole page once, then each slide with the bar around it.
		const vs = await p.evaluate(async ([o, whole]) => {
			const where = whole ? document : { include: [['main.deck > section.slide.current'], ['.deck-bar']] };
			const r = await window.axe.run(where, o);
			return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
				.map((v) => `${v.id} [${v.impact}] ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
		}, [opts, i === 1]);
		for (const v of vs)
			serious.push(`slide ${i}: ${v}`);
	}
	return serious;
}

// --- every deck -------------------------------------------------------------
for (const [di, d] of decks.entries()) {
	const url = http0 + d.html;
	const tag = `${d.lang} ${d.module}`;
	await step(`${tag}: the deck`, async () => {
		const errs = [];
		for (const [w, h] of [[1280, 720], [390, 844]]) {
			const c = await browser.newContext({ viewport: { width: w, height: h } });
			const p = watch(await c.newPage(), errs);
			await p.goto(url, { waitUntil: 'load' });
			const count = await p.evaluate(() => document.querySelectorAll('main.deck > section.slide').length);
			const named = await p.evaluate(() => [...document.querySelectorAll('main.deck > section.slide')]
				.every((s) => s.querySelector('h1, h2')));
			check(`${tag}: every slide is a section with a heading (${count} slides)`, count > 1 && named);
			const bad = await measure(p, count);
			check(`${tag}: at ${w}x${h} no slide overflows, the page does not scroll, notes are hidden`,
				bad.length === 0, bad.join('\n'));
			if (di === 0) {
				fs.mkdirSync(path.join(tmp, 'shots'), { recursive: true });
				for (let i = 1; i <= count; i++) {
					await p.evaluate((n) => { location.hash = '#/' + n; }, i);
					await waitSlide(p, i);
					await settled(p);
					await p.screenshot({ path: path.join(tmp, 'shots', `${d.lang}-${w}-${i}.png`) });
				}
			}
			if (w === 1280) {
				const serious = await axeSlides(p, count, { resultTypes: ['violations'] });
				check(`${tag}: axe-core finds nothing serious or critical on any slide`, serious.length === 0, serious.join('\n'));
				await p.emulateMedia({ colorScheme: 'dark' });
				const dark = await axeSlides(p, count, { resultTypes: ['violations'], runOnly: ['color-contrast', 'link-in-text-block'] });
				check(`${tag}: and no contrast problem in the dark scheme`, dark.length === 0, dark.join('\n'));
				await p.emulateMedia({ colorScheme: 'light' });
				await p.emulateMedia({ media: 'print' });
				const cut = await p.evaluate(() => [...document.querySelectorAll('.slide-notes')]
					.filter((n) => n.scrollHeight > n.clientHeight + 1)
					.map((n) => `${n.closest('section').id}: ${n.scrollHeight} > ${n.clientHeight}`));
				await p.emulateMedia({ media: null });
				check(`${tag}: printed notes fit under their slide`, cut.length === 0, cut.join('\n'));
				const pdf = path.join(tmp, `${d.lang}-${d.module}.pdf`);
				await p.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
				const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
				const pages = parseInt((/^Pages:\s+(\d+)/m.exec(info) || [])[1], 10);
				const size = /^Page size:\s+([\d.]+) x ([\d.]+)/m.exec(info) || [];
				check(`${tag}: printing gives one page per slide (${pages} pages, ${count} slides)`, pages === count, info);
				check(`${tag}: the printed pages are landscape A4`,
					Math.abs(size[1] - 841.89) < 2 && Math.abs(size[2] - 595.28) < 2, size[0]);
			}
			await c.close();
		}
		check(`${tag}: no script errors`, errs.length === 0, errs.join('\n'));
	});
}

// --- driving the first deck, from disk and over HTTP ------------------------------
const d0 = decks[0];
const other = decks.find((d) => d.module === d0.module && d.lang !== d0.lang);
for (const [how, url] of [['file://', pathToFileURL(path.join(out, d0.html)).href], ['HTTP', http0 + d0.html]]) {
	await step(`keys (${how})`, async () => {
		const errs = [];
		const c = await browser.newContext({ viewport: { width: 1280, height: 720 } });
		const p = watch(await c.newPage(), errs);
		await p.goto(url, { waitUntil: 'load' });
		const count = await p.evaluate(() => document.querySelectorAll('main.deck > section.slide').length);
		check(`${how}: the deck opens at slide 1 with the fragment #/1`,
			await current(p) === 1 && new URL(p.url()).hash === '#/1', p.url());
		const seen = [];
		const press = async (key, want) => {
			await p.keyboard.press(key);
			const okSlide = await waitSlide(p, want);
			const hash = new URL(p.url()).hash;
			seen.push(`${key} -> ${await current(p)} ${hash}`);
			return okSlide && hash === `#/${want}`;
		};
		let good = await press('ArrowRight', 2);
		const live = await p.evaluate(() => document.querySelector('.deck-live').textContent);
		const title2 = await p.evaluate(() => document.querySelector('main.deck > section.slide.current').dataset.title);
		check(`${how}: the live region says the new slide's heading`, title2 && live.includes(title2), `${live} / ${title2}`);
		good = await press('ArrowLeft', 1) && good;
		good = await press('Space', 2) && good;
		good = await press('PageDown', Math.min(3, count)) && good;
		good = await press('PageUp', 2) && good;
		good = await press('End', count) && good;
		good = await press('Home', 1) && good;
		good = await press('ArrowRight', 2) && good;
		check(`${how}: →, ←, Space, Page Down, Page Up, End, Home move and the fragment follows`, good, seen.join('\n'));
		await p.reload({ waitUntil: 'load' });
		check(`${how}: reload keeps the slide`, await waitSlide(p, 2), p.url());
		await p.goto(url.replace(/#.*$/, '') + `#/${count}`, { waitUntil: 'load' });
		await p.reload({ waitUntil: 'load' });
		check(`${how}: a link to #/${count} opens slide ${count}`, await waitSlide(p, count), p.url());

		await p.keyboard.press('Escape');
		const ov = await p.evaluate(() => document.querySelector('main.deck').classList.contains('deck-overview') &&
			[...document.querySelectorAll('main.deck > section.slide')].every((s) => s.checkVisibility()));
		await p.screenshot({ path: path.join(tmp, 'shots', `overview-${how.replace(/\W/g, '')}.png`) });
		await p.keyboard.press('Escape');
		const back = await p.evaluate(() => !document.querySelector('main.deck').classList.contains('deck-overview'));
		check(`${how}: Esc shows every slide, Esc again goes back`, ov && back);

		await p.keyboard.press('Home');
		await waitSlide(p, 1);
		await p.evaluate(() => {
			const deck = document.querySelector('main.deck');
			const t = (x) => [new Touch({ identifier: 1, target: deck, clientX: x, clientY: 300 })];
			deck.dispatchEvent(new TouchEvent('touchstart', { touches: t(900), changedTouches: t(900), bubbles: true }));
			deck.dispatchEvent(new TouchEvent('touchend', { touches: [], changedTouches: t(300), bubbles: true }));
		});
		check(`${how}: a swipe to the left goes to the next slide`, await waitSlide(p, 2));

		if (other) {
			const href = await p.evaluate((lang) => document.querySelector(`.langswitch a[hreflang="${lang}"]`).getAttribute('href'), other.lang);
			check(`${how}: the language switcher points at the same slide of the other deck`, /#\/2$/.test(href), href);
			await p.click(`.langswitch a[hreflang="${other.lang}"]`);
			await p.waitForLoadState('load');
			check(`${how}: the other language's deck opens at the same slide`,
				p.url().includes(path.dirname(other.html)) && await waitSlide(p, 2), p.url());
			await p.goBack({ waitUntil: 'load' });
		}

		// The speaker view: a second window that follows.
		await p.goto(url.replace(/#.*$/, '') + '#/1', { waitUntil: 'load' });
		await p.reload({ waitUntil: 'load' });
		const [sp] = await Promise.all([c.waitForEvent('page'), p.keyboard.press('s')]);
		watch(sp, errs);
		await sp.waitForLoadState('load');
		const isSpeaker = await sp.evaluate(() => document.documentElement.classList.contains('deck-speaker'));
		check(`${how}: S opens the speaker view in a second window`, isSpeaker, sp.url());
		await p.bringToFront();
		await p.keyboard.press('ArrowRight');
		await waitSlide(p, 2);
		check(`${how}: the speaker view follows the main window`, await waitSlide(sp, 2), `speaker at ${await current(sp)}`);
		const notes = await p.evaluate(() => {
			const n = document.querySelector('main.deck > section.slide.current .slide-notes');
			return n ? n.textContent.trim().slice(0, 30) : '';
		});
		const spNotes = await sp.evaluate(() => document.querySelector('.deck-speaker-notes').innerText);
		const next = await sp.evaluate(() => {
			const s = document.querySelector('section.slide.next-up');
			return s ? s.id : '';
		});
		check(`${how}: the speaker view shows the slide's notes and the next slide`,
			(!notes || spNotes.includes(notes.split('\n')[0])) && (count < 3 || next === '/3'), `${notes} | ${spNotes} | ${next}`);
		const notesHere = await p.evaluate(() => [...document.querySelectorAll('.slide-notes')].some((n) => n.checkVisibility()));
		check(`${how}: the notes are not visible on the main window's slide`, !notesHere);
		await sp.setViewportSize({ width: 1200, height: 760 });
		await sp.screenshot({ path: path.join(tmp, 'shots', `speaker-${how.replace(/\W/g, '')}.png`) });
		await sp.bringToFront();
		await sp.keyboard.press('ArrowRight');
		check(`${how}: the main window follows the speaker view`, await waitSlide(p, 3), `main at ${await current(p)}`);
		await sp.close();
		check(`${how}: no script errors`, errs.length === 0, errs.join('\n'));
		await c.close();
	});
}

await step('reduced motion and no JavaScript', async () => {
	const url = http0 + d0.html;
	const anim = async (reducedMotion) => {
		const c = await browser.newContext({ viewport: { width: 1280, height: 720 }, reducedMotion });
		const p = await c.newPage();
		await p.goto(url, { waitUntil: 'load' });
		const a = await p.evaluate(() => getComputedStyle(document.querySelector('section.slide.current .slide-canvas')).animationName);
		await c.close();
		return a;
	};
	const moving = await anim('no-preference');
	const still = await anim('reduce');
	check('prefers-reduced-motion turns the slide animation off', moving !== 'none' && still === 'none', `${moving} / ${still}`);

	const c = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
	const p = await c.newPage();
	await p.goto(url, { waitUntil: 'load' });
	const r = await p.evaluate(() => {
		const s = [...document.querySelectorAll('main.deck > section.slide')];
		return {
			shown: s.filter((x) => x.getBoundingClientRect().height > 20).length,
			all: s.length,
			notes: [...document.querySelectorAll('.slide-notes')].filter((n) => n.getBoundingClientRect().height > 0).length,
			wide: document.documentElement.scrollWidth > innerWidth,
		};
	});
	check('without JavaScript every slide is on the page, the notes are not, nothing is wider than the phone',
		r.shown === r.all && r.notes === 0 && !r.wide, JSON.stringify(r));
	await p.screenshot({ path: path.join(tmp, 'shots', 'nojs.png'), fullPage: true });
	await c.close();
});

await browser.close();
server.close();
process.exit(0);
