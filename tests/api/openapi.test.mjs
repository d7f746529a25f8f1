// The API document itself (server/api/openapi.json) and the validator the API tests use
// (tests/harness/openapi.mjs). Needs no server: apiFetch is checked against a stub on loopback.
// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import {
  SPEC_PATH, loadSpec, resolveRef, matchOperation, validate, checkResponse, coverage, apiFetch,
} from '../harness/openapi.mjs';

const spec = loadSpec(process.env.PW_SOURCE_DIR
  ? join(process.env.PW_SOURCE_DIR, 'server/api/openapi.json') : SPEC_PATH);

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const ERROR_REF = '#/components/schemas/Error';

function operations() {
  const out = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      if (item[method]) out.push({ method, path, item, op: item[method] });
    }
  }
  return out;
}

function deref(node) {
  while (node && node.$ref) node = resolveRef(spec, node.$ref);
  return node;
}

// Every object in the document with its JSON pointer.
function* walk(node, pointer = '#') {
  if (node === null || typeof node !== 'object') return;
  yield [node, pointer];
  for (const [key, child] of Object.entries(node)) yield* walk(child, `${pointer}/${key}`);
}

// The endpoints of ARCHITECTURE.md, "The REST API and the widget ↔ server contract".
const CONTRACT = [
  'GET /api/v1/health getHealth',
  'POST /api/v1/widget/boot bootWidget',
  'POST /api/v1/widget/events postWidgetEvents',
  'POST /api/v1/widget/messages postWidgetMessage',
  'GET /api/v1/widget/conversations/{id} getWidgetConversation',
  'GET /api/v1/widget/model getWidgetModel',
  'POST /api/v1/tickets createTicket',
  'GET /api/v1/tickets listTickets',
  'GET /api/v1/tickets/{id} getTicket',
  'POST /api/v1/tickets/{id}/reply replyToTicket',
  'POST /api/v1/tickets/{id}/draft actOnDraft',
  'POST /api/v1/tickets/{id}/resolve resolveTicket',
  'POST /api/v1/tickets/{id}/assign assignTicket',
  'GET /api/v1/inbox listInbox',
  'GET /api/v1/articles listArticles',
  'POST /api/v1/articles createArticle',
  'GET /api/v1/articles/search searchArticles',
  'GET /api/v1/articles/{id} getArticle',
  'PUT /api/v1/articles/{id} updateArticle',
  'DELETE /api/v1/articles/{id} deleteArticle',
  'POST /api/v1/agents createAgent',
  'GET /api/v1/agents listAgents',
  'GET /api/v1/agents/me currentAgent',
  'POST /api/v1/csat submitCsat',
];

test('the document is OpenAPI 3.0.3 and lists exactly the contract\'s endpoints', () => {
  assert.equal(spec.openapi, '3.0.3');
  assert.ok(spec.info.title && spec.info.version);
  const listed = operations()
    .map(({ method, path, op }) => `${method.toUpperCase()} ${path} ${op.operationId}`);
  assert.deepEqual(listed.sort(), [...CONTRACT].sort());
});

test('every $ref resolves', () => {
  let count = 0;
  for (const [node, pointer] of walk(spec)) {
    if (typeof node.$ref !== 'string') continue;
    count++;
    assert.doesNotThrow(() => resolveRef(spec, node.$ref), `${pointer}: ${node.$ref}`);
  }
  assert.ok(count > 100, `${count} $refs`);
});

test('the named schemas and both security schemes exist', () => {
  for (const name of ['Error', 'Health', 'PageContext', 'Feature', 'Decision', 'Signals', 'Message',
    'Ticket', 'TicketRecord', 'TicketSummary', 'TicketDecision', 'Customer', 'Article', 'ArticleInput',
    'SearchResult', 'Agent', 'Draft', 'Event', 'EventInput', 'Session', 'TicketSummaryList',
    'ArticleList', 'AgentList', 'SearchResultList', 'WidgetMessageResult']) {
    assert.ok(spec.components.schemas[name], name);
  }
  const schemes = spec.components.securitySchemes;
  for (const name of ['agentToken', 'sessionToken']) {
    assert.deepEqual([schemes[name].type, schemes[name].scheme], ['http', 'bearer'], name);
  }
  for (const { method, path, op } of operations()) {
    for (const requirement of op.security ?? []) {
      for (const name of Object.keys(requirement)) {
        assert.ok(schemes[name], `${method} ${path}: ${name}`);
      }
    }
  }
});

test('every operation: unique operationId, a summary, a 2xx, errors with the Error schema', () => {
  const ids = new Set();
  const codes = new Set(spec.components.schemas.Error.properties.error.properties.code.enum);
  for (const { method, path, op } of operations()) {
    const where = `${method.toUpperCase()} ${path}`;
    assert.match(op.operationId ?? '', /^[a-z][A-Za-z]+$/, `${where}: operationId`);
    assert.ok(!ids.has(op.operationId), `${where}: operationId ${op.operationId} is used twice`);
    ids.add(op.operationId);
    assert.ok(op.summary && op.summary.length > 3, `${where}: summary`);
    const statuses = Object.keys(op.responses);
    assert.ok(statuses.some((s) => /^2\d\d$/.test(s)), `${where}: no 2xx response`);
    for (const status of statuses) {
      assert.match(status, /^[1-5]\d\d$/, `${where}: status ${status}`);
      if (Number(status) < 400) continue;
      const response = deref(op.responses[status]);
      const schema = response.content?.['application/json']?.schema;
      assert.ok(schema, `${where} ${status}: no application/json body`);
      const usesError = schema.$ref === ERROR_REF || schema.allOf?.[0]?.$ref === ERROR_REF;
      assert.ok(usesError, `${where} ${status}: not the Error schema`);
      const narrowed = schema.allOf?.[1]?.properties?.error?.properties?.code?.enum ?? [];
      for (const code of narrowed) assert.ok(codes.has(code), `${where} ${status}: code ${code}`);
    }
    if (op.requestBody) {
      assert.ok(op.requestBody.content['application/json'].schema, `${where}: request schema`);
      assert.ok(statuses.includes('400') && statuses.includes('413'), `${where}: 400 and 413`);
    }
    if ((op.security ?? []).some((r) => Object.keys(r).length > 0)) {
      assert.ok(statuses.includes('401'), `${where}: authenticated but no 401`);
    }
  }
});

test('every path parameter is declared, and every declared one is in the path', () => {
  for (const { method, path, item, op } of operations()) {
    const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(deref);
    const declared = params.filter((p) => p.in === 'path');
    assert.deepEqual(declared.map((p) => p.name).sort(), inPath, `${method} ${path}`);
    for (const p of declared) {
      assert.equal(p.required, true, `${method} ${path}: ${p.name} required`);
      assert.ok(p.schema, `${method} ${path}: ${p.name} schema`);
    }
    for (const p of params) assert.ok(['path', 'query', 'header'].includes(p.in), p.name);
  }
});

test('429 responses declare a required integer Retry-After header', () => {
  let seen = 0;
  for (const { method, path, op } of operations()) {
    if (!op.responses['429']) continue;
    seen++;
    const header = deref(deref(op.responses['429']).headers?.['Retry-After']);
    assert.ok(header, `${method} ${path}: Retry-After`);
    assert.equal(header.required, true);
    assert.equal(deref(header.schema).type, 'integer');
  }
  assert.ok(seen >= 5);
});

// Our ids are integers; the host app's (page_id, external_id, the `id` of a user or customer it
// describes) and client_id are its strings.
const STRING_IDS = new Set(['page_id', 'external_id', 'client_id']);
const HOST_SCHEMAS = new Set(['BootUser', 'CustomerInput'].map((n) => `#/components/schemas/${n}`));

test('ids, *_at and scores have the contract\'s types; required names are properties', () => {
  for (const [node, pointer] of walk(spec.components.schemas, '#/components/schemas')) {
    if (!node.properties) continue;
    for (const name of node.required ?? []) {
      assert.ok(name in node.properties, `${pointer}: required ${name} is not a property`);
    }
    for (const [name, raw] of Object.entries(node.properties)) {
      const prop = deref(raw.allOf?.length === 1 ? raw.allOf[0] : raw);
      const where = `${pointer} ${name}`;
      if (STRING_IDS.has(name) || (name === 'id' && HOST_SCHEMAS.has(pointer))) {
        assert.equal(prop.type, 'string', where);
      } else if (name === 'id' || name.endsWith('_id')) {
        assert.equal(prop.type, 'integer', where);
      }
      if (name.endsWith('_at')) assert.equal(prop.type, 'integer', where);
      if (['confidence', 'sentiment', 'frustration', 'urgency'].includes(name)) {
        assert.deepEqual([prop.type, prop.minimum, prop.maximum], ['number', 0, 1], where);
      }
    }
  }
});

// --- a Ticket and a widget answer as the contract describes them -------------------------

const signals = {
  sentiment: 0.2, frustration: 0.7, urgency: 0, repeat_contact: true, repeated_question: false,
  high_stakes: ['refund'],
};
const decision = {
  lane: 'escalate', intent: 'billing_refund', confidence: 0.91, out_of_scope: false, priority: 1,
  reasons: ['HIGH_STAKES_KEYWORD', 'HIGH_FRUSTRATION'], signals,
};
const summary = {
  id: 8, status: 'resolved', channel: 'email', subject: null, lane: 'resolve', intent: 'export_csv',
  confidence: 0.97, priority: 3, sla_due_at: null,
  customer: { id: 3, email: 'ana@example.com', name: null, plan: 'pro' }, assignee_id: null,
  updated_at: 1717000000000, created_at: 1716000000000,
  preview: { author: 'ai', text: 'Open the report and click Export.' },
};
const ticket = {
  id: 42, status: 'open', channel: 'widget', subject: null, lane: 'escalate',
  intent: 'billing_refund', confidence: 0.91, priority: 1, sla_due_at: 1718000000000,
  assignee: { id: 2, name: 'Sam', email: 'sam@example.com', role: 'agent', created_at: 1 },
  customer: {
    id: 3, external_id: 'u-77', email: 'ana@example.com', name: 'Ana', plan: 'pro', verified: true,
    flags: ['past_due'], attributes: { seats: 12 }, created_at: 1716000000000,
  },
  page: {
    route: '/billing', url: 'https://app.example.com/billing', plan: 'pro',
    features: [
      { feature: 'invoices', enabled: false, reason: 'Upgrade', plan_required: 'enterprise' },
    ],
    errors: ['Payment failed'], failed_requests: [{ url: '/api/pay', status: 502 }],
  },
  messages: [
    { id: 100, author: 'customer', body: 'I want my money back!!', created_at: 1717000000000 },
    { id: 101, author: 'agent', body: 'On it.', created_at: 1717000001000,
      agent: { id: 2, name: 'Sam' } },
  ],
  decisions: [{ ...decision, id: 5, message_id: 100, article: null, created_at: 1717000000001 }],
  events: [{ id: 9, kind: 'rage_click', at: 1716999990000, route: '/billing', page_id: null,
    target: 'button.pay', detail: null }],
  draft: { id: 4, body: 'Refunds take 5 days.', status: 'pending',
    article: { id: 7, slug: 'refunds', title: 'Refunds' } },
  suggested_articles: [{ id: 7, slug: 'refunds', title: 'Refunds', snippet: 'Refunds take…',
    score: 3.2, route_match: true }],
  customer_history: [summary],
  csat: null, resolution: null, created_at: 1717000000000, updated_at: 1717000001000,
};

test('a full Ticket, a TicketSummary page and a widget answer validate', () => {
  const schemas = spec.components.schemas;
  assert.deepEqual(validate(spec, schemas.Ticket, ticket), []);
  // A TicketRecord (the 201 of createTicket) is the Ticket without the agent's context; a
  // Ticket without that context is not a Ticket.
  const { customer_history: _h, suggested_articles: _s, ...record } = ticket;
  assert.deepEqual(validate(spec, schemas.TicketRecord, record), []);
  assert.ok(validate(spec, schemas.Ticket, record).some((e) => /customer_history/.test(e)));
  assert.ok(validate(spec, schemas.TicketRecord, { ...record, messages: null }).length > 0);
  const page = { items: [summary], next_cursor: null };
  assert.deepEqual(validate(spec, schemas.TicketSummaryList, page), []);
  const answer = { conversation_id: 42, message_id: 100, status: 'open', decision, reply: null };
  assert.deepEqual(validate(spec, schemas.WidgetMessageResult, answer), []);
  const reply = { id: 102, author: 'ai', body: 'Here is how.', created_at: 1,
    article: { id: 7, slug: 'refunds', title: 'Refunds' } };
  assert.deepEqual(validate(spec, schemas.WidgetMessageResult,
    { ...answer, status: 'bot', decision: { ...decision, lane: 'resolve' }, reply }), []);
  const outOfScope = { ...decision, intent: null, out_of_scope: true, reasons: ['OUT_OF_SCOPE'] };
  assert.deepEqual(validate(spec, schemas.Decision, outOfScope), []);
  assert.match(validate(spec, schemas.Decision, { ...outOfScope, intent: '' })[0], /^\$\.intent: /);
});

test('contract violations in a Ticket are reported at their JSON paths', () => {
  const bad = structuredClone(ticket);
  bad.id = '42';
  bad.lane = 'maybe';
  bad.decisions[0].reasons = ['low confidence'];
  bad.decisions[0].signals.sentiment = 1.5;
  bad.customer.plan = 'gold';
  bad.messages[1].author = 'bot';
  bad.page = { url: '/x' };
  delete bad.draft;
  const errors = validate(spec, spec.components.schemas.Ticket, bad);
  for (const path of ['$.id:', '$.lane:', '$.decisions[0].reasons[0]:',
    '$.decisions[0].signals.sentiment:', '$.customer.plan:', '$.messages[1].author:',
    '$.page.route:', '$.draft:']) {
    assert.ok(errors.some((e) => e.startsWith(path)), `${path} in\n${errors.join('\n')}`);
  }
});

// --- the validator, keyword by keyword ----------------------------------------------------

const mini = {
  components: {
    schemas: {
      Item: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
      Named: { type: 'object', properties: { name: { type: 'string' } } },
      Aged: { type: 'object', properties: { age: { type: 'integer' } } },
    },
  },
};

// [keyword, schema, a valid value, an invalid value, the path of the error]
const KEYWORDS = [
  ['type string', { type: 'string' }, 'a', 1, '$'],
  ['type integer', { type: 'integer' }, 3, 3.5, '$'],
  ['type number takes integers', { type: 'number' }, 3, '3', '$'],
  ['type boolean', { type: 'boolean' }, false, 0, '$'],
  ['type array', { type: 'array' }, [], {}, '$'],
  ['type object', { type: 'object' }, {}, [], '$'],
  ['null needs nullable', { type: 'string' }, 'a', null, '$'],
  ['nullable', { type: 'object', properties: { a: { type: 'string', nullable: true } } },
    { a: null }, { a: 1 }, '$.a'],
  ['enum', { enum: ['bot', 'open'] }, 'bot', 'closed', '$'],
  ['required', { type: 'object', required: ['id'] }, { id: 1 }, { di: 1 }, '$.id'],
  ['properties', { type: 'object', properties: { a: { properties: { b: { type: 'integer' } } } } },
    { a: { b: 1 } }, { a: { b: 'x' } }, '$.a.b'],
  ['additionalProperties false',
    { type: 'object', properties: { a: {} }, additionalProperties: false },
    { a: 1 }, { a: 1, b: 2 }, '$.b'],
  ['additionalProperties schema', { type: 'object', additionalProperties: { type: 'integer' } },
    { x: 1 }, { x: 1, 'a b': 'y' }, '$["a b"]'],
  ['items', { type: 'array', items: { type: 'integer' } }, [1, 2], [1, 'two'], '$[1]'],
  ['minItems', { type: 'array', minItems: 1 }, [1], [], '$'],
  ['maxItems', { type: 'array', maxItems: 1 }, [1], [1, 2], '$'],
  ['minimum', { type: 'number', minimum: 0 }, 0, -0.1, '$'],
  ['maximum', { type: 'number', maximum: 1 }, 1, 1.01, '$'],
  ['exclusiveMinimum', { type: 'number', minimum: 0, exclusiveMinimum: true }, 0.5, 0, '$'],
  ['minLength', { type: 'string', minLength: 2 }, 'ab', 'a', '$'],
  ['maxLength counts code points', { type: 'string', maxLength: 2 }, '😀😀', '😀😀😀',
    '$'],
  ['pattern', { type: 'string', pattern: '^[A-Z_]+$' }, 'LOW_CONFIDENCE', 'low', '$'],
  ['format email', { type: 'string', format: 'email' }, 'a@b.co', 'a@b', '$'],
  ['format date-time', { type: 'string', format: 'date-time' }, '2024-05-01T10:00:00Z',
    '2024-05-01', '$'],
  ['format int64', { type: 'integer', format: 'int64' }, 2 ** 53 - 1, 2 ** 60, '$'],
  ['$ref', { type: 'array', items: { $ref: '#/components/schemas/Item' } }, [{ id: 1 }],
    [{ id: 'x' }], '$[0].id'],
  ['$ref to $ref', { $ref: '#/components/schemas/Item' }, { id: 1 }, {}, '$.id'],
  ['nullable allOf $ref', { nullable: true, allOf: [{ $ref: '#/components/schemas/Item' }] }, null,
    { id: null }, '$.id'],
  ['allOf',
    { allOf: [{ $ref: '#/components/schemas/Named' }, { $ref: '#/components/schemas/Aged' }] },
    { name: 'a', age: 3 }, { name: 'a', age: 'old' }, '$.age'],
  ['oneOf none', { oneOf: [{ type: 'string' }, { type: 'integer' }] }, 'a', 1.5, '$'],
  ['oneOf two', { oneOf: [{ type: 'number' }, { type: 'integer' }] }, 1.5, 2, '$'],
  ['anyOf', { anyOf: [{ type: 'string' }, { type: 'integer' }] }, 2, true, '$'],
  ['nested paths', { type: 'object', properties: { items: { type: 'array', items: {
    type: 'object', properties: { customer: { type: 'object', required: ['email'] } } } } } },
  { items: [{ customer: { email: 'a' } }] }, { items: [{}, {}, { customer: {} }] },
  '$.items[2].customer.email'],
];

for (const [keyword, schema, good, bad, path] of KEYWORDS) {
  test(`validate: ${keyword}`, () => {
    assert.deepEqual(validate(mini, schema, good), [], `${JSON.stringify(good)} is valid`);
    const errors = validate(mini, schema, bad);
    assert.ok(errors.length > 0, `${JSON.stringify(bad)} must fail`);
    assert.ok(errors.some((e) => e.startsWith(`${path}: `)),
      `error at ${path}: ${errors.join('; ')}`);
  });
}

test('validate: unknown formats are ignored, an unresolvable $ref throws', () => {
  assert.deepEqual(validate(mini, { type: 'string', format: 'color' }, 'anything'), []);
  assert.deepEqual(validate(mini, {}, null), []);
  assert.throws(() => validate(mini, { $ref: '#/components/schemas/Nope' }, 1), /unresolved \$ref/);
});

// --- matching paths, checking responses, coverage -----------------------------------------

const opId = (method, path) => matchOperation(spec, method, path)?.operation?.operationId;

test('matchOperation: templates, literal segments first, unknown paths and methods', () => {
  const m = matchOperation(spec, 'GET', '/api/v1/tickets/42');
  assert.equal(m.pathTemplate, '/api/v1/tickets/{id}');
  assert.equal(m.operation.operationId, 'getTicket');
  assert.deepEqual(m.params, { id: '42' });
  assert.equal(opId('GET', '/api/v1/articles/search?q=export'), 'searchArticles');
  assert.equal(opId('get', '/api/v1/articles/7'), 'getArticle');
  assert.equal(opId('DELETE', '/api/v1/articles/7'), 'deleteArticle');
  assert.equal(opId('POST', '/api/v1/tickets/42/resolve'), 'resolveTicket');
  const poll = matchOperation(spec, 'GET', '/api/v1/widget/conversations/9?after=3');
  assert.deepEqual(poll.params, { id: '9' });
  assert.equal(matchOperation(spec, 'GET', '/api/v1/nope'), null);
  assert.equal(matchOperation(spec, 'GET', '/api/v1/tickets/42/nope'), null);
  assert.equal(matchOperation(spec, 'GET', '/api/v1/tickets/'), null);
  const wrongMethod = matchOperation(spec, 'POST', '/api/v1/health');
  assert.equal(wrongMethod.pathTemplate, '/api/v1/health');
  assert.equal(wrongMethod.operation, null);
  const shadow = {
    paths: { '/a/{x}/c': { get: { operationId: 'p' } }, '/a/b/{y}': { get: { operationId: 'l' } } },
  };
  assert.equal(matchOperation(shadow, 'GET', '/a/b/c').operation.operationId, 'l');
});

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const errorBody = (code) => JSON.stringify({ error: { code, message: 'x' } });
const check = (method, path, status, headers, body) =>
  checkResponse(spec, method, path, status, headers, body);

test('checkResponse: documented statuses, headers, content types and bodies', () => {
  const health = JSON.stringify({ status: 'ok', version: '0.1.0', schema_version: 3 });
  assert.deepEqual(check('GET', '/api/v1/health', 200, JSON_HEADERS, health), []);
  const extra = JSON.stringify({ status: 'ok', version: '0.1.0', schema_version: 3, up: true });
  assert.match(check('GET', '/api/v1/health', 200, JSON_HEADERS, extra)[0], /^\$\.up: /);
  const html = { 'content-type': 'text/html' };
  assert.match(check('GET', '/api/v1/health', 200, html, health)[0], /Content-Type/);
  assert.match(check('GET', '/api/v1/health', 200, JSON_HEADERS, '{')[0], /not JSON/);
  assert.match(check('GET', '/api/v1/health', 418, JSON_HEADERS, errorBody('internal'))[0],
    /status 418 is not documented/);
  assert.match(check('GET', '/api/v1/tickets/1', 404, JSON_HEADERS, errorBody('conflict'))[0],
    /^\$\.error\.code: /);
  assert.deepEqual(check('GET', '/api/v1/nope', 404, JSON_HEADERS, errorBody('not_found')), []);
  const wrongMethod = errorBody('method_not_allowed');
  assert.deepEqual(check('POST', '/api/v1/health', 405, JSON_HEADERS, wrongMethod), []);
  assert.ok(check('POST', '/api/v1/health', 404, JSON_HEADERS, errorBody('not_found')).length);
  assert.deepEqual(check('DELETE', '/api/v1/articles/3', 204, {}, ''), []);
  assert.match(check('DELETE', '/api/v1/articles/3', 204, {}, '{}')[0], /no body/);
});

test('checkResponse: 429 needs Retry-After, in seconds', () => {
  const limited = errorBody('rate_limited');
  const path = '/api/v1/widget/messages';
  const errors = check('POST', path, 429, JSON_HEADERS, limited);
  assert.ok(errors.some((e) => /Retry-After/.test(e)), errors.join('; '));
  const retry = { ...JSON_HEADERS, 'Retry-After': '3' };
  assert.deepEqual(check('POST', path, 429, retry, limited), []);
  const headers = new Headers({ ...JSON_HEADERS, 'retry-after': 'soon' });
  assert.match(check('POST', path, 429, headers, limited)[0], /^header Retry-After: /);
});

test('checkResponse: the binary model needs its ETag; 304 has no body', () => {
  const path = '/api/v1/widget/model';
  const binary = 'application/octet-stream';
  const model = { 'Content-Type': binary, ETag: '"abc"' };
  assert.deepEqual(check('GET', path, 200, model, '\x1f\x8b'), []);
  assert.match(check('GET', path, 200, { 'Content-Type': binary }, 'x')[0], /ETag is missing/);
  assert.deepEqual(check('GET', path, 304, { ETag: '"abc"' }, ''), []);
});

test('coverage lists documented responses not yet seen', () => {
  const cov = coverage(spec);
  const all = cov.missing();
  assert.ok(all.includes('GET /api/v1/health 200'));
  assert.ok(all.includes('POST /api/v1/widget/messages 429'));
  cov.record('get', '/api/v1/health', 200);
  assert.ok(!cov.missing().includes('GET /api/v1/health 200'));
  assert.equal(cov.missing().length, all.length - 1);
  assert.deepEqual(cov.seen(), ['GET /api/v1/health 200']);
  assert.ok(cov.missing({ ignore: [500] }).every((k) => !k.endsWith(' 500')));
});

test('apiFetch checks what a server answers and records coverage', async () => {
  const stub = createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/api/v1/health') send(200, { status: 'ok', version: '1', schema_version: 1 });
    else if (req.url === '/api/v1/articles/search?q=x') {
      send(200, { items: [{ id: 'one' }], next_cursor: null });
    }
    else if (req.url === '/api/v1/agents') {
      send(401, { error: { code: 'unauthorized', message: req.headers.authorization ?? 'none' } });
    } else send(404, { error: { code: 'not_found', message: 'no such API endpoint' } });
  });
  await new Promise((resolve) => stub.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${stub.address().port}`;
  try {
    const cov = coverage(spec);
    const health = await apiFetch(spec, base, 'GET', '/api/v1/health', { coverage: cov });
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
    const missing = await apiFetch(spec, base, 'GET', '/api/v1/nope', { coverage: cov });
    assert.equal(missing.body.error.code, 'not_found');
    const denied = await apiFetch(spec, base, 'GET', '/api/v1/agents',
      { token: 't0k', coverage: cov });
    assert.equal(denied.body.error.message, 'Bearer t0k');
    assert.deepEqual(cov.seen(), ['GET /api/v1/agents 401', 'GET /api/v1/health 200']);
    await assert.rejects(apiFetch(spec, base, 'GET', '/api/v1/articles/search?q=x'),
      /GET \/api\/v1\/articles\/search\?q=x -> 200 does not match[\s\S]*\$\.items\[0\]\.id: /);
  } finally {
    await new Promise((resolve) => stub.close(resolve));
  }
});
