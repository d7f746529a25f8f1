// The side panel of a conversation: what the AI decided and why, the page the customer was on,
// what the widget saw them struggle with, who they are and what else they asked, and the
// articles that may answer them. Each section is a pure function of the Ticket.
// SPDX-License-Identifier: MIT
import { h, snippet } from './dom.js';
import {
  ago, clock, customerName, eventLabel, flagLabel, humanize, initials, intentLabel, isStruggle,
  laneLabel, percent, planLabel, reasonText, slaDue, span,
} from './format.js';

function section(title, id, ...body) {
  return h('section', { class: 'panel', 'aria-labelledby': id },
    h('h3', { id }, title), ...body);
}

function facts(pairs) {
  const rows = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '');
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

// A level 0–10 for a bar drawn by CSS classes (the CSP forbids style attributes).
const level = (p) => Math.max(0, Math.min(10, Math.round(p * 10)));

function meter(label, p, tone) {
  return h('div', { class: 'meter-row' },
    h('span', { class: 'meter-label' }, label),
    h('span', { class: `meter ${tone}`, role: 'img', 'aria-label': `${label} ${percent(p)}` },
      h('span', { class: `fill l${level(p)}` })),
    h('span', { class: 'meter-value' }, percent(p)));
}

// The latest decision explains why the conversation is here.
function decisionPanel(t, idBase) {
  const d = t.decisions[t.decisions.length - 1];
  if (!d) return null;
  const s = d.signals;
  const specifics = {
    HIGH_STAKES_KEYWORD: s.high_stakes,
    ACCOUNT_FLAG: t.customer.flags.map(flagLabel),
  };
  return section('Why the AI handed this over', `${idBase}-ai`,
    h('div', { class: 'ai-head' },
      h('span', { class: `lane ${d.lane}` }, laneLabel(d.lane)),
      h('span', { class: 'ai-intent' }, intentLabel(d.intent)),
      h('span', { class: `confidence ${d.confidence >= 0.8 ? 'high' : d.confidence >= 0.5 ? 'mid' : 'low'}` },
        `${percent(d.confidence)} confident`)),
    h('ul', { class: 'reasons', 'aria-label': 'Reasons' },
      d.reasons.map((code) => h('li', { dataset: { reason: code }, title: code },
        reasonText(code, specifics[code])))),
    h('div', { class: 'signals' },
      meter('Frustration', s.frustration, 'warn'),
      meter('Urgency', s.urgency, 'warn'),
      meter('Sentiment', s.sentiment, 'good'),
      s.repeat_contact || s.repeated_question
        ? h('p', { class: 'chips' },
          s.repeat_contact ? h('span', { class: 'chip' }, 'Repeat contact') : null,
          s.repeated_question ? h('span', { class: 'chip' }, 'Asked before') : null)
        : null));
}

function pagePanel(t, idBase) {
  const p = t.page;
  if (!p) {
    return section('Page and UI state', `${idBase}-page`,
      h('p', { class: 'muted' }, 'No page context: this came by email or the API without one.'));
  }
  const locked = (p.features || []).filter((f) => !f.enabled);
  const enabled = (p.features || []).filter((f) => f.enabled);
  return section('Page and UI state', `${idBase}-page`,
    h('p', { class: 'route' }, h('code', null, p.route), p.title ? h('span', null, p.title) : null),
    facts([['URL', p.url], ['Page id', p.page_id], ['Plan on page', p.plan ? planLabel(p.plan) : null]]),
    locked.length ? h('ul', { class: 'ui-state', 'aria-label': 'Disabled features' },
      locked.map((f) => h('li', { class: 'locked' },
        h('strong', null, f.feature), ' is disabled',
        f.plan_required ? ` \u2014 needs the ${planLabel(f.plan_required)} plan`
          : f.reason ? ` \u2014 ${f.reason}` : ''))) : null,
    (p.errors || []).length ? h('ul', { class: 'ui-state', 'aria-label': 'Error banners' },
      p.errors.map((e) => h('li', { class: 'error' }, h('span', { class: 'tag' }, 'Banner'), e))) : null,
    (p.failed_requests || []).length ? h('ul', { class: 'ui-state', 'aria-label': 'Failed requests' },
      p.failed_requests.map((r) => h('li', { class: 'failed' },
        h('span', { class: 'tag' }, r.status ? String(r.status) : 'no answer'), h('code', null, r.url)))) : null,
    enabled.length ? h('p', { class: 'muted small' },
      `Enabled here: ${enabled.map((f) => f.feature).join(', ')}`) : null);
}

// Known detail keys read as words; anything else the widget adds is shown as key: value.
function eventDetail(e) {
  const d = e.detail || {};
  const parts = [];
  if (d.count) parts.push(`\u00d7${d.count}`);
  if (d.method || d.status !== undefined) parts.push([d.method, d.status].filter((x) => x !== undefined).join(' '));
  if (d.url) parts.push(d.url);
  if (d.target) parts.push(`on ${d.target}`);
  if (d.message) parts.push(d.message);
  for (const [k, v] of Object.entries(d)) {
    if (['count', 'method', 'status', 'url', 'target', 'message', 'page_id'].includes(k)) continue;
    parts.push(`${humanize(k)}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
  }
  return parts.join(' \u00b7 ');
}

function strugglePanel(t, idBase) {
  const first = t.messages.find((m) => m.author === 'customer');
  const anchor = first ? first.created_at : t.created_at;
  const struggles = t.events.filter((e) => isStruggle(e.kind)).length;
  return section(`Struggle timeline${t.events.length ? ` (${struggles} signs)` : ''}`, `${idBase}-events`,
    t.events.length === 0
      ? h('p', { class: 'muted' }, 'The widget recorded no struggle before this conversation.')
      : h('ol', { class: 'timeline' }, t.events.map((e) => h('li', {
        class: isStruggle(e.kind) ? 'struggle' : 'context', dataset: { kind: e.kind },
      },
      h('span', { class: 'when', title: clock(e.at) },
        e.at <= anchor ? `${span(anchor - e.at)} before` : `${span(e.at - anchor)} after`),
      h('span', { class: 'what' }, eventLabel(e.kind), ' ', h('code', { class: 'where' }, e.route)),
      eventDetail(e) ? h('span', { class: 'detail' }, eventDetail(e)) : null))));
}

// Who is asking comes first: name, plan and account flags decide how an agent reads the rest.
function customerPanel(t, idBase) {
  const c = t.customer;
  const name = customerName(c);
  return section('Customer', `${idBase}-customer`,
    h('div', { class: 'customer-head' },
      h('span', { class: 'avatar large', 'aria-hidden': 'true' }, initials(name)),
      h('div', null,
        h('p', { class: 'customer-name' }, name),
        c.email && c.email !== name ? h('p', { class: 'muted small' }, c.email) : null)),
    h('p', { class: 'chips' },
      h('span', { class: `chip plan-${c.plan}` }, `${planLabel(c.plan)} plan`),
      h('span', { class: `chip ${c.verified ? 'ok' : ''}` }, c.verified ? 'Verified identity' : 'Not verified'),
      c.flags.map((f) => h('span', { class: 'chip danger' }, flagLabel(f)))));
}

function historyPanel(t, idBase, onOpen) {
  const c = t.customer;
  const attrs = Object.entries(c.attributes || {});
  const now = Date.now();
  return section('Customer details and history', `${idBase}-history`,
    facts([['User id', c.external_id], ['Customer since', clock(c.created_at)],
      ...attrs.map(([k, v]) => [humanize(k), typeof v === 'object' ? JSON.stringify(v) : String(v)])]),
    h('h4', null, 'Other conversations'),
    t.customer_history.length === 0
      ? h('p', { class: 'muted small' }, 'None: this is their first conversation.')
      : h('ul', { class: 'history' }, t.customer_history.map((o) => {
        const sla = o.status === 'open' ? slaDue(o.sla_due_at, now) : null;
        return h('li', null, h('button', {
          type: 'button', class: 'link', onclick: () => onOpen(o.id),
        },
        h('span', { class: 'history-title' }, o.subject || intentLabel(o.intent)),
        h('span', { class: `status ${o.status}` }, o.status === 'bot' ? 'AI answered' : humanize(o.status)),
        h('span', { class: 'muted small' }, sla ? sla.text : ago(o.updated_at, now))));
      })));
}

function similarPanel(t, similar, idBase, onOpen) {
  if (!similar.length) return null;
  const now = Date.now();
  return section('Similar resolved conversations', `${idBase}-similar`,
    h('ul', { class: 'history' }, similar.map((o) => h('li', null, h('button', {
      type: 'button', class: 'link', onclick: () => onOpen(o.id),
    },
    h('span', { class: 'history-title' }, o.subject || intentLabel(o.intent)),
    h('span', { class: 'muted small' }, `${customerName(o.customer)} \u00b7 ${ago(o.updated_at, now)}`))))));
}

function articlesPanel(t, idBase, onUseArticle) {
  return section('Suggested articles', `${idBase}-articles`,
    t.suggested_articles.length === 0
      ? h('p', { class: 'muted' }, 'No article matches this conversation.')
      : h('ul', { class: 'articles' }, t.suggested_articles.map((a) => h('li', null,
        h('p', { class: 'article-title' }, a.title,
          a.route_match ? h('span', { class: 'chip ok' }, 'For this page') : null),
        h('p', { class: 'snippet' }, snippet(a.snippet)),
        h('button', {
          type: 'button', class: 'btn tiny', onclick: () => onUseArticle(a.id),
          'aria-label': `Resolve with the article ${a.title}`,
        }, 'Resolve with this')))));
}

// details(ticket, { similar, onOpen(id), onUseArticle(id) }) -> the side panel's sections;
// `similar` are TicketSummaries of resolved conversations with the same intent.
export function details(t, { similar = [], onOpen, onUseArticle }) {
  const idBase = `t${t.id}`;
  return [customerPanel(t, idBase), decisionPanel(t, idBase), pagePanel(t, idBase),
    strugglePanel(t, idBase), articlesPanel(t, idBase, onUseArticle),
    similarPanel(t, similar, idBase, onOpen), historyPanel(t, idBase, onOpen)];
}
