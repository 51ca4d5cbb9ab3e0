// Writing files so that nothing a user saved is lost: write a temporary file beside the target,
// then rename it into place, so a crash never leaves half a file; or create a new file that
// must not exist yet, atomically, so nothing is ever overwritten.

import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync } from 'node:fs';
import { open, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { terminalSafe } from '../text/terminal-safe.js';

export async function writeFileAtomically(path: string, content: string, mode = 0o644): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content, { mode });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new InputError('ERR_WRITE_FILE', `Cannot write ${path}: ${(error as Error).message}.`);
  }
}

export function refuseToOverwrite(path: string, flag: string): void {
  if (existsSync(path)) {
    throw new InputError('ERR_FILE_EXISTS', `${path} already exists; ${flag} never overwrites a file.`, 'Choose another name, or delete the old file first.');
  }
}

/**
 * Creates `path` and writes `content`, failing if anything is there already. The 'wx' flag
 * (O_CREAT | O_EXCL) makes the check and the creation one step, so a file made in between is
 * never overwritten, and a symbolic link, even a dangling one, is refused instead of followed.
 */
export async function createNewFile(path: string, content: string, mode: number, flag: string): Promise<void> {
  if (path === '') throw new InputError('ERR_EMPTY_PATH', `${flag} needs a file name; it was empty.`);
  let handle;
  try {
    handle = await open(path, 'wx', mode);
  } catch (error) {
    throw fileError(path, flag, error as NodeJS.ErrnoException);
  }
  try {
    await handle.writeFile(content);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw fileError(path, flag, error as NodeJS.ErrnoException);
  }
  await handle.close();
}

/** Removes a file this run created, when a later step fails. */
export async function removeCreatedFile(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

function fileError(path: string, flag: string, error: NodeJS.ErrnoException): InputError {
  const shown = terminalSafe(path);
  if (error.code === 'EEXIST') {
    const what = lstatSync(path, { throwIfNoEntry: false });
    const kind = what?.isDirectory() ? 'is a folder' : what?.isSymbolicLink() ? 'is a symbolic link' : 'already exists';
    return new InputError('ERR_FILE_EXISTS', `${shown} ${kind}; ${flag} never overwrites anything.`, what?.isDirectory() ? `Give a file name, for example ${terminalSafe(path.replace(/\/+$/, ''))}/key.json.` : 'Choose another name, or delete the old file first.');
  }
  const reason = error.code === 'ENOENT' ? 'its folder does not exist (create it first)' : error.code === 'EISDIR' ? 'it is a folder' : error.code === 'EACCES' ? 'permission denied' : error.message;
  return new InputError('ERR_WRITE_FILE', `Cannot create ${shown} (${flag}): ${terminalSafe(reason)}.`);
}
