// Starts a real `pagewise serve` on a free loopback port with a fresh data directory, waits until
// /api/v1/health answers, and stops it (SIGTERM, then checks it exited cleanly).
// SPDX-License-Identifier: MIT
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function requireEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this test through ctest`);
  return value;
}

// Asks the kernel for a free port. Another process could take it before the server binds;
// startServer retries on a bind failure, so that race costs a retry, not a flaky test.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

export async function startServer({ extraArgs = [] } = {}) {
  const bin = requireEnv('PW_BIN');
  const dataDir = mkdtempSync(join(tmpdir(), 'pagewise-test-'));
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const args = ['serve', '--listen', `127.0.0.1:${port}`, '--data', dataDir,
      '--www', requireEnv('PW_WWW_DIR'), '--widget', requireEnv('PW_WIDGET_DIR'), ...extraArgs];
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => { log += d; });
    child.stderr.on('data', (d) => { log += d; });
    if (await waitForHealth(base, child, 10000)) {
      return {
        base, dataDir, child, log: () => log,
        // Resolves with the exit code and signal; keepData leaves the directory for inspection.
        async stop({ keepData = false } = {}) {
          const exited = new Promise((r) => child.once('exit', (code, sig) => r({ code, sig })));
          child.kill('SIGTERM');
          const result = await exited;
          if (!keepData) rmSync(dataDir, { recursive: true, force: true });
          return result;
        },
      };
    }
    child.kill('SIGKILL');
    if (attempt === 2) throw new Error(`pagewise serve did not start:\n${log}`);
  }
  throw new Error('unreachable');
}
