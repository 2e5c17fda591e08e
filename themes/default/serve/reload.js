/* toivo serve: reloads the page after a rebuild, shows build errors.
 *
 * Only toivo serve uses this file: it adds <script src="/__toivo/reload.js"
 * data-toivo-gen="G"> to every page it serves, and answers that address
 * with this file (generator/serve_reload.c).  It lives in serve/, not in
 * assets/, so that `toivo build` never copies it into the output.  The
 * stream /__toivo/events?since=G sends "reload" after a good build and
 * "error" with the build's messages after a failed one. */
(function () {
  'use strict';
  if (window.__toivoReload || !window.EventSource) return;
  window.__toivoReload = true;
  function overlay(text) {
    var o = document.getElementById('toivo-build-error');
    if (!o) {
      o = document.createElement('div');
      o.id = 'toivo-build-error';
      o.setAttribute('role', 'alert');
      o.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;'
        + 'background:rgba(20,20,20,.92);color:#fff;padding:2rem;font:15px/1.5 system-ui,sans-serif';
      document.body.appendChild(o);
    }
    o.textContent = '';
    var h = document.createElement('p');
    h.style.cssText = 'font-weight:bold;font-size:1.2em;margin:0 0 1rem';
    h.textContent = 'toivo: the build failed. Fix the problems below and save; '
      + 'the page reloads by itself. Until then the last good build is served.';
    var pre = document.createElement('pre');
    pre.style.cssText = 'white-space:pre-wrap;color:#ffb4a8;font:14px/1.5 monospace;margin:0 0 1rem';
    pre.textContent = text;
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = 'Hide';
    b.onclick = function () { o.remove(); };
    o.appendChild(h); o.appendChild(pre); o.appendChild(b);
  }
  function start() {
    var tag = document.querySelector('script[data-toivo-gen]');
    var gen = tag ? tag.getAttribute('data-toivo-gen') : '';
    var es = new EventSource('/__toivo/events?since=' + encodeURIComponent(gen));
    es.addEventListener('reload', function () { es.close(); location.reload(); });
    es.addEventListener('error', function (e) {
      if (typeof e.data === 'string') overlay(e.data);
    });
  }
  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', start);
  else
    start();
})();
