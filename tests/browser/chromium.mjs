// Launches Debian's Chromium through playwright-core with the flags this machine needs
// (TOOLCHAIN.md): no sandbox as root, no background networking on a closed network.
// SPDX-License-Identifier: MIT
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer } from '../harness/server.mjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.PW_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run'],
  });
}

// A real `pagewise serve` (startServer's options) and Chromium for a test file: both start side
// by side before its tests (neither needs the other), and whichever did start is stopped after
// them, even when the other failed. Tests read ctx.server and ctx.browser; a file's own before
// hook awaits ctx.ready first (Node 20 starts a file's root before hooks together, not in turn).
export function useServerAndBrowser(options) {
  const ctx = { server: null, browser: null, ready: null };
  let started;
  ctx.ready = new Promise((resolve, reject) => { started = { resolve, reject }; });
  ctx.ready.catch(() => {}); // reported by the hook below; awaiting it is optional
  before(async () => {
    const [s, b] = await Promise.allSettled([startServer(options), launchChromium()]);
    ctx.server = s.value ?? null;
    ctx.browser = b.value ?? null;
    const failed = [s, b].find((r) => r.status === 'rejected');
    if (failed) {
      started.reject(failed.reason);
      throw failed.reason;
    }
    started.resolve(ctx);
  });
  after(() => Promise.all([ctx.browser?.close(), ctx.server?.stop()]));
  return ctx;
}

// Collects console errors, page errors and failed requests: a page that shows any is broken
// for a real user even when its content looks right.
export function watchForErrors(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const { url } = msg.location();
    errors.push(`console: ${msg.text()}${url ? ` (${url})` : ''}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => errors.push(`requestfailed: ${req.url()}`));
  page.on('response', (res) => { if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`); });
  return errors;
}

// Polls fn() until it is truthy and answers its value: for what a page does on its own time
// (requests it makes, data it polls). `what` names it in the timeout's error.
export async function until(fn, what, ms = 20000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Screenshots are test artefacts (build/artifacts), never committed.
export async function screenshot(page, name) {
  const dir = process.env.PW_ARTIFACT_DIR || 'artifacts';
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true, animations: 'disabled' });
}

// Counts the page's requests in flight, so a test can wait for quiet before it reloads: a
// reload cancels what is in flight, which watchForErrors rightly counts as failed requests.
// (waitForLoadState('networkidle') does not do this: once a page reached it, it answers at once.)
export function trackRequests(page) {
  let inFlight = 0;
  let lastChange = Date.now();
  const change = (d) => { inFlight += d; lastChange = Date.now(); };
  page.on('request', () => change(1));
  page.on('requestfinished', () => change(-1));
  page.on('requestfailed', () => change(-1));
  return {
    quiet: (ms = 400) => until(() => inFlight === 0 && Date.now() - lastChange >= ms,
      'no request in flight'),
  };
}
