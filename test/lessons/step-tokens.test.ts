// Which earlier hands-on steps a resume runs again: for the lessons as written, the steps that
// make the tokens the screens from there on read, and for a value question the step that showed
// its token; none where nothing is read.

import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadLessons } from '../../src/lessons/loader.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { screenMaking, screensToRerun, tokensMadeBy, tokensReadBy } from '../../src/lessons/step-tokens.js';

const lessons = loadLessons(join(lessonsFolder(), 'tutorial'));
const lesson = (number: number) => lessons.find((candidate) => candidate.number === number)!;
/** Screen numbers as the learner sees them (1-based). */
const shown = (indexes: number[]) => indexes.map((index) => index + 1);

describe('screensToRerun', () => {
  test('lesson 3: the value question on screen 4 re-runs the mint (screen 2) and the decode it is read off (screen 3)', () => {
    expect(shown(screensToRerun(lesson(3), 3))).toEqual([2, 3]);
  });

  test('lesson 3: verifying $TAMPERED (screen 6) re-runs the tamper (screen 5) and the mint it changes (screen 2)', () => {
    expect(shown(screensToRerun(lesson(3), 5))).toEqual([2, 5]);
  });

  test('lesson 3 from its tamper step (screen 5): only the mint, whose $TOKEN it changes', () => {
    expect(shown(screensToRerun(lesson(3), 4))).toEqual([2]);
  });

  test('lesson 8: a question on the access token re-runs the decode that signs in and shows it (screen 2)', () => {
    for (const start of [2, 3, 4, 5]) expect(shown(screensToRerun(lesson(8), start))).toEqual([2]);
  });

  test('no token read from there on: nothing re-runs (lesson 5\'s questions, lesson 8\'s step that signs in by itself)', () => {
    expect(screensToRerun(lesson(5), 2)).toEqual([]);
    expect(screensToRerun(lesson(8), 6)).toEqual([]);
    expect(screensToRerun(lesson(1), 3)).toEqual([]);
  });

  test('the new format: a command step makes what it saves (and a sign-in\'s tokens with "with": "sign-in"), a demo what demo-names.ts says; a Mock Google step reads none of the names it is given', () => {
    expect(tokensMadeBy(lesson(10).screens[1]!)).toEqual(['foodToken']);
    expect(tokensReadBy(lesson(10).screens[2]!)).toEqual(['foodToken']);
    expect(tokensMadeBy(lesson(3).screens[4]!)).toEqual(['tampered']);
    expect(tokensReadBy(lesson(3).screens[4]!)).toEqual(['token']);
    expect(tokensMadeBy(lesson(8).screens[1]!)).toEqual(['accessToken', 'idToken']);
    expect(tokensMadeBy(lesson(5).screens[1]!)).toEqual(['accessToken', 'idToken']);
    expect(tokensReadBy(lesson(9).screens[1]!)).toEqual([]);
    expect(screensToRerun(lesson(9), 1)).toEqual([]);
  });

  test('what steps make and read, and which screen makes a question\'s token', () => {
    expect(tokensMadeBy(lesson(3).screens[1]!)).toEqual(['token']);
    expect(tokensReadBy(lesson(3).screens[5]!)).toEqual(['tampered']);
    expect(tokensReadBy(lesson(8).screens[2]!)).toEqual(['accessToken']);
    expect(screenMaking(lesson(3), 3)).toBe(1);
  });
});
