// `pagewise replay` on the shipped demo sample, as a support lead runs it before going live.
// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.PW_BIN;
const tickets = join(process.env.PW_SOURCE_DIR, 'tests/data/tickets.jsonl');
const run = (...args) => spawnSync(bin, ['replay', ...args], { encoding: 'utf8' });

test('the demo sample meets the go-live bar: humans see what they must, few wrong answers', () => {
  const r = run('--json', tickets);
  assert.equal(r.status, 0, r.stderr);
  const { summary, tickets: rows } = JSON.parse(r.stdout);
  assert.equal(summary.tickets, rows.length);
  assert.ok(rows.length >= 300);
  assert.ok(summary.must_human_recall >= 0.98, `must_human_recall ${summary.must_human_recall}`);
  assert.ok(summary.wrong_autonomous_rate <= 0.02, `wrong_autonomous ${summary.wrong_autonomous_rate}`);
  assert.ok(summary.automatable_automation_rate >= 0.6,
    `automatable automation ${summary.automatable_automation_rate}`);
  for (const t of rows) {
    assert.ok(t.reasons.length >= 1, `${t.id} has a reason`);
    assert.ok(['resolve', 'assist', 'escalate'].includes(t.lane));
  }
});

test('high-stakes, angry and repeat tickets reach a human; the refund how-to does not need one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pagewise-replay-'));
  try {
    const lines = [
      { id: 'a', text: 'I want a refund for last month, you charged me and I never used it.' },
      { id: 'b', text: 'Thanks, but this is the THIRD time I write and export is still broken!!!' },
      { id: 'c', text: 'How do I set up refunds for my clients in the invoicing module?' },
      { id: 'd', text: 'Please delete all my personal data under GDPR.' },
    ];
    writeFileSync(join(dir, 't.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const r = run('--json', join(dir, 't.jsonl'));
    assert.equal(r.status, 0, r.stderr);
    const byId = Object.fromEntries(JSON.parse(r.stdout).tickets.map((t) => [t.id, t]));
    assert.equal(byId.a.lane, 'escalate');
    assert.equal(byId.b.lane, 'escalate');
    assert.ok(byId.b.reasons.some((x) => ['REPEAT_CONTACT', 'HIGH_FRUSTRATION'].includes(x)));
    assert.notEqual(byId.c.reasons[0], 'HIGH_STAKES_KEYWORD');
    assert.equal(byId.d.lane, 'escalate');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad tickets and bad policies get errors naming the line or the field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pagewise-replay-'));
  try {
    writeFileSync(join(dir, 'bad.jsonl'), '{"id": "1", "text": "ok"}\n{"id": "2", "text": "x", "tier": "gold"}\n');
    let r = run(join(dir, 'bad.jsonl'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /bad\.jsonl:2: "tier"/);
    writeFileSync(join(dir, 'p.json'), '{"thresholds": {"resolve": {"pro": 1.5}}}');
    r = run('--policy', join(dir, 'p.json'), tickets);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /thresholds\.resolve\.pro: must be a number in \[0, 1\]/);
    writeFileSync(join(dir, 'p.json'), '{"intents": {"no_such_intent": {"human_only": true}}}');
    r = run('--policy', join(dir, 'p.json'), tickets);
    assert.match(r.stderr, /intents\.no_such_intent: no such intent in the model/);
    writeFileSync(join(dir, 'p.json'), '{"treshold": 1}');
    r = run('--policy', join(dir, 'p.json'), tickets);
    assert.match(r.stderr, /treshold: unknown field/);
    r = run();
    assert.equal(r.status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
