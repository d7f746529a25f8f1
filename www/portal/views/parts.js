// Pieces several views share: an article's entry in a list, the plan badge, breadcrumbs and
// the short excerpt under a title. Text only (dom.js).
// SPDX-License-Identifier: MIT
import { h, fill } from '../dom.js';
import { articleHash } from '../router.js';

export const planName = (plan) => plan.charAt(0).toUpperCase() + plan.slice(1);

// "Starter plan" badge for articles whose feature needs a plan; null when any plan has it.
export function planBadge(plan) {
  if (!plan) return null;
  return h('span', { class: `badge badge-${plan}` }, `${planName(plan)} plan`);
}

// The body's first sentence, cut at a word near `max` characters.
export function excerpt(body, max = 150) {
  const text = String(body || '').replace(/\s+/g, ' ').trim();
  const sentence = text.match(/^.+?[.!?](?=\s|$)/);
  const first = sentence ? sentence[0] : text;
  if (first.length <= max) return first;
  const cut = first.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max * 0.6))}\u2026`;
}

// <li> with the title as the link (its accessible name is the title alone; CSS stretches its
// click area over the whole card), an excerpt (or any nodes) under it, and the plan badge.
export function articleItem(article, body, level = 'h3') {
  const lead = typeof body === 'string' || body === undefined
    ? h('p', { class: 'item-text' }, body ?? excerpt(article.body))
    : body;
  return h('li', { class: 'item' },
    h('div', { class: 'item-head' },
      h(level, { class: 'item-title' },
        h('a', { class: 'item-link', href: articleHash(article.id) }, article.title)),
      planBadge(article.plan_required)),
    lead,
    h('span', { class: 'item-arrow', 'aria-hidden': 'true' }, '\u203a'));
}

// [{label, href?}] into the breadcrumb list; the last entry is the current page.
export function crumbs(list, trail) {
  fill(list, trail.map((c, i) => (i === trail.length - 1
    ? h('li', { 'aria-current': 'page' }, c.label)
    : h('li', {}, h('a', { href: c.href }, c.label)))));
}

// A short message in place of content that failed to load.
export function problem(text) {
  return h('li', { class: 'problem', role: 'alert' }, text);
}
