// Where things live: the lessons folder shipped with the package, and the learner's progress file.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest folder above this file whose package.json is ours (src/ and dist/ alike). */
export function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'jwt-vs-oauth') return folder;
    folder = dirname(folder);
  }
  throw new Error('cannot find the jwt-vs-oauth package folder');
}

export function lessonsFolder(): string {
  return join(packageRoot(), 'lessons');
}

/** $JWT_VS_OAUTH_HOME, else $XDG_CONFIG_HOME/jwt-vs-oauth, else ~/.config/jwt-vs-oauth. */
export function homeFolder(env: NodeJS.ProcessEnv): string {
  if (env.JWT_VS_OAUTH_HOME) return env.JWT_VS_OAUTH_HOME;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'jwt-vs-oauth');
  return join(env.HOME || homedir(), '.config', 'jwt-vs-oauth');
}
