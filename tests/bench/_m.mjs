import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
const { loadCore } = await import('/work/main/build/dist/widget/core.js');
const core = await loadCore({ wasmBinary: readFileSync('/work/main/build/dist/widget/pagewise-core.wasm') });
const bytes = new Uint8Array(readFileSync(process.argv[2]));
console.log('bytes', bytes.length, 'gz', gzipSync(bytes).length);
for (let i = 0; i < 5; i++) { const t = performance.now(); const m = core.loadModel(bytes); const t2 = performance.now(); m.classify('how do I export'); const t3=performance.now(); console.log('load ms', (t2 - t).toFixed(1), 'first classify', (t3-t2).toFixed(2)); m.free(); }
