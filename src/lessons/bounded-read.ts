// Reads a file's text up to a cap, whatever its size claims: a file under /proc says 0 bytes and
// may hold gigabytes, and a file can grow between fstat and read. Used for every file a pack, a
// lesson folder or a collected progress file can name.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

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
