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
import { layoutProblems, maskRunToRun } from '../helpers/layout-checks.js';

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
  { name: 'oauth --flow device --auto', args: () => ['oauth', '--flow', 'device', '--auto'] },
  { name: 'oauth --dpop --auto', args: () => ['oauth', '--dpop', '--auto'] },
  { name: 'oauth --flow device --dpop --auto', args: () => ['oauth', '--flow', 'device', '--dpop', '--auto'] },
  { name: 'oauth --flow client-credentials --auto', args: () => ['oauth', '--flow', 'client-credentials', '--auto'] },
  { name: 'oauth --flow refresh --auto', args: () => ['oauth', '--flow', 'refresh', '--auto'] },
  { name: 'oauth --attack refresh-reuse --auto', args: () => ['oauth', '--attack', 'refresh-reuse', '--auto'] },
  { name: 'oauth --attack device-phishing --auto', args: () => ['oauth', '--attack', 'device-phishing', '--auto'] },
  { name: 'oauth --attack stolen-dpop-token --auto', args: () => ['oauth', '--attack', 'stolen-dpop-token', '--auto'] },
  { name: 'tutorial --plain', args: () => ['tutorial', '--plain', 'all'] },
  { name: 'decode', args: () => ['decode', token] },
  { name: 'verify', args: () => ['verify', token, '--secret', SECRET, '--alg', 'HS256', '--aud', 'https://food-api.example.com/v1/orders'] },
  { name: 'exercises show', args: () => ['exercises', 'show', 'flaw-two'] },
];

const CHECK = {
  /** What differs between runs (tokens, codes, times said in words) masked a word at a time, so a line break between words changes nothing. */
  mask: (text: string) => maskRunToRun(text
    // A JSON body on one line, or pretty-printed a member a line where it does not fit: the same words.
    .replace(/[{}]/g, ' $& ')
    .replace(/":(?! )/g, '": ')
    .replace(/,"/g, ', "'), /[A-Za-z0-9_~+/=-]{16,}/g)
    .replace(/:(?=\s|$)/g, '')
    // A device flow's user code (RFC 8628 §6.1 letters), shown ABCD-EFGH and in paths as ABCDEFGH.
    .replace(/(?<![A-Za-z])[BCDFGHJ-NP-TV-XZ]{4}-?[BCDFGHJ-NP-TV-XZ]{4}(?![A-Za-z])/g, 'USER-CODE')
    // Times said in words move on between runs: "(now)" becomes "(1 second ago)", "in 14 minutes" "in 13 minutes".
    .replace(/(?<!\S)(?:\(?0|\(?(?:now|ago|in|(?:second|minute|hour|day|week|month|year)s?)\)?[.,;]?)(?!\S)/g, ' '),
  item: /^( *(?:[•\-*✓✗!→]|\d{1,2}[.)]|\([a-z]\)) +)\S/,
};

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
    expect(layoutProblems(result.stdout, wideRun(view), width, CHECK)).toEqual([]);
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
      expect(layoutProblems(screen, wideRuns.get(`${view.name} (both streams)`)!, width, CHECK)).toEqual([]);
    } finally {
      session.close();
    }
  }, 90_000);
});
if (!tmuxAvailable()) console.log('width.test.ts: tmux is not installed, so the pane half is skipped (COLUMNS half ran)');
