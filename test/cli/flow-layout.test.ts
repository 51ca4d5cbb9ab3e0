// The OAuth demo fits the screen (issue #13): `oauth --auto`, `--verbose`, `--deny` and every
// `--attack`, told 60, 80 or 120 columns by COLUMNS, print no line wider than that (stdout and
// stderr), split no word (a long URL or token is broken only with the "\" mark, which joins back),
// and keep a list item's later lines under its text (a broken word's later pieces at column 0). Each narrow run is compared with a run that
// is not laid out at all (no COLUMNS, not a terminal: a pipe), which keeps every line whole.

import { describe, expect, test } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { displayWidth, joinBrokenLines } from '../../src/text/layout.js';

const WIDTHS = [60, 80, 120] as const;
const RUNS: Array<{ name: string; args: string[] }> = [
  { name: 'oauth --auto', args: ['oauth', '--auto'] },
  { name: 'oauth --auto --verbose', args: ['oauth', '--auto', '--verbose'] },
  { name: 'oauth --auto --deny', args: ['oauth', '--auto', '--deny'] },
  ...['stolen-code', 'no-pkce', 'csrf', 'mix-up', 'attacker-redirect-uri'].map((attack) => ({ name: `oauth --auto --attack ${attack}`, args: ['oauth', '--auto', '--attack', attack] })),
];

const ANSI = /\x1b\[[0-9;]*m/g;

/** Text with what differs from run to run masked: ports, times, random values (whole or shortened with …). */
function masked(text: string): string {
  return text
    .replace(/expires\s+in\s+[^,]+,\s+at/g, 'expires in #, at')
    .replace(/issued\s+(?:now|\d+\s+\w+\s+ago)/g, 'issued #')
    .replace(/[A-Za-z0-9_-]*…[A-Za-z0-9_-]*/g, '#')
    .replace(/[A-Za-z0-9_-]{16,}/g, '#')
    .replace(/\d+/g, '0');
}

/** The words of a run: colour removed, broken words and commands joined, the diagram's lines and arrows left out. */
function wordsOf(text: string): string[] {
  const joined = joinBrokenLines(text.replace(ANSI, '').replace(/ \\\r?\n\s*/g, ' '));
  // A trailing colon goes: the list form of a narrow diagram labels its parties ("Browser:").
  return masked(joined.replace(/[│─▶◀]/g, ' ')).split(/\s+/).map((word) => word.replace(/:$/, '')).filter(Boolean);
}

// A list item's marker, as the layout knows them, with its indent and the spaces after it.
const ITEM = /^( *(?:[•✓✗–!→]|\d{1,2}[.)]) +)\S/;
const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();

/** What is wrong with `narrow`, laid out at `width`, compared with `wide`, the same run not laid out. */
function layoutProblems(narrow: string, wide: string, width: number): string[] {
  const problems: string[] = [];
  const lines = narrow.replace(ANSI, '').split('\n');
  lines.forEach((line, index) => {
    if (displayWidth(line) > width) problems.push(`line ${index + 1} is ${displayWidth(line)} columns: ${line}`);
  });
  const known = new Set(wordsOf(wide));
  const unknown = [...new Set(wordsOf(narrow))].filter((word) => !known.has(word));
  if (unknown.length) problems.push(`words not in the run that is not laid out (split or changed): ${unknown.slice(0, 12).join(' | ')}`);
  // Each list item too wide for the line: its later lines start at least under its text, the
  // pieces of a word broken with "\\" too. A broken word's lines count as one for finding the item.
  const groups: string[][] = [];
  for (const line of lines) {
    if (groups.at(-1)?.at(-1)?.endsWith('\\')) groups.at(-1)!.push(line);
    else groups.push([line]);
  }
  const maskedGroups = groups.map((group) => masked(joinBrokenLines(group.join('\n'))));
  for (const item of wide.replace(ANSI, '').split('\n')) {
    const marker = ITEM.exec(item);
    if (!marker || displayWidth(item) <= width) continue;
    const whole = squeeze(masked(item));
    const start = maskedGroups.findIndex((line) => line.trim() && whole.startsWith(squeeze(line)) && line.startsWith(masked(marker[1]!)));
    if (start < 0) {
      problems.push(`a list item is not found as it starts: ${item.slice(0, 60)}`);
      continue;
    }
    const under = (line: string) => {
      if (!line.startsWith(' '.repeat(displayWidth(marker[1]!)))) problems.push(`a list item's later line is not under its text:\n${groups[start]![0]}\n${line}`);
    };
    // Its later lines: those that go on with its text. The later pieces of a word broken with "\\"
    // start at column 0 (so a pasted token joins whole): only a group's first line is checked.
    let said = squeeze(maskedGroups[start]!);
    for (let next = start + 1; next < groups.length && said.length < whole.length; next++) {
      const more = squeeze(`${said} ${maskedGroups[next]!}`);
      if (!whole.startsWith(more)) break;
      under(groups[next]![0]!);
      said = more;
    }
  }
  return problems;
}

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
    expect(layoutProblems(narrow.stdout, wide.stdout, width)).toEqual([]);
    expect(layoutProblems(narrow.stderr, wide.stderr, width)).toEqual([]);
  }, 30_000);
});

describe('oauth --auto laid out', () => {
  test('with colour forced on, the width counts visible columns only', async () => {
    const [narrow, wide] = await Promise.all([runCli(['oauth', '--auto'], { env: { COLUMNS: '60', FORCE_COLOR: '1' } }), wideRun(['oauth', '--auto'])]);
    expect(narrow.code).toBe(0);
    expect(narrow.stdout).toMatch(ANSI);
    expect(layoutProblems(narrow.stdout, wide.stdout, 60)).toEqual([]);
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
    expect(layoutProblems(narrow.stdout, wide.stdout, 40)).toEqual([]);
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
