// fix-short-secret's model answer is a fresh random secret each time it is shown: the answer
// hint --reveal gives passes check (a published, fixed secret would be refused as printed for all).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

test('the revealed secret passes the check, and each reveal shows another one', async () => {
  const env = { JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-revealed-')) };
  for (let attempt = 0; attempt < 3; attempt++) expect((await runCli(['exercises', 'check', 'fix-short-secret', 'not-a-token', 'swaad123'], { env })).code).toBe(1);
  const secrets: string[] = [];
  for (let reveal = 0; reveal < 2; reveal++) {
    const shown = await runCli(['exercises', 'hint', 'fix-short-secret', '--reveal'], { env });
    expect(shown.code).toBe(0);
    secrets.push(/--secret (\S+)/.exec(shown.stdout)![1]!);
  }
  expect(secrets[0]).not.toBe(secrets[1]);
  const token = (await runCli(['mint', '--secret', secrets[0]!, '--sub', 'asha'])).stdout.trim();
  const check = await runCli(['exercises', 'check', 'fix-short-secret', token, secrets[0]!], { env });
  expect(check.stdout).not.toContain('✗');
  expect(check.code).toBe(0);
});
