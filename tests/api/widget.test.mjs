// The widget's endpoints against a real server: boot (app key, origin, identity verification),
// struggle events, messages through the pipeline (the acceptance cases, idempotency, limits and
// validation), polling, the gzipped model and CORS. Every answer is checked against openapi.json.
// SPDX-License-Identifier: MIT
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { startServer } from '../harness/server.mjs';
import { loadSpec, apiFetch, coverage } from '../harness/openapi.mjs';

const spec = loadSpec();
const cov = coverage(spec);
const ADMIN = 'widget-test-admin-token-0001';
const DEMO_KEY = 'pk_demo_acme';
const REPORTS_PAGE = { route: '/reports', page_id: 'reports', plan: 'free' };

let server; // no config: the demo app, whose origins are this server's own
let ident; // a config app with an identity secret
const IDENT_ORIGIN = 'https://app.example.com';
const IDENT_SECRET = 'identity-secret-for-tests-7f3a';

before(async () => {
  [server, ident] = await Promise.all([
    startServer({ env: { PAGEWISE_ADMIN_TOKEN: ADMIN } }),
    startServer({
      env: { PAGEWISE_ADMIN_TOKEN: ADMIN },
      config: {
        apps: [{
          // Written as a person might: the server keeps it as https://app.example.com.
          key: 'pk_ident', name: 'Identity app', allowed_origins: ['HTTPS://App.Example.com:443'],
          identity_secret: IDENT_SECRET,
        }],
      },
    }),
  ]);
});
after(async () => {
  await Promise.all([server?.stop(), ident?.stop()]);
});

// apiFetch against the demo server, sent from its own origin unless headers say otherwise.
function api(method, path, { origin, ...options } = {}, on = server) {
  const headers = { Origin: origin ?? on.base, ...(options.headers ?? {}) };
  return apiFetch(spec, on.base, method, path, { ...options, headers, coverage: cov });
}

async function boot(user, on = server, origin = undefined) {
  const body = user ? { app_key: DEMO_KEY, user } : { app_key: DEMO_KEY };
  const res = await api('POST', '/api/v1/widget/boot', { body, origin }, on);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

function send(session, body, options = {}) {
  return api('POST', '/api/v1/widget/messages', { body, token: session, ...options });
}

function ticket(id, on = server) {
  return api('GET', `/api/v1/tickets/${id}`, { token: ADMIN }, on);
}

const event = (kind, extra = {}) => ({ kind, at: Date.now(), route: '/reports', ...extra });

// --- first, while the store is empty: anonymous visitors leave no rows -------------------

test('boot and events for 5 anonymous visitors write no rows: no tickets, empty inbox', async () => {
  for (let i = 0; i < 5; i++) {
    const { session } = await boot();
    const res = await api('POST', '/api/v1/widget/events',
      { token: session, body: { events: [event('rage_click'), event('navigation')] } });
    assert.equal(res.status, 202);
  }
  const tickets = await api('GET', '/api/v1/tickets', { token: ADMIN });
  assert.equal(tickets.status, 200);
  assert.deepEqual(tickets.body, { items: [], next_cursor: null });
  const inbox = await api('GET', '/api/v1/inbox', { token: ADMIN });
  assert.deepEqual(inbox.body.items, []);
});

// --- boot ----------------------------------------------------------------------------------

test('boot with the app key answers a session, the visitor and where the model is', async () => {
  const s = await boot();
  assert.ok(s.session.length > 20);
  assert.match(s.visitor, /^[0-9a-f]{32}$/);
  assert.equal(s.verified, false);
  assert.ok(s.expires_at > Date.now() - 60_000);
  assert.match(s.model.url, /^\/api\/v1\/widget\/model\?app_key=pk_demo_acme$/);
  assert.ok(s.model.etag.length > 0);
  const other = await boot();
  assert.notEqual(other.visitor, s.visitor, 'each boot is a new visitor');
});

test('boot: unknown app key is 401 naming app_key; a foreign origin is 403', async () => {
  const unknown = await api('POST', '/api/v1/widget/boot', { body: { app_key: 'pk_nope' } });
  assert.equal(unknown.status, 401);
  assert.equal(unknown.body.error.code, 'unauthorized');
  assert.equal(unknown.body.error.field, 'app_key');
  const foreign = await api('POST', '/api/v1/widget/boot',
    { body: { app_key: DEMO_KEY }, origin: 'https://evil.example' });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.body.error.code, 'forbidden');
  const missing = await api('POST', '/api/v1/widget/boot', { body: {} });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error.field, 'app_key');
});

const hmac = (id) => createHmac('sha256', IDENT_SECRET).update(id).digest('hex');

function identBoot(user, origin = IDENT_ORIGIN) {
  return api('POST', '/api/v1/widget/boot', { body: { app_key: 'pk_ident', user }, origin }, ident);
}

test('identity verification: the right HMAC-SHA256 is verified, a wrong one is 401', async () => {
  const good = await identBoot({ id: 'user-42', email: 'ada@example.com', hash: hmac('user-42') });
  assert.equal(good.status, 200);
  assert.equal(good.body.verified, true);
  const wrong = await identBoot({ id: 'user-42', hash: hmac('user-43') });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error.field, 'user.hash');
  const upper = await identBoot({ id: 'user-42', hash: hmac('user-42').replace(/[0-9]/g, 'f') });
  assert.equal(upper.status, 401);
  // The demo origin is not one this app allows.
  const foreign = await identBoot({ id: 'user-42', hash: hmac('user-42') }, server.base);
  assert.equal(foreign.status, 403);

  // A verified user's conversation is theirs: the customer is the host's user id.
  const sent = await api('POST', '/api/v1/widget/messages', {
    token: good.body.session, origin: IDENT_ORIGIN, body: { text: 'how do I export a report?' },
  }, ident);
  assert.equal(sent.status, 200);
  const t = await ticket(sent.body.conversation_id, ident);
  assert.equal(t.body.customer.external_id, 'user-42');
  assert.equal(t.body.customer.verified, true);
  assert.equal(t.body.customer.email, 'ada@example.com');
});

test('identity verification: without a hash the user is not verified and the id is dropped',
  async () => {
    const res = await identBoot({ id: 'user-77', name: 'Mallory' });
    assert.equal(res.status, 200);
    assert.equal(res.body.verified, false);
    const sent = await api('POST', '/api/v1/widget/messages', {
      token: res.body.session, origin: IDENT_ORIGIN, body: { text: 'how do I export a report?' },
    }, ident);
    assert.equal(sent.status, 200);
    const t = await ticket(sent.body.conversation_id, ident);
    assert.equal(t.body.customer.external_id, `visitor:${res.body.visitor}`);
    assert.equal(t.body.customer.verified, false);
    assert.equal(t.body.customer.name, 'Mallory');
  });

// --- events -------------------------------------------------------------------------------

test('events: 202 with the accepted count', async () => {
  const { session } = await boot();
  const events = [event('rage_click', { target: 'button#export' }), event('dead_click'),
    event('js_error', { detail: { message: 'TypeError: x is undefined' } })];
  const res = await api('POST', '/api/v1/widget/events', { token: session, body: { events } });
  assert.equal(res.status, 202);
  assert.deepEqual(res.body, { accepted: 3 });
});

test('events: a bad kind is 400 naming events[i].kind; more than 100 is 400', async () => {
  const { session } = await boot();
  const post = (body) => api('POST', '/api/v1/widget/events', { token: session, body });
  const bad = await post({ events: [event('rage_click'), event('explosion')] });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid');
  assert.equal(bad.body.error.field, 'events[1].kind');
  const first = await post({ events: [{ ...event('nope') }] });
  assert.equal(first.body.error.field, 'events[0].kind');
  const noAt = await post({ events: [{ kind: 'rage_click', route: '/reports' }] });
  assert.equal(noAt.body.error.field, 'events[0].at');
  const noRoute = await post({ events: [{ kind: 'rage_click', at: Date.now() }] });
  assert.equal(noRoute.body.error.field, 'events[0].route');
  const extra = await post({ events: [{ ...event('rage_click'), color: 'red' }] });
  assert.equal(extra.body.error.field, 'events[0].color');
  const tooMany = await post({ events: Array.from({ length: 101 }, () => event('navigation')) });
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.body.error.field, 'events');
  const hundred = await post({ events: Array.from({ length: 100 }, () => event('navigation')) });
  assert.equal(hundred.status, 202);
  assert.equal(hundred.body.accepted, 100);
  const notArray = await post({ events: 'rage_click' });
  assert.equal(notArray.body.error.field, 'events');
});

test('events: without a session 401, with a foreign origin 403', async () => {
  const { session } = await boot();
  const body = { events: [event('rage_click')] };
  const none = await api('POST', '/api/v1/widget/events', { body });
  assert.equal(none.status, 401);
  const forged = await api('POST', '/api/v1/widget/events',
    { body, token: `${session.slice(0, -4)}AAAA` });
  assert.equal(forged.status, 401);
  const foreign = await api('POST', '/api/v1/widget/events',
    { body, token: session, origin: 'https://evil.example' });
  assert.equal(foreign.status, 403);
});

test('events before the first message are stored with the conversation it starts', async () => {
  const { session } = await boot();
  const early = [event('rage_click', { target: 'button#export-pdf' }),
    event('dead_click', { page_id: 'reports' })];
  const res = await api('POST', '/api/v1/widget/events', { token: session, body: { events: early } });
  assert.equal(res.status, 202);
  const sent = await send(session, { text: "why can't I export to PDF", page: REPORTS_PAGE });
  assert.equal(sent.status, 200);
  const t = await ticket(sent.body.conversation_id);
  assert.equal(t.status, 200);
  assert.deepEqual(t.body.events.map((e) => e.kind), ['rage_click', 'dead_click']);
  assert.ok(t.body.events.every((e) => e.route === '/reports'));
  assert.equal(t.body.events[0].detail.target, 'button#export-pdf');
  assert.equal(t.body.events[1].detail.page_id, 'reports');

  // Later events name the conversation and are stored with it at once.
  const later = await api('POST', '/api/v1/widget/events', {
    token: session,
    body: { conversation_id: sent.body.conversation_id, events: [event('form_abandon')] },
  });
  assert.equal(later.status, 202);
  const again = await ticket(sent.body.conversation_id);
  assert.deepEqual(again.body.events.map((e) => e.kind), ['rage_click', 'dead_click', 'form_abandon']);

  // Someone else's conversation is not found.
  const other = await boot();
  const foreign = await api('POST', '/api/v1/widget/events', {
    token: other.session,
    body: { conversation_id: sent.body.conversation_id, events: [event('form_abandon')] },
  });
  assert.equal(foreign.status, 404);
});

// --- messages: acceptance ------------------------------------------------------------------

test('ACCEPTANCE: a free-plan user on /reports asking about PDF export gets the AI answer naming '
  + 'the Starter plan', async () => {
  const { session } = await boot({ id: 'acme-free-1', plan: 'free' });
  const res = await send(session, { text: "why can't I export to PDF", page: REPORTS_PAGE });
  assert.equal(res.status, 200);
  const { decision, reply } = res.body;
  assert.equal(decision.lane, 'resolve');
  assert.equal(res.body.status, 'bot');
  assert.ok(reply, 'a reply is sent');
  assert.equal(reply.author, 'ai');
  assert.match(reply.body, /\bStarter\b/);
  assert.ok(reply.article && reply.article.slug, 'the answer names its article');
  assert.ok(reply.id > res.body.message_id);
});

test('ACCEPTANCE: "I was charged twice, I want my money back" is escalated to a person',
  async () => {
    const { session } = await boot({ id: 'acme-free-2', plan: 'free' });
    const res = await send(session,
      { text: 'I was charged twice, I want my money back', page: REPORTS_PAGE });
    assert.equal(res.status, 200);
    const { decision, reply, conversation_id: id } = res.body;
    assert.equal(decision.lane, 'escalate');
    assert.ok(decision.reasons.length > 0);
    assert.ok(decision.reasons.includes('HUMAN_ONLY_INTENT')
      || decision.reasons.includes('HIGH_STAKES_KEYWORD'), decision.reasons.join(','));
    assert.equal(res.body.status, 'open');
    assert.equal(reply.author, 'system', 'the customer is told a person has it');

    const inbox = await api('GET', '/api/v1/inbox', { token: ADMIN });
    assert.equal(inbox.status, 200);
    const row = inbox.body.items.find((item) => item.id === id);
    assert.ok(row, 'the conversation is in the inbox');
    assert.equal(row.lane, 'escalate');
    assert.equal(row.status, 'open');

    const t = await ticket(id);
    assert.equal(t.status, 200);
    assert.equal(t.body.status, 'open');
    assert.equal(t.body.lane, 'escalate');
    assert.equal(t.body.decisions.length, 1);
    const d = t.body.decisions[0];
    assert.equal(d.lane, 'escalate');
    assert.equal(d.message_id, res.body.message_id);
    assert.deepEqual(d.reasons, decision.reasons);
    assert.deepEqual(d.signals, decision.signals);
    assert.ok(Array.isArray(d.signals.high_stakes));
    assert.deepEqual(t.body.page, REPORTS_PAGE);
    assert.deepEqual(t.body.messages.map((m) => m.author), ['customer', 'system']);
    assert.equal(t.body.messages[0].body, 'I was charged twice, I want my money back');
    assert.equal(t.body.messages[1].id, reply.id);
    assert.ok(t.body.sla_due_at > 0);
  });

// --- messages: idempotency, ownership, limits, validation ----------------------------------

// The first answer is written from what the pipeline just recorded, a retry's is read back
// from the store: the same bytes, for an AI answer with its article, a hand-off with its
// notice, and a follow-up in a conversation an agent owns (status stays open, no reply).
test('messages: a retry with the same client_id answers exactly the first answer', async () => {
  const { session } = await boot();
  const body = { text: 'how do I export a report?', client_id: 'c-1', page: REPORTS_PAGE };
  const answered = await send(session, body);
  assert.equal(answered.status, 200);
  const first = answered.body;
  assert.equal(first.reply.author, 'ai');
  assert.ok(first.reply.article);
  const retry = await send(session, body);
  assert.equal(retry.status, 200);
  assert.equal(retry.text, answered.text, 'byte for byte, stored JSON texts as they were');

  const escalation = { text: 'I was charged twice, I want my money back', client_id: 'c-2' };
  const handed = await send(session, escalation);
  assert.equal(handed.body.status, 'open');
  assert.equal(handed.body.reply.author, 'system');
  assert.equal((await send(session, escalation)).text, handed.text);

  const id = handed.body.conversation_id;
  const agentReply = await api('POST', `/api/v1/tickets/${id}/reply`,
    { token: ADMIN, body: { body: 'Looking into it now.' } });
  assert.equal(agentReply.status, 201);
  const thanks = { text: 'ok thank you', conversation_id: id, client_id: 'c-3' };
  const later = await send(session, thanks);
  assert.equal(later.status, 200);
  assert.equal(later.body.status, 'open', 'the agent keeps the conversation');
  assert.equal(later.body.reply, null, 'the AI does not answer in an agent\'s conversation');
  assert.equal((await send(session, thanks)).text, later.text);
  const t = await ticket(first.conversation_id);
  assert.equal(t.body.messages.filter((m) => m.author === 'customer').length, 1);
  const changed = await send(session, { ...body, text: 'something else entirely' });
  assert.equal(changed.status, 409);
  assert.equal(changed.body.error.code, 'conflict');
  assert.equal(changed.body.error.field, 'client_id');
  // client_ids are per visitor: another visitor's c-1 is a message of its own.
  const other = await boot();
  const theirs = await send(other.session, body);
  assert.equal(theirs.status, 200);
  assert.notEqual(theirs.body.conversation_id, first.conversation_id);
});

// The inbox entry of a conversation waiting for a person moves only when its priority rises
// or its due time comes closer: a calmer follow-up changes neither (store/support.c writes
// those columns only when one changes).
test('messages: follow-ups keep a waiting conversation open; priority only rises, the SLA only tightens',
  async () => {
    const { session } = await boot();
    const state = async (id) => {
      const t = (await ticket(id)).body;
      const inbox = (await api('GET', '/api/v1/inbox?limit=200', { token: ADMIN })).body.items;
      const row = inbox.find((i) => i.id === id);
      assert.ok(row, 'in the inbox');
      assert.equal(row.priority, t.priority);
      assert.equal(row.sla_due_at, t.sla_due_at);
      return t;
    };
    const first = await send(session, { text: 'the dashboard chart looks a bit off, can someone check' });
    assert.equal(first.body.status, 'open');
    const id = first.body.conversation_id;
    const opened = await state(id);
    assert.equal(opened.priority, 2);
    const refund = await send(session,
      { text: 'I was charged twice, I want my money back', conversation_id: id });
    assert.equal(refund.body.decision.priority, 1);
    const raised = await state(id);
    assert.equal(raised.priority, 1, 'a more urgent message raises it');
    assert.ok(raised.sla_due_at <= opened.sla_due_at, 'and keeps the earlier due time');
    const thanks = await send(session, { text: 'ok thank you', conversation_id: id });
    assert.equal(thanks.body.decision.priority, 3);
    const calm = await state(id);
    assert.equal(calm.status, 'open', 'a person still has it');
    assert.equal(calm.priority, 1, 'a calmer message does not lower it');
    assert.equal(calm.sla_due_at, raised.sla_due_at);
    const down = await send(session, { conversation_id: id,
      text: 'URGENT: production is down, nobody on my team can log in, we are losing money every minute' });
    assert.equal(down.body.decision.priority, 0);
    const urgent = await state(id);
    assert.equal(urgent.priority, 0);
    assert.ok(urgent.sla_due_at < raised.sla_due_at, 'the tighter due time wins');
  });

test('messages: a follow-up joins the conversation; another visitor\'s conversation is 404',
  async () => {
    const mine = await boot();
    const first = await send(mine.session, { text: 'how do I export a report?' });
    const id = first.body.conversation_id;
    const next = await send(mine.session, { text: 'and to Excel?', conversation_id: id });
    assert.equal(next.status, 200);
    assert.equal(next.body.conversation_id, id);
    assert.ok(next.body.message_id > first.body.message_id);
    const other = await boot();
    const foreign = await send(other.session, { text: 'let me in', conversation_id: id });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error.code, 'not_found');
    const missing = await send(mine.session, { text: 'hello?', conversation_id: 999999 });
    assert.equal(missing.status, 404);
  });

test('messages: too long, too large, bad JSON, unknown and invalid fields', async () => {
  const { session } = await boot();
  const long = await send(session, { text: 'x'.repeat(8001) });
  assert.equal(long.status, 400);
  assert.equal(long.body.error.field, 'text');
  const large = await send(session, { text: 'hi', page: { route: '/', title: 'y'.repeat(70_000) } });
  assert.equal(large.status, 413);
  assert.equal(large.body.error.code, 'too_large');
  const broken = await send(session, '{"text": "unterminated');
  assert.equal(broken.status, 400);
  assert.equal(broken.body.error.code, 'bad_json');
  const array = await send(session, '["text"]');
  assert.equal(array.body.error.code, 'bad_json');
  const unknown = await send(session, { text: 'hi', mood: 'grumpy' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.field, 'mood');
  const empty = await send(session, { text: '' });
  assert.equal(empty.body.error.field, 'text');
  const route = await send(session, { text: 'hi', page: { route: 'reports' } });
  assert.equal(route.body.error.field, 'page.route');
  const feature = await send(session,
    { text: 'hi', page: { route: '/reports', features: [{ feature: 'pdf', enabled: 'no' }] } });
  assert.equal(feature.body.error.field, 'page.features[0].enabled');
  const plan = await send(session, { text: 'hi', page: { route: '/reports', plan: 'gold' } });
  assert.equal(plan.body.error.field, 'page.plan');
  const struggle = await send(session, { text: 'hi', struggle: [{ kind: 'boom', at: 1, route: '/' }] });
  assert.equal(struggle.body.error.field, 'struggle[0].kind');
  const longest = await send(session, { text: 'hi', client_id: 'c'.repeat(64) });
  assert.equal(longest.status, 200, 'a client_id of 64 bytes, the most openapi.json allows');
  const tooLong = await send(session, { text: 'hi', client_id: 'c'.repeat(65) });
  assert.equal(tooLong.status, 400);
  assert.equal(tooLong.body.error.field, 'client_id');
  const noSession = await api('POST', '/api/v1/widget/messages', { body: { text: 'hi' } });
  assert.equal(noSession.status, 401);
});

// --- polling ------------------------------------------------------------------------------

test('polling: the conversation\'s messages, only newer ones with ?after', async () => {
  const { session } = await boot();
  const res = await send(session, { text: "why can't I export to PDF", page: REPORTS_PAGE });
  const id = res.body.conversation_id;
  const poll = (query = '', options = {}) =>
    api('GET', `/api/v1/widget/conversations/${id}${query}`, { token: session, ...options });
  const all = await poll();
  assert.equal(all.status, 200);
  assert.equal(all.body.conversation_id, id);
  assert.equal(all.body.status, res.body.status);
  assert.deepEqual(all.body.messages.map((m) => m.id), [res.body.message_id, res.body.reply.id]);
  const newer = await poll(`?after=${res.body.message_id}`);
  assert.deepEqual(newer.body.messages, [all.body.messages[1]]);
  const none = await poll(`?after=${res.body.reply.id}`);
  assert.deepEqual(none.body.messages, []);
  const bad = await poll('?after=soon');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'after');
  const other = await boot();
  const foreign = await poll('', { token: other.session });
  assert.equal(foreign.status, 404);
  const missing = await api('GET', '/api/v1/widget/conversations/999999', { token: session });
  assert.equal(missing.status, 404);
  const anonymous = await poll('', { token: undefined });
  assert.equal(anonymous.status, 401);
});

// --- the model ----------------------------------------------------------------------------

test('model: gzip bytes of a .pwm file, an ETag, 304 for If-None-Match, 401 without app_key',
  async () => {
    const s = await boot();
    const res = await api('GET', s.model.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    assert.equal(res.headers.get('content-encoding'), null);
    assert.deepEqual([...res.body.subarray(0, 2)], [0x1f, 0x8b], 'gzip magic');
    const model = gunzipSync(res.body);
    assert.equal(model.subarray(0, 4).toString('latin1'), 'PWM\0');
    assert.ok(model.length > 1000);
    const etag = res.headers.get('etag');
    assert.equal(etag, s.model.etag);
    const cached = await api('GET', s.model.url, { headers: { 'If-None-Match': etag } });
    assert.equal(cached.status, 304);
    assert.equal(cached.body, null);
    assert.equal(cached.headers.get('etag'), etag);
    const stale = await api('GET', s.model.url, { headers: { 'If-None-Match': '"stale"' } });
    assert.equal(stale.status, 200);
    const keyless = await api('GET', '/api/v1/widget/model');
    assert.equal(keyless.status, 401);
    assert.equal(keyless.body.error.field, 'app_key');
    const unknown = await api('GET', '/api/v1/widget/model?app_key=pk_nope');
    assert.equal(unknown.status, 401);
  });

// --- CORS ---------------------------------------------------------------------------------

test('CORS: the preflight of a widget call allows the page\'s origin and the headers it sends',
  async () => {
    // A preflight is CORS protocol, not an API operation: the document has no OPTIONS.
    const res = await fetch(`${server.base}/api/v1/widget/messages`, {
      method: 'OPTIONS',
      headers: {
        Origin: server.base, 'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), server.base);
    assert.match(res.headers.get('access-control-allow-methods'), /\bPOST\b/);
    assert.match(res.headers.get('access-control-allow-headers'), /Authorization/i);
    assert.match(res.headers.get('access-control-allow-headers'), /Content-Type/i);
    const boot = await api('POST', '/api/v1/widget/boot', { body: { app_key: DEMO_KEY } });
    assert.equal(boot.headers.get('access-control-allow-origin'), server.base);
    assert.match(boot.headers.get('access-control-expose-headers'), /ETag/);
    // Customers rate from the host's pages too.
    const csat = await fetch(`${server.base}/api/v1/csat`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(csat.status, 204);
    assert.equal(csat.headers.get('access-control-allow-origin'), 'https://app.example.com');
    // The widget's files load on any host page: one Access-Control-Allow-Origin, "*".
    const file = await fetch(`${server.base}/widget/pagewise.js`,
      { headers: { Origin: 'https://app.example.com' } });
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('access-control-allow-origin'), '*');
    await file.arrayBuffer();
  });

test('CORS: agent endpoints answer no preflight for other origins', async () => {
  const res = await fetch(`${server.base}/api/v1/tickets`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'DELETE' },
  });
  assert.equal(res.headers.get('access-control-allow-origin'), null);
  assert.equal(res.headers.get('access-control-allow-methods'), null);
  await res.arrayBuffer();
});

test('a message from the help portal is filed as a portal conversation; other channels are refused', async () => {
  const { session } = await boot();
  const res = await send(session, { text: 'How do I invite a teammate?', channel: 'portal' });
  assert.equal(res.status, 200);
  const t = await ticket(res.body.conversation_id);
  assert.equal(t.body.channel, 'portal');
  const plain = await send(session, { text: 'Where do I change my avatar?' });
  assert.equal((await ticket(plain.body.conversation_id)).body.channel, 'widget');
  const bad = await send(session, { text: 'hello there', channel: 'email' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'channel');
});

test('the widget operations had their documented answers', () => {
  const expected = [
    'POST /api/v1/widget/boot 200', 'POST /api/v1/widget/boot 400',
    'POST /api/v1/widget/boot 401', 'POST /api/v1/widget/boot 403',
    'POST /api/v1/widget/events 202', 'POST /api/v1/widget/events 400',
    'POST /api/v1/widget/events 401', 'POST /api/v1/widget/events 403',
    'POST /api/v1/widget/events 404',
    'POST /api/v1/widget/messages 200', 'POST /api/v1/widget/messages 400',
    'POST /api/v1/widget/messages 401', 'POST /api/v1/widget/messages 404',
    'POST /api/v1/widget/messages 409', 'POST /api/v1/widget/messages 413',
    'GET /api/v1/widget/conversations/{id} 200', 'GET /api/v1/widget/conversations/{id} 400',
    'GET /api/v1/widget/conversations/{id} 401', 'GET /api/v1/widget/conversations/{id} 404',
    'GET /api/v1/widget/model 200', 'GET /api/v1/widget/model 304',
    'GET /api/v1/widget/model 401',
  ];
  const seen = new Set(cov.seen());
  assert.deepEqual(expected.filter((k) => !seen.has(k)), []);
});
