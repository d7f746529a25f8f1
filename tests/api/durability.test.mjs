// Durability: a ticket acknowledged with a 2xx survives a crash. 32 loops create tickets through
// POST /api/v1/tickets, each with its own client_id; after at least 300 acknowledgements the
// server gets SIGKILL and restarts on the same data directory, until two crashes have caught
// requests in flight. Every acknowledged ticket must be there with its customer, text and
// decision, a retry of a request that never got an answer must find its ticket or create it
// (never a second one), and the store must hold nothing else.
//
// A SIGKILL ends the process, not the machine: what it proves is that the server answers only
// after the COMMIT and that SQLite recovers the WAL. Surviving a power cut also needs the WAL's
// fdatasync before the answer, which tests/server/writer_test.c checks (the writer's sync thread
// wakes a caller only after a sync that began after its commit).
// SPDX-License-Identifier: MIT
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer } from '../harness/server.mjs';
import { loadSpec, apiFetch } from '../harness/openapi.mjs';

const spec = loadSpec();
const ADMIN = 'durability-test-admin-token-0001';
const LOOPS = 32;
const ACKS_BEFORE_CRASH = 300;
const ROUNDS = 2;
const CUSTOMERS = 97; // tickets share customers, so the crash also hits customer updates

// Realistic intake across intents, with the page the customer was on.
const MESSAGES = [
  ['I forgot my password and the reset email never arrived', '/login'],
  ['How do I export this project to PDF?', '/projects/:id/export'],
  ['You charged my card twice this month, I want a refund', '/settings/billing'],
  ['Invite a colleague to our workspace', '/settings/team'],
  ['Two-factor codes from my authenticator app are rejected', '/settings/security'],
  ['The Slack integration stopped posting updates', '/settings/integrations'],
  ['Importing my CSV of tasks fails at row 12', '/projects/:id/import'],
  ['Everything is down for our whole team, this is urgent', '/projects'],
];

let server;
const sent = new Map(); // client_id -> the body sent
const acked = new Map(); // client_id -> ticket id from a 2xx
const unanswered = new Set(); // client_ids whose request got no answer
const retried = new Map(); // client_id -> ticket id the retry answered

before(async () => {
  server = await startServer({
    env: { PAGEWISE_ADMIN_TOKEN: ADMIN },
    config: { threads: LOOPS + 32, limits: { ip_per_minute: 1e6, ip_burst: 1e6 } },
  });
});
after(async () => { if (server) await server.stop(); });

function ticketBody(clientId, n) {
  const [text, route] = MESSAGES[n % MESSAGES.length];
  return {
    text: `${text} [${clientId}]`, // the marker makes every text unique and traceable
    channel: n % 2 ? 'email' : 'api',
    client_id: clientId,
    customer: { email: `customer${n % CUSTOMERS}@durability.example` },
    page: { route },
  };
}

const markerOf = (text) => /\[([^\]]+)\]$/.exec(text)?.[1];

function api(method, path, body) {
  return apiFetch(spec, server.base, method, path, { token: ADMIN, body });
}

// Runs fn over items with at most `limit` calls in flight.
async function eachLimit(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// LOOPS loops post tickets; once ACKS_BEFORE_CRASH more are acknowledged, a timer a few ms later
// sends SIGKILL while the loops keep posting. Not from a response: group commit answers all
// the requests in flight at once, and a kill on the first answer could find none in the server.
// Plain fetch: undici never retries a POST by itself.
async function crashUnderLoad(round) {
  const target = acked.size + ACKS_BEFORE_CRASH;
  const failures = [];
  let armed = false;
  let crashing = false;
  let killed = null;
  let inFlight = 0;
  let inFlightAtKill = 0;
  const deadline = Date.now() + 60000;
  const headers = { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' };
  const kill = () => {
    crashing = true;
    inFlightAtKill = inFlight;
    killed = server.kill9();
  };
  async function loop(k) {
    for (let i = 0; !crashing; i++) {
      const clientId = `r${round}-l${k}-n${i}`;
      const body = ticketBody(clientId, sent.size);
      sent.set(clientId, body);
      inFlight++;
      try {
        const res = await fetch(`${server.base}/api/v1/tickets`,
          { method: 'POST', headers, body: JSON.stringify(body) });
        const text = await res.text();
        if (res.status >= 200 && res.status < 300) acked.set(clientId, JSON.parse(text).id);
        else failures.push(`${clientId}: ${res.status} ${text.slice(0, 200)}`);
      } catch {
        unanswered.add(clientId); // no answer: committed or not, the client cannot know
      }
      inFlight--;
      if (!armed && (acked.size >= target || failures.length > 10 || Date.now() > deadline)) {
        armed = true;
        setTimeout(kill, 1 + Math.random() * 8);
      }
    }
  }
  await Promise.all(Array.from({ length: LOOPS }, (_, k) => loop(k)));
  const { sig } = await killed;
  return { failures, sig, inFlightAtKill, target };
}

test(`kill -9 under load and restart on the same data, ${ROUNDS}+ times`, async (t) => {
  // A crash that happens to find no request in the server proves nothing: crash again.
  let hits = 0;
  for (let round = 0; hits < ROUNDS && round < ROUNDS + 8; round++) {
    const unansweredBefore = unanswered.size;
    const { failures, sig, inFlightAtKill, target } = await crashUnderLoad(round);
    assert.deepEqual(failures, [], 'every answer before the crash is a 2xx');
    assert.equal(sig, 'SIGKILL');
    assert.ok(acked.size >= target, `round ${round}: ${acked.size} acknowledged, wanted ${target}`);
    const lost = unanswered.size - unansweredBefore;
    if (lost > 0) hits++;
    t.diagnostic(`crash ${round + 1}: ${acked.size} acknowledged so far, ${inFlightAtKill} in `
      + `flight at the kill, ${lost} of them never answered`);
    await server.restart();
  }
  assert.equal(hits, ROUNDS, `${ROUNDS} crashes must hit requests in flight`);
  assert.equal(new Set(acked.values()).size, acked.size, 'distinct requests got distinct tickets');
});

test('every acknowledged ticket is there with its customer, text and decision', async () => {
  const missing = [];
  await eachLimit([...acked], 16, async ([clientId, id]) => {
    const { status, body: t } = await api('GET', `/api/v1/tickets/${id}`);
    if (status !== 200) return missing.push(`${clientId} -> ticket ${id}: ${status}`);
    const want = sent.get(clientId);
    const first = t.messages.find((m) => m.author === 'customer');
    assert.equal(t.customer.email, want.customer.email, `ticket ${id} customer`);
    assert.equal(t.channel, want.channel, `ticket ${id} channel`);
    assert.equal(first?.body, want.text, `ticket ${id} text`);
    assert.ok(t.decisions.some((d) => d.message_id === first.id), `ticket ${id} has its decision`);
  });
  assert.deepEqual(missing, [], `${missing.length} of ${acked.size} acknowledged tickets lost`);
});

// Every ticket in the store, through the list endpoint: id -> the full Ticket.
async function allTickets() {
  const ids = [];
  for (let cursor = null; ;) {
    const { status, body } = await api('GET',
      `/api/v1/tickets?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(status, 200);
    ids.push(...body.items.map((s) => s.id));
    if (!body.next_cursor) break;
    cursor = body.next_cursor;
  }
  const tickets = new Map();
  await eachLimit(ids, 16, async (id) => {
    const { status, body } = await api('GET', `/api/v1/tickets/${id}`);
    assert.equal(status, 200, `listed ticket ${id} can be read`);
    tickets.set(id, body);
  });
  return tickets;
}

test('a retry of an unanswered request returns its stored ticket or creates it', async (t) => {
  const stored = new Set((await allTickets()).keys());
  let found = 0;
  let created = 0;
  await eachLimit([...unanswered], 16, async (clientId) => {
    const want = sent.get(clientId);
    const { status, body: ticket } = await api('POST', '/api/v1/tickets', want);
    assert.equal(status, 201, `retry of ${clientId}`);
    assert.equal(ticket.messages.find((m) => m.author === 'customer')?.body, want.text);
    assert.equal(ticket.customer.email, want.customer.email);
    retried.set(clientId, ticket.id);
    if (stored.has(ticket.id)) found++;
    else created++;
  });
  assert.equal(found + created, unanswered.size);
  // Retrying again, and retrying acknowledged requests, answers the same ticket.
  await eachLimit([...unanswered], 16, async (clientId) => {
    const { status, body } = await api('POST', '/api/v1/tickets', sent.get(clientId));
    assert.equal(status, 201);
    assert.equal(body.id, retried.get(clientId), `second retry of ${clientId}`);
  });
  await eachLimit([...acked].slice(0, 64), 16, async ([clientId, id]) => {
    const { status, body } = await api('POST', '/api/v1/tickets', sent.get(clientId));
    assert.equal(status, 201);
    assert.equal(body.id, id, `retry of acknowledged ${clientId}`);
  });
  t.diagnostic(`${acked.size} acknowledged; ${unanswered.size} unanswered at the crashes: `
    + `${found} had been committed, ${created} were created by the retry`);
});

test('the store is consistent: one ticket per request, each message has its decision', async () => {
  const tickets = await allTickets();
  const byMarker = new Map();
  for (const [id, t] of tickets) {
    const customer = t.messages.filter((m) => m.author === 'customer');
    assert.equal(customer.length, 1, `ticket ${id} has exactly its one customer message`);
    for (const m of customer) {
      assert.equal(t.decisions.filter((d) => d.message_id === m.id).length, 1,
        `ticket ${id} message ${m.id} has exactly one decision`);
    }
    const marker = markerOf(customer[0].body);
    assert.ok(sent.has(marker), `ticket ${id} comes from a request this test sent`);
    assert.equal(t.customer.email, sent.get(marker).customer.email);
    assert.ok(!byMarker.has(marker), `${marker} stored twice: ${byMarker.get(marker)} and ${id}`);
    byMarker.set(marker, id);
  }
  for (const [clientId, id] of [...acked, ...retried]) {
    assert.equal(byMarker.get(clientId), id, `${clientId} is ticket ${id}`);
  }
  // Requests that were neither answered nor retried cannot exist: every unanswered one was retried.
  assert.equal(tickets.size, new Set([...acked.keys(), ...retried.keys()]).size);
});

const hasSqlite = spawnSync('sqlite3', ['-version']).status === 0;

test('SQLite finds the file intact after the crashes', { skip: !hasSqlite && 'no sqlite3' }, () => {
  const db = join(server.dataDir, 'pagewise.db');
  const run = (sql) => spawnSync('sqlite3', ['-readonly', db, sql], { encoding: 'utf8' });
  const integrity = run('PRAGMA integrity_check;');
  assert.equal(integrity.status, 0, integrity.stderr);
  assert.equal(integrity.stdout.trim(), 'ok');
  const orphans = run('PRAGMA foreign_keys=ON; PRAGMA foreign_key_check;');
  assert.equal(orphans.status, 0, orphans.stderr);
  assert.equal(orphans.stdout.trim(), '', 'no row points at a missing row');
});
