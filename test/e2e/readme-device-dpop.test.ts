// The README's "device flow, its tokens bound by DPoP, by hand" session, run as written (only the
// port changes, and the 5 s wait before the first poll, which --auto-approve does not need): a
// device code, a DPoP-bound token (token_type DPoP, cnf.jkt), userinfo with a proof carrying ath,
// and the same token refused as a bearer token.

import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { freePort, readmeSession, runReadmeSession } from '../helpers/provider-cli.js';

const hasCurl = spawnSync('curl', ['--version']).status === 0;
if (!hasCurl) console.warn('readme-device-dpop: skipped because curl is not installed on this machine');

test.skipIf(!hasCurl)('the README device + DPoP session: bound tokens, userinfo with a proof, the bearer copy refused', async () => {
  const port = await freePort();
  const script = readmeSession('### A TV signs in with the device flow')
    .replace('provider --auto-approve --no-keys-file &', `provider --auto-approve --no-keys-file --port ${port} &`)
    .replaceAll('127.0.0.1:9400', `127.0.0.1:${port}`)
    .replace(/^sleep 5$/m, 'sleep 0');
  expect(script).toContain(`--port ${port}`);
  expect(script).toContain('sleep 0');
  const result = runReadmeSession(script, 40_000);
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/"user_code":"[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"/);
  expect(result.stdout).toMatch(/"token_type":"DPoP"/);
  const jkt = /cnf \{"jkt":"([\w-]{43})"\}/.exec(result.stdout)?.[1];
  expect(jkt).toBeDefined();
  expect(result.stderr).toContain(`cnf.jkt = ${jkt}`);
  expect(result.stdout).toContain('"email":"ravi@example.com"');
  expect(result.stdout).toMatch(/www-authenticate: DPoP error="invalid_token"/i);
}, 60_000);
