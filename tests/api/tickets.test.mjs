// Tickets, the inbox, the agent's actions (reply, draft, resolve, assign) and CSAT against a real
// server. Lists are checked against a full walk of GET /api/v1/tickets filtered here, so the
// tests do not depend on which lane the demo model picks for a given text.
// SPDX-License-Identifier: MIT
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../harness/server.mjs';
import { loadSpec, apiFetch, coverage } from '../harness/openapi.mjs';

const spec = loadSpec();
const cov = coverage(spec);
const ADMIN = 'tickets-test-admin-token-0001';

let server;
let agent; // { id, token } of an agent (not admin)
const created = []; // Tickets made by the setup

function api(method, path, options = {}) {
  return apiFetch(spec, server.base, method, path, { token: ADMIN, ...options, coverage: cov });
}

let emails = 0;
function ticketInput(text, customer = {}, extra = {}) {
  return {
    text, channel: 'email', customer: { email: `customer${++emails}@example.com`, ...customer },
    ...extra,
  };
}

// The Ticket a GET reads from the store, without the context gathered for an agent: what the 201
// (a TicketRecord) must be, member for member and in the same order.
function asRecord(ticket) {
  const { customer_history: _h, suggested_articles: _s, ...record } = ticket;
  return record;
}

// The 201 is written in the writer's job from what it has just recorded, a GET reads the store:
// the same members and values, whatever the lane, draft or customer history. Returns the Ticket.
async function create(text, customer, extra, token = ADMIN) {
  const res = await api('POST', '/api/v1/tickets', { body: ticketInput(text, customer, extra), token });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.ok(!('customer_history' in res.body) && !('suggested_articles' in res.body));
  const stored = await api('GET', `/api/v1/tickets/${res.body.id}`);
  assert.equal(stored.status, 200);
  assert.equal(JSON.stringify(res.body), JSON.stringify(asRecord(stored.body)),
    `${text}: the 201 is the ticket as stored`);
  return stored.body;
}

// Every page of a list, following next_cursor.
async function walk(path, limit) {
  const ids = [];
  const items = [];
  let cursor = null;
  for (let pages = 0; pages < 1000; pages++) {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await api('GET', url);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.items.length <= limit);
    for (const item of res.body.items) { ids.push(item.id); items.push(item); }
    cursor = res.body.next_cursor;
    if (cursor === null) return { ids, items };
  }
  throw new Error(`${path}: the cursor never ends`);
}

// Texts the demo model sends to different lanes and priorities (the tests only need variety).
const MIX = [
  ['How do I export a report to CSV?', { plan: 'pro' }],
  ['I was charged twice, I want my money back', { plan: 'free' }],
  ['URGENT: nobody on our team can log in, production is down!!!',
    { plan: 'enterprise', flags: ['vip'] }],
  ['I want to cancel my subscription', { plan: 'starter' }],
  ['what is the price of pro', { plan: 'pro' }],
  ['I cannot find the archive button', { plan: 'pro' }],
  ['how do I invite a teammate', { plan: 'free' }],
  ['my invoice shows the wrong VAT number', { plan: 'starter', flags: ['past_due'] }],
  ['Please delete all my personal data under GDPR', { plan: 'pro' }],
];

before(async () => {
  server = await startServer({ env: { PAGEWISE_ADMIN_TOKEN: ADMIN } });
  const res = await api('POST', '/api/v1/agents',
    { body: { name: 'Grace Agent', email: 'grace@support.example', role: 'agent' } });
  assert.equal(res.status, 201);
  agent = { id: res.body.agent.id, token: res.body.token };
  for (const [text, customer] of MIX) created.push(await create(text, customer));
});
after(async () => { await server?.stop(); });

const byStatus = (status) => created.filter((t) => t.status === status);

// --- create ----------------------------------------------------------------------------------

test('create: 201 with the ticket as recorded, run through the pipeline', async () => {
  const page = { route: '/projects/:id/export', page_id: 'project-export', plan: 'pro',
    url: 'https://app.example.com/projects/7/export?token=secret#x' };
  const res = await api('POST', '/api/v1/tickets', {
    body: ticketInput('How do I export a project to Excel?',
      { name: 'Ada Lovelace', plan: 'pro', flags: ['vip', 'churn_risk'], id: 'acme-user-9' },
      { subject: 'Export question', page }),
  });
  assert.equal(res.status, 201);
  const t = res.body;
  assert.equal(t.channel, 'email');
  assert.equal(t.subject, 'Export question');
  assert.equal(t.customer.name, 'Ada Lovelace');
  assert.equal(t.customer.plan, 'pro');
  assert.equal(t.customer.external_id, 'acme-user-9');
  assert.deepEqual([...t.customer.flags].sort(), ['churn_risk', 'vip']);
  assert.equal(t.messages[0].author, 'customer');
  assert.equal(t.messages[0].body, 'How do I export a project to Excel?');
  assert.equal(t.decisions.length, 1);
  assert.equal(t.decisions[0].message_id, t.messages[0].id);
  assert.equal(t.lane, t.decisions[0].lane);
  assert.equal(t.page.route, '/projects/:id/export');
  assert.equal(t.page.url, 'https://app.example.com/projects/7/export', 'query and fragment dropped');
  const again = await api('GET', `/api/v1/tickets/${t.id}`);
  assert.equal(again.status, 200);
  assert.equal(JSON.stringify(asRecord(again.body)), JSON.stringify(t),
    'the 201 is written in the writer\'s job, GET from the store');
  assert.ok(Array.isArray(again.body.suggested_articles) && again.body.suggested_articles.length > 0,
    'GET adds the articles to consider');
  // The same customer again, on another plan: history, and the customer as now stored.
  const next = await create('I was charged twice, I want my money back',
    { id: 'acme-user-9', plan: 'enterprise', name: 'Ada King' });
  assert.equal(next.customer.plan, 'enterprise');
  assert.equal(next.customer.name, 'Ada King');
  assert.deepEqual(next.customer_history.map((h) => h.id), [t.id]);
  assert.ok(next.draft === null || next.draft.status === 'pending');
});

// A customer's earlier messages are the history the core reads for a repeated question: the
// latest 16, from every conversation, as the store holds them (the server keeps them in memory
// between messages, and must keep them exactly).
test('create: a customer\'s latest 16 messages count as history; the stored plan decides', async () => {
  const question = 'How do I export a report to CSV from the dashboard?';
  const repeats = (t) => t.decisions[0].signals.repeated_question;
  const other = (i) => `Where can I change my avatar picture, attempt ${i}?`;
  const within = { email: 'history-within@example.com' };
  assert.equal(repeats(await create(question, within)), false, 'a first message repeats nothing');
  for (let i = 0; i < 15; i++) await create(other(i), within);
  assert.equal(repeats(await create(question, within)), true, '16 back is still history');
  const beyond = { email: 'history-beyond@example.com' };
  await create(question, beyond);
  for (let i = 0; i < 16; i++) await create(other(i), beyond);
  assert.equal(repeats(await create(question, beyond)), false, '17 back is not');
  assert.equal(repeats(await create(question, { email: 'history-other@example.com' })), false,
    'another customer\'s messages are not history');

  // The plan sent with a message is kept for the next one that names none.
  const asks = "why can't I export to PDF";
  const page = { route: '/reports' };
  const planned = (plan) => ({ email: 'history-plan@example.com', ...(plan ? { plan } : {}) });
  const blocked = (t) => t.decisions[0].reasons.includes('FEATURE_DISABLED_BY_PLAN');
  assert.equal(blocked(await create(asks, planned('free'), { page })), true, 'free: the plan');
  assert.equal(blocked(await create(asks, planned('pro'), { page })), false, 'pro: no plan gate');
  assert.equal(blocked(await create(asks, planned(null), { page })), false, 'still pro');
});

test('create: invalid input names the field; no or a wrong token is 401', async () => {
  const post = (body, options = {}) => api('POST', '/api/v1/tickets', { body, ...options });
  const cases = [
    [{ text: 'hi', channel: 'email', customer: {} }, 'customer.email'],
    [{ text: 'hi', channel: 'email', customer: { email: 'not-an-email' } }, 'customer.email'],
    [{ text: 'hi', channel: 'email' }, 'customer'],
    [ticketInput('hi', { flags: ['vip', 'royalty'] }), 'customer.flags'],
    [ticketInput('hi', { flags: 'vip' }), 'customer.flags'],
    [ticketInput('hi', { plan: 'gold' }), 'customer.plan'],
    [ticketInput('hi', {}, { channel: 'fax' }), 'channel'],
    [ticketInput(''), 'text'],
    [ticketInput('hi', {}, { priority: 0 }), 'priority'],
    [ticketInput('hi', { age: 40 }), 'customer.age'],
    [ticketInput('hi', {}, { page: { route: '/x', errors: 'boom' } }), 'page.errors'],
    [ticketInput('hi', {}, { client_id: 'c'.repeat(65) }), 'client_id'],
  ];
  for (const [body, field] of cases) {
    const res = await post(body);
    assert.equal(res.status, 400, field);
    assert.equal(res.body.error.code, 'invalid', field);
    assert.equal(res.body.error.field, field, JSON.stringify(body));
  }
  const royal = await post(ticketInput('hi', { flags: ['vip', 'royalty'] }));
  assert.equal(royal.body.error.message, 'flags are past_due, churn_risk, vip and open_incident');
  const broken = await post('{"text":');
  assert.equal(broken.status, 400);
  assert.equal(broken.body.error.code, 'bad_json');
  const large = await post(ticketInput('x'.repeat(70_000)));
  assert.equal(large.status, 413);
  const none = await post(ticketInput('hi'), { token: null });
  assert.equal(none.status, 401);
  assert.equal(none.body.error.code, 'unauthorized');
  const wrong = await post(ticketInput('hi'), { token: 'not-a-real-token-at-all' });
  assert.equal(wrong.status, 401);
});

test('create: client_id makes a retry return the same ticket; another text is 409', async () => {
  const body = ticketInput('How do I export a report to PDF?', { plan: 'pro' },
    { client_id: 'mail-4711' });
  const first = await api('POST', '/api/v1/tickets', { body });
  assert.equal(first.status, 201);
  const retry = await api('POST', '/api/v1/tickets', { body });
  assert.equal(retry.status, 201);
  assert.equal(retry.body.id, first.body.id);
  // The first 201 was written in the writer's job, the retry's is read from the store.
  assert.equal(retry.text, first.text, 'a retry answers with the first 201, byte for byte');
  const other = await api('POST', '/api/v1/tickets', { body: { ...body, text: 'Something else' } });
  assert.equal(other.status, 409);
  assert.equal(other.body.error.field, 'client_id');
});

// --- list and get ----------------------------------------------------------------------------

test('list: every filter matches the full list filtered here; paging misses and repeats nothing',
  async () => {
    const full = await walk('/api/v1/tickets', 200);
    assert.ok(full.ids.length >= MIX.length);
    const sorted = [...full.ids].sort((a, b) => b - a);
    assert.deepEqual(full.ids, sorted, 'newest first');
    for (const limit of [1, 2, 3, 5]) {
      const paged = await walk('/api/v1/tickets', limit);
      assert.equal(new Set(paged.ids).size, paged.ids.length, `limit ${limit}: no duplicates`);
      assert.deepEqual(paged.ids, full.ids, `limit ${limit}: nothing missing`);
    }
    const { intent } = full.items.find((t) => t.intent !== null);
    const lanes = new Set(full.items.map((t) => t.lane));
    const statuses = new Set(full.items.map((t) => t.status));
    assert.ok(lanes.size >= 2 && statuses.size >= 2, 'the mix has variety to filter');
    const filters = [
      ...[...statuses].map((v) => [`status=${v}`, (t) => t.status === v]),
      ...['bot', 'open', 'resolved'].map((v) => [`status=${v}`, (t) => t.status === v]),
      ...['email', 'api', 'widget'].map((v) => [`channel=${v}`, (t) => t.channel === v]),
      ...['resolve', 'assist', 'escalate'].map((v) => [`lane=${v}`, (t) => t.lane === v]),
      [`intent=${intent}`, (t) => t.intent === intent],
      [`customer=${full.items[1].customer.id}`, (t) => t.customer.id === full.items[1].customer.id],
      ['status=open&lane=escalate', (t) => t.status === 'open' && t.lane === 'escalate'],
    ];
    for (const [query, keep] of filters) {
      const got = await walk(`/api/v1/tickets?${query}`, 2);
      assert.deepEqual(got.ids, full.items.filter(keep).map((t) => t.id), query);
    }
    for (const [query, field] of [['limit=0', 'limit'], ['limit=201', 'limit'],
      ['limit=ten', 'limit'], ['cursor=abc', 'cursor'], ['status=closed', 'status'],
      ['channel=fax', 'channel'], ['lane=maybe', 'lane'], ['customer=me', 'customer']]) {
      const res = await api('GET', `/api/v1/tickets?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error.field, field, query);
    }
    const anonymous = await api('GET', '/api/v1/tickets', { token: null });
    assert.equal(anonymous.status, 401);
  });

test('get: a ticket by id; 404 for one that does not exist; 401 without a token', async () => {
  const res = await api('GET', `/api/v1/tickets/${created[1].id}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.id, created[1].id);
  assert.equal(res.body.messages[0].body, MIX[1][0]);
  for (const path of ['/api/v1/tickets/999999', '/api/v1/tickets/abc', '/api/v1/tickets/0']) {
    const missing = await api('GET', path);
    assert.equal(missing.status, 404, path);
    assert.equal(missing.body.error.code, 'not_found');
  }
  const anonymous = await api('GET', `/api/v1/tickets/${created[1].id}`, { token: null });
  assert.equal(anonymous.status, 401);
});

// --- inbox -----------------------------------------------------------------------------------

const inboxOrder = (a, b) => a.priority - b.priority || a.sla_due_at - b.sla_due_at || a.id - b.id;

test('inbox: open conversations needing a person, by priority then SLA due time', async () => {
  const { items } = await walk('/api/v1/inbox', 200);
  assert.ok(byStatus('open').length >= 3);
  const open = await walk('/api/v1/tickets?status=open', 200);
  assert.deepEqual(new Set(items.map((t) => t.id)), new Set(open.ids));
  assert.ok(new Set(items.map((t) => t.priority)).size >= 2, 'the mix has several priorities');
  for (const t of items) {
    assert.equal(t.status, 'open');
    assert.ok(['assist', 'escalate'].includes(t.lane));
    assert.ok(Number.isInteger(t.sla_due_at));
  }
  assert.deepEqual(items.map((t) => t.id), [...items].sort(inboxOrder).map((t) => t.id));
  const paged = await walk('/api/v1/inbox', 2);
  assert.deepEqual(paged.ids, items.map((t) => t.id));
});

test('inbox: filters by lane, intent, tier and assignee (me, none, an id)', async () => {
  const { items } = await walk('/api/v1/inbox', 200);
  const check = async (query, keep) => {
    const got = await walk(`/api/v1/inbox?${query}`, 200);
    assert.deepEqual(got.ids, items.filter(keep).map((t) => t.id), query);
    return got.ids;
  };
  assert.ok((await check('lane=escalate', (t) => t.lane === 'escalate')).length > 0);
  await check('lane=assist', (t) => t.lane === 'assist');
  const { intent } = items.find((t) => t.intent !== null);
  await check(`intent=${intent}`, (t) => t.intent === intent);
  for (const tier of ['free', 'starter', 'pro', 'enterprise']) {
    await check(`tier=${tier}`, (t) => t.customer.plan === tier);
  }
  // Give one open conversation to the agent.
  const target = items[items.length - 1];
  const assigned = await api('POST', `/api/v1/tickets/${target.id}/assign`,
    { body: { agent_id: agent.id } });
  assert.equal(assigned.status, 200);
  const mine = await walk('/api/v1/inbox?assignee=me', 200);
  assert.deepEqual(mine.ids, [], 'the admin has none');
  const theirs = await apiFetch(spec, server.base, 'GET', '/api/v1/inbox?assignee=me',
    { token: agent.token, coverage: cov });
  assert.deepEqual(theirs.body.items.map((t) => t.id), [target.id]);
  assert.deepEqual((await walk(`/api/v1/inbox?assignee=${agent.id}`, 200)).ids, [target.id]);
  const none = await walk('/api/v1/inbox?assignee=none', 200);
  assert.deepEqual(none.ids, items.filter((t) => t.id !== target.id).map((t) => t.id));
  for (const [query, field] of [['lane=resolve', 'lane'], ['tier=gold', 'tier'],
    ['assignee=someone', 'assignee'], ['limit=500', 'limit']]) {
    const res = await api('GET', `/api/v1/inbox?${query}`);
    assert.equal(res.status, 400, query);
    assert.equal(res.body.error.field, field);
  }
  const unassigned = await api('POST', `/api/v1/tickets/${target.id}/assign`,
    { body: { agent_id: null } });
  assert.equal(unassigned.status, 200);
  assert.equal(unassigned.body.assignee_id, null);
  const anonymous = await api('GET', '/api/v1/inbox', { token: null });
  assert.equal(anonymous.status, 401);
});

// --- actions ---------------------------------------------------------------------------------

test('reply: 201 with the agent\'s Message; the conversation is open and assigned to them',
  async () => {
    const answered = byStatus('bot')[0];
    assert.ok(answered, 'the mix has an AI-answered ticket');
    const res = await apiFetch(spec, server.base, 'POST', `/api/v1/tickets/${answered.id}/reply`,
      { token: agent.token, body: { body: 'Following up: did that work for you?' }, coverage: cov });
    assert.equal(res.status, 201);
    assert.equal(res.body.author, 'agent');
    assert.equal(res.body.body, 'Following up: did that work for you?');
    assert.deepEqual(res.body.agent, { id: agent.id, name: 'Grace Agent' });
    const t = await api('GET', `/api/v1/tickets/${answered.id}`);
    assert.equal(t.body.status, 'open');
    assert.equal(t.body.assignee.id, agent.id);
    assert.deepEqual(t.body.messages.at(-1), res.body);
    // Summaries preview the latest message that is not a system notice, so an inbox can be
    // triaged without opening every conversation.
    const row = (await walk('/api/v1/inbox', 200)).items.find((i) => i.id === answered.id);
    assert.deepEqual(row.preview, { author: 'agent', text: 'Following up: did that work for you?' });
    const long = await create(`My export keeps failing ${'and failing '.repeat(30)}`);
    const summary = (await api('GET', `/api/v1/tickets?customer=${long.customer.id}`)).body.items[0];
    assert.equal(summary.preview.author, 'customer');
    assert.equal(summary.preview.text.length, 160, 'cut to 160 characters');
    assert.ok(long.messages[0].body.startsWith(summary.preview.text));
    const missing = await api('POST', '/api/v1/tickets/999999/reply', { body: { body: 'hello' } });
    assert.equal(missing.status, 404);
    for (const [body, field] of [[{ body: '' }, 'body'], [{}, 'body'], [{ text: 'x' }, 'text']]) {
      const bad = await api('POST', `/api/v1/tickets/${answered.id}/reply`, { body });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, field);
    }
    const wrongVerb = await api('POST', `/api/v1/tickets/${answered.id}/close`, { body: {} });
    assert.equal(wrongVerb.status, 404);
  });

function withDraft() {
  return created.filter((t) => t.draft && t.draft.status === 'pending');
}

test('draft: approve sends it, edit sends the edited text, discard sends nothing; 409 when none '
  + 'is pending', async () => {
  const [a, b, c] = withDraft();
  assert.ok(c, 'the mix has three tickets with a pending draft');
  const act = (id, body) => api('POST', `/api/v1/tickets/${id}/draft`, { body });

  const approved = await act(a.id, { action: 'approve' });
  assert.equal(approved.status, 200);
  assert.equal(approved.body.status, 'approved');
  assert.equal(approved.body.id, a.draft.id);
  let t = (await api('GET', `/api/v1/tickets/${a.id}`)).body;
  assert.equal(t.messages.at(-1).author, 'agent');
  assert.equal(t.messages.at(-1).body, a.draft.body);
  assert.equal(t.draft.status, 'approved');
  const again = await act(a.id, { action: 'approve' });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'conflict');

  const noBody = await act(b.id, { action: 'edit' });
  assert.equal(noBody.status, 400);
  assert.equal(noBody.body.error.field, 'body');
  const edited = await act(b.id, { action: 'edit', body: 'Here is what I found for you.' });
  assert.equal(edited.status, 200);
  assert.equal(edited.body.status, 'edited');
  t = (await api('GET', `/api/v1/tickets/${b.id}`)).body;
  assert.equal(t.messages.at(-1).body, 'Here is what I found for you.');

  const before = (await api('GET', `/api/v1/tickets/${c.id}`)).body.messages.length;
  const discarded = await act(c.id, { action: 'discard' });
  assert.equal(discarded.status, 200);
  assert.equal(discarded.body.status, 'discarded');
  t = (await api('GET', `/api/v1/tickets/${c.id}`)).body;
  assert.equal(t.messages.length, before);

  const bot = byStatus('bot').find((x) => !x.draft);
  assert.equal((await act(bot.id, { action: 'approve' })).status, 409);
  assert.equal((await act(999999, { action: 'approve' })).status, 404);
  const badAction = await act(c.id, { action: 'publish' });
  assert.equal(badAction.body.error.field, 'action');
  const bodyOnApprove = await act(c.id, { action: 'approve', body: 'x' });
  assert.equal(bodyOnApprove.status, 400);
  assert.equal(bodyOnApprove.body.error.field, 'body');
});

test('resolve: the CSAT token; resolving twice is 409', async () => {
  const t = byStatus('open').at(-1);
  const res = await api('POST', `/api/v1/tickets/${t.id}/resolve`,
    { body: { category: 'billing' } });
  assert.equal(res.status, 200);
  assert.ok(res.body.csat_token.length > 10);
  const view = (await api('GET', `/api/v1/tickets/${t.id}`)).body;
  assert.equal(view.status, 'resolved');
  assert.deepEqual(view.resolution, { by: 'agent', category: 'billing', article_id: null });
  const twice = await api('POST', `/api/v1/tickets/${t.id}/resolve`,
    { body: { category: 'billing' } });
  assert.equal(twice.status, 409);
  const noCategory = await api('POST', `/api/v1/tickets/${t.id}/resolve`, { body: {} });
  assert.equal(noCategory.status, 400);
  assert.equal(noCategory.body.error.field, 'category');
  const missing = await api('POST', '/api/v1/tickets/999999/resolve', { body: { category: 'x' } });
  assert.equal(missing.status, 404);
});

test('assign: to an agent and back to nobody; an unknown agent is 400 naming agent_id', async () => {
  const t = created[0];
  const res = await api('POST', `/api/v1/tickets/${t.id}/assign`, { body: { agent_id: agent.id } });
  assert.equal(res.status, 200);
  assert.equal(res.body.id, t.id);
  assert.equal(res.body.assignee_id, agent.id);
  assert.equal((await api('GET', `/api/v1/tickets/${t.id}`)).body.assignee.id, agent.id);
  const unknown = await api('POST', `/api/v1/tickets/${t.id}/assign`, { body: { agent_id: 424242 } });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.field, 'agent_id');
  const missingKey = await api('POST', `/api/v1/tickets/${t.id}/assign`, { body: {} });
  assert.equal(missingKey.status, 400);
  assert.equal(missingKey.body.error.field, 'agent_id');
  const cleared = await api('POST', `/api/v1/tickets/${t.id}/assign`, { body: { agent_id: null } });
  assert.equal(cleared.status, 200);
  assert.equal(cleared.body.assignee_id, null);
  assert.equal((await api('GET', `/api/v1/tickets/${t.id}`)).body.assignee, null);
  const missing = await api('POST', '/api/v1/tickets/999999/assign', { body: { agent_id: null } });
  assert.equal(missing.status, 404);
});

// --- CSAT ------------------------------------------------------------------------------------

function csat(body) {
  return apiFetch(spec, server.base, 'POST', '/api/v1/csat', { body, coverage: cov });
}

test('CSAT: 201 once per conversation; a second rating 409; bad token 401; score 6 is 400',
  async () => {
    const t = await create('I want to cancel my subscription', { plan: 'starter' });
    const { body: { csat_token: token } } = await api('POST', `/api/v1/tickets/${t.id}/resolve`,
      { body: { category: 'cancellation' } });
    const six = await csat({ token, score: 6 });
    assert.equal(six.status, 400);
    assert.equal(six.body.error.field, 'score');
    const zero = await csat({ token, score: 0 });
    assert.equal(zero.status, 400);
    const rated = await csat({ token, score: 4, comment: 'Quick and kind.' });
    assert.equal(rated.status, 201);
    assert.deepEqual(rated.body, { score: 4, comment: 'Quick and kind.' });
    const twice = await csat({ token, score: 5 });
    assert.equal(twice.status, 409);
    const view = (await api('GET', `/api/v1/tickets/${t.id}`)).body;
    assert.deepEqual(view.csat, { score: 4, comment: 'Quick and kind.' });
    for (const bad of [`${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`, 'c1.1.00',
      'nonsense', `c1.999999.${token.split('.')[2]}`]) {
      const res = await csat({ token: bad, score: 3 });
      assert.equal(res.status, 401, bad);
      assert.equal(res.body.error.field, 'token');
    }
    const noToken = await csat({ score: 3 });
    assert.equal(noToken.status, 400);
    assert.equal(noToken.body.error.field, 'token');
  });

test('CSAT: a conversation reopened by an agent\'s reply cannot be rated until it is resolved',
  async () => {
    const t = await create('I want to cancel my subscription', { plan: 'pro' });
    const { body: { csat_token: token } } = await api('POST', `/api/v1/tickets/${t.id}/resolve`,
      { body: { category: 'cancellation' } });
    await api('POST', `/api/v1/tickets/${t.id}/reply`, { body: { body: 'One more thing...' } });
    const open = await csat({ token, score: 2 });
    assert.equal(open.status, 409);
    await api('POST', `/api/v1/tickets/${t.id}/resolve`, { body: { category: 'cancellation' } });
    assert.equal((await csat({ token, score: 5 })).status, 201);
  });

test('CSAT: an AI-answered widget conversation is rated with the token the widget polls',
  async () => {
    const headers = { Origin: server.base };
    const widget = (method, path, options) =>
      apiFetch(spec, server.base, method, path, { headers, coverage: cov, ...options });
    const { body: { session } } = await widget('POST', '/api/v1/widget/boot',
      { body: { app_key: 'pk_demo_acme' } });
    const sent = await widget('POST', '/api/v1/widget/messages', { token: session,
      body: { text: "why can't I export to PDF", page: { route: '/reports', plan: 'free' } } });
    assert.equal(sent.body.status, 'bot');
    const id = sent.body.conversation_id;
    const poll = await widget('GET', `/api/v1/widget/conversations/${id}`, { token: session });
    assert.ok(poll.body.csat_token, 'an AI-answered conversation can be rated');
    const rated = await csat({ token: poll.body.csat_token, score: 5 });
    assert.equal(rated.status, 201);
    assert.deepEqual(rated.body, { score: 5, comment: null });
    const after = await widget('GET', `/api/v1/widget/conversations/${id}`, { token: session });
    assert.equal(after.body.csat_token, undefined, 'no token once rated');
    const view = (await api('GET', `/api/v1/tickets/${id}`)).body;
    assert.deepEqual(view.csat, { score: 5, comment: null });
  });

// The preview is stored on the conversation by every write that adds a message (migration 6),
// so it is checked here against the messages themselves, after all the writes above: AI
// answers, system notices, agent replies, drafts sent, widget messages.
test('every summary previews its latest message that is not a system notice', async () => {
  const { items } = await walk('/api/v1/tickets', 100);
  assert.ok(items.length >= 10, 'the tests above made tickets');
  for (const summary of items) {
    const ticket = (await api('GET', `/api/v1/tickets/${summary.id}`)).body;
    const last = ticket.messages.filter((m) => m.author !== 'system').at(-1);
    const expected = last ? { author: last.author, text: [...last.body].slice(0, 160).join('') } : null;
    assert.deepEqual(summary.preview, expected, `ticket ${summary.id}`);
  }
});

test('the ticket, inbox and CSAT operations had their documented answers', () => {
  const expected = [
    'POST /api/v1/tickets 201', 'POST /api/v1/tickets 400', 'POST /api/v1/tickets 401',
    'POST /api/v1/tickets 409', 'POST /api/v1/tickets 413',
    'GET /api/v1/tickets 200', 'GET /api/v1/tickets 400', 'GET /api/v1/tickets 401',
    'GET /api/v1/tickets/{id} 200', 'GET /api/v1/tickets/{id} 401', 'GET /api/v1/tickets/{id} 404',
    'GET /api/v1/inbox 200', 'GET /api/v1/inbox 400', 'GET /api/v1/inbox 401',
    'POST /api/v1/tickets/{id}/reply 201', 'POST /api/v1/tickets/{id}/reply 400',
    'POST /api/v1/tickets/{id}/reply 404',
    'POST /api/v1/tickets/{id}/draft 200', 'POST /api/v1/tickets/{id}/draft 400',
    'POST /api/v1/tickets/{id}/draft 404', 'POST /api/v1/tickets/{id}/draft 409',
    'POST /api/v1/tickets/{id}/resolve 200', 'POST /api/v1/tickets/{id}/resolve 400',
    'POST /api/v1/tickets/{id}/resolve 404', 'POST /api/v1/tickets/{id}/resolve 409',
    'POST /api/v1/tickets/{id}/assign 200', 'POST /api/v1/tickets/{id}/assign 400',
    'POST /api/v1/tickets/{id}/assign 404',
    'POST /api/v1/csat 201', 'POST /api/v1/csat 400', 'POST /api/v1/csat 401',
    'POST /api/v1/csat 409',
  ];
  const seen = new Set(cov.seen());
  assert.deepEqual(expected.filter((k) => !seen.has(k)), []);
});
