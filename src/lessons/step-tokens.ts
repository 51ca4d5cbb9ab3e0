// Which tokens a lesson's screens make and use. Tokens live in memory while the tutorial runs, so
// a learner who resumes on a later screen has none of them: this says which earlier hands-on steps
// to run again so that the screens from there on have what they read.

import { demoSpec } from './demo-names.js';
import { isCommandScreen, NAMES_PROVIDED, type Lesson, type Screen } from './schema.js';
import { lessonCommandReferences } from './solution-commands.js';

/** "$ACCESS_TOKEN" → the token saved as "accessToken"; "$TOKEN" → "token". */
export const savedNameOf = (variable: string) => variable.toLowerCase().replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

/** The other way: "foodToken" → "FOOD_TOKEN". */
export const variableOf = (savedName: string) => savedName.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();

/**
 * A lesson command as the learner sees it: each {{name}} word shown as the shell variable "$NAME"
 * (set by the assignment lines shown above it), so pasting the line runs the same words.
 */
export const shownCommand = (command: string) => command.replace(/\{\{([a-z][A-Za-z0-9]*)\}\}/g, (_match, name: string) => `"$${variableOf(name)}"`);

/** The saved tokens a screen makes (by saved name). */
export function tokensMadeBy(screen: Screen): string[] {
  if (screen.type !== 'run') return [];
  if (!isCommandScreen(screen)) return demoSpec(screen.demo).makes(screen.args ?? {});
  // "sign-in" keeps the sign-in's tokens; "mock-google" uses its own for this step only.
  return [...(screen.save ? [screen.save] : []), ...(screen.with === 'sign-in' ? NAMES_PROVIDED['sign-in'] : [])];
}

/** The saved tokens a screen reads, which an earlier screen must have made. */
export function tokensReadBy(screen: Screen): string[] {
  if (screen.type === 'question') {
    const match = screen.kind === 'value' ? /^token:([A-Za-z]+)\./.exec(screen.answerFrom) : null;
    return match ? [match[1]!] : [];
  }
  if (screen.type !== 'run') return [];
  if (!isCommandScreen(screen)) return demoSpec(screen.demo).reads(screen.args ?? {});
  const provided = screen.with ? NAMES_PROVIDED[screen.with] : [];
  return lessonCommandReferences(screen.command).filter((name) => !provided.includes(name));
}

/**
 * The earlier hands-on screens (indexes, in order) to run again when a lesson starts at `start`
 * with no tokens: for each token a screen from `start` on reads before a screen from there makes
 * it, the last screen before `start` that makes it, and what that screen reads in turn; for a
 * value question at `start`, also the last step that showed its token.
 */
export function screensToRerun(lesson: Lesson, start: number): number[] {
  const wanted = new Set<string>();
  const madeSinceStart = new Set<string>();
  for (const screen of lesson.screens.slice(start)) {
    for (const name of tokensReadBy(screen)) if (!madeSinceStart.has(name)) wanted.add(name);
    for (const name of tokensMadeBy(screen)) madeSinceStart.add(name);
  }
  const chosen = new Set<number>();
  const find = (name: string, before: number) => {
    for (let index = before - 1; index >= 0; index--) {
      const screen = lesson.screens[index]!;
      if (!tokensMadeBy(screen).includes(name)) continue;
      if (!chosen.has(index)) {
        chosen.add(index);
        for (const needed of tokensReadBy(screen)) find(needed, index);
      }
      return;
    }
  };
  for (const name of wanted) find(name, start);
  // A value question is answered off the step that showed its token (a decode): shown again too.
  const resumed = lesson.screens[start];
  if (resumed?.type === 'question') {
    const names = tokensReadBy(resumed);
    for (let index = start - 1; names.length && index >= 0; index--) {
      const screen = lesson.screens[index]!;
      if (screen.type !== 'run' || ![...tokensReadBy(screen), ...tokensMadeBy(screen)].some((name) => names.includes(name))) continue;
      chosen.add(index);
      break;
    }
  }
  return [...chosen].sort((left, right) => left - right);
}

/** The screen before `index` that makes the token `screen` reads, for a message that names it. */
export function screenMaking(lesson: Lesson, index: number): number | undefined {
  const names = tokensReadBy(lesson.screens[index]!);
  for (let earlier = index - 1; earlier >= 0; earlier--) {
    if (tokensMadeBy(lesson.screens[earlier]!).some((name) => names.includes(name))) return earlier;
  }
  return undefined;
}
