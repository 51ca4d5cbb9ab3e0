// Lessons 11 and 12 (issue #15, beyond the article): every hands-on step runs through the lesson
// engine as the tutorial runs it, and shows what the lesson says it shows: a client-credentials
// token whose sub is the client_id with no refresh or ID token, the device flow's polls
// (authorization_pending, slow_down, then tokens), and a reused refresh token refused with the
// whole family revoked. `tutorial --plain` shows them, and lesson 13, within 80 columns.

import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { runLessonStep, type StepView } from '../../src/cli/lesson-step-view.js';
import { createOutput, NO_COLOURS } from '../../src/cli/output.js';
import { decodeToken } from '../../src/jwt/decode.js';
import { DEFAULT_USERS } from '../../src/provider/directory.js';
import { valueFromReference } from '../../src/lessons/lesson-steps.js';
import { loadLessons } from '../../src/lessons/loader.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import type { Lesson, ValueQuestion } from '../../src/lessons/schema.js';
import { displayWidth } from '../../src/text/layout.js';
import { runCli } from '../helpers/cli.js';

const lessons = loadLessons(join(lessonsFolder(), 'tutorial'));
const lesson = (number: number): Lesson => lessons.find((candidate) => candidate.number === number)!;
const now = () => Math.floor(Date.now() / 1000);

function viewFor(width: number): StepView {
  const output = createOutput({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} }, NO_COLOURS);
  return { output, now, width, saved: new Map(), given: new Map(), pause: async () => undefined, interactive: true };
}

/** Runs every hands-on step of a lesson in order, as the tutorial does; what each showed, by screen title. */
async function walk(number: number, view: StepView): Promise<Map<string, string>> {
  const shown = new Map<string, string>();
  for (const screen of lesson(number).screens) {
    if (screen.type !== 'run') continue;
    const { text, commandFailed } = await runLessonStep(screen, view);
    expect(commandFailed, screen.title).toBe(false);
    shown.set(screen.title!, text);
  }
  return shown;
}

/** The statuses of the answers a demo shows ("← 400"), in order. */
const statuses = (text: string) => [...text.matchAll(/^ {2}← (\d{3})/gm)].map((match) => Number(match[1]));

describe('lesson 11: machines and devices', () => {
  test('client credentials: a token for the service itself, sub = client_id, no refresh or ID token, userinfo refuses it; decode shows it; the value question reads demo-app', async () => {
    const view = viewFor(80);
    const shown = await walk(11, view);
    const service = shown.get('A backend asks for a token for itself')!;
    expect(statuses(service)).toEqual([200, 403]);
    expect(service).toContain('→ POST /token (Authorization: Basic <demo-app:secret>;');
    // The token answer itself: an access token, no refresh_token or id_token member.
    const answer = service.slice(service.indexOf('← 200'), service.indexOf('    }'));
    expect(answer).toContain('"access_token"');
    expect(answer).not.toContain('"refresh_token"');
    expect(answer).not.toContain('"id_token"');
    expect(service).toMatch(/sub \(in the token\) +"demo-app": the client_id, the app itself/);
    expect(service).toMatch(/refresh_token +\(none\)/);
    expect(service).toMatch(/id_token +\(none\): nobody signed in/);
    expect(service).toContain('"error": "insufficient_scope"');

    const token = view.saved.get('serviceToken')!;
    const claims = decodeToken(token, now()).payload as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'demo-app', client_id: 'demo-app', scope: 'orders:read orders:write' });
    expect(claims.auth_time).toBeUndefined();
    expect(shown.get('Decode it')).toMatch(/^ {2}sub +"demo-app"/m);

    const question = lesson(11).screens.find((screen): screen is ValueQuestion => screen.type === 'question' && screen.kind === 'value')!;
    expect(valueFromReference(question.answerFrom, view)).toBe('demo-app');
  }, 30_000);

  test('the device flow: codes, authorization_pending, slow_down (+5 s), the code typed and allowed at /device, then tokens for the TV app', async () => {
    const view = viewFor(100);
    const shown = await walk(11, view);
    const device = shown.get('Sign a TV in')!;
    expect(statuses(device)).toEqual([200, 400, 400, 200]);
    const userCode = /"user_code": "([A-Z]{4}-[A-Z]{4})"/.exec(device)![1]!;
    expect(device).toMatch(new RegExp(`The TV shows: on your phone, go to http://127\\.0\\.0\\.1:\\d+/device and enter\\s+${userCode}`));
    const errors = [...device.matchAll(/"error": "([a-z_]+)"/g)].map((match) => match[1]);
    expect(errors).toEqual(['authorization_pending', 'slow_down']);
    expect(device).toContain('"interval": 5');
    expect(device).toContain('this device code\'s interval is now 10 seconds');
    // The phone's pages, in order: the code, the sign-in, the consent, done (the password never shown).
    expect(device).toMatch(new RegExp(`POST /device user_code=${userCode} +200 Sign in`));
    expect(device).toMatch(/POST \/device\/[A-Z]{8}\/login email=asha@example\.com password=… +200 Allow access\?/);
    expect(device).toMatch(/POST \/device\/[A-Z]{8}\/consent decision=allow +200 Device connected/);
    expect(device).not.toContain(DEFAULT_USERS[0]!.password);
    expect(device.slice(device.lastIndexOf('← 200'))).toContain('"id_token"');
    const claims = decodeToken(view.saved.get('tvToken')!, now()).payload as Record<string, unknown>;
    expect(claims.client_id).toBe('swaad-tv');
    expect(claims.sub).toBe(DEFAULT_USERS[0]!.sub);
    // Beside the service token: a user's sub this time, and the TV app's client_id.
    expect(device).toMatch(new RegExp(`sub \\(in the token\\) +"${claims.sub}": Asha, a user this time`));
    expect(device).toMatch(/client_id +"swaad-tv": the app on the TV/);
  }, 30_000);
});

describe('lesson 12: staying signed in', () => {
  test('refresh rotation: a new refresh token, the old one again is invalid_grant, then the new one too (the family revoked)', async () => {
    const shown = await walk(12, viewFor(80));
    const rotation = shown.get('Rotate, then reuse')!;
    expect(statuses(rotation)).toEqual([200, 200, 400, 400]);
    const refreshTokens = [...rotation.matchAll(/"refresh_token": "([\w-]+)"/g)].map((match) => match[1]!);
    expect(refreshTokens).toHaveLength(2);
    expect(refreshTokens[1]).not.toBe(refreshTokens[0]);
    expect(rotation).toContain('"scope": "openid profile email offline_access"');
    // The retired token names the first, the newest the second: the learner can match them.
    expect(rotation).toContain(`(refresh token 1 again (${refreshTokens[0]!.slice(0, 6)}…))`);
    expect(rotation).toContain(`(refresh token 2 (${refreshTokens[1]!.slice(0, 6)}…), the newest)`);
    expect([...rotation.matchAll(/"error": "invalid_grant"/g)]).toHaveLength(2);
    expect(rotation).toContain('every token of this sign-in is now revoked');
    expect(rotation).toContain('"error_description": "The refresh token was revoked."');
  }, 30_000);
});

describe('tutorial --plain', () => {
  test.each([11, 12, 13, 14, 15])('lesson %i reads within 80 columns, its answers at the end', async (number) => {
    const { code, stdout, stderr } = await runCli(['tutorial', String(number), '--plain'], { env: { COLUMNS: '80' } });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Lesson ${number}: ${lesson(number).title}`);
    expect(stdout).toContain(`Answers to lesson ${number}`);
    expect(stdout.split('\n').filter((line) => displayWidth(line) > 80)).toEqual([]);
  }, 30_000);
});
