// Files read and written with care, in one place. Reading: up to a cap, whatever the size claims
// (a file under /proc says 0 bytes and may hold gigabytes, and a file can grow between fstat and
// read), for every file a pack, a lesson folder or a collected progress file can name. Writing:
// atomically, so a reader or a crash never sees half a file (progress, exports, pack.json).

import { closeSync, constants, fstatSync, fsyncSync, linkSync, lstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Whole pieces: some kernel files (/proc/self/pagemap) refuse reads that are not a multiple of 8 bytes. */
const READ_PIECE = 64 * 1024;

/** The text of an open file, or undefined when it holds more than `cap` bytes. Reads at most cap + one piece. */
export function readAtMost(descriptor: number, cap: number): string | undefined {
  const buffer = Buffer.allocUnsafe(cap + READ_PIECE);
  let length = 0;
  while (length <= cap) {
    const read = readSync(descriptor, buffer, length, READ_PIECE, null);
    if (read === 0) break;
    length += read;
  }
  return length > cap ? undefined : buffer.toString('utf8', 0, length);
}

/**
 * A plain file's text, at most `cap` bytes; undefined for a link, a FIFO, a device, a folder or a
 * bigger file. O_NOFOLLOW refuses a link even if swapped in after a listing; O_NONBLOCK keeps a
 * FIFO from hanging the open.
 */
export function readPlainFileAtMost(path: string, cap: number): string | undefined {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    if (!fstatSync(descriptor).isFile()) return undefined;
    return readAtMost(descriptor, cap);
  } catch {
    return undefined;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

// ---- Writing: a temporary file beside the target, flushed to disk, then renamed over it.

/**
 * With `noClobber`, the finished file is hard-linked into place, which fails if anything is there
 * by then (EEXIST, thrown as it is); on a file system without hard links it is renamed only if the
 * place is still empty.
 */
export function writeAtomically(target: string, text: string, options: { mode?: number; noClobber?: boolean } = {}): void {
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(4))).toString('hex')}.tmp`);
  try {
    const descriptor = openSync(temporary, 'wx', options.mode ?? 0o600);
    try {
      writeSync(descriptor, text);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    if (!options.noClobber) return renameSync(temporary, target);
    try {
      linkSync(temporary, target);
    } catch (error) {
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
      if (existsAt(target)) throw Object.assign(new Error('EEXIST'), { code: 'EEXIST', errno: -17 });
      return renameSync(temporary, target);
    }
    rmSync(temporary, { force: true });
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function existsAt(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
