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
