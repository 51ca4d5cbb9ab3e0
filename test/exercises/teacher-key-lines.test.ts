// A passphrase piped to teacher-key is one line, or two identical lines (the passphrase and its
// confirmation, as a terminal asks): never a multi-line secret nobody can type at --teacher.

import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { runBin } from '../helpers/cli.js';

function freshPack(): string {
  const pack = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-teacher-lines-'));
  const example = join(lessonsFolder(), 'example-pack');
  for (const file of readdirSync(example)) if (file !== 'pack.json') cpSync(join(example, file), join(pack, file));
  return pack;
}

test('two identical lines: the key is made for that one line, and --teacher opens with it', () => {
  const pack = freshPack();
  const made = runBin(['exercises', '--pack', pack, 'teacher-key', '--write'], { input: 'correct-horse-42x\ncorrect-horse-42x\n' });
  expect(made.code).toBe(0);
  const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-teacher-home-'));
  const opened = runBin(['exercises', '--pack', pack, 'solution', 'pack-read-issuer', '--teacher'], { env: { JWT_VS_OAUTH_HOME: home, JWT_VS_OAUTH_TEACHER_KEY: 'correct-horse-42x' } });
  expect(opened.code).toBe(0);
  expect(opened.stdout).toContain('Solution: Class pack: who issued it?');
});

test.each([
  ['two lines that differ', 'correct-horse-42x\ndifferent-one-42\n', 'error: The two passphrases differ; no key was made.'],
  ['three lines', 'correct-horse-42x\ncorrect-horse-42x\ncorrect-horse-42x\n', 'error: A teacher passphrase is one line without control characters'],
  ['a tab inside', 'correct\thorse-42x\n', 'error: A teacher passphrase is one line without control characters'],
])('%s: exit 2, no key made', (_name, input, message) => {
  const pack = freshPack();
  const result = runBin(['exercises', '--pack', pack, 'teacher-key', '--write'], { input });
  expect(result.code).toBe(2);
  expect(result.stderr.startsWith(message)).toBe(true);
  expect(readdirSync(pack)).not.toContain('pack.json');
});
