// Acme Projects: a small single-page app (hash routes, history.pushState) that embeds Pagewise.
// Some of it is broken on purpose, to show the widget's struggle detection: "Sync now" does
// nothing, "Duplicate project" throws, a coupon code fails on the server (404) with an error
// banner, and Export, Slack, custom fields and advanced reports are locked below their plan.
// SPDX-License-Identifier: MIT

// The queue a host keeps until the widget's script (async) has loaded; it adopts the calls.
window.Pagewise = window.Pagewise || function Pagewise(...args) {
  (window.Pagewise.q = window.Pagewise.q || []).push(args);
};

const PLANS = ['free', 'starter', 'pro', 'enterprise'];
const PROJECTS = { 8812: 'Website relaunch', 8813: 'Mobile app v2', 8814: 'Q3 marketing plan' };
const $ = (sel) => document.querySelector(sel);
const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function stored(key, make) {
  let value = localStorage.getItem(key);
  if (!value) {
    value = make();
    localStorage.setItem(key, value);
  }
  return value;
}

// One demo user per browser, so each visitor has their own conversations.
const userId = stored('acme-user', () => `u-${Math.random().toString(36).slice(2, 10)}`);
let plan = localStorage.getItem('acme-plan');
if (!PLANS.includes(plan)) plan = 'free';

// ---- routing --------------------------------------------------------------------------------

function currentPath() {
  const h = location.hash.replace(/^#/, '');
  return h.startsWith('/') ? h.split('?')[0] : '/projects';
}

function matches(pattern, path) {
  const a = pattern.split('/');
  const b = path.split('/');
  return a.length === b.length
    && a.every((seg, i) => seg === b[i] || (seg === ':id' && /^\d+$/.test(b[i])));
}

function render() {
  const path = currentPath();
  let shown = null;
  for (const view of document.querySelectorAll('[data-view]')) {
    const pattern = view.getAttribute('data-view');
    const on = !shown && (pattern === '*' || matches(pattern, path));
    view.hidden = !on;
    if (on) shown = view;
  }
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (path.startsWith(a.getAttribute('data-nav'))) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (matches('/projects/:id', path)) {
    const id = path.split('/')[2];
    $('#project-name').textContent = PROJECTS[id] || `Project ${id}`;
  }
  const title = shown.querySelector('h1').textContent;
  document.title = `${title} \u2014 Acme Projects`;
}

function go(href) {
  history.pushState(null, '', href);
  render();
  window.scrollTo(0, 0);
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href^="#/"]');
  if (!a || e.metaKey || e.ctrlKey || e.shiftKey) return;
  e.preventDefault();
  if (a.getAttribute('href') !== location.hash) go(a.getAttribute('href'));
});
window.addEventListener('popstate', render);
window.addEventListener('hashchange', render);

// ---- plans ----------------------------------------------------------------------------------

// Locks what the plan lacks. A locked feature is disabled and tells Pagewise why, with the
// attributes the widget reads: data-pw-disabled-reason and data-pw-plan-required.
function applyPlan() {
  const rank = PLANS.indexOf(plan);
  for (const el of document.querySelectorAll('[data-gate]')) {
    const needs = el.getAttribute('data-gate');
    const locked = rank < PLANS.indexOf(needs);
    if (el.localName === 'button') el.disabled = locked;
    if (el.hasAttribute('data-pw-feature')) {
      if (locked) {
        el.setAttribute('data-pw-disabled-reason', 'plan');
        el.setAttribute('data-pw-plan-required', needs);
      } else {
        el.removeAttribute('data-pw-disabled-reason');
        el.removeAttribute('data-pw-plan-required');
      }
      const note = el.querySelector('.gate-note') || el.parentElement.querySelector('.gate-note');
      if (note) note.textContent = locked ? `Available on ${capitalize(needs)} and up` : '';
    }
  }
  $('#plan-switcher').value = plan;
  $('#plan-name').textContent = capitalize(plan);
  for (const b of document.querySelectorAll('[data-plan]')) {
    b.setAttribute('aria-pressed', String(b.getAttribute('data-plan') === plan));
  }
}

function setPlan(next) {
  plan = next;
  localStorage.setItem('acme-plan', plan);
  applyPlan();
  window.Pagewise('update', { user: { plan } });
}

$('#plan-switcher').addEventListener('change', (e) => setPlan(e.target.value));
$('#plan-buttons').addEventListener('click', (e) => {
  const b = e.target.closest('[data-plan]');
  if (b) setPlan(b.getAttribute('data-plan'));
});

// ---- pages --------------------------------------------------------------------------------

$('#project-search').addEventListener('input', (e) => {
  const q = e.target.value.trim().toLowerCase();
  let shown = 0;
  for (const li of document.querySelectorAll('#project-list li')) {
    li.hidden = q !== '' && !li.getAttribute('data-name').includes(q);
    if (!li.hidden) shown++;
  }
  $('#no-projects').hidden = shown > 0;
});

$('#task-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $('#task-title');
  const li = document.createElement('li');
  li.textContent = input.value.trim();
  $('#tasks').append(li);
  input.value = '';
});

// The bug on purpose: projects made before templates existed have none.
$('#duplicate-project').addEventListener('click', () => {
  const project = { name: $('#project-name').textContent, template: undefined };
  const copy = project.template.clone();
  $('#project-name').textContent = copy.name;
});

$('#add-field').addEventListener('click', () => {
  $('#field-result').textContent = 'Custom field "Budget" added.';
});

function drawBars(days) {
  const counts = days === 7 ? [4, 7, 3, 8, 6, 2, 5] : [18, 22, 15, 27];
  const labels = days === 7 ? ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
    : ['Wk 1', 'Wk 2', 'Wk 3', 'Wk 4'];
  const items = counts.map((n, i) => {
    const li = document.createElement('li');
    const day = document.createElement('span');
    day.className = 'day';
    day.textContent = labels[i];
    const meter = document.createElement('meter');
    meter.min = 0;
    meter.max = Math.max(...counts);
    meter.value = n;
    const count = document.createElement('span');
    count.textContent = String(n);
    li.append(day, meter, count);
    return li;
  });
  $('#bars').replaceChildren(...items);
}

document.querySelector('.tabs').addEventListener('click', (e) => {
  const tab = e.target.closest('[data-range]');
  if (!tab) return;
  for (const t of document.querySelectorAll('[data-range]')) {
    t.setAttribute('aria-selected', String(t === tab));
  }
  drawBars(Number(tab.getAttribute('data-range')));
});

$('#export').addEventListener('click', () => {
  $('#export-result').textContent = 'Your PDF is being prepared: tasks-report.pdf';
});

$('#open-advanced').addEventListener('click', () => {
  $('#export-result').textContent = 'Advanced reports open in a new tab in the full product.';
});

$('#connect-calendar').addEventListener('click', (e) => {
  e.target.textContent = 'Connected';
  e.target.disabled = true;
});

$('#connect-slack').addEventListener('click', (e) => {
  e.target.textContent = 'Connected';
});

// The demo has no billing backend: every code is unknown to the server, which answers 404.
$('#coupon-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const banner = $('#coupon-error');
  banner.hidden = true;
  const res = await fetch('/demo/api/coupons/redeem', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: $('#coupon-code').value.trim() }),
  });
  if (!res.ok) {
    banner.textContent = 'This coupon code could not be applied. Check the code and try again.';
    banner.hidden = false;
  }
});

$('#profile-form').addEventListener('submit', (e) => {
  e.preventDefault();
  $('#profile-result').textContent = 'Profile saved.';
});

// ---- the widget ------------------------------------------------------------------------

const state = $('#widget-state');
window.Pagewise('on', 'ready', () => {
  state.textContent = 'ready';
  state.classList.add('ok');
});
window.Pagewise('boot', {
  appId: 'pk_demo_acme',
  basePath: '/demo',
  user: { id: userId, name: 'Alex Rivera', email: 'alex@acme.example', plan },
});

drawBars(7);
applyPlan();
render();
