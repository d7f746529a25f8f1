// The whole loop in two browsers at once, as a customer and an agent live it: a high-stakes
// question in the widget on the demo app is escalated; the console shows it with the page the
// customer was on and the AI's reasons; the customer's typing shows in the console, the agent's
// in the widget; the agent's reply appears in the widget pushed over the live connection (no
// poll); the agent resolves; the widget asks for a rating, and the rating is recorded.
// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchForErrors, screenshot, until, useServerAndBrowser } from './chromium.mjs';
import { escalate, rateFive, widgetPolls } from './panel.mjs';

const ADMIN = 'browser-loop-admin-token-0001';
const WAIT_MS = 20000;

const ctx = useServerAndBrowser({ env: { PAGEWISE_ADMIN_TOKEN: ADMIN } });

async function customerOnBilling() {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  const errors = watchForErrors(page);
  const requests = [];
  page.on('request', (r) => requests.push({ method: r.method(), url: r.url() }));
  await page.addInitScript(() => localStorage.setItem('acme-plan', 'pro'));
  await page.goto(`${ctx.server.base}/demo/#/settings/billing`);
  await page.waitForFunction(() => document.documentElement.dataset.pagewise === 'ready', null,
    { timeout: WAIT_MS });
  return { context, page, errors, requests };
}

async function agentConsole() {
  const context = await ctx.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto(`${ctx.server.base}/console/`);
  await page.fill('#token', ADMIN);
  await page.click('#signin-submit');
  await page.locator('#app').waitFor({ timeout: WAIT_MS });
  return { context, page, errors };
}


test('escalated in the widget, answered in the console, rated in the widget', async (t) => {
  const agent = await agentConsole();
  await agent.page.locator('#sync', { hasText: 'Live' }).waitFor({ timeout: WAIT_MS });
  const customer = await customerOnBilling();
  const widget = customer.page;

  // The customer asks; the AI hands it to a person and says so.
  await widget.locator('.launcher').click();
  const id = await escalate(widget, 'I was charged twice this month and I want my money back',
    WAIT_MS);

  // It reaches the open console without a reload, with where the customer was and why.
  const row = agent.page.locator(`#row-${id}`);
  await row.waitFor({ timeout: WAIT_MS });
  await row.click();
  const pane = agent.page.locator('#conversation');
  await pane.locator('.conv-head').waitFor({ timeout: WAIT_MS });
  const side = await pane.locator('.details').textContent();
  assert.match(side, /\/settings\/billing/, 'the page the customer was on');
  assert.ok((await pane.locator('.details .reasons li').count()) >= 1, 'the AI said why');
  assert.match(await pane.locator('.transcript').textContent(), /charged twice/);

  // Each side sees the other typing.
  const typingInWidget = widget.locator('.status', { hasText: 'is typing' });
  const box = agent.page.locator(`#reply-${id}`);
  await until(async () => {
    await box.fill('');
    await box.pressSequentially('Sorry', { delay: 10 });
    return typingInWidget.isVisible();
  }, 'the agent typing, in the widget');
  await until(async () => {
    await widget.locator('#pw-text').fill('');
    await widget.locator('#pw-text').pressSequentially('hello?', { delay: 10 });
    return pane.locator('.typing', { hasText: 'typing' }).isVisible();
  }, 'the customer typing, in the console');
  await widget.locator('#pw-text').fill('');

  // The agent answers: the reply is in the widget at once, pushed, not polled.
  const before = widgetPolls(customer.requests).length;
  const sentAt = Date.now();
  await box.fill('Sorry about that, the second charge is refunded: you will see it in 3 days.');
  await agent.page.keyboard.press('Control+Enter');
  await widget.locator('.log li.agent', { hasText: 'second charge is refunded' })
    .waitFor({ timeout: WAIT_MS });
  t.diagnostic(`reply in the widget ${Date.now() - sentAt} ms after the agent sent it`);
  assert.equal(widgetPolls(customer.requests).length, before, 'pushed over the live connection');
  await screenshot(agent.page, 'loop-console-conversation');

  // The agent resolves: the widget asks how it went, and the rating is recorded.
  await pane.locator('.conv-actions button', { hasText: 'Resolve' }).click();
  const form = pane.locator('.resolve-form');
  await form.waitFor();
  await form.locator('input').fill('billing');
  await form.locator('button[type=submit]').click();
  await rateFive(widget, 'loop-widget-rating', WAIT_MS);
  const ticket = await (await fetch(`${ctx.server.base}/api/v1/tickets/${id}`,
    { headers: { Authorization: `Bearer ${ADMIN}` } })).json();
  assert.equal(ticket.status, 'resolved');
  assert.equal(ticket.resolution.category, 'billing');
  assert.equal(ticket.csat.score, 5);
  assert.equal(ticket.channel, 'widget');
  assert.equal(widgetPolls(customer.requests).length, before, 'the resolution came live too');

  assert.deepEqual(customer.errors, []);
  assert.deepEqual(agent.errors, []);
  await customer.context.close();
  await agent.context.close();
});
