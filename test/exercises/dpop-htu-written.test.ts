// The dpop-proof check's htu line refuses what a server refuses (RFC 9449 §4.3 point 9): an htu
// a browser would read as the task's URL but that is not an http(s) URI as RFC 3986 writes one.

import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCheck } from '../../src/lessons/checks.js';
import { findExercise, loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { base64url } from '../helpers/cli.js';

const exercise = findExercise(loadExercises(join(lessonsFolder(), 'exercises')), 'dpop-proof-by-hand');
const material = materialFor(exercise, 'dpop-htu-written-seed');
const NOW = Math.floor(Date.now() / 1000);
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: createPublicKey(privateKey).export({ format: 'jwk' }) };

/** The failing lines of the check for a proof with this htu, as [label, got, why]. */
async function failingFor(htu: string) {
  const input = `${base64url(header)}.${base64url({ jti: 'f1d2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b', htm: 'POST', htu, iat: NOW })}`;
  const proof = `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  const result = await runCheck(exercise, [proof], { material, now: NOW });
  expect(result.passed).toBe(false);
  return result.lines.filter((line) => !line.ok).map((line) => [line.label, line.got, line.why]);
}

describe('an htu that is not written as a URI fails on the htu line, in words', () => {
  const url = material.url!;
  const host = new URL(url).host;
  const path = new URL(url).pathname;
  test.each([
    ['backslashes for slashes', `https:\\\\${host}${path.replace(/\//g, '\\')}`, /it has a backslash \(\\\), and a URL is written with forward slashes/],
    ['a tab inside', `${url.slice(0, 10)}\t${url.slice(10)}`, /it holds a space, a tab or another control character/],
    ['no "//" after the scheme', url.replace('https://', 'https:'), /it does not start with http:\/\/ or https:\/\/ and then the host/],
    ['a bare "%"', `${url}%zz`, /a % not followed by two hex digits/],
  ])('%s', async (_name, htu, what) => {
    const lines = await failingFor(htu);
    expect(lines).toEqual([['htu', htu, expect.stringMatching(what)]]);
    expect(lines[0]![2]).toMatch(/^the proof's htu is not written as a URL \(RFC 3986\): .*a server refuses the proof \(§4\.3 point 9\); copy the task's URL exactly into --htu$/);
  });

  test('the task\'s URL as written still passes', async () => {
    const input = `${base64url(header)}.${base64url({ jti: 'a1', htm: 'POST', htu: material.url, iat: NOW })}`;
    const proof = `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    expect((await runCheck(exercise, [proof], { material, now: NOW })).passed).toBe(true);
  });
});
