// verify's text at narrow widths and its JWE refusal:
// - the checklist is a table to read: a kid too wide for its column goes on its own line under the
//   column, shortened in the middle with "…", never broken with "\" and its rest put at column 0;
// - a number stays with its unit: "clock tolerance 0 s" never ends a line with "0" and starts the
//   next with "s)";
// - a JWE's refusal names the key that decrypts it by its alg's family: a shared key for dir and
//   AES key wrap, a password for PBES2, the recipient's private key for RSA and ECDH.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { base64url, runCli } from '../helpers/cli.js';
import { displayWidth } from '../../src/text/layout.js';

const NOW = 1_800_000_000;

/** An ES256 token whose kid is its key's 43-character thumbprint, and a JWK Set file holding the key. */
async function tokenWithLongKid(): Promise<{ token: string; keyFile: string; kid: string }> {
  const { generateKeyPair, exportJWK, SignJWT, calculateJwkThumbprint } = await import('jose');
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const keyFile = join(mkdtempSync(join(tmpdir(), 'verify-units-')), 'set.json');
  writeFileSync(keyFile, JSON.stringify({ keys: [{ ...jwk, kid, alg: 'ES256' }] }));
  const token = await new SignJWT({ sub: 'asha', iat: NOW, exp: NOW + 600 }).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid }).sign(privateKey);
  return { token, keyFile, kid };
}

describe('verify laid out', () => {
  test.each([40, 50, 60])('%i columns: the kid stays in the checklist\'s column (shortened in the middle when it is wider), no "\\" break', async (width) => {
    const { token, keyFile, kid } = await tokenWithLongKid();
    const result = await runCli(['verify', token, '--key', keyFile], { env: { COLUMNS: String(width) }, now: NOW });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.filter((line) => line.endsWith('\\'))).toEqual([]);
    expect(lines.filter((line) => displayWidth(line) > width)).toEqual([]);
    // Every line of the checklist and verdict but the title is indented or a verdict/blank line.
    expect(lines.filter((line) => /^\S/.test(line) && !/^(Verifying|✓ VALID|✗ INVALID)/.test(line))).toEqual([]);
    const kidLine = lines.find((line) => line.includes(`"${kid.slice(0, 8)}`))!;
    expect(kidLine, result.stdout).toBeDefined();
    // Too wide for the column below 60 columns: shortened; at 60 it fits its own line whole.
    expect(kidLine).toMatch(width < 60 ? /^ {4,}"[\w-]+…[\w-]+"$/ : new RegExp(`^ {4,}"${kid}"$`));
    expect(kidLine.trim().endsWith(`${kid.slice(-6)}"`)).toBe(true);
  });

  test('--json keeps the whole kid', async () => {
    const { token, keyFile, kid } = await tokenWithLongKid();
    const result = await runCli(['verify', token, '--key', keyFile, '--json'], { env: { COLUMNS: '40' }, now: NOW });
    expect(JSON.parse(result.stdout).checks.find((check: { name: string }) => check.name === 'key').detail).toContain(`kid "${kid}"`);
  });

  test.each([40, 50, 60])('%i columns with --at: "clock tolerance 0 s" keeps its number with its unit', async (width) => {
    const { token, keyFile } = await tokenWithLongKid();
    const result = await runCli(['verify', token, '--key', keyFile, '--at', '2031-02-05T00:00:00Z'], { env: { COLUMNS: String(width) }, now: NOW });
    const heading = result.stdout.slice(0, result.stdout.indexOf('\n\n'));
    expect(heading.replace(/\n +/g, ' ')).toContain('(time: 2031-02-05T00:00:00Z from --at, clock tolerance 0 s)');
    expect(heading).not.toMatch(/\d\n\s*s\)/);
    // The layout holds them with a no-break space; what is printed is an ordinary one.
    expect(result.stdout).not.toContain('\u00a0');
    expect(heading).toMatch(/^ {2}.*0 s\)$/m);
  });
});

describe('verify of a JWE says which key decrypts it, by its alg', () => {
  const jwe = (alg: string) => `${base64url({ alg, enc: 'A256GCM' })}.ZW5jcnlwdGVkLWtleQ.aXYxMjM0NTY3ODkw.Y2lwaGVydGV4dA.dGFnMTIzNDU2Nzg5MDEy`;

  test.each([
    ['dir', 'the shared key (alg dir'],
    ['A128KW', 'the shared key (alg A128KW'],
    ['A256GCMKW', 'the shared key (alg A256GCMKW'],
    ['PBES2-HS256+A128KW', 'the shared password (alg PBES2-HS256+A128KW'],
    ['RSA-OAEP-256', "the recipient's private key (alg RSA-OAEP-256)"],
    ['ECDH-ES+A256KW', "the recipient's private key (alg ECDH-ES+A256KW)"],
  ])('alg %s: "Decrypting needs %s…"', async (alg, needs) => {
    const result = await runCli(['verify', jwe(alg), '--secret', 'x'.repeat(32)]);
    expect(result.code).toBe(2);
    expect(result.stderr.replace(/\n\s*/g, ' ')).toContain(`Decrypting needs ${needs}`);
    if (needs.startsWith('the shared')) expect(result.stderr).not.toContain('private key');
  });
});
