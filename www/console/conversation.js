// The conversation pane: a header (who, what, how urgent, assignee, resolve), the transcript
// with the AI draft and the reply box under it, and the side panel (details.js). The skeleton is
// built when a conversation opens; later updates of the same conversation refill the transcript
// and the panel but keep the controls (actions.js), so typing survives every poll.
// SPDX-License-Identifier: MIT
import { createActions } from './actions.js';
import { details } from './details.js';
import { fill, h, paragraphs } from './dom.js';
import {
  ago, clock, customerName, intentLabel, laneLabel, percent, planLabel, priorityLabel, slaDue,
} from './format.js';

const AUTHORS = { customer: 'Customer', ai: 'AI answer', agent: 'Agent', system: 'Automatic notice' };

function message(m, t, decisionFor) {
  const who = m.author === 'customer' ? customerName(t.customer)
    : m.author === 'agent' ? (m.agent ? m.agent.name : 'Agent') : AUTHORS[m.author] || m.author;
  const d = decisionFor.get(m.id);
  return h('li', { class: `msg ${m.author}`, dataset: { id: m.id } },
    h('div', { class: 'msg-head' },
      h('span', { class: 'msg-who' }, who),
      m.author === 'agent' ? h('span', { class: 'chip' }, 'Agent') : null,
      m.author === 'ai' ? h('span', { class: 'chip ai' }, 'AI') : null,
      h('time', { class: 'msg-time', datetime: new Date(m.created_at).toISOString() }, clock(m.created_at))),
    h('div', { class: 'msg-body' }, paragraphs(m.body)),
    m.article ? h('p', { class: 'msg-article muted small' }, `From the article \u201c${m.article.title}\u201d`) : null,
    d ? h('p', { class: 'msg-decision' },
      h('span', { class: `lane ${d.lane}` }, laneLabel(d.lane)),
      ` ${intentLabel(d.intent)} \u00b7 ${percent(d.confidence)}`) : null);
}

function header(t, actions) {
  const now = Date.now();
  const sla = t.status === 'open' ? slaDue(t.sla_due_at, now) : null;
  return [
    h('div', { class: 'conv-title' },
      h('h2', { id: 'conv-title' }, t.subject || intentLabel(t.intent)),
      h('p', { class: 'muted small' },
        `#${t.id} \u00b7 ${customerName(t.customer)} \u00b7 ${planLabel(t.customer.plan)} \u00b7 via ${t.channel} \u00b7 opened ${ago(t.created_at, now)}`)),
    h('div', { class: 'conv-badges' },
      t.status === 'resolved' ? h('span', { class: 'lane resolved' }, 'Resolved')
        : h('span', { class: `lane ${t.lane}` }, laneLabel(t.lane)),
      h('span', { class: `prio p${t.priority}` }, priorityLabel(t.priority)),
      sla ? h('span', { class: `sla ${sla.level}` }, sla.text) : null),
    actions.toolbar,
  ];
}

const hint = () => ['Press ', h('kbd', null, 'j'), ' and ', h('kbd', null, 'k'),
  ' to move through the inbox, ', h('kbd', null, 'Enter'), ' to open, ', h('kbd', null, '?'),
  ' for every shortcut.'];

// createConversation(live, pane, { agents, announce, onOpen(id), onResolved(id) })
// -> { focusReply() }. It follows live's 'ticket' topic on its own.
export function createConversation(live, pane, ctx) {
  let current = null; // { id, actions, parts }

  function skeleton(id) {
    const actions = createActions(live, id, ctx);
    const parts = {
      head: h('header', { class: 'conv-head' }),
      resolved: h('p', { class: 'resolved-note', role: 'status', hidden: true }),
      transcript: h('ol', { class: 'transcript', 'aria-label': 'Transcript' }),
      typing: h('p', { class: 'typing muted small', role: 'status', 'aria-live': 'polite' }),
      side: h('aside', { class: 'details', 'aria-label': 'Context' }),
    };
    fill(pane,
      parts.head, actions.resolveForm,
      h('div', { class: 'conv-body' },
        h('section', { class: 'thread', 'aria-labelledby': 'conv-title' },
          h('div', { class: 'thread-scroll' }, parts.resolved, parts.transcript, parts.typing,
            actions.draft),
          actions.composer),
        parts.side));
    pane.setAttribute('aria-labelledby', 'conv-title');
    return { id, actions, parts };
  }

  function show(t, similar) {
    if (!current || current.id !== t.id) current = skeleton(t.id);
    current.ticket = t;
    const { actions, parts } = current;
    const decisionFor = new Map(t.decisions.map((d) => [d.message_id, d]));
    fill(parts.head, header(t, actions));
    const scroller = parts.transcript.parentElement;
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
    const grew = parts.transcript.children.length !== t.messages.length;
    fill(parts.transcript, t.messages.map((m) => message(m, t, decisionFor)));
    if (grew) parts.typing.textContent = ''; // what they were typing has arrived
    parts.resolved.hidden = t.status !== 'resolved';
    if (t.resolution) {
      parts.resolved.textContent = `Resolved by ${t.resolution.by === 'ai' ? 'the AI' : 'an agent'} as \u201c${t.resolution.category}\u201d.`;
    }
    fill(parts.side, details(t, {
      similar,
      onOpen: ctx.onOpen,
      onUseArticle: (articleId) => actions.resolve(articleId),
    }));
    actions.update(t);
    // New messages scroll into view only if the agent was already reading the end.
    if (grew && atBottom) scroller.scrollTop = scroller.scrollHeight;
  }

  function placeholder(text, hint) {
    current = null;
    pane.removeAttribute('aria-labelledby');
    fill(pane, h('div', { class: 'placeholder' },
      h('p', { class: 'placeholder-title' }, text),
      hint ? h('p', { class: 'muted' }, hint) : null));
  }

  // "due in 25 min" must keep counting down while the ticket itself does not change.
  setInterval(() => {
    if (current && current.ticket) fill(current.parts.head, header(current.ticket, current.actions));
  }, 30_000);

  // "Customer is typing…" while they type in the widget (the server relays it), for a few
  // seconds after the last sign of it.
  let typingTimer = null;
  live.subscribe('typing', (f) => {
    if (!current || f.conversation_id !== current.id || f.author !== 'customer') return;
    const line = current.parts.typing;
    line.textContent = f.typing ? 'The customer is typing\u2026' : '';
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { line.textContent = ''; }, 6000);
  });

  live.subscribe('ticket', (state) => {
    if (state.data) show(state.data, state.similar);
    else if (state.loading) {
      if (!current || current.id !== state.id) placeholder('Loading the conversation\u2026');
    } else if (state.error) placeholder('This conversation does not exist.', 'It may have been removed, or the link is wrong.');
    else placeholder('Select a conversation', hint());
  });
  placeholder('Select a conversation', hint());

  return {
    focusReply() {
      if (current) current.actions.focusReply();
    },
  };
}
