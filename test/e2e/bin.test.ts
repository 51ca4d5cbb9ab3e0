// The built bin as a subprocess, the way users and scripts run it: exit codes, what goes to
// stdout versus stderr, the --json shapes, colour rules, and no terminal.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RFC7515_HS256_TOKEN, runBin } from '../helpers/cli.js';

const ESCAPE = '\u001b[';
const SECRET = 's'.repeat(32);

describe('the built bin', () => {
  test('--help lists the commands with examples and exit codes', () => {
    const result = runBin(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: jwt-vs-oauth [options] [command]');
    for (const command of ['decode', 'mint|sign', 'verify']) expect(result.stdout).toContain(command);
    expect(result.stdout).toContain('Examples:');
    // Laid out to 80 columns off a terminal: the sentence may span two lines.
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('Exit codes: 0 ok, 1 the token or check is not OK, 2 bad usage or input, 70 a bug in jwt-vs-oauth, 130 cancelled');
  });

  test.each(['decode', 'mint', 'verify'])('%s --help has examples', (command) => {
    const result = runBin([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: jwt-vs-oauth ${command}`);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('$ jwt-vs-oauth');
  });

  test('with no command and no terminal it prints the help and exits 0', () => {
    const result = runBin([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: jwt-vs-oauth');
  });

  test('an unknown command or option exits 2', () => {
    expect(runBin(['frobnicate']).code).toBe(2);
    const result = runBin(['decode', '--frob']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: unknown option '--frob'\n");
  });

  test('a mistyped command names the nearest (exit 2); help <command> prints its help (exit 0)', () => {
    expect(runBin(['decdoe', 'x'])).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'decdoe'\n(Did you mean decode?)\n" });
    const help = runBin(['help', 'decode']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: jwt-vs-oauth decode [options] [token]');
    expect(runBin(['help', 'decdoe'])).toMatchObject({ code: 2, stderr: "error: unknown command 'decdoe'\n(Did you mean decode?)\n" });
  });

  test('mint puts only the token on stdout; the talk goes to stderr', () => {
    const result = runBin(['mint', '--sub', 'asha']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(result.stderr).toContain('Generated a random HS256 secret for this token; it is not saved.');
  });

  test('decode from a pipe, without colour when stdout is not a terminal', () => {
    const result = runBin(['decode'], { input: `Authorization: Bearer ${RFC7515_HS256_TOKEN}\n` });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(ESCAPE);
    expect(result.stdout).toContain('A signed JWT (compact JWS: header.payload.signature)');
    expect(result.stdout).toMatch(/^  iss +"joe" +Issuer/m);
    expect(result.stdout).toContain('2011-03-22T18:43:00Z');
    expect(result.stdout).toContain('expired');
    expect(result.stdout).toContain('Decoding is not verifying.');
    expect(result.stdout).toContain('jwt-vs-oauth verify "$TOKEN" --secret <the shared secret>');
    expect(result.stderr).toBe('');
  });

  test('"-" reads stdin', () => {
    expect(runBin(['decode', '-', '--json'], { input: RFC7515_HS256_TOKEN }).code).toBe(0);
  });

  test('empty stdin is an input error, not a wait', () => {
    const result = runBin(['decode']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: No token was given: stdin was empty.\nPass the token as an argument or pipe it in: echo "$TOKEN" | jwt-vs-oauth decode\n');
  });

  test('FORCE_COLOR=1 colours; NO_COLOR and --no-color win', () => {
    expect(runBin(['decode', RFC7515_HS256_TOKEN], { env: { FORCE_COLOR: '1' } }).stdout).toContain(ESCAPE);
    expect(runBin(['decode', RFC7515_HS256_TOKEN], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toContain(ESCAPE);
    expect(runBin(['--no-color', 'decode', RFC7515_HS256_TOKEN], { env: { FORCE_COLOR: '1' } }).stdout).not.toContain(ESCAPE);
    expect(runBin(['decode', RFC7515_HS256_TOKEN, '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout).not.toContain(ESCAPE);
  });

  test('decode --json has the documented shape', () => {
    const result = runBin(['decode', '--json', RFC7515_HS256_TOKEN]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(['type', 'header', 'payload', 'signature', 'warnings', 'algorithm', 'claims', 'verified']);
    expect(json.type).toBe('JWT');
    expect(json.verified).toBe(false);
    expect(json.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'expired', message: expect.any(String) })]));
  });

  test('bad input exits 2 with a one-line error and no stack trace', () => {
    const result = runBin(['decode', 'eyJhbGciOiJIUzI1NiJ9.e30=.sig']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('error: The payload segment is not base64url: "=" at position 4 ("=" belongs to plain base64; base64url uses "-" and "_" and no "=" padding).\n');
  });

  test('mint then verify through a shell pipeline, with --json shapes and exit codes', () => {
    const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-e2e-'));
    const script = `set -e
TOKEN=$(node "$BIN" mint --secret "$SECRET" --sub asha --aud food-api)
node "$BIN" verify "$TOKEN" --secret "$SECRET" --aud food-api --json > ok.json
set +e
node "$BIN" verify "$TOKEN" --secret "$SECRET" --aud other-api --json > bad.json
echo "exit=$?"`;
    const result = spawnSync('bash', ['-c', script], { cwd: folder, encoding: 'utf8', env: { PATH: process.env.PATH, BIN: join(process.cwd(), 'dist/bin.js'), SECRET } });
    expect(result.stdout.trim()).toBe('exit=1');
    const ok = JSON.parse(spawnSync('cat', ['ok.json'], { cwd: folder, encoding: 'utf8' }).stdout);
    expect(Object.keys(ok)).toEqual(expect.arrayContaining(['valid', 'verdict', 'checks', 'header', 'payload', 'warnings']));
    expect(ok.valid).toBe(true);
    for (const check of ok.checks) expect(Object.keys(check)).toEqual(expect.arrayContaining(['name', 'ok', 'detail']));
    const bad = JSON.parse(spawnSync('cat', ['bad.json'], { cwd: folder, encoding: 'utf8' }).stdout);
    expect(bad.valid).toBe(false);
    expect(bad.verdict).toBe('invalid: this token is for another audience ("food-api", expected "other-api")');
  });

  test('human verify output marks each check with ✓, ✗ or – and ends with a verdict in words', () => {
    const token = runBin(['mint', '--secret', SECRET, '--aud', 'food-api']).stdout.trim();
    const result = runBin(['verify', token, '--secret', SECRET, '--aud', 'payments']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ {2}✓ signature +valid HS256 signature/m);
    expect(result.stdout).toMatch(/^ {2}✗ aud +"food-api", expected "payments"/m);
    expect(result.stdout).toMatch(/^ {2}– iss +not checked/m);
    expect(result.stdout).toContain('✗ INVALID this token is for another audience');
  });
});

describe('packaging and pipes', () => {
  test('a reader that closes early (| head -1) ends quietly', () => {
    const result = spawnSync('bash', ['-c', `set -o pipefail; node "${join(process.cwd(), 'dist/bin.js')}" --help | head -1`], { encoding: 'utf8' });
    expect(result.stdout).toBe('Usage: jwt-vs-oauth [options] [command]\n');
    expect(result.stderr).toBe('');
  });

  test('npm pack makes a tarball that runs with npx in an empty folder, with no tests inside', () => {
    const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-pack-'));
    const packed = spawnSync('npm', ['pack', '--pack-destination', folder, '--json', '--ignore-scripts'], { encoding: 'utf8' });
    expect(packed.status).toBe(0);
    const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: Array<{ path: string }> }];
    const paths = files.map((entry) => entry.path);
    expect(paths).toContain('dist/bin.js');
    expect(paths).toContain('dist/THIRD-PARTY-LICENSES.txt');
    expect(paths.filter((path) => path.startsWith('test/') || path.startsWith('src/'))).toEqual([]);
    // Exactly as a user would: the tarball in an empty folder, `npx ./jwt-vs-oauth-<version>.tgz --help`.
    const empty = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-npx-'));
    copyFileSync(join(folder, filename), join(empty, filename));
    const ran = spawnSync('npx', ['--yes', `./${filename}`, '--help'], { cwd: empty, encoding: 'utf8', env: { ...process.env, npm_config_cache: join(folder, 'npm-cache') } });
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain('Usage: jwt-vs-oauth [options] [command]');
    // The lessons ship in the tarball and are found from the installed bundle.
    const lessons = spawnSync('npx', ['--yes', `./${filename}`, 'tutorial', '--list', '--json'], { cwd: empty, encoding: 'utf8', env: { ...process.env, npm_config_cache: join(folder, 'npm-cache'), JWT_VS_OAUTH_HOME: join(folder, 'home') } });
    expect(lessons.status).toBe(0);
    expect(JSON.parse(lessons.stdout).lessons).toHaveLength(15);
  }, 120_000);

  test('npm start (the tutorial) without a terminal ends on its own with exit 0', () => {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-home-'));
    const result = spawnSync('npm', ['start', '--silent'], { encoding: 'utf8', input: '', timeout: 60_000, env: { ...process.env, JWT_VS_OAUTH_HOME: home } });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('The tutorial is interactive and needs a terminal. To read it instead: jwt-vs-oauth tutorial --plain');
  }, 90_000);
});

describe('help', () => {
  test('every command and subcommand has help with examples', async () => {
    const { buildProgram } = await import('../../src/cli/main.js');
    const { createContext } = await import('../../src/cli/context.js');
    const program = await buildProgram(createContext({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {} }, () => ({}), () => 0));
    const paths: string[][] = [];
    const walk = (command: typeof program, path: string[]) => {
      for (const sub of command.commands) {
        paths.push([...path, sub.name()]);
        walk(sub, [...path, sub.name()]);
      }
    };
    walk(program, []);
    expect(paths.length).toBeGreaterThanOrEqual(15);
    for (const path of paths) {
      const result = runBin([...path, '--help']);
      expect(result.code, path.join(' ')).toBe(0);
      expect(result.stdout, path.join(' ')).toContain('Examples:');
    }
  }, 60_000);
});
