// flaw-two (issue #11, item 3): the issuer signs with RS256 and its public key is in the task, so
// key confusion is a real attack a learner can find with `verify --key`; a tampered token stays
// findable (its signature fails with the right key). The old premise, an HS256 issuer with a
// key-confusion flaw, is refused when a pack file says it.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importSPKI, jwtVerify } from 'jose';
import { describe, expect, test } from 'vitest';
import { loadExercises } from '../../src/lessons/exercises.js';
import { generateMaterial } from '../../src/lessons/material.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { runCli } from '../helpers/cli.js';

const POOL = ['tampered', 'key-confusion'];
const temporary = (prefix: string) => mkdtempSync(join(tmpdir(), `jwt-vs-oauth-${prefix}-`));
const home = () => ({ JWT_VS_OAUTH_HOME: temporary('home') });

/** A learner seed whose flaw-two material has this flaw. */
function seedWith(flaw: string): string {
  for (let index = 0; ; index++) {
    if (generateMaterial('flawed-token-rs256', `seed-${index}`, 'flaw-two', POOL).flaw === flaw) return `seed-${index}`;
  }
}

/** The issuer's key as a learner saves it: `exercises show flaw-two --material issuerKey > issuer.pem`. */
async function saveIssuerKey(seed: string, env: NodeJS.ProcessEnv): Promise<string> {
  const shown = await runCli(['ex', '--seed', seed, 'show', 'flaw-two', '--material', 'issuerKey'], { env });
  expect(shown.code).toBe(0);
  const file = join(temporary('key'), 'issuer.pem');
  writeFileSync(file, shown.stdout);
  return file;
}

const verifyJson = async (token: string, keyFile: string, nowIso: string) => {
  const result = await runCli(['verify', token, '--key', keyFile, '--aud', 'food-api', '--at', nowIso, '--json']);
  const checks = Object.fromEntries((JSON.parse(result.stdout).checks as Array<{ name: string; ok: boolean | null; code?: string }>).map((check) => [check.name, check]));
  return { code: result.code, valid: JSON.parse(result.stdout).valid as boolean, checks };
};

describe('flaw-two: an RS256 issuer whose public key the task gives', () => {
  test('the task shows the public key and no longer says the issuer signs with HS256; show --material prints the key alone', async () => {
    const env = home();
    const seed = seedWith('key-confusion');
    const shown = await runCli(['ex', '--seed', seed, 'show', 'flaw-two'], { env });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('signs every token with RS256');
    expect(shown.stdout).toContain('jwt-vs-oauth exercises show flaw-two --material issuerKey > issuer.pem');
    expect(shown.stdout).toMatch(/-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----/);
    expect(shown.stdout).not.toContain('HS256 and the secret');
    const key = await runCli(['ex', '--seed', seed, 'show', 'flaw-two', '--material', 'issuerKey'], { env });
    expect(key.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----\n$/);
    await expect(importSPKI(key.stdout, 'RS256')).resolves.toBeDefined();
    const json = await runCli(['ex', '--seed', seed, 'show', 'flaw-two', '--material', 'issuerKey', '--json'], { env });
    expect(JSON.parse(json.stdout)).toEqual({ id: 'flaw-two', name: 'issuerKey', value: key.stdout });
  });

  test('key-confusion: an HS256 token whose HMAC secret is the bytes of issuer.pem; jose accepts it with that secret, verify --key refuses it', async () => {
    const seed = seedWith('key-confusion');
    const material = generateMaterial('flawed-token-rs256', seed, 'flaw-two', POOL);
    const keyFile = await saveIssuerKey(seed, home());
    // A naive verifier: the token says HS256, so the key file's bytes become the HMAC secret.
    const naive = await jwtVerify(material.token!, readFileSync(keyFile), { algorithms: ['HS256'], currentDate: new Date(Number(material.now) * 1000) });
    expect(naive.protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'swaad-2031' });
    expect(naive.payload).toMatchObject({ iss: 'https://auth.swaad.example', aud: 'food-api' });
    // The workbench pins the algorithm to the key: an RSA public key allows no HS256.
    const verified = await verifyJson(material.token!, keyFile, material.nowIso!);
    expect(verified.code).toBe(1);
    expect(verified.valid).toBe(false);
    expect(verified.checks.algorithm).toMatchObject({ ok: false, code: 'ERR_JOSE_ALG_NOT_ALLOWED' });
  });

  test('tampered: an RS256 token whose signature fails with the issuer key; a genuine token from the same issuer verifies', async () => {
    const seed = seedWith('tampered');
    const material = generateMaterial('flawed-token-rs256', seed, 'flaw-two', POOL);
    const keyFile = await saveIssuerKey(seed, home());
    const tampered = await verifyJson(material.token!, keyFile, material.nowIso!);
    expect(tampered.code).toBe(1);
    expect(tampered.checks.algorithm).toMatchObject({ ok: true });
    expect(tampered.checks.signature).toMatchObject({ ok: false, code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    // The issuer's genuine tokens are signed with its private key: an expired one fails only on exp.
    const genuine = generateMaterial('flawed-token-rs256', seed, 'flaw-two', ['expired']);
    const checked = await verifyJson(genuine.token!, keyFile, genuine.nowIso!);
    expect(checked.checks.signature).toMatchObject({ ok: true });
    expect(checked.checks.exp).toMatchObject({ ok: false });
  });

  test('the first hint\'s command runs as shown and names key confusion', async () => {
    const env = home();
    const seed = seedWith('key-confusion');
    const hint = (await runCli(['ex', '--seed', seed, 'hint', 'flaw-two'], { env })).stdout;
    const command = /jwt-vs-oauth (verify \S+ --key issuer\.pem --alg RS256 --aud food-api --at \S+)/.exec(hint)![1]!;
    const keyFile = await saveIssuerKey(seed, env);
    const result = await runCli(command.replace('issuer.pem', keyFile).split(' '));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ algorithm {2}key confusion: the token asks for HS256/);
  });

  test.each([['key-confusion', 'tampered'], ['tampered', 'key-confusion']])('the check: %s passes, %s fails', async (flaw, wrong) => {
    const env = home();
    const seed = seedWith(flaw);
    expect((await runCli(['ex', '--seed', seed, 'check', 'flaw-two', wrong], { env })).code).toBe(1);
    expect((await runCli(['ex', '--seed', seed, 'check', 'flaw-two', flaw], { env })).code).toBe(0);
  });

  test('show --material refuses a name the task does not show (the answer is one), with exit 2', async () => {
    const result = await runCli(['ex', 'show', 'flaw-two', '--material', 'flaw'], { env: home() });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'error: flaw-two\'s task shows no material called "flaw".\nIt shows: nowIso, token, issuerKey. Example: jwt-vs-oauth exercises show flaw-two --material issuerKey\n' });
    const none = await runCli(['ex', 'show', 'choose-own-api', '--material', 'token'], { env: home() });
    expect(none).toEqual({ code: 2, stdout: '', stderr: 'error: choose-own-api\'s task shows no material called "token".\nchoose-own-api has no material of its own.\n' });
  });
});

describe('the old premise is refused: key confusion needs an issuer with a public key', () => {
  test('a pack with flawed-token (an HS256 issuer) and key-confusion in the pool: exit 2 saying why', async () => {
    const old = JSON.parse(readFileSync(join(lessonsFolder(), 'exercises', '08-flaw-two.json'), 'utf8'));
    const pack = temporary('pack');
    writeFileSync(join(pack, '01-old-flaw-two.json'), JSON.stringify({ ...old, id: 'old-flaw-two', task: ['{{token}}', 'tampered or key-confusion?'], hints: ['decode it'], solution: { explain: ['e'], answers: ['{{flaw}}'] }, material: { kind: 'flawed-token', pool: POOL } }));
    const result = await runCli(['ex', '--pack', pack, 'list'], { env: home() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: ${join(pack, '01-old-flaw-two.json')}: "material.pool": key-confusion does not fit: key confusion needs an issuer with a public key (RFC 8725 §2.1), and a flawed-token issuer signs with an HMAC secret: use "kind": "flawed-token-rs256"\n`);
  });

  test('the built-in flaw-two uses the RS256 issuer', () => {
    const flawTwo = loadExercises(join(lessonsFolder(), 'exercises')).find((exercise) => exercise.id === 'flaw-two')!;
    expect(flawTwo.material).toEqual({ kind: 'flawed-token-rs256', pool: POOL });
  });
});
