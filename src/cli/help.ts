// Help text helpers shared by every command.

/** An "Examples:" block for commander's addHelpText. */
export function examples(lines: Array<[command: string, what: string]>): string {
  const width = Math.max(...lines.map(([command]) => command.length));
  return `\nExamples:\n${lines.map(([command, what]) => `  $ ${command.padEnd(width)}  # ${what}`).join('\n')}\n`;
}

/**
 * "\n(Did you mean decode?)" for the candidate nearest to `word`, as commander words it, or "".
 * Near means an edit distance (a swap of two neighbours counts one) of at most 3 and more than
 * 40 % of the longer word kept: `decdoe` finds decode, `xyz` finds nothing.
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
    if (distance < best) [best, nearest] = [distance, [candidate]];
    else if (distance === best) nearest.push(candidate);
  }
  nearest.sort((a, b) => a.localeCompare(b));
  if (nearest.length > 1) return `\n(Did you mean one of ${nearest.join(', ')}?)`;
  return nearest.length === 1 ? `\n(Did you mean ${nearest[0]}?)` : '';
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
