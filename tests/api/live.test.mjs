// The live endpoint (/api/v1/live, WebSocket) against a real server: who may connect and watch
// what, an agent's reply and status changes pushed to the customer, typing relayed, the inbox
// told of new tickets, bad frames refused. And the promise of the protocol: a customer whose
// connection dies over and over while an agent keeps replying, and who reconnects from the
// last message it has, ends with every message exactly once, in order.
// Runs with node --experimental-websocket (Node 20's WebSocket client).
// SPDX-License-Identifier: MIT
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../harness/server.mjs';

const ADMIN = 'live-test-admin-token-000001';
const DEMO_KEY = 'pk_demo_acme';
const WAIT_MS = 10000;

let server;
before(async () => { server = await startServer({ env: { PAGEWISE_ADMIN_TOKEN: ADMIN } }); });
after(async () => { await server?.stop(); });

async function post(path, body, headers = {}) {
  const res = await fetch(server.base + path, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers },
  });
  return { status: res.status, body: await res.json() };
}

const asAgent = { Authorization: `Bearer ${ADMIN}` };

async function visitorWithConversation(text = 'I was charged twice, I want my money back') {
  const boot = await post('/api/v1/widget/boot', { app_key: DEMO_KEY }, { Origin: server.base });
  assert.equal(boot.status, 200);
  const msg = await post('/api/v1/widget/messages', { text },
    { Origin: server.base, Authorization: `Bearer ${boot.body.session}` });
  assert.equal(msg.status, 200);
  return { session: boot.body.session, id: msg.body.conversation_id, msg: msg.body };
}

// A client that keeps every frame; next(pred) waits for the first unconsumed frame matching.
function connect({ origin = server.base } = {}) {
  const ws = new WebSocket(`${server.base.replace('http', 'ws')}/api/v1/live`,
    origin ? { headers: { Origin: origin } } : undefined);
  const frames = [];
  const waiters = [];
  let closed = false;
  const settle = () => {
    for (const w of [...waiters]) {
      const i = frames.findIndex(w.pred);
      if (i >= 0) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frames.splice(i, 1)[0]);
      } else if (closed) {
        waiters.splice(waiters.indexOf(w), 1);
        w.reject(new Error(`closed before a frame came; left: ${JSON.stringify(frames)}`));
      }
    }
  };
  ws.onmessage = (e) => { frames.push(JSON.parse(e.data)); settle(); };
  ws.onclose = () => { closed = true; settle(); };
  const opened = new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error('the connection failed'));
  });
  return {
    ws, frames, opened,
    get closed() { return closed; },
    send: (f) => ws.send(typeof f === 'string' ? f : JSON.stringify(f)),
    next(pred = () => true, ms = WAIT_MS) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no frame came; got ${JSON.stringify(frames)}`)), ms);
        waiters.push({ pred, resolve: (f) => { clearTimeout(timer); resolve(f); },
          reject: (e) => { clearTimeout(timer); reject(e); } });
        settle();
      });
    },
    waitClosed: () => new Promise((resolve) => (closed ? resolve() : ws.addEventListener('close', resolve))),
    close: () => ws.close(),
  };
}

async function signedIn(auth, options) {
  const c = connect(options);
  await c.opened;
  c.send({ type: 'auth', ...auth });
  return c;
}

const ofType = (type) => (f) => f.type === type;

test('a customer watching their conversation gets the agent reply, typing and the resolution', async () => {
  const { session, id } = await visitorWithConversation();
  const customer = await signedIn({ session });
  assert.deepEqual(await customer.next(ofType('ready')), { type: 'ready', role: 'visitor' });
  customer.send({ type: 'watch', conversation_id: id, after: 0 });
  const history = await customer.next(ofType('conversation'));
  assert.equal(history.conversation_id, id);
  assert.equal(history.status, 'open');
  assert.deepEqual(history.messages.map((m) => m.author), ['customer', 'system']);

  const agent = await signedIn({ token: ADMIN });
  assert.equal((await agent.next(ofType('ready'))).role, 'agent');
  agent.send({ type: 'watch', conversation_id: id, after: history.messages.at(-1).id });
  agent.send({ type: 'typing', conversation_id: id, typing: true });
  const typing = await customer.next(ofType('typing'));
  assert.deepEqual(typing, { type: 'typing', conversation_id: id, author: 'agent', name: 'Admin',
    typing: true });

  const reply = await post(`/api/v1/tickets/${id}/reply`, { body: 'Refunded: sorry about that.' },
    asAgent);
  assert.equal(reply.status, 201);
  const pushed = await customer.next(ofType('conversation'));
  assert.deepEqual(pushed.messages.map((m) => [m.id, m.author, m.body]),
    [[reply.body.id, 'agent', 'Refunded: sorry about that.']]);
  assert.equal(pushed.messages[0].agent.name, 'Admin');

  const resolved = await post(`/api/v1/tickets/${id}/resolve`, { category: 'billing' }, asAgent);
  assert.equal(resolved.status, 200);
  const status = await customer.next(ofType('conversation'));
  assert.equal(status.status, 'resolved');
  assert.deepEqual(status.messages, []);
  assert.equal(typeof status.csat_token, 'string', 'the customer can rate the conversation');
  // The agent sees the same changes; their own typing never comes back to them.
  await agent.next((f) => f.type === 'conversation' && f.status === 'resolved');
  assert.equal(agent.frames.filter(ofType('typing')).length, 0);
  customer.close();
  agent.close();
});

test('a connection that dies again and again loses no message and repeats none', async () => {
  const { session, id } = await visitorWithConversation('My invoice is wrong and I need it fixed');
  const seen = []; // every message id the customer was sent, in arrival order
  let customer = await signedIn({ session });
  customer.send({ type: 'watch', conversation_id: id, after: 0 });
  const record = async (c) => {
    for (const f of c.frames.splice(0)) if (f.type === 'conversation') seen.push(...f.messages.map((m) => m.id));
  };
  await customer.next(ofType('conversation')).then((f) => seen.push(...f.messages.map((m) => m.id)));
  const sent = [];
  for (let round = 0; round < 6; round++) {
    // Replies land while the customer is connected, while it is gone, and as it comes back.
    const burst = [];
    for (let i = 0; i < 3; i++) {
      burst.push(post(`/api/v1/tickets/${id}/reply`, { body: `reply ${round}.${i}` }, asAgent));
      if (i === 1) customer.ws.close(); // mid-burst, as a dropped network does
    }
    for (const r of await Promise.all(burst)) {
      assert.equal(r.status, 201);
      sent.push(r.body.id);
    }
    await customer.waitClosed();
    await record(customer);
    customer = await signedIn({ session });
    await customer.next(ofType('ready'));
    customer.send({ type: 'watch', conversation_id: id, after: Math.max(...seen) });
    const update = await customer.next(ofType('conversation'));
    seen.push(...update.messages.map((m) => m.id));
  }
  // The last burst may still be on its way: wait until every sent reply was seen.
  const deadline = Date.now() + WAIT_MS;
  while (!sent.every((s) => seen.includes(s)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    await record(customer);
  }
  customer.close();
  assert.equal(new Set(seen).size, seen.length, `no id twice: ${seen}`);
  assert.deepEqual([...seen].sort((a, b) => a - b), seen, 'in order');
  for (const s of sent) assert.ok(seen.includes(s), `reply ${s} reached the customer`);
});

test('agents watching the inbox hear of new tickets and of changes', async () => {
  const agent = await signedIn({ token: ADMIN });
  await agent.next(ofType('ready'));
  agent.send({ type: 'watch_inbox' });
  agent.send({ type: 'ping' });
  await agent.next(ofType('pong')); // the watch is in before the ticket is filed
  const t = await post('/api/v1/tickets', { text: 'Our SSO login is broken for everyone',
    channel: 'email', customer: { email: 'it@example.com', plan: 'enterprise' } }, asAgent);
  assert.equal(t.status, 201);
  assert.deepEqual(await agent.next(ofType('inbox')), { type: 'inbox', conversation_id: t.body.id });
  agent.close();
});

test('only the owner and agents may watch; a customer may not watch the inbox', async () => {
  const a = await visitorWithConversation();
  const b = await visitorWithConversation('Where do I change my password?');
  const customer = await signedIn({ session: b.session });
  await customer.next(ofType('ready'));
  customer.send({ type: 'watch', conversation_id: a.id, after: 0 });
  assert.equal((await customer.next(ofType('error'))).code, 'not_found');
  customer.send({ type: 'watch', conversation_id: 999999, after: 0 });
  assert.equal((await customer.next(ofType('error'))).code, 'not_found');
  customer.send({ type: 'watch_inbox' });
  assert.equal((await customer.next(ofType('error'))).code, 'forbidden');
  customer.send({ type: 'watch', conversation_id: 'one' });
  assert.equal((await customer.next(ofType('error'))).code, 'invalid');
  customer.send({ type: 'typing', conversation_id: a.id, typing: true }); // not watched: ignored
  customer.send({ type: 'auth', session: b.session });
  assert.equal((await customer.next(ofType('error'))).code, 'conflict');
  assert.equal(customer.closed, false, 'refusals keep the connection');
  customer.close();
});

test('a connection must sign in first, with a valid session from an allowed origin', async () => {
  const { session } = await visitorWithConversation();
  const cases = [
    [{ type: 'watch', conversation_id: 1 }, 'unauthorized', {}],
    [{ type: 'auth', session: 'not-a-session' }, 'unauthorized', {}],
    [{ type: 'auth', token: 'wrong-agent-token-000000000' }, 'unauthorized', {}],
    [{ type: 'auth' }, 'unauthorized', {}],
    [{ type: 'auth', session }, 'forbidden', { origin: 'https://evil.example' }],
    [{ type: 'auth', session }, 'forbidden', { origin: null }],
  ];
  for (const [frame, code, options] of cases) {
    const c = connect(options);
    await c.opened;
    c.send(frame);
    const f = await c.next(ofType('error'));
    assert.equal(f.code, code, JSON.stringify(frame));
    assert.ok(f.message.length > 0);
    await c.waitClosed();
  }
});

test('bad frames get a clear error: not JSON, no type, too large', async () => {
  const c = await signedIn({ token: ADMIN });
  await c.next(ofType('ready'));
  c.send('not json at all');
  assert.equal((await c.next(ofType('error'))).code, 'bad_json');
  c.send({ hello: 1 });
  assert.equal((await c.next(ofType('error'))).code, 'invalid');
  c.send({ type: 'frobnicate' });
  assert.equal((await c.next(ofType('error'))).code, 'invalid');
  c.send({ type: 'ping' });
  await c.next(ofType('pong'));
  c.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(9000) }));
  assert.equal((await c.next(ofType('error'))).code, 'too_large');
  await c.waitClosed();
  // The server is fine afterwards.
  const health = await fetch(`${server.base}/api/v1/health`);
  assert.equal(health.status, 200);
});

test('live connections take at most half the worker threads; the rest stay for requests', async () => {
  const small = await startServer({ config: { threads: 6 } }); // room for 3 live connections
  try {
    const open = [];
    const url = `${small.base.replace('http', 'ws')}/api/v1/live`;
    const refused = [];
    for (let i = 0; i < 5; i++) {
      const ws = new WebSocket(url);
      const outcome = await new Promise((resolve) => {
        ws.onopen = () => {
          ws.send(JSON.stringify({ type: 'ping' }));
          ws.onmessage = (e) => resolve(JSON.parse(e.data));
        };
        ws.onerror = () => resolve({ type: 'refused' });
        ws.onclose = () => resolve({ type: 'closed' });
      });
      (outcome.type === 'pong' ? open : refused).push(outcome);
      if (outcome.type === 'pong') open[open.length - 1] = ws;
    }
    assert.equal(open.length, 3);
    assert.equal(refused.length, 2);
    const health = await fetch(`${small.base}/api/v1/health`); // requests still have threads
    assert.equal(health.status, 200);
    for (const ws of open) ws.close();
  } finally {
    await small.stop();
  }
});

test('a plain GET of the live endpoint is a JSON 404, not a hang', async () => {
  const res = await fetch(`${server.base}/api/v1/live`);
  assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
});
