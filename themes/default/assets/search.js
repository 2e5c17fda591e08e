/* search.js - the site search of the default theme.
 *
 * Shows the form that partials/search.mustache renders hidden and
 * answers queries from the language's sharded index (generator/search.h):
 * a manifest (LANG/search/index.js), term shards (sN.js) and page records
 * (rN.js), each a script that sets window.toivoSearch["LANG/NAME"], so
 * the search works from file:// and under any base path.  A query loads
 * the manifest, the shards of its words, the shards of their terms and
 * the records of the results it shows; nothing else.
 *
 * Matching is done on the build's terms: each shard maps the site's word
 * forms to their terms (Voikko base forms and compound parts for Finnish,
 * Snowball stems for English), so "asumispalveluissa" and "palvelu" meet
 * without a stemmer here.  A typed word counts as
 *   - itself, a form of the site (weight 1),
 *   - a form that differs only by accents, ä typed as a (0.7),
 *   - for the last word, a beginning of forms (0.5),
 *   - when none of these, the site's form that shares the longest
 *     beginning with it (0.4: a form the site does not contain).
 * Every word must match; a page's score sums the BM25 scores of its best
 * term for each word; a result links to the section where the heaviest
 * word stands.  Keys: Down/Up move between the box and the results,
 * Enter in the box opens the first result, Escape clears.  The query is
 * kept in the address (?q=) so a search can be sent as a link.  No UI text
 * here: messages come from the form's data-msg-* attributes.
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
	var base = form.getAttribute('data-search') || '';
	var data = window.toivoSearch = window.toivoSearch || {};
	var MAX = 10;           /* results shown */
	var MAX_WORDS = 8;      /* words of a query that count */
	var MAX_WORD = 40;      /* characters of a word that count */
	var MAX_TERM_SHARDS = 6;
	var MAX_EXPAND = 60;    /* forms a prefix may stand for */
	var pending = {};       /* name -> callbacks while its script loads */
	var failed = {};
	var gen = 0;            /* the query being answered */
	var prepared = {};      /* shard name -> its keys, folded */

	/* Letters NFD does not take apart; the rest as generator/search.c. */
	var EXTRA = { 'æ': 'ae', 'ð': 'd', 'ø': 'o', 'þ': 'th', 'ß': 'ss', 'đ': 'd', 'ħ': 'h', 'ı': 'i',
		'ĳ': 'ij', 'ĸ': 'k', 'ŀ': 'l', 'ł': 'l', 'ŉ': 'n', 'ŋ': 'n', 'œ': 'oe', 'ŧ': 't', 'ſ': 's' };
	var EXTRA_RE = /[æðøþßđħıĳĸŀłŉŋœŧſ]/g;
	function fold(s) {
		return s.toLowerCase().replace(EXTRA_RE, function (c) { return EXTRA[c]; })
			.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
	}
	var WORD = /[\p{L}\p{N}]+/gu;
	function words(q) {
		var ws = (q.toLowerCase().match(WORD) || []).filter(function (w) { return w.length > 1 || /\d/.test(w); });
		return ws.slice(0, MAX_WORDS).map(function (w) { return w.slice(0, MAX_WORD); });
	}

	function msg(name, n) {
		return (form.getAttribute('data-msg-' + name) || '').replace('{n}', String(n));
	}
	/* Sets the status; the results are busy (aria-busy) until the answer
	 * to the latest query is out. */
	function say(text, busy) {
		status.textContent = text;
		form.classList.toggle('has-status', text !== '');
		list.setAttribute('aria-busy', busy ? 'true' : 'false');
	}

	/* Loads the scripts names (e.g. "index", "s3", "r12"), then calls
	 * done(true), or done(false) when one of them failed. */
	function need(names, done) {
		var left = 0, ok = true, called = false;
		function one(good) {
			ok = ok && good;
			if (--left === 0 && !called) {
				called = true;
				done(ok);
			}
		}
		names.forEach(function (name) {
			var key = lang + '/' + name;
			if (data[key])
				return;
			if (failed[key]) {
				ok = false;
				return;
			}
			left++;
			if (pending[key]) {
				pending[key].push(one);
				return;
			}
			pending[key] = [one];
			var s = document.createElement('script');
			s.src = base + name + '.js';
			s.onload = s.onerror = function () {
				var good = !!data[key];
				if (!good)
					failed[key] = true;
				var cbs = pending[key];
				delete pending[key];
				cbs.forEach(function (cb) { cb(good); });
			};
			document.head.appendChild(s);
		});
		if (left === 0 && !called) {
			called = true;
			done(ok);
		}
	}
	function manifest() { return data[lang + '/index']; }
	function shard(i) { return data[lang + '/s' + i]; }

	/* The shard that holds folded key k: the last whose first key sorts
	 * at or before it. */
	function shardOf(k) {
		var keys = manifest().shards, lo = 0, hi = keys.length - 1;
		while (lo < hi) {
			var mid = (lo + hi + 1) >> 1;
			if (keys[mid] <= k)
				lo = mid;
			else
				hi = mid - 1;
		}
		return lo;
	}
	/* Shard i's words (forms and terms) with their folded spelling. */
	function keysOf(i) {
		if (prepared[i])
			return prepared[i];
		var sh = shard(i), out = [], k;
		for (k in sh.f)
			out.push([k, fold(k)]);
		for (k in sh.t)
			if (!Object.prototype.hasOwnProperty.call(sh.f, k))
				out.push([k, fold(k)]);
		out.sort(function (a, b) { return a[1] < b[1] ? -1 : a[1] > b[1]; });
		prepared[i] = out;
		return out;
	}
	/* The terms of form w found in shard i: its base forms when whole,
	 * with the compound parts too otherwise. */
	/* o[k] when o has k itself: words such as "constructor" are not
	 * looked up on Object.prototype. */
	function own(o, k) {
		return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
	}
	function termsOf(i, w, whole) {
		var sh = shard(i), f = own(sh.f, w);
		if (f !== undefined) {
			var parts = f.split('|');
			var ts = parts[0].split(' ');
			return whole || parts.length < 2 ? ts : ts.concat(parts[1].split(' '));
		}
		return own(sh.t, w) !== undefined ? [w] : [];
	}
	function lcp(a, b) {
		var n = 0;
		while (n < a.length && n < b.length && a.charAt(n) === b.charAt(n))
			n++;
		return n;
	}

	/* The shards a query's words need. */
	function wordShards(ws) {
		var set = Object.create(null);
		ws.forEach(function (w, i) {
			var fw = fold(w), a = shardOf(fw);
			set[a] = true;
			if (i === ws.length - 1 && fw.length >= 2) {
				var b = shardOf(fw + '\uffff');
				for (var k = a + 1; k <= b && k <= a + 2; k++)
					set[k] = true;
			}
		});
		return Object.keys(set).map(Number);
	}

	/* For each word: {term: weight}. */
	function candidates(ws) {
		return ws.map(function (w, wi) {
			var fw = fold(w), a = shardOf(fw), last = wi === ws.length - 1;
			var c = Object.create(null), found = false;
			function add(ts, weight) {
				ts.forEach(function (t) {
					if (!(c[t] >= weight))
						c[t] = weight;
				});
			}
			var exact = termsOf(a, w, true);
			if (exact.length) {
				add(exact, 1);
				found = true;
			}
			var span = [a];
			if (last && fw.length >= 2)
				for (var k = a + 1; k <= shardOf(fw + '\uffff') && k <= a + 2; k++)
					span.push(k);
			var expanded = 0, best = null, bestLen = 0;
			span.forEach(function (i) {
				if (!shard(i))
					return;
				keysOf(i).forEach(function (kf) {
					if (kf[0] === w)
						return;
					if (kf[1] === fw) {
						add(termsOf(i, kf[0], true), 0.7);
						found = true;
					} else if (last && fw.length >= 2 && kf[1].lastIndexOf(fw, 0) === 0 && expanded < MAX_EXPAND) {
						add(termsOf(i, kf[0], false), 0.5);
						expanded++;
						found = true;
					} else if (i === a) {
						var n = lcp(kf[1], fw);
						if (n > bestLen) {
							bestLen = n;
							best = kf[0];
						}
					}
				});
			});
			if (!found && best && bestLen >= Math.max(4, fw.length - 4))
				add(termsOf(a, best, true), 0.4);
			return c;
		});
	}

	/* Pages matching every word: [{page, score, sec}], best first. */
	function rank(cands) {
		var per = cands.map(function (c) {
			var pages = Object.create(null);
			Object.keys(c).forEach(function (t) {
				var sh = shard(shardOf(fold(t)));
				var p = sh && own(sh.t, t);
				if (!p)
					return;
				var page = 0;
				for (var i = 0; i + 2 < p.length; i += 3) {
					page += p[i];
					var s = p[i + 1] * c[t], old = pages[page];
					if (!old || s > old.s)
						pages[page] = { s: s, sec: p[i + 2] };
				}
			});
			return pages;
		});
		var found = [];
		if (!per.length)
			return found;
		Object.keys(per[0]).forEach(function (pg) {
			var total = 0, top = -1, sec = 0;
			for (var i = 0; i < per.length; i++) {
				var h = per[i][pg];
				if (!h)
					return;
				total += h.s;
				if (h.s > top) {
					top = h.s;
					sec = h.sec;
				}
			}
			found.push({ page: +pg, score: total, sec: sec });
		});
		found.sort(function (x, y) { return y.score - x.score || x.page - y.page; });
		return found;
	}

	/* Edit distance of a and b, or max + 1 when it is over max. */
	function distance(a, b, max) {
		if (Math.abs(a.length - b.length) > max)
			return max + 1;
		var prev = [], cur, i, j;
		for (j = 0; j <= b.length; j++)
			prev.push(j);
		for (i = 1; i <= a.length; i++) {
			cur = [i];
			var low = i;
			for (j = 1; j <= b.length; j++) {
				var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1));
				cur.push(v);
				low = Math.min(low, v);
			}
			if (low > max)
				return max + 1;
			prev = cur;
		}
		return prev[b.length];
	}
	/* The site's word nearest to w (one or two letters off), or null. */
	function nearest(w) {
		var fw = fold(w), best = null, bestD = 3, bestN = 0;
		var a = shardOf(fw);
		[a - 1, a, a + 1].forEach(function (i) {
			if (i < 0 || !shard(i))
				return;
			keysOf(i).forEach(function (kf) {
				var d = distance(kf[1], fw, 2);
				if (d === 0 || d > bestD)
					return;
				var t = own(shard(i).t, kf[0]), n = t ? t.length : 1;
				if (d < bestD || n > bestN) {
					best = kf[0];
					bestD = d;
					bestN = n;
				}
			});
		});
		return best;
	}

	function clearList() {
		while (list.firstChild)
			list.removeChild(list.firstChild);
	}

	/* Text with the words whose terms the query has (or that begin with a
	 * typed word) in <mark>. */
	function marked(text, ws, cands) {
		var all = Object.create(null);
		cands.forEach(function (c) { Object.keys(c).forEach(function (t) { all[t] = true; }); });
		var fws = ws.map(fold);
		var frag = document.createDocumentFragment(), pos = 0, m;
		var re = /[\p{L}\p{N}]+/gu;
		while ((m = re.exec(text))) {
			var w = m[0].toLowerCase(), fw = fold(w), hit = false;
			var sh = shard(shardOf(fw));
			if (sh) {
				var ts = termsOf(shardOf(fw), w, false);
				for (var i = 0; i < ts.length && !hit; i++)
					hit = !!all[ts[i]];
			}
			for (var k = 0; k < fws.length && !hit; k++)
				hit = fws[k].length >= 3 && fw.lastIndexOf(fws[k], 0) === 0;
			if (!hit)
				continue;
			frag.appendChild(document.createTextNode(text.slice(pos, m.index)));
			var e = document.createElement('mark');
			e.textContent = m[0];
			frag.appendChild(e);
			pos = m.index + m[0].length;
		}
		frag.appendChild(document.createTextNode(text.slice(pos)));
		return frag;
	}

	function show(found, ws, cands) {
		var rs = manifest().records;
		var names = Object.create(null);
		found.slice(0, MAX).forEach(function (f) { names['r' + Math.floor(f.page / rs)] = true; });
		var my = gen;
		need(Object.keys(names), function (ok) {
			if (my !== gen)
				return;
			if (!ok) {
				say(msg('unavailable'));
				return;
			}
			clearList();
			say(found.length === 1 ? msg('one') : msg('results', found.length));
			found.slice(0, MAX).forEach(function (f) {
				var r = data[lang + '/r' + Math.floor(f.page / rs)][f.page % rs];
				var sec = r[3][f.sec] || r[3][0];
				var li = document.createElement('li');
				var a = document.createElement('a');
				a.className = 'search-hit';
				a.href = root + r[2] + (f.sec > 0 && sec[1] ? '#' + sec[1] : '');
				a.textContent = r[0];
				li.appendChild(a);
				if (f.sec > 0 && sec[0]) {
					var h = document.createElement('span');
					h.className = 'search-section';
					h.appendChild(marked(sec[0], ws, cands));
					li.appendChild(h);
				}
				if (r[1]) {
					var mod = document.createElement('span');
					mod.className = 'search-module';
					mod.textContent = r[1];
					li.appendChild(mod);
				}
				var text = sec[2] || r[3][0][2];
				if (text) {
					var sn = document.createElement('span');
					sn.className = 'search-snippet';
					sn.appendChild(marked(text + (text.length >= 150 ? ' …' : ''), ws, cands));
					li.appendChild(sn);
				}
				list.appendChild(li);
			});
		});
	}

	function suggest(ws) {
		var changed = false;
		var alt = ws.map(function (w) {
			var n = nearest(w);
			if (n && n !== w) {
				changed = true;
				return n;
			}
			return w;
		});
		clearList();
		say(msg('none'));
		if (!changed)
			return;
		/* In the live region, after "No results". */
		var q = alt.join(' ');
		var p = document.createElement('span');
		p.className = 'search-suggest';
		var parts = msg('suggest').split('{q}');
		var a = document.createElement('a');
		a.href = '?q=' + encodeURIComponent(q);
		a.textContent = q;
		a.addEventListener('click', function (e) {
			e.preventDefault();
			input.value = q;
			update();
			input.focus();
		});
		p.appendChild(document.createTextNode(parts[0] || ''));
		p.appendChild(a);
		p.appendChild(document.createTextNode(parts[1] || ''));
		status.appendChild(document.createTextNode(' '));
		status.appendChild(p);
	}

	function fail(my) {
		if (my !== gen)
			return;
		clearList();
		say(msg('unavailable'));
	}

	/* The query in the address, so a search can be sent as a link. */
	function remember(q) {
		try {
			var url = location.pathname + (q ? '?q=' + encodeURIComponent(q) : '') + location.hash;
			history.replaceState(history.state, '', url);
		} catch (e) {
			/* an address that cannot change (some file:// setups) */
		}
	}

	function update() {
		var q = input.value;
		var my = ++gen;
		remember(q.trim());
		var ws = words(q);
		if (!ws.length) {
			clearList();
			say('');
			return;
		}
		say(manifest() ? status.textContent : msg('loading'), true);
		need(['index'], function (ok) {
			if (my !== gen)
				return;
			if (!ok || !manifest())
				return fail(my);
			if (!manifest().shards.length) {
				clearList();
				say(msg('none'));
				return;
			}
			need(wordShards(ws).map(function (i) { return 's' + i; }), function (ok2) {
				if (my !== gen)
					return;
				if (!ok2)
					return fail(my);
				var cands = candidates(ws);
				/* The term shards: those of exact terms first, at most
				 * MAX_TERM_SHARDS; terms in others are left out. */
				var want = [], seen = Object.create(null);
				cands.forEach(function (c) {
					Object.keys(c).sort(function (x, y) { return c[y] - c[x]; }).forEach(function (t) {
						var i = shardOf(fold(t));
						if (!seen[i] && (c[t] === 1 || want.length < MAX_TERM_SHARDS)) {
							seen[i] = true;
							want.push('s' + i);
						}
					});
				});
				need(want, function (ok3) {
					if (my !== gen)
						return;
					if (!ok3)
						return fail(my);
					var found = rank(cands);
					if (!found.length)
						return suggest(ws);
					show(found, ws, cands);
				});
			});
		});
	}

	function links() { return Array.prototype.slice.call(list.querySelectorAll('a.search-hit')); }

	function clear() {
		input.value = '';
		gen++;
		remember('');
		clearList();
		say('');
		input.focus();
	}

	form.hidden = false;
	input.addEventListener('focus', function () { need(['index'], function () {}); });
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
	/* A search sent as a link: ?q= fills the box and runs it. */
	var q0 = /[?&]q=([^&#]*)/.exec(location.search);
	if (q0) {
		try {
			input.value = decodeURIComponent(q0[1].replace(/\+/g, ' '));
		} catch (e) {
			input.value = '';
		}
		if (input.value)
			update();
	}
})();
