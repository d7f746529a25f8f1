// CLI suite: `pagewise train / eval / classify / export` run as a user runs them, on a small
// hand-written support dataset in a temporary directory.
// SPDX-License-Identifier: MIT
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireEnv } from '../harness/server.mjs';

const bin = requireEnv('PW_BIN');

const INTENTS = {
  reset_password: [
    'I forgot my password', 'how do I reset my password', "can't log in, I need a new password",
    'the password reset link is not working', 'reset password please', 'I need to change my password',
    "lost my password and can't sign in", 'where do I reset the password for my account',
    "my password doesn't work anymore", 'send me a password reset email',
    'locked out of my account, forgot the password', 'how can I recover my password',
    'change my login password', 'the reset password email never arrived', 'help me set a new password',
  ],
  cancel_subscription: [
    'cancel my subscription', 'how do I cancel my plan', 'I want to stop my subscription',
    'please end my membership', 'unsubscribe me from the paid plan', 'cancel my account subscription now',
    "I don't want to be charged anymore, cancel it", 'how to terminate my subscription',
    'stop the auto renewal of my plan', "I'd like to cancel the monthly plan", 'cancel the pro subscription',
    'how can I quit my subscription', 'end my trial and subscription', 'turn off renewal and cancel',
    'where is the cancel subscription button',
  ],
  download_invoice: [
    'where can I download my invoice', 'I need a copy of my invoice', 'send me the invoice for last month',
    'how do I get a receipt for my payment', 'download the invoice pdf', "invoice for my company's accounting",
    'can I get my past invoices', 'billing receipts download', 'my invoice is missing the VAT number',
    'where are my billing invoices', 'get the invoice for the annual payment', 'print my invoice',
    'I need receipts for my expenses', 'find old invoices in billing', 'email me the invoice',
  ],
  export_data: [
    'how do I export my data', 'export all records to csv', 'download my data as a spreadsheet',
    'can I export the report to excel', 'export my contacts', 'I want a backup of all my data',
    'export the table as a csv file', 'how to get my data out', 'bulk export of projects',
    'data export is not working', 'export the users list', 'download a csv export',
    'move my data to another tool with an export', 'export the history to a file',
    'where is the export button',
  ],
};
const OOS = [
  "what's the weather like today", 'tell me a joke', 'who won the football game last night',
  'what is the capital of france', 'play some music', 'how tall is mount everest',
  'recommend a good pizza place', 'what time is it in tokyo',
];
// Paraphrases the model never saw, one per intent.
const HELD_OUT = [
  ["I can't remember my password, how do I reset it?", 'reset_password'],
  ["please cancel my subscription, I don't need it anymore", 'cancel_subscription'],
  ['where do I find the invoice for my last payment', 'download_invoice'],
  ["I'd like to export all my data to a csv file", 'export_data'],
];

const rows = [
  ...Object.entries(INTENTS).flatMap(([label, texts]) => texts.map((text) => ({ text, label }))),
  ...OOS.map((text) => ({ text, label: 'oos' })),
];
const jsonl = (list) => list.map((r) => JSON.stringify(r)).join('\n') + '\n';

let dir, trainFile, modelFile;

function run(...args) {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.signal, null, `pagewise ${args.join(' ')} was killed by ${r.signal}:\n${r.stderr}`);
  return r;
}

function classify(model, text, ...extra) {
  const r = run('classify', '--model', model, '--json', ...extra, '--', text);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function file(name, content) {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pagewise-cli-'));
  trainFile = file('train.jsonl', jsonl(rows));
  modelFile = join(dir, 'model.pwm');
  const r = run('train', '--data', trainFile, '--out', modelFile, '--seed', '7');
  assert.equal(r.status, 0, `train failed:\n${r.stderr}`);
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

test('train writes the model atomically and summarises it', () => {
  assert.ok(statSync(modelFile).size > 0);
  assert.ok(!existsSync(`${modelFile}.tmp`), 'no temporary file left behind');
  const r = run('train', '--data', trainFile, '--out', join(dir, 'again.pwm'), '--seed', '7');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /intents\s+4 \+ the out-of-scope class/);
  assert.match(r.stdout, new RegExp(`examples\\s+${rows.length}\\b`));
  for (const word of ['features', 'temperature', 'oos threshold', 'bytes'])
    assert.ok(r.stdout.includes(word), `summary mentions ${word}:\n${r.stdout}`);
  assert.deepEqual(readFileSync(join(dir, 'again.pwm')), readFileSync(modelFile),
    'same data and seed give the same bytes');
});

test('classify puts held-out paraphrases on the right intent', () => {
  for (const [text, label] of HELD_OUT) {
    const p = classify(modelFile, text);
    assert.equal(p.intent, label, `"${text}" -> ${JSON.stringify(p)}`);
    assert.ok(p.confidence > 0 && p.confidence <= 1);
  }
});

test('classify shows the top K with probabilities, best first', () => {
  const p = classify(modelFile, 'how do I reset my password', '--top', '2');
  assert.equal(p.top.length, 2);
  assert.equal(p.top[0].label, 'reset_password');
  assert.ok(p.top[0].probability >= p.top[1].probability && p.top[1].probability >= 0);
  assert.equal(p.out_of_scope, false);
  const text = run('classify', '--model', modelFile, 'where can I download my invoice');
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^download_invoice\s+[01]\.\d{4}$/m);
  assert.match(text.stdout, /intent download_invoice/);
});

test('eval --json reports every metric as a fraction, accurate on training-like data', () => {
  const r = run('eval', '--model', modelFile, '--data', trainFile, '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 1, 'exactly one JSON line');
  const m = JSON.parse(r.stdout);
  assert.equal(m.rows, rows.length);
  assert.equal(m.oos_rows, OOS.length);
  for (const key of ['accuracy', 'macro_f1', 'in_scope_accuracy', 'oos_recall', 'oos_precision', 'ece']) {
    assert.ok(key in m, `${key} present`);
    assert.ok(m[key] === null || (m[key] >= 0 && m[key] <= 1), `${key} = ${m[key]} is a fraction`);
  }
  assert.ok(m.accuracy >= 0.8, `accuracy ${m.accuracy}`);
  assert.ok(m.in_scope_accuracy >= 0.8, `in-scope accuracy ${m.in_scope_accuracy}`);
  assert.ok(m.us_per_message > 0);
  assert.ok(Array.isArray(m.worst_intents) && m.worst_intents.length === 5, 'four intents + oos');
  for (const w of m.worst_intents) {
    assert.ok(typeof w.label === 'string' && w.f1 >= 0 && w.f1 <= 1 && w.support > 0);
  }
  for (let i = 1; i < m.worst_intents.length; i++)
    assert.ok(m.worst_intents[i - 1].f1 <= m.worst_intents[i].f1, 'worst first');
  assert.ok(Array.isArray(m.confusions));
  for (const c of m.confusions) assert.ok(c.true !== c.predicted && c.count > 0);
});

test('eval metrics follow their definitions on a case worked by hand', () => {
  // Two sure hits, one in-scope row with a label the model lacks, no out-of-scope rows.
  const data = file('hand.jsonl', jsonl([
    { text: 'how do I reset my password', label: 'reset_password' },
    { text: 'cancel my subscription', label: 'cancel_subscription' },
    { text: 'cancel my subscription', label: 'not_a_label' },
  ]));
  const r = run('eval', '--model', modelFile, '--data', data, '--json');
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  assert.equal(m.unknown_label_rows, 1);
  assert.ok(Math.abs(m.accuracy - 2 / 3) < 1e-9, `accuracy ${m.accuracy}`);
  assert.ok(Math.abs(m.in_scope_accuracy - 2 / 3) < 1e-9);
  assert.equal(m.oos_recall, null, 'undefined without out-of-scope rows');
  assert.match(r.stderr, /1 rows have labels the model does not know \(first "not_a_label" at .*hand\.jsonl:3\)/);
  // cancel_subscription also got the unknown row as a false positive: F1 = 2/3; macro = (1 + 2/3) / 2.
  assert.ok(Math.abs(m.macro_f1 - 5 / 6) < 1e-9, `macro F1 ${m.macro_f1}`);
});

test('eval prints a readable report by default', () => {
  const r = run('eval', '--model', modelFile, '--data', trainFile);
  assert.equal(r.status, 0, r.stderr);
  for (const line of [/accuracy\s+[01]\.\d{4}/, /macro F1/, /oos recall/, /ECE \(15 bins\)/, /us\/message/,
    /worst intents/])
    assert.match(r.stdout, line);
});

test('malformed JSON Lines fail with the file and line, exit 1', () => {
  const good = JSON.stringify({ text: 'hello there', label: 'a' });
  const cases = [
    ['not json', 'this is not json', /bad\.jsonl:3: not valid JSON/],
    ['missing label', '{"text": "hi"}', /bad\.jsonl:3: "label" must be a non-empty string/],
    ['empty label', '{"text": "hi", "label": ""}', /bad\.jsonl:3: "label" must be a non-empty string/],
    ['numeric text', '{"text": 42, "label": "a"}', /bad\.jsonl:3: "text" must be a string/],
    ['not an object', '["hi", "a"]', /bad\.jsonl:3: expected a JSON object/],
    ['trailing junk', `${good} x`, /bad\.jsonl:3: not valid JSON/],
  ];
  for (const [name, line, message] of cases) {
    // Line 2 is blank: skipped, but still counted so the number matches an editor's.
    const data = file('bad.jsonl', `${good}\n\n${line}\n${good}\n`);
    for (const args of [['train', '--data', data, '--out', join(dir, 'never.pwm')],
      ['eval', '--model', modelFile, '--data', data]]) {
      const r = run(...args);
      assert.equal(r.status, 1, `${name}: ${args[0]} exits 1`);
      assert.match(r.stderr, message, `${name}: ${args[0]}`);
      assert.match(r.stderr, new RegExp(`^pagewise ${args[0]}: `));
    }
  }
  assert.ok(!existsSync(join(dir, 'never.pwm')));
});

test('a byte order mark and Windows line endings are accepted', () => {
  const data = file('windows.jsonl', `\ufeff${jsonl(rows).replaceAll('\n', '\r\n')}`);
  const r = run('eval', '--model', modelFile, '--data', data, '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).rows, rows.length);
});

test('a failed train leaves the existing model untouched', () => {
  const out = join(dir, 'keep.pwm');
  writeFileSync(out, readFileSync(modelFile));
  const r = run('train', '--data', file('one.jsonl', jsonl([{ text: 'hi', label: 'only' }])), '--out', out);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /at least two different labels/);
  assert.deepEqual(readFileSync(out), readFileSync(modelFile));
});

test('damaged model files are rejected with a clear message, never a crash', () => {
  const bytes = readFileSync(modelFile);
  const damaged = [['empty', Buffer.alloc(0)], ['truncated', bytes.subarray(0, bytes.length >> 1)],
    ['one byte short', bytes.subarray(0, bytes.length - 1)], ['not a model', Buffer.from('hello world\n')]];
  // Flip one bit at spread-out offsets, header and payload alike.
  for (let i = 0; i < 24; i++) {
    const copy = Buffer.from(bytes);
    const at = Math.floor((i * (bytes.length - 1)) / 23);
    copy[at] ^= 0x10;
    damaged.push([`bit flip at ${at}`, copy]);
  }
  for (const [name, content] of damaged) {
    const path = file('damaged.pwm', content);
    for (const cmd of ['classify', 'eval']) {
      const args = cmd === 'classify' ? [cmd, '--model', path, 'hello'] : [cmd, '--model', path, '--data', trainFile];
      const r = run(...args);
      assert.equal(r.status, 1, `${name}: ${cmd} exits 1 (stderr: ${r.stderr})`);
      assert.match(r.stderr, new RegExp(`^pagewise ${cmd}: .*damaged\\.pwm: (malformed input|unsupported version)`),
        `${name}: ${cmd}`);
    }
  }
  const missing = run('classify', '--model', join(dir, 'nope.pwm'), 'hello');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.pwm: No such file or directory/);
});

test('export writes a compact model that loads and agrees with the full one', () => {
  const out = join(dir, 'widget.pwm');
  const r = run('export', '--model', modelFile, '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /(\d+) bytes, (\d+) gzipped/);
  const [, raw, gz] = r.stdout.match(/(\d+) bytes, (\d+) gzipped/).map(Number);
  assert.equal(raw, statSync(out).size);
  assert.ok(gz > 0 && gz < raw, 'gzip makes it smaller');
  assert.ok(raw < statSync(modelFile).size, 'compact is smaller than the full model');
  for (const { text } of rows.filter((row) => row.label !== 'oos'))
    assert.equal(classify(out, text).intent, classify(modelFile, text).intent, text);
  const small = join(dir, 'small.pwm');
  const s = run('export', '--model', modelFile, '--out', small, '--max-features', '50');
  assert.equal(s.status, 0, s.stderr);
  assert.ok(statSync(small).size < raw, '--max-features shrinks the file');
  assert.equal(run('classify', '--model', small, 'reset my password').status, 0);
});

test('bad command lines exit 2 with the usage text; --help exits 0', () => {
  const out = join(dir, 'x.pwm');
  const cases = [
    [['train', '--data', trainFile], /--out is required/],
    [['train', '--data', trainFile, '--out', out, '--epochs', 'ten'], /--epochs must be a whole number/],
    [['train', '--data', trainFile, '--out', out, '--epochs', '-1'], /--epochs must be a whole number/],
    [['train', '--data', trainFile, '--out', out, '--lr', '0'], /--lr: learning_rate out of range/],
    [['train', '--data', trainFile, '--out', out, '--lr', 'nan'], /--lr must be a number/],
    [['train', '--data', trainFile, '--out', out, '--holdout', '0.9'], /--holdout: holdout_fraction out of range/],
    [['train', '--data', trainFile, '--out', out, '--bogus', '1'], /unknown option '--bogus'/],
    [['train', '--data'], /--data needs a value/],
    [['eval', '--model', modelFile], /--data is required/],
    [['eval', '--model', modelFile, '--data', trainFile, '--json=yes'], /--json takes no value/],
    [['classify', '--model', modelFile], /TEXT is required/],
    [['classify', 'hello'], /--model is required/],
    [['classify', '--model', modelFile, '--top', '99', 'hi'], /--top must be 1-5/],
    [['classify', '--model', modelFile, 'one', 'two'], /unexpected argument 'two'/],
    [['export', '--model', modelFile, '--max-features', '1e3', '--out', out], /--max-features must be/],
  ];
  for (const [args, message] of cases) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')} exits 2 (stderr: ${r.stderr})`);
    assert.match(r.stderr, message, args.join(' '));
    assert.match(r.stderr, new RegExp(`usage: pagewise ${args[0]}`), 'usage text follows');
  }
  assert.ok(!existsSync(out));
  for (const cmd of ['train', 'eval', 'classify', 'export']) {
    const r = run(cmd, '--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, new RegExp(`^usage: pagewise ${cmd}`));
  }
});
