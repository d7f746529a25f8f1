// Benchmark: the widget in Chromium on the Acme Projects demo, served by a real `pagewise serve`.
//   - transfer: the bytes a host page downloads for the widget (Resource Timing), the intent
//     model separately (it comes only when the panel first opens);
//   - ready: from the moment the script tag's file has arrived to the widget's `ready` (its
//     modules and wasm loaded, the session booted with the server), cold (an empty cache) and
//     warm (a reload), median and worst of --loads page loads each;
//   - main thread: one scripted session (every page, clicks, a rage burst and its nudge, the
//     panel with the model, a question typed and sent) traced with Chromium's own timeline, once
//     with the widget and once without it (the script tag answered with an empty file): the
//     longest task, the longest task in which widget code ran and the widget's own time in it,
//     and the tasks over 50 ms (Long Tasks API), at full speed and with the CPU slowed 4x.
// Prints a Markdown table and one JSON line per measurement. Reports numbers, never asserts.
//   PW_BIN=... PW_WWW_DIR=... PW_WIDGET_DIR=... node widget_browser.mjs [--loads N]
// SPDX-License-Identifier: MIT
import { parseArgs } from 'node:util';
import { startServer } from '../harness/server.mjs';
import { launchChromium } from '../browser/chromium.mjs';

const READY_TIMEOUT_MS = 20000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

// Before any page script: note when the widget says it is ready, and every long task.
function instrument() {
  window.__bench = { readyAt: 0, longTasks: [] };
  new MutationObserver(() => {
    if (!window.__bench.readyAt && document.documentElement.dataset.pagewise === 'ready') {
      window.__bench.readyAt = performance.now();
    }
    // The document has no element yet when this runs: watch the whole tree from the document.
  }).observe(document, { attributes: true, attributeFilter: ['data-pagewise'], subtree: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
}

async function openDemo(browser, base, route, { widget = true, context } = {}) {
  const ctx = context || await browser.newContext();
  const page = await ctx.newPage();
  await page.addInitScript(instrument);
  if (!widget) {
    await page.route('**/widget/pagewise.js', (r) => r.fulfill({
      status: 200, contentType: 'text/javascript', body: '',
    }));
  }
  await page.goto(`${base}/demo/#${route}`);
  if (widget) {
    await page.waitForFunction(() => window.__bench.readyAt > 0, null,
      { timeout: READY_TIMEOUT_MS });
  }
  return { context: ctx, page };
}

// ---- transfer sizes -------------------------------------------------------------------------

async function transfer(browser, base) {
  const { context, page } = await openDemo(browser, base, '/projects');
  await page.locator('.launcher').click();
  await page.waitForFunction(() => performance.getEntriesByType('resource')
    .some((e) => e.name.includes('/api/v1/widget/model')), null, { timeout: READY_TIMEOUT_MS });
  const rows = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => /^\/(widget\/|api\/v1\/widget\/model)/.test(new URL(e.name).pathname))
    .map((e) => ({ file: new URL(e.name).pathname, wire: e.encodedBodySize,
      withHeaders: e.transferSize, decoded: e.decodedBodySize })));
  await context.close();
  const isModel = (r) => r.file.includes('/api/v1/widget/model');
  const sum = (rs, k) => rs.reduce((a, r) => a + r[k], 0);
  const code = rows.filter((r) => !isModel(r));
  return { files: rows, widget: { wire: sum(code, 'wire'), withHeaders: sum(code, 'withHeaders'),
    decoded: sum(code, 'decoded') }, model: rows.find(isModel) || null };
}

// ---- time to ready --------------------------------------------------------------------------

async function readyTimes(page) {
  return page.evaluate(() => {
    const entry = (part) => performance.getEntriesByType('resource')
      .find((e) => e.name.includes(part));
    const loader = entry('/widget/pagewise.js');
    const boot = entry('/api/v1/widget/boot');
    const bundle = entry('/widget/pagewise-widget.js');
    const wasm = entry('/widget/pagewise-core.wasm');
    const ready = window.__bench.readyAt;
    const since = (e) => (e ? e.startTime - loader.responseEnd : null);
    return { afterScript: ready - loader.responseEnd, sinceNavigation: ready,
      bundleAsked: since(bundle), wasmAsked: since(wasm), bootAsked: since(boot),
      bootRoundTrip: boot ? boot.responseEnd - boot.startTime : null };
  });
}

async function ready(browser, base, loads) {
  const cold = [];
  const warm = [];
  for (let i = 0; i < loads; i++) {
    const { context, page } = await openDemo(browser, base, '/projects');
    cold.push(await readyTimes(page));
    await page.close();
    const again = await openDemo(browser, base, '/projects', { context });
    warm.push(await readyTimes(again.page));
    await context.close();
  }
  const summary = (runs) => ({
    afterScriptMedian: round(median(runs.map((r) => r.afterScript))),
    afterScriptWorst: round(Math.max(...runs.map((r) => r.afterScript))),
    sinceNavigationMedian: round(median(runs.map((r) => r.sinceNavigation))),
    bundleAskedMedian: round(median(runs.map((r) => r.bundleAsked ?? 0))),
    wasmAskedMedian: round(median(runs.map((r) => r.wasmAsked ?? 0))),
    bootAskedMedian: round(median(runs.map((r) => r.bootAsked ?? 0))),
    bootRoundTripMedian: round(median(runs.map((r) => r.bootRoundTrip ?? 0))),
  });
  return { loads, cold: summary(cold), warm: summary(warm) };
}

// ---- main-thread tasks ----------------------------------------------------------------------

async function scriptedSession(page, widget) {
  const nav = async (label) => {
    await page.locator('.nav a', { hasText: label }).click();
    await page.locator('[data-view]:not([hidden]) h1', { hasText: label }).waitFor();
  };
  await page.fill('#project-search', 'web');
  await page.fill('#project-search', '');
  await page.click('text=Website relaunch');
  await page.fill('#task-title', 'Call the printer');
  await page.click('text=Add task');
  await nav('Reports');
  await page.click('#range-30');
  await page.click('#range-7');
  await nav('Billing');
  await page.click('[data-plan=pro]');
  await nav('Integrations');
  await page.click('#connect-slack');
  await nav('Profile');
  await page.fill('#profile-name', 'Alex R.');
  await page.click('text=Save');
  await nav('Projects');
  const box = await page.locator('#sync-now').boundingBox();
  for (let i = 0; i < 5; i++) await page.mouse.click(box.x + box.width / 2, box.y + 10);
  if (widget) {
    await page.locator('.bubble:not([hidden])').waitFor({ timeout: READY_TIMEOUT_MS });
    await page.locator('.launcher').click();
    await page.waitForFunction(() => performance.getEntriesByType('resource')
      .some((e) => e.name.includes('/api/v1/widget/model')), null, { timeout: READY_TIMEOUT_MS });
    await page.waitForTimeout(1500); // the model is parsed in idle time after it arrives
    await page.locator('#pw-text').pressSequentially('how do I export a report to PDF',
      { delay: 30 });
    await page.keyboard.press('Enter');
    await page.locator('.log li:not(.customer):not(.empty)').first()
      .waitFor({ timeout: READY_TIMEOUT_MS });
  } else {
    await page.waitForTimeout(3000); // the time the widget run spends on its nudge and panel
  }
  await page.waitForTimeout(500);
}

// Tasks on the renderer's main thread from a Chromium trace, each with the time spent in
// functions and scripts of the widget's files during it (trace times are µs).
function mainThreadTasks(trace) {
  const events = JSON.parse(trace.toString('utf8')).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return [];
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const tasks = onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask')
    .map((e) => ({ start: e.ts, end: e.ts + (e.dur || 0), ms: (e.dur || 0) / 1000, widgetMs: 0 }))
    .sort((a, b) => a.start - b.start);
  const widgetCode = onMain.filter((e) => ['FunctionCall', 'EvaluateScript', 'v8.compileModule',
    'v8.evaluateModule'].includes(e.name) && /\/widget\/[^/]+$/.test(e.args?.data?.url || ''));
  // Outermost widget calls only: a FunctionCall inside another would be counted twice.
  widgetCode.sort((a, b) => a.ts - b.ts);
  let coveredTo = -1;
  for (const c of widgetCode) {
    if (c.ts < coveredTo) continue;
    coveredTo = c.ts + (c.dur || 0);
    const task = tasks.find((t) => t.start <= c.ts && c.ts < t.end);
    if (task) task.widgetMs += (c.dur || 0) / 1000;
  }
  return tasks;
}

async function mainThread(browser, base, widget, cpuSlowdown) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(instrument);
  if (!widget) {
    await page.route('**/widget/pagewise.js', (r) => r.fulfill({
      status: 200, contentType: 'text/javascript', body: '',
    }));
  }
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute'],
  });
  await page.goto(`${base}/demo/#/projects`);
  if (widget) {
    await page.waitForFunction(() => window.__bench.readyAt > 0, null,
      { timeout: READY_TIMEOUT_MS });
  }
  await scriptedSession(page, widget);
  const trace = await browser.stopTracing();
  const longTasks = await page.evaluate(() => window.__bench.longTasks);
  await context.close();
  const tasks = mainThreadTasks(trace);
  const longest = tasks.reduce((a, t) => (t.ms > a.ms ? t : a), { ms: 0, widgetMs: 0 });
  const withWidget = tasks.filter((t) => t.widgetMs > 0);
  const longestWidget = withWidget.reduce((a, t) => (t.ms > a.ms ? t : a), { ms: 0, widgetMs: 0 });
  const widgetTotal = withWidget.reduce((a, t) => a + t.widgetMs, 0);
  return {
    widget, cpuSlowdown, tasks: tasks.length, longestMs: round(longest.ms),
    longestWidgetTaskMs: round(longestWidget.ms), widgetMsInIt: round(longestWidget.widgetMs),
    widgetTotalMs: round(widgetTotal), over50: longTasks.length,
    longTasksMs: longTasks.map((d) => round(d)),
  };
}

// ---- report ---------------------------------------------------------------------------------

function report({ sizes, readiness, threads }) {
  const kb = (b) => round(b / 1000, 1);
  const lines = ['', '| transfer (what a host page downloads) | on the wire kB | with headers kB |'
    + ' unpacked kB |', '| --- | ---: | ---: | ---: |'];
  for (const f of sizes.files) {
    lines.push(`| ${f.file} | ${kb(f.wire)} | ${kb(f.withHeaders)} | ${kb(f.decoded)} |`);
  }
  lines.push(`| **widget: JS + wasm** | **${kb(sizes.widget.wire)}** | ${kb(sizes.widget.withHeaders)}`
    + ` | ${kb(sizes.widget.decoded)} |`);
  lines.push('', '| time to ready, ms (median of ' + readiness.loads + ' loads; worst) | cold cache '
    + '| warm cache |', '| --- | ---: | ---: |');
  const rr = (s) => `${s.afterScriptMedian} (${s.afterScriptWorst})`;
  lines.push(`| script loaded → ready | ${rr(readiness.cold)} | ${rr(readiness.warm)} |`);
  lines.push(`| navigation start → ready | ${readiness.cold.sinceNavigationMedian} | `
    + `${readiness.warm.sinceNavigationMedian} |`);
  lines.push(`| of which the boot request | ${readiness.cold.bootRoundTripMedian} | `
    + `${readiness.warm.bootRoundTripMedian} |`);
  lines.push('', '| main thread, scripted session | CPU | tasks | longest task ms | longest task '
    + 'with widget code ms (widget ms in it) | widget ms in all | tasks > 50 ms |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const t of threads) {
    lines.push(`| ${t.widget ? 'with the widget' : 'without the widget'} | ${t.cpuSlowdown}x | `
      + `${t.tasks} | ${t.longestMs} | ${t.widget ? `${t.longestWidgetTaskMs} (${t.widgetMsInIt})`
        : '—'} | ${t.widget ? t.widgetTotalMs : '—'} | ${t.over50}${t.over50
        ? ` (${t.longTasksMs.join(', ')})` : ''} |`);
  }
  return lines.join('\n');
}

async function main() {
  const { values } = parseArgs({ options: { loads: { type: 'string', default: '15' } } });
  const loads = Number(values.loads);
  if (!Number.isInteger(loads) || loads < 1) throw new Error('--loads must be a positive integer');
  const server = await startServer({ env: { PAGEWISE_ADMIN_TOKEN: 'widget-bench-admin-token' } });
  const browser = await launchChromium();
  try {
    const sizes = await transfer(browser, server.base);
    console.log(`WIDGETBENCH ${JSON.stringify({ transfer: sizes })}`);
    const readiness = await ready(browser, server.base, loads);
    console.log(`WIDGETBENCH ${JSON.stringify({ ready: readiness })}`);
    const threads = [];
    for (const cpu of [1, 4]) {
      for (const widget of [false, true]) {
        const t = await mainThread(browser, server.base, widget, cpu);
        console.log(`WIDGETBENCH ${JSON.stringify({ mainThread: t })}`);
        threads.push(t);
      }
    }
    console.log(report({ sizes, readiness, threads }));
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(`widget_browser: ${err.stack || err.message}`);
  process.exit(1);
});
