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
  /** How far a list item's later lines start at least (default: under its text, the marker's width). */
  hang?: (marker: string) => number;
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
    ...(check.item ? listItemProblems(narrow, wide, width, { ...check, item: check.item }) : []),
  ];
}

/**
 * Each list item of `wide` too wide for `width` is found in `narrow` as it starts, goes on to its
 * last word, and its later lines start at least under its text. A word broken with "\" goes on at
 * column 0 (so a pasted token joins whole): its lines count as one, the first of them checked.
 */
export function listItemProblems(narrow: string, wide: string, width: number, check: LayoutCheck & { item: RegExp }): string[] {
  const mask = check.mask ?? ((same: string) => same);
  const problems: string[] = [];
  const groups: string[][] = [];
  for (const line of narrow.replace(ANSI, '').split('\n')) {
    if (groups.at(-1)?.at(-1)?.endsWith('\\')) groups.at(-1)!.push(line);
    else groups.push([line]);
  }
  const maskedGroups = groups.map((group) => mask(joinBrokenLines(group.join('\n'))));
  for (const wideLine of wide.replace(ANSI, '').split('\n')) {
    const marker = check.item.exec(wideLine);
    if (!marker || displayWidth(wideLine) <= width) continue;
    const whole = squeeze(mask(wideLine));
    const hang = check.hang?.(marker[1]!) ?? displayWidth(marker[1]!);
    /** The item read from group `start` on: how much of its text was found, and what is wrong with its lines. */
    const walk = (start: number) => {
      const found: string[] = [];
      const brokenUnderIndent = (group: string[]) => {
        // A command's " \" breaks between arguments and goes on indented; a word's "\" (no space before it) at column 0.
        group.slice(1).forEach((piece, index) => {
          if (/[^ ]\\$/.test(group[index]!) && /^\s/.test(piece)) found.push(`a broken word goes on under an indent, which a shell would keep:\n${group[index]}\n${piece}`);
        });
      };
      brokenUnderIndent(groups[start]!);
      let said = squeeze(maskedGroups[start]!);
      let next = start + 1;
      // Its later lines: those that go on with its text.
      for (; next < groups.length && said.length < whole.length; next++) {
        const more = squeeze(`${said} ${maskedGroups[next]!}`);
        if (more === said || !whole.startsWith(more)) break;
        if (!groups[next]![0]!.startsWith(' '.repeat(hang))) found.push(`a list item's later line is not under its text:\n${groups[start]![0]}\n${groups[next]![0]}`);
        brokenUnderIndent(groups[next]!);
        said = more;
      }
      // Cut off by a blank line (a value shortened with "…" may end it early, but not at a blank).
      if (said.length < whole.length && next === start + 1 && !groups[next]?.join('').trim()) found.push(`a list item stops after its first line:\n${groups[start]![0]}`);
      return { said, found };
    };
    // Where it starts: a line that begins it (a shorter item can begin the same way: the one that goes on furthest).
    const walks = maskedGroups.flatMap((line, index) => (line.trim() && whole.startsWith(squeeze(line)) && line.startsWith(mask(marker[1]!)) ? [walk(index)] : []));
    if (walks.length === 0) {
      problems.push(`a list item is not found as it starts: ${wideLine.slice(0, 60)}`);
      continue;
    }
    problems.push(...walks.reduce((best, each) => (each.said.length > best.said.length ? each : best)).found);
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
