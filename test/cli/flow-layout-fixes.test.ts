// The OAuth demo's sequence diagram keeps its promise (README: a label is written whole, never
// cut, and where that cannot be done the arrows are listed in words): at 40, 45, 50 and 60
// columns every arrow's label reads whole, a request's method with its path, no "\" in a label,
// and a diagram keeps its rightmost lifeline on every row. Step 1's parameter table is indented
// two spaces, as every other block.

import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { displayWidth } from '../../src/text/layout.js';

/** The sequence diagram (or its list in words) of the last step of `oauth --auto` at `width`. */
async function lastDiagram(width: number): Promise<{ lines: string[]; stdout: string }> {
  const result = await runCli(['oauth', '--auto'], { env: { COLUMNS: String(width) } });
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.split('\n');
  const lastStep = lines.findLastIndex((line) => /^Step \d+ of \d+:/.test(line));
  const start = lines.findIndex((line, index) => index > lastStep && (/Browser {2,}App \(Swaad\)/.test(line) || /^ {2}1 Browser → /.test(line)));
  expect(start, result.stdout.slice(-4000)).toBeGreaterThan(lastStep);
  // The diagram ends at the blank line after it.
  const end = lines.indexOf('', start);
  return { lines: lines.slice(start, end), stdout: result.stdout };
}

/** The labels the flow draws, each as it must read somewhere whole (on one line). */
const WHOLE = ['/authorize?client_id&redirect_uri&…', 'GET /userinfo', '<access token>', 'POST /token', 'GET /callback?code=…', 'code_verifier'];
/** The authorization request with its method takes 43 columns: kept together where a line (less the list's indent of 4) holds it. */
const AUTHORIZE = 'GET /authorize?client_id&redirect_uri&…';

describe('oauth --auto: the diagram at narrow widths', () => {
  test.each([40, 45, 50, 60])('%i columns: labels whole, no "\\" in the diagram, the rightmost lifeline on every row of a drawn diagram', async (width) => {
    const { lines } = await lastDiagram(width);
    expect(lines.filter((line) => displayWidth(line) > width)).toEqual([]);
    expect(lines.filter((line) => line.trimEnd().endsWith('\\'))).toEqual([]);
    const text = lines.join('\n');
    for (const label of WHOLE) expect(text, label).toContain(label);
    if (width - 4 >= AUTHORIZE.length) {
      expect(text).toContain(AUTHORIZE);
      // No method left alone at a line's end, its path on the next.
      expect(lines.filter((line) => /\b(GET|POST)$/.test(line.trimEnd()))).toEqual([]);
    }
    if (lines[0]!.includes('Mock Google')) {
      // Drawn: every row below the names reaches the rightmost lifeline (a caption never runs over it).
      const lastLifeline = lines[1]!.lastIndexOf('│');
      for (const row of lines.slice(1).filter((line) => line.trim())) {
        expect(row.length, row).toBeGreaterThanOrEqual(lastLifeline + 1);
        expect('│▶◀'.includes(row[lastLifeline]!), row).toBe(true);
      }
    }
  });

  test.each([40, 45, 50])('%i columns: a label does not fit whole between its lifelines, so the arrows are listed in words', async (width) => {
    const { lines } = await lastDiagram(width);
    expect(lines.join('\n')).not.toMatch(/[│─]/);
    expect(lines[0]).toMatch(/^ {2}1 Browser → App \(Swaad\): GET \/login$/);
  });

  test('step 1\'s parameter table is indented two spaces, as every other block', async () => {
    const result = await runCli(['oauth', '--auto'], { env: { COLUMNS: '80' } });
    const lines = result.stdout.split('\n');
    for (const name of ['client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'code_verifier', 'code_challenge']) {
      expect(lines.find((line) => line.trimStart().startsWith(`${name} `)), name).toMatch(new RegExp(`^ {2}${name} `));
    }
  });
});
