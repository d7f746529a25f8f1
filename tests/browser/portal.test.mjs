// Browser suite for the help portal (www/portal/): real Chromium against a real `pagewise serve`
// with the demo knowledge base. What a customer relies on: search finds the right guide and
// shows why (the matched words highlighted), an article shows its steps for each page and the
// plan it needs, every article can be reached, the chat reaches a person and back, and nothing
// an article or a visitor supplies ever runs as markup.
// Each test opens its own browser context: its own storage, so its own widget session.
// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchForErrors, screenshot, useServerAndBrowser } from './chromium.mjs';
import { escalate, rateFive, widgetPolls } from './panel.mjs';
import { XSS_PAYLOADS, xssRan } from './xss.mjs';

const ADMIN = 'browser-portal-admin-token-01';
const WAIT_MS = 20000;
const EXPORT_TITLE = 'Export a project or report to CSV, Excel or PDF';

const ctx = useServerAndBrowser({ env: { PAGEWISE_ADMIN_TOKEN: ADMIN } });

// Resolves as `promise` does, or fails naming `what` after ms.
function within(promise, what, ms = WAIT_MS) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function api(method, path, body) {
  const res = await fetch(`${ctx.server.base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// Every published article, as the public sees them (no token), following the cursor.
async function publicArticles() {
  const out = [];
  let cursor = null;
  do {
    const q = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = await (await fetch(`${ctx.server.base}/api/v1/articles?limit=200${q}`)).json();
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

async function openPortal(hash = '#/', { viewport, route } = {}) {
  const context = await ctx.browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  if (route) await page.route(...route);
  const errors = watchForErrors(page);
  const requests = [];
  page.on('request', (r) => requests.push({ method: r.method(), url: r.url(), body: r.postData() || '' }));
  await page.goto(`${ctx.server.base}/portal/${hash}`);
  return { context, page, errors, requests };
}

const visibleView = (page) => page.evaluate(() => [...document.querySelectorAll('[data-view]')]
  .filter((v) => !v.hidden).map((v) => v.dataset.view));

// The page id the widget will send: data-pw-page on the visible view.
const pageId = (page) => page.evaluate(() => [...document.querySelectorAll('[data-pw-page]')]
  .find((v) => !v.hidden).dataset.pwPage);

test('searching "export pdf" shows the export guide first, the matched words in <mark>', async () => {
  const { context, page, errors } = await openPortal();
  await page.locator('.topic').first().waitFor({ timeout: WAIT_MS });
  // Landmarks and the labelled search box a screen reader announces.
  assert.equal(await page.getByRole('search').count(), 1);
  assert.equal(await page.getByRole('main').count(), 1);
  assert.equal(await page.getByRole('banner').count(), 1);
  const box = page.getByLabel('Search help articles');
  // "/" from anywhere on the page goes to the search box.
  await page.keyboard.press('/');
  assert.equal(await box.evaluate((el) => el === document.activeElement), true);
  await page.keyboard.type('export pdf', { delay: 30 });
  // Searched as typed: a pause between two keys may show an unfinished word's results first.
  // The status names the query its results are for.
  await page.locator('#search-status', { hasText: '\u201cexport pdf\u201d' })
    .waitFor({ timeout: WAIT_MS });
  const first = page.locator('#results .item').first();
  assert.equal(await first.locator('.item-title').textContent(), EXPORT_TITLE);
  const marks = await first.locator('.snippet mark').allTextContents();
  assert.ok(marks.length >= 2, `marks: ${JSON.stringify(marks)}`);
  for (const m of marks) assert.match(m, /^(export\w*|pdf)$/i);
  assert.ok(marks.some((m) => /^pdf$/i.test(m)), 'PDF is highlighted');
  // The snippet's tags became elements: none shows as text.
  assert.doesNotMatch(await page.locator('#results').textContent(), /<\/?mark>/);
  assert.equal(await first.locator('.badge').textContent(), 'Starter plan');
  assert.match(await page.locator('#search-status').textContent(), /articles? for \u201cexport pdf\u201d/);
  assert.equal(await page.evaluate(() => location.hash), '#/search?q=export%20pdf');
  assert.equal(await pageId(page), 'portal-search');
  assert.equal(await box.evaluate((el) => el === document.activeElement), true, 'typing kept focus');
  await screenshot(page, 'portal-search');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an unfinished word still finds articles, and a search with no match offers the chat',
  async () => {
  const { context, page, errors } = await openPortal();
  await page.getByLabel('Search help articles').pressSequentially('expo', { delay: 30 });
  await page.locator('#search-status', { hasText: '\u201cexpo\u201d' }).waitFor({ timeout: WAIT_MS });
  assert.match(await page.locator('#search-status').textContent(), /articles? for \u201cexpo\u201d/);
  assert.match(await page.locator('#results .item-title').first().textContent(), /^Export/);
  const marks = await page.locator('#results .item').first().locator('mark').allTextContents();
  assert.ok(marks.length >= 1 && marks.every((m) => /^expo/i.test(m)), JSON.stringify(marks));
  await page.getByLabel('Search help articles').fill('qwxzv');
  await page.locator('.no-results').waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('.no-results').getByRole('button', { name: 'Chat with us' })
    .count(), 1);
  // Clearing the box goes back to the topics.
  await page.getByLabel('Search help articles').fill('');
  await page.locator('.topic').first().waitFor({ timeout: WAIT_MS });
  assert.deepEqual(await visibleView(page), ['home']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the export guide shows its steps for each page and the Starter plan note', async () => {
  const { context, page, errors } = await openPortal('#/search?q=export%20pdf');
  const first = page.locator('#results .item a').first();
  await first.waitFor({ timeout: WAIT_MS });
  assert.equal(await page.getByLabel('Search help articles').inputValue(), 'export pdf');
  // Keyboard: ArrowDown from the box reaches the first result, Enter opens it.
  await page.getByLabel('Search help articles').focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await first.evaluate((el) => el === document.activeElement), true);
  await page.keyboard.press('Enter');
  const title = page.locator('#article-title');
  await title.filter({ hasText: EXPORT_TITLE }).waitFor({ timeout: WAIT_MS });
  assert.equal(await title.evaluate((el) => el === document.activeElement), true,
    'focus moved to the article');
  const id = Number((await page.evaluate(() => location.hash)).split('/').pop());
  const article = (await api('GET', `/api/v1/articles/${id}`)).body;
  assert.equal(article.slug, 'export-projects-and-reports');

  // One section per variant, headed with where in the app, listing its steps in order.
  const headings = await page.locator('.variant-title').allTextContents();
  assert.deepEqual(headings, ['On a project\u2019s Export page (/projects/:id/export)',
    'On Reports (/reports)', 'On a project\u2019s board (/projects/:id/board)']);
  for (const [i, v] of article.variants.entries()) {
    assert.deepEqual(await page.locator('.variant').nth(i).locator('.steps li').allTextContents(),
      v.steps);
  }
  const plan = page.locator('#article-plan');
  assert.equal(await plan.isVisible(), true);
  assert.match(await plan.textContent(), /Starter plan/);
  assert.match(await plan.textContent(), /Settings > Billing > Change plan/);
  assert.equal(await page.locator('#article-plan-text').textContent(), article.plan_note);
  assert.match(await page.locator('#article-body').textContent(), /print-ready snapshot/);
  assert.match(await page.title(), /^Export a project or report/);
  assert.equal(await pageId(page), 'portal-article');
  assert.deepEqual(await page.locator('#article-crumbs li').allTextContents(),
    ['Help Center', 'Reports, import and export', EXPORT_TITLE]);
  assert.ok(await page.locator('#related-list li').count() > 0, 'related articles');
  await screenshot(page, 'portal-article');

  // An article without a plan shows no plan note; Back returns to the results.
  await page.goBack();
  await page.locator('#results .item').first().waitFor({ timeout: WAIT_MS });
  assert.deepEqual(await visibleView(page), ['search']);
  await page.goto(`${ctx.server.base}/portal/#/articles/1`);
  await title.filter({ hasText: 'Reset a forgotten password' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await plan.isVisible(), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('topics hold every article once, and All articles pages through the API cursor',
  async () => {
  const all = await publicArticles();
  const { context, page, errors, requests } = await openPortal();
  await page.locator('.topic').first().waitFor({ timeout: WAIT_MS });
  const counts = await page.locator('.topic-count').allTextContents();
  assert.equal(counts.reduce((n, c) => n + parseInt(c, 10), 0), all.length);
  // A topic page lists its articles A to Z.
  await page.locator('.topic-title a', { hasText: 'Billing and plans' }).click();
  await page.locator('#topic-articles .item').first().waitFor({ timeout: WAIT_MS });
  const billing = await page.locator('#topic-articles .item-title').allTextContents();
  assert.deepEqual(billing, [...billing].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
  assert.ok(billing.includes('Refunds for your Acme Projects subscription'));

  await page.getByRole('link', { name: 'All articles' }).click();
  const items = page.locator('#all-articles .item');
  await items.first().waitFor({ timeout: WAIT_MS });
  assert.equal(await items.count(), 12);
  const more = page.getByRole('button', { name: 'Show more articles' });
  let pages = 1;
  while (await more.isVisible()) {
    const before = await items.count();
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll('#all-articles .item').length > n,
      before, { timeout: WAIT_MS });
    pages++;
    // Keyboard users continue at the first article of the new page.
    assert.equal(await items.nth(before).locator('a').evaluate((el) => el === document.activeElement), true);
  }
  assert.equal(pages, Math.ceil(all.length / 12));
  const titles = await page.locator('#all-articles .item-title').allTextContents();
  assert.deepEqual(titles, all.map((a) => a.title), 'all of them, once each, in id order');
  const cursors = requests.filter((r) => /\/api\/v1\/articles\?.*cursor=/.test(r.url));
  assert.equal(cursors.length, pages - 1, 'each further page asked with the cursor');
  assert.match(await page.locator('#all-count').textContent(), new RegExp(`All ${all.length} articles`));
  assert.deepEqual(errors, []);
  await context.close();
});

test('an address that names nothing, or a server that fails, shows a way back', async () => {
  const { context, page, errors } = await openPortal('#/articles/999999');
  await page.locator('#missing-title').waitFor({ timeout: WAIT_MS });
  assert.deepEqual(await visibleView(page), ['missing']);
  await page.goto(`${ctx.server.base}/portal/#/topics/no-such-topic`);
  await page.locator('#missing-title').waitFor({ timeout: WAIT_MS });
  assert.match(await page.locator('#missing-title').textContent(), /couldn’t find/);
  await page.locator('#missing-text').getByRole('link', { name: 'go back to the Help Center' }).click();
  await page.locator('.topic').first().waitFor({ timeout: WAIT_MS });
  // A server that fails is not "not found": the page says to try again.
  await page.route('**/api/v1/articles/2', (r) => r.fulfill({ status: 503,
    contentType: 'application/json', body: '{"error":{"code":"internal","message":"down"}}' }));
  await page.goto(`${ctx.server.base}/portal/#/articles/2`);
  await page.locator('#missing-title', { hasText: 'could not be loaded' }).waitFor({ timeout: WAIT_MS });
  // The only errors are those two answers (Chromium logs each too).
  assert.ok(errors.includes(`HTTP 404: ${ctx.server.base}/api/v1/articles/999999`), errors.join('\n'));
  assert.ok(errors.includes(`HTTP 503: ${ctx.server.base}/api/v1/articles/2`), errors.join('\n'));
  for (const e of errors) assert.match(e, /404|503/);
  assert.ok(errors.length <= 4, errors.join('\n'));
  await context.close();
});

test('on a phone the portal fits the screen', async () => {
  const { context, page, errors } = await openPortal('#/', { viewport: { width: 390, height: 844 } });
  await page.locator('.topic').first().waitFor({ timeout: WAIT_MS });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.equal(await overflow(), 0);
  await screenshot(page, 'portal-mobile-home');
  await page.goto(`${ctx.server.base}/portal/#/articles/14`);
  await page.locator('.variant').first().waitFor({ timeout: WAIT_MS });
  assert.equal(await overflow(), 0);
  await screenshot(page, 'portal-mobile-article');
  assert.deepEqual(errors, []);
  await context.close();
});

test('chat from the portal: escalated, filed as a portal conversation, the agent reply arrives '
  + 'live and the rating is recorded', async () => {
  const { context, page, errors, requests } = await openPortal('#/articles/22');
  // The panel's live socket says "watch" once the conversation exists.
  const watching = new Promise((resolve) => page.on('websocket', (ws) => ws.on('framesent',
    (f) => { if (/"type":\s*"watch"/.test(String(f.payload))) resolve(); })));
  await page.waitForFunction(() => document.documentElement.dataset.pagewise === 'ready', null,
    { timeout: WAIT_MS });
  const chat = page.locator('.contact').getByRole('button', { name: 'Chat with us' });
  await chat.click();
  await page.locator('.panel:not([hidden])').waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('#pw-title').textContent(), 'Acme Help');
  const id = await escalate(page, 'I was charged twice and I want my money back', WAIT_MS,
    /support team|Someone from the team/);
  const sent = JSON.parse(requests.find((r) => r.url.endsWith('/api/v1/widget/messages')).body);
  assert.equal(sent.channel, 'portal');
  assert.equal(sent.page.page_id, 'portal-article');
  const ticket = (await api('GET', `/api/v1/tickets/${id}`)).body;
  assert.equal(ticket.channel, 'portal');

  // The panel goes live once the conversation exists: wait until its socket watches it.
  await within(watching, 'the panel watching the conversation live');
  const before = widgetPolls(requests).length;
  const reply = await api('POST', `/api/v1/tickets/${id}/reply`,
    { body: 'Sorry about that! I have refunded the second charge.' });
  assert.equal(reply.status, 201);
  await page.locator('.log li.agent', { hasText: 'refunded the second charge' })
    .waitFor({ timeout: WAIT_MS });
  assert.equal(widgetPolls(requests).length, before, 'the reply came over the live connection, not a poll');

  const resolved = await api('POST', `/api/v1/tickets/${id}/resolve`, { category: 'billing' });
  assert.equal(resolved.status, 200);
  await rateFive(page, 'portal-chat', WAIT_MS);
  const rated = (await api('GET', `/api/v1/tickets/${id}`)).body;
  assert.equal(rated.status, 'resolved');
  assert.equal(rated.csat.score, 5);

  // Escape closes the panel and gives focus back to the button that opened it.
  await page.locator('#pw-text').focus();
  await page.keyboard.press('Escape');
  await page.locator('.panel').waitFor({ state: 'hidden' });
  assert.equal(await chat.evaluate((el) => el === document.activeElement), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('when the widget cannot load, "Chat with us" offers email instead', async () => {
  for (const blocked of ['pagewise.js', 'pagewise-widget.js']) {
    const { context, page, errors } = await openPortal('#/', {
      route: [`**/widget/${blocked}`, (r) => r.abort()],
    });
    await page.locator('.topic').first().waitFor({ timeout: WAIT_MS });
    await page.waitForFunction(() => document.readyState === 'complete');
    if (blocked !== 'pagewise.js') {
      await page.waitForFunction(() => document.documentElement.dataset.pagewise === 'failed',
        null, { timeout: WAIT_MS });
    }
    await page.locator('.contact').getByRole('button', { name: 'Chat with us' }).click();
    const note = page.locator('#chat-fallback');
    await note.waitFor({ timeout: WAIT_MS });
    assert.match(await note.textContent(), /support@acme\.example/);
    for (const e of errors) assert.match(e, new RegExp(`/widget/${blocked.replace('.', '\\.')}`));
    await context.close();
  }
});

test('article text that looks like markup shows as text and never runs', async () => {
  const payloads = XSS_PAYLOADS;
  const title = `Zanzibar probe ${payloads[0]} ${payloads[2]}`;
  const body = `Zanzibar sightings. ${payloads.join(' ')} and zanzibar again.`;
  const made = await api('POST', '/api/v1/articles', {
    slug: 'zanzibar-markup-probe', title, body, plan_required: 'pro', plan_note: payloads[1],
    variants: [{ route: '/x"><svg/onload=window.__xss=1>', steps: payloads }],
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const { id } = made.body;
  const { context, page, errors } = await openPortal();
  const noScriptRan = async () => {
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await xssRan(page), false);
    assert.equal(await page.locator('main img[src="x"], main svg, main script, main iframe, main details, main style').count(), 0);
  };

  // Home: the article has no topic of ours, so it is under "More articles".
  await page.locator('.topic-links a', { hasText: 'Zanzibar probe' }).waitFor({ timeout: WAIT_MS });
  await noScriptRan();

  await page.getByLabel('Search help articles').fill('zanzibar');
  const hit = page.locator('#results .item', { hasText: 'Zanzibar probe' });
  await hit.waitFor({ timeout: WAIT_MS });
  assert.equal(await hit.locator('.item-title').textContent(), title);
  assert.ok((await hit.locator('.snippet').textContent()).includes('<img src=x onerror='),
    'the snippet shows the markup as text');
  const marks = await hit.locator('mark').allTextContents();
  assert.ok(marks.length >= 1 && marks.every((m) => /^zanzibar$/i.test(m)), JSON.stringify(marks));
  await noScriptRan();

  await hit.locator('a').click();
  await page.locator('#article-title', { hasText: 'Zanzibar probe' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('#article-title').textContent(), title);
  assert.equal(await page.locator('#article-body').textContent(), body);
  assert.equal(await page.locator('#article-plan-text').textContent(), payloads[1]);
  assert.deepEqual(await page.locator('.variant .steps li').allTextContents(), payloads);
  assert.match(await page.locator('.variant-title').textContent(), /\(\/x"><svg\/onload=window.__xss=1>\)$/);
  assert.equal(await page.evaluate(() => document.title.startsWith('Zanzibar probe <img')), true);
  await noScriptRan();

  // The search words of an address are text too.
  await page.goto(`${ctx.server.base}/portal/#/search?q=${encodeURIComponent(payloads[0])}`);
  await page.locator('#search-status', { hasText: 'onerror' }).waitFor({ timeout: WAIT_MS });
  assert.ok((await page.locator('#search-status').textContent()).includes(payloads[0]));
  assert.equal(await page.getByLabel('Search help articles').inputValue(), payloads[0]);
  await noScriptRan();
  assert.deepEqual(errors, []);
  await context.close();
  assert.equal((await api('DELETE', `/api/v1/articles/${id}`)).status, 204);
});
