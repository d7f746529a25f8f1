// Starts a real `pagewise serve` on a free loopback port with a fresh data directory, waits until
// /api/v1/health answers, and stops it (SIGTERM, then checks it exited cleanly).
//
// startServer({ extraArgs, env, config, dataDir }):
//   extraArgs  more `serve` flags
//   env        merged into process.env for the child (PAGEWISE_ADMIN_TOKEN, ...)
//   config     an object, or a function ({ port, base }) => object, written as JSON to
//              <root>/config.json and passed with --config (root is the temp dir holding data/)
//   dataDir    serve an existing data directory instead of a fresh one (not deleted by stop)
// The answer: { base, port, root, dataDir, configPath, child, log, stop, kill9, restart }
// (base, port and child change on restart).
// restart() starts the server again on the same data directory (the same port when it is free,
// so origins derived from it stay the same); kill9() ends it with SIGKILL, as a crash would.
// SPDX-License-Identifier: MIT
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
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

// Ready when the child says it serves `base` (so the health answer below is its own and not
// that of another test's server that took a freed port) and health answers.
async function waitForHealth(base, child, deadlineMs, log) {
  const deadline = Date.now() + deadlineMs;
  const serving = `serving ${base}/`;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    if (!log().includes(serving)) {
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
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

// Temp roots kept for inspection (stop({ keepData: true })) are left alone; roots whose
// contents a test removed itself are removed when the process exits.
const roots = new Set();
process.once('exit', () => {
  for (const root of roots) {
    try { rmdirSync(root); } catch { /* not empty: kept on purpose */ }
  }
});

function exitOf(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, sig: child.signalCode });
  }
  return new Promise((r) => child.once('exit', (code, sig) => r({ code, sig })));
}

export async function startServer({ extraArgs = [], env = {}, config, dataDir: existing } = {}) {
  const bin = requireEnv('PW_BIN');
  const root = mkdtempSync(join(tmpdir(), 'pagewise-test-'));
  roots.add(root);
  const dataDir = existing ?? join(root, 'data');
  if (!existing) mkdirSync(dataDir);
  const configPath = join(root, 'config.json');
  let log = '';
  const server = {
    root, dataDir, configPath, base: null, port: null, child: null,
    log: () => log,
    // Resolves with the exit code and signal; keepData leaves the directory for inspection.
    async stop({ keepData = false } = {}) {
      const result = await signal('SIGTERM');
      if (!keepData) cleanup();
      return result;
    },
    // SIGKILL: no shutdown at all, the data directory is kept for a restart.
    kill9: () => signal('SIGKILL'),
    // Stops the server if it runs (SIGTERM) and starts it again on the same data directory.
    // Options as for startServer (env and config replace the first ones when given).
    async restart(options = {}) {
      if (server.child && server.child.exitCode === null && server.child.signalCode === null) {
        await signal('SIGTERM');
      }
      await launch({ ...launchOptions, ...options }, server.port);
      return server;
    },
  };
  const launchOptions = { extraArgs, env, config };

  // The root holds the config file, and the data directory unless it was given.
  function cleanup() {
    rmSync(root, { recursive: true, force: true });
  }

  async function signal(name) {
    const { child } = server;
    const exited = exitOf(child);
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return exited;
  }

  async function launch(options, preferredPort) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = attempt === 0 && preferredPort ? preferredPort : await freePort();
      const base = `http://127.0.0.1:${port}`;
      const args = ['serve', '--listen', `127.0.0.1:${port}`, '--data', dataDir,
        '--www', requireEnv('PW_WWW_DIR'), '--widget', requireEnv('PW_WIDGET_DIR')];
      if (options.config !== undefined) {
        const value = typeof options.config === 'function'
          ? options.config({ port, base }) : options.config;
        writeFileSync(configPath, JSON.stringify(value, null, 2));
        args.push('--config', configPath);
      }
      args.push(...(options.extraArgs ?? []));
      const child = spawn(bin, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...(options.env ?? {}) },
      });
      const start = log.length;
      child.stdout.on('data', (d) => { log += d; });
      child.stderr.on('data', (d) => { log += d; });
      if (await waitForHealth(base, child, 10000, () => log.slice(start))) {
        Object.assign(server, { base, port, child });
        return;
      }
      child.kill('SIGKILL');
      await exitOf(child);
      if (attempt === 2) {
        if (!server.child) cleanup();
        throw new Error(`pagewise serve did not start:\n${log}`);
      }
    }
  }

  await launch(launchOptions, null);
  return server;
}
