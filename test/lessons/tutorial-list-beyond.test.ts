// tutorial --list: the lessons that follow the article, then, under their own heading, the ones
// beyond it (issue #15); --json keeps its shape.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const home = () => ({ JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'tutorial-list-')) });

test('--list: "Following the article" first, "Beyond the article" on the line before lesson 11', async () => {
  const result = await runCli(['tutorial', '--list'], { env: home() });
  expect(result.code).toBe(0);
  const lines = result.stdout.split('\n');
  expect(lines[0]).toBe('Following the article');
  const beyond = lines.findIndex((line) => line.startsWith('Beyond the article'));
  expect(beyond).toBeGreaterThan(0);
  expect(lines[beyond + 1]).toMatch(/^ {2}11\. Machines and devices/);
  expect(lines[beyond - 2]).toMatch(/^ {2}10\. /);
  // Lessons 13 to 15 follow 11 and 12 under the same heading, in order.
  expect(lines.slice(beyond + 1, beyond + 6).map((line) => line.trim().split('.')[0])).toEqual(['11', '12', '13', '14', '15']);
});

test('--list --json: the same rows as before, no headings', async () => {
  const result = await runCli(['tutorial', '--list', '--json'], { env: home() });
  const json = JSON.parse(result.stdout) as { lessons: Array<{ number: number }> };
  expect(json.lessons.map((lesson) => lesson.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  expect(result.stdout).not.toContain('Beyond the article');
});
