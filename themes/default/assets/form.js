/* form.js - a form made by the planform hook (lua/planform.lua), filled in
 * on screen, privately; loaded only by pages that have such a form.
 *
 * Without this script the form is the blank paper form.  With it:
 *   - the fields show (the hook renders them hidden behind CSS) and the
 *     text areas grow with their text;
 *   - every answer is copied into the writing box of the paper form
 *     (.write-space), which is what prints: a <textarea> would print
 *     clipped, a box grows and continues onto the next page;
 *   - Save downloads one HTML file that reads by itself and carries the
 *     answers as JSON (format "toivo-form", version 1, the form's id);
 *     Open reads such a file back, and refuses, changing nothing, a file
 *     of another form, a newer version or a broken file;
 *   - Clear empties the form after asking; leaving with unsaved answers
 *     asks first (beforeunload).
 * Private by design: nothing is sent (no fetch, no XMLHttpRequest, no
 * form submission) and nothing is stored (no localStorage, sessionStorage,
 * IndexedDB or cookies).  The only copy besides the page is the file the
 * reader saves.  No UI text here: the hook puts the messages on the form's
 * data-msg-* attributes (i18n/LANG.yaml).
 */
(function () {
	'use strict';
	/* Print pages (toivo pdf) keep the blank form. */
	if (document.body.classList.contains('print-doc'))
		return;
	var FORMAT = 'toivo-form';
	var VERSION = 1;
	var MAX_FILE = 8 * 1024 * 1024;
	var forms = document.querySelectorAll('form.planform[data-form]');
	if (!forms.length || !window.Blob || !window.DOMParser || !window.JSON)
		return;
	var dirty = false;

	/* print.css lays out the paper form; it is the print style of this page
	 * too, next to this script's folder, so it works from file:// alike. */
	var me = document.currentScript;
	if (me && me.src) {
		var css = document.createElement('link');
		css.rel = 'stylesheet';
		css.media = 'print';
		css.href = me.src.replace(/form\.js(\?.*)?$/, 'print.css');
		document.head.appendChild(css);
	}
	document.documentElement.classList.add('planform-page');

	window.addEventListener('beforeunload', function (e) {
		if (!dirty)
			return undefined;
		e.preventDefault();
		e.returnValue = '';
		return '';
	});

	for (var i = 0; i < forms.length; i++)
		setUp(forms[i]);

	function setUp(form) {
		var lang = document.documentElement.lang || 'fi';
		var fields = form.querySelectorAll('[data-key]');
		var status = form.querySelector('.planform-status');
		var file = form.querySelector('.planform-file');
		var formId = form.getAttribute('data-form');

		function msg(name, vars) {
			var s = form.getAttribute('data-msg-' + name) || name;
			for (var k in vars)
				s = s.split('{' + k + '}').join(vars[k]);
			return s;
		}
		function say(text, bad) {
			/* Emptied first, so that the same message twice is read twice. */
			status.textContent = '';
			status.classList.toggle('planform-error', !!bad);
			setTimeout(function () { status.textContent = text; }, 50);
		}
		function box(f) {
			var n = f.nextElementSibling;
			return n && n.classList.contains('write-space') ? n : null;
		}
		function dateText(v) {
			var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
			if (!m)
				return v;
			var d = new Date(+m[1], +m[2] - 1, +m[3]);
			try {
				return d.toLocaleDateString(lang === 'en' ? 'en-GB' : lang,
					{ day: 'numeric', month: lang === 'fi' ? 'numeric' : 'long', year: 'numeric' });
			} catch (e) {
				return v;
			}
		}
		function grow(f) {
			if (f.tagName !== 'TEXTAREA')
				return;
			f.style.height = 'auto';
			f.style.height = (f.scrollHeight + f.offsetHeight - f.clientHeight) + 'px';
		}
		/* The answer into the paper form's box, and the box's size. */
		function mirror(f) {
			var b = box(f);
			if (b)
				b.textContent = f.type === 'date' ? dateText(f.value) : f.value;
			grow(f);
		}
		function all(fn) {
			for (var j = 0; j < fields.length; j++)
				fn(fields[j]);
		}
		function values() {
			var v = {};
			all(function (f) { v[f.getAttribute('data-key')] = f.value; });
			return v;
		}
		function fill(v) {
			all(function (f) {
				var k = f.getAttribute('data-key');
				f.value = Object.prototype.hasOwnProperty.call(v, k) ? v[k] : '';
				mirror(f);
			});
		}
		function isEmpty() {
			for (var j = 0; j < fields.length; j++)
				if (fields[j].value !== '')
					return false;
			return true;
		}
		function labelOf(f) {
			var l = f.id && form.querySelector('label[for="' + f.id + '"]');
			var by = f.getAttribute('aria-labelledby');
			if (!l && by)
				l = document.getElementById(by);
			return l ? l.textContent.trim() : f.getAttribute('data-key');
		}
		function esc(s) {
			return String(s).replace(/[&<>"']/g, function (c) {
				return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
			});
		}
		function today() {
			var d = new Date();
			function two(n) { return (n < 10 ? '0' : '') + n; }
			return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate());
		}

		/* The saved file: the answers to read, and the same answers as JSON
		 * for Open (a JSON script block runs nowhere; "<" is escaped so an
		 * answer cannot end it). */
		function fileHtml() {
			var title = form.getAttribute('data-form-title') || formId;
			var now = new Date();
			var data = { format: FORMAT, version: VERSION, form: formId, lang: lang, title: title,
				saved: now.toISOString(), answers: values() };
			var json = JSON.stringify(data, null, 1).replace(/[<>&\u2028\u2029]/g, function (c) {
				return '\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4);
			});
			var h = ['<!doctype html>\n<html lang="' + esc(lang) + '">\n<head>\n<meta charset="utf-8">\n',
				'<meta name="viewport" content="width=device-width, initial-scale=1">\n',
				'<title>' + esc(title) + '</title>\n',
				'<style>body{max-width:42rem;margin:2rem auto;padding:0 1rem;font:1.05rem/1.5 system-ui,sans-serif;color:#1e2a2f;background:#fff}',
				'h2{font-size:1.15rem;margin:1.6rem 0 .3rem}.a{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid #6f8186;padding:.5rem .7rem;min-height:2.2rem}',
				'.note{color:#4a5a60;font-size:.95rem}</style>\n',
				'<script type="application/json" id="toivo-form-data">\n' + json + '\n</script>\n',
				'</head>\n<body>\n<main>\n<h1>' + esc(title) + '</h1>\n',
				'<p class="note">' + esc(msg('file-note', { date: now.toLocaleString(lang === 'en' ? 'en-GB' : lang) })) + '</p>\n'];
			all(function (f) {
				var v = f.type === 'date' ? dateText(f.value) : f.value;
				h.push('<h2>' + esc(labelOf(f)) + '</h2>\n<div class="a">' + esc(v) + '</div>\n');
			});
			h.push('</main>\n</body>\n</html>\n');
			return h.join('');
		}
		function save() {
			var name = formId + '-' + today() + '.html';
			var blob = new Blob([fileHtml()], { type: 'text/html;charset=utf-8' });
			var url = URL.createObjectURL(blob);
			var a = document.createElement('a');
			a.href = url;
			a.download = name;
			a.hidden = true;
			document.body.appendChild(a);
			a.click();
			a.remove();
			setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
			dirty = false;
			say(msg('saved', { file: name }));
		}

		/* A saved file's answers, or the message that says why not. */
		function read(text, name) {
			var broken = { error: msg('broken', { file: name }) };
			var doc, data;
			try {
				doc = new DOMParser().parseFromString(text, 'text/html');
				var s = doc.getElementById('toivo-form-data');
				if (!s || s.getAttribute('type') !== 'application/json')
					return broken;
				data = JSON.parse(s.textContent);
			} catch (e) {
				return broken;
			}
			if (!data || typeof data !== 'object' || data.format !== FORMAT ||
			    typeof data.version !== 'number' || typeof data.form !== 'string' ||
			    !data.answers || typeof data.answers !== 'object' || Array.isArray(data.answers))
				return broken;
			if (data.form !== formId)
				return { error: msg('other-form', { file: name, form: data.title || data.form }) };
			if (data.version > VERSION)
				return { error: msg('newer', { file: name }) };
			var known = values(), unknown = [];
			for (var k in data.answers) {
				if (!Object.prototype.hasOwnProperty.call(data.answers, k))
					continue;
				if (typeof data.answers[k] !== 'string')
					return broken;
				if (!Object.prototype.hasOwnProperty.call(known, k))
					unknown.push(k);
			}
			if (unknown.length)
				return { error: msg('unknown', { file: name, keys: unknown.join(', ') }) };
			return { answers: data.answers };
		}
		function open(f) {
			var name = f.name;
			/* A saved plan is a few kilobytes; a huge file is not one. */
			if (f.size > MAX_FILE) {
				say(msg('broken', { file: name }), true);
				return;
			}
			var reader = new FileReader();
			reader.onload = function () {
				var r = read(String(reader.result), name);
				if (r.error) {
					say(r.error, true);
					return;
				}
				if (dirty && !isEmpty() && !window.confirm(msg('confirm-replace')))
					return;
				fill(r.answers);
				dirty = false;
				say(msg('opened', { file: name }));
			};
			reader.onerror = function () { say(msg('broken', { file: name }), true); };
			reader.readAsText(f, 'utf-8');
		}

		form.addEventListener('input', function (e) {
			if (e.target.hasAttribute('data-key')) {
				mirror(e.target);
				dirty = true;
			}
		});
		form.addEventListener('change', function (e) {
			if (e.target.hasAttribute('data-key'))
				mirror(e.target);
		});
		/* Nothing is ever submitted (Enter in a field would reload the page). */
		form.addEventListener('submit', function (e) { e.preventDefault(); });
		form.addEventListener('click', function (e) {
			var b = e.target.closest ? e.target.closest('button[data-action]') : null;
			if (!b)
				return;
			var act = b.getAttribute('data-action');
			if (act === 'save') {
				save();
			} else if (act === 'open') {
				file.click();
			} else if (act === 'print') {
				all(mirror);
				window.print();
			} else if (act === 'clear') {
				if (isEmpty() || window.confirm(msg('confirm-clear'))) {
					fill({});
					dirty = false;
					say(msg('cleared'));
				}
			}
		});
		file.addEventListener('change', function () {
			if (file.files && file.files[0])
				open(file.files[0]);
			file.value = '';
		});
		window.addEventListener('beforeprint', function () { all(mirror); });
		window.addEventListener('resize', function () { all(grow); });

		form.querySelector('.planform-tools').hidden = false;
		form.classList.add('planform-live');
		/* A reload may bring back what the browser kept in the fields. */
		all(mirror);
	}
})();
