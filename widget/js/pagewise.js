// The one script a host page adds:
//   <script async src="https://support.example.com/widget/pagewise.js"
//     data-app-key="pk_..."></script>
// A classic script, so it runs on any page. It defines window.Pagewise at once as a queue (calls
// made before the widget has loaded wait there, as with Intercom's snippet; a queue the host made
// itself in window.Pagewise.q is adopted), then imports the widget (one ES module, built from
// api.js and its imports) in idle time, so the host page's own work goes first. api.js takes
// over the queue and window.Pagewise.
// SPDX-License-Identifier: MIT
(function () {
  'use strict';
  var script = document.currentScript;
  var prior = window.Pagewise;
  if (!script || (prior && prior.loader)) return; // a second copy of the tag: the first one wins

  var queue = [];
  var own = (prior && prior.q) || [];
  for (var i = 0; i < own.length; i++) queue.push(Array.prototype.slice.call(own[i]));

  function Pagewise() {
    queue.push(Array.prototype.slice.call(arguments));
  }
  Pagewise.q = queue;
  Pagewise.loader = true;
  window.Pagewise = Pagewise;

  function fail(err) {
    // The widget must never break the host page: report, mark, and stay out of the way.
    document.documentElement.setAttribute('data-pagewise', 'failed');
    console.warn('[pagewise] the widget did not load:', err);
  }

  function load() {
    import(new URL('pagewise-widget.js', script.src).href).then(function (api) {
      api.install({
        queue: queue,
        scriptUrl: script.src,
        appKey: script.getAttribute('data-app-key') || '',
        autoBoot: script.getAttribute('data-boot') === 'auto',
      });
    }).catch(fail);
  }

  // The downloads start now, at low priority and off the main thread; running them waits for
  // idle time. Without this the wasm would only be asked for once the module had run, and the
  // widget would be ready one round trip later.
  function preload(rel, file, as) {
    var link = document.createElement('link');
    link.rel = rel;
    link.href = new URL(file, script.src).href;
    if (as) link.as = as;
    link.crossOrigin = 'anonymous'; // as the module import and the wasm fetch ask for them
    link.setAttribute('fetchpriority', 'low');
    document.head.appendChild(link);
  }
  preload('modulepreload', 'pagewise-widget.js');
  preload('preload', 'pagewise-core.wasm', 'fetch');

  // Idle time, but not forever: a busy page still gets its widget within a second.
  if (window.requestIdleCallback) window.requestIdleCallback(load, { timeout: 1000 });
  else setTimeout(load, 50);
})();
