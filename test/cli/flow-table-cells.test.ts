// The OAuth demo's tables (step 1's parameters, the tokens' claims, the ID token's checklist) are
// read, not pasted: a value too wide for its column goes on a line of its own under the column
// and, if still too wide, is shortened in the middle with "…". It is never broken with "\" and its
// rest put at column 0, outside the table (as code_challenge's formula at 50 columns and the
// nonce at 60 were).

import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { displayWidth } from '../../src/text/layout.js';

/** The lines from the first line matching `from` up to, not including, the first after it matching `to`. */
function region(lines: string[], from: RegExp, to: RegExp): string[] {
  const start = lines.findIndex((line) => from.test(line));
  expect(start, `no line matches ${from}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, index) => index > start && to.test(line));
  return lines.slice(start, end === -1 ? undefined : end);
}

describe('oauth: a value too wide for its table column stays in the column', () => {
  test.each([
    [40, '--no-browser'], [50, '--no-browser'], [60, '--auto'], [80, '--auto'],
  ])('%i columns (%s): no "\\" break in step 1\'s parameters, the claims or the checklist, nothing at column 0', async (width, flag) => {
    const result = await runCli(['oauth', flag], { env: { COLUMNS: String(width) } });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    const parameters = region(lines, /^ {2}client_id/, /^$/);
    const tokens = region(lines, /^ID token \(for the app\)/, /nonce matches the one the app sent/);
    for (const table of [parameters, tokens]) {
      expect(table.filter((line) => line.endsWith('\\'))).toEqual([]);
      expect(table.filter((line) => displayWidth(line) > width)).toEqual([]);
    }
    // At column 0 only the tokens' labels and the checklist's title.
    expect(tokens.filter((line) => /^\S/.test(line) && !/^(ID token|Access token|The app verifies)/.test(line))).toEqual([]);
    expect(parameters.filter((line) => /^\S/.test(line))).toEqual([]);
  });

  test('50 columns: code_challenge\'s formula is shortened in its middle, under its column', async () => {
    const result = await runCli(['oauth', '--no-browser'], { env: { COLUMNS: '50' } });
    const lines = result.stdout.split('\n');
    const row = region(lines, /^ {2}code_challenge {2}/, /^( {2}\S|$)/);
    const column = row[0]!.indexOf(row[0]!.trim().split(/ +/)[1]!);
    for (const line of row.slice(1)) expect(line.slice(0, column), line).toBe(' '.repeat(column));
    expect(row.join('\n')).toMatch(/^ +BASE64URL\(SHA-\S*…\S*verifier\)\),$/m);
  });

  test('60 columns: the nonce claim goes under its column, shortened with "…" in the middle', async () => {
    const result = await runCli(['oauth', '--auto'], { env: { COLUMNS: '60' } });
    const lines = region(result.stdout.split('\n'), /^ID token \(for the app\)/, /^$/);
    const row = region(lines, /^ {2}nonce {2}/, /^ {2}azp {2}/);
    expect(row.length).toBeGreaterThan(1);
    for (const line of row.slice(1)) expect(line).toMatch(/^ {18}\S/);
    expect(row.join('\n')).toMatch(/"[\w-]+…[\w-]+"/);
  });
});
