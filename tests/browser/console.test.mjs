// Browser suite for the agent console (www/console/): real Chromium against a real
// `pagewise serve`, with conversations seeded through the real API — an escalated refund from a
// Pro customer on a page with a plan-locked feature and an error banner, a widget conversation
// with struggle events, 60 drafts waiting for approval (more than one page), and a ticket whose
// every field is an XSS payload. What is asserted is what an agent relies on: sign-in, the
// inbox order and filters, the context of a conversation, and that every action reaches the API.
// SPDX-License-Identifier: MIT
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  watchForErrors, screenshot, trackRequests, until, useServerAndBrowser,
} from './chromium.mjs';
import { XSS_PAYLOADS, xssRan } from './xss.mjs';

const ADMIN = 'browser-console-admin-token-01';
const WAIT_MS = 20000;
const PAGE_SIZE = 50; // the console's inbox page
const BULK = 60; // more than one page
// The shared corpus (xss.mjs) in every field an agent reads.
const XSS = {
  text: `${XSS_PAYLOADS.join(' ')} still broken`,
  subject: XSS_PAYLOADS[1],
  name: XSS_PAYLOADS[2],
  banner: XSS_PAYLOADS[0],
};

const ctx = useServerAndBrowser({ env: { PAGEWISE_ADMIN_TOKEN: ADMIN } });
const seeded = {}; // refund, widget, xss: conversation ids; bulk: ids of the approval drafts

async function api(method, path, body, { token = ADMIN, origin } = {}) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (origin) headers.Origin = origin;
  const res = await fetch(`${ctx.server.base}/api/v1${path}`,
    { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
  return data;
}

const ticket = (id) => api('GET', `/tickets/${id}`);

async function createTicket(body) {
  const t = await api('POST', '/tickets', { channel: 'email', ...body });
  assert.equal(t.status, 'open', `seeded ticket went to the inbox: ${body.text} -> ${t.lane}`);
  return t;
}

// A widget visitor who struggled on /reports (rage clicks on the locked Export, a failing
// request) before asking: the conversation's events are the struggle timeline.
async function seedWidgetConversation() {
  const origin = ctx.server.base;
  const boot = await api('POST', '/widget/boot', {
    app_key: 'pk_demo_acme', user: { id: 'w-77', email: 'bo@example.com', name: 'Bo Chen', plan: 'free' },
  }, { origin });
  const now = Date.now();
  const ev = (kind, ago, extra = {}) => ({ kind, at: now - ago, route: '/reports', ...extra });
  await api('POST', '/widget/events', {
    events: [ev('navigation', 90_000), ev('rage_click', 60_000, { target: 'button#export', detail: { count: 6 } }),
      ev('failed_request', 30_000, { detail: { method: 'POST', status: 500, url: '/api/export' } })],
  }, { token: boot.session, origin });
  const sent = await api('POST', '/widget/messages', {
    text: 'this export button is broken, still not working!!',
    page: { route: '/reports', page_id: 'reports', plan: 'free',
      features: [{ feature: 'export', enabled: false, reason: 'plan', plan_required: 'starter' }] },
    struggle: [ev('dead_click', 1000, { target: 'button#export' })],
  }, { token: boot.session, origin });
  assert.equal(sent.status, 'open');
  seeded.widgetSession = boot.session;
  return sent.conversation_id;
}

before(async () => {
  await ctx.ready; // seeded once the server is up
  const bulk = [];
  for (let i = 0; i < BULK; i += 10) {
    bulk.push(...await Promise.all(Array.from({ length: 10 }, (_, j) => createTicket({
      text: `please add dark mode (idea ${i + j + 1})`,
      customer: { email: `fan${i + j}@example.com`, name: `Fan ${i + j + 1}`, plan: ['free', 'starter', 'pro'][(i + j) % 3] },
    }))));
  }
  seeded.bulk = bulk.map((t) => t.id);
  seeded.widget = await seedWidgetConversation();
  seeded.xss = (await createTicket({
    text: XSS.text, subject: XSS.subject,
    customer: { email: 'mallory@example.com', name: XSS.name, plan: 'free' },
    page: { route: '/projects', errors: [XSS.banner] },
  })).id;
  // Last, so that its place at the top comes from its priority and SLA, not from its age.
  const refund = await createTicket({
    text: 'I was charged twice, I want my money back',
    subject: 'Charged twice this month',
    customer: { email: 'ann@example.com', id: 'u-42', name: 'Ann Lee', plan: 'pro', flags: ['churn_risk'] },
    page: {
      url: 'https://app.acme.test/settings/billing', route: '/settings/billing', page_id: 'billing',
      title: 'Billing', plan: 'pro',
      features: [{ feature: 'invoices_export', enabled: false, reason: 'plan', plan_required: 'enterprise' }],
      errors: ['Payment failed: your card was declined'],
      failed_requests: [{ url: '/api/billing/retry', status: 402 }],
    },
  });
  assert.equal(refund.lane, 'escalate');
  seeded.refund = refund.id;
  // Ann asked before: a resolved conversation that the console lists as her history.
  const earlier = await createTicket({
    text: 'How do I cancel my subscription?', subject: 'Cancel plan',
    customer: { email: 'ann@example.com', id: 'u-42', name: 'Ann Lee', plan: 'pro' },
  });
  await api('POST', `/tickets/${earlier.id}/resolve`, { category: 'cancel_subscription' });
  // Another customer's double charge, answered and resolved: how the team handled it before.
  const before = await createTicket({
    text: 'You billed me two times for March, please refund one', subject: 'Billed twice in March',
    customer: { email: 'raj@example.com', name: 'Raj Patel', plan: 'starter' },
  });
  assert.equal(before.intent, refund.intent, 'the same intent as the refund');
  await api('POST', `/tickets/${before.id}/reply`, { body: 'Refunded the duplicate, sorry!' });
  await api('POST', `/tickets/${before.id}/resolve`, { category: 'refund' });
  seeded.similar = before.id;
});

// A fresh context per test: its own sessionStorage, so its own sign-in.
async function openConsole({ signIn = true, hash = '' } = {}) {
  const context = await ctx.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  const requests = [];
  page.on('request', (r) => requests.push({ method: r.method(), url: r.url(), body: r.postData() }));
  const { quiet } = trackRequests(page);
  await page.goto(`${ctx.server.base}/console/${hash}`);
  if (signIn) {
    await page.fill('#token', ADMIN);
    await page.click('#signin-submit');
    await page.locator('#inbox-list .row').first().waitFor({ timeout: WAIT_MS });
  }
  return { context, page, errors, requests, quiet };
}

const rows = (page) => page.locator('#inbox-list .row');
const rowIds = (page) => page.$$eval('#inbox-list .row', (els) => els.map((e) => Number(e.dataset.id)));

async function openConversation(page, id) {
  await page.locator(`#row-${id}`).click();
  await page.locator(`#conversation .conv-head`).waitFor();
  await until(() => page.evaluate((i) => location.hash === `#/conversations/${i}`
    && document.querySelector('#conv-title') !== null
    && document.querySelector('.conv-title .muted').textContent.startsWith(`#${i} `), id),
  `conversation ${id} open`);
}

test('sign-in: a wrong token gets a clear message, the admin token signs in, sign-out forgets it', async () => {
  const { context, page, errors, quiet } = await openConsole({ signIn: false });
  await page.locator('#signin-form').waitFor();
  await page.fill('#token', 'not-a-real-token');
  await page.click('#signin-submit');
  await page.locator('#signin-error', { hasText: 'That token was not accepted' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('#app').isHidden(), true);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'a rejected token is not kept');
  await screenshot(page, 'console-signin');

  await page.fill('#token', ADMIN);
  await page.click('#signin-submit');
  await rows(page).first().waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('#whoami').textContent(), 'Admin \u00b7 Admin', 'who is signed in');
  // The token lives for the tab: a reload stays signed in. (Leaving the page while the rows'
  // previews load would cancel them, which watchForErrors counts: let them finish first.)
  await quiet();
  await page.reload();
  await rows(page).first().waitFor({ timeout: WAIT_MS });
  await quiet();
  await page.click('#signout');
  await page.locator('#signin-error', { hasText: 'signed out' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await page.evaluate(() => sessionStorage.getItem('pagewise.console.token')), null);
  await page.reload();
  await page.locator('#signin-form').waitFor();
  assert.equal(await page.locator('#app').isHidden(), true);

  // The only errors are the rejected sign-in's 401 (as a response and as Chromium's log line).
  const unexpected = errors.filter((e) => !/401/.test(e));
  assert.deepEqual(unexpected, []);
  assert.ok(errors.length >= 1 && errors.length <= 2, errors.join('\n'));
  await context.close();
});

test('the inbox puts the escalated refund first and pages through the server with a cursor', async () => {
  const { context, page, errors, requests } = await openConsole();
  const ids = await rowIds(page);
  assert.equal(ids[0], seeded.refund, 'the escalated refund from a Pro customer is first');
  const first = rows(page).first();
  assert.match(await first.textContent(), /Ann Lee/);
  assert.match(await first.textContent(), /Charged twice this month/);
  assert.match(await first.textContent(), /Escalated/);
  assert.match(await first.locator('.sla').textContent(), /^due in \d+ (min|h)$/);
  // Rows show the latest message (the summary's preview), with no request per row.
  await first.locator('.row-preview', { hasText: 'I was charged twice' }).waitFor({ timeout: WAIT_MS });
  assert.deepEqual(requests.filter((r) => /\/api\/v1\/tickets\/\d+$/.test(new URL(r.url).pathname)), [],
    'no conversation was fetched just to preview it');
  // The server's order, one page of it.
  const server1 = await api('GET', `/inbox?limit=${PAGE_SIZE}`);
  assert.deepEqual(ids, server1.items.map((t) => t.id));
  assert.equal(ids.length, PAGE_SIZE);
  const inboxReads = requests.filter((r) => r.url.includes('/api/v1/inbox'));
  assert.ok(inboxReads.every((r) => new URL(r.url).searchParams.get('limit') === String(PAGE_SIZE)),
    'never more than a page at a time');
  await screenshot(page, 'console-inbox');

  await page.click('#load-more');
  await until(async () => (await rowIds(page)).length > PAGE_SIZE, 'the second page');
  const all = await rowIds(page);
  const total = BULK + 3; // the drafts, the widget conversation, the XSS ticket and the refund
  assert.equal(all.length, total);
  assert.equal(new Set(all).size, total, 'no row twice');
  assert.equal(await page.locator('#load-more').isHidden(), true, 'no more pages');
  const more = requests.find((r) => r.url.includes('/api/v1/inbox') && r.url.includes('cursor='));
  assert.ok(more, 'load more asks for the next page by cursor');
  assert.deepEqual(errors, []);
  await context.close();
});

test('filters: lane, tier and intent are asked of the server', async () => {
  const { context, page, errors, requests } = await openConsole();
  const inboxQuery = () => new URL(requests.filter((r) => r.url.includes('/api/v1/inbox')).at(-1).url).searchParams;

  await page.locator('#lane-filter [data-lane=escalate]').click();
  await until(async () => (await rowIds(page)).length === 3, 'only the escalated conversations');
  assert.equal(inboxQuery().get('lane'), 'escalate');
  for (const lane of await page.$$eval('#inbox-list .row .lane', (els) => els.map((e) => e.textContent))) {
    assert.equal(lane, 'Escalated');
  }

  await page.locator('#lane-filter [data-lane=assist]').click();
  await until(async () => (await page.locator('#inbox-list .row .lane.escalate').count()) === 0
    && (await rows(page).count()) === PAGE_SIZE, 'only drafts waiting for approval');
  await page.selectOption('#tier-filter', 'pro');
  await until(async () => (await rows(page).count()) === BULK / 3, 'the Pro customers\' drafts');
  assert.equal(inboxQuery().get('tier'), 'pro');
  assert.equal(inboxQuery().get('lane'), 'assist');
  for (const tier of await page.$$eval('#inbox-list .row .tier', (els) => els.map((e) => e.textContent))) {
    assert.equal(tier, 'Pro');
  }

  await page.locator('#lane-filter [data-lane=""]').click();
  await page.selectOption('#tier-filter', '');
  await page.fill('#intent-filter', 'refund_request');
  await page.press('#intent-filter', 'Enter');
  await until(async () => JSON.stringify(await rowIds(page)) === JSON.stringify([seeded.refund]),
    'only the refund');
  assert.equal(inboxQuery().get('intent'), 'refund_request');

  await page.fill('#intent-filter', 'no_such_intent');
  await page.press('#intent-filter', 'Enter');
  await page.locator('#inbox-empty', { hasText: 'No open conversation matches' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the conversation shows the page, the reasons, the customer, the struggle and the draft', async () => {
  const { context, page, errors } = await openConsole();
  await openConversation(page, seeded.refund);
  const side = page.locator('#conversation .details');
  const text = async (loc) => (await loc.textContent()).replace(/\s+/g, ' ');
  // The side panel's sections are regions named by their headings.
  const panel = (name) => side.getByRole('region', { name });

  const transcript = await text(page.locator('#conversation .transcript'));
  assert.match(transcript, /I was charged twice, I want my money back/);
  const pagePanel = await text(panel(/^Page and UI state/));
  assert.match(pagePanel, /\/settings\/billing/);
  assert.match(pagePanel, /invoices_export is disabled — needs the Enterprise plan/);
  assert.match(pagePanel, /Payment failed: your card was declined/);
  assert.match(pagePanel, /402 ?\/api\/billing\/retry/);
  const ai = await text(panel(/^Why the AI/));
  assert.match(ai, /Refund request/);
  assert.match(ai, /\d+% confident/);
  assert.match(ai, /This kind of request always goes to a person|Mentions a high-stakes topic/);
  assert.doesNotMatch(ai, /HIGH_STAKES_KEYWORD|HUMAN_ONLY_INTENT/, 'reason codes read as words');
  const customer = await text(panel(/^Customer$/));
  assert.match(customer, /Ann Lee/);
  assert.match(customer, /ann@example\.com/);
  assert.match(customer, /Pro plan/);
  assert.match(customer, /Churn risk/);
  const history = await text(panel(/^Customer details and history$/));
  assert.match(history, /u-42/);
  assert.match(history, /Cancel plan.*Resolved/, 'her other conversation is listed');
  const similar = panel(/^Similar resolved conversations/);
  await similar.waitFor({ timeout: WAIT_MS }); // read after the ticket itself
  assert.match(await text(similar), /Billed twice in March.*Raj Patel/);
  const articles = await text(panel(/^Suggested articles/));
  assert.match(articles, /charge/i);
  assert.ok(await side.locator('.snippet mark').count() > 0, 'snippets show their highlights');
  const t = await ticket(seeded.refund);
  const decision = t.decisions.at(-1);
  assert.ok(decision.reasons.includes('HIGH_STAKES_KEYWORD'), decision.reasons.join());
  assert.match(ai, new RegExp(`Mentions a high-stakes topic: ${decision.signals.high_stakes.join(', ')}`),
    'the reason names what triggered it');
  assert.equal(await side.locator('.reasons li').count(), decision.reasons.length, 'every reason shown');
  assert.equal(t.draft.status, 'pending');
  const draft = await text(page.locator('#conversation .draft'));
  assert.match(draft, /AI draft/);
  assert.ok(draft.includes(t.draft.body.split('\n')[0]), 'the draft text is shown');
  await screenshot(page, 'console-conversation');

  // The widget conversation's struggle timeline.
  await openConversation(page, seeded.widget);
  const timeline = await text(panel(/^Struggle timeline/));
  assert.match(timeline, /Rage click/);
  assert.match(timeline, /×6/);
  assert.match(timeline, /on button#export/);
  assert.match(timeline, /Request failed.*POST 500/);
  assert.match(timeline, /Click with no response/);
  assert.match(await text(panel(/^Why the AI/)),
    /The widget saw the customer struggle on this page/);
  await screenshot(page, 'console-conversation-widget');
  assert.deepEqual(errors, []);
  await context.close();
});

test('approve, edit, reply, reassign and resolve all go through the API', async () => {
  const agent = await api('POST', '/agents', { name: 'Rita Ortiz', email: 'rita@example.com', role: 'agent' });
  const { context, page, errors, quiet } = await openConsole();
  const [approveId, editId, resolveId] = seeded.bulk;

  // Approve: the draft is sent as it is.
  await openConversation(page, approveId);
  const pending = (await ticket(approveId)).draft;
  await page.locator('#conversation .draft button', { hasText: 'Approve and send' }).click();
  await page.locator('#conversation .draft').waitFor({ state: 'hidden', timeout: WAIT_MS });
  const approved = await ticket(approveId);
  assert.equal(approved.draft.status, 'approved');
  assert.equal(approved.messages.at(-1).body, pending.body);
  assert.match(await page.locator('#conversation .transcript .msg').last().textContent(), /dark mode|idea/i);

  // Edit: the agent's text replaces the draft's.
  await openConversation(page, editId);
  await page.locator('#conversation .draft button', { hasText: 'Edit' }).click();
  const editor = page.locator('#conversation .draft-editor');
  await editor.fill('Thanks for the idea! Dark mode is on our roadmap; I have added your vote.');
  await page.locator('#conversation .draft button', { hasText: 'Send edited draft' }).click();
  await page.locator('#conversation .draft').waitFor({ state: 'hidden', timeout: WAIT_MS });
  const edited = await ticket(editId);
  assert.equal(edited.draft.status, 'edited');
  assert.equal(edited.messages.at(-1).body,
    'Thanks for the idea! Dark mode is on our roadmap; I have added your vote.');

  // Reply with the keyboard: r, type, Ctrl+Enter.
  await openConversation(page, seeded.refund);
  await page.locator('#inbox-list').focus();
  await page.keyboard.press('r');
  assert.equal(await page.evaluate(() => document.activeElement.id), `reply-${seeded.refund}`);
  await page.keyboard.type('Sorry about the double charge, Ann. I have refunded the second one.');
  await page.keyboard.press('Control+Enter');
  await page.locator('#conversation .msg.agent', { hasText: 'refunded the second one' }).waitFor({ timeout: WAIT_MS });
  const replied = await ticket(seeded.refund);
  assert.equal(replied.messages.at(-1).author, 'agent');
  assert.equal(replied.messages.at(-1).body, 'Sorry about the double charge, Ann. I have refunded the second one.');
  // The reply may reach the transcript over the live connection before the POST's answer,
  // which is what empties the box (a failed send keeps the text).
  await until(async () => (await page.locator(`#reply-${seeded.refund}`).inputValue()) === '',
    'the reply box to be emptied');

  // Reassign to the new agent (the agents list is read at sign-in, so sign in again).
  await quiet();
  await page.reload();
  await page.locator('#conversation .conv-head').waitFor({ timeout: WAIT_MS });
  await page.locator('#conversation select.assign').selectOption(String(agent.agent.id));
  await until(async () => (await ticket(seeded.refund)).assignee?.id === agent.agent.id, 'the assignment');
  await until(async () => (await page.locator(`#row-${seeded.refund} .assignee`).count()) === 1,
    'the assignee in the inbox row');

  // Resolve with a category and an article: the conversation leaves the inbox.
  await openConversation(page, resolveId);
  await page.locator('#conversation .conv-actions button', { hasText: 'Resolve' }).click();
  const form = page.locator('#conversation .resolve-form');
  await form.waitFor();
  assert.equal(await form.locator('input').inputValue(), 'feature_request', 'the AI intent is the default');
  await form.locator('input').fill('feature_request');
  const articleOption = await form.locator('select option').nth(1).getAttribute('value');
  await form.locator('select').selectOption(articleOption);
  const place = (await rowIds(page)).indexOf(resolveId);
  await form.locator('button[type=submit]').click();
  await page.locator(`#row-${resolveId}`).waitFor({ state: 'detached', timeout: WAIT_MS });
  // The agent goes on with the conversation that took its place.
  const nextId = (await rowIds(page))[place];
  await until(() => page.evaluate((id) => location.hash === `#/conversations/${id}`, nextId),
    'the next conversation opens');
  const resolved = await ticket(resolveId);
  assert.equal(resolved.status, 'resolved');
  assert.equal(resolved.resolution.category, 'feature_request');
  assert.equal(resolved.resolution.article_id, Number(articleOption));
  const inbox = await api('GET', '/inbox?limit=200');
  assert.ok(!inbox.items.some((t) => t.id === resolveId), 'gone from the inbox');
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard: j/k and arrows move, Enter opens, r replies, Esc returns, ? lists shortcuts', async () => {
  const { context, page, errors } = await openConsole();
  const ids = await rowIds(page);
  const selected = () => page.$eval('#inbox-list', (l) => l.getAttribute('aria-activedescendant'));
  await page.locator('#inbox-list').focus();
  assert.equal(await selected(), `row-${ids[0]}`);
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  assert.equal(await selected(), `row-${ids[2]}`);
  await page.keyboard.press('k');
  assert.equal(await selected(), `row-${ids[1]}`);
  await page.keyboard.press('ArrowDown');
  assert.equal(await selected(), `row-${ids[2]}`);
  await page.keyboard.press('ArrowUp');
  assert.equal(await selected(), `row-${ids[1]}`);
  await page.keyboard.press('Enter');
  await until(() => page.evaluate((id) => location.hash === `#/conversations/${id}`, ids[1]), 'Enter opens');
  await page.locator('#conversation .conv-head').waitFor();
  assert.equal(await page.locator(`#row-${ids[1]}`).getAttribute('aria-current'), 'true');

  await page.keyboard.press('r');
  assert.equal(await page.evaluate(() => document.activeElement.id), `reply-${ids[1]}`);
  await page.keyboard.type('jk');
  assert.equal(await page.locator(`#reply-${ids[1]}`).inputValue(), 'jk', 'letters in the reply are text');
  assert.equal(await selected(), `row-${ids[1]}`);
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'inbox-list');
  // A visible focus ring on the selected row.
  const ring = await page.$eval(`#row-${ids[1]}`, (el) => getComputedStyle(el).boxShadow);
  assert.notEqual(ring, 'none');

  await page.keyboard.press('?');
  await page.locator('#shortcuts[open]').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('#shortcuts[open]').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('XSS: payloads in the text, subject, name and page render as inert, literal text', async () => {
  const { context, page, errors } = await openConsole({ hash: `#/conversations/${seeded.xss}` });
  await page.locator('#conversation .conv-head').waitFor({ timeout: WAIT_MS });
  await page.waitForTimeout(500);
  assert.equal(await xssRan(page), false);
  assert.equal(await page.locator('#conv-title').textContent(), XSS.subject);
  assert.match(await page.locator('#conversation .transcript').textContent(), new RegExp(XSS.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.ok((await page.locator('#conversation .details').textContent()).includes(XSS.name));
  assert.ok((await page.locator('#conversation .details').textContent()).includes(XSS.banner));
  assert.ok((await page.locator(`#row-${seeded.xss}`).textContent()).includes(XSS.name));
  assert.ok((await page.locator(`#row-${seeded.xss}`).textContent()).includes(XSS.subject));
  assert.equal(await page.locator('#app img, #app svg, #app script, #app iframe, #app details, #app style, #app a[href^="javascript"]').count(), 0, 'no element from a payload');
  await page.locator('#conversation .transcript .msg').first().hover(); // mouseover payloads
  assert.equal(await xssRan(page), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('live: a new escalation and a customer follow-up appear without a reload, typing survives', async () => {
  const { context, page, errors } = await openConsole();
  await openConversation(page, seeded.widget);
  const box = page.locator(`#reply-${seeded.widget}`);
  await box.fill('Half-written answer');

  const urgent = await createTicket({
    text: 'I was charged twice, I want my money back', subject: 'Enterprise double charge',
    customer: { email: 'cfo@bigco.example', name: 'Dana Big', plan: 'enterprise' },
  });
  await page.locator(`#row-${urgent.id}`).waitFor({ timeout: WAIT_MS });
  assert.equal((await rowIds(page))[0], urgent.id, 'an enterprise refund goes to the top');

  await api('POST', '/widget/messages', {
    text: 'hello? is anyone looking at this?', conversation_id: seeded.widget,
  }, { token: seeded.widgetSession, origin: ctx.server.base });
  await page.locator('#conversation .msg.customer', { hasText: 'is anyone looking at this' })
    .waitFor({ timeout: WAIT_MS });
  assert.equal(await box.inputValue(), 'Half-written answer', 'a refresh keeps the reply being typed');
  assert.deepEqual(errors, []);
  await context.close();
});
