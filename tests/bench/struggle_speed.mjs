// Benchmark: the core's cost per widget event in wasm, through the same core.js the widget
// uses. Replays the calls `struggle_speed --dump FILE` wrote (events one per feed() call, and
// the ticker's ticks), so both homes time exactly the same work; also checks that both found
// the same number of detections. Prints one JSON line: the best of REPEATS passes after a
// warm-up pass. Reports numbers, never asserts.
//   node struggle_speed.mjs --widget DIR --calls FILE [--detections N]
// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const REPEATS = 5;

function run(session, calls) {
  session.reset();
  let detections = 0;
  for (const c of calls) {
    detections += (c.tick !== undefined ? session.tick(c.tick) : session.feed(c.one)).length;
  }
  return detections;
}

async function main() {
  const { values } = parseArgs({
    options: { widget: { type: 'string' }, calls: { type: 'string' },
      detections: { type: 'string' } },
  });
  if (!values.widget || !values.calls) {
    throw new Error('usage: struggle_speed.mjs --widget DIR --calls FILE [--detections N]');
  }
  const { loadCore } = await import(pathToFileURL(join(values.widget, 'core.js')));
  const core = await loadCore({ wasmBinary: readFileSync(join(values.widget, 'pagewise-core.wasm')) });
  const calls = readFileSync(values.calls, 'utf8').split('\n').filter(Boolean).map((line) => {
    const c = JSON.parse(line);
    return c.tick !== undefined ? c : { one: [c] }; // the array the widget hands to feed()
  });
  const events = calls.filter((c) => c.one).length;
  const session = core.struggle();
  try {
    const detections = run(session, calls);
    let best = Infinity;
    for (let i = 0; i < REPEATS; i++) {
      const start = performance.now();
      run(session, calls);
      best = Math.min(best, performance.now() - start);
    }
    const out = { home: 'wasm', events, calls: calls.length, detections,
      ns_per_event: Math.round((best / events) * 1e7) / 10 };
    if (values.detections !== undefined && Number(values.detections) !== detections) {
      out.parity = `native found ${values.detections} detections, wasm ${detections}`;
    }
    console.log(JSON.stringify(out));
  } finally {
    session.free();
  }
}

main().catch((err) => {
  console.error(`struggle_speed: ${err.message}`);
  process.exit(1);
});
