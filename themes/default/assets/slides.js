/* slides.js - a deck page (layouts/slides.mustache) as a slide show.
 *
 * Without this script the slides are one readable page.  With it: one
 * slide at a time, its 1280x720 canvas scaled to the window (--k); text
 * that would overflow a slide is shrunk until it fits (the canvas does
 * not change size with the window, so each slide is fitted once); the
 * fragment #/N names the slide (reload keeps it, a link opens it); keys,
 * buttons and swipes move; Esc shows all slides; F full screen; S opens
 * the speaker view: this page again with ?speaker in a second window,
 * kept in step both ways by postMessage between the windows (that works
 * from file:// too) and a BroadcastChannel where there is one.  A live
 * region says the new slide's heading.  No framework, nothing loaded.
 */
(function () {
	'use strict';
	var deck = document.querySelector('main.deck');
	if (!deck)
		return;
	var root = document.documentElement;
	var slides = Array.prototype.slice.call(deck.querySelectorAll(':scope > section.slide'));
	var n = slides.length;
	if (!n)
		return;
	var speaker = /(^|[?&])speaker(&|$)/.test(location.search.slice(1));
	var live = document.querySelector('.deck-live');
	var count = document.querySelector('.deck-count');
	var controls = document.querySelector('.deck-controls');
	var cur = -1;
	var overview = false;
	var other = null;       /* the speaker window, or the main one */
	var channel = null;
	var key = 'toivo-deck:' + location.pathname;

	function label(name, fallback) {
		return deck.getAttribute('data-' + name) || fallback;
	}

	/* ---- fitting ------------------------------------------------- */

	function overflows(body) {
		if (body.scrollHeight > body.clientHeight || body.scrollWidth > body.clientWidth)
			return true;
		var wide = body.querySelectorAll('.table-wrap, pre, figure, table, blockquote');
		for (var i = 0; i < wide.length; i++)
			if (wide[i].scrollWidth > wide[i].clientWidth)
				return true;
		return false;
	}

	/* Shrinks a slide's content until it fits its canvas, like reveal.js's
	 * r-fit-text the other way: first the font size (headings, lists and
	 * charts are sized in em), down to a size still readable from the back
	 * of a room; then, for what the theme sizes in rem or px (tables,
	 * quotes), the whole content is zoomed out. */
	var FLOOR = 20;
	function fit(slide) {
		var body = slide.querySelector('.slide-body');
		if (!body)
			return;
		var shown = slide.classList.contains('current') || slide.classList.contains('next-up');
		if (!shown)
			slide.classList.add('measure');
		var wrap = body.querySelector(':scope > .slide-fit');
		if (wrap)
			wrap.style.zoom = '';
		body.style.fontSize = '';
		var size = parseFloat(getComputedStyle(body).fontSize) || 34;
		for (var i = 0; i < 40 && size > FLOOR && overflows(body); i++) {
			size = Math.max(FLOOR, size * 0.94);
			body.style.fontSize = size.toFixed(2) + 'px';
		}
		if (overflows(body)) {
			if (!wrap) {
				wrap = document.createElement('div');
				wrap.className = 'slide-fit';
				while (body.firstChild)
					wrap.appendChild(body.firstChild);
				body.appendChild(wrap);
			}
			var z = 1;
			for (var j = 0; j < 30 && z > 0.15 && overflows(body); j++) {
				var r = Math.min(body.clientHeight / body.scrollHeight, body.clientWidth / body.scrollWidth, 0.97);
				z = Math.max(0.15, z * Math.max(r, 0.8));
				wrap.style.zoom = z.toFixed(3);
			}
		}
		slide.classList.remove('measure');
	}

	/* On paper the notes get a box under the slide (slides.css: 794 px
	 * wide, 64 mm high); long notes get a smaller size (--notes-size)
	 * rather than being cut off.  Measured on a copy laid out like it. */
	function fitNotes() {
		var box = document.createElement('div');
		box.className = 'slide-notes-measure';
		box.setAttribute('aria-hidden', 'true');
		box.style.cssText = 'position:absolute;left:-9999px;top:0;visibility:hidden;width:794px;line-height:1.35';
		document.body.appendChild(box);
		var max = 64 * 96 / 25.4;
		deck.querySelectorAll('.slide-notes').forEach(function (n) {
			box.innerHTML = n.innerHTML;
			var pt = 11;
			box.style.fontSize = pt + 'pt';
			while (pt > 6 && box.scrollHeight > max) {
				pt *= 0.92;
				box.style.fontSize = pt.toFixed(2) + 'pt';
			}
			if (pt < 11)
				n.style.setProperty('--notes-size', pt.toFixed(2) + 'pt');
		});
		box.remove();
	}

	function fitAll() {
		slides.forEach(fit);
		fitNotes();
	}

	/* ---- scaling ------------------------------------------------- */

	function scaleOf(w, h) {
		return Math.max(0.05, Math.min(w / 1280, h / 720));
	}

	function layout() {
		if (overview) {
			var w = deck.clientWidth - 32;
			var cols = w > 1100 ? 4 : w > 700 ? 3 : w > 420 ? 2 : 1;
			var k = (w - (cols - 1) * 16) / cols / 1280;
			slides.forEach(function (s) { s.style.setProperty('--k', k.toFixed(4)); });
			return;
		}
		slides.forEach(function (s) {
			if (!s.classList.contains('current') && !s.classList.contains('next-up'))
				return;
			s.style.setProperty('--k', scaleOf(s.clientWidth, s.clientHeight).toFixed(4));
		});
	}

	/* ---- moving ---------------------------------------------------- */

	function fromHash() {
		var m = /^#\/(\d+)/.exec(location.hash);
		var i = m ? parseInt(m[1], 10) - 1 : 0;
		return Math.max(0, Math.min(n - 1, i));
	}

	function titleOf(i) {
		return slides[i].getAttribute('data-title') || '';
	}

	function updateLinks() {
		/* The other language's deck opens at the same slide. */
		var links = document.querySelectorAll('.langswitch a[hreflang]');
		for (var i = 0; i < links.length; i++) {
			var a = links[i];
			var href = a.getAttribute('href').replace(/#.*$/, '');
			if (/slides\/(index\.html)?$/.test(href))
				a.setAttribute('href', href + '#/' + (cur + 1));
		}
	}

	function speakerPanels() {
		var notes = deck.querySelector('.deck-speaker-notes');
		var src = slides[cur].querySelector('.slide-notes');
		notes.innerHTML = '';
		var h = document.createElement('h2');
		h.textContent = label('notes', 'Notes') + ' – ' + (cur + 1) + ' / ' + n;
		notes.appendChild(h);
		if (src) {
			var body = document.createElement('div');
			body.innerHTML = src.innerHTML;
			notes.appendChild(body);
		}
		var end = deck.querySelector('.deck-speaker-end');
		end.hidden = cur + 1 < n;
		deck.querySelector('.deck-speaker-upnext').hidden = cur + 1 >= n;
	}

	function go(i, why) {
		i = Math.max(0, Math.min(n - 1, i));
		if (i === cur)
			return;
		var first = cur < 0;
		if (cur >= 0)
			slides[cur].classList.remove('current');
		slides.forEach(function (s) { s.classList.remove('next-up'); });
		cur = i;
		slides[cur].classList.add('current');
		if (speaker && cur + 1 < n)
			slides[cur + 1].classList.add('next-up');
		if (speaker)
			speakerPanels();
		if (count)
			count.textContent = (cur + 1) + ' / ' + n;
		var want = '#/' + (cur + 1);
		if (location.hash !== want) {
			try {
				history.replaceState(null, '', want);
			} catch (e) {
				location.hash = want;
			}
		}
		updateLinks();
		layout();
		if (overview)
			slides[cur].focus();
		if (!first && live)
			live.textContent = titleOf(cur) + ' (' + label('slide', 'Slide') + ' ' + (cur + 1) + ' / ' + n + ')';
		if (why !== 'peer')
			tell();
	}

	/* ---- the other window ---------------------------------------- */

	function tell() {
		var msg = { toivoDeck: key, slide: cur };
		if (other && !other.closed) {
			try {
				other.postMessage(msg, '*');
			} catch (e) { /* gone */ }
		}
		if (channel)
			channel.postMessage(msg);
	}

	function hear(data) {
		if (data && data.toivoDeck === key && typeof data.slide === 'number')
			go(data.slide, 'peer');
	}

	window.addEventListener('message', function (e) {
		if (e.source && (e.source === other || e.source === window.opener)) {
			if (!other)
				other = e.source;
			hear(e.data);
		}
	});
	if (typeof BroadcastChannel === 'function') {
		try {
			channel = new BroadcastChannel(key);
			channel.onmessage = function (e) { hear(e.data); };
		} catch (e) {
			channel = null;
		}
	}

	function openSpeaker() {
		if (speaker)
			return;
		var url = location.href.replace(/[?#].*$/, '') + '?speaker#/' + (cur + 1);
		other = window.open(url, 'toivo-speaker', 'popup,width=1200,height=760');
		if (other) {
			/* The speaker window says where it is once it has loaded. */
			setTimeout(tell, 500);
		}
	}

	/* ---- modes ----------------------------------------------------- */

	function setOverview(on) {
		overview = on;
		deck.classList.toggle('deck-overview', on);
		slides.forEach(function (s) {
			if (on) {
				s.setAttribute('tabindex', '0');
			} else {
				s.removeAttribute('tabindex');
				s.style.removeProperty('--k');
			}
		});
		layout();
		if (on)
			slides[cur].focus();
		else
			deck.focus({ preventScroll: true });
	}

	function fullscreen() {
		if (document.fullscreenElement)
			document.exitFullscreen();
		else if (root.requestFullscreen)
			root.requestFullscreen().catch(function () { /* refused */ });
	}

	/* ---- input ----------------------------------------------------- */

	document.addEventListener('keydown', function (e) {
		if (e.ctrlKey || e.altKey || e.metaKey)
			return;
		var t = e.target;
		var tag = t && t.tagName;
		if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable))
			return;
		var onControl = tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY';
		switch (e.key) {
		case 'ArrowRight':
		case 'ArrowDown':
		case 'PageDown':
			go(cur + 1);
			break;
		case ' ':
		case 'Spacebar':
			if (onControl)
				return;
			go(e.shiftKey ? cur - 1 : cur + 1);
			break;
		case 'ArrowLeft':
		case 'ArrowUp':
		case 'PageUp':
			go(cur - 1);
			break;
		case 'Home':
			go(0);
			break;
		case 'End':
			go(n - 1);
			break;
		case 'Enter':
			if (!overview)
				return;
			if (slides.indexOf(t) >= 0)
				go(slides.indexOf(t));
			setOverview(false);
			break;
		case 'Escape':
		case 'Esc':
			if (speaker)
				return;
			setOverview(!overview);
			break;
		case 'f':
		case 'F':
			fullscreen();
			break;
		case 's':
		case 'S':
			openSpeaker();
			break;
		default:
			return;
		}
		e.preventDefault();
	});

	deck.addEventListener('click', function (e) {
		if (!overview)
			return;
		for (var el = e.target; el && el !== deck; el = el.parentNode) {
			if (el.classList && el.classList.contains('slide')) {
				go(slides.indexOf(el));
				setOverview(false);
				return;
			}
		}
	});

	var touch = null;
	deck.addEventListener('touchstart', function (e) {
		if (e.touches.length === 1)
			touch = { x: e.touches[0].clientX, y: e.touches[0].clientY };
	}, { passive: true });
	deck.addEventListener('touchend', function (e) {
		if (!touch || overview)
			return;
		var dx = e.changedTouches[0].clientX - touch.x;
		var dy = e.changedTouches[0].clientY - touch.y;
		touch = null;
		if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(dy) * 1.5)
			go(dx < 0 ? cur + 1 : cur - 1);
	}, { passive: true });

	function button(cls, fn) {
		var b = document.querySelector(cls);
		if (b)
			b.addEventListener('click', fn);
	}
	button('.deck-prev', function () { go(cur - 1); });
	button('.deck-next', function () { go(cur + 1); });
	button('.deck-overview-button', function () { setOverview(!overview); });
	button('.deck-speaker-button', openSpeaker);
	button('.deck-fullscreen-button', fullscreen);

	window.addEventListener('hashchange', function () { go(fromHash()); });
	window.addEventListener('resize', layout);
	window.addEventListener('load', function () {
		fitAll();
		layout();
	});

	/* ---- start ----------------------------------------------------- */

	if (controls)
		controls.hidden = false;
	if (speaker) {
		root.classList.add('deck-speaker');
		var time = document.createElement('p');
		time.className = 'deck-speaker-time';
		var clock = document.createElement('span');
		var elapsed = document.createElement('span');
		time.appendChild(clock);
		time.appendChild(elapsed);
		var notes = document.createElement('div');
		notes.className = 'deck-speaker-notes';
		var end = document.createElement('p');
		end.className = 'deck-speaker-end';
		end.textContent = label('end', 'End');
		end.hidden = true;
		var upnext = document.createElement('p');
		upnext.className = 'deck-speaker-upnext';
		upnext.textContent = label('next', 'Next');
		deck.appendChild(upnext);
		deck.appendChild(time);
		deck.appendChild(notes);
		deck.appendChild(end);
		var started = Date.now();
		var two = function (x) { return (x < 10 ? '0' : '') + x; };
		var tick = function () {
			var d = new Date();
			clock.textContent = label('clock', 'Clock') + ' ' + two(d.getHours()) + ':' + two(d.getMinutes());
			var s = Math.floor((Date.now() - started) / 1000);
			elapsed.textContent = label('elapsed', 'Elapsed') + ' ' + two(Math.floor(s / 60)) + ':' + two(s % 60);
		};
		tick();
		setInterval(tick, 1000);
		if (window.opener)
			other = window.opener;
	}
	fitAll();
	go(fromHash(), 'start');
	layout();
})();
