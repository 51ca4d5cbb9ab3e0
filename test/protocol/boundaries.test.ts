// The import rule of ../shared/STYLE.md, read from the sources: CLI → lessons → oauth → provider
// → jwt, no arrow back up; the neutral modules (src/text, src/protocol) import none of those
// parts; and the client (src/oauth) does not borrow the provider's code, only starts it.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
const LAYERS = ['jwt', 'provider', 'oauth', 'lessons', 'cli'];
const NEUTRAL = ['text', 'protocol'];
/** What the client may take from the provider: the world starts Mock Google, and the attacks sign its demo user in. */
const CLIENT_MAY_USE = ['provider/server.ts', 'provider/directory.ts'];

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(join(folder, entry.name)) : entry.name.endsWith('.ts') ? [join(folder, entry.name)] : []));
}

/** Every relative import of a file, static or dynamic, as a path under src/ ("provider/pages.ts"). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => relative(SRC, normalize(join(dirname(file), match[1]!))).replace(/\.js$/, '.ts'));
}

const FILES = sources(SRC).map((file) => ({ path: relative(SRC, file), imports: importsOf(file) }));
const partOf = (path: string) => path.split('/')[0]!;

describe('imports follow the layers', () => {
  test('no part imports a part above it', () => {
    const upward = FILES.flatMap(({ path, imports }) => imports
      .filter((target) => LAYERS.includes(partOf(path)) && LAYERS.indexOf(partOf(target)) > LAYERS.indexOf(partOf(path)))
      .map((target) => `${path} → ${target}`));
    expect(upward).toEqual([]);
  });

  test('src/text and src/protocol import none of the parts', () => {
    const found = FILES.filter(({ path }) => NEUTRAL.includes(partOf(path))).flatMap(({ path, imports }) => imports.filter((target) => LAYERS.includes(partOf(target))).map((target) => `${path} → ${target}`));
    expect(FILES.some(({ path }) => path === 'protocol/pkce.ts')).toBe(true);
    expect(found).toEqual([]);
  });

  test('the client (src/oauth) takes nothing from the provider but starting it and its demo users', () => {
    const borrowed = FILES.filter(({ path }) => partOf(path) === 'oauth').flatMap(({ path, imports }) => imports.filter((target) => partOf(target) === 'provider' && !CLIENT_MAY_USE.includes(target)).map((target) => `${path} → ${target}`));
    expect(borrowed).toEqual([]);
  });
});

describe('each protocol helper has one home', () => {
  const text = (path: string) => readFileSync(join(SRC, path), 'utf8');
  const where = (pattern: RegExp) => FILES.filter(({ path }) => pattern.test(text(path))).map(({ path }) => path);

  test.each([
    ['S256 of a verifier', /createHash\(\s*'sha256'\s*\)\.update\(\s*[\w.]*verifier\b/i, ['protocol/pkce.ts']],
    ['the escapeHtml function', /function escapeHtml\b/, ['text/html.ts']],
    ['the isLoopbackHost function', /function isLoopbackHost\b/, ['protocol/loopback.ts']],
    ['an authorization request\'s code_challenge_method', /['"]?code_challenge_method['"]?\s*[:,]\s*'S256'/, ['oauth/client-protocol.ts']],
    ['tokens parsed from a recorded exchange', /JSON\.parse\([\w.!()', -]*exchange[\w.!()', -]*\.response\.body\)/i, ['oauth/client-protocol.ts']],
  ])('%s', (_name, pattern, homes) => {
    expect(where(pattern)).toEqual(homes);
  });
});
