// One topic: its articles A to Z, each with the first sentence of its body.
// SPDX-License-Identifier: MIT
import { fill, byId } from '../dom.js';
import { catalogue } from '../catalogue.js';
import { groupByTopic, topicByKey } from '../topics.js';
import { articleItem, crumbs, problem } from './parts.js';

// Resolves to the page title, or null when no such topic exists.
export async function showTopic(key) {
  const topic = topicByKey(key);
  if (!topic) return null;
  byId('topic-title').textContent = topic.title;
  byId('topic-lead').textContent = topic.lead;
  byId('topic-icon').setAttribute('src', `/portal/icons/${topic.icon}.svg`);
  crumbs(byId('topic-crumbs'), [{ label: 'Help Center', href: '#/' }, { label: topic.title }]);
  const list = byId('topic-articles');
  try {
    const group = groupByTopic(await catalogue()).find((g) => g.topic === topic);
    fill(list, group ? group.articles.map((a) => articleItem(a, undefined, 'h2')) : []);
  } catch {
    fill(list, problem('The articles could not be loaded. Try again in a moment.'));
  }
  return topic.title;
}
