// Writing files so that nothing a user saved is lost: a file is created new, in one step that
// fails if anything is at its path (file, link, folder), and only ever written through that handle.

import { constants, fstatSync, lstatSync, unlinkSync } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { terminalSafe } from '../text/terminal-safe.js';

/**
 * A file created new, open for writing, that nothing else was at when it was made. The file is
 * reserved at the start of a run (so a wrong name fails before anything runs) and filled at its
 * end; it is opened for appending, so nothing written into it meanwhile is ever overwritten.
 */
export interface NewFile {
  readonly path: string;
  /** Writes `content` into the still empty file and closes it; refuses if the file changed or was replaced meanwhile. */
  fill(content: string): Promise<void>;
  /** Closes the file and removes it, if the path still names this file and it is still empty: a failed run leaves nothing. */
  discard(): Promise<void>;
  /** The same, at once and synchronously: for a signal handler, where nothing async runs any more. */
  discardNow(): void;
}

/** Where a new file is for: the flag that names it, its mode, and a file name the folder hint can suggest. */
export interface NewFileOptions {
  flag: string;
  mode: number;
  exampleName?: string;
}

// O_EXCL makes the check and the creation one step; O_NOFOLLOW says outright that a link, even a
// dangling one, is never followed (O_EXCL refuses it already); O_APPEND means this handle never
// writes over bytes someone else put there. Windows has no O_NOFOLLOW: 0 leaves it out.
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_APPEND | (constants.O_NOFOLLOW ?? 0);

/** Creates `path`, empty and open, failing with one line if anything (file, link, folder) is there already or its folder is missing. */
export async function reserveNewFile(path: string, options: NewFileOptions): Promise<NewFile> {
  const { flag, mode } = options;
  if (path === '') throw new InputError('ERR_EMPTY_PATH', `${flag} needs a file name; it was empty.`);
  let handle: FileHandle;
  try {
    handle = await open(path, CREATE_NEW, mode);
  } catch (error) {
    throw fileError(path, options, error as NodeJS.ErrnoException);
  }
  const created = await handle.stat();
  /** Whether the path still names the file made here (not deleted, not replaced). */
  const stillAtPath = () => {
    const atPath = lstatSync(path, { throwIfNoEntry: false });
    return atPath !== undefined && atPath.ino === created.ino && atPath.dev === created.dev;
  };
  /** Closes the handle and removes the file, but only while it is ours and holds nothing of anyone else's. */
  const closeAndRemove = async (onlyIfEmpty: boolean) => {
    const size = await handle.stat().then((now) => now.size, () => -1);
    await handle.close().catch(() => undefined);
    if (stillAtPath() && (!onlyIfEmpty || size === 0)) await unlink(path).catch(() => undefined);
  };
  return {
    path,
    async fill(content) {
      const empty = (await handle.stat()).size === 0;
      if (!empty || !stillAtPath()) {
        await handle.close().catch(() => undefined);
        throw new InputError('ERR_FILE_CHANGED', `${terminalSafe(path)} was changed or replaced while this ran; ${flag} never overwrites anything, so nothing was written to it.`, 'Run again with a new file name.');
      }
      try {
        await handle.writeFile(content);
      } catch (error) {
        // It was empty and ours a moment ago: what is in it now is our half, not to be left behind.
        await closeAndRemove(false);
        throw fileError(path, options, error as NodeJS.ErrnoException);
      }
      await handle.close();
    },
    discard: () => closeAndRemove(true),
    discardNow() {
      try {
        if (fstatSync(handle.fd).size === 0 && stillAtPath()) unlinkSync(path);
      } catch {
        // Already closed and gone: nothing to remove.
      }
    },
  };
}

/**
 * Creates `path` and writes `content`, failing if anything is there already: the check and the
 * creation are one step, so a file made in between is never overwritten, and a symbolic link,
 * even a dangling one, is refused instead of followed.
 */
export async function createNewFile(path: string, content: string, mode: number, flag: string): Promise<void> {
  const file = await reserveNewFile(path, { flag, mode });
  await file.fill(content);
}

/** Removes a file this run created, when a later step fails. */
export async function removeCreatedFile(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

function fileError(path: string, { flag, exampleName = 'key.json' }: NewFileOptions, error: NodeJS.ErrnoException): InputError {
  const shown = terminalSafe(path);
  if (error.code === 'EEXIST') {
    const what = lstatSync(path, { throwIfNoEntry: false });
    const kind = what?.isDirectory() ? 'is a folder' : what?.isSymbolicLink() ? 'is a symbolic link' : 'already exists';
    return new InputError('ERR_FILE_EXISTS', `${shown} ${kind}; ${flag} never overwrites anything.`, what?.isDirectory() ? `Give a file name, for example ${terminalSafe(path.replace(/\/+$/, ''))}/${exampleName}.` : 'Choose another name, or delete the old file first.');
  }
  const reason = error.code === 'ENOENT' ? 'its folder does not exist (create it first)' : error.code === 'EISDIR' ? 'it is a folder' : error.code === 'EACCES' ? 'permission denied' : error.message;
  return new InputError('ERR_WRITE_FILE', `Cannot create ${shown} (${flag}): ${terminalSafe(reason)}.`);
}
