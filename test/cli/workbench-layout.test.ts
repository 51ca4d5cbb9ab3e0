// decode, verify and mint laid out to the width (issue #13): at 60, 80 and 120 columns no line is
// wider, no word is split (a long token or URL is broken only with a "\" mark), and the claim
// table, the checklist and the warnings keep their hanging indents.

import { describe, expect, test } from 'vitest';
import { base64url, rawToken, RFC7515_HS256_TOKEN, RFC_EXAMPLE_NOW, runCli } from '../helpers/cli.js';
import { displayWidth } from '../../src/text/layout.js';
import { continuationIndents, layoutProblems, misindentedRows } from '../helpers/layout-checks.js';

const NOW = 1_800_000_000;
const LONG_ISSUER = 'https://login.example-identity-provider.com/tenants/3f2a9c1e-very-long-tenant-name/oauth2/v2.0/authorize?prompt=consent&client_id=abc';

const TOKENS: Record<string, string> = {
  'long claims': rawToken({ alg: 'RS256', typ: 'JWT', kid: 'a-really-long-key-identifier-that-goes-on-and-on-2026-11' }, {
    iss: LONG_ISSUER,
    sub: 'user-1234567890-abcdefghijklmnopqrstuvwxyz',
    aud: ['https://api.example.com/orders', 'https://api.example.com/payments'],
    scope: 'openid profile email offline_access orders:read orders:write payments:read payments:refund',
    iat: NOW - 60,
    exp: NOW + 3600,
  }),
  'many claims': rawToken({ alg: 'HS256' }, Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`claim_${index}`, `value number ${index}`]))),
  'emoji and CJK values': rawToken({ alg: 'ES256' }, { name: 'Ａｓｈａ 🍕 美食家の山田太郎さんは東京都に住んでいます', nickname: '🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊', locale: 'ja-JP', exp: NOW - 10 }),
  'a JWE': `${base64url({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'encryption-key-1' })}.${'ZW5jcnlwdGVkLWtleQ'.repeat(8)}.aXYxMjM0NTY3ODkw.${'Y2lwaGVydGV4dA'.repeat(20)}.dGFnMTIzNDU2Nzg5MDEy`,
  'a 2 KB token': rawToken({ alg: 'none' }, { iss: LONG_ISSUER, blob: 'x'.repeat(1400), groups: Array.from({ length: 20 }, (_, index) => `group-${index}`) }, ''),
  'the RFC example': RFC7515_HS256_TOKEN,
};

const WIDTHS = [60, 80, 120];

describe('decode: every line fits the width, no word split', () => {
  for (const [name, token] of Object.entries(TOKENS)) {
    test.each(WIDTHS)(`${name} at COLUMNS=%i`, async (width) => {
      const wide = await runCli(['decode', token], { now: NOW });
      const narrow = await runCli(['decode', token], { now: NOW, env: { COLUMNS: String(width) } });
      expect(narrow.code).toBe(wide.code);
      expect(layoutProblems(narrow.stdout, wide.stdout, width)).toEqual([]);
      // The claims and the parts stay indented under their section.
      const lines = narrow.stdout.split('\n');
      const payloadAt = lines.findIndex((line) => line.startsWith('Payload') || line.startsWith('Content'));
      const endAt = lines.findIndex((line, index) => index > payloadAt && /^(Signature|Warnings|✓ No warnings)/.test(line));
      for (const line of lines.slice(payloadAt + 1, endAt)) if (line.trim()) expect(line, line).toMatch(/^ {2}/);
    });
  }

  test('at 80 columns the claim table keeps its hanging indent: a meaning that wraps continues under the meaning', async () => {
    const result = await runCli(['decode', TOKENS['long claims']!], { now: NOW, env: { COLUMNS: '80' } });
    const lines = result.stdout.split('\n');
    const scopeAt = lines.findIndex((line) => /^ {2}scope /.test(line));
    expect(scopeAt).toBeGreaterThan(0);
    const meaningColumn = lines[scopeAt]!.indexOf('Scope:');
    expect(meaningColumn).toBeGreaterThan(10);
    // iat's time in words sits under the meanings too.
    const iatAt = lines.findIndex((line) => /^ {2}iat /.test(line));
    expect(lines[iatAt + 1]!.indexOf('20')).toBe(meaningColumn);
    const rows = continuationIndents(lines.slice(lines.findIndex((line) => line.startsWith('Payload'))), (line) => /^ {2}\S/.test(line), (line) => /^\S/.test(line));
    expect(rows.length).toBeGreaterThan(0);
    expect(misindentedRows(rows)).toEqual([]);
  });

  test('warnings keep a hanging indent after their code', async () => {
    const result = await runCli(['decode', TOKENS['a 2 KB token']!], { now: NOW, env: { COLUMNS: '60' } });
    const lines = result.stdout.split('\n');
    const from = lines.findIndex((line) => line.startsWith('Warnings'));
    const to = lines.findIndex((line, index) => index > from && line === '');
    const warningLines = lines.slice(from + 1, to);
    expect(warningLines.length).toBeGreaterThan(2);
    const rows = continuationIndents(warningLines, (line) => /^ {2}! /.test(line), () => false);
    expect(rows.length).toBeGreaterThan(0);
    expect(misindentedRows(rows)).toEqual([]);
  });

  test('the verify hint is laid out as a command: its lines end in " \\" and a placeholder stays whole', async () => {
    const result = await runCli(['decode', RFC7515_HS256_TOKEN], { now: RFC_EXAMPLE_NOW, env: { COLUMNS: '50' } });
    const lines = result.stdout.split('\n');
    const hint = lines.slice(lines.findIndex((line) => line.includes('jwt-vs-oauth verify')));
    expect(hint.length).toBeGreaterThan(1);
    expect(hint[0]).toMatch(/ \\$/);
    expect(hint.join('\n').replace(/ \\\n\s*/g, ' ').trim()).toBe('jwt-vs-oauth verify "$TOKEN" --secret <the shared secret> --alg HS256');
  });

  test('a pipe without COLUMNS keeps every line whole (for grep)', async () => {
    const result = await runCli(['decode', TOKENS['long claims']!], { now: NOW });
    expect(result.stdout).toContain('Scope: what the client may do');
    expect(result.stdout.split('\n').some((line) => displayWidth(line) > 120)).toBe(true);
  });
});

describe('verify: the checklist, verdict and warnings fit the width', () => {
  test.each(WIDTHS)('a failing check with a long issuer at COLUMNS=%i', async (width) => {
    const argv = ['verify', TOKENS['long claims']!, '--secret', 'hunter2', '--iss', `${LONG_ISSUER}&other=1`, '--aud', 'https://api.example.com/other-service'];
    const wide = await runCli(argv, { now: NOW });
    const narrow = await runCli(argv, { now: NOW, env: { COLUMNS: String(width) } });
    expect(narrow.code).toBe(wide.code);
    expect(layoutProblems(narrow.stdout, wide.stdout, width)).toEqual([]);
    // stderr (the key's warnings) is laid out to stderr's width.
    expect(layoutProblems(narrow.stderr, wide.stderr, width)).toEqual([]);
    const lines = narrow.stdout.split('\n');
    const rows = continuationIndents(lines, (line) => /^ {2}[✓✗–] /.test(line), (line) => line === '');
    if (width < 120) expect(rows.length).toBeGreaterThan(0);
    expect(misindentedRows(rows)).toEqual([]);
  });

  test('a wrong secret at 60: the verdict wraps under its words', async () => {
    const result = await runCli(['verify', RFC7515_HS256_TOKEN, '--secret', 'x'.repeat(32), '--alg', 'HS256'], { now: RFC_EXAMPLE_NOW, env: { COLUMNS: '60' } });
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(60);
    const verdictAt = lines.findIndex((line) => line.startsWith('✗ INVALID '));
    expect(lines.length - verdictAt).toBeGreaterThan(1);
    const warningsAt = lines.findIndex((line) => line.startsWith('  ! '));
    const verdict = lines.slice(verdictAt + 1, warningsAt > verdictAt ? warningsAt : undefined).filter((line) => line.trim());
    expect(verdict.length).toBeGreaterThan(0);
    for (const line of verdict) expect(line, line).toMatch(/^ {10}\S/);
  });
});

describe('mint: what it says on stderr fits stderr', () => {
  test.each([60, 80])('a short secret and a saved key at COLUMNS=%i', async (width) => {
    const wide = await runCli(['mint', '--secret', 'short', '--sub', 'asha'], { now: NOW });
    const narrow = await runCli(['mint', '--secret', 'short', '--sub', 'asha'], { now: NOW, env: { COLUMNS: String(width) } });
    expect(narrow.code).toBe(0);
    expect(layoutProblems(narrow.stderr, wide.stderr, width)).toEqual([]);
    expect(narrow.stderr.split('\n').filter((line) => line.trim()).length).toBeGreaterThan(1);
    // stdout is the token alone, never broken off a terminal, whatever COLUMNS says.
    expect(narrow.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });
});
