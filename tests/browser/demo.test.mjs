// Browser suite: real Chromium against a real `pagewise serve` on a free loopback port.
// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchForErrors, screenshot, useServerAndBrowser } from './chromium.mjs';

const ctx = useServerAndBrowser();

test('the landing page loads with no console errors and shows live health', async () => {
  const page = await ctx.browser.newPage();
  const errors = watchForErrors(page);
  await page.goto(`${ctx.server.base}/`);
  await page.waitForFunction(() => /^ok,/.test(document.getElementById('health').textContent));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the demo app boots the widget from its one script tag', async () => {
  const page = await ctx.browser.newPage();
  const errors = watchForErrors(page);
  await page.goto(`${ctx.server.base}/demo/`);
  await page.waitForFunction(() => document.documentElement.dataset.pagewise === 'ready');
  assert.equal(await page.textContent('#widget-state'), 'ready');
  assert.match(await page.evaluate(() => window.Pagewise.version), /^\d+\.\d+\.\d+$/);
  // The launcher lives in the widget's shadow root, reachable by keyboard.
  assert.equal(await page.locator('.launcher').getAttribute('aria-label'), 'Open help');
  const host = page.locator('[data-pagewise=widget]');
  assert.equal(await host.evaluate((el) => el.shadowRoot.mode), 'open');
  await screenshot(page, 'demo');
  assert.deepEqual(errors, []);
  await page.close();
});
