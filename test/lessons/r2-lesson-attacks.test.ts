// An attacker's lesson files (#14, round 2): a save that is not a token or shadows a name the engine
// makes, {{constructor}}, a claim named "__proto__", a multi-line saved value, unknown fields, a
// translation that changes more than the words. The validator refuses each, naming the file and the
// screen; and the engine, fed such a value anyway, fails that one step with a clear line.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import '../../src/cli/main.js';
import { runLessonStep, type StepView } from '../../src/cli/lesson-step-view.js';
import { createOutput, NO_COLOURS } from '../../src/cli/output.js';
import { runCommandStep, runDemoStep, valueFromReference } from '../../src/lessons/lesson-steps.js';
import { loadLessons } from '../../src/lessons/loader.js';
import { validateLesson, type CommandScreen, type DemoScreen } from '../../src/lessons/schema.js';

const FILE = 'lessons/tutorial/11-r2.json';
const SECRET = 'awXVDNBCj23Lg9BeZ8VYeDpgWgbLqykaAgbOV5h2xBo=';
const MINT = `jwt-vs-oauth mint --secret ${SECRET} --sub asha`;
/** A real HS256 token (sub asha), as mint prints it. */
const TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhc2hhIiwiaWF0IjoxNzk1OTQ4OTA3LCJleHAiOjE3OTU5NDk4MDd9.xcDvuHsWG8aRlmDL5cGskvYQp29VHBXBMKOfOoNhtcI';
/** What `decode` prints: many lines, not a token. */
const DECODED = 'A signed JWT (compact JWS: header.payload.signature)\n\n  header     eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\n  Payload  the claims';

const mintStep = (save = 'token') => ({ type: 'run', body: ['mint'], command: MINT, save });
const lessonOf = (...screens: unknown[]) => ({ id: 'r2-repro', number: 11, title: 'R2', summary: 's', screens });
/** The validator's refusal of `json`, as the tutorial prints it (file, screen, field, why). */
const refusal = (json: unknown): string => {
  try {
    validateLesson(json, FILE);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('the validator refuses each attack, naming the file and the screen', () => {
  test('A: a tamper of a decode\'s output: the decode may not save, and tamper may read only a saved token', () => {
    expect(refusal(lessonOf(mintStep(), { type: 'run', body: ['d'], command: 'jwt-vs-oauth decode {{token}}', save: 'dec' })))
      .toBe(`${FILE}: screens[1].save: a step saves a token, one line: only a mint (or sign) command without --json prints one (decode and verify print many lines)`);
    expect(refusal(lessonOf(mintStep(), { type: 'run', body: ['t'], demo: 'tamper', args: { token: 'dec', claim: 'sub', value: 'x', save: 't2' } })))
      .toBe(`${FILE}: screens[1].args.token: reads "dec", which no earlier screen of this lesson saves (saved so far: token)`);
    expect(refusal(lessonOf({ ...mintStep(), command: `${MINT} --json` }))).toContain(`${FILE}: screens[0].save: a step saves a token, one line`);
  });

  test('B: a save over a name the engine makes (idToken, accessToken, issuer, api), and an answerFrom no earlier screen makes', () => {
    for (const name of ['idToken', 'accessToken', 'issuer', 'api']) {
      expect(refusal(lessonOf(mintStep(name)))).toBe(`${FILE}: screens[0].save: "${name}" is a name jwt-vs-oauth makes itself (accessToken, api, idToken, issuer); a step may not save over it: choose another, such as "myToken"`);
    }
    expect(refusal(lessonOf(mintStep(), { type: 'run', body: ['t'], demo: 'tamper', args: { token: 'token', claim: 'sub', value: 'x', save: 'idToken' } })))
      .toContain(`${FILE}: screens[1].args.save: "idToken" is a name jwt-vs-oauth makes itself`);
    expect(refusal(lessonOf(mintStep(), { type: 'question', kind: 'value', prompt: 'p', answerFrom: 'token:dec.payload.sub', explanation: 'e' })))
      .toBe(`${FILE}: screens[1].answerFrom: reads "dec", which no earlier screen of this lesson saves (saved so far: token)`);
  });

  test('B: a "sign-in" step makes accessToken and idToken for the questions after it', () => {
    const signIn = { type: 'run', body: ['s'], command: 'jwt-vs-oauth decode {{accessToken}}', with: 'sign-in' };
    expect(refusal(lessonOf(signIn, { type: 'question', kind: 'value', prompt: 'p', answerFrom: 'token:accessToken.payload.iss', explanation: 'e' }))).toBe('accepted');
  });

  test('5: Object.prototype names are refused as save names ("constructor", "toString", "hasOwnProperty")', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(refusal(lessonOf(mintStep(name)))).toBe(`${FILE}: screens[0].save: "${name}" is a name every JavaScript object has; choose another, such as "token" or "foodToken"`);
    }
  });

  test('6: answerFrom names an own claim, and allows digits in the saved name as save does', () => {
    expect(refusal(lessonOf(mintStep(), { type: 'question', kind: 'value', prompt: 'p', answerFrom: 'token:token.payload.constructor', explanation: 'e' })))
      .toBe(`${FILE}: screens[1].answerFrom: "constructor" is a name every JavaScript object has, not a claim a lesson may name`);
    expect(refusal(lessonOf(mintStep('token2'), { type: 'question', kind: 'value', prompt: 'p', answerFrom: 'token:token2.payload.sub', explanation: 'e' }))).toBe('accepted');
  });

  test('10: tamper\'s claim is a plain claim name, not "__proto__" or "constructor"', () => {
    const tamper = (claim: string) => lessonOf(mintStep(), { type: 'run', body: ['t'], demo: 'tamper', args: { token: 'token', claim, value: 'admin', save: 't1' } });
    expect(refusal(tamper('__proto__'))).toBe(`${FILE}: screens[1].args.claim: must be a plain claim name such as "sub" or "role" (a letter, then letters, digits and _)`);
    expect(refusal(tamper('constructor'))).toBe(`${FILE}: screens[1].args.claim: "constructor" is a name every JavaScript object has, not a claim a lesson may name`);
    expect(refusal(tamper('role_2'))).toBe('accepted');
  });

  test('11: unknown fields at the top, on a text screen and on a question; "after" on a text screen; a number past 99', () => {
    expect(refusal({ ...lessonOf(mintStep()), notes: 'x' })).toBe(`${FILE}: "notes": is not a field of a lesson (it has $schema, id, number, title, summary, screens)`);
    expect(refusal(lessonOf({ type: 'text', body: ['b'], note: 'x' }))).toContain(`${FILE}: screens[0].note: is not a field of a text screen`);
    expect(refusal(lessonOf({ type: 'text', body: ['b'], after: ['a'] }))).toBe(`${FILE}: screens[0].after: is not a field of a text screen (it has type, title, body; "after" belongs to a run screen)`);
    expect(refusal(lessonOf({ type: 'question', kind: 'choice', prompt: 'p', choices: ['a', 'b'], answer: 0, explanation: 'e', hint: 'h' }))).toBe(`${FILE}: screens[0].hint: is not a field of a choice question (it has type, kind, prompt, choices, answer, explanation)`);
    expect(refusal({ ...lessonOf(mintStep()), number: 1e300 })).toBe(`${FILE}: "number": must be a whole number from 1 to 99`);
  });
});

describe('11: a translation keeps all but the words of the lesson it translates', () => {
  const english = lessonOf(mintStep(), { type: 'run', body: ['Decode it.'], command: 'jwt-vs-oauth decode {{token}}' }, { type: 'question', kind: 'choice', prompt: 'Who?', choices: ['a', 'b'], answer: 1, explanation: 'e' });
  const folderWith = (translation: unknown) => {
    const folder = mkdtempSync(join(tmpdir(), 'lesson-translation-'));
    writeFileSync(join(folder, '11-r2.json'), JSON.stringify(english));
    writeFileSync(join(folder, '11-r2.hi.json'), JSON.stringify(translation));
    return folder;
  };
  const translated = (change: (lesson: any) => void) => {
    const copy = structuredClone(english) as any;
    copy.title = 'आर2';
    copy.screens[1].body = ['इसे डिकोड करें।'];
    change(copy);
    return copy;
  };

  test('the words translated: it loads in Hindi', () => {
    const [lesson] = loadLessons(folderWith(translated(() => undefined)), 'hi');
    expect(lesson!.title).toBe('आर2');
  });

  test.each([
    ['a command', (lesson: any) => (lesson.screens[1].command = 'jwt-vs-oauth decode --json {{token}}'), 'screens[1].command'],
    ['a choice answer', (lesson: any) => (lesson.screens[2].answer = 0), 'screens[2].answer'],
    ['a screen fewer', (lesson: any) => lesson.screens.pop(), 'the number of "screens"'],
    ['the number', (lesson: any) => (lesson.number = 12), '"number"'],
  ])('%s changed: refused, naming the translation and the field', (_what, change, field) => {
    const folder = folderWith(translated(change));
    expect(() => loadLessons(folder, 'hi')).toThrow(`${join(folder, '11-r2.hi.json')}: ${field}: differs from ${join(folder, '11-r2.json')}, which it translates; a translation changes only the words`);
  });
});

/** A hands-on context as --plain has it, with `saved` already holding what earlier steps kept. */
function view(saved: Record<string, string>): StepView {
  const stream = () => new PassThrough();
  return { output: createOutput({ stdout: stream(), stderr: stream(), stdin: stream(), env: {} }, NO_COLOURS), now: () => 1795948907, width: 100, saved: new Map(Object.entries(saved)), pause: async () => undefined, interactive: false };
}
const demo = (name: DemoScreen['demo'], args?: Record<string, string>): DemoScreen => ({ type: 'run', body: ['b'], demo: name, ...(args ? { args } : {}) });

describe('the engine, fed a saved value that is not a token, fails that one step clearly', () => {
  test('A: tamper of a decode\'s output, or of mint --json\'s: the step says it is not a token (no crash)', async () => {
    for (const saved of [DECODED, '{"token":"eyJ…","header":{"alg":"HS256"}}']) {
      const { text, commandFailed } = await runLessonStep(demo('tamper', { token: 'dec', claim: 'sub', value: 'x', save: 't2' }), view({ dec: saved }));
      expect(text).toBe('✗ This step needs a token in $DEC, and what an earlier step saved there is not a token: it is not three base64url parts joined by dots (header.payload.signature). The step did not run.\n  The lesson goes on without it.');
      expect(commandFailed).toBe(true);
    }
  });

  test('B: compare-tokens with a decode\'s output saved as idToken: the step says so (no exit 2)', async () => {
    const { text } = await runLessonStep(demo('compare-tokens'), view({ idToken: DECODED, accessToken: TOKEN }));
    expect(text).toContain('✗ This step needs a token in $ID_TOKEN, and what an earlier step saved there is not a token');
  });

  test('B, 6: a value question reading a saved value that is not a token, or an inherited claim, has no answer (no exit 2)', () => {
    const context = { saved: new Map([['dec', DECODED], ['token', TOKEN]]), now: () => 1795948907 };
    expect(valueFromReference('token:dec.payload.sub', context)).toBeUndefined();
    expect(valueFromReference('token:token.payload.constructor', context)).toBeUndefined();
    expect(valueFromReference('token:token.payload.toString', context)).toBeUndefined();
    expect(valueFromReference('token:token.payload.sub', context)).toBe('asha');
  });

  test('5: {{constructor}} is never filled from Object.prototype: the step waits for a step that saves it', async () => {
    const screen: CommandScreen = { type: 'run', body: ['b'], command: 'jwt-vs-oauth decode {{constructor}}' };
    const ran: string[][] = [];
    const outcome = await runCommandStep(screen, { now: () => 0, saved: new Map(), runCommand: async (words) => (ran.push(words), { code: 0, stdout: '', stderr: '' }) });
    expect(outcome).toEqual({ kind: 'not-ready', name: 'constructor' });
    expect(ran).toEqual([]);
  });

  test('9: a multi-line output is not saved (the step says so); a colour token is saved without its colour codes', async () => {
    const screen: CommandScreen = { type: 'run', body: ['b'], command: 'jwt-vs-oauth decode {{token}}', save: 'dec' };
    const decoding = view({ token: TOKEN });
    const outcome = await runCommandStep(screen, { now: () => 0, saved: decoding.saved, runCommand: async () => ({ code: 0, stdout: `${DECODED}\n`, stderr: '' }) });
    expect(outcome.kind === 'ran' && outcome.unsaved).toBe('its output is not one line (a step keeps one line, such as the token mint prints)');
    expect(decoding.saved.has('dec')).toBe(false);

    const minting: CommandScreen = { type: 'run', body: ['b'], command: MINT, save: 'token' };
    const saved = new Map<string, string>();
    await runCommandStep(minting, { now: () => 0, saved, runCommand: async () => ({ code: 0, stdout: `\u001b[32m${TOKEN}\u001b[39m\n`, stderr: '' }) });
    expect(saved.get('token')).toBe(TOKEN);
  });

  test('9: the step shows "Nothing was saved" under the output', async () => {
    const { text } = await runLessonStep({ type: 'run', body: ['b'], command: 'jwt-vs-oauth decode {{token}}', save: 'dec' }, view({ token: TOKEN }));
    expect(text).toContain('✗ Nothing was saved as $DEC: its output is not one line (a step keeps one line, such as the token mint prints).');
    expect(text).not.toContain('saved as $DEC for the steps that follow');
  });

  test('10: tamper of a claim named "__proto__" (engine fed it anyway) changes an own claim, as it says', async () => {
    const outcome = await runDemoStep(demo('tamper', { token: 'token', claim: '__proto__', value: 'admin', save: 't1' }), { now: () => 0, saved: new Map([['token', TOKEN]]), runCommand: async () => ({ code: 0, stdout: '', stderr: '' }) });
    expect(outcome.kind).toBe('shown');
    const changed = outcome.kind === 'shown' ? outcome.result.saved.t1! : '';
    expect(changed).not.toBe(TOKEN);
    expect(Buffer.from(changed.split('.')[1]!, 'base64url').toString()).toContain('"__proto__":"admin"');
  });
});
