// oauth-access-token's first hint shows a one-time state: 128 random bits, new each time the hint
// is shown (not made from the seed like the answers are: a state is not an answer, and a state
// must be new for every request, RFC 9700 §4.7.1), and says so.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** The first hint as a learner with this seed sees it, through the CLI. */
async function firstHint(seed: string): Promise<string> {
  const result = await runCli(['exercises', '--seed', seed, 'hint', 'oauth-access-token', '--json'], { env: { JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-state-')) } });
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as { hints: string[] }).hints[0]!;
}

const stateIn = (hint: string) => /here is one made for you: ([0-9a-f]{32})\./.exec(hint)?.[1];

test('the hint shows a fresh state each time: 128 bits in hex, different on every call, even for the same seed', async () => {
  const [asha, ravi, ashaAgain] = await Promise.all([firstHint('asha-seed'), firstHint('ravi-seed'), firstHint('asha-seed')]);
  for (const hint of [asha, ravi, ashaAgain]) expect(stateIn(hint)).toMatch(/^[0-9a-f]{32}$/);
  expect(stateIn(ravi)).not.toBe(stateIn(asha));
  expect(stateIn(ashaAgain)).not.toBe(stateIn(asha));
});

test('the hint says the state is for one request, and how to make the next', async () => {
  const hint = await firstHint('asha-seed');
  expect(hint).toContain('Use it for this one request only: a state must be new for every request, never a fixed word (RFC 9700 §4.7.1), so make the next with `openssl rand -hex 16`');
  expect(hint).not.toContain('{{state}}');
});
