// The OAuth demo fits the screen (issue #13): `oauth --auto`, `--verbose`, `--deny` and every
// `--attack`, told 60, 80 or 120 columns by COLUMNS, print no line wider than that (stdout and
// stderr), split no word (a long URL or token is broken only with the "\" mark, which joins back),
// and keep a list item's later lines under its text (a broken word's later pieces at column 0). Each narrow run is compared with a run that
// is not laid out at all (no COLUMNS, not a terminal: a pipe), which keeps every line whole.

import { describe, expect, test } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { displayWidth } from '../../src/text/layout.js';
import { ANSI, layoutProblems, maskRunToRun } from '../helpers/layout-checks.js';

const WIDTHS = [60, 80, 120] as const;
const RUNS: Array<{ name: string; args: string[] }> = [
  { name: 'oauth --auto', args: ['oauth', '--auto'] },
  { name: 'oauth --auto --verbose', args: ['oauth', '--auto', '--verbose'] },
  { name: 'oauth --auto --deny', args: ['oauth', '--auto', '--deny'] },
  ...['stolen-code', 'no-pkce', 'csrf', 'mix-up', 'attacker-redirect-uri'].map((attack) => ({ name: `oauth --auto --attack ${attack}`, args: ['oauth', '--auto', '--attack', attack] })),
];

const CHECK = {
  /** What differs from run to run: ports, times, random values (whole or shortened with …); a label's colon (the narrow diagram's "Browser:"). */
  mask: (text: string) => maskRunToRun(text.replace(/expires\s+in\s+[^,]+,\s+at/g, 'expires in #, at').replace(/issued\s+(?:now|\d+\s+\w+\s+ago)/g, 'issued #')).replace(/:(?=\s|$)/g, ''),
  // A list item's marker, as the layout knows them, with its indent and the spaces after it.
  item: /^( *(?:[•✓✗–!→]|\d{1,2}[.)]) +)\S/,
};

const wideRuns = new Map<string, Promise<CliResult>>();
/** The same run with no COLUMNS and no terminal: nothing is laid out. */
function wideRun(args: string[]): Promise<CliResult> {
  const key = args.join(' ');
  if (!wideRuns.has(key)) wideRuns.set(key, runCli(args, { env: {} }));
  return wideRuns.get(key)!;
}

describe.each(RUNS)('$name', ({ args }) => {
  test.each(WIDTHS)('fits %i columns told by COLUMNS: no word split, list indents kept', async (width) => {
    const [narrow, wide] = await Promise.all([runCli(args, { env: { COLUMNS: String(width) } }), wideRun(args)]);
    expect(narrow.code, narrow.stderr).toBe(0);
    expect(wide.code, wide.stderr).toBe(0);
    expect(layoutProblems(narrow.stdout, wide.stdout, width, CHECK)).toEqual([]);
    expect(layoutProblems(narrow.stderr, wide.stderr, width, CHECK)).toEqual([]);
  }, 30_000);
});

describe('oauth --auto laid out', () => {
  test('with colour forced on, the width counts visible columns only', async () => {
    const [narrow, wide] = await Promise.all([runCli(['oauth', '--auto'], { env: { COLUMNS: '60', FORCE_COLOR: '1' } }), wideRun(['oauth', '--auto'])]);
    expect(narrow.code).toBe(0);
    expect(narrow.stdout).toMatch(ANSI);
    expect(layoutProblems(narrow.stdout, wide.stdout, 60, CHECK)).toEqual([]);
  }, 30_000);

  test('at 100 columns the sequence diagram is a diagram: four lifelines with an attacker, labels never cut (at 60 the replay\'s label does not fit its lane, so it is listed in words)', async () => {
    const narrow = await runCli(['oauth', '--auto', '--attack', 'stolen-code'], { env: { COLUMNS: '60' } });
    expect(narrow.stdout).not.toMatch(/Mock Google +Attacker$/m);
    expect(narrow.stdout).toMatch(/^▶ 2 Attacker → Mock Google: POST \/token \(same code\) → 400$/m);
    const result = await runCli(['oauth', '--auto', '--attack', 'stolen-code'], { env: { COLUMNS: '100' } });
    const lines = result.stdout.split('\n');
    const header = lines.findLast((line) => /^ *Browser +App \(Swaad\) +Mock Google +Attacker$/.test(line));
    expect(header).toBeDefined();
    // Every arrow row crosses or ends on the lifelines of the parties, in the party names' columns.
    const columns = ['Browser', 'App (Swaad)', 'Mock Google', 'Attacker'].map((name) => header!.indexOf(name) + Math.floor(name.length / 2));
    const lifelines = lines[lines.indexOf(header!) + 1]!;
    expect([...lifelines].flatMap((character, index) => (character === '│' ? [index] : []))).toEqual(columns);
    // The replay's label is longer than its arrow: written whole above it, not cut with "…".
    expect(result.stdout.replace(/[│\s]+/g, ' ')).toContain('POST /token (same code) → 400 invalid_grant');
    expect(result.stdout).toMatch(/^ {3}( *│ *)+◀─+│$/m);
  }, 30_000);

  test('narrower than a diagram can be drawn, the arrows are listed in words, and every line still fits', async () => {
    const [narrow, wide] = await Promise.all([runCli(['oauth', '--auto', '--attack', 'csrf'], { env: { COLUMNS: '40' } }), wideRun(['oauth', '--auto', '--attack', 'csrf'])]);
    expect(narrow.code).toBe(0);
    expect(layoutProblems(narrow.stdout, wide.stdout, 40, CHECK)).toEqual([]);
    expect(narrow.stdout).not.toContain('│');
    expect(narrow.stdout.replace(/\n {4}/g, ' ')).toContain("▶ 2 Browser → App (Swaad): GET /callback?code=ravi's&state=ravi's");
    const verbose = await runCli(['oauth', '--auto', '--verbose'], { env: { COLUMNS: '24' } });
    expect(verbose.stdout.split('\n').filter((line) => displayWidth(line) > 24)).toEqual([]);
  }, 30_000);

  test('without COLUMNS and not on a terminal (a pipe), no line is laid out: paragraphs and URLs stay whole', async () => {
    const result = await runCli(['oauth', '--auto'], { env: {} });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('The app does not ask for your password. It makes three random values, keeps them in its own session on its server (your browser holds only a cookie that names that session), and sends your browser to the provider with an authorization request.');
    expect(lines.some((line) => /^ {6}location: http:\/\/127\.0\.0\.1:\d+\/authorize\?response_type=code&client_id=demo-app&\S+&code_challenge_method=S256$/.test(line))).toBe(true);
    expect(lines.filter((line) => line.endsWith('\\'))).toEqual([]);
    expect(result.stderr).toMatch(/^Mock Google \(a local simulation\) at http:\/\/127\.0\.0\.1:\d+; the Swaad demo app at http:\/\/127\.0\.0\.1:\d+\.$/m);
  }, 30_000);

  test('--json is not laid out: the steps\' text is as written, at any COLUMNS', async () => {
    const result = await runCli(['oauth', '--json'], { env: { COLUMNS: '40' } });
    const json = JSON.parse(result.stdout) as { steps: Array<{ text: string[] }> };
    expect(json.steps[0]!.text[0]).toBe('The app does not ask for your password. It makes three random values, keeps them in its own session on its server (your browser holds only a cookie that names that session), and sends your browser to the provider with an authorization request.');
    expect(json.steps.at(-1)!.text).toContain('  1 "User clicks Login with Google"  → step 1 (state, nonce, PKCE made by the app)');
  }, 30_000);
});
