// The inbox list: rows in the server's order (priority, then SLA due time), the filters, "load
// more", and the keyboard cursor. The list keeps focus itself and points at the selected row
// with aria-activedescendant, so a poll that redraws rows never steals the agent's focus.
// SPDX-License-Identifier: MIT
import { fill, h } from './dom.js';
import {
  customerName, initials, intentLabel, laneLabel, planLabel, priorityLabel, slaDue,
} from './format.js';

const $ = (id) => document.getElementById(id);

// createInbox(live, { onOpen(id), agentName(id) }) -> { move(step), openSelected(), focus(),
//   markOpen(id), selectedId }
export function createInbox(live, { onOpen, agentName }) {
  const list = $('inbox-list');
  const empty = $('inbox-empty');
  const more = $('load-more');
  const intents = new Set();
  let selectedId = null;
  let openId = null;

  function row(t, now, preview) {
    const sla = slaDue(t.sla_due_at, now);
    const who = customerName(t.customer);
    const title = t.subject || intentLabel(t.intent);
    const assignee = t.assignee_id ? agentName(t.assignee_id) : null;
    return h('li', {
      id: `row-${t.id}`, role: 'option', class: `row p${t.priority}`,
      'aria-selected': String(t.id === selectedId), dataset: { id: t.id },
      'aria-current': t.id === openId ? 'true' : null,
    },
    h('div', { class: 'row-top' },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(who)),
      h('span', { class: 'who' }, who),
      sla ? h('span', { class: `sla ${sla.level}` }, sla.text) : null),
    // Subject, then the latest message, on one line: the way mail clients fit both.
    h('div', { class: 'row-title' }, h('span', { class: 'subject' }, title),
      preview && preview.text ? h('span', { class: 'row-preview' }, ' \u2014 ',
        preview.author === 'agent' ? h('span', { class: 'by' }, 'Agent: ') : null,
        preview.author === 'ai' ? h('span', { class: 'by' }, 'AI: ') : null,
        preview.text) : null),
    h('div', { class: 'row-meta' },
      t.priority <= 1 ? h('span', { class: `prio p${t.priority}` }, priorityLabel(t.priority)) : null,
      h('span', { class: `lane ${t.lane}` }, laneLabel(t.lane)),
      h('span', { class: 'tier' }, planLabel(t.customer.plan)),
      t.subject ? h('span', { class: 'intent' }, intentLabel(t.intent)) : null,
      h('span', { class: 'channel' }, t.channel),
      assignee ? h('span', { class: 'assignee', title: `Assigned to ${assignee}` }, initials(assignee)) : null));
  }

  function render(state) {
    const now = Date.now();
    for (const t of state.items) if (t.intent) intents.add(t.intent);
    fill($('intents'), [...intents].sort().map((i) => h('option', { value: i })));
    if (selectedId !== null && !state.items.some((t) => t.id === selectedId)) selectedId = null;
    if (selectedId === null && state.items.length) selectedId = state.items[0].id;
    // Each summary carries its latest message (preview): the list costs one request a page.
    fill(list, state.items.map((t) => row(t, now, t.preview)));
    list.setAttribute('aria-busy', String(state.loading));
    list.tabIndex = state.items.length ? 0 : -1;
    if (selectedId !== null) list.setAttribute('aria-activedescendant', `row-${selectedId}`);
    else list.removeAttribute('aria-activedescendant');
    empty.hidden = state.loading || state.items.length > 0;
    empty.textContent = Object.keys(state.filters).length
      ? 'No open conversation matches these filters.' : 'All caught up: nothing needs a person.';
    more.hidden = !state.nextCursor;
    more.disabled = state.loadingMore;
    more.textContent = state.loadingMore ? 'Loading\u2026' : 'Load more';
    $('inbox-count').textContent = state.loading ? '' : `${state.items.length}${state.nextCursor ? '+' : ''}`;
  }



  function select(id, { scroll = true } = {}) {
    selectedId = id;
    render(live.inbox);
    const el = $(`row-${id}`);
    if (el && scroll) el.scrollIntoView({ block: 'nearest' });
  }

  function move(step) {
    const items = live.inbox.items;
    if (!items.length) return;
    const at = items.findIndex((t) => t.id === selectedId);
    const next = Math.min(items.length - 1, Math.max(0, at + step));
    select(items[next].id);
    // Moving past the last loaded row asks for the next page, as scrolling would.
    if (next === items.length - 1 && step > 0) live.loadMore();
  }

  function openSelected() {
    if (selectedId !== null) onOpen(selectedId);
  }

  list.addEventListener('click', (e) => {
    const li = e.target.closest('li[role=option]');
    if (!li) return;
    select(Number(li.dataset.id), { scroll: false });
    list.focus({ preventScroll: true });
    onOpen(Number(li.dataset.id));
  });
  list.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      move(e.key === 'Home' ? -Infinity : Infinity);
    }
  });
  more.addEventListener('click', () => live.loadMore());

  wireFilters(live);
  live.subscribe('inbox', render);
  return {
    move, openSelected,
    focus: () => list.focus(),
    markOpen(id) {
      openId = id;
      if (id !== null) selectedId = id;
      render(live.inbox);
    },
    get selectedId() { return selectedId; },
  };
}

function wireFilters(live) {
  const lanes = $('lane-filter');
  const current = () => ({
    lane: lanes.querySelector('[aria-checked=true]').dataset.lane,
    tier: $('tier-filter').value,
    intent: $('intent-filter').value.trim(),
    assignee: $('assignee-filter').value,
  });
  const radios = [...lanes.querySelectorAll('[role=radio]')];
  // A radio group is one tab stop; the arrow keys move the choice (the ARIA radio pattern).
  function choose(button) {
    for (const b of radios) {
      b.setAttribute('aria-checked', String(b === button));
      b.tabIndex = b === button ? 0 : -1;
    }
    live.setFilters(current());
  }
  radios.forEach((b) => { b.tabIndex = b.getAttribute('aria-checked') === 'true' ? 0 : -1; });
  lanes.addEventListener('click', (e) => {
    const button = e.target.closest('[role=radio]');
    if (button) choose(button);
  });
  lanes.addEventListener('keydown', (e) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    if (!step) return;
    e.preventDefault();
    const at = radios.indexOf(document.activeElement);
    const next = radios[(at + step + radios.length) % radios.length];
    next.focus();
    choose(next);
  });
  $('tier-filter').addEventListener('change', () => live.setFilters(current()));
  $('assignee-filter').addEventListener('change', () => live.setFilters(current()));
  $('intent-filter').addEventListener('change', () => live.setFilters(current()));
}
