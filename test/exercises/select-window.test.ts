// The list both menus pick from scrolls when it is taller than the terminal: which entries it
// shows for the active one, and the line that says how many are hidden above and below.

import { describe, expect, test } from 'vitest';
import { hiddenEntriesLine, listWindow } from '../../src/cli/select-prompt.js';

const ones = (count: number) => Array.from({ length: count }, () => 1);

describe('listWindow', () => {
  test('a list that fits is shown whole, with no line about hidden entries', () => {
    expect(listWindow(ones(21), 20, 21)).toEqual({ top: 0, end: 21 });
  });

  test('23 entries in 21 lines: 20 entries and the line; moving down scrolls only as far as it must', () => {
    expect(listWindow(ones(23), 0, 21)).toEqual({ top: 0, end: 20 });
    expect(listWindow(ones(23), 19, 21, 0)).toEqual({ top: 0, end: 20 });
    expect(listWindow(ones(23), 20, 21, 0)).toEqual({ top: 1, end: 21 });
    // Back up inside the window: it stays where it was.
    expect(listWindow(ones(23), 5, 21, 3)).toEqual({ top: 3, end: 23 });
    // Up from the first goes round to the last: the end of the list, filled from above.
    expect(listWindow(ones(23), 22, 21, 0)).toEqual({ top: 3, end: 23 });
  });

  test('entries that wrap take their lines', () => {
    expect(listWindow([2, 2, 2, 2, 1], 3, 5, 0)).toEqual({ top: 2, end: 4 });
    // An entry taller than the room is still the one shown.
    expect(listWindow([1, 9, 1], 1, 5, 0)).toEqual({ top: 1, end: 2 });
  });
});

describe('hiddenEntriesLine', () => {
  test('says how many are above and below, and which entry is active, in words (not in colour alone)', () => {
    expect(hiddenEntriesLine({ top: 0, end: 20 }, 0, 23)).toBe('  ↓ 3 more  (1 of 23)');
    expect(hiddenEntriesLine({ top: 1, end: 21 }, 20, 23)).toBe('  ↑ 1 more  ↓ 2 more  (21 of 23)');
    expect(hiddenEntriesLine({ top: 3, end: 23 }, 22, 23)).toBe('  ↑ 3 more  (23 of 23)');
  });
});
