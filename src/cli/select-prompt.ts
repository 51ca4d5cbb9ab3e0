// The list to pick from that both menus use (the main menu, the exercises menu): ↑/↓ and Enter,
// q or Esc picks the entry that leaves (Quit, Back), and a keys line under the list.

import { createPrompt, isDownKey, isEnterKey, isUpKey, makeTheme, useKeypress, usePagination, useState } from '@inquirer/core';
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
  /** The terminal's rows (24 when unknown): a longer list pages to fit them. */
  rows?: number;
  /** The entry active at first (default the first). */
  start?: number;
  /** 1 to 9 move to that entry, as the main menu's numbered look invites. */
  numberKeys?: boolean;
}

const HIDE_CURSOR = '\u001b[?25l';
/** q or Esc: the keys that leave a list or a screen. */
export const isLeaveKey = (name: string | undefined) => name === 'q' || name === 'escape';

const prompt = createPrompt<string, SelectConfig<string>>((config, done) => {
  const theme = makeTheme(promptTheme);
  const [active, setActive] = useState(config.start ?? 0);
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
  // The message, the list and the keys line: the rest of the screen is for the list.
  const pageSize = Math.max(5, Math.min(count, (config.rows ?? 24) - 3));
  const page = usePagination({
    items: config.choices,
    active,
    pageSize,
    loop: false,
    renderItem: ({ item, isActive }) => (isActive ? theme.style.highlight(`❯ ${item.name}`) : `  ${item.name}`),
  });
  const message = theme.style.message(config.message, chosen ? 'done' : 'idle');
  if (chosen) return `${ANSWERED_MARK} ${message} ${theme.style.answer(chosen.name)}`;
  const prefix = typeof theme.prefix === 'string' ? theme.prefix : theme.prefix.idle;
  const description = config.choices[active]!.description;
  const keys = theme.style.help(config.keys);
  return [`${prefix} ${message}\n${page}${HIDE_CURSOR}`, description ? `${theme.style.help(description)}\n${keys}` : keys];
});

/** Asks for one entry of `config.choices`; resolves to its value (Ctrl-C rejects, as every prompt does). */
export async function selectPrompt<Value extends string>(config: SelectConfig<Value>, context?: Parameters<typeof prompt>[1]): Promise<Value> {
  const picked = await prompt(config, context);
  // The prompt answers with one of the values it was given: found again here, typed.
  return config.choices.find((entry) => entry.value === picked)!.value;
}
