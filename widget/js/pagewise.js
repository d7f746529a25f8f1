// The widget's entry point: the one <script type="module"> a host page adds.
// Today it loads the wasm core and announces itself; page capture, struggle detection and the
// chat panel arrive with the widget issue and plug in here.
// SPDX-License-Identifier: MIT
import { loadCore } from './core.js';

const VERSION = '0.1.0';

async function boot() {
  const core = await loadCore();
  const api = Object.freeze({ version: VERSION, core });
  window.Pagewise = api;
  document.documentElement.dataset.pagewise = 'ready';
  window.dispatchEvent(new CustomEvent('pagewise:ready', { detail: api }));
}

boot().catch((err) => {
  // The widget must never break the host page: report, mark, and stay out of the way.
  document.documentElement.dataset.pagewise = 'failed';
  console.warn('[pagewise] widget failed to start:', err);
});
