// Start-up: V8's code cache for the bundle's own files. Node 22 has module.enableCompileCache();
// Node 20 has not, so this does the same for dist/'s CommonJS files: after a file first runs, the
// code V8 compiled for it is saved in the user's cache folder, and given back to V8 on later runs,
// which then skips parsing and compiling (about 10 ms of decode's start-up; bench/).
//
// Compiled code is code, and V8 checks little of a cache it is given (the source's length, not its
// text; a damaged cache can crash it). So a cache is used only when (1) every folder on the way to
// it is owned by this user or root and no one else can write to it (a folder anyone may write to,
// such as /tmp, only with its sticky bit), (2) the file is a regular file of this user that only
// this user can read or write, not too large, opened without following a link, (3) it holds a copy
// of the source it was made from, equal to the file being loaded. A run that dies while using the
// cache (a crash) leaves a mark; the next run sees it and throws the cache away. Nothing is written
// into a folder that is not this user's own (sudo with another user's HOME). Windows: off.
// JWT_VS_OAUTH_NO_CODE_CACHE=1 or NODE_DISABLE_COMPILE_CACHE=1 turn it off.

import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, parse, sep } from 'node:path';
import { Script } from 'node:vm';

interface CompilingModule {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}

const MAGIC = 'jwt-vs-oauth code cache 1\n';
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/** Where compiled code is kept for this Node version, or undefined when it may not be used. */
export function codeCacheFolder(env: NodeJS.ProcessEnv): string | undefined {
  if (env.JWT_VS_OAUTH_NO_CODE_CACHE || env.NODE_DISABLE_COMPILE_CACHE || process.getuid === undefined) return undefined;
  try {
    const home = homedir();
    const base = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : isAbsolute(home) ? join(home, '.cache') : undefined;
    return base && join(base, 'jwt-vs-oauth', 'code-cache', `${process.version}-${process.arch}`);
  } catch {
    return undefined;
  }
}

/** True when no one but this user (and root) can change what `path` names, by any folder on the way. */
function onlyOursOnTheWay(path: string): boolean {
  try {
    const uid = process.getuid!();
    const real = realpathSync(path);
    const { root } = parse(real);
    let current = root;
    for (const part of ['', ...real.slice(root.length).split(sep).filter(Boolean)]) {
      current = part ? join(current, part) : current;
      const stats = lstatSync(current);
      if (!stats.isDirectory() || (stats.uid !== uid && stats.uid !== 0)) return false;
      // Writable by others: only a sticky folder (like /tmp), where no one can move what is ours.
      if ((stats.mode & 0o022) !== 0 && (stats.mode & 0o1000) === 0) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** True when `folder` is this user's own private folder and no one else can change the way to it. */
export function isTrustedFolder(folder: string): boolean {
  try {
    const own = lstatSync(folder);
    return own.isDirectory() && own.uid === process.getuid!() && (own.mode & 0o077) === 0 && onlyOursOnTheWay(folder);
  } catch {
    return false;
  }
}

/** The nearest folder of `path` (or `path` itself) that exists. */
function nearestExisting(path: string): string {
  let current = path;
  for (;;) {
    try {
      lstatSync(current);
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

/** The compiled code kept for `source` in `file`, or undefined (missing, not safe, or made from other source). */
function readCache(file: string, source: string): Buffer | undefined {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = fstatSync(descriptor);
    if (!stats.isFile() || stats.uid !== process.getuid!() || (stats.mode & 0o077) !== 0 || stats.size > MAX_CACHE_BYTES) return undefined;
    const bytes = Buffer.allocUnsafe(stats.size);
    let read = 0;
    while (read < bytes.length) {
      const count = readSync(descriptor, bytes, read, bytes.length - read, read);
      if (count === 0) return undefined;
      read += count;
    }
    const header = bytes.subarray(0, MAGIC.length + 12).toString('latin1');
    const newline = header.indexOf('\n', MAGIC.length);
    if (!header.startsWith(MAGIC) || newline < 0) return undefined;
    const sourceBytes = Number(header.slice(MAGIC.length, newline));
    const start = newline + 1;
    if (!Number.isSafeInteger(sourceBytes) || start + sourceBytes > bytes.length) return undefined;
    if (bytes.toString('utf8', start, start + sourceBytes) !== source) return undefined;
    return bytes.subarray(start + sourceBytes);
  } catch {
    return undefined;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

function cacheBytes(source: string, data: Buffer): Buffer {
  const sourceBytes = Buffer.from(source, 'utf8');
  return Buffer.concat([Buffer.from(`${MAGIC}${sourceBytes.length}\n`, 'latin1'), sourceBytes, data]);
}

const RUNNING = '.running-';

/** A mark of a run that ended while using the cache (a crash, or killed): the cache goes. */
function recoverFromCrash(folder: string): boolean {
  let crashed = false;
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(RUNNING) || !lstatSync(join(folder, name)).isFile()) continue;
    const pid = Number(name.slice(RUNNING.length));
    try {
      process.kill(pid, 0);
      continue; // still running
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EPERM') continue;
    }
    crashed = true;
  }
  if (crashed) {
    for (const name of readdirSync(folder)) {
      try {
        rmSync(join(folder, name), { force: true, recursive: true });
      } catch {
        // One that cannot go does not keep the others.
      }
    }
  }
  return crashed;
}

/**
 * From now on, files under `bundleFolder` are compiled with the code cache of `folder`; files
 * whose cache was missing or did not fit get one written when the process exits.
 */
export function useCodeCache(bundleFolder: string, folder: string | undefined): void {
  const moduleClass = Module as unknown as { prototype: CompilingModule; wrap(source: string): string; createRequire(filename: string): NodeJS.Require };
  if (!folder || typeof moduleClass.prototype._compile !== 'function') return;
  let usable = false;
  try {
    usable = isTrustedFolder(folder);
    // From here on, the folder's real path: a link on the way, repointed later, changes nothing.
    if (usable) folder = realpathSync(folder);
    usable = usable && !recoverFromCrash(folder);
  } catch {
    usable = false;
  }
  const mark = join(folder, `${RUNNING}${process.pid}`);
  let marked = false;
  const toSave: Array<{ script: Script; file: string; source: string }> = [];
  const compile = moduleClass.prototype._compile;
  const prefix = `${bundleFolder}${sep}`;
  moduleClass.prototype._compile = function compileWithCache(this: CompilingModule, content: string, filename: string) {
    if (!filename.startsWith(prefix)) return compile.call(this, content, filename);
    const file = join(folder, `${basename(filename)}.v8`);
    // A hashbang line is blanked, not removed, so line numbers in stack traces stay right.
    const source = moduleClass.wrap(content.replace(/^#!.*/, ''));
    const cachedData = usable ? readCache(file, source) : undefined;
    if (cachedData && !marked) {
      // Taken away at exit: still there next time means this run died while using the cache.
      try {
        writeFileSync(mark, '', { mode: 0o600, flag: 'wx' });
        marked = true;
      } catch {
        marked = false;
      }
    }
    const script = new Script(source, { filename, cachedData: marked ? cachedData : undefined });
    if (!marked || !cachedData || script.cachedDataRejected) toSave.push({ script, file, source });
    const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, moduleClass.createRequire(filename), this, filename, dirname(filename));
  };
  process.once('exit', () => {
    try {
      if (marked) rmSync(mark, { force: true });
      if (!toSave.length) return;
      // Never made in a folder that is not this user's (sudo keeping another user's HOME), nor
      // on a way others could change.
      const existing = nearestExisting(folder);
      if (lstatSync(existing).uid !== process.getuid!() || !onlyOursOnTheWay(existing)) return;
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      if (!isTrustedFolder(folder)) return;
      // Caches of files this build no longer has (each chunk's name holds its content hash) go.
      const current = new Set([bundleFolder, join(bundleFolder, 'chunks')].flatMap((dir) => {
        try {
          return readdirSync(dir).map((name) => `${name}.v8`);
        } catch {
          return [];
        }
      }));
      for (const name of readdirSync(folder)) if (name.endsWith('.v8') && !current.has(name)) rmSync(join(folder, name), { force: true });
      for (const { script, file, source } of toSave) {
        // Written whole or not at all: a run reading it meanwhile sees the old file or none.
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, cacheBytes(source, script.createCachedData()), { mode: 0o600, flag: 'wx' });
        renameSync(temporary, file);
      }
    } catch {
      // A cache that cannot be written costs only speed.
    }
  });
}
