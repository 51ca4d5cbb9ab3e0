// decode's closing verify command, on a narrow screen and in colour: pasted into a shell as it is
// shown, it is the same command, every character of a long --discover URL kept.

import { expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const ISSUER = 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0';
const TOKEN = `${b64({ alg: 'RS256' })}.${b64({ sub: 'a', iss: ISSUER })}.c2ln`;

test.each([40, 60])('at %i columns, with colour, the verify command pastes back whole', async (columns) => {
  const result = await runCli(['decode', TOKEN], { env: { COLUMNS: String(columns), FORCE_COLOR: '1' } });
  const plain = result.stdout.replace(/\x1b\[[0-9;]*m/g, '');
  const start = plain.lastIndexOf('jwt-vs-oauth verify');
  // What a shell does: backslash-newline removed, then words split at spaces.
  const pasted = plain.slice(start).split('\n\n')[0]!.replace(/\\\n/g, '').split(/\s+/).filter(Boolean);
  expect(pasted.slice(0, 6)).toEqual(['jwt-vs-oauth', 'verify', '"$TOKEN"', '--discover', ISSUER, '--alg']);
});
