// A label of the OAuth demo's sequence diagram is written only inside its own lane: between the
// two lifelines of its arrow (a note to itself, between its lifeline and the next). Written over
// another lifeline it reads as another party's message: step 5's token request, drawn from the
// Browser's lifeline over the App's, read as if the browser sent the code_verifier and secret.
// Where a label cannot fit its lane in two lines, the arrows are listed in words instead.

import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** Every drawn diagram (header row to the blank line after it) in `oauth --auto [args]` at `width`. */
async function diagrams(width: number, args: string[] = []): Promise<{ diagrams: string[][]; stdout: string }> {
  const result = await runCli(['oauth', '--auto', ...args], { env: { COLUMNS: String(width) } });
  expect([0, 1], result.stderr).toContain(result.code);
  const lines = result.stdout.split('\n');
  const found: string[][] = [];
  lines.forEach((line, index) => {
    if (/Browser {2,}App \(Swaad\) {2,}Mock Google/.test(line)) found.push(lines.slice(index, lines.indexOf('', index)));
  });
  return { diagrams: found, stdout: result.stdout };
}

/** Each label written in a diagram with the lane it must stay in, as [first, last] text columns. */
function labelsOutsideTheirLanes(diagram: string[]): string[] {
  const lifelines = [...diagram[1]!].flatMap((character, column) => (character === '│' ? [column] : []));
  // An arrow's rows start with its step number; a caption's rows come before its arrow row.
  const groups: string[][] = [];
  for (const row of diagram.slice(2)) {
    if (/^[▶ ] ?\d/.test(row) || groups.length === 0) groups.push([row]);
    else groups.at(-1)!.push(row);
  }
  const wrong: string[] = [];
  for (const group of groups) {
    const arrowRow = group.find((row) => /[─▶◀]{2}/.test(row.slice(4)));
    let left: number;
    let right: number;
    if (arrowRow) {
      const body = [...arrowRow].map((character, column) => (column >= 4 && '─▶◀'.includes(character) ? column : -1)).filter((column) => column >= 0);
      left = body[0]! - 1;
      right = body.at(-1)! + 1;
    } else {
      // A note to itself (⟲): from its lifeline to the next one.
      const at = group[0]!.indexOf('⟲');
      left = Math.max(...lifelines.filter((column) => column < at));
      right = lifelines.find((column) => column > at) ?? Infinity;
    }
    for (const row of group) {
      if (row === arrowRow) continue;
      [...row].forEach((character, column) => {
        if (column < 4 || character === ' ') return;
        const onOwnLifeline = character === '│' && lifelines.includes(column);
        if (onOwnLifeline) return;
        if (column <= left || column >= right) wrong.push(`${row.trimEnd()}  (column ${column}, lane ${left}–${right})`);
      });
    }
  }
  return [...new Set(wrong)];
}

describe('oauth --auto: every label inside its own lane', () => {
  test.each([40, 50, 60, 80, 100])('%i columns: no caption runs over another lifeline', async (width) => {
    const { diagrams: drawn, stdout } = await diagrams(width);
    for (const diagram of drawn) expect(labelsOutsideTheirLanes(diagram)).toEqual([]);
    // Drawn or listed, the token request is the app's, to the provider.
    if (drawn.length === 0) expect(stdout).toMatch(/5 App \(Swaad\) → Mock Google:\s+POST \/token/);
  });

  test('80 columns: the redirect to /authorize is written between Browser and App, over two lines', async () => {
    const { diagrams: drawn } = await diagrams(80);
    const last = drawn.at(-1)!.join('\n');
    expect(last).toMatch(/^ {2}1 {2}│ 302 → provider +│ +│$/m);
    expect(last).toMatch(/^ {5}│ \/authorize +│ +│$/m);
    // Step 5's token request sits in the App–Mock Google lane.
    expect(last).toMatch(/^ {2}5 {2}│ +│ POST \/token code \+ +│$/m);
  });

  test('60 columns: equal lanes leave the token request three lines, so the lanes are shared out differently and the diagram is drawn', async () => {
    const { diagrams: drawn } = await diagrams(60);
    const last = drawn.at(-1)!;
    expect(last.join('\n')).toMatch(/^ {2}5 {2}│ +│ POST \/token code \+ +│$/m);
    expect(last.join('\n')).toMatch(/^ {5}│ +│ code_verifier \+ secret │$/m);
    expect(last.every((row) => row.length <= 60)).toBe(true);
  });

  test('100 columns, with the attacker\'s lifeline too: every caption inside its lane', async () => {
    const result = await runCli(['oauth', '--attack', 'stolen-code'], { env: { COLUMNS: '100' } });
    const lines = result.stdout.split('\n');
    const drawn = lines.flatMap((line, index) => (/Browser {2,}App \(Swaad\) {2,}Mock Google/.test(line) ? [lines.slice(index, lines.indexOf('', index))] : []));
    expect(drawn.length, result.stdout.slice(-3000)).toBeGreaterThan(0);
    for (const diagram of drawn) expect(labelsOutsideTheirLanes(diagram)).toEqual([]);
  });
});
