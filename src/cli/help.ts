// Help text helpers shared by every command. Commander lays out its own part of --help to the
// terminal's columns (80 off a terminal); what the commands add after it (examples, exit codes)
// is laid out here to the same width, so no --help line is wider than the screen.

import { DEFAULT_WIDTH, displayWidth, layoutCommand, layoutText, outputWidth, wrapParagraph } from '../text/layout.js';

/**
 * The width --help is laid out to: a terminal's columns, else COLUMNS, else 80 (help is prose,
 * never grepped as data, so a pipe gets 80 as commander gives it). Read when the help is built.
 */
export function helpWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  const width = outputWidth(stream, env);
  return Number.isFinite(width) ? width : DEFAULT_WIDTH;
}

/**
 * An "Examples:" block for commander's addHelpText, laid out to `width`: "$ command  # what",
 * the comments aligned when they fit; an example that does not fit on one line is a command
 * broken between its arguments (each line ending in " \\", so it pastes back) with its comment
 * on a line of its own under it.
 */
export function examples(lines: Array<[command: string, what: string]>, width = helpWidth()): string {
  const lead = '  $ ';
  const fitsOneLine = ([command, what]: [string, string]) => displayWidth(`${lead}${command}  # ${what}`) <= width;
  // The comments are aligned after the longest command among those whose line can fit.
  const commandWidth = Math.max(0, ...lines.filter(fitsOneLine).map(([command]) => displayWidth(command)));
  const laidOut = lines.flatMap(([command, what]) => {
    const aligned = `${lead}${command.padEnd(commandWidth)}  # ${what}`;
    if (displayWidth(aligned) <= width) return [aligned];
    if (fitsOneLine([command, what])) return [`${lead}${command}  # ${what}`];
    return [...layoutCommand(command, width, { lead }), ...wrapParagraph(what, width, { lead: '    # ', hang: '    # ' })];
  });
  return `\nExamples:\n${laidOut.join('\n')}\n`;
}

/** Text added to --help (exit codes, notes), each line laid out to the help's width. */
export function helpText(text: string, width = helpWidth()): string {
  return layoutText(text, width);
}

/**
 * "\n(Did you mean decode?)" for the candidate nearest to `word`, as commander words it, or "".
 * Near means an edit distance (a swap of two neighbours counts one) within the shorter word's
 * allowance (1 up to 5 letters, 2 up to 8, else 3) and more than 40 % of the longer word kept:
 * `decdoe` finds decode, `mnt` mint, while `nosuch` (3 edits from oauth) and `xyz` find nothing.
 */
export function suggestSimilar(word: string, candidates: string[]): string {
  const options = word.startsWith('--');
  const bare = (text: string) => (options ? text.replace(/^--/, '') : text);
  let best = 4;
  let nearest: string[] = [];
  for (const candidate of new Set(candidates)) {
    if (bare(candidate).length <= 1 || (options && !candidate.startsWith('--'))) continue;
    const distance = editDistance(bare(word), bare(candidate));
    const length = Math.max(bare(word).length, bare(candidate).length);
    if ((length - distance) / length <= 0.4) continue;
    if (distance > allowedEdits(Math.min(bare(word).length, bare(candidate).length))) continue;
    if (distance < best) [best, nearest] = [distance, [candidate]];
    else if (distance === best) nearest.push(candidate);
  }
  nearest.sort((a, b) => a.localeCompare(b));
  if (nearest.length > 1) return `\n(Did you mean one of ${nearest.join(', ')}?)`;
  return nearest.length === 1 ? `\n(Did you mean ${nearest[0]}?)` : '';
}

/** Edits a typo of a word this long may hold: a short word two edits away is another word. */
function allowedEdits(length: number): number {
  return length <= 5 ? 1 : length <= 8 ? 2 : 3;
}

/** Damerau–Levenshtein distance (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
