// Lesson files are data (README, "Teacher packs are data": "The same applies to the lessons
// folder"): the command a lesson's command step shows is what runs, so when the file loads it
// is checked against the same allowlist as a pack's solution commands. A translation chosen with
// JWT_VS_OAUTH_LANG, or any lesson file, cannot read or write the learner's files or reach the
// network; --discover is allowed only as --discover {{issuer}}, the Mock Google its step runs.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadLessons } from '../../src/lessons/loader.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { BIN } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from './recording-server.js';

const TUTORIAL = join(lessonsFolder(), 'tutorial');
const HINT = /^A lesson command may use only: jwt-vs-oauth mint with --alg --secret .* jwt-vs-oauth verify <token> with .*--typ.* \(and --discover \{\{issuer\}\} in a step that runs Mock Google\); jwt-vs-oauth decode <token> with --json\./;

/** A lessons folder holding lesson 3 or 9 in English, and a German translation with one step's command changed. */
function withTranslatedCommand(lessonFile: string, screen: number, command: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-lesson-commands-'));
  const english = readFileSync(join(TUTORIAL, lessonFile), 'utf8');
  writeFileSync(join(folder, lessonFile), english);
  const lesson = JSON.parse(english) as { screens: Array<{ command?: string }> };
  lesson.screens[screen]!.command = command;
  writeFileSync(join(folder, lessonFile.replace(/\.json$/, '.de.json')), JSON.stringify(lesson));
  return folder;
}

/** What loading the folder in German throws (or undefined). */
function refusal(folder: string): InputError | undefined {
  try {
    loadLessons(folder, 'de');
    return undefined;
  } catch (error) {
    return error as InputError;
  }
}

// Lesson 3: screen 1 mints, 2 decodes, 5 verifies. Lesson 9: screen 1 verifies against Mock Google.
const MINT = ['03-inside-a-jwt.json', 1] as const;
const DECODE = ['03-inside-a-jwt.json', 2] as const;
const VERIFY = ['03-inside-a-jwt.json', 5] as const;
const MOCK_GOOGLE = ['09-common-mistakes.json', 1] as const;

describe('a lesson command that could read or write a file, or reach the network, is refused when the file loads', () => {
  test.each([
    [MINT, 'jwt-vs-oauth mint --payload @/etc/passwd', 'uses --payload with @file, which reads a file; give the claims as inline JSON'],
    [MINT, 'jwt-vs-oauth mint --payload=@/etc/passwd', 'uses --payload with @file, which reads a file'],
    [MINT, 'jwt-vs-oauth mint --alg ES256 --save-key /tmp/x.json', 'uses --save-key, which writes files'],
    [MINT, 'jwt-vs-oauth mint --alg ES256 --key /any/file', 'uses --key, which reads a file'],
    [VERIFY, 'jwt-vs-oauth verify {{tampered}} --key /any/file', 'uses --key, which reads a file'],
    [VERIFY, 'jwt-vs-oauth verify {{tampered}} --jwks https://example.com/jwks.json', 'uses --jwks, which reaches the network'],
    [VERIFY, 'jwt-vs-oauth verify {{tampered}} --discover http://127.0.0.1:9400', 'uses --discover, which reaches the network; only a step that runs Mock Google ("with": "mock-google") may use it, as --discover {{issuer}}'],
    [VERIFY, 'jwt-vs-oauth verify {{tampered}} --discover {{issuer}}', 'uses --discover, which reaches the network; only a step that runs Mock Google ("with": "mock-google") may use it'],
    [VERIFY, 'jwt-vs-oauth verify {{tampered}} --secret s --timeout 1s', 'uses --timeout, which only matters for --jwks and --discover'],
    [VERIFY, 'jwt-vs-oauth verify "$TAMPERED" --secret s', 'holds "$" inside quotes, which a shell reads differently; a lesson command is plain words, "double" or \'single\' quoted, and a {{name}} is a word of its own'],
    [MOCK_GOOGLE, 'jwt-vs-oauth verify {{idToken}} --discover https://accounts.google.com', 'uses --discover with "https://accounts.google.com"; a lesson may use only --discover {{issuer}}, the Mock Google its step runs'],
    [MOCK_GOOGLE, 'jwt-vs-oauth verify {{idToken}} --discover={{issuer}}', 'uses "--discover={{issuer}}"; a lesson may use only --discover {{issuer}}, the Mock Google its step runs (a written address could reach any server), as two words'],
    [MOCK_GOOGLE, 'jwt-vs-oauth verify {{idToken}} --aud={{api}} --discover {{issuer}}', 'puts a {{name}} inside a longer word ("--aud={{api}}"); a {{name}} must be a word of its own, such as --aud {{api}}'],
    [MOCK_GOOGLE, 'jwt-vs-oauth verify {{idToken}} --discover {{api}}', 'uses --discover with "{{api}}"; a lesson may use only --discover {{issuer}}'],
    [MOCK_GOOGLE, 'jwt-vs-oauth verify {{idToken}} --jwks {{issuer}}', 'uses --jwks, which reaches the network'],
    [DECODE, 'jwt-vs-oauth decode -', 'reads the token from stdin ("-"); give the token itself, such as {{token}}'],
    [DECODE, 'jwt-vs-oauth decode --json', 'gives decode no token, so it would read stdin'],
    [DECODE, 'jwt-vs-oauth decode {{token}} --help', 'uses --help, which is not an option a lesson command may use with decode'],
    [MINT, 'jwt-vs-oauth mint {{token}}', 'gives mint an argument ("{{token}}"), which it does not take'],
    [MINT, 'jwt-vs-oauth mint --sub "$(whoami)"', 'holds "$" inside quotes, which a shell reads differently; a lesson command is plain words'],
    [MINT, 'jwt-vs-oauth mint --sub asha;id', 'holds ";", which a shell reads differently'],
    [MINT, 'jwt-vs-oauth mint -h', 'uses "-h": short options are not allowed'],
  ])('%j %s → ERR_LESSON_FILE: %s', ([lessonFile, screen], command, problem) => {
    const error = refusal(withTranslatedCommand(lessonFile, screen, command));
    expect(error).toBeInstanceOf(InputError);
    expect(error!.code).toBe('ERR_LESSON_FILE');
    expect(error!.message).toContain(`${lessonFile.replace(/\.json$/, '.de.json')}: screens[${screen}].command: ${problem}`);
    expect(error!.hint).toMatch(HINT);
  });

  test('the built-in lessons keep to the list, and so does the same command in a translation', () => {
    expect(loadLessons(TUTORIAL).length).toBe(15);
    for (const [lessonFile, screen] of [MINT, DECODE, VERIFY, MOCK_GOOGLE]) {
      const command = (JSON.parse(readFileSync(join(TUTORIAL, lessonFile), 'utf8')) as { screens: Array<{ command: string }> }).screens[screen]!.command;
      expect(refusal(withTranslatedCommand(lessonFile, screen, command))).toBeUndefined();
    }
  });
});

describe('through the built bin, a translation chosen with JWT_VS_OAUTH_LANG=de', () => {
  let server: RecordingServer;
  beforeAll(async () => void (server = await startRecordingServer()));
  afterAll(() => server.close());

  /** A copy of the package (dist, package.json, lessons) with lesson 3 or 9's German translation running `command`. */
  function packageWith(lessonFile: string, screen: number, command: string): string {
    const root = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-package-'));
    const repository = fileURLToPath(new URL('../../', import.meta.url));
    cpSync(join(BIN, '..'), join(root, 'dist'), { recursive: true });
    cpSync(join(repository, 'package.json'), join(root, 'package.json'));
    mkdirSync(join(root, 'lessons'));
    cpSync(TUTORIAL, join(root, 'lessons', 'tutorial'), { recursive: true });
    const lesson = JSON.parse(readFileSync(join(TUTORIAL, lessonFile), 'utf8')) as { screens: Array<{ command?: string }> };
    lesson.screens[screen]!.command = command;
    writeFileSync(join(root, 'lessons', 'tutorial', lessonFile.replace(/\.json$/, '.de.json')), JSON.stringify(lesson));
    return root;
  }

  test('mint --payload @file: refused, exit 2, naming the file, the screen and the option; the file never shows', () => {
    const secrets = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-secrets-')), 'secrets.json');
    writeFileSync(secrets, '{"stolen":"MARKER-5c1d"}');
    const root = packageWith(...MINT, `jwt-vs-oauth mint --payload @${secrets}`);
    const copied = runCopy(root, ['tutorial', '3', '--plain']);
    expect(copied.code).toBe(2);
    expect(copied.stdout).toBe('');
    const [message, hint] = copied.stderr.split('\n');
    expect(message).toBe(`error: ${join(root, 'lessons', 'tutorial', '03-inside-a-jwt.de.json')}: screens[1].command: uses --payload with @file, which reads a file; give the claims as inline JSON`);
    expect(hint).toMatch(HINT);
    expect(copied.stderr).not.toContain('MARKER-5c1d');
    expect(copied.stderr).not.toMatch(/This is a bug|something unexpected/);
  });

  test('mint --save-key: refused, and no file appears', () => {
    const target = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-save-')), 'key.json');
    const result = runCopy(packageWith(...MINT, `jwt-vs-oauth mint --alg ES256 --save-key ${target}`), ['tutorial', '3', '--plain']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('screens[1].command: uses --save-key, which writes files');
    expect(existsSync(target)).toBe(false);
  });

  test('verify --discover to a local server, and --jwks: refused, and no request is made', () => {
    const discover = runCopy(packageWith(...VERIFY, `jwt-vs-oauth verify {{tampered}} --discover ${server.url}`), ['tutorial', '3', '--plain']);
    expect(discover.code).toBe(2);
    expect(discover.stderr).toContain('screens[5].command: uses --discover, which reaches the network');
    const mockGoogle = runCopy(packageWith(...MOCK_GOOGLE, `jwt-vs-oauth verify {{idToken}} --discover ${server.url}`), ['tutorial', '9', '--plain']);
    expect(mockGoogle.code).toBe(2);
    expect(mockGoogle.stderr).toContain(`screens[1].command: uses --discover with "${server.url}"; a lesson may use only --discover {{issuer}}`);
    const jwks = runCopy(packageWith(...VERIFY, `jwt-vs-oauth verify {{tampered}} --jwks ${server.url}/jwks`), ['tutorial', '3', '--plain']);
    expect(jwks.code).toBe(2);
    expect(jwks.stderr).toContain('screens[5].command: uses --jwks, which reaches the network');
    expect(server.requests).toEqual([]);
  });
});

/** The bin of a package copy (it reads the copy's lessons), as a subprocess with no terminal, in German. */
function runCopy(root: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, JWT_VS_OAUTH_LANG: 'de', JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-')) };
  const result = spawnSync(process.execPath, [join(root, 'dist', 'bin.js'), ...args], { input: '', env, cwd: root, encoding: 'utf8', timeout: 20_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
