// For tests that run Mock Google through the CLI: a free loopback port to give it, a wait until it
// answers there, and the README's shell sessions run as written (with a `jwt-vs-oauth` on PATH).

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN } from './cli.js';

/** A loopback port free a moment ago: listened on, then let go. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once `url` answers 2xx; throws after 15 s. */
export async function waitUntilAnswering(url: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} never answered`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The first ```sh block after `heading` in README.md: a session the README shows, to run as written. */
export function readmeSession(heading: string): string {
  const text = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const start = text.indexOf(heading);
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(start));
  if (start < 0 || !block) throw new Error(`README: no shell session after "${heading}"`);
  return block[1]!;
}

/** Runs a README session in bash (set -e, background jobs stopped at the end) with `jwt-vs-oauth` on PATH as the built bin, in a fresh folder that is also HOME. */
export function runReadmeSession(script: string, timeout: number): { status: number | null; stdout: string; stderr: string } {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-readme-'));
  const shim = join(folder, 'jwt-vs-oauth');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  const result = spawnSync('bash', ['-c', `set -e\ntrap 'kill $(jobs -p) 2>/dev/null' EXIT\n${script}`], {
    cwd: folder,
    env: { PATH: `${folder}:${process.env.PATH}`, HOME: folder, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
