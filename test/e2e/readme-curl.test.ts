// The README's "whole flow with curl" session, run as written (only the port changes), so the
// commands a reader copies keep working: PKCE pair, one-time state and nonce, code, tokens,
// the ID token verified the way the app must, and /userinfo with the access token.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { freePort } from '../helpers/provider-cli.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const hasCurl = spawnSync('curl', ['--version']).status === 0;
if (!hasCurl) console.warn('readme-curl: skipped because curl is not installed on this machine');

function curlSession(): string {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf('### The whole flow with curl');
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(start));
  if (start < 0 || !block) throw new Error('README: the curl session was not found');
  return block[1]!;
}

test.skipIf(!hasCurl)('the README curl session signs Asha in and the ID token verifies', async () => {
  const port = await freePort();
  const script = curlSession()
    .replace('provider --auto-approve &', `provider --auto-approve --port ${port} &`)
    .replaceAll('127.0.0.1:9400', `127.0.0.1:${port}`);
  expect(script).toContain(`--port ${port}`);
  const bin = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-readme-'));
  const shim = join(bin, 'jwt-vs-oauth');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  const result = spawnSync('bash', ['-c', `set -e\ntrap 'kill $(jobs -p) 2>/dev/null' EXIT\n${script}`], {
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: bin, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.stderr).not.toMatch(/error|refused/i);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/[?&]code=[^&]+/);
  expect(result.stdout).toMatch(/"token_type":\s*"Bearer"/);
  expect(result.stdout).toMatch(/✓ VALID signature \(RS256\), typ, exp, iat, iss, aud checked/);
  expect(result.stdout).toContain('nonce matches');
  expect(result.stdout).toContain('"email":"asha@example.com"');
});
