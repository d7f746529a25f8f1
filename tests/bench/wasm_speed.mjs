// Benchmark: the widget's wasm classifier under Node, through the same JS Core a host page uses.
// Usage: node wasm_speed.mjs --widget DIR --model M.pwm --data TEST.jsonl [--oos-label oos]
// Prints one JSON line {us_per_message, accuracy, rows}: the best of REPEATS timed passes over
// every text of DATA after one untimed warm-up pass, which also gives the accuracy as a cross
// check against the native `pagewise eval` of the same model. Reports numbers, never asserts.
// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const REPEATS = 3;

function readJsonl(path) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

// Labels as `pagewise eval` scores them: a rejected message counts as the out-of-scope label.
function accuracyOf(handle, rows, oosLabel) {
  let right = 0;
  for (const row of rows) {
    const r = handle.classify(row.text);
    if ((r.outOfScope ? oosLabel : r.label) === row.label) right++;
  }
  return right / rows.length;
}

function secondsPerPass(handle, texts) {
  let best = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    for (const text of texts) handle.classify(text);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}

async function main() {
  const { values } = parseArgs({
    options: {
      widget: { type: 'string' },
      model: { type: 'string' },
      data: { type: 'string' },
      'oos-label': { type: 'string', default: 'oos' },
    },
  });
  if (!values.widget || !values.model || !values.data) {
    throw new Error('usage: wasm_speed.mjs --widget DIR --model M.pwm --data TEST.jsonl');
  }
  const { loadCore } = await import(pathToFileURL(join(values.widget, 'core.js')));
  const wasmBinary = readFileSync(join(values.widget, 'pagewise-core.wasm'));
  const core = await loadCore({ wasmBinary });
  if (typeof core.loadModel !== 'function') {
    throw new Error('this widget build has no Core.loadModel (classifier not built yet)');
  }
  const handle = core.loadModel(new Uint8Array(readFileSync(values.model)));
  try {
    const rows = readJsonl(values.data);
    const accuracy = accuracyOf(handle, rows, values['oos-label']);
    const seconds = secondsPerPass(handle, rows.map((row) => row.text));
    console.log(JSON.stringify({
      us_per_message: Math.round((seconds / rows.length) * 1e8) / 100,
      accuracy,
      rows: rows.length,
    }));
  } finally {
    handle.free();
  }
}

main().catch((err) => {
  console.error(`wasm_speed: ${err.message}`);
  process.exit(1);
});
