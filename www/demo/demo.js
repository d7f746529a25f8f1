// The demo app's own script: shows the widget's state and runs the core on the probe input.
// SPDX-License-Identifier: MIT
const state = document.getElementById('widget-state');
const probe = document.getElementById('probe');
const normalized = document.getElementById('normalized');

function show(api) {
  state.textContent = `ready (core ${api.version})`;
  state.classList.add('ok');
  const update = () => { normalized.textContent = api.core.normalize(probe.value); };
  probe.addEventListener('input', update);
  update();
}

if (window.Pagewise) show(window.Pagewise);
else window.addEventListener('pagewise:ready', (e) => show(e.detail), { once: true });
