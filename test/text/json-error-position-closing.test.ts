// jsonErrorOffset against JSON.parse itself, on many small texts built from JSON's pieces: the
// same texts valid, and the same offset wherever JSON.parse names one (closing brackets above all).

import { expect, test } from 'vitest';
import { jsonErrorOffset } from '../../src/text/json-error-position.js';

const PIECES = ['[', ']', '{', '}', ',', ':', '"a"', '1', 'true', ' ', '"', 'x', '-', '0.5', 'nul'];

/** A repeatable sequence of texts (a small linear congruential generator, so a failure can be replayed). */
function* texts(count: number): Generator<string> {
  let seed = 14;
  const next = (below: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % below;
  };
  for (let made = 0; made < count; made++) {
    let text = '';
    for (let length = 1 + next(10); length > 0; length--) text += PIECES[next(PIECES.length)];
    yield text;
  }
}

/** JSON.parse's verdict: 'valid', or the position its message gives (undefined when it gives none). */
function nativeVerdict(text: string): 'valid' | number | undefined {
  try {
    JSON.parse(text);
    return 'valid';
  } catch (error) {
    const position = /at position (\d+)/.exec((error as Error).message);
    return position ? Number(position[1]) : undefined;
  }
}

test('on 20,000 texts of brackets, commas, keys and values, jsonErrorOffset agrees with JSON.parse', () => {
  const disagreements: string[] = [];
  let valid = 0;
  for (const text of texts(20_000)) {
    const native = nativeVerdict(text);
    const ours = jsonErrorOffset(text);
    if (native === 'valid') valid++;
    const agrees = native === 'valid' ? ours === undefined : ours !== undefined && (native === undefined || ours === native);
    if (!agrees) disagreements.push(`${JSON.stringify(text)}: JSON.parse ${native}, jsonErrorOffset ${ours}`);
  }
  expect(disagreements.slice(0, 10)).toEqual([]);
  // The texts reach the closing-bracket paths: some hundreds of them are valid JSON.
  expect(valid).toBeGreaterThan(200);
});
