// Rate limits (per IP and per widget session) with tiny configured limits, security headers on
// pages, JSON errors for unknown paths and wrong methods, and tokens stored only as SHA-256.
// SPDX-License-Identifier: MIT
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../harness/server.mjs';
import { loadSpec, apiFetch, coverage } from '../harness/openapi.mjs';

const spec = loadSpec();
const cov = coverage(spec);
const ADMIN = 'security-test-admin-token-0001';
const env = { PAGEWISE_ADMIN_TOKEN: ADMIN };

// One token a minute after the burst: nothing refills while a test runs, so which request is
// refused does not depend on how fast the machine is.
const IP_BURST = 5;
const SESSION_BURST = 3;
let plain; // default limits
let ipLimited;
let sessionLimited;

before(async () => {
  [plain, ipLimited, sessionLimited] = await Promise.all([
    startServer({ env }),
    startServer({ env, config: { limits: { ip_per_minute: 1, ip_burst: IP_BURST } } }),
    startServer({ env, config: { limits: { session_per_minute: 1, session_burst: SESSION_BURST } } }),
  ]);
});
after(async () => {
  await Promise.all([plain?.stop(), ipLimited?.stop(), sessionLimited?.stop()]);
});

function api(on, method, path, options = {}) {
  return apiFetch(spec, on.base, method, path, { ...options, coverage: cov });
}

function assertLimited(res) {
  assert.equal(res.status, 429);
  assert.equal(res.body.error.code, 'rate_limited');
  assert.ok(res.body.error.message.length > 0);
  const retry = res.headers.get('retry-after');
  assert.match(retry, /^\d+$/);
  assert.ok(Number(retry) >= 1, `Retry-After ${retry}`);
}

// --- rate limits ---------------------------------------------------------------------------

test('per IP: the burst passes, the next request is 429 with Retry-After and the error JSON',
  async () => {
    const search = () => api(ipLimited, 'GET', '/api/v1/articles/search?q=export');
    for (let i = 0; i < IP_BURST; i++) {
      assert.equal((await search()).status, 200, `request ${i + 1} of the burst`);
    }
    assertLimited(await search());
    // The limit is per IP across the API: the widget and CSAT are refused too...
    assertLimited(await api(ipLimited, 'POST', '/api/v1/widget/boot',
      { body: { app_key: 'pk_demo_acme' }, headers: { Origin: ipLimited.base } }));
    assertLimited(await api(ipLimited, 'POST', '/api/v1/csat', { body: { token: 'x', score: 3 } }));
    // ...and so is guessing agent tokens, while a good token is never limited.
    assertLimited(await api(ipLimited, 'GET', '/api/v1/tickets', { token: 'guessed-token-0001' }));
    const good = await api(ipLimited, 'GET', '/api/v1/tickets', { token: ADMIN });
    assert.equal(good.status, 200);
    // Health is for load balancers: never limited.
    assert.equal((await api(ipLimited, 'GET', '/api/v1/health')).status, 200);
  });

test('failed sign-ins spend the per-IP allowance: 401s, then 429', async () => {
  const server = await startServer({ env, config: { limits: { ip_per_minute: 1, ip_burst: 3 } } });
  try {
    const guess = (i) => api(server, 'GET', '/api/v1/inbox', { token: `wrong-token-${i}-abcdef` });
    for (let i = 0; i < 3; i++) assert.equal((await guess(i)).status, 401);
    assertLimited(await guess(3));
  } finally {
    await server.stop();
  }
});

test('per widget session: the burst of messages passes, then 429; another visitor is not affected',
  async () => {
    const headers = { Origin: sessionLimited.base };
    const boot = async () => (await api(sessionLimited, 'POST', '/api/v1/widget/boot',
      { body: { app_key: 'pk_demo_acme' }, headers })).body.session;
    const send = (session, text) => api(sessionLimited, 'POST', '/api/v1/widget/messages',
      { body: { text }, token: session, headers });
    const first = await boot();
    for (let i = 0; i < SESSION_BURST; i++) {
      assert.equal((await send(first, `how do I export a report? (${i})`)).status, 200);
    }
    assertLimited(await send(first, 'one more'));
    assertLimited(await api(sessionLimited, 'POST', '/api/v1/widget/events', {
      token: first, headers,
      body: { events: [{ kind: 'rage_click', at: Date.now(), route: '/reports' }] },
    }));
    const second = await boot();
    assert.equal((await send(second, 'how do I invite a teammate?')).status, 200);
  });

// --- headers and errors --------------------------------------------------------------------

test('pages carry a Content-Security-Policy and nosniff; API answers are JSON with nosniff',
  async () => {
    for (const path of ['/', '/index.html']) {
      const res = await fetch(`${plain.base}${path}`);
      assert.equal(res.status, 200, path);
      const csp = res.headers.get('content-security-policy');
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
      assert.match(csp, /frame-ancestors 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      await res.arrayBuffer();
    }
    const health = await api(plain, 'GET', '/api/v1/health');
    assert.equal(health.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(health.headers.get('cache-control'), 'no-store');
    // Agent endpoints are not for other origins: no CORS header even when asked.
    const tickets = await api(plain, 'GET', '/api/v1/tickets',
      { token: ADMIN, headers: { Origin: 'https://evil.example' } });
    assert.equal(tickets.headers.get('access-control-allow-origin'), null);
  });

test('unknown API paths are JSON 404s', async () => {
  for (const [method, path] of [['GET', '/api/v1/nope'], ['GET', '/api/v2/tickets'],
    ['GET', '/api/'], ['POST', '/api/v1/widget/nope'], ['GET', '/api/v1/health/extra'],
    ['POST', '/api/v1/csat/extra'], ['GET', '/api/v1/tickets/1/nope'],
    ['DELETE', '/api/v1/agents/5'], ['GET', '/api/v1/articles/1/extra']]) {
    const res = await api(plain, method, path, { token: ADMIN });
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.equal(res.body.error.code, 'not_found');
    assert.match(res.headers.get('content-type'), /^application\/json/);
  }
});

test('wrong methods are JSON 405s with an Allow header', async () => {
  for (const [method, path, allow] of [
    ['POST', '/api/v1/health', 'GET'], ['DELETE', '/api/v1/tickets', 'GET, POST'],
    ['POST', '/api/v1/tickets/1', 'GET'], ['GET', '/api/v1/tickets/1/reply', 'POST'],
    ['PUT', '/api/v1/inbox', 'GET'], ['GET', '/api/v1/widget/boot', 'POST'],
    ['GET', '/api/v1/widget/messages', 'POST'], ['POST', '/api/v1/widget/model', 'GET'],
    ['POST', '/api/v1/widget/conversations/1', 'GET'], ['PUT', '/api/v1/csat', 'POST'],
    ['PATCH', '/api/v1/articles/1', 'GET, PUT, DELETE'], ['POST', '/api/v1/articles/search', 'GET'],
    ['DELETE', '/api/v1/agents', 'GET, POST'],
  ]) {
    const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
    const res = await api(plain, method, path, { token: ADMIN, body });
    assert.equal(res.status, 405, `${method} ${path}`);
    assert.equal(res.body.error.code, 'method_not_allowed');
    assert.equal(res.headers.get('allow'), allow, `${method} ${path}`);
  }
});

// --- tokens at rest ------------------------------------------------------------------------

const sha256 = (s) => createHash('sha256').update(s).digest('hex');

test('agent and admin tokens are stored only as their SHA-256', async () => {
  const server = await startServer({ env });
  const created = await api(server, 'POST', '/api/v1/agents',
    { token: ADMIN, body: { name: 'Stored Hashed', email: 'hashed@support.example', role: 'agent' } });
  assert.equal(created.status, 201);
  const agentToken = created.body.token;
  const { dataDir } = server;
  const { code } = await server.stop({ keepData: true });
  assert.equal(code, 0);
  try {
    const db = join(dataDir, 'pagewise.db');
    assert.ok(!existsSync(`${db}-wal`), 'everything is checkpointed into the database file');
    const bytes = readFileSync(db);
    for (const token of [ADMIN, agentToken]) {
      assert.equal(bytes.indexOf(Buffer.from(token)), -1, 'the token is not in the file');
      assert.notEqual(bytes.indexOf(Buffer.from(sha256(token))), -1, 'its SHA-256 hex is');
    }
    const cli = spawnSync('sqlite3', ['-readonly', db, 'SELECT token_hash FROM agents ORDER BY id'],
      { encoding: 'utf8' });
    if (!cli.error && cli.status === 0) {
      const hashes = cli.stdout.trim().split('\n');
      assert.ok(hashes.includes(sha256(ADMIN)));
      assert.ok(hashes.includes(sha256(agentToken)));
      assert.ok(hashes.every((h) => /^[0-9a-f]{64}$/.test(h)));
    }
  } finally {
    await server.stop();
  }
});

test('the rate-limited answers and errors matched the document', () => {
  const seen = new Set(cov.seen());
  const expected = ['GET /api/v1/articles/search 429', 'POST /api/v1/widget/boot 429',
    'POST /api/v1/csat 429', 'GET /api/v1/tickets 429', 'GET /api/v1/inbox 429',
    'POST /api/v1/widget/messages 429', 'POST /api/v1/widget/events 429'];
  assert.deepEqual(expected.filter((k) => !seen.has(k)), []);
});
