// Restarting on the same data directory: tickets, conversations, agents and their tokens, widget
// sessions and CSAT tokens (the signing key lives in the store) all survive a clean stop — and
// every acknowledged write survives SIGKILL.
// SPDX-License-Identifier: MIT
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../harness/server.mjs';
import { loadSpec, apiFetch } from '../harness/openapi.mjs';

const spec = loadSpec();
const ADMIN = 'restart-test-admin-token-0001';

let server;
before(async () => { server = await startServer({ env: { PAGEWISE_ADMIN_TOKEN: ADMIN } }); });
after(async () => { await server?.stop(); });

function api(method, path, options = {}) {
  return apiFetch(spec, server.base, method, path, { token: ADMIN, ...options });
}

// The widget calls from the page the demo app serves (its origin follows the server's port).
function widget(method, path, session, body) {
  return apiFetch(spec, server.base, method, path,
    { token: session, body, headers: { Origin: server.base } });
}

async function createTicket(text, email) {
  const res = await api('POST', '/api/v1/tickets',
    { body: { text, channel: 'email', customer: { email, plan: 'pro' } } });
  assert.equal(res.status, 201);
  return res.body;
}

test('a clean stop and start on the same data directory keeps everything', async () => {
  const tickets = [
    await createTicket('I was charged twice, I want my money back', 'one@example.com'),
    await createTicket('How do I export a report to CSV?', 'two@example.com'),
  ];
  const agent = await api('POST', '/api/v1/agents',
    { body: { name: 'Persistent Pat', email: 'pat@support.example', role: 'agent' } });
  assert.equal(agent.status, 201);
  await api('POST', `/api/v1/tickets/${tickets[0].id}/assign`, { body: { agent_id: agent.body.agent.id } });
  const resolved = await api('POST', `/api/v1/tickets/${tickets[1].id}/resolve`,
    { body: { category: 'how-to' } });
  const csatToken = resolved.body.csat_token;

  const { body: { session } } = await widget('POST', '/api/v1/widget/boot', null,
    { app_key: 'pk_demo_acme' });
  const sent = await widget('POST', '/api/v1/widget/messages', session,
    { text: "why can't I export to PDF", page: { route: '/reports', plan: 'free' } });
  assert.equal(sent.status, 200);
  const conversationId = sent.body.conversation_id;
  const ids = [...tickets.map((t) => t.id), conversationId];

  const before = {};
  for (const id of ids) before[id] = (await api('GET', `/api/v1/tickets/${id}`)).body;
  const list = (await api('GET', '/api/v1/tickets')).body;
  const agents = (await api('GET', '/api/v1/agents')).body;
  const polled = (await widget('GET', `/api/v1/widget/conversations/${conversationId}`, session)).body;

  const { code } = await server.stop({ keepData: true });
  assert.equal(code, 0, 'SIGTERM stops the server cleanly');
  await server.restart();

  for (const id of ids) {
    const res = await api('GET', `/api/v1/tickets/${id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, before[id], `ticket ${id}`);
  }
  assert.deepEqual((await api('GET', '/api/v1/tickets')).body, list, 'the admin token still works');
  assert.deepEqual((await api('GET', '/api/v1/agents')).body, agents);
  const asAgent = await api('GET', '/api/v1/inbox?assignee=me', { token: agent.body.token });
  assert.equal(asAgent.status, 200, 'the agent token still works');
  assert.deepEqual(asAgent.body.items.map((t) => t.id), [tickets[0].id]);

  // The widget session signed before the restart is still good: the key is in the store.
  const again = await widget('GET', `/api/v1/widget/conversations/${conversationId}`, session);
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, polled);
  const followUp = await widget('POST', '/api/v1/widget/messages', session,
    { text: 'and to Excel?', conversation_id: conversationId });
  assert.equal(followUp.status, 200);
  assert.equal(followUp.body.conversation_id, conversationId);

  // A customer's messages from before the restart are still their history.
  const repeated = await createTicket('How do I export a report to CSV?', 'two@example.com');
  assert.equal(repeated.decisions[0].signals.repeated_question, true);

  // So is the CSAT token handed out before it.
  const rated = await apiFetch(spec, server.base, 'POST', '/api/v1/csat',
    { body: { token: csatToken, score: 5 } });
  assert.equal(rated.status, 201);
});

test('every acknowledged write survives SIGKILL', async () => {
  const made = [];
  for (let i = 0; i < 5; i++) {
    made.push(await createTicket(`Where is the dark mode setting? (${i})`, `kill${i}@example.com`));
  }
  const { sig } = await server.kill9();
  assert.equal(sig, 'SIGKILL');
  await server.restart();
  for (const t of made) {
    const res = await api('GET', `/api/v1/tickets/${t.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.messages, t.messages);
    assert.deepEqual(res.body.decisions, t.decisions);
  }
  const health = await api('GET', '/api/v1/health');
  assert.equal(health.body.status, 'ok');
});
