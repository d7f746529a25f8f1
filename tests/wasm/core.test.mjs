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
