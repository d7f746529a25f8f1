// The help center's entry point: maps each route to its view, keeps one view visible at a
// time (each carries data-pw-page, so the widget's page context says where the customer is),
// and moves focus to the new view's heading so keyboard and screen-reader users follow along.
// SPDX-License-Identifier: MIT
import { h, fill, byId } from './dom.js';
import { startRouter, parseRoute, searchHash } from './router.js';
import { initChat } from './chat.js';
import { initSearch, runSearch, syncBox } from './views/search.js';
import { showHome } from './views/home.js';
import { showTopic } from './views/topic.js';
import { showAll } from './views/all.js';
import { showArticle } from './views/article.js';

const SITE = 'Acme Projects Help Center';
let current = 0; // bumps on every route: late answers for an older one are ignored

function showView(name) {
  for (const view of document.querySelectorAll('[data-view]')) {
    view.hidden = view.getAttribute('data-view') !== name;
  }
  // The big hero with its greeting is the home page's; elsewhere only the search box stays.
  // Search keeps whichever the customer typed in: a hero that shrank or grew under the caret
  // would move the box they are typing into.
  const body = document.body.classList;
  const compact = name === 'search' ? body.contains('compact') : name !== 'home';
  body.toggle('compact', compact);
  body.toggle('searching', name === 'search');
  for (const id of ['hero-title', 'hero-lead']) byId(id).hidden = compact;
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.getAttribute('data-nav') === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function focusHeading(name) {
  const heading = document.querySelector(`[data-view="${name}"] [tabindex="-1"]`);
  if (heading) heading.focus({ preventScroll: true });
}

// The "missing" view says why: nothing at this address, or the server could not be reached
// (then trying again may work, and saying "not found" would send the customer away).
function explainMissing(failed) {
  byId('missing-title').textContent = failed ? 'This page could not be loaded'
    : 'We couldn\u2019t find that page';
  fill(byId('missing-text'), failed
    ? 'Check your connection and reload the page, or '
    : 'The article may have moved or been retired. Try searching above, or ',
  h('a', { href: '#/' }, 'go back to the Help Center'), '.');
}

function setTitle(title) {
  document.title = title ? `${title} \u2013 ${SITE}` : SITE;
}

// What each route shows; resolves to the page title, or null for "no such page".
async function render(route, isCurrent) {
  switch (route.name) {
    case 'home':
      showHome();
      return '';
    case 'search':
      syncBox(route.q);
      if (!route.q.trim()) return '';
      await runSearch(route.q.trim());
      return `Search: ${route.q.trim()}`;
    case 'articles':
      showAll();
      return 'All articles';
    case 'topic':
      return showTopic(route.key);
    case 'article':
      return showArticle(route.id, isCurrent);
    default:
      return null;
  }
}

async function onRoute(route, how) {
  const mine = ++current;
  const isCurrent = () => mine === current;
  if (route.name !== 'search') syncBox('');
  if (route.name === 'search' && !route.q.trim()) {
    history.replaceState(null, '', '#/');
    onRoute(parseRoute(), how);
    return;
  }
  let title;
  let failed = false;
  try {
    title = await render(route, isCurrent);
  } catch {
    title = null;
    failed = true;
  }
  if (!isCurrent()) return;
  const name = title === null ? 'missing' : route.name;
  if (name === 'missing') explainMissing(failed);
  showView(name);
  setTitle(title);
  // Typing in the box must keep the focus in the box; a link or Back moves it to the view.
  if (how === 'navigate') {
    focusHeading(name);
    window.scrollTo(0, 0);
  }
}

// A pause in typing: the first query of a search is a new history entry (Back returns to the
// page the customer searched from), refinements replace it.
function onQuery(q) {
  const route = parseRoute();
  if (!q) {
    if (route.name === 'search') history.replaceState(null, '', '#/');
    else return;
  } else if (route.name === 'search') {
    if (route.q === q) return;
    history.replaceState(null, '', searchHash(q));
  } else {
    history.pushState(null, '', searchHash(q));
  }
  onRoute(parseRoute(), 'type');
}

initChat();
initSearch({ onQuery });
startRouter(onRoute);
