// wasm suite: the widget's built core under Node, loaded with wasmBinary (TOOLCHAIN.md).
// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const widgetDir = process.env.PW_WIDGET_DIR;
const sourceDir = process.env.PW_SOURCE_DIR;
if (!widgetDir || !sourceDir) throw new Error('run through ctest: PW_WIDGET_DIR/PW_SOURCE_DIR unset');

const { loadCore, CoreError } = await import(pathToFileURL(join(widgetDir, 'core.js')));
const wasmBinary = readFileSync(join(widgetDir, 'pagewise-core.wasm'));
const core = await loadCore({ wasmBinary });

test('normalize folds case, accents and whitespace like the native core', () => {
  assert.equal(core.normalize('  Ärger  über\u00a0GRÖSSE '), 'arger uber grosse');
  assert.equal(core.normalize('It\u2019s \u201cbroken\u201d'), 'it\'s "broken"');
  assert.equal(core.normalize(''), '');
});

test('normalize handles text past the first scratch sizes (memory growth)', () => {
  const big = 'Ä'.repeat(300000);
  assert.equal(core.normalize(big), 'a'.repeat(300000));
});

test('lone surrogates from JS become U+FFFD, never a crash', () => {
  assert.equal(core.normalize('a\ud800b'), 'a\ufffdb');
});

test('status names cross the boundary', () => {
  assert.equal(core.statusName(-3), 'ETRUNC');
  assert.ok(new CoreError(-1, 'EINVAL', 'invalid argument') instanceof Error);
});

test('every allowlisted function is exported by the built module', async () => {
  const { default: factory } = await import(pathToFileURL(join(widgetDir, 'pagewise-core.mjs')));
  const m = await factory({ wasmBinary });
  const names = readFileSync(join(sourceDir, 'widget/wasm/exports.txt'), 'utf8')
    .split('\n').filter((l) => /^[a-z_0-9]+$/.test(l));
  assert.ok(names.length > 0);
  for (const name of names) assert.equal(typeof m[`_${name}`], 'function', `_${name} exported`);
});

// The widget path end to end: `pagewise train` and `export` natively, then the exported model
// loads through core.js and answers exactly as `pagewise classify` does natively.
test('an exported model classifies in wasm exactly as natively', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { execFileSync } = await import('node:child_process');
  const bin = process.env.PW_BIN;
  const dir = mkdtempSync(join(tmpdir(), 'pagewise-wasm-'));
  try {
    const rows = [
      ['reset_password', 'i forgot my password'], ['reset_password', 'reset my password please'],
      ['reset_password', 'password reset link expired'], ['reset_password', 'cannot log in, new password'],
      ['cancel_plan', 'cancel my subscription'], ['cancel_plan', 'stop my plan now'],
      ['cancel_plan', 'end my membership'], ['cancel_plan', 'how do i cancel'],
      ['oos', 'what is the weather'], ['oos', 'tell me a joke'],
    ];
    writeFileSync(join(dir, 'train.jsonl'),
      rows.map(([label, text]) => JSON.stringify({ text, label })).join('\n'));
    execFileSync(bin, ['train', '--data', join(dir, 'train.jsonl'), '--out', join(dir, 'm.pwm'),
      '--holdout', '0', '--epochs', '20']);
    execFileSync(bin, ['export', '--model', join(dir, 'm.pwm'), '--out', join(dir, 'w.pwm')]);
    const model = core.loadModel(readFileSync(join(dir, 'w.pwm')));
    assert.deepEqual(model.labels.slice().sort(), ['cancel_plan', 'oos', 'reset_password']);
    for (const text of ['I forgot my PASSWORD', 'please cancel my plan', 'weather joke', '§']) {
      const native = JSON.parse(execFileSync(bin, ['classify', '--model', join(dir, 'w.pwm'),
        '--json', '--top', '3', '--', text], { encoding: 'utf8' }));
      const wasm = model.classify(text);
      assert.equal(wasm.label, native.intent, text);
      assert.equal(wasm.outOfScope, native.out_of_scope, text);
      // cJSON prints 15 significant digits when they round-trip within an epsilon, so the
      // native side is compared to 1e-12 here; tests/parity compares the homes bit for bit.
      assert.ok(Math.abs(wasm.confidence - native.confidence) < 1e-12, text);
      assert.deepEqual(wasm.top.map((t) => t.label), native.top.map((t) => t.label), text);
    }
    model.free();
    assert.throws(() => model.classify('x'), /freed/);
    assert.throws(() => core.loadModel(new Uint8Array([1, 2, 3])), /EFORMAT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// "The widget and the server reach the same decision": the demo model, the built-in keywords
// and the default policy in wasm against `pagewise replay` natively, ticket by ticket.
test('classify + signals + decide in wasm match pagewise replay natively', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { execFileSync } = await import('node:child_process');
  const modelPath = join(widgetDir, '..', '..', 'demo', 'model.pwm');
  const dir = mkdtempSync(join(tmpdir(), 'pagewise-decide-'));
  const texts = [
    'How do I export my board to CSV?',
    'I want a refund, you charged me twice!!!',
    'Thanks, but this is the THIRD time I write and export is still broken',
    'URGENT: production down, none of our users can log in',
    'what is the weather in paris',
    'Please delete all my personal data (GDPR), my email is ana@example.com',
  ];
  try {
    writeFileSync(join(dir, 't.jsonl'),
      texts.map((text, i) => JSON.stringify({ id: String(i), text })).join('\n'));
    writeFileSync(join(dir, 'policy.json'), '{}');
    const native = JSON.parse(execFileSync(process.env.PW_BIN, ['replay', '--json', '--model',
      modelPath, '--policy', join(dir, 'policy.json'), join(dir, 't.jsonl')], { encoding: 'utf8' }));
    const model = core.loadModel(readFileSync(modelPath));
    texts.forEach((text, i) => {
      const p = model.classify(text);
      const signals = core.signals(text);
      const d = core.decide({ intent: p.intent, confidence: p.confidence,
        outOfScope: p.outOfScope, signals, tier: 'free' });
      const n = native.tickets[i];
      assert.equal(d.lane, n.lane, text);
      assert.equal(d.priority, n.priority, text);
      assert.deepEqual(d.reasons, n.reasons, text);
      assert.equal(p.outOfScope ? 'oos' : p.label, n.intent, text);
      assert.ok(Math.abs(signals.frustration - n.frustration) < 1e-12, text);
    });
    const s = core.signals(texts[5]);
    const email = s.entities.find((e) => e.kind === 'email');
    assert.equal(Buffer.from(texts[5]).subarray(email.start, email.start + email.length).toString(),
      'ana@example.com');
    const q = 'How do I export my project board to a CSV file?';
    assert.equal(core.signals(q, ['Hi', 'how can I export the project board to a csv file']).repeatedQuestion, true);
    assert.equal(core.signals(q, ['How do I invite a teammate?']).repeatedQuestion, false);
    model.free();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// --- page, struggle and nudge: core.js against the native golden files ---------------------
// Each golden case's script runs through core.js (normalizeRoute, struggle sessions, nudge) and
// is printed the way tests/parity/struggle_modes.c prints it natively; the text must equal the
// expected block of the golden file, so the wasm glue reproduces the native results exactly.

function goldenCases(file) {
  const text = readFileSync(join(sourceDir, 'tests/golden', file), 'utf8');
  let mode = null;
  return text.split(/^### /m).slice(1).map((block) => {
    const lines = block.split('\n');
    let i = 1;
    if (lines[i].startsWith('@mode ')) mode = lines[i++].slice(6);
    const sep = lines.indexOf('---', i);
    const rest = lines.slice(sep + 1);
    return { title: lines[0], mode, input: lines.slice(i, sep), expected: rest.slice(0, rest.indexOf('')).join('\n') };
  });
}

// Names hashed with the core and printed back, as the parity driver does.
function nameTable() {
  const names = new Map();
  return {
    hash(name) { const h = core.pageHash(name); names.set(h, name); return h; },
    name(h) { return names.get(h) ?? (h === 0 ? '-' : `#${h.toString(16).padStart(8, '0')}`); },
  };
}

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const num = (s) => (s === '-inf' ? -Infinity : Number(s));
const numOrName = (s) => (Number.isNaN(Number(s)) ? s : Number(s));
const fmt = (t) => String(t); // %.15g for the integers the golden files use

function parsePage(tokens, nt) {
  const page = { features: [] };
  for (const token of tokens) {
    const [key, value] = [token.slice(0, token.indexOf('=')), token.slice(token.indexOf('=') + 1)];
    if (key === 'route') page.route = nt.hash(value);
    else if (key === 'page_id') page.pageId = nt.hash(value);
    else if (key === 'plan') page.plan = numOrName(value);
    else if (key === 'errors') page.errorBanners = Number(value);
    else if (key === 'failed') page.failedRequests = Number(value);
    else if (key === 'feature') {
      const [feature, state, reason = 'none', plan = 'free'] = value.split(':');
      page.features.push({ feature: nt.hash(feature), enabled: state === 'enabled', reason,
        planRequired: numOrName(plan) });
    } else throw new Error(`page key ${key}`);
  }
  return page;
}

function runStruggle(input) {
  const nt = nameTable();
  const config = {};
  const out = [];
  let session = null;
  let batch = [];
  const put = (ds) => ds.forEach((d) => out.push(`${d.kind} t=${fmt(d.t)} target=${nt.name(d.target)} ` +
    `route=${nt.name(d.route)} count=${d.count} value=${d.kind === 'page_loop' ? nt.name(d.value) : d.value} ` +
    `episode=${d.episode}`));
  const live = () => (session ??= core.struggle(config));
  const flush = () => { if (batch.length) put(live().feed(batch)); batch = []; };
  for (const line of input) {
    const tok = line.split(' ').filter(Boolean);
    if (!tok.length) continue;
    if (tok[0] === 'config') {
      for (const kv of tok.slice(1)) config[camel(kv.split('=')[0])] = Number(kv.split('=')[1]);
    } else if (tok[0] === 'tick' || tok[0] === 'score') {
      flush();
      const t = num(tok[1]);
      if (tok[0] === 'tick') put(live().tick(t));
      else out.push(`score t=${fmt(t)} ${live().score(t).toFixed(6)}`);
    } else {
      const e = { kind: tok[0], t: num(tok[1]), flags: [] };
      for (const x of tok.slice(2)) {
        const eq = x.indexOf('=');
        const [k, v] = eq < 0 ? [null, x] : [x.slice(0, eq), x.slice(eq + 1)];
        if (!k) e.flags.push(camel(v));
        else if (k === 'target' || k === 'route') e[k] = nt.hash(v);
        else if (k === 'value') e.value = numOrName(v);
        else e[k] = Number(v);
      }
      batch.push(e);
    }
  }
  flush();
  if (session) session.free();
  return out.length ? out.join('\n') : '(no detections)';
}

function runNudge(input) {
  const nt = nameTable();
  const config = {};
  const out = [];
  let state = null;
  let page = {};
  let signals = [];
  for (const line of input) {
    const tok = line.split(' ').filter(Boolean);
    const kv = Object.fromEntries(tok.slice(1).filter((x) => x.includes('=') && !x.startsWith('quiet='))
      .map((x) => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)]));
    if (tok[0] === 'config') {
      config.quietRoutes = tok.filter((x) => x.startsWith('quiet=')).map((x) => nt.hash(x.slice(6)));
      for (const [k, v] of Object.entries(kv)) config[camel(k)] = Number(v);
    } else if (tok[0] === 'page') {
      page = parsePage(tok.slice(1), nt);
    } else if (tok[0] === 'signal') {
      signals.push({ kind: kv.kind, episode: Number(kv.episode), t: num(kv.t),
        target: kv.target ? nt.hash(kv.target) : 0, route: kv.route ? nt.hash(kv.route) : 0, count: 1 });
    } else if (tok[0] === 'decide') {
      state ??= core.nudgeState(config);
      const now = num(kv.now);
      let result;
      try {
        const n = core.nudge({ state, page, signals, now, lastTyping: kv.typing ? num(kv.typing) : -Infinity,
          score: kv.score ? num(kv.score) : 0 });
        result = !n ? 'none' : `${n.kind} signal=${n.signal} episode=${n.episode} target=${nt.name(n.target)} ` +
          `route=${nt.name(n.route)}` + (n.kind === 'explain_disabled_feature'
          ? ` reason=${n.reason} plan=${n.planRequired}` : '') + ` due=${fmt(n.due)}`;
      } catch (err) {
        if (!(err instanceof CoreError)) throw err;
        result = `error ${err.message.split(':')[0]}`;
      }
      signals = [];
      out.push(`decide now=${fmt(now)} -> ${result}`);
    }
  }
  if (state) state.free();
  return out.length ? out.join('\n') : '(no decisions)';
}

const goldenDir = (area) => readdirSync(join(sourceDir, 'tests/golden', area)).filter((f) => f.endsWith('.txt'))
  .map((f) => `${area}/${f}`);
const { readdirSync } = await import('node:fs');

test('normalizeRoute reproduces the native golden routes', () => {
  const cases = goldenCases('page/routes.txt');
  assert.ok(cases.length >= 20);
  for (const c of cases) {
    const { route, hash } = core.normalizeRoute(c.input.join('\n'));
    assert.equal(`${route}\nhash ${hash.toString(16).padStart(8, '0')}`, c.expected, c.title);
  }
});

test('pageFlags matches the native golden page contexts', () => {
  const names = ['feature_disabled_by_plan', 'error_banner', 'failed_request', 'struggle'];
  let checked = 0;
  for (const c of goldenCases('page/context.txt')) {
    const page = parsePage(c.input.join(' ').split(' ').filter(Boolean), nameTable());
    if (!c.expected.startsWith('check ok')) {
      assert.throws(() => core.pageFlags(page), /invalid page/, c.title);
      continue;
    }
    const flags = core.pageFlags(page);
    const list = names.filter((_, i) => flags & (1 << i));
    assert.equal(`check ok\nflags ${list.length ? list.join(' ') : '-'}`, c.expected, c.title);
    checked++;
  }
  assert.ok(checked >= 4);
});

test('struggle sessions in wasm reproduce every native golden case', () => {
  for (const file of goldenDir('struggle')) {
    for (const c of goldenCases(file)) assert.equal(runStruggle(c.input), c.expected, `${file}: ${c.title}`);
  }
});

test('the nudge policy in wasm reproduces every native golden case', () => {
  for (const file of goldenDir('nudge')) {
    for (const c of goldenCases(file)) assert.equal(runNudge(c.input), c.expected, `${file}: ${c.title}`);
  }
});

test('struggle and nudge wrappers: hashes, options, queue draining, freeing', () => {
  assert.equal(core.pageHash('/projects/:id/export'), 0xa9dc8386);
  assert.equal(core.pageHash(''), 0);
  assert.throws(() => core.struggle({ rageClicks: 1 }), /rage_clicks/);
  assert.throws(() => core.struggle({ noSuchOption: 1 }), /unknown struggle option/);
  assert.throws(() => core.nudgeState({ suggestMinScore: 2 }), /suggest_min_score/);
  // More detections than one call returns: the wrapper drains the session's queue.
  const s = core.struggle();
  const clicks = Array.from({ length: 100 }, (_, i) => ({ kind: 'click', t: i * 3000, x: 0, y: 0,
    target: `button-${i}`, flags: ['disabled'] }));
  const found = s.feed(clicks);
  assert.equal(found.length, 100);
  assert.deepEqual(found.map((d) => d.episode), Array.from({ length: 100 }, (_, i) => i + 1));
  assert.equal(found[7].target, core.pageHash('button-7'));
  assert.throws(() => s.feed([{ kind: 'click', t: NaN }]), /EINVAL/);
  s.reset();
  assert.equal(s.score(1e6), 0);
  s.free();
  assert.throws(() => s.tick(0), /freed/);
  const state = core.nudgeState({ quietRoutes: ['/checkout'] });
  const page = { route: '/checkout', plan: 'pro' };
  assert.equal(core.nudge({ state, page, signals: [found[0]], now: 1 }), null);
  state.free();
  assert.throws(() => core.nudge({ state, page, now: 1 }), /freed/);
});
