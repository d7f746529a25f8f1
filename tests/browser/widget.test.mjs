// Browser suite for the widget: real Chromium on the Acme Projects demo, served with the built
// widget by a real `pagewise serve`. Struggle on purpose (rage clicks on a dead button, a click on
// a plan-locked Export, a form that fails, a script that throws) must bring exactly one nudge of
// the right kind; a normal walk through every page none. No input value may ever leave the page
// through the widget, and a question typed in the panel gets the server's AI answer.
// Each test opens its own browser context: its own storage, so its own demo user and session.
// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchForErrors, screenshot, until, useServerAndBrowser } from './chromium.mjs';
import { escalate, rateFive, widgetPolls } from './panel.mjs';
import { XSS_PAYLOADS, xssRan } from './xss.mjs';

const SECRET = 'SECRET-VALUE-123';
const ADMIN = 'browser-widget-admin-token-01';
const WAIT_MS = 20000; // generous: for an element or request that is expected to come
const STRUGGLE_KINDS = ['rage_click', 'dead_click', 'error_click', 'repeated_failure', 'page_loop',
  'form_abandon'];

const ctx = useServerAndBrowser({ env: { PAGEWISE_ADMIN_TOKEN: ADMIN } });

// The demo in a fresh context, with the host's hooks recording the widget's nudge and message
// events (registered through the queue before the widget loads, as a host would).
async function openDemo(route, { plan = 'free', reducedMotion, init } = {}) {
  const context = await ctx.browser.newContext(reducedMotion ? { reducedMotion } : {});
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  const errors = watchForErrors(page);
  const requests = [];
  page.on('request', (r) => {
    requests.push({ method: r.method(), url: r.url(), body: r.postData() || '' });
  });
  await page.addInitScript((p) => {
    localStorage.setItem('acme-plan', p);
    window.__pw = { nudges: [], messages: [] };
    window.Pagewise = function Pagewise(...args) {
      (window.Pagewise.q = window.Pagewise.q || []).push(args);
    };
    window.Pagewise('on', 'nudge', (n) => window.__pw.nudges.push(n));
    window.Pagewise('on', 'message', (m) => window.__pw.messages.push(m));
  }, plan);
  await page.goto(`${ctx.server.base}/demo/#${route}`);
  await page.waitForFunction(() => document.documentElement.dataset.pagewise === 'ready', null,
    { timeout: WAIT_MS });
  return { context, page, errors, requests };
}

const nudges = (page) => page.evaluate(() => window.__pw.nudges);

// The events the widget sent so far: in batches to /widget/events, or with a message (the
// events not sent yet go with it, as its `struggle`).
function postedEvents(requests) {
  const sent = /\/api\/v1\/widget\/(events|messages)$/;
  return requests.filter((r) => r.method === 'POST' && sent.test(r.url))
    .flatMap((r) => {
      const body = JSON.parse(r.body);
      return body.events || body.struggle || [];
    });
}

function waitForEvent(requests, kind, ms = WAIT_MS) {
  return until(() => postedEvents(requests).find((e) => e.kind === kind),
    `a posted ${kind} event`, ms);
}

// A plain mouse click at the element's centre: disabled buttons get no Playwright click.
async function mouseClick(page, selector) {
  const box = await page.locator(selector).boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

async function navigate(page, label) {
  await page.locator('.nav a', { hasText: label }).click();
  await page.locator('[data-view]:not([hidden]) h1', { hasText: label }).waitFor();
}

const bubble = (page) => page.locator('.bubble:not([hidden])');

test('rage clicks on a dead button bring exactly one nudge', async () => {
  const { context, page, errors, requests } = await openDemo('/projects');
  for (let i = 0; i < 5; i++) await mouseClick(page, '#sync-now');
  await bubble(page).waitFor({ timeout: WAIT_MS });
  // The same clicks are also one dead click: it comes once its 2.5 s window closed, and the
  // nudge cooldown must keep it from nudging again.
  await waitForEvent(requests, 'dead_click');
  const rage = await waitForEvent(requests, 'rage_click');
  assert.equal(rage.route, '/projects');
  assert.ok(rage.detail.count >= 3, `rage count ${rage.detail.count}`);
  const shown = await nudges(page);
  assert.equal(shown.length, 1, JSON.stringify(shown));
  assert.equal(shown[0].kind, 'HELP_FAILING_ACTION');
  assert.equal(shown[0].because, 'rage_click');
  await waitForEvent(requests, 'nudge_shown');
  assert.equal(postedEvents(requests).filter((e) => e.kind === 'nudge_shown').length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a click on the plan-locked Export explains that it needs the Starter plan', async () => {
  const { context, page, errors } = await openDemo('/reports');
  const exportButton = page.locator('#export');
  assert.equal(await exportButton.isDisabled(), true);
  assert.equal(await exportButton.getAttribute('data-pw-plan-required'), 'starter');
  await mouseClick(page, '#export');
  await bubble(page).waitFor({ timeout: WAIT_MS });
  assert.match(await bubble(page).textContent(), /Starter plan/);
  const [n] = await nudges(page);
  assert.equal(n.kind, 'EXPLAIN_DISABLED_FEATURE');
  assert.equal(n.feature, 'export');
  assert.equal(n.plan_required, 'starter');
  await screenshot(page, 'widget-nudge');

  // Accepting opens the panel with the context and this page's article for the feature.
  await bubble(page).locator('.go').click();
  await page.locator('.panel:not([hidden])').waitFor();
  assert.match(await page.locator('.context').textContent(), /Starter plan/);
  const help = page.locator('.help:not([hidden])');
  await help.waitFor({ timeout: WAIT_MS });
  assert.match(await help.textContent(), /Export a project or report/);
  assert.match(await help.textContent(), /Needs the Starter plan/);
  assert.equal(await help.locator('mark').count() > 0, true, 'the snippet shows its highlights');
  await screenshot(page, 'widget-panel-help');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a form that fails on the server brings an error-click nudge', async () => {
  const { context, page, errors, requests } = await openDemo('/settings/billing');
  await page.fill('#coupon-code', 'WELCOME50');
  await page.click('#apply-coupon');
  await page.locator('#coupon-error:not([hidden])').waitFor();
  await bubble(page).waitFor({ timeout: WAIT_MS });
  const [n] = await nudges(page);
  assert.equal(n.kind, 'HELP_FAILING_ACTION');
  assert.equal(n.because, 'error_click');
  assert.match(await bubble(page).textContent(), /could not be applied/);
  const click = await waitForEvent(requests, 'error_click');
  assert.equal(click.detail.status, 404);
  const failed = await waitForEvent(requests, 'failed_request');
  assert.deepEqual(failed.detail, { url: `${ctx.server.base}/demo/api/coupons/redeem`, status: 404,
    method: 'POST' });
  await screenshot(page, 'widget-nudge-failing-form');
  // The failing request itself is the only error the page shows.
  assert.equal(errors.length, 2, errors.join('\n'));
  for (const e of errors) assert.match(e, /404.*\/demo\/api\/coupons\/redeem|redeem.*404/s);
  assert.equal((await nudges(page)).length, 1);
  await context.close();
});

test('an action that throws brings an error-click nudge', async () => {
  const { context, page, errors } = await openDemo('/projects/8812');
  await page.click('#duplicate-project');
  await bubble(page).waitFor({ timeout: WAIT_MS });
  const [n] = await nudges(page);
  assert.equal(n.kind, 'HELP_FAILING_ACTION');
  assert.equal(n.because, 'error_click');
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0], /^pageerror: .*clone/);
  await context.close();
});

test('a normal walk through every page brings no nudge and no struggle', async () => {
  const { context, page, errors, requests } = await openDemo('/projects');
  await page.fill('#project-search', 'web');
  await page.locator('#project-list li[data-name="mobile app v2"]').waitFor({ state: 'hidden' });
  await page.fill('#project-search', '');
  await page.click('text=Website relaunch');
  await page.locator('#project-name', { hasText: 'Website relaunch' }).waitFor();
  await page.fill('#task-title', 'Call the printer');
  await page.click('text=Add task');
  await page.locator('#tasks li', { hasText: 'Call the printer' }).waitFor();
  await navigate(page, 'Reports');
  await page.click('#range-30');
  await page.click('#range-7');
  await navigate(page, 'Billing');
  await page.click('[data-plan=pro]');
  await page.locator('#plan-name', { hasText: 'Pro' }).waitFor();
  await navigate(page, 'Integrations');
  await page.click('#connect-calendar');
  await page.click('#connect-slack');
  await page.locator('#connect-slack', { hasText: 'Connected' }).waitFor();
  await navigate(page, 'Profile');
  await page.fill('#profile-name', 'Alex R.');
  await page.click('text=Save');
  await page.locator('#profile-result', { hasText: 'saved' }).waitFor();
  // "Nothing happened" can only be known once the dead-click window (2.5 s) of the last click has
  // closed: let 3.5 s of page time pass, then navigate once more and wait for that navigation to
  // be posted; every detection made before it was queued before it.
  await page.waitForTimeout(3500);
  await navigate(page, 'Projects');
  await until(() => postedEvents(requests).filter((e) => e.kind === 'navigation'
    && e.route === '/projects').length === 2, 'the last navigation posted');
  const kinds = postedEvents(requests).map((e) => e.kind);
  assert.deepEqual(kinds.filter((k) => STRUGGLE_KINDS.includes(k) || k.startsWith('nudge')), []);
  assert.deepEqual(await nudges(page), []);
  assert.equal(await bubble(page).count(), 0);
  const routes = postedEvents(requests).filter((e) => e.kind === 'navigation').map((e) => e.route);
  assert.deepEqual(routes, ['/projects', '/projects/:id', '/reports', '/settings/billing',
    '/settings/integrations', '/settings/profile', '/projects']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('no input value ever leaves the page through the widget', async () => {
  const { context, page, errors, requests } = await openDemo('/projects');
  // Every field on every page gets the value, and every form is sent.
  const fillAll = async () => {
    const fields = page.locator('main [data-view]:not([hidden]) input');
    const n = await fields.count();
    for (let i = 0; i < n; i++) await fields.nth(i).fill(SECRET);
    return n;
  };
  await page.click('text=Website relaunch');
  assert.equal(await fillAll(), 1);
  await page.click('text=Add task');
  await page.locator('#tasks li', { hasText: SECRET }).waitFor();
  await navigate(page, 'Reports');
  await navigate(page, 'Integrations');
  await navigate(page, 'Billing');
  assert.equal(await fillAll(), 1);
  await page.click('#apply-coupon');
  await page.locator('#coupon-error:not([hidden])').waitFor();
  await navigate(page, 'Profile');
  assert.equal(await fillAll(), 2);
  await page.click('text=Save'); // the email field refuses the value: an invalid form
  await navigate(page, 'Projects');
  assert.equal(await fillAll(), 1);
  // A message carries the page context, the events what capture saw.
  await page.locator('.launcher').click();
  await page.locator('#pw-text').fill('How do I add a task to a project?');
  await page.keyboard.press('Enter');
  await until(() => requests.some((r) => r.url.endsWith('/widget/messages')), 'a message');
  await page.locator('.log li:not(.customer):not(.empty)').first().waitFor({ timeout: WAIT_MS });
  await waitForEvent(requests, 'failed_request');
  const leaks = requests.filter((r) => r.url.includes(SECRET) || r.body.includes(SECRET));
  // The host's own coupon request carries the code, as it must; nothing else may.
  assert.deepEqual(leaks.map((r) => `${r.method} ${new URL(r.url).pathname}`),
    ['POST /demo/api/coupons/redeem']);
  const widgetBodies = requests.filter((r) => r.body
    && new URL(r.url).pathname.startsWith('/api/v1/'));
  assert.ok(widgetBodies.length >= 3, 'the widget sent bodies to inspect');
  assert.equal(errors.filter((e) => !/coupons\/redeem/.test(e)).length, 0, errors.join('\n'));
  await context.close();
});

test('a question typed in the panel gets the AI answer, and page-aware help while typing',
  async () => {
  const { context, page, errors } = await openDemo('/reports', { reducedMotion: 'reduce' });
  // Keyboard only: the launcher opens the dialog and focus goes to the textarea.
  await page.locator('.launcher').focus();
  await page.keyboard.press('Enter');
  await page.locator('.panel:not([hidden])').waitFor();
  const focused = () => page.evaluate(() => {
    const host = document.activeElement;
    return host && host.shadowRoot && host.shadowRoot.activeElement
      ? host.shadowRoot.activeElement.id || host.shadowRoot.activeElement.className
        || host.shadowRoot.activeElement.localName : '';
  });
  assert.equal(await focused(), 'pw-text');
  assert.equal(await page.locator('.launcher').getAttribute('aria-expanded'), 'true');
  const animation = await page.evaluate(() => getComputedStyle(document
    .querySelector('[data-pagewise=widget]').shadowRoot.querySelector('.panel')).animationName);
  assert.equal(animation, 'none', 'reduced motion: no animation');
  await page.keyboard.type("why can't I export to PDF", { delay: 20 });
  // Help follows the words as they are typed: "why can't I" alone may show another article
  // first (a permissions question), so wait for the help of the whole question.
  const help = page.locator('.help:not([hidden])', { hasText: 'Export a project or report' });
  await help.waitFor({ timeout: WAIT_MS });
  assert.match(await help.textContent(), /Needs the Starter plan/);
  await page.keyboard.press('Enter');
  const reply = page.locator('.log li.ai');
  await reply.waitFor({ timeout: WAIT_MS });
  assert.match(await reply.textContent(), /Starter plan/);
  assert.equal(await page.locator('.log').getAttribute('aria-live'), 'polite');
  const messages = await page.evaluate(() => window.__pw.messages);
  assert.deepEqual(messages.map((m) => m.author), ['customer', 'ai']);
  assert.equal(messages[1].article.slug, 'export-projects-and-reports');
  await screenshot(page, 'widget-panel');
  // Tab stays inside the dialog; Escape closes it and focus goes back to the launcher.
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    assert.notEqual(await focused(), '', 'focus left the dialog');
  }
  await page.keyboard.press('Escape');
  await page.locator('.panel').waitFor({ state: 'hidden' });
  assert.equal(await focused(), 'launcher');
  assert.deepEqual(errors, []);
  await context.close();
});

// Escalates a refund request from the open panel; returns the conversation id.
async function escalateFromPanel(page) {
  await page.locator('.launcher').click();
  return escalate(page, 'I was charged twice this month and I want a refund of the second charge',
    WAIT_MS);
}

function agentReply(id, body) {
  return fetch(`${ctx.server.base}/api/v1/tickets/${id}/reply`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ body }),
  });
}


test('an agent reply and their typing reach the open panel at once, over the live connection',
  async (t) => {
  const { context, page, errors, requests } = await openDemo('/settings/billing');
  const id = await escalateFromPanel(page);
  // The agent, as the console does it: signed in on the live endpoint, watching the conversation.
  const agent = new WebSocket(`${ctx.server.base.replace('http', 'ws')}/api/v1/live`);
  await new Promise((resolve, reject) => { agent.onopen = resolve; agent.onerror = reject; });
  const ready = new Promise((resolve) => { agent.onmessage = (e) => { if (JSON.parse(e.data).type === 'ready') resolve(); }; });
  agent.send(JSON.stringify({ type: 'auth', token: ADMIN }));
  await ready;
  agent.send(JSON.stringify({ type: 'watch', conversation_id: id }));
  // Typing is ephemeral (not stored): until the page's own connection watches too, it is lost,
  // so the agent keeps typing until the panel shows it. From then on the page is live.
  const typing = page.locator('.status', { hasText: 'Admin is typing' });
  await until(async () => {
    agent.send(JSON.stringify({ type: 'typing', conversation_id: id, typing: true }));
    return typing.isVisible();
  }, 'the agent typing in the panel');
  const before = widgetPolls(requests).length;
  const sentAt = Date.now();
  const res = await agentReply(id, 'Sorry about that: the second charge is refunded.');
  assert.equal(res.status, 201);
  await page.locator('.log li.agent', { hasText: 'second charge is refunded' })
    .waitFor({ timeout: WAIT_MS });
  t.diagnostic(`agent reply shown ${Date.now() - sentAt} ms after it was posted`);
  assert.equal(widgetPolls(requests).length, before, 'it came over the live connection, not a poll');
  const messages = await page.evaluate(() => window.__pw.messages);
  assert.deepEqual(messages.map((m) => m.author), ['customer', 'system', 'agent']);
  // The agent resolves: the panel asks for a rating at once, and the rating is recorded.
  const resolved = await fetch(`${ctx.server.base}/api/v1/tickets/${id}/resolve`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ category: 'billing' }),
  });
  assert.equal(resolved.status, 200);
  await rateFive(page, 'widget-panel-rating', WAIT_MS);
  await screenshot(page, 'widget-panel-agent-reply');
  const ticket = await (await fetch(`${ctx.server.base}/api/v1/tickets/${id}`,
    { headers: { Authorization: `Bearer ${ADMIN}` } })).json();
  assert.equal(ticket.status, 'resolved');
  assert.equal(ticket.csat.score, 5);
  assert.equal(widgetPolls(requests).length, before, 'still no poll: all of it came live');
  agent.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('agent replies and the customer\'s own text are shown as text, never as markup', async () => {
  const { context, page, errors } = await openDemo('/settings/billing');
  const id = await escalateFromPanel(page);
  for (const payload of XSS_PAYLOADS) {
    assert.equal((await agentReply(id, `Agent says ${payload}`)).status, 201);
  }
  await page.locator('#pw-text').fill(`me too ${XSS_PAYLOADS[0]}`);
  await page.keyboard.press('Enter');
  await until(async () => (await page.locator('.log li.agent').count()) === XSS_PAYLOADS.length,
    'every agent reply in the panel');
  const shown = await page.locator('.log li.agent').allTextContents();
  for (const payload of XSS_PAYLOADS) {
    assert.ok(shown.some((t) => t.includes(`Agent says ${payload}`)), `literal: ${payload}`);
  }
  await page.locator('.log li.customer', { hasText: 'me too <img' }).waitFor({ timeout: WAIT_MS });
  await page.locator('.log li.agent').last().hover();
  assert.equal(await xssRan(page), false);
  const injected = await page.evaluate(() => document.querySelector('[data-pagewise=widget]')
    .shadowRoot.querySelectorAll('.log img, .log script, .log svg, .log iframe, .log a, .log details, .log style').length);
  assert.equal(injected, 0, 'no element came from a message');
  assert.deepEqual(errors, []);
  await context.close();
});

test('without WebSocket the panel polls, and the agent reply still arrives once', async () => {
  const { context, page, errors, requests } = await openDemo('/settings/billing', {
    init: () => { delete window.WebSocket; },
  });
  const id = await escalateFromPanel(page);
  const res = await agentReply(id, 'Sorry about that: the second charge is refunded.');
  assert.equal(res.status, 201);
  await page.locator('.log li.agent', { hasText: 'second charge is refunded' })
    .waitFor({ timeout: WAIT_MS });
  assert.ok(widgetPolls(requests).length > 0, 'it came by polling');
  await page.waitForTimeout(3500); // another poll: still shown once
  assert.equal(await page.locator('.log li.agent').count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

// The answer to the customer's message names it and the AI's reply, whose ids are past the
// agent's reply posted a moment before: the panel must still ask for what followed the last
// message it was sent in a list, or the agent's reply is skipped for good.
test('an agent reply posted just before the customer writes again still reaches the panel', async () => {
  const { context, page, errors, requests } = await openDemo('/settings/billing', {
    init: () => { delete window.WebSocket; }, // polling: the next poll comes after the send
  });
  const id = await escalateFromPanel(page);
  assert.equal((await agentReply(id, 'Checking both charges now.')).status, 201);
  await page.locator('#pw-text').fill('It was on the 3rd, both of them');
  await page.keyboard.press('Enter');
  await page.locator('.log li.customer', { hasText: 'on the 3rd' }).waitFor({ timeout: WAIT_MS });
  await until(() => requests.some((r) => r.method === 'POST' && r.url.endsWith('/widget/messages')
    && r.body.includes('on the 3rd')), 'the second message to be posted');
  const sentAt = requests.findIndex((r) => r.body.includes('on the 3rd'));
  assert.equal(widgetPolls(requests.slice(0, sentAt)).length, 0,
    'the customer wrote before the panel polled for the agent reply');
  await page.locator('.log li.agent', { hasText: 'Checking both charges now' })
    .waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('.log li.agent').count(), 1);
  // Each message's idempotency key grows with time, so the server's index of them is appended
  // to rather than written at a random place for every message.
  const ids = requests.filter((r) => r.method === 'POST' && r.url.endsWith('/widget/messages'))
    .map((r) => JSON.parse(r.body).client_id);
  assert.equal(ids.length, 2);
  for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
  assert.ok(ids[0] < ids[1], `${ids[0]} < ${ids[1]}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a message written offline goes out once, when the browser is back online', async () => {
  const { context, page, errors, requests } = await openDemo('/reports');
  await page.locator('.launcher').click();
  await context.setOffline(true);
  // The page hears of it a moment later; a message sent before that would still go out online.
  await page.waitForFunction(() => navigator.onLine === false, null, { timeout: WAIT_MS });
  await page.locator('#pw-text').fill("why can't I export to PDF");
  await page.keyboard.press('Enter');
  await page.locator('.status', { hasText: 'offline' }).waitFor({ timeout: WAIT_MS })
    .catch(async (err) => { // say what the panel showed instead, and whether the message left
      const shown = await page.locator('.status').textContent().catch(() => '?');
      const posts = requests.filter((r) => r.url.endsWith('/api/v1/widget/messages')).length;
      throw new Error(`${err.message}\nstatus: ${JSON.stringify(shown)}; message posts: ${posts}; `
        + `errors: ${JSON.stringify(errors)}`);
    });
  await context.setOffline(false);
  const reply = page.locator('.log li.ai');
  await reply.waitFor({ timeout: WAIT_MS });
  assert.match(await reply.textContent(), /Starter plan/);
  const messages = await page.evaluate(() => window.__pw.messages);
  const ticket = await (await fetch(`${ctx.server.base}/api/v1/tickets/${messages[1].conversation_id}`,
    { headers: { Authorization: `Bearer ${ADMIN}` } })).json();
  const sent = ticket.messages.filter((m) => m.author === 'customer');
  assert.equal(sent.length, 1, 'the retries posted the message once');
  // Offline, requests fail: those are the widget's own, and nothing else went wrong.
  for (const e of errors) {
    assert.match(e, /^(requestfailed: |console: Failed to load resource: net::ERR_INTERNET_DISC)/);
    assert.match(e, /\/api\/v1\//);
  }
  await context.close();
});

test('the JS API: track, show, hide, a quiet page, shutdown and a second boot', async () => {
  const { context, page, errors, requests } = await openDemo('/projects');
  const tracked = await page.evaluate(() => new Promise((resolve) => {
    window.Pagewise('on', 'track', resolve);
    window.Pagewise('track', 'invited_teammate', { count: 2 });
  }));
  assert.deepEqual([tracked.name, tracked.data], ['invited_teammate', { count: 2 }]);
  await page.evaluate(() => window.Pagewise('show'));
  await page.locator('.panel:not([hidden])').waitFor();
  await page.evaluate(() => window.Pagewise('hide'));
  await page.locator('.panel').waitFor({ state: 'hidden' });

  // On a page the host marks quiet, struggle is still reported but never nudged about (a rage
  // click would nudge at once, long before its event is posted).
  await page.evaluate(() => window.Pagewise('update', { page: { quiet: true } }));
  for (let i = 0; i < 5; i++) await mouseClick(page, '#sync-now');
  await waitForEvent(requests, 'rage_click');
  assert.deepEqual(await nudges(page), []);

  // Shutdown takes the widget off the page; the host's fetch and history still work.
  await page.evaluate(() => window.Pagewise('shutdown'));
  await page.waitForFunction(() => !document.querySelector('[data-pagewise=widget]')
    && !document.documentElement.hasAttribute('data-pagewise'));
  assert.equal(await page.evaluate(() => fetch('/demo/api/ping').then((r) => r.status)), 404);
  await navigate(page, 'Reports');

  await page.evaluate(() => window.Pagewise('boot',
    { appId: 'pk_demo_acme', basePath: '/demo', user: { plan: 'pro' } }));
  await page.waitForFunction(() => document.documentElement.dataset.pagewise === 'ready');
  await page.locator('.launcher').waitFor();
  const boots = requests.filter((r) => r.url.endsWith('/api/v1/widget/boot'));
  assert.equal(boots.length, 2);
  assert.deepEqual(JSON.parse(boots[1].body), { app_key: 'pk_demo_acme', user: { plan: 'pro' } });
  for (const e of errors) assert.match(e, /\/demo\/api\/ping/);
  await context.close();
});
