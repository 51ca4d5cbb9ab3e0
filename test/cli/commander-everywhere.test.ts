// Commander is configured in one place (src/cli/main.ts routeCommanderOutput) for the whole tree:
// every command, nested ones included, ends its errors through run() with exit 2 instead of
// calling process.exit, and writes to the run's own streams.

import type { Command } from 'commander';
import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { createContext } from '../../src/cli/context.js';
import { buildProgram, runCaptured } from '../../src/cli/main.js';

/** Every command's words from the top ("exercises progress reset"), the program's own as []. */
function commandPaths(command: Command, path: string[] = []): string[][] {
  return [path, ...command.commands.flatMap((subcommand) => commandPaths(subcommand, [...path, subcommand.name()]))];
}

test('an unknown option to any command, however nested: exit 2 and commander\'s message on the run\'s stderr', async () => {
  const streams = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
  const program = await buildProgram(createContext(streams, () => ({}), () => 0), 'all');
  const paths = commandPaths(program);
  // The nested ones are there: exercises' subcommands and theirs.
  expect(paths.map((path) => path.join(' '))).toEqual(expect.arrayContaining(['exercises check', 'exercises progress']));
  const outcomes = [];
  for (const path of paths) {
    const result = await runCaptured([...path, '--no-such-flag']);
    outcomes.push({ command: path.join(' ') || '(top)', code: result.code, said: /unknown option '--no-such-flag'/.test(result.stderr) });
  }
  expect(outcomes.filter((outcome) => outcome.code !== 2 || !outcome.said)).toEqual([]);
});
