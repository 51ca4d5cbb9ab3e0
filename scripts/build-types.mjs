// Writes dist/types/: the declarations of the library entry (`jwt-vs-oauth/provider`), so a test
// suite that imports Mock Google gets types. Runs before `npm pack` (prepack), not on every build.
// The declarations may name no package the tarball does not bring: jose is bundled into the
// JavaScript, so its one type that leaks through (JWTPayload) is written out here.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const types = join(root, 'dist', 'types');
rmSync(types, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'scripts', 'tsconfig.types.json')], { stdio: 'inherit' });

const JOSE_PAYLOAD = "import type { JWTPayload } from 'jose';";
const OWN_PAYLOAD = '/** The claims of a verified JWT (the shape of jose\'s JWTPayload). */\ntype JWTPayload = { iss?: string; sub?: string; aud?: string | string[]; jti?: string; nbf?: number; exp?: number; iat?: number; [claim: string]: unknown };';
for (const entry of readdirSync(types, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
  const path = join(entry.parentPath ?? entry.path, entry.name);
  const text = readFileSync(path, 'utf8');
  const rewritten = text.replace(JOSE_PAYLOAD, OWN_PAYLOAD);
  const outside = /from '(?!node:|\.)([^']+)'/.exec(rewritten);
  if (outside) throw new Error(`${path} imports the package "${outside[1]}", which the tarball does not bring.`);
  if (rewritten !== text) writeFileSync(path, rewritten);
}
