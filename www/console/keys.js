// Keyboard shortcuts for the whole console (listed in the "?" dialog). Single letters act only
// when the agent is not typing, so "r" in a reply is a letter and not a shortcut.
// SPDX-License-Identifier: MIT

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

// bindKeys({ next, previous, open, reply, back, help })
export function bindKeys(actions) {
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    if (document.querySelector('dialog[open]')) return;
    const t = e.target;
    if (TYPING.has(t.tagName) || t.isContentEditable) {
      if (e.key === 'Escape') {
        t.blur();
        actions.back();
      }
      return;
    }
    const inControl = t.closest && t.closest('button, a, summary');
    let run = null;
    if (e.key === 'j' || (e.key === 'ArrowDown' && !inControl && t.getAttribute('role') !== 'listbox')) run = actions.next;
    else if (e.key === 'k' || (e.key === 'ArrowUp' && !inControl && t.getAttribute('role') !== 'listbox')) run = actions.previous;
    else if (e.key === 'Enter' && !inControl) run = actions.open;
    else if (e.key === 'r') run = actions.reply;
    else if (e.key === 'Escape') run = actions.back;
    else if (e.key === '?') run = actions.help;
    if (!run) return;
    e.preventDefault();
    run();
  });
}
