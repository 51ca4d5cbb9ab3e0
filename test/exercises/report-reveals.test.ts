// `hint --reveal` leaves a record a teacher sees: progress keeps {revealed: {<id>: when}} (first
// look kept), old files without it stay valid, and a bad one makes the file unreadable like any
// other wrong field.

import { describe, expect, test } from 'vitest';
import { recordReveal, validateProgress } from '../../src/lessons/progress.js';

describe('the reveal record in progress', () => {
  test('recordReveal keeps the first time the answer was shown; a second look changes nothing', () => {
    const progress = validateProgress({ version: 1, seed: 'abc' });
    expect(progress.exercises.revealed).toBeUndefined();
    recordReveal(progress, 'flaw-one', '2030-03-17T17:46:40.000Z');
    recordReveal(progress, 'flaw-one', '2030-03-17T18:00:00.000Z');
    recordReveal(progress, 'constructor', '2030-03-17T18:01:00.000Z');
    expect({ ...progress.exercises.revealed }).toEqual({ 'flaw-one': '2030-03-17T17:46:40.000Z', constructor: '2030-03-17T18:01:00.000Z' });
    expect(() => recordReveal(progress, 'flaw-one', 'yesterday')).toThrow(TypeError);
  });

  test('a file from before reveals were kept is valid; one whose reveal is not a time is not', () => {
    const old = { version: 1, seed: 'abc', tutorial: { completed: [] }, exercises: { passed: {}, hintsShown: { 'flaw-one': 1 }, attempts: { 'flaw-one': 3 } } };
    expect(validateProgress(old).exercises.hintsShown['flaw-one']).toBe(1);
    expect({ ...validateProgress({ ...old, exercises: { ...old.exercises, revealed: { 'flaw-one': '2030-03-17T17:46:40.000Z' } } }).exercises.revealed }).toEqual({ 'flaw-one': '2030-03-17T17:46:40.000Z' });
    expect(() => validateProgress({ ...old, exercises: { ...old.exercises, revealed: { 'flaw-one': true } } })).toThrow('exercises.revealed["flaw-one"] is not a date and time (such as 2026-01-31T09:30:00.000Z)');
    expect(() => validateProgress({ ...old, exercises: { ...old.exercises, revealed: [] } })).toThrow('exercises.revealed is not an object');
  });
});
