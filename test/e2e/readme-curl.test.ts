// The README's "whole flow with curl" session, run as written (only the port changes), so the
// commands a reader copies keep working: PKCE pair, one-time state and nonce, code, tokens,
// the ID token verified the way the app must, and /userinfo with the access token.

import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { freePort, readmeSession, runReadmeSession } from '../helpers/provider-cli.js';

const hasCurl = spawnSync('curl', ['--version']).status === 0;
if (!hasCurl) console.warn('readme-curl: skipped because curl is not installed on this machine');

test.skipIf(!hasCurl)('the README curl session signs Asha in and the ID token verifies', async () => {
  const port = await freePort();
  const script = readmeSession('### The whole flow with curl')
    .replace('provider --auto-approve &', `provider --auto-approve --port ${port} &`)
    .replaceAll('127.0.0.1:9400', `127.0.0.1:${port}`);
  expect(script).toContain(`--port ${port}`);
  const result = runReadmeSession(script, 30_000);
  expect(result.stderr).not.toMatch(/error|refused/i);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/[?&]code=[^&]+/);
  expect(result.stdout).toMatch(/"token_type":\s*"Bearer"/);
  expect(result.stdout).toMatch(/✓ VALID signature \(RS256\), typ, exp, iat, iss, aud checked/);
  expect(result.stdout).toContain('nonce matches');
  expect(result.stdout).toContain('"email":"asha@example.com"');
});
