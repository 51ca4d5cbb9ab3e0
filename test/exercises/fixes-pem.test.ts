// Issue #13's review, C: the issuer's PEM key in `exercises show flaw-two`, on a narrow terminal,
// is flowed to the width with no "\" marks (a PEM reader cannot decode a "\"; shorter base64
// lines it reads), its BEGIN and END lines whole. Copied from a 60-column screen into a file, it
// is the issuer's key: createPublicKey reads it, and `verify --key` gives the same verdict as
// with the file `show --material issuerKey > issuer.pem` saves.

import { createPublicKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { reflowPem } from '../../src/text/pem-layout.js';
import { BIN, runCli } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';

const hasTmux = tmuxAvailable();
if (!hasTmux) console.warn('Skipping the terminal PEM tests: tmux is not installed (.ci/run installs it).');

const SEED = 'pem-test';
const flawTwo = loadExercises(join(lessonsFolder(), 'exercises')).find((exercise) => exercise.id === 'flaw-two')!;
const material = materialFor(flawTwo, SEED);
const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-pem-'));
const home = join(folder, 'home');

/** The PEM block in printed text, from its BEGIN line to its END line, as a user would select it. */
function pemBlock(text: string): string {
  const match = /-----BEGIN PUBLIC KEY-----\n[\s\S]*?-----END PUBLIC KEY-----/.exec(text);
  expect(match, text).not.toBeNull();
  return `${match![0]}\n`;
}

/** `verify` as flaw-two's first hint runs it, with the key file given. */
function verifyWith(keyFile: string) {
  return runCli(['verify', material.token!, '--key', keyFile, '--aud', 'food-api', '--at', material.nowIso!]);
}

function expectTheIssuersKey(pem: string, width: number): void {
  const lines = pem.trimEnd().split('\n');
  expect(lines[0]).toBe('-----BEGIN PUBLIC KEY-----');
  expect(lines.at(-1)).toBe('-----END PUBLIC KEY-----');
  for (const line of lines) {
    expect(line.length, line).toBeLessThanOrEqual(width);
    expect(line).not.toContain('\\');
  }
  const exported = (text: string) => createPublicKey(text).export({ type: 'spki', format: 'der' }).toString('hex');
  expect(exported(pem)).toBe(exported(material.issuerKey!));
}

describe('the issuer\'s key in exercises show flaw-two', () => {
  test.each([40, 60])('at %i columns: flowed with no marks, read by createPublicKey, and verify --key with it gives the saved key\'s verdict', async (width) => {
    const shown = await runCli(['ex', '--seed', SEED, 'show', 'flaw-two'], { env: { JWT_VS_OAUTH_HOME: home, COLUMNS: String(width) } });
    expect(shown.code).toBe(0);
    const pasted = pemBlock(shown.stdout);
    expectTheIssuersKey(pasted, width);
    const pastedFile = join(folder, `pasted-${width}.pem`);
    writeFileSync(pastedFile, pasted);
    const savedFile = join(folder, 'saved.pem');
    writeFileSync(savedFile, (await runCli(['ex', '--seed', SEED, 'show', 'flaw-two', '--material', 'issuerKey'], { env: { JWT_VS_OAUTH_HOME: home } })).stdout);
    const [withPasted, withSaved] = [await verifyWith(pastedFile), await verifyWith(savedFile)];
    expect(withPasted.stderr).not.toMatch(/error:|cannot be read/);
    expect({ code: withPasted.code, stdout: withPasted.stdout.replaceAll(pastedFile, 'KEY') }).toEqual({ code: withSaved.code, stdout: withSaved.stdout.replaceAll(savedFile, 'KEY') });
    // The verdict is about the token, not the key file: the signature or the algorithm.
    expect(withPasted.code).toBe(1);
  });

  test('at 80 columns the key is shown exactly as the file holds it (64-character lines)', async () => {
    const shown = await runCli(['ex', '--seed', SEED, 'show', 'flaw-two'], { env: { JWT_VS_OAUTH_HOME: home, COLUMNS: '80' } });
    expect(pemBlock(shown.stdout)).toBe(material.issuerKey);
  });
});

describe('reflowPem', () => {
  const pem = material.issuerKey!;
  test('a block that fits, text without a block, and Infinity are unchanged', () => {
    expect(reflowPem(pem, 64)).toBe(pem);
    expect(reflowPem(pem, Infinity)).toBe(pem);
    expect(reflowPem('no key here, a long line '.repeat(5), 20)).toBe('no key here, a long line '.repeat(5));
  });

  test('an indented block keeps its indent, and header lines stay as they are', () => {
    const body = pem.split('\n').slice(1, -2);
    const indented = ['Key:', '  -----BEGIN PUBLIC KEY-----', '  Comment: ours', ...body.map((line) => `  ${line}`), '  -----END PUBLIC KEY-----', 'after'].join('\n');
    const lines = reflowPem(indented, 42).split('\n');
    expect(lines.slice(0, 3)).toEqual(['Key:', '  -----BEGIN PUBLIC KEY-----', '  Comment: ours']);
    expect(lines.slice(-2)).toEqual(['  -----END PUBLIC KEY-----', 'after']);
    for (const line of lines.slice(3, -2)) expect(line).toMatch(/^ {2}[A-Za-z0-9+/=]{1,40}$/);
    expect(lines.slice(3, -2).map((line) => line.trim()).join('')).toBe(body.join(''));
  });
});

describe.skipIf(!hasTmux)('on a 60-column terminal (tmux)', () => {
  let session: TerminalSession | undefined;
  afterEach(() => session?.close());

  test.each([
    ['exercises show flaw-two', 'show'],
    ['exercises show flaw-two --material issuerKey', 'show --material'],
  ])('%s: the key copied from the screen verifies as the saved one does', async (command, name) => {
    session = new TerminalSession(`node ${BIN} --no-color ${command.replace('exercises', `exercises --seed ${SEED}`)}`, { width: 60, height: 60, env: { JWT_VS_OAUTH_HOME: home } });
    expect(await session.exitCode()).toBe(0);
    const pasted = pemBlock(session.screen());
    expectTheIssuersKey(pasted, 60);
    const file = join(folder, `screen-${name.replace(/\W+/g, '-')}.pem`);
    writeFileSync(file, pasted);
    const result = await verifyWith(file);
    expect(result.stderr).not.toMatch(/error:|cannot be read/);
    expect(result.code).toBe(1);
  }, 30_000);
});
