// Checks that output laid out to a width fits it, shared by the layout tests: no line wider than
// the width, no word split or changed (against the same output not laid out, once "\" breaks are
// joined), and the later lines of a list item or a table row under its text.

import { displayWidth, joinBrokenLines } from '../../src/text/layout.js';

export const ANSI = /\x1b\[[0-9;]*m/g;

/** Runs of white space made one space, the ends trimmed: text compared whatever its line breaks. */
export const squeeze = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Each line of `text` wider than `width` columns (colour codes take none), said as a problem. */
export function linesTooWide(text: string, width: number): string[] {
  return text.replace(ANSI, '').split('\n').flatMap((line, index) => (displayWidth(line) > width ? [`line ${index + 1} is ${displayWidth(line)} columns: ${line}`] : []));
}

/**
 * Masks what differs from run to run, for words compared across two runs: a value shortened
 * with "…" becomes "#…", a long random one (a token, a code: `longValue`) "#", every number 0,
 * and the sequence diagram's lines and arrows (drawn to the width) go.
 */
export function maskRunToRun(text: string, longValue = /[A-Za-z0-9_-]{16,}/g): string {
  return text
    .replace(/[│─▶◀]/g, ' ')
    .replace(/[A-Za-z0-9_-]*…[A-Za-z0-9_-]*/g, '#…')
    .replace(longValue, '#')
    .replace(/\d+/g, '0');
}

/** The words of `text`: colour removed, a command's " \" breaks and a word's "\" breaks joined, then `mask` applied. */
export function wordsOf(text: string, mask: (joined: string) => string = (same) => same): string[] {
  const joined = joinBrokenLines(text.replace(ANSI, '').replace(/ \\\r?\n\s*/g, ' '));
  return mask(joined).split(/\s+/).filter((word) => word !== '' && word !== '\\');
}

export interface LayoutCheck {
  /** Masks what differs between the two runs (default: nothing); used for words and for finding list items. */
  mask?: (text: string) => string;
  /** A list item's marker, with its indent and the spaces after it, as group 1 (default: no list items checked). */
  item?: RegExp;
}

/**
 * What is wrong with `narrow`, laid out at `width`, against `wide`, the same output not laid out:
 * lines too wide, words split or changed, list items whose later lines are not under their text.
 */
export function layoutProblems(narrow: string, wide: string, width: number, check: LayoutCheck = {}): string[] {
  const known = new Set(wordsOf(wide, check.mask));
  // A value shortened in the middle ("ab…yz") to fit a table column is not a split word.
  const changed = [...new Set(wordsOf(narrow, check.mask))].filter((word) => !known.has(word) && !word.includes('…'));
  return [
    ...linesTooWide(narrow, width),
    ...(changed.length ? [`words not in the run that is not laid out (split or changed): ${changed.slice(0, 12).join(' | ')}`] : []),
    ...(check.item ? listItemProblems(narrow, wide, width, check.item, check.mask) : []),
  ];
}

/**
 * Each list item of `wide` too wide for `width` is found in `narrow` as it starts, and its later
 * lines start at least under its text. The later pieces of a word broken with "\" start at
 * column 0 (so a pasted token joins whole): a broken word's lines count as one, and only the
 * first of them is checked.
 */
export function listItemProblems(narrow: string, wide: string, width: number, item: RegExp, mask: (text: string) => string = (same) => same): string[] {
  const problems: string[] = [];
  const groups: string[][] = [];
  for (const line of narrow.replace(ANSI, '').split('\n')) {
    if (groups.at(-1)?.at(-1)?.endsWith('\\')) groups.at(-1)!.push(line);
    else groups.push([line]);
  }
  const maskedGroups = groups.map((group) => mask(joinBrokenLines(group.join('\n'))));
  for (const wideLine of wide.replace(ANSI, '').split('\n')) {
    const marker = item.exec(wideLine);
    if (!marker || displayWidth(wideLine) <= width) continue;
    const whole = squeeze(mask(wideLine));
    const start = maskedGroups.findIndex((line) => line.trim() && whole.startsWith(squeeze(line)) && line.startsWith(mask(marker[1]!)));
    if (start < 0) {
      problems.push(`a list item is not found as it starts: ${wideLine.slice(0, 60)}`);
      continue;
    }
    // Its later lines: those that go on with its text.
    let said = squeeze(maskedGroups[start]!);
    for (let next = start + 1; next < groups.length && said.length < whole.length; next++) {
      const more = squeeze(`${said} ${maskedGroups[next]!}`);
      // A blank line, or one that does not go on with the item's words, ends it.
      if (more === said || !whole.startsWith(more)) break;
      if (!groups[next]![0]!.startsWith(' '.repeat(displayWidth(marker[1]!)))) problems.push(`a list item's later line is not under its text:\n${groups[start]![0]}\n${groups[next]![0]}`);
      said = more;
    }
  }
  return problems;
}

/**
 * The later lines of each row of a table, with the column they must start at: the row's last
 * column (after its last run of two spaces). A row is a line `isRow` takes; `stop` ends a table.
 */
export function continuationIndents(lines: string[], isRow: (line: string) => boolean, stop: (line: string) => boolean): Array<{ line: string; column: number }> {
  const found: Array<{ line: string; column: number }> = [];
  let column = -1;
  lines.forEach((line, index) => {
    if (stop(line)) {
      column = -1;
      return;
    }
    if (isRow(line)) {
      column = /^(.*\S {2,})\S/.exec(line)?.[1]!.length ?? -1;
      return;
    }
    // A broken word's later pieces start at column 0 on purpose (a shell or decode joins them back).
    const continuesBrokenWord = index > 0 && lines[index - 1]!.endsWith('\\');
    if (column >= 0 && line.trim() !== '' && !continuesBrokenWord) found.push({ line, column });
  });
  return found;
}

/** The continuation lines of `rows` that do not start at their row's column, as problems. */
export function misindentedRows(rows: Array<{ line: string; column: number }>): string[] {
  return rows.flatMap(({ line, column }) => (line.length - line.trimStart().length === column ? [] : [`starts at column ${line.length - line.trimStart().length}, not ${column}: ${line}`]));
}
