// A PEM key copied from a narrow screen can keep a "\" break mark or an indent on a line: the
// error names the line and what is wrong with it, instead of OpenSSL's decoder code.

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readKeyFile } from '../../src/jwt/keys.js';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-pem-'));

function keyFileWith(line3: (line: string) => string): string {
  const lines = pem.split('\n');
  lines[2] = line3(lines[2]!);
  const path = join(folder, `${Math.random().toString(36).slice(2)}.pem`);
  writeFileSync(path, lines.join('\n'));
  return path;
}

test.each([
  ['a "\\" at its end', (line: string) => `${line.slice(0, 20)}\\`],
  ['a space', (line: string) => `  ${line}`],
])('a line holding %s is named, with what to do', async (what, change) => {
  const path = keyFileWith(change);
  await expect(readKeyFile(path)).rejects.toThrow(`${path}: line 3 of the PEM key holds ${what} (only base64 belongs between its BEGIN and END lines), so it cannot be read.`);
});

test('a key whose base64 is in shorter lines (re-flowed to a narrow screen) reads', async () => {
  const [begin, ...rest] = pem.trim().split('\n');
  const end = rest.pop()!;
  const reflowed = [begin, ...rest.join('').match(/.{1,30}/g)!, end].join('\n');
  const path = join(folder, 'reflowed.pem');
  writeFileSync(path, reflowed);
  expect(await readKeyFile(path)).toHaveLength(1);
});
