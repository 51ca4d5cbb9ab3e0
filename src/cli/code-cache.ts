// Start-up: V8's code cache for the bundle's own files. Node 22 has module.enableCompileCache();
// Node 20 has not, so this does the same for dist/'s CommonJS files: after a file first runs, the
// code V8 compiled for it is saved in the user's cache folder, and given back to V8 on later runs,
// which then skips parsing and compiling (about 10 ms of decode's 25 over bare node; bench/).
// V8 checks a cache against the source and its own version and flags, and ignores one that does
// not fit. The folder is the user's own (0700, and not used when anyone else could write to it):
// compiled code is code. JWT_VS_OAUTH_NO_CODE_CACHE=1 or NODE_DISABLE_COMPILE_CACHE=1 turn it off.

import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

interface CompilingModule {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}

/** Where compiled code is kept for this Node version, or undefined when it may not be used. */
export function codeCacheFolder(env: NodeJS.ProcessEnv): string | undefined {
  if (env.JWT_VS_OAUTH_NO_CODE_CACHE || env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'jwt-vs-oauth', 'code-cache', `${process.version}-${process.arch}`);
}

/** True when `folder` exists, is ours and only we can write to it. */
function isOwnPrivateFolder(folder: string): boolean {
  try {
    const stats = statSync(folder);
    return stats.isDirectory() && (process.getuid === undefined || stats.uid === process.getuid()) && (stats.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * From now on, files under `bundleFolder` are compiled with the code cache of `folder`; files
 * whose cache was missing or did not fit get one written when the process exits.
 */
export function useCodeCache(bundleFolder: string, folder: string | undefined): void {
  const moduleClass = Module as unknown as { prototype: CompilingModule; wrap(source: string): string; createRequire(filename: string): NodeJS.Require };
  if (!folder || typeof moduleClass.prototype._compile !== 'function') return;
  const usable = isOwnPrivateFolder(folder);
  const toSave: Array<{ script: Script; file: string }> = [];
  const compile = moduleClass.prototype._compile;
  const prefix = `${bundleFolder}/`;
  moduleClass.prototype._compile = function compileWithCache(this: CompilingModule, content: string, filename: string) {
    if (!filename.startsWith(prefix)) return compile.call(this, content, filename);
    // Chunk names hold a hash of their content; the length guards bin.js and provider.js.
    const file = join(folder, `${basename(filename)}-${content.length}.v8`);
    let cachedData: Buffer | undefined;
    if (usable) {
      try {
        cachedData = readFileSync(file);
      } catch {
        cachedData = undefined;
      }
    }
    // A hashbang line is blanked, not removed, so line numbers in stack traces stay right.
    const script = new Script(moduleClass.wrap(content.replace(/^#!.*/, '')), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) toSave.push({ script, file });
    const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, moduleClass.createRequire(filename), this, filename, dirname(filename));
  };
  process.once('exit', () => {
    if (!toSave.length) return;
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      if (!isOwnPrivateFolder(folder)) return;
      for (const { script, file } of toSave) {
        // Written whole or not at all: a run reading it meanwhile sees the old file or none.
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        renameSync(temporary, file);
      }
    } catch {
      // A cache that cannot be written costs only speed.
    }
  });
}
