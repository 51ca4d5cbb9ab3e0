// flaw-two has two flaws to pick from, so a wrong pick's why must not name what gives the other
// away (the algorithms): it says only what the token shows about the flaw that was picked.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

test('a wrong "tampered" on a key-confusion token says nothing was changed after signing, and names no algorithm', async () => {
  let checked = 0;
  for (let index = 0; index < 12; index++) {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-flaw-two-'));
    const result = await runCli(['exercises', '--seed', `why-${index}`, 'check', 'flaw-two', 'tampered', '--json'], { env: { JWT_VS_OAUTH_HOME: home } });
    if (result.code === 0) continue;
    checked++;
    const why = JSON.parse(result.stdout).checks.find((line: { ok: boolean }) => !line.ok).why as string;
    expect(why).toBe('its header and payload are exactly what was signed: nothing in them was changed after signing');
    expect(why).not.toMatch(/RS256|HS256|key confusion/i);
  }
  expect(checked).toBeGreaterThan(0);
});
