// API suite: a real `pagewise serve` on loopback with a fresh SQLite file.
// SPDX-License-Identifier: MIT
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, requireEnv } from '../harness/server.mjs';
import { loadSpec, apiFetch } from '../harness/openapi.mjs';

const spec = loadSpec();
let server;
before(async () => { server = await startServer(); });
after(async () => { if (server) await server.stop(); });

test('health reports ok with the migrated schema version, as the API document says', async () => {
  const { status, body } = await apiFetch(spec, server.base, 'GET', '/api/v1/health');
  assert.equal(status, 200);
  assert.equal(body.status, 'ok');
  assert.ok(Number.isInteger(body.schema_version) && body.schema_version >= 1);
});

test('the store is a real SQLite file in WAL mode under the data directory', () => {
  assert.ok(existsSync(join(server.dataDir, 'pagewise.db')));
  assert.ok(existsSync(join(server.dataDir, 'pagewise.db-wal')), 'WAL file present while serving');
});

// Every write waits for the one writer thread; request threads run at a lower priority so it
// is not queued behind them under load (server/http/http.c). Nice values are per thread on Linux.
test('request threads run at nice 5, below the writer and the checkpointer', () => {
  const tasks = `/proc/${server.child.pid}/task`;
  const nice = {};
  for (const tid of readdirSync(tasks)) {
    const name = readFileSync(join(tasks, tid, 'comm'), 'utf8').trim();
    const stat = readFileSync(join(tasks, tid, 'stat'), 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3, state
    (nice[name] ??= new Set()).add(Number(fields[16])); // field 19, nice
  }
  assert.deepEqual([...nice['civetweb-worker']], [5]);
  assert.deepEqual([...nice['pw-writer']], [0]);
  assert.deepEqual([...nice['pw-checkpoint']], [0]);
});

test('unknown API paths get a JSON 404 naming the problem', async () => {
  const { status, body } = await apiFetch(spec, server.base, 'GET', '/api/v1/nope');
  assert.equal(status, 404);
  assert.equal(body.error.code, 'not_found');
  assert.ok(body.error.message.length > 0);
});

test('wrong method on health is a JSON 405', async () => {
  const { status, body } = await apiFetch(spec, server.base, 'POST', '/api/v1/health', { body: {} });
  assert.equal(status, 405);
  assert.equal(body.error.code, 'method_not_allowed');
});

test('pages carry security headers and the widget is served with the wasm MIME type', async () => {
  const page = await fetch(`${server.base}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy'), /script-src 'self' 'wasm-unsafe-eval'/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  const wasm = await fetch(`${server.base}/widget/pagewise-core.wasm`);
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const escape = await fetch(`${server.base}/widget/..%2f..%2fCMakeCache.txt`);
  assert.equal(escape.status, 404);
});

// The raw bytes and headers, without fetch's transparent decompression.
function getRaw(url, headers) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('the widget files a host page loads go out gzipped to browsers that accept it', async () => {
  const widgetDir = requireEnv('PW_WIDGET_DIR');
  for (const [name, type] of [['pagewise.js', 'text/javascript'],
    ['pagewise-widget.js', 'text/javascript'], ['pagewise-core.wasm', 'application/wasm']]) {
    const url = `${server.base}/widget/${name}`;
    const plain = readFileSync(join(widgetDir, name));
    const zipped = await getRaw(url, { 'Accept-Encoding': 'gzip, deflate, br' });
    assert.equal(zipped.status, 200, name);
    assert.equal(zipped.headers['content-encoding'], 'gzip', name);
    assert.equal(zipped.headers['content-type'], type, name);
    assert.match(zipped.headers.vary, /Accept-Encoding/);
    assert.equal(zipped.headers['access-control-allow-origin'], '*');
    assert.ok(zipped.body.length < plain.length, `${name}: smaller on the wire`);
    assert.deepEqual(gunzipSync(zipped.body), plain, `${name}: the same file once inflated`);
    // A client that does not take gzip (or refuses it with q=0) gets the file itself.
    for (const headers of [{}, { 'Accept-Encoding': 'gzip;q=0, identity' }]) {
      const raw = await getRaw(url, headers);
      assert.equal(raw.headers['content-encoding'], undefined, name);
      assert.equal(raw.headers['content-type'], type, name);
      assert.deepEqual(raw.body, plain, name);
    }
  }
  const missing = await getRaw(`${server.base}/widget/nothing-here.js`,
    { 'Accept-Encoding': 'gzip' });
  assert.equal(missing.status, 404);
});

test('bad command lines fail with a message and exit status 2', () => {
  const bin = requireEnv('PW_BIN');
  for (const args of [['serve', '--listen', 'nonsense'], ['serve', '--bogus'], ['frobnicate']]) {
    const r = spawnSync(bin, args, { encoding: 'utf8' });
    assert.equal(r.status, 2, `${args.join(' ')} exits 2`);
    assert.ok(r.stderr.length > 0, `${args.join(' ')} explains itself`);
  }
});

test('an allowed origin that is not one (a trailing "/") is refused at start, naming it', () => {
  const bin = requireEnv('PW_BIN');
  const dir = mkdtempSync(join(tmpdir(), 'pw-origin-'));
  try {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({
      data: join(dir, 'data'),
      apps: [{ key: 'pk_x', name: 'X', allowed_origins: ['https://ok.example', 'https://app.example.com/'] }],
    }));
    const r = spawnSync(bin, ['serve', '--config', config], { encoding: 'utf8', timeout: 30000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /apps\[0\]\.allowed_origins\[1\]: is not an origin/);
    assert.ok(!existsSync(join(dir, 'data')), 'nothing was created');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGTERM stops the server cleanly: exit 0 and the database closed (WAL checkpointed)', async () => {
  const { dataDir } = server;
  const { code } = await server.stop({ keepData: true });
  server = null;
  assert.equal(code, 0);
  assert.ok(existsSync(join(dataDir, 'pagewise.db')));
  assert.ok(!existsSync(join(dataDir, 'pagewise.db-wal')), 'last close removes the WAL file');
  rmSync(dataDir, { recursive: true, force: true });
});
