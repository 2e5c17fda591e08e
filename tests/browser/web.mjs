// web.mjs - what the browser tests share besides their result lines
// (tap.mjs): a static server for a built site on loopback, and Debian's
// Chromium started the one way every test starts it.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
	'.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
	'.pdf': 'application/pdf', '.xml': 'application/xml' };

// Serves the folder root at http://127.0.0.1:PORT{base} (base begins and
// ends with '/'); a folder gives its index.html, anything outside root or
// base is 404.  Resolves to { server, url } with url ending in base.
export async function serveStatic(root, base = '/') {
	const top = path.resolve(root);
	const server = http.createServer((req, res) => {
		const u = decodeURIComponent(new URL(req.url, 'http://x').pathname);
		let f = u.startsWith(base) ? path.join(top, path.normalize('/' + u.slice(base.length))) : null;
		if (f && fs.existsSync(f) && fs.statSync(f).isDirectory())
			f = path.join(f, 'index.html');
		if (!f || !f.startsWith(top + path.sep) || !fs.existsSync(f) || !fs.statSync(f).isFile()) {
			res.writeHead(404);
			res.end();
			return;
		}
		res.writeHead(200, { 'content-type': TYPES[path.extname(f)] || 'application/octet-stream' });
		fs.createReadStream(f).pipe(res);
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	return { server, url: `http://127.0.0.1:${server.address().port}${base}` };
}

// Debian's chromium ($CHROMIUM), headless; extra adds flags.
export function launchChromium(extra = []) {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', ...extra],
	});
}
