// The chat panel and the nudge bubble, in a shadow root so that neither the host's styles nor
// ours leak across. A launcher button opens a dialog with the conversation (an ARIA live region
// announces replies), a help card for what the user is typing, and a textarea. While the panel is
// open Tab stays inside it; Escape closes it and gives focus back to where it was. Every text
// goes in with textContent or text nodes, never innerHTML: replies, snippets and titles come from
// the server and user text from the user. Styles are a constructed stylesheet (allowed under a
// strict style-src CSP, unlike <style> or style attributes) and respect prefers-reduced-motion.
// SPDX-License-Identifier: MIT

const CSS = `
:host { all: initial; position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  font: 14px/1.45 system-ui, "Liberation Sans", sans-serif; color: #1d2433; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
button { font: inherit; cursor: pointer; }
:focus-visible { outline: 3px solid #8aa8ff; outline-offset: 2px; }
.launcher { width: 52px; height: 52px; border-radius: 50%; border: 0; background: #2f5bea;
  color: #fff; font-size: 22px; font-weight: 700; box-shadow: 0 4px 14px rgba(20,30,60,.3);
  display: block; margin-left: auto; }
.launcher:hover { background: #2448c4; }
.bubble { position: absolute; right: 0; bottom: 64px; width: 300px; background: #fff;
  border: 1px solid #dde2ec; border-radius: 12px; padding: 14px 36px 14px 14px;
  box-shadow: 0 8px 28px rgba(20,30,60,.18); animation: rise .25s ease-out; }
.bubble p { margin: 0 0 10px; }
.bubble .go { background: #2f5bea; color: #fff; border: 0; border-radius: 6px; padding: 6px 12px; }
.x { position: absolute; top: 6px; right: 6px; width: 28px; height: 28px; border: 0;
  background: transparent; color: #5b6478; font-size: 18px; border-radius: 6px; }
.x:hover { background: #eef1f6; }
.panel { position: absolute; right: 0; bottom: 64px; width: 360px; max-width: calc(100vw - 40px);
  height: 520px; max-height: calc(100vh - 110px); display: flex; flex-direction: column;
  background: #fff; border: 1px solid #dde2ec; border-radius: 12px; overflow: hidden;
  box-shadow: 0 12px 40px rgba(20,30,60,.22); animation: rise .2s ease-out; }
.panel header { display: flex; align-items: center; padding: 12px 14px; background: #2f5bea; color: #fff; }
.panel h2 { font-size: 16px; margin: 0; flex: 1; }
.panel header .x { position: static; color: #fff; }
.panel header .x:hover { background: rgba(255,255,255,.15); }
.context { margin: 10px 12px 0; padding: 8px 10px; background: #f3f6ff; border-left: 3px solid #2f5bea;
  border-radius: 4px; font-size: 13px; }
.log { flex: 1; overflow-y: auto; list-style: none; margin: 0; padding: 12px; }
.log li { margin: 0 0 10px; max-width: 85%; padding: 8px 11px; border-radius: 10px;
  white-space: pre-wrap; word-wrap: break-word; background: #eef1f6; }
.log li.customer { margin-left: auto; background: #2f5bea; color: #fff; }
.log li.system { max-width: 100%; background: transparent; color: #5b6478; font-size: 13px; padding: 0; }
.log .source { display: block; margin-top: 6px; font-size: 12px; color: #5b6478; }
.empty { color: #5b6478; font-size: 13px; }
.help { margin: 0 12px 8px; padding: 10px; border: 1px solid #dde2ec; border-radius: 8px; background: #fbfcfe; }
.help .label { margin: 0 0 2px; font-size: 12px; color: #5b6478; text-transform: uppercase; letter-spacing: .04em; }
.help h3 { margin: 0 0 4px; font-size: 14px; }
.help p { margin: 0; font-size: 13px; }
.help mark { background: #fff1a8; color: inherit; padding: 0 1px; }
.help .plan { margin-top: 6px; color: #8a4b00; font-weight: 600; }
form { display: flex; gap: 8px; padding: 10px 12px; border-top: 1px solid #dde2ec; }
textarea { flex: 1; resize: none; font: inherit; padding: 8px; border: 1px solid #c5ccda; border-radius: 8px; min-height: 40px; }
form button { border: 0; border-radius: 8px; background: #2f5bea; color: #fff; padding: 0 14px; }
form button:disabled { background: #9aaee8; cursor: default; }
.log li.rate { max-width: 100%; padding: 10px 12px; background: #fbfcfe; border: 1px solid #dde2ec; color: #1d2433; }
.log .who { display: block; margin-bottom: 2px; font-size: 12px; font-weight: 600; color: #2448c4; }
.rate p { margin: 0 0 8px; }
.rate .scores { display: flex; gap: 6px; }
.rate .scores button { flex: 1; padding: 6px 0; border: 1px solid #c5ccda; border-radius: 6px; background: #fff; }
.rate .scores button:hover { background: #eef1f6; }
.status { min-height: 0; margin: 0 12px 6px; font-size: 12px; color: #5b6478; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@keyframes rise { from { opacity: 0; transform: translateY(8px); } to { opacity: 1; transform: none; } }
@media (prefers-reduced-motion: reduce) { * { animation: none !important; transition: none !important; } }
`;

let sheet = null; // one constructed sheet, shared by every mount

// Builds an element; `text` goes in as a text node.
function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// The snippet as text nodes, with the words the server put between <mark> and </mark> in <mark>
// elements. Nothing else in it is markup: "<b>" stays the four characters it is.
export function snippetNodes(snippet) {
  const out = [];
  const parts = String(snippet).split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) out.push(marked ? el('mark', {}, part) : document.createTextNode(part));
  }
  return out;
}

const FOCUSABLE = 'button:not([disabled]):not([hidden]),textarea:not([disabled]),[href],[tabindex]:not([tabindex="-1"])';

export class Panel {
  #o;
  #host = null;
  #root = null;
  #ui = null;
  #returnFocus = null;
  #open = false;

  // options: title, onSend(text), onDraft(text), onOpen(), onClose(), onNudgeAccept(nudge),
  // onNudgeDismiss(nudge), showLauncher (default true).
  constructor(options) {
    this.#o = options;
  }

  get host() {
    return this.#host;
  }

  get isOpen() {
    return this.#open;
  }

  // Whether `node` belongs to the widget (events inside the shadow root are retargeted to the
  // host element, so that is what the page's listeners see).
  owns(node) {
    return !!this.#host && !!node && (node === this.#host || this.#host.contains(node));
  }

  mount() {
    if (this.#host) return;
    const host = el('div', { 'data-pagewise': 'widget' });
    const root = host.attachShadow({ mode: 'open' });
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    root.adoptedStyleSheets = [sheet];
    const ui = this.#build();
    root.append(ui.bubble, ui.panel, ui.launcher);
    this.#host = host;
    this.#root = root;
    this.#ui = ui;
    document.body.append(host);
  }

  unmount() {
    if (!this.#host) return;
    if (this.#open) this.close(false);
    this.#host.remove();
    this.#host = this.#root = this.#ui = null;
  }

  #build() {
    const ui = {};
    ui.launcher = el('button', { type: 'button', class: 'launcher', 'aria-label': 'Open help',
      'aria-expanded': 'false', 'aria-controls': 'pw-panel' }, '?');
    if (this.#o.showLauncher === false) ui.launcher.hidden = true;
    ui.launcher.addEventListener('click', () => (this.#open ? this.close() : this.open()));

    ui.bubble = el('div', { class: 'bubble', role: 'status', 'aria-live': 'polite' });
    ui.bubble.hidden = true;
    ui.bubbleText = el('p');
    ui.bubbleGo = el('button', { type: 'button', class: 'go' });
    ui.bubbleX = el('button', { type: 'button', class: 'x', 'aria-label': 'Dismiss' }, '\u00d7');
    ui.bubble.append(ui.bubbleText, ui.bubbleGo, ui.bubbleX);
    ui.bubbleGo.addEventListener('click', () => this.#acceptNudge());
    ui.bubbleX.addEventListener('click', () => this.#dismissNudge());

    ui.panel = el('section', { class: 'panel', id: 'pw-panel', role: 'dialog',
      'aria-modal': 'true', 'aria-labelledby': 'pw-title' });
    ui.panel.hidden = true;
    const header = el('header');
    const close = el('button', { type: 'button', class: 'x', 'aria-label': 'Close help' }, '\u00d7');
    close.addEventListener('click', () => this.close());
    header.append(el('h2', { id: 'pw-title' }, this.#o.title || 'Help'), close);
    ui.context = el('p', { class: 'context' });
    ui.context.hidden = true;
    ui.log = el('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation' });
    ui.empty = el('li', { class: 'system empty' }, 'Ask a question about the page you are on.');
    ui.log.append(ui.empty);
    ui.help = el('div', { class: 'help', 'aria-live': 'polite' });
    ui.help.hidden = true;
    ui.status = el('p', { class: 'status', role: 'status' });
    const form = el('form');
    const label = el('label', { for: 'pw-text', class: 'sr' }, 'Your question');
    ui.text = el('textarea', { id: 'pw-text', rows: '2', placeholder: 'Type your question\u2026' });
    ui.send = el('button', { type: 'submit' }, 'Send');
    form.append(label, ui.text, ui.send);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#submit();
    });
    ui.text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.#submit();
      }
    });
    ui.text.addEventListener('input', () => this.#o.onDraft(ui.text.value));
    ui.panel.append(header, ui.context, ui.log, ui.help, ui.status, form);
    ui.panel.addEventListener('keydown', (e) => this.#keydown(e));
    return ui;
  }

  #submit() {
    const text = this.#ui.text.value.trim();
    if (!text || this.#ui.send.disabled) return;
    this.#ui.text.value = '';
    this.#o.onDraft('');
    this.#o.onSend(text);
  }

  // ---- open and close ------------------------------------------------------------------------

  // Opens the panel; `context` is a line shown above the conversation (what the nudge was
  // about), `draft` prefills the textarea.
  open({ context, draft } = {}) {
    this.mount();
    const ui = this.#ui;
    this.hideNudge();
    if (context !== undefined) {
      ui.context.textContent = context || '';
      ui.context.hidden = !context;
    }
    if (draft) {
      ui.text.value = draft;
      this.#o.onDraft(draft);
    }
    if (!this.#open) {
      const active = document.activeElement;
      this.#returnFocus = active === this.#host ? ui.launcher : active;
      this.#open = true;
      ui.panel.hidden = false;
      ui.launcher.setAttribute('aria-expanded', 'true');
      ui.launcher.setAttribute('aria-label', 'Close help');
      this.#o.onOpen();
    }
    ui.text.focus();
  }

  close(restoreFocus = true) {
    if (!this.#open) return;
    const ui = this.#ui;
    this.#open = false;
    ui.panel.hidden = true;
    ui.launcher.setAttribute('aria-expanded', 'false');
    ui.launcher.setAttribute('aria-label', 'Open help');
    this.#o.onClose();
    const back = this.#returnFocus;
    this.#returnFocus = null;
    if (restoreFocus) {
      if (back && back.isConnected && back !== document.body) back.focus();
      else if (!ui.launcher.hidden) ui.launcher.focus();
    }
  }

  // Tab and Shift+Tab cycle inside the dialog; Escape closes it.
  #keydown(e) {
    if (e.key === 'Escape') {
      e.preventDefault();
      this.close();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = [...this.#ui.panel.querySelectorAll(FOCUSABLE)].filter((n) => !n.closest('[hidden]'));
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    const active = this.#root.activeElement;
    if (e.shiftKey && (active === first || !items.includes(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !items.includes(active))) {
      e.preventDefault();
      first.focus();
    }
  }

  // ---- conversation ----------------------------------------------------------------------

  // Adds a message: {author: customer|ai|agent|system, body, agent?, article?}.
  addMessage(m) {
    this.mount();
    const ui = this.#ui;
    ui.empty.hidden = true;
    const item = el('li', { class: m.author }, m.body);
    if (m.author === 'customer') item.prepend(el('span', { class: 'sr' }, 'You: '));
    else if (m.author === 'agent') item.prepend(el('span', { class: 'who' }, m.agent ? m.agent.name : 'Support'));
    else if (m.author === 'ai') item.prepend(el('span', { class: 'sr' }, 'Assistant: '));
    if (m.article && m.article.title) item.append(el('span', { class: 'source' }, `From: ${m.article.title}`));
    ui.log.append(item);
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  // Asks how the conversation went, once: five buttons in the conversation; onRate(score)
  // returns a promise, and the card says thanks or that the rating did not go through.
  askRating(onRate) {
    this.mount();
    const ui = this.#ui;
    if (ui.log.querySelector('.rate')) return;
    const card = el('li', { class: 'system rate' });
    const question = el('p', { id: 'pw-rate-q' }, 'The team marked this as solved. How did we do?');
    const scores = el('div', { class: 'scores', role: 'group', 'aria-labelledby': 'pw-rate-q' });
    const labels = ['Very bad', 'Bad', 'OK', 'Good', 'Very good'];
    labels.forEach((label, i) => {
      const b = el('button', { type: 'button', 'aria-label': `${i + 1} of 5: ${label}` },
        String(i + 1));
      b.addEventListener('click', () => {
        for (const other of scores.querySelectorAll('button')) other.disabled = true;
        onRate(i + 1).then(() => card.replaceChildren(el('p', {}, 'Thanks for rating us.')),
          () => {
            question.textContent = 'That did not go through. Try again?';
            for (const other of scores.querySelectorAll('button')) other.disabled = false;
          });
      });
      scores.append(b);
    });
    card.append(question, scores);
    ui.empty.hidden = true;
    ui.log.append(card);
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  setStatus(text) {
    if (this.#ui) this.#ui.status.textContent = text || '';
  }

  setBusy(busy) {
    if (this.#ui) this.#ui.send.disabled = !!busy;
  }

  // The likely answer for the draft: {label, title, snippet, planNote} or null to hide it.
  showHelp(help) {
    if (!this.#ui) return;
    const box = this.#ui.help;
    if (!help) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const body = el('p');
    body.append(...snippetNodes(help.snippet || ''));
    box.replaceChildren(el('p', { class: 'label' }, help.label || 'Likely answer'),
      el('h3', {}, help.title), body);
    if (help.planNote) box.append(el('p', { class: 'plan' }, help.planNote));
    box.hidden = false;
  }

  get helpText() {
    return this.#ui && !this.#ui.help.hidden ? this.#ui.help.textContent : '';
  }

  // ---- the nudge bubble ----------------------------------------------------------------------

  #nudge = null;

  // nudge: {text, action} (plus anything the callbacks want back).
  showNudge(nudge) {
    this.mount();
    if (this.#open) return false;
    const ui = this.#ui;
    this.#nudge = nudge;
    ui.bubbleText.textContent = nudge.text;
    ui.bubbleGo.textContent = nudge.action || 'Get help';
    ui.bubble.hidden = false;
    return true;
  }

  hideNudge() {
    if (!this.#ui) return;
    this.#nudge = null;
    this.#ui.bubble.hidden = true;
  }

  get nudgeShown() {
    return !!this.#nudge;
  }

  #acceptNudge() {
    const nudge = this.#nudge;
    this.hideNudge();
    if (nudge) this.#o.onNudgeAccept(nudge);
  }

  #dismissNudge() {
    const nudge = this.#nudge;
    this.hideNudge();
    if (nudge) this.#o.onNudgeDismiss(nudge);
    if (!this.#ui.launcher.hidden) this.#ui.launcher.focus();
  }
}
