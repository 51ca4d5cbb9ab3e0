// Findings of the teacher/student review of issue #12, through the real CLI: answers compared
// exactly (a case-only miss says so); what is not an answer (a flaw name not on the list, Mock
// Google not running) is exit 2 and never counted; a wrong flaw or choice says why that one does
// not fit, never which one does; a read answer that is another claim is named; solution --json
// when locked; a "Paste" prompt on a terminal; teacher-key --write; and the small wording fixes.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import { runCheck } from '../../src/lessons/checks.js';
import { findExercise, loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { passphraseMatches } from '../../src/lessons/teacher-key.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { runCli } from '../helpers/cli.js';
import { authorizeAtOnce, basic, CALLBACK, pkcePair, postForm, startTestProvider } from '../helpers/provider.js';

const SEED = 'review-seed';
const builtIn = join(lessonsFolder(), 'exercises');
const examplePack = join(lessonsFolder(), 'example-pack');
const exercises = loadExercises(builtIn, examplePack);
const exercise = (id: string) => findExercise(exercises, id);
const material = (id: string, seed = SEED) => materialFor(exercise(id), seed);

/** A learner's home with a progress file holding the seed (and, when given, a running provider). */
function learnerHome(provider?: string): string {
  const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-review-'));
  writeFileSync(join(home, 'progress.json'), JSON.stringify({ version: 1, seed: SEED, exercises: provider ? { provider: { issuer: provider, exercise: 'oauth-access-token' } } : {} }));
  return home;
}
const attemptsIn = (home: string, id: string) => JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8')).exercises.attempts?.[id];

async function check(home: string, id: string, answers: string[], pack?: string) {
  const result = await runCli(['ex', ...(pack ? ['--pack', pack] : []), 'check', id, ...answers, '--json'], { env: { JWT_VS_OAUTH_HOME: home } });
  return { ...result, json: result.code === 2 ? undefined : (JSON.parse(result.stdout) as { passed: boolean; checks: Array<{ label: string; why?: string; ok: boolean }> }) };
}

const CASE_ONLY = 'right letters, wrong case: JWT values are compared exactly';

describe('answers are compared exactly, as a verifier compares them', () => {
  test.each([
    ['read-subject', 'sub', (value: string) => value.toUpperCase()],
    ['read-algorithm', 'alg', (value: string) => value.toLowerCase()],
    ['read-audience', 'aud', (value: string) => value.toUpperCase()],
  ])('%s: the %s in another case fails (exit 1, counted) and says the case is wrong', async (id, name, change) => {
    const home = learnerHome();
    const { code, json } = await check(home, id, [change(material(id)[name]!)]);
    expect(code).toBe(1);
    expect(json!.checks[0]).toMatchObject({ ok: false, why: CASE_ONLY });
    expect(attemptsIn(home, id)).toBe(1);
  });

  test('the example pack\'s pack-read-issuer: the issuer in capitals fails', async () => {
    const { code, json } = await check(learnerHome(), 'pack-read-issuer', [material('pack-read-issuer').iss!.toUpperCase()], examplePack);
    expect(code).toBe(1);
    expect(json!.checks[0]!.why).toBe(CASE_ONLY);
  });

  test('the value as decode prints it, in JSON quotes, passes: the quotes are not part of the value', async () => {
    const { code } = await check(learnerHome(), 'read-subject', [`"${material('read-subject').sub}"`]);
    expect(code).toBe(0);
  });

  test('a flaw name is a name from the task\'s list, not a JWT value: EXPIRED is the name expired', async () => {
    const flaw = material('flaw-one').flaw!;
    expect((await check(learnerHome(), 'flaw-one', [flaw.toUpperCase()])).code).toBe(0);
  });
});

describe('what is not an answer is exit 2 and never counted', () => {
  let provider: RunningProvider;
  beforeAll(async () => {
    provider = await startTestProvider({ autoApprove: true });
  });
  afterAll(() => provider.close());

  test('oauth-access-token while Mock Google is not running: exit 2, says how to start it; three such tries do not open --reveal', async () => {
    const home = learnerHome();
    for (let round = 0; round < 3; round++) {
      const result = await runCli(['ex', 'check', 'oauth-access-token', 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln'], { env: { JWT_VS_OAUTH_HOME: home } });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('error: Mock Google is not running, so oauth-access-token cannot be checked: the check asks it for its keys. This try was not counted.\nStart it in another terminal and keep it running: jwt-vs-oauth exercises start oauth-access-token\n');
    }
    expect(attemptsIn(home, 'oauth-access-token')).toBeUndefined();
    const reveal = await runCli(['ex', 'hint', 'oauth-access-token', '--reveal', '--json'], { env: { JWT_VS_OAUTH_HOME: home } });
    expect(reveal.code).toBe(1);
    expect(JSON.parse(reveal.stdout)).toMatchObject({ revealed: false });
  });

  test('a provider that was started but no longer answers: exit 2, not counted', async () => {
    const home = learnerHome('http://127.0.0.1:9');
    const result = await runCli(['ex', 'check', 'oauth-access-token', 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln'], { env: { JWT_VS_OAUTH_HOME: home } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Mock Google did not answer at http:\/\/127\.0\.0\.1:9 \(.+\), so oauth-access-token cannot be checked\. This try was not counted\.\nIs it still running\? Start it again if not: jwt-vs-oauth exercises start oauth-access-token\n$/);
    expect(attemptsIn(home, 'oauth-access-token')).toBeUndefined();
  });

  test.each([['it is expired'], ['no idea'], ['expiry']])('flaw-one answered %j: exit 2 naming the flaw names, not counted', async (answer) => {
    const home = learnerHome();
    for (let round = 0; round < 3; round++) {
      const result = await runCli(['ex', 'check', 'flaw-one', answer], { env: { JWT_VS_OAUTH_HOME: home } });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`error: "${answer}" is not one of the flaw names of flaw-one; this try was not counted.\nAnswer with one of: alg-none, expired, wrong-audience. Example: jwt-vs-oauth exercises check flaw-one alg-none\n`);
    }
    expect(attemptsIn(home, 'flaw-one')).toBeUndefined();
    expect((await runCli(['ex', 'hint', 'flaw-one', '--reveal'], { env: { JWT_VS_OAUTH_HOME: home } })).code).toBe(1);
  });

  test('an ID token sent to oauth-access-token: the scope line says an ID token carries no scope', async () => {
    const { verifier, challenge } = pkcePair();
    const redirect = await authorizeAtOnce(provider, { scope: 'openid email', login_hint: 'asha@example.com', code_challenge: challenge, code_challenge_method: 'S256' });
    const tokens = await postForm(`${provider.issuer}/token`, { grant_type: 'authorization_code', code: redirect.location!.searchParams.get('code')!, redirect_uri: CALLBACK, code_verifier: verifier }, { authorization: basic('demo-app', 'demo-secret') });
    const { code, json } = await check(learnerHome(provider.issuer), 'oauth-access-token', [tokens.body.id_token]);
    expect(code).toBe(1);
    const lines = Object.fromEntries(json!.checks.map((line) => [line.label, line]));
    expect(lines.typ!.why).toBe('that is not an access token: send the access_token of the token response, not the id_token');
    expect(lines.scope!.why).toBe('an ID token carries no scope: send the access_token of the token response');
  });
});

describe('a wrong flaw or choice says why that one does not fit, never which one does', () => {
  const GENERIC = /^that is not (the flaw|one of)/;
  const seeds = Array.from({ length: 30 }, (_unused, index) => `seed-${index}`);

  test.each(['flaw-one', 'flaw-two', 'flaw-three'])('%s: every wrong pick, for 30 seeds, gets what the token shows about that flaw', async (id) => {
    const found = new Map<string, Set<string>>();
    for (const seed of seeds) {
      const made = material(id, seed);
      for (const pick of exercise(id).material!.pool!.filter((flaw) => flaw !== made.flaw)) {
        const result = await runCheck(exercise(id), [pick], { material: made, now: 0 });
        const why = result.lines[0]!.why!;
        expect(result.passed).toBe(false);
        expect(why).not.toMatch(GENERIC);
        expect(why).not.toContain(made.flaw);
        if (!found.has(pick)) found.set(pick, new Set());
        found.get(pick)!.add(why.replace(/\(\d{4}-[^)]+\)/, '(time)'));
      }
    }
    const seen = Object.fromEntries([...found].map(([pick, whys]) => [pick, [...whys].sort()]));
    const expected: Record<string, Record<string, string[]>> = {
      'flaw-one': {
        'alg-none': ['its header alg is HS256, not none: it is a signed token'],
        expired: ['its exp (time) is after the time the task gives, so it has not expired then'],
        'wrong-audience': ['its aud is food-api, the API named in the task'],
      },
      'flaw-two': {
        tampered: ['its header and payload are exactly what was signed: nothing in them was changed after signing'],
        'key-confusion': ['its header alg is RS256: key confusion needs a token that asks for HS256, signed with the issuer\'s public key as the HMAC secret'],
      },
      'flaw-three': {
        'weak-secret': ['its signature matches the issuer\'s classroom secret, 32 random bytes: not one an attacker guesses'],
        'no-exp': ['it has an exp (time)'],
      },
    };
    expect(seen).toEqual(expected[id]);
  });

  test('through the CLI: flaw-one answered with a wrong flaw name', async () => {
    const made = material('flaw-one');
    const pick = ['alg-none', 'expired', 'wrong-audience'].find((flaw) => flaw !== made.flaw)!;
    const result = await runCli(['ex', 'check', 'flaw-one', pick], { env: { JWT_VS_OAUTH_HOME: learnerHome() } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\n {6}why: {6}(its header alg is HS256, not none|its exp \(.+\) is after the time|its aud is food-api)/);
  });

  const choiceExercises = loadExercises(builtIn).filter((each) => each.check.kind === 'choice');

  test('every built-in choice exercise explains each choice', () => {
    expect(choiceExercises.map((each) => each.id)).toEqual([
      'choose-own-api', 'choose-social-login', 'choose-delegated', 'fix-id-token-to-api',
      'choose-browser-app-tokens', 'choose-what-logout-ends', 'fix-object-level-check', 'flaw-refresh-reuse',
    ]);
    for (const each of choiceExercises) expect(each.choiceWhy).toHaveLength(each.choices!.length);
  });

  test.each(choiceExercises.map((each) => [each.id]))('%s: each wrong pick is told its own why, with no right choice in it', async (id) => {
    const { choices, choiceWhy, check: rule } = exercise(id);
    const answer = (rule as { answer: number }).answer;
    for (const [index] of choices!.entries()) {
      if (index === answer) continue;
      const result = await runCli(['ex', 'check', id, 'abc'[index]!, '--json'], { env: { JWT_VS_OAUTH_HOME: learnerHome() } });
      expect(result.code).toBe(1);
      const why = JSON.parse(result.stdout).checks[0].why as string;
      expect(why).toBe(`(${'abc'[index]}) does not fit: ${choiceWhy![index]}`);
      expect(why).not.toContain(choices![answer]!);
      expect(why).not.toContain(`(${'abc'[answer]})`);
    }
  });

  test.each([
    ['one too few', { choiceWhy: ['a', 'b'] }, '"choiceWhy": must give one non-empty explanation for each choice, in their order (3)'],
    ['an empty one', { choiceWhy: ['a', ' ', 'c'] }, '"choiceWhy": must give one non-empty explanation for each choice, in their order (3)'],
    ['a {{name}}', { choiceWhy: ['a', 'b', 'not {{sub}}'] }, '"choiceWhy[2]": "{{sub}}" is not a name this exercise fills; choiceWhy is shown as written, like the choices, without {{names}}'],
    ['without choices', { choices: undefined, check: { kind: 'answer', expected: 'x' }, choiceWhy: ['a', 'b'] }, '"choiceWhy": explains the choices, so it needs "choices"'],
  ])('a pack\'s choiceWhy with %s is refused when the pack loads (exit 2)', async (_name, change, message) => {
    const pack = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-review-pack-'));
    const file = join(pack, '01.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(join(examplePack, '02-pack-choose-storage.json'), 'utf8')), ...change }));
    const result = await runCli(['ex', '--pack', pack, 'list'], { env: { JWT_VS_OAUTH_HOME: learnerHome() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: ${file}: ${message}\n`);
  });
});

describe('a read answer that is another claim is named; otherwise where to read the right one', () => {
  test.each([
    ['read-subject', 'aud', 'that is the token\'s aud, not its sub: read its sub claim'],
    ['read-subject', 'iss', 'that is the token\'s iss, not its sub: read its sub claim'],
    ['read-audience', 'sub', 'that is the token\'s sub, not its aud: read its aud claim'],
    ['read-algorithm', 'typ', 'that is the token\'s typ, not its alg: read alg in its header'],
    ['read-expiry', 'iat', 'that is the token\'s iat (when it was issued), not its exp: read its exp claim'],
    ['read-subject', 'token', 'that is the whole token: decode it and send only its sub'],
    ['read-subject', 'nobody', 'that is not the token\'s sub: decode the token and read its sub claim'],
  ])('%s answered with its %s', async (id, name, why) => {
    const made = material(id);
    const [header, payload] = made.token!.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    const answer = name === 'token' ? made.token! : name === 'nobody' ? 'nobody-at-all' : String({ ...header, ...payload }[name]);
    const { code, json } = await check(learnerHome(), id, [answer]);
    expect(code).toBe(1);
    expect(json!.checks[0]!.why).toBe(why);
  });
});

describe('hint --reveal is recorded for the teacher\'s report', () => {
  test('the first time the answer is shown before a pass is kept in progress; a look after a pass is not a reveal', async () => {
    const home = learnerHome();
    const env = { JWT_VS_OAUTH_HOME: home };
    for (let round = 0; round < 3; round++) await runCli(['ex', 'check', 'read-subject', 'nobody-at-all'], { env, now: 1_900_000_000 });
    expect((await runCli(['ex', 'hint', 'read-subject', '--reveal'], { env, now: 1_900_000_100 })).code).toBe(0);
    await runCli(['ex', 'hint', 'read-subject', '--reveal'], { env, now: 1_900_000_200 });
    const revealed = () => JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8')).exercises.revealed;
    expect(revealed()).toEqual({ 'read-subject': '2030-03-17T17:48:20.000Z' });
    await runCli(['ex', 'check', 'read-subject', material('read-subject').sub!], { env });
    await runCli(['ex', 'check', 'read-audience', material('read-audience').aud!], { env });
    expect((await runCli(['ex', 'hint', 'read-audience', '--reveal'], { env })).code).toBe(0);
    expect(revealed()).toEqual({ 'read-subject': '2030-03-17T17:48:20.000Z' });
  });
});

describe('small things', () => {
  test('check --help says answers are compared exactly, and what exit 2 covers', async () => {
    // Help is laid out to 80 columns: read with its line breaks taken out.
    const help = (await runCli(['ex', 'check', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('Answers are compared exactly, as a verifier compares them: asha is not Asha, HS256 is not hs256 (RFC 7519 §2, RFC 7515 §4.1.1).');
    expect(help).toContain('2 bad usage (a missing answer, something that is not one of the choices or flaw names, Mock Google not running for oauth-access-token): not counted as an attempt.');
  });

  test('solution --json before a pass prints JSON (exit 1)', async () => {
    const result = await runCli(['ex', 'solution', 'read-subject', '--json'], { env: { JWT_VS_OAUTH_HOME: learnerHome() } });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ id: 'read-subject', locked: true, reason: 'The worked solution opens once read-subject passes.', answerOpen: false, next: 'The answer opens after 3 failed attempts: 3 more to go. A hint: jwt-vs-oauth exercises hint read-subject' });
  });

  test('check <id> - on a terminal says how to end the pasted answer, on stderr', async () => {
    const stdin = Object.assign(Readable.from([`${material('read-subject').sub}\n`]), { isTTY: true });
    const [stdout, stderr] = [new PassThrough(), new PassThrough()];
    let [out, err] = ['', ''];
    stdout.on('data', (chunk) => (out += chunk));
    stderr.on('data', (chunk) => (err += chunk));
    const code = await run(['ex', 'check', 'read-subject', '-'], { stdin, stdout, stderr, env: { JWT_VS_OAUTH_HOME: learnerHome() } });
    expect(code).toBe(0);
    expect(err).toBe('Paste the answer, then press Ctrl-D (Ctrl-Z Enter on Windows).\n');
    expect(out).toContain('✓ Passed.');
    const piped = await runCli(['ex', 'check', 'read-subject', '-'], { stdin: `${material('read-subject').sub}\n`, env: { JWT_VS_OAUTH_HOME: learnerHome() } });
    expect(piped.stderr).toBe('');
  });

  test.each([
    ['read-subject', 'Pipe the answer in: echo <answer> | jwt-vs-oauth exercises check read-subject -'],
    ['choose-own-api', 'Pipe the answer in: echo <choice> | jwt-vs-oauth exercises check choose-own-api -'],
    ['make-practice-token', 'Pipe the answer in: jwt-vs-oauth mint … | jwt-vs-oauth exercises check make-practice-token -'],
    ['fix-short-secret', 'Pipe the answer in: jwt-vs-oauth mint … | jwt-vs-oauth exercises check fix-short-secret - "$SECRET"'],
  ])('empty stdin for %s suggests a pipe that fits it', async (id, hint) => {
    const result = await runCli(['ex', 'check', id, '-', ...(id === 'fix-short-secret' ? ['x'] : [])], { stdin: '', env: { JWT_VS_OAUTH_HOME: learnerHome() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: stdin was empty: no answer for ${id}.\n${hint}\n`);
  });

  test('read-subject given two words is two answers (exit 2, not counted), not the answer "a b"', async () => {
    const home = learnerHome();
    const result = await runCli(['ex', 'check', 'read-subject', 'a', 'b'], { env: { JWT_VS_OAUTH_HOME: home } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: read-subject takes one answer; 2 were given.\nPut quotes around an answer that holds spaces. Example: jwt-vs-oauth exercises check read-subject <answer>\n');
    expect(attemptsIn(home, 'read-subject')).toBeUndefined();
  });

  test('a choice\'s text typed without quotes is still one answer; so is "Authorization: Bearer <token>"', async () => {
    expect((await runCli(['ex', 'check', 'choose-delegated', 'OAuth', '2.0', 'delegated', 'access', 'with', 'a', 'refresh', 'token'], { env: { JWT_VS_OAUTH_HOME: learnerHome() } })).code).toBe(0);
    const token = (await runCli(['mint', '--secret', 'PbvDNisJf9teQsO6HmR7vzM5gfyj4WkVfIKvXdDiQZI=', '--iss', 'https://practice-api.jwt-vs-oauth.local', '--aud', 'practice-api', '--claim', 'role=customer'])).stdout.trim();
    expect((await runCli(['ex', 'check', 'make-practice-token', 'Authorization:', 'Bearer', token], { env: { JWT_VS_OAUTH_HOME: learnerHome() } })).code).toBe(0);
  });

  test.each([
    ['https://app.swaad.example:8443/auth/callback?x=1', 'the right scheme, host, port and path, then a query the registered URI does not have: the provider compares the whole string, query included (RFC 9700 §2.1).'],
    ['https://app.swaad.example:8443/auth/callback#top', 'the right scheme, host, port and path, then a fragment: a redirect URI must not have one (RFC 6749 §3.1.2), and the match is exact (RFC 9700 §2.1).'],
    ['https://app.swaad.example:8443/auth/callback/', 'the right host and port, but not the registered path: the match is character for character, a trailing slash or a capital letter included (RFC 9700 §2.1).'],
  ])('fix-redirect-uri: %s', async (answer, why) => {
    const { json } = await check(learnerHome(), 'fix-redirect-uri', [answer]);
    expect(json!.checks[0]!.why).toBe(why);
  });

  test('read-expiry: the right time without a zone fails and asks for the zone; with Z or an offset it passes', async () => {
    const iso = material('read-expiry').expIso!;
    expect(iso).toMatch(/Z$/);
    const { code, json } = await check(learnerHome(), 'read-expiry', [iso.replace(/(\.000)?Z$/, '')]);
    expect(code).toBe(1);
    expect(json!.checks[0]!.why).toBe('give the time zone: a time without Z or an offset is ambiguous');
    expect((await check(learnerHome(), 'read-expiry', [iso])).code).toBe(0);
  });

  test('a token the check cannot read: the reason follows the colon in lower case', async () => {
    const { json } = await check(learnerHome(), 'make-practice-token', ['notatoken']);
    expect(json!.checks[0]!.why).toMatch(/^that is not a token the check can read: [a-z]/);
  });
});

describe('teacher-key --write merges the key into the pack\'s pack.json', () => {
  const PASSPHRASE = 'correct horse battery staple';
  const packWithSettings = () => {
    const pack = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-review-pack-'));
    writeFileSync(join(pack, '01.json'), readFileSync(join(examplePack, '01-pack-read-issuer.json')));
    writeFileSync(join(pack, 'pack.json'), '{"revealAfter": 2}\n');
    return pack;
  };

  test('keeps revealAfter, adds the key, leaves no temporary file; --teacher then takes the passphrase', async () => {
    const pack = packWithSettings();
    const result = await runCli(['ex', '--pack', pack, 'teacher-key', '--write'], { stdin: PASSPHRASE });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Wrote ${join(pack, 'pack.json')}: teacherKey added; kept revealAfter.\n`);
    const written = JSON.parse(readFileSync(join(pack, 'pack.json'), 'utf8'));
    expect(Object.keys(written)).toEqual(['revealAfter', 'teacherKey']);
    expect(written.revealAfter).toBe(2);
    expect(await passphraseMatches(PASSPHRASE, written.teacherKey)).toBe(true);
    expect(readdirSync(pack).sort()).toEqual(['01.json', 'pack.json']);
    const again = await runCli(['ex', '--pack', pack, 'teacher-key', '--write'], { stdin: 'another long passphrase' });
    expect(again.stdout).toBe(`Wrote ${join(pack, 'pack.json')}: teacherKey replaced; kept revealAfter.\n`);
  }, 20_000);

  test('without --write, the printed pack.json holds --pack\'s settings too', async () => {
    const result = await runCli(['ex', '--pack', packWithSettings(), 'teacher-key'], { stdin: PASSPHRASE });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ revealAfter: 2, teacherKey: expect.stringMatching(/^\$scrypt\$ln=17,r=8,p=1\$/) });
  }, 20_000);

  test('--write without a pack, or over a pack.json that does not fit, is refused (exit 2) and changes nothing', async () => {
    const none = await runCli(['ex', 'teacher-key', '--write'], { stdin: PASSPHRASE });
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('error: --write needs the pack whose pack.json to write: give --pack <dir> (or set JWT_VS_OAUTH_PACK).\nExample: jwt-vs-oauth exercises --pack ./class-pack teacher-key --write\n');
    const pack = packWithSettings();
    writeFileSync(join(pack, 'pack.json'), '{"revealAfter": 2, "colour": "red"}\n');
    const bad = await runCli(['ex', '--pack', pack, 'teacher-key', '--write'], { stdin: PASSPHRASE });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"colour": is not a pack setting');
    expect(readFileSync(join(pack, 'pack.json'), 'utf8')).toBe('{"revealAfter": 2, "colour": "red"}\n');
  });

  test('the help shows --write, not a redirect onto pack.json', async () => {
    const help = (await runCli(['ex', 'teacher-key', '--help'])).stdout;
    expect(help).toContain('jwt-vs-oauth exercises --pack ./class-pack teacher-key --write');
    expect(help).not.toContain('> class-pack/pack.json');
    expect((await runCli(['ex', '--help'])).stdout).not.toContain('> class-pack/pack.json');
  });
});
