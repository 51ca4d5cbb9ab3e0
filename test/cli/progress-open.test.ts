// A command that opens the progress file says at once what the file had to say about itself
// (one that did not parse is moved aside), on stderr, through one helper.

import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { createContext } from '../../src/cli/context.js';
import { openProgressSayingNotices } from '../../src/cli/progress-open.js';

test('a progress file that does not parse: moved aside, and said on stderr', async () => {
  const home = mkdtempSync(join(tmpdir(), 'jvo-progress-open-'));
  writeFileSync(join(home, 'progress.json'), '{ not json');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let said = '';
  let printed = '';
  stderr.on('data', (chunk) => (said += chunk));
  stdout.on('data', (chunk) => (printed += chunk));
  const context = createContext({ stdout, stderr, stdin: new PassThrough(), env: { JWT_VS_OAUTH_HOME: home } }, () => ({}), () => 0);
  const store = await openProgressSayingNotices(context);
  expect(store.notices.length).toBeGreaterThan(0);
  expect(said).toContain(store.notices[0]!.slice(0, 40));
  expect(said).toMatch(/progress\.json/);
  expect(printed).toBe('');
  expect(readdirSync(home).some((name) => name !== 'progress.json' && name.startsWith('progress'))).toBe(true);
});
