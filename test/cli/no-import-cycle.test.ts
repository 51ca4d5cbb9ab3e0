// The entry (src/cli/main.ts) loads every command, so a module below it that imports it back,
// even with import(), makes a cycle: commands that run commands import src/cli/run.ts instead.
// Read from the sources, static and dynamic imports alike, as test/protocol/boundaries.test.ts does.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(join(folder, entry.name)) : entry.name.endsWith('.ts') ? [join(folder, entry.name)] : []));
}

/** Every relative import of a file, static or dynamic, as a path under src/ ("cli/run.ts"). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => relative(SRC, normalize(join(dirname(file), match[1]!))).replace(/\.js$/, '.ts'));
}

const GRAPH = new Map(sources(SRC).map((file) => [relative(SRC, file), importsOf(file)]));

/** The import paths that lead from `start` back to itself (each as "a → b → … → a"). */
function cyclesThrough(start: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (path: string[]): void => {
    for (const next of GRAPH.get(path.at(-1)!) ?? []) {
      if (next === start) found.push([...path, next].join(' → '));
      else if (!seen.has(next)) {
        seen.add(next);
        walk([...path, next]);
      }
    }
  };
  walk([start]);
  return found;
}

describe('the CLI entry is imported only by the bin', () => {
  test('no module under src/ but src/cli/bin.ts imports src/cli/main.ts', () => {
    expect(GRAPH.get('cli/commands/exercises.ts')).toContain('cli/run.ts');
    const importers = [...GRAPH].filter(([, imports]) => imports.includes('cli/main.ts')).map(([path]) => path);
    expect(importers).toEqual(['cli/bin.ts']);
  });

  test('run.ts, which commands use to run commands, leads back neither to itself nor to main.ts', () => {
    expect(cyclesThrough('cli/run.ts')).toEqual([]);
    expect(cyclesThrough('cli/main.ts')).toEqual([]);
  });
});
