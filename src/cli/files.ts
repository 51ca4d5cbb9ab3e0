// Writing files so that nothing a user saved is lost: write a temporary file beside the target,
// then rename it into place, so a crash never leaves half a file.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { InputError } from '../errors.js';

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
