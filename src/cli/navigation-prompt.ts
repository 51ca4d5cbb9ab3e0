// The lesson prompts, built on @inquirer/core so they behave like the other prompts (Ctrl-C, no
// terminal echo) and can be tested the same way. The same keys work on every screen: Enter goes
// on, b goes back (not on a lesson's first screen), q or Esc quits with the progress kept. Each
// footer offers exactly the keys that work there.

import { createPrompt, isDownKey, isEnterKey, isUpKey, makeTheme, useKeypress, useState, type KeypressEvent } from '@inquirer/core';
import { ANSWERED_MARK, promptTheme } from './prompt-theme.js';
import { displayWidth, layoutLine } from '../text/layout.js';

export type NavigationChoice = 'next' | 'back' | 'quit';

/** What a question screen returns: an answer (a choice's index, or the typed text), or a move. */
export type QuestionResult = { answer: number | string } | { move: 'back' | 'quit' };

const HIDE_CURSOR = '\u001b[?25l';
const IDLE_MARK = (() => {
  const { prefix } = makeTheme(promptTheme);
  return typeof prefix === 'string' ? prefix : prefix.idle;
})();
const QUIT_KEYS = '[q/Esc] quit (progress is kept)';

/**
 * A footer of key groups ("[Enter] continue", "[b] back", …) to the width: a group is never
 * broken, and groups that do not fit go on the next line. No width: one line.
 */
export function layoutKeys(groups: readonly string[], width = Infinity): string {
  const lines: string[] = [];
  for (const group of groups) {
    const last = lines.length - 1;
    if (last >= 0 && displayWidth(`${lines[last]}  ${group}`) <= width) lines[last] += `  ${group}`;
    else lines.push(group);
  }
  return lines.join('\n');
}

/** A prompt's footer hint, to the width. */
const hintLines = (hint: string, width: number | undefined) => layoutLine(hint, width ?? Infinity).join('\n');

/** Ctrl-C and other Ctrl keys are inquirer's (Ctrl-C exits 130): no hint is drawn for them. */
const isControl = (key: KeypressEvent) => key.ctrl === true;
const isQuitKey = (key: KeypressEvent) => key.name === 'q' || key.name === 'escape';

/** The keys on a text screen, for the hint after a key that does nothing. */
function pressHint(canGoBack: boolean): string {
  return canGoBack ? 'Press Enter, b or q.' : 'Press Enter or q.';
}

/**
 * `width`: the columns the screen is laid out for (the footer's key groups wrap whole); `keys`:
 * the footer's key groups, where what Enter and q do is not the tutorial's continue and quit.
 */
export const navigationPrompt = createPrompt<NavigationChoice, { canGoBack: boolean; message?: string; firstScreen?: boolean; width?: number; keys?: readonly string[] }>((config, done) => {
  const [hint, setHint] = useState('');
  useKeypress((key) => {
    if (isControl(key)) return;
    if (isEnterKey(key)) return done('next');
    if (isQuitKey(key)) return done('quit');
    if (key.name === 'b' && config.canGoBack) return done('back');
    const noBack = key.name === 'b' && (config.firstScreen ?? true) ? 'This is the first screen. ' : key.name === 'b' ? 'There is no going back here. ' : '';
    setHint(`${noBack}${pressHint(config.canGoBack)}`);
  });
  const keys = layoutKeys(config.keys ?? [`${config.message ?? ''}[Enter] continue`, ...(config.canGoBack ? ['[b] back'] : []), QUIT_KEYS], config.width);
  return hint ? `${keys}\n${hintLines(hint, config.width)}` : keys;
});

/** A choice question: ↑/↓ (or a number) picks, Enter answers; b, q and Esc as on text screens. */
export const choicePrompt = createPrompt<QuestionResult, { message: string; choices: readonly string[]; canGoBack: boolean; width?: number }>((config, done) => {
  const theme = makeTheme(promptTheme);
  const [active, setActive] = useState(0);
  const [status, setStatus] = useState<'idle' | 'answered' | 'left'>('idle');
  const [hint, setHint] = useState('');
  const count = config.choices.length;
  useKeypress((key) => {
    if (isControl(key) || status !== 'idle') return;
    setHint('');
    if (isEnterKey(key)) {
      setStatus('answered');
      return done({ answer: active });
    }
    if (isQuitKey(key)) {
      setStatus('left');
      return done({ move: 'quit' });
    }
    if (key.name === 'b') {
      if (config.canGoBack) {
        setStatus('left');
        return done({ move: 'back' });
      }
      return setHint('This is the first screen.');
    }
    if (isUpKey(key)) return setActive((active - 1 + count) % count);
    if (isDownKey(key)) return setActive((active + 1) % count);
    const number = Number(key.name);
    if (/^[1-9]$/.test(key.name ?? '') && number <= count) return setActive(number - 1);
    setHint(`Pick with ↑ ↓ (or 1–${count}), then Enter.`);
  });
  const message = theme.style.message(config.message, 'idle');
  if (status === 'answered') return `${ANSWERED_MARK} ${message} ${theme.style.answer(config.choices[active]!)}`;
  if (status === 'left') return `${IDLE_MARK} ${message}`;
  // Numbered, not lettered as in --plain: the letter b is the back key here.
  // Each choice wraps under its text, after "(1) "; the one picked is marked ❯ and highlighted on every line.
  const lines = config.choices.flatMap((choice, index) => layoutLine(`  (${index + 1}) ${choice}`, config.width ?? Infinity).map((line, lineIndex) => {
    if (index !== active) return line;
    return theme.style.highlight(lineIndex === 0 ? `❯${line.slice(1)}` : line);
  }));
  const footer = layoutKeys([`[↑↓ or 1–${count}] choose`, '[Enter] answer', ...(config.canGoBack ? ['[b] back'] : []), QUIT_KEYS], config.width);
  return [`${IDLE_MARK} ${message}\n${lines.join('\n')}${HIDE_CURSOR}`, hint ? `${footer}\n${hintLines(hint, config.width)}` : footer];
});

/**
 * A value question: type the value, Enter answers. q or b typed alone (and Enter) quits or goes
 * back, as the footer says; Esc quits at any time. Anything else is an answer to grade.
 */
export const valuePrompt = createPrompt<QuestionResult, { message: string; canGoBack: boolean; width?: number }>((config, done) => {
  const theme = makeTheme(promptTheme);
  const [value, setValue] = useState('');
  const [status, setStatus] = useState<'idle' | 'answered' | 'left'>('idle');
  const [error, setError] = useState('');
  useKeypress((key, rl) => {
    if (isControl(key) || status !== 'idle') return;
    if (key.name === 'escape') {
      setStatus('left');
      return done({ move: 'quit' });
    }
    if (isEnterKey(key)) {
      const typed = value.trim();
      if (typed === 'q') {
        setStatus('left');
        return done({ move: 'quit' });
      }
      if (typed === 'b' && config.canGoBack) {
        setStatus('left');
        return done({ move: 'back' });
      }
      if (typed === '') {
        // Readline cleared its line on Enter; nothing was typed, so nothing is lost.
        return setError('Type the value, then Enter.');
      }
      if (typed === 'b') {
        rl.write(value);
        return setError('This is the first screen: there is no going back.');
      }
      setStatus('answered');
      return done({ answer: value });
    }
    setValue(rl.line);
    setError('');
  });
  const message = theme.style.message(config.message, 'idle');
  if (status === 'answered') return `${ANSWERED_MARK} ${message} ${theme.style.answer(value)}`;
  if (status === 'left') return `${IDLE_MARK} ${message}`;
  const footer = layoutKeys(['[Enter] answer', ...(config.canGoBack ? ['[b] alone: back'] : []), '[q] alone or [Esc]: quit (progress is kept)'], config.width);
  return [`${IDLE_MARK} ${message} ${value}`, error ? `${footer}\n${theme.style.error(hintLines(error, config.width))}` : footer];
});
