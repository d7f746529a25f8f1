// Home: one card per topic with its article count and its first few articles, so a customer
// who does not know what to search for can still find their way in two clicks.
// SPDX-License-Identifier: MIT
import { h, fill, byId } from '../dom.js';
import { catalogue } from '../catalogue.js';
import { groupByTopic } from '../topics.js';
import { articleHash, topicHash } from '../router.js';
import { problem } from './parts.js';

const SHOWN = 3; // articles named on a card; the rest are behind "See all"

const iconUrl = (name) => `/portal/icons/${name}.svg`;
const count = (n) => `${n} article${n === 1 ? '' : 's'}`;

function topicCard({ topic, articles }) {
  const id = `topic-${topic.key}`;
  return h('li', { class: 'topic' },
    h('div', { class: 'topic-top' },
      h('img', { class: 'topic-icon', src: iconUrl(topic.icon), alt: '', width: 40, height: 40 }),
      h('div', {},
        h('h3', { class: 'topic-title', id }, h('a', { href: topicHash(topic.key) }, topic.title)),
        h('p', { class: 'topic-count' }, count(articles.length)))),
    h('p', { class: 'topic-lead' }, topic.lead),
    h('ul', { class: 'topic-links', 'aria-labelledby': id },
      articles.slice(0, SHOWN).map((a) => h('li', {},
        h('a', { href: articleHash(a.id) }, a.title)))),
    articles.length > SHOWN
      ? h('a', { class: 'topic-all', href: topicHash(topic.key) },
        `See all ${articles.length}`, h('span', { class: 'sr-only' }, ` in ${topic.title}`))
      : null);
}

export async function showHome() {
  const list = byId('topics');
  if (list.dataset.ready) return;
  try {
    const groups = groupByTopic(await catalogue());
    fill(list, groups.map(topicCard));
    list.dataset.ready = '1';
  } catch {
    fill(list, problem('The help articles could not be loaded. Try again in a moment.'));
  } finally {
    list.removeAttribute('aria-busy');
  }
}
