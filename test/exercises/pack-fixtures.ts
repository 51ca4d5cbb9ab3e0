// A good pack exercise to vary, and a pack folder made of files, for the exercise tests.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A good pack exercise to vary: read the sub of the learner's token. */
export const GOOD = {
  id: 'pack-read-sub',
  title: 'Whose token?',
  topic: 'read-a-token',
  task: ['Your token: {{token}}', 'Send its sub.'],
  material: { kind: 'token' },
  check: { kind: 'answer', expected: '{{sub}}' },
  hints: ['decode it'],
  solution: { explain: ['sub names the user.'], answers: ['{{sub}}'] },
};

/** A new pack folder holding these files (name → JSON content). */
export function packOf(files: Record<string, unknown>): string {
  const pack = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-pack-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(pack, name), JSON.stringify(content));
  return pack;
}
