// Browser suite: real Chromium against a real `pagewise serve` on a free loopback port.
// SPDX-License-Identifier: MIT
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../harness/server.mjs';
import { launchChromium, watchForErrors, screenshot } from './chromium.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchChromium();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('the landing page loads with no console errors and shows live health', async () => {
  const page = await browser.newPage();
  const errors = watchForErrors(page);
  await page.goto(`${server.base}/`);
  await page.waitForFunction(() => /^ok,/.test(document.getElementById('health').textContent));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the demo app boots the widget and its wasm core runs in the page', async () => {
  const page = await browser.newPage();
  const errors = watchForErrors(page);
  await page.goto(`${server.base}/demo/`);
  await page.waitForFunction(() => document.documentElement.dataset.pagewise === 'ready');
  assert.match(await page.textContent('#widget-state'), /^ready/);
  assert.equal(await page.textContent('#normalized'), 'ich kann mich nicht anmelden - "fehler"');
  await page.fill('#probe', 'Ünïcödé  SPACES');
  assert.equal(await page.textContent('#normalized'), 'unicode spaces');
  await screenshot(page, 'demo');
  assert.deepEqual(errors, []);
  await page.close();
});
