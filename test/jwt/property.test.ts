// Property tests: whatever a user pastes, decode and verify end with a documented exit code and
// a plain error, never a crash or a stack trace.

import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { base64url, RFC7515_HS256_TOKEN, runCli } from '../helpers/cli.js';

const NOW = 1_800_000_000;
const SECRET = 'p'.repeat(32);

function expectDocumentedOutcome(result: { code: number; stdout: string; stderr: string }, allowed: number[]) {
  expect(allowed).toContain(result.code);
  expect(result.stderr).not.toContain('something unexpected');
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  if (result.code === 2) expect(result.stderr).toMatch(/^error: /);
}

/** Real tokens with one change: a character swapped, a segment dropped or duplicated, a slice cut. */
const mutatedToken = fc
  .tuple(fc.nat(RFC7515_HS256_TOKEN.length - 1), fc.constantFrom('A', '.', '=', '-', '_', '+', ' ', '\u0000', 'é', ''), fc.constantFrom('replace', 'insert', 'truncate', 'dup-segment'))
  .map(([position, character, how]) => {
    const token = RFC7515_HS256_TOKEN;
    if (how === 'replace') return token.slice(0, position) + character + token.slice(position + 1);
    if (how === 'insert') return token.slice(0, position) + character + token.slice(position);
    if (how === 'truncate') return token.slice(0, position);
    const parts = token.split('.');
    return [...parts, parts[position % 3]].join('.');
  });

const tokenLike = fc
  .array(fc.oneof(fc.base64String(), fc.string(), fc.json().map((json) => Buffer.from(json).toString('base64url'))), { minLength: 1, maxLength: 6 })
  .map((segments) => segments.join('.'));

describe('property: never a crash', () => {
  test('decode with arbitrary strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), tokenLike), async (input) => {
        const result = await runCli(['decode', '--json', '-'], { stdin: input, now: NOW });
        expectDocumentedOutcome(result, [0, 2]);
        if (result.code === 0) expect(['JWT', 'JWS', 'JWE']).toContain(JSON.parse(result.stdout).type);
      }),
      { numRuns: 300 },
    );
  });

  test('decode and verify with mutated real tokens', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedToken, async (token) => {
        expectDocumentedOutcome(await runCli(['decode', '-'], { stdin: token, now: NOW }), [0, 2]);
        const verified = await runCli(['verify', '-', '--secret', SECRET, '--json'], { stdin: token, now: NOW });
        expectDocumentedOutcome(verified, [1, 2]);
        if (verified.code === 1) expect(JSON.parse(verified.stdout).valid).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  test('verify with arbitrary strings and key files of any content', async () => {
    await fc.assert(
      fc.asyncProperty(tokenLike, fc.string(), async (token, secret) => {
        // --secret=<value>: an arbitrary value may start with "-" (even "-V", which as a separate
        // word commander would read as --version); the = form is how a user passes such a secret.
        expectDocumentedOutcome(await runCli(['verify', '-', `--secret=${secret || 'x'}`], { stdin: token || 'x', now: NOW }), [1, 2]);
      }),
      { numRuns: 200 },
    );
  });
});

/** Every character terminalSafe escapes, except the newline that separates our own lines. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]/;
const NO_COLOUR = { NO_COLOR: '1' };

function expectTerminalSafe(result: { stdout: string; stderr: string }) {
  expect(result.stdout).not.toMatch(RAW_CONTROL);
  expect(result.stderr).not.toMatch(RAW_CONTROL);
}

/** Strings of any code units: control characters, bidi overrides, lone surrogates. */
const hostileText = fc.string({ unit: 'binary', maxLength: 12 });
const hostileJson = fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 });
const hostileObject = fc.dictionary(hostileText, hostileJson, { maxKeys: 6 });

/** An HS256-signed token with any header entries and any payload; signed with SECRET or another key. */
const hostileToken = fc
  .tuple(hostileObject, fc.oneof(fc.constant('HS256'), hostileText), fc.oneof(hostileObject, hostileJson), fc.boolean())
  .map(([extraHeader, alg, payload, rightKey]) => {
    const header = { ...extraHeader, alg };
    const input = `${base64url(header)}.${base64url(payload)}`;
    return `${input}.${createHmac('sha256', rightKey ? SECRET : 'another key').update(input).digest('base64url')}`;
  });

describe('property: whatever a token holds, the human views print no raw control character', () => {
  test('decode of arbitrary strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary' }), tokenLike), async (input) => {
        const result = await runCli(['decode', '-'], { stdin: input, now: NOW, env: NO_COLOUR });
        expectDocumentedOutcome(result, [0, 2]);
        expectTerminalSafe(result);
      }),
      { numRuns: 200 },
    );
  });

  test('decode and verify of tokens with hostile headers and payloads', async () => {
    await fc.assert(
      fc.asyncProperty(hostileToken, async (token) => {
        const decoded = await runCli(['decode', token], { now: NOW, env: NO_COLOUR });
        expectDocumentedOutcome(decoded, [0, 2]);
        expectTerminalSafe(decoded);
        const verified = await runCli(['verify', token, '--secret', SECRET, '--iss', 'https://issuer.example', '--require', 'sub'], { now: NOW, env: NO_COLOUR });
        expectDocumentedOutcome(verified, [0, 1, 2]);
        expectTerminalSafe(verified);
        if (verified.code !== 2) expect(verified.stdout.trimEnd().split('\n').filter((line) => /^[✓✗] (VALID|INVALID)/.test(line))).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });
});

test('a secret that looks like a flag is passed with --secret=…', async () => {
  const result = await runCli(['verify', '-', '--secret=-V'], { stdin: RFC7515_HS256_TOKEN, now: NOW });
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('INVALID');
});
