// The learner's progress: one small JSON file, written atomically after every screen. A corrupt
// file is moved aside with a message, never a crash; an unwritable folder gives a clear warning
// and the lesson still runs (progress is then kept in memory only).

import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Progress {
  version: 1;
  tutorial: {
    /** Where to resume: lesson number and screen index. */
    position?: { lesson: number; screen: number };
    completed: number[];
  };
  exercises: {
    passed: Record<string, { at: string }>;
    hintsShown: Record<string, number>;
    attempts: Record<string, number>;
    firstActivity?: string;
    lastActivity?: string;
    /** The provider `exercises start` is running, so `check` can reach it. */
    provider?: { issuer: string; exercise: string };
  };
  /** Per-learner seed for generated exercise tokens. */
  seed: string;
}

export function emptyProgress(): Progress {
  return { version: 1, tutorial: { completed: [] }, exercises: { passed: {}, hintsShown: {}, attempts: {} }, seed: randomBytes(8).toString('hex') };
}

export interface ProgressStore {
  file: string;
  progress: Progress;
  /** Saves now; returns a warning when it could not. */
  save(): string | undefined;
  /** Messages about the file (moved aside, not writable), to show the learner once. */
  notices: string[];
}

export function openProgress(folder: string, now: () => Date = () => new Date()): ProgressStore {
  const file = join(folder, 'progress.json');
  const notices: string[] = [];
  let progress = emptyProgress();
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // No file yet: a fresh start.
  }
  if (text !== undefined) {
    try {
      const parsed = JSON.parse(text) as Partial<Progress>;
      if (parsed.version !== 1 || typeof parsed.tutorial !== 'object' || !Array.isArray(parsed.tutorial?.completed)) throw new Error('unexpected shape');
      progress = { ...emptyProgress(), ...parsed, exercises: { ...emptyProgress().exercises, ...parsed.exercises } } as Progress;
    } catch {
      const aside = `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
      try {
        renameSync(file, aside);
        notices.push(`Your progress file could not be read, so it was moved aside to ${aside} and you start afresh.`);
      } catch {
        notices.push(`Your progress file ${file} could not be read; starting afresh without changing it.`);
      }
    }
  }
  let warned = false;
  const store: ProgressStore = {
    file,
    progress,
    notices,
    save() {
      const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        mkdirSync(folder, { recursive: true });
        writeFileSync(temporary, `${JSON.stringify(store.progress, null, 2)}\n`, { mode: 0o600 });
        renameSync(temporary, file);
        return undefined;
      } catch (error) {
        try {
          rmSync(temporary, { force: true });
        } catch {
          // The folder itself is the problem; there is nothing to clean up.
        }
        if (warned) return undefined;
        warned = true;
        return `Progress cannot be saved in ${folder} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the lesson goes on, but it will not be remembered. Set JWT_VS_OAUTH_HOME to a folder you can write.`;
      }
    },
  };
  return store;
}
