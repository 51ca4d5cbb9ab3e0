// The list to pick from that both menus use (the main menu, the exercises menu): ↑/↓ and Enter,
// q or Esc picks the entry that leaves (Quit, Back), and a keys line under the list. A list taller
// than the terminal scrolls, and a line under it says how many entries are above and below.

import { createPrompt, isDownKey, isEnterKey, isUpKey, makeTheme, useKeypress, useRef, useState } from '@inquirer/core';
import { wrapParagraph } from '../text/layout.js';
import { ANSWERED_MARK, promptTheme } from './prompt-theme.js';

export interface SelectEntry<Value extends string> {
  name: string;
  value: Value;
  /** Shown under the list while this entry is the active one. */
  description?: string;
}

export interface SelectConfig<Value extends string> {
  message: string;
  choices: readonly SelectEntry<Value>[];
  /** The value q or Esc picks. */
  leave: Value;
  /** The keys line under the list. */
  keys: string;
  /** The terminal's rows (24 when unknown): a longer list scrolls to fit them. */
  rows?: number;
  /** The terminal's columns (the output's own, else 80): a longer entry wraps. */
  columns?: number;
  /** The entry active at first (default the first). */
  start?: number;
  /** 1 to 9 move to that entry, as the main menu's numbered look invites. */
  numberKeys?: boolean;
}

const HIDE_CURSOR = '\u001b[?25l';
/** q or Esc: the keys that leave a list or a screen. */
export const isLeaveKey = (name: string | undefined) => name === 'q' || name === 'escape';

/** The entries a list shows from `top` (inclusive) to `end` (exclusive). */
export interface ListWindow {
  top: number;
  end: number;
}

/**
 * Which entries fit in `room` lines, entry i taking heights[i] lines, with `active` among them:
 * all when they fit; otherwise one line less (for the line saying what is hidden), moved from the
 * last `top` only as far as it takes to show `active`, and filled from above at the bottom.
 */
export function listWindow(heights: readonly number[], active: number, room: number, top = 0): ListWindow {
  const lines = (from: number, to: number) => heights.slice(from, to).reduce((sum, height) => sum + height, 0);
  if (lines(0, heights.length) <= room) return { top: 0, end: heights.length };
  const listRoom = room - 1;
  let start = Math.min(Math.max(0, top), active);
  while (start < active && lines(start, active + 1) > listRoom) start++;
  let end = start;
  while (end < heights.length && lines(start, end + 1) <= listRoom) end++;
  // At the bottom of the list, entries above fill any room left.
  while (end === heights.length && start > 0 && lines(start - 1, end) <= listRoom) start--;
  // An active entry taller than the room is still shown (its end runs off the screen).
  return { top: start, end: Math.max(end, active + 1) };
}

/** The line under a list that scrolls: what is hidden above and below, and where the active entry is. */
export function hiddenEntriesLine(window: ListWindow, active: number, count: number): string {
  const above = window.top > 0 ? [`↑ ${window.top} more`] : [];
  const below = window.end < count ? [`↓ ${count - window.end} more`] : [];
  return `  ${[...above, ...below, `(${active + 1} of ${count})`].join('  ')}`;
}

const prompt = createPrompt<string, SelectConfig<string>>((config, done) => {
  const theme = makeTheme(promptTheme);
  const [active, setActive] = useState(config.start ?? 0);
  const lastTop = useRef(0);
  const [chosen, setChosen] = useState<SelectEntry<string> | undefined>(undefined);
  const count = config.choices.length;
  const choose = (entry: SelectEntry<string>) => {
    setChosen(entry);
    done(entry.value);
  };
  useKeypress((key) => {
    if (key.ctrl || chosen) return;
    if (isEnterKey(key)) return choose(config.choices[active]!);
    if (isLeaveKey(key.name)) return choose(config.choices.find((entry) => entry.value === config.leave)!);
    if (isUpKey(key)) return setActive((active - 1 + count) % count);
    if (isDownKey(key)) return setActive((active + 1) % count);
    if (config.numberKeys && /^[1-9]$/.test(key.name ?? '') && Number(key.name) <= count) setActive(Number(key.name) - 1);
  });
  const message = theme.style.message(config.message, chosen ? 'done' : 'idle');
  if (chosen) return `${ANSWERED_MARK} ${message} ${theme.style.answer(chosen.name)}`;
  const width = config.columns ?? 80;
  // An entry too wide wraps, its later lines indented; its leading spaces (where a ✓ may go) are kept.
  const entryLines = (entry: SelectEntry<string>, pointer: string) => {
    const [, indent, text] = /^(\s*)(.*)$/s.exec(entry.name)!;
    return wrapParagraph(text!, width, { lead: `${pointer}${indent}`, hang: ' '.repeat(pointer.length + 2) });
  };
  const descriptionLines = (entry: SelectEntry<string>) => (entry.description ? wrapParagraph(entry.description, width) : []);
  // The message, the keys line, the longest description and the line the cursor rests on: the rest is for the list.
  const room = Math.max(5, (config.rows ?? 24) - 3 - Math.max(0, ...config.choices.map((entry) => descriptionLines(entry).length)));
  const window = listWindow(config.choices.map((entry) => entryLines(entry, '  ').length), active, room, lastTop.current);
  lastTop.current = window.top;
  const shown = config.choices.slice(window.top, window.end).map((entry, index) => {
    const isActive = window.top + index === active;
    return entryLines(entry, isActive ? '❯ ' : '  ').map((line) => (isActive ? theme.style.highlight(line) : line)).join('\n');
  });
  if (window.top > 0 || window.end < count) shown.push(theme.style.help(hiddenEntriesLine(window, active, count)));
  const prefix = typeof theme.prefix === 'string' ? theme.prefix : theme.prefix.idle;
  const description = descriptionLines(config.choices[active]!).map((line) => theme.style.help(line)).join('\n');
  const keys = theme.style.help(config.keys);
  return [`${prefix} ${message}\n${shown.join('\n')}${HIDE_CURSOR}`, description ? `${description}\n${keys}` : keys];
});

/** Asks for one entry of `config.choices`; resolves to its value (Ctrl-C rejects, as every prompt does). */
export async function selectPrompt<Value extends string>(config: SelectConfig<Value>, context?: Parameters<typeof prompt>[1]): Promise<Value> {
  const columns = config.columns ?? ((context?.output ?? process.stdout) as { columns?: number }).columns;
  const picked = await prompt({ ...config, ...(columns ? { columns } : {}) }, context);
  // The prompt answers with one of the values it was given: found again here, typed.
  return config.choices.find((entry) => entry.value === picked)!.value;
}
