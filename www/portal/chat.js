// "Chat with us": the portal embeds the Pagewise widget exactly as any host page does (the
// script tag in index.html), boots it as the portal channel so agents see where the
// conversation started, and opens its panel from every [data-chat] button. The widget then
// does the rest: the answer pipeline, agent replies over /api/v1/live, the rating on resolve.
// SPDX-License-Identifier: MIT
import { byId } from './dom.js';

// The queue a host keeps until the async widget script has loaded; the widget adopts it, so
// calls made before then (boot, a click on "Chat with us") run in order once it is there.
window.Pagewise = window.Pagewise || function Pagewise(...args) {
  (window.Pagewise.q = window.Pagewise.q || []).push(args);
};

// The chat cannot open when the widget could not start: the loader marks <html
// data-pagewise="failed"> (bundle blocked, server refusing the app key), or the loader itself
// never ran (its async script delays the load event, so once the page has loaded without it,
// it is not coming). Then the button offers email instead of doing nothing.
const failed = () => document.documentElement.getAttribute('data-pagewise') === 'failed'
  || (document.readyState === 'complete' && !window.Pagewise.loader);

function openChat() {
  if (failed()) {
    const note = byId('chat-fallback');
    note.hidden = false;
    note.scrollIntoView({ block: 'nearest' });
    return;
  }
  window.Pagewise('show');
}

export function initChat() {
  window.Pagewise('boot', { channel: 'portal', title: 'Acme Help' });
  // Delegated: buttons inside results and empty states come and go.
  document.addEventListener('click', (e) => {
    const button = e.target.closest && e.target.closest('[data-chat]');
    if (!button) return;
    e.preventDefault();
    openChat();
  });
}
