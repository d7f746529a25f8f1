// What an agent does to one conversation: act on the AI draft (approve, edit, discard), reply,
// reassign and resolve. The controls are built once per opened conversation and only updated
// when the ticket changes, so a poll never wipes a reply being typed or a draft being edited.
// Every request goes through live.act; an error is shown next to the control that caused it.
// SPDX-License-Identifier: MIT
import { describeError } from './api.js';
import { fill, h, paragraphs } from './dom.js';
import { intentLabel } from './format.js';

// A button that disables itself while its action runs and reports failure in `errorEl`.
function busy(button, errorEl, run) {
  return async () => {
    if (button.disabled) return;
    button.disabled = true;
    errorEl.textContent = '';
    try {
      await run();
    } catch (err) {
      errorEl.textContent = describeError(err);
    } finally {
      button.disabled = false;
    }
  };
}

function draftCard(live, id, announce) {
  const el = h('section', { class: 'draft', 'aria-labelledby': `draft-${id}-title`, hidden: true });
  const error = h('p', { class: 'form-error', role: 'alert' });
  let editing = false;
  let shown = null; // the draft object on screen

  const post = (body, said) => async () => {
    await live.act(id, 'draft', body);
    editing = false;
    announce(said);
  };

  function view(d) {
    const approve = h('button', { type: 'button', class: 'btn primary small' }, 'Approve and send');
    const edit = h('button', { type: 'button', class: 'btn small' }, 'Edit');
    const discard = h('button', { type: 'button', class: 'btn ghost small danger-text' }, 'Discard');
    approve.addEventListener('click', busy(approve, error, post({ action: 'approve' }, 'Draft sent to the customer.')));
    discard.addEventListener('click', busy(discard, error, post({ action: 'discard' }, 'Draft discarded.')));
    edit.addEventListener('click', () => { editing = true; render(d); });
    return [h('div', { class: 'draft-body' }, paragraphs(d.body)),
      h('div', { class: 'draft-actions' }, approve, edit, discard)];
  }

  function editor(d) {
    const area = h('textarea', { class: 'draft-editor', rows: 8, 'aria-label': 'Edit the AI draft' });
    area.value = d.body;
    const send = h('button', { type: 'button', class: 'btn primary small' }, 'Send edited draft');
    const cancel = h('button', { type: 'button', class: 'btn ghost small' }, 'Cancel');
    send.addEventListener('click', busy(send, error, async () => {
      const body = area.value.trim();
      if (!body) { error.textContent = 'The reply is empty.'; area.focus(); return; }
      await post({ action: 'edit', body }, 'Edited draft sent to the customer.')();
    }));
    cancel.addEventListener('click', () => { editing = false; render(d); });
    queueMicrotask(() => area.focus());
    return [area, h('div', { class: 'draft-actions' }, send, cancel)];
  }

  function render(d) {
    shown = d;
    fill(el,
      h('header', { class: 'draft-head' },
        h('h3', { id: `draft-${id}-title` }, 'AI draft'),
        d.article ? h('span', { class: 'muted small' }, `from \u201c${d.article.title}\u201d`) : null,
        h('span', { class: 'chip' }, 'Not sent yet')),
      editing ? editor(d) : view(d), error);
  }

  return {
    el,
    update(t) {
      const d = t.draft && t.draft.status === 'pending' && t.status !== 'resolved' ? t.draft : null;
      el.hidden = !d;
      if (!d) { editing = false; shown = null; return; }
      // While the agent edits, the draft on screen stays as it is.
      if (editing && shown && shown.id === d.id) return;
      if (!shown || shown.id !== d.id || shown.body !== d.body) render(d);
    },
  };
}

function composer(live, id, announce) {
  const area = h('textarea', {
    id: `reply-${id}`, class: 'reply-box', rows: 4, placeholder: 'Write a reply\u2026 (Ctrl+Enter to send)',
    'aria-label': 'Reply to the customer',
  });
  const send = h('button', { type: 'submit', class: 'btn primary' }, 'Send reply');
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'composer', 'aria-label': 'Reply' }, area,
    h('div', { class: 'composer-foot' }, h('span', { class: 'muted small' }, 'The customer sees this in the widget or by email.'), send),
    error);
  const submit = busy(send, error, async () => {
    const body = area.value.trim();
    if (!body) { area.focus(); return; }
    await live.act(id, 'reply', { body });
    area.value = '';
    announce('Reply sent.');
  });
  form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(); }
  });
  area.addEventListener('input', () => { if (area.value.trim()) live.typing(id); });
  return {
    el: form,
    focus: () => area.focus(),
    update(t) {
      const closed = t.status === 'resolved';
      area.disabled = closed;
      send.disabled = closed;
      area.placeholder = closed ? 'This conversation is resolved.' : 'Write a reply\u2026 (Ctrl+Enter to send)';
    },
  };
}

function assignControl(live, id, agents, announce) {
  const select = h('select', { 'aria-label': 'Assignee', class: 'assign' },
    h('option', { value: '' }, 'Unassigned'),
    agents.map((a) => h('option', { value: a.id }, a.name)));
  const error = h('span', { class: 'form-error inline', role: 'alert' });
  select.addEventListener('change', busy(select, error, async () => {
    const agentId = select.value ? Number(select.value) : null;
    await live.act(id, 'assign', { agent_id: agentId });
    announce(agentId ? `Assigned to ${select.selectedOptions[0].textContent}.` : 'Unassigned.');
  }));
  return {
    el: h('label', { class: 'assign-wrap' }, h('span', { class: 'muted small' }, 'Assignee'), select, error),
    update(t) {
      if (!select.disabled) select.value = t.assignee ? String(t.assignee.id) : '';
    },
  };
}

function resolveForm(live, id, onResolved) {
  const category = h('input', {
    id: `category-${id}`, list: 'intents', required: true, autocomplete: 'off', spellcheck: 'false',
  });
  const article = h('select', { id: `article-${id}` });
  const submit = h('button', { type: 'submit', class: 'btn primary small' }, 'Resolve');
  const cancel = h('button', { type: 'button', class: 'btn ghost small' }, 'Cancel');
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'resolve-form', hidden: true, 'aria-label': 'Resolve the conversation' },
    h('label', { for: `category-${id}` }, 'Category'), category,
    h('label', { for: `article-${id}` }, 'Article that answered it'), article,
    h('div', { class: 'resolve-actions' }, submit, cancel), error);
  let touched = false;
  category.addEventListener('input', () => { touched = true; });
  cancel.addEventListener('click', () => { form.hidden = true; });
  const run = busy(submit, error, async () => {
    const value = category.value.trim();
    if (!value) { error.textContent = 'Choose a category: it teaches the model.'; category.focus(); return; }
    const body = { category: value };
    if (article.value) body.article_id = Number(article.value);
    const place = live.inbox.items.findIndex((t) => t.id === id);
    await live.act(id, 'resolve', body);
    form.hidden = true;
    onResolved(id, place);
  });
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });

  return {
    el: form,
    open(articleId) {
      form.hidden = false;
      if (articleId) article.value = String(articleId);
      category.focus();
    },
    update(t) {
      // The category defaults to the AI's intent: confirming it is one keystroke, correcting it
      // is what teaches the model.
      if (!touched) category.value = t.intent || '';
      const keep = article.value;
      const seen = new Set();
      const options = [h('option', { value: '' }, 'No article')];
      for (const a of [t.draft && t.draft.article, ...t.suggested_articles]) {
        if (!a || seen.has(a.id)) continue;
        seen.add(a.id);
        options.push(h('option', { value: a.id }, a.title));
      }
      fill(article, options);
      article.value = seen.has(Number(keep)) ? keep : '';
    },
    get hidden() { return form.hidden; },
  };
}

// createActions(live, id, { agents, announce(text), onResolved(id, place) }) -> the controls of one
// conversation and update(ticket), focusReply(), resolve(articleId?).
export function createActions(live, id, { agents, announce, onResolved }) {
  const draft = draftCard(live, id, announce);
  const reply = composer(live, id, announce);
  const assign = assignControl(live, id, agents, announce);
  const resolve = resolveForm(live, id, onResolved);
  const resolveButton = h('button', { type: 'button', class: 'btn small', 'aria-expanded': 'false' }, 'Resolve\u2026');
  resolveButton.addEventListener('click', () => {
    if (resolve.hidden) resolve.open(); else resolve.el.hidden = true;
    resolveButton.setAttribute('aria-expanded', String(!resolve.hidden));
  });
  return {
    draft: draft.el,
    composer: reply.el,
    toolbar: h('div', { class: 'conv-actions' }, assign.el, resolveButton),
    resolveForm: resolve.el,
    update(t) {
      draft.update(t);
      reply.update(t);
      assign.update(t);
      resolve.update(t);
      resolveButton.disabled = t.status === 'resolved';
      resolveButton.title = t.status === 'resolved' ? 'Already resolved' : `Resolve as ${intentLabel(t.intent)} or another category`;
    },
    focusReply: () => reply.focus(),
    resolve: (articleId) => {
      resolve.open(articleId);
      resolveButton.setAttribute('aria-expanded', 'true');
    },
  };
}
