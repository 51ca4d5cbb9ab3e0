// Every screen fits the terminal (issue #13): the built bin's main views at 60, 80 and 120
// columns, told the width by COLUMNS (not a terminal) and by a real tmux pane (a terminal), have
// no line wider than the width, no word split across lines, and list items' later lines under
// their text. Each narrow run is compared with a run that is not wrapped at all (a pipe without
// COLUMNS): the same words must come out, only the line breaks may differ.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BIN, runBin } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';
import { displayWidth, joinBrokenLines } from '../../src/text/layout.js';

const WIDTHS = [60, 80, 120] as const;
const SECRET = 'Xq3vN8rT0pLw2sKd9fGh5jZc7mBy4uEa';
let home: string;
let token: string;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-width-'));
  // A token with long and wide claims: a URL issuer, a long scope list, CJK and emoji values.
  token = runBin(['mint', '--secret', SECRET, '--sub', 'asha@example.com', '--aud', 'https://food-api.example.com/v1/orders', '--iss', 'https://accounts.example.com/tenants/7f3a2b/oauth2/v2.0',
    '--claim', 'scope=openid profile email orders:read orders:write payments:read', '--claim', 'name=山田 太郎 🍜', '--exp', '15m'], { env: { JWT_VS_OAUTH_HOME: home } }).stdout.trim();
  expect(token.split('.')).toHaveLength(3);
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

interface View {
  name: string;
  args: () => string[];
  /** Output that changes from run to run (tokens, codes, times) is masked before comparing words. */
}

const VIEWS: View[] = [
  { name: 'oauth --auto', args: () => ['oauth', '--auto'] },
  { name: 'tutorial --plain', args: () => ['tutorial', '--plain', 'all'] },
  { name: 'decode', args: () => ['decode', token] },
  { name: 'verify', args: () => ['verify', token, '--secret', SECRET, '--alg', 'HS256', '--aud', 'https://food-api.example.com/v1/orders'] },
  { name: 'exercises show', args: () => ['exercises', 'show', 'flaw-two'] },
];

const ANSI = /\x1b\[[0-9;]*m/g;

/** The words of a run, with breaks joined and what differs between runs masked. */
function wordsOf(text: string): string[] {
  const joined = joinBrokenLines(text.replace(ANSI, '').replace(/ \\\r?\n\s*/g, ' '));
  return joined
    // Times said in words move on between runs ("1 second ago", "in 14 minutes").
    .replace(/\b\d+\s+(?:second|minute|hour|day|week|month|year)s?\b/g, 'N time')
    // The sequence diagram's lines and arrows are drawn to the width; values cut with "…" differ per run.
    .replace(/[│─▶◀]/g, ' ')
    // A JSON body on one line, or pretty-printed a member a line where it does not fit: the same words.
    .replace(/[{}]/g, ' $& ')
    .replace(/":(?! )/g, '": ')
    .replace(/,"/g, ', "')
    .replace(/[A-Za-z0-9_-]*…[A-Za-z0-9_-]*/g, '#…')
    .replace(/[A-Za-z0-9_~+/=-]{16,}/g, '#')
    .replace(/\d+/g, '0')
    .split(/\s+/)
    .map((word) => word.replace(/:$/, ''))
    // Times said in words move on between runs: "(now)" becomes "(1 second ago)".
    .filter((word) => word && !/^\(?(?:now|ago|in|N|time)\)?[.,;]?$/.test(word));
}

const ITEM = /^( *(?:[•\-*✓✗!→]|\d{1,2}[.)]|\([a-z]\)) +)\S/;

/** What is wrong with `narrow` laid out at `width`, compared with the unwrapped `wide` run. */
function layoutProblems(narrow: string, wide: string, width: number): string[] {
  const problems: string[] = [];
  const lines = narrow.replace(ANSI, '').split('\n');
  lines.forEach((line, index) => {
    if (displayWidth(line) > width) problems.push(`line ${index + 1} is ${displayWidth(line)} columns: ${line}`);
  });
  const known = new Set(wordsOf(wide));
  // A value shortened in the middle ("ab…yz") to fit its table column is not a split word.
  const split = [...new Set(wordsOf(narrow))].filter((word) => !known.has(word) && !word.includes('…'));
  if (split.length) problems.push(`words not in the unwrapped run (split or changed): ${split.slice(0, 12).join(' | ')}`);
  // Each list item of the unwrapped run that was too wide: its later lines start under its text.
  for (const wideLine of wide.replace(ANSI, '').split('\n')) {
    const marker = ITEM.exec(wideLine);
    if (!marker || displayWidth(wideLine) <= width || /\d/.test(wideLine)) continue;
    const start = lines.findIndex((line) => line.startsWith(wideLine.slice(0, Math.min(wideLine.length, width - 4))) || wideLine.startsWith(line.trimEnd()) && line.trim().length > marker[1]!.length + 8);
    if (start < 0) continue;
    const next = lines[start + 1];
    // The rest of a word broken with "\" starts at column 0 (so a shell paste joins it): not an indent.
    const brokenWord = /[^ ]\\$/.test(lines[start]!);
    if (next && !brokenWord && next.trim() && wideLine.includes(next.trim().replace(/\\$/, '')) && !next.startsWith(' '.repeat(displayWidth(marker[1]!)))) {
      problems.push(`a list item's next line is not under its text:\n${lines[start]}\n${next}`);
    }
  }
  return problems;
}

const wideRuns = new Map<string, string>();
function wideRun(view: View): string {
  if (!wideRuns.has(view.name)) {
    // In colour, as on a terminal: a view may show more there (decode's coloured token line).
    const result = runBin(view.args(), { env: { JWT_VS_OAUTH_HOME: home, FORCE_COLOR: '1' } });
    expect(result.code, result.stderr).toBe(0);
    wideRuns.set(view.name, result.stdout);
    wideRuns.set(`${view.name} (both streams)`, `${result.stderr}\n${result.stdout}`);
  }
  return wideRuns.get(view.name)!;
}

describe.each(VIEWS)('$name', (view) => {
  test.each(WIDTHS)('fits %i columns told by COLUMNS, no word split, indents kept', (width) => {
    const result = runBin(view.args(), { env: { JWT_VS_OAUTH_HOME: home, COLUMNS: String(width) } });
    expect(result.code, result.stderr).toBe(0);
    expect(layoutProblems(result.stdout, wideRun(view), width)).toEqual([]);
  });
});

// A terminal gives the width itself; colour is on there, and widths count visible columns.
describe.skipIf(!tmuxAvailable())('in a tmux pane (tmux is installed)', () => {
  test.each(WIDTHS.flatMap((width) => VIEWS.map((view) => [view.name, width] as const)))('%s fits a %i-column pane', async (name, width) => {
    const view = VIEWS.find((candidate) => candidate.name === name)!;
    const command = [process.execPath, BIN, ...view.args()].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
    const session = new TerminalSession(command, { width, height: 50, historyLimit: 50_000, env: { JWT_VS_OAUTH_HOME: home }, unset: ['COLUMNS', 'NO_COLOR', 'CI'] });
    try {
      expect(await session.exitCode(60_000)).toBe(0);
      // capture-pane -J joins the lines the terminal itself wrapped: a line the program wrote too wide comes back whole.
      const screen = session.screen().replace(/\n*\[exit \d+\][\s\S]*$/, '');
      // A pane shows stderr too: its words are compared with both of the wide run's streams.
      wideRun(view);
      expect(layoutProblems(screen, wideRuns.get(`${view.name} (both streams)`)!, width)).toEqual([]);
    } finally {
      session.close();
    }
  }, 90_000);
});
if (!tmuxAvailable()) console.log('width.test.ts: tmux is not installed, so the pane half is skipped (COLUMNS half ran)');
