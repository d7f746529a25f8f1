// One article: title, the plan it needs (with the article's own note on it), the body, then
// the steps of each variant under a heading that names where in the app they apply, and
// related articles from the same topic. The body is plain text: blank lines make paragraphs.
// SPDX-License-Identifier: MIT
import { h, fill, byId } from '../dom.js';
import { getArticle } from '../api.js';
import { catalogue } from '../catalogue.js';
import { topicOf, groupByTopic } from '../topics.js';
import { placeHeading } from '../places.js';
import { topicHash, articleHash } from '../router.js';
import { crumbs, planName } from './parts.js';

const RELATED = 4;
const dateFormat = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'long', day: 'numeric' });

function paragraphs(body) {
  return String(body).split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean)
    .map((p) => h('p', {}, p));
}

function steps(variants) {
  if (!variants.length) return [];
  const many = variants.length > 1;
  return [
    h('h2', { class: 'steps-heading' }, many ? 'Step by step, by where you are' : 'Step by step'),
    variants.map((v, i) => {
      const id = `variant-${i}`;
      const [place, route] = placeHeading(v);
      return h('section', { class: 'variant', 'aria-labelledby': id },
        h('h3', { class: 'variant-title', id }, place,
          route ? [' ', h('span', { class: 'variant-route' }, route)] : null),
        h('ol', { class: 'steps' }, v.steps.map((s) => h('li', {}, s))));
    }),
  ];
}

function showPlan(a) {
  const box = byId('article-plan');
  box.hidden = !a.plan_required;
  if (!a.plan_required) return;
  byId('article-plan-title').textContent = `Available on the ${planName(a.plan_required)} plan and above`;
  byId('article-plan-text').textContent = a.plan_note || '';
}

// Related: the other articles of its topic, for the sidebar; nothing when the list fails.
async function showRelated(a) {
  const box = byId('related');
  box.hidden = true;
  try {
    const topic = topicOf(a);
    const group = groupByTopic(await catalogue()).find((g) => g.topic === topic);
    const others = group ? group.articles.filter((x) => x.id !== a.id).slice(0, RELATED) : [];
    if (byId('article').dataset.id !== String(a.id)) return; // another article opened meanwhile
    fill(byId('related-list'), others.map((x) => h('li', {}, h('a', { href: articleHash(x.id) }, x.title))));
    box.hidden = !others.length;
  } catch {
    // the sidebar is a convenience: the article itself is shown
  }
}

// Resolves to the page title; null when there is no such (published) article. Other failures
// throw, for the caller to report. isCurrent() says whether the customer is still on this
// route: an answer that arrives after they moved on must not replace the newer article.
export async function showArticle(id, isCurrent = () => true) {
  let a;
  try {
    a = await getArticle(id);
  } catch (err) {
    if (err.status === 404) return null;
    throw err;
  }
  if (!isCurrent()) return a.title;
  const topic = topicOf(a);
  byId('article').dataset.id = String(a.id);
  crumbs(byId('article-crumbs'), [{ label: 'Help Center', href: '#/' },
    { label: topic.title, href: topicHash(topic.key) }, { label: a.title }]);
  byId('article-title').textContent = a.title;
  byId('article-meta').textContent = `Updated ${dateFormat.format(new Date(a.updated_at))}`;
  showPlan(a);
  fill(byId('article-body'), paragraphs(a.body));
  fill(byId('article-steps'), steps(a.variants || []));
  showRelated(a);
  return a.title;
}
