/* search.js - the site search of the default theme.
 *
 * Shows the form that partials/search.mustache renders hidden, loads the
 * language's index (LANG/search-index.js, written by the build; a script,
 * not fetch(), so it works from file:// too) when the reader first uses
 * the box, and lists matches as the reader types.  Matching ignores case
 * and accents and looks at word beginnings ("tyo" finds "työ",
 * "toipumis" finds "toipumisorientaatio"); every word typed must match.
 * Keys: Down/Up move between the box and the results, Enter in the box
 * opens the first result, Escape clears; the results fold away while the
 * focus is elsewhere.  No UI text here: messages come
 * from the form's data-msg-* attributes (i18n/LANG.yaml).
 */
(function () {
	'use strict';
	var form = document.querySelector('form.site-search');
	if (!form || !String.prototype.normalize)
		return;
	var input = form.querySelector('.search-input');
	var status = form.querySelector('.search-status');
	var list = form.querySelector('.search-results');
	var root = form.getAttribute('data-root') || '';
	var lang = form.getAttribute('data-lang') || '';
	var MAX = 10;
	var pages = null;       /* [{p: record, hay: folded text}] once loaded */
	var state = 'idle';     /* idle, loading, ready, failed */

	/* Letters NFD does not take apart; the rest as generator/search.c. */
	var EXTRA = { 'æ': 'ae', 'ð': 'd', 'ø': 'o', 'þ': 'th', 'ß': 'ss', 'đ': 'd', 'ħ': 'h', 'ı': 'i',
		'ĳ': 'ij', 'ĸ': 'k', 'ŀ': 'l', 'ł': 'l', 'ŉ': 'n', 'ŋ': 'n', 'œ': 'oe', 'ŧ': 't', 'ſ': 's' };
	var EXTRA_RE = /[æðøþßđħıĳĸŀłŉŋœŧſ]/g;
	function fold(s) {
		return s.toLowerCase().replace(EXTRA_RE, function (c) { return EXTRA[c]; })
			.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
	}
	/* The folded text with, for each of its characters, where it came from. */
	function foldMap(s) {
		var t = '', at = [];
		for (var i = 0; i < s.length; i++) {
			var f = fold(s.charAt(i));
			for (var j = 0; j < f.length; j++) {
				t += f.charAt(j);
				at.push(i);
			}
		}
		at.push(s.length);
		return { t: t, at: at };
	}
	var WORD = /[\p{L}\p{N}]+/gu;
	function terms(q) { return fold(q).match(WORD) || []; }
	function startRe(term, flags) { return new RegExp('(^|[^\\p{L}\\p{N}])' + term, 'u' + (flags || '')); }

	function msg(name, n) {
		return (form.getAttribute('data-msg-' + name) || '').replace('{n}', String(n));
	}
	function say(text) {
		status.textContent = text;
		form.classList.toggle('has-status', text !== '');
	}

	function load() {
		if (state !== 'idle')
			return;
		state = 'loading';
		var s = document.createElement('script');
		s.src = form.getAttribute('data-index');
		s.onload = function () {
			var recs = window.toivoSearch && window.toivoSearch[lang];
			if (!recs) {
				s.onerror();
				return;
			}
			pages = recs.map(function (r) {
				var heads = r[3].map(function (h) { return h[0]; }).join(' | ');
				return { r: r, title: fold(r[0]), heads: fold(heads), text: fold(r[4]), words: ' ' + r[5] };
			});
			state = 'ready';
			update();
		};
		s.onerror = function () {
			state = 'failed';
			say(msg('unavailable'));
		};
		document.head.appendChild(s);
	}

	function score(pg, ts) {
		var total = 0;
		for (var i = 0; i < ts.length; i++) {
			var re = startRe(ts[i]), s = 0;
			if (re.test(pg.title)) s += 10;
			if (re.test(pg.heads)) s += 4;
			if (re.test(pg.text)) s += 1;
			else if (pg.words.indexOf(' ' + ts[i]) >= 0) s += 1;
			if (!s)
				return 0;
			total += s;
		}
		return total;
	}

	/* A piece of text around the first match, the matches marked. */
	function snippet(text, ts) {
		var m = foldMap(text), first = -1, i, hit;
		for (i = 0; i < ts.length && first < 0; i++) {
			hit = startRe(ts[i]).exec(m.t);
			if (hit)
				first = m.at[hit.index + hit[1].length];
		}
		var from = 0, to = Math.min(text.length, 160);
		if (first >= 0) {
			from = Math.max(0, first - 60);
			to = Math.min(text.length, first + 120);
		}
		if (from > 0) {
			var sp = text.indexOf(' ', from);
			if (sp >= 0 && sp < first)
				from = sp + 1;
		}
		if (to < text.length) {
			var sp2 = text.lastIndexOf(' ', to);
			if (sp2 > from && (first < 0 || sp2 > first))
				to = sp2;
		}
		/* Marked ranges, in the original text. */
		var marks = [];
		for (i = 0; i < ts.length; i++) {
			var re = startRe(ts[i], 'g');
			while ((hit = re.exec(m.t))) {
				var a = m.at[hit.index + hit[1].length], b = m.at[hit.index + hit[0].length];
				if (a >= from && b <= to)
					marks.push([a, b]);
				if (hit[0].length === 0)
					re.lastIndex++;
			}
		}
		marks.sort(function (x, y) { return x[0] - y[0]; });
		var frag = document.createDocumentFragment(), pos = from;
		if (from > 0)
			frag.appendChild(document.createTextNode('… '));
		marks.forEach(function (mk) {
			if (mk[0] < pos)
				return;
			frag.appendChild(document.createTextNode(text.slice(pos, mk[0])));
			var e = document.createElement('mark');
			e.textContent = text.slice(mk[0], mk[1]);
			frag.appendChild(e);
			pos = mk[1];
		});
		frag.appendChild(document.createTextNode(text.slice(pos, to) + (to < text.length ? ' …' : '')));
		return frag;
	}

	function clearList() {
		while (list.firstChild)
			list.removeChild(list.firstChild);
	}

	function update() {
		var q = input.value;
		var ts = terms(q);
		clearList();
		if (!ts.length || q.trim().length < 2) {
			say('');
			return;
		}
		if (state !== 'ready') {
			load();
			if (state === 'loading')
				say(msg('loading'));
			return;
		}
		var found = [];
		pages.forEach(function (pg, i) {
			var s = score(pg, ts);
			if (s)
				found.push({ pg: pg, s: s, i: i });
		});
		found.sort(function (x, y) { return y.s - x.s || x.i - y.i; });
		say(found.length === 0 ? msg('none') : found.length === 1 ? msg('one') : msg('results', found.length));
		found.slice(0, MAX).forEach(function (f) {
			var r = f.pg.r;
			var li = document.createElement('li');
			var a = document.createElement('a');
			a.className = 'search-hit';
			var href = root + r[2];
			/* Straight to the first heading that matches, when the title does not. */
			var t0 = startRe(ts[0]);
			if (!t0.test(f.pg.title)) {
				for (var k = 0; k < r[3].length; k++) {
					if (t0.test(fold(r[3][k][0]))) {
						href += '#' + r[3][k][1];
						break;
					}
				}
			}
			a.href = href;
			a.textContent = r[0];
			li.appendChild(a);
			if (r[1]) {
				var mod = document.createElement('span');
				mod.className = 'search-module';
				mod.textContent = r[1];
				li.appendChild(mod);
			}
			var sn = document.createElement('span');
			sn.className = 'search-snippet';
			sn.appendChild(snippet(r[4], ts));
			li.appendChild(sn);
			list.appendChild(li);
		});
	}

	function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }

	function clear() {
		input.value = '';
		clearList();
		say('');
		input.focus();
	}

	form.hidden = false;
	input.addEventListener('focus', load);
	/* The results fold away while the focus is elsewhere on the page. */
	form.addEventListener('focusout', function (e) {
		if (!e.relatedTarget || !form.contains(e.relatedTarget))
			form.classList.add('away');
	});
	form.addEventListener('focusin', function () { form.classList.remove('away'); });
	input.addEventListener('input', update);
	form.addEventListener('submit', function (e) {
		e.preventDefault();
		var l = links();
		if (l.length)
			l[0].click();
	});
	form.addEventListener('keydown', function (e) {
		var l = links(), at = l.indexOf(document.activeElement);
		if (e.key === 'Escape') {
			if (input.value || l.length) {
				e.preventDefault();
				clear();
			}
		} else if (e.key === 'ArrowDown' && l.length) {
			e.preventDefault();
			l[Math.min(at + 1, l.length - 1)].focus();
		} else if (e.key === 'ArrowUp' && at >= 0) {
			e.preventDefault();
			if (at === 0)
				input.focus();
			else
				l[at - 1].focus();
		}
	});
})();
