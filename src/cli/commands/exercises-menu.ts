// `jwt-vs-oauth exercises` on a terminal: pick an exercise from a list, read its task, then answer
// it or see a hint, again and again for that exercise until "Back to the list", and so on until
// Quit (or q, Esc: exit 0). Each check or hint runs as its own command line, so its mistakes (an
// answer that is not one of the flaw names) are shown as the command shows them and the
// exercise's actions come back; its exit code is the command's, not the menu's.

import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { MARK } from '../output.js';
import { selectPrompt } from '../select-prompt.js';
import { EXIT } from '../../errors.js';
import { renderTask, setUp, type ParentFlags } from './exercises-setup.js';
import { viewWidths } from './exercises-layout.js';

/** What the answer prompt says: an answer may be a token, pasted broken over lines with "\\". */
const ANSWER_WORDING = {
  empty: 'Type or paste your answer, or press Ctrl-C to stop.',
  continues: '… (the answer continues: its next line, or Enter to end)',
};

/** The exercises menu, until Quit, q or Esc (exit 0); Ctrl-C at a prompt exits 130, as everywhere. */
export async function runExerciseMenu(context: CommandContext, command: Command): Promise<void> {
  const [{ taskText }, { run }, { promptForToken }] = await Promise.all([import('../../lessons/exercises.js'), import('../run.js'), import('../token-input.js')]);
  const io = { input: context.streams.stdin, output: context.streams.stderr };
  const rows = () => (context.streams.stderr as { rows?: number }).rows;
  // The flags this menu was started with, for each command it runs: the same pack, seed and colours.
  const flags = command.optsWithGlobals() as ParentFlags & { color?: boolean; debug?: boolean };
  const global = [...(flags.color === false ? ['--no-color'] : []), ...(flags.debug ? ['--debug'] : [])];
  const parent = ['exercises', ...(flags.pack !== undefined ? ['--pack', flags.pack] : []), ...(flags.seed !== undefined ? ['--seed', flags.seed] : [])];
  let last = 0;
  // The exercise whose actions are open: after a check or a hint they come back for it, to try again.
  let open: string | undefined;
  for (;;) {
    // Read afresh each round: the check or hint just run has saved new progress.
    const { exercises, store, output, pick } = await setUp(context, command);
    if (open === undefined) {
      const id = await selectPrompt({
        message: 'Pick an exercise',
        choices: [...exercises.map((exercise) => ({ name: `${store.progress.exercises.passed[exercise.id] ? MARK.ok : ' '} ${exercise.title} (${exercise.topic})`, value: exercise.id })), { name: 'Quit', value: '' }],
        leave: '',
        keys: '[↑↓] choose  [Enter] open  [q/Esc] quit',
        rows: rows(),
        // Back on the exercise just tried, to go on to the next.
        start: last,
      }, io);
      if (!id) return;
      open = id;
      last = exercises.findIndex((exercise) => exercise.id === id);
      const { exercise, material } = pick(id);
      output.result(renderTask(exercise, taskText(exercise, material), output, Boolean(store.progress.exercises.passed[id]), viewWidths(context).width, true));
    }
    const id = open;
    const next = await selectPrompt({
      message: 'Now?',
      choices: [{ name: 'Answer it', value: 'check' }, { name: 'A hint', value: 'hint' }, { name: 'Back to the list', value: 'back' }],
      leave: 'back',
      keys: '[↑↓] choose  [Enter] go  [q/Esc] back to the list',
      rows: rows(),
    }, io);
    let argv: string[] | undefined;
    if (next === 'check') {
      // A token our views broke over lines (each ending in "\\") is read whole and joined, not as
      // its first line with the rest left over as keys for the next prompt.
      const answer = await promptForToken(io, 'Your answer', ANSWER_WORDING);
      // After "--": an answer that starts with "-" is an answer, not an option.
      argv = [...global, ...parent, 'check', id, '--in-menu', '--', answer];
    } else if (next === 'hint') {
      argv = [...global, ...parent, 'hint', id];
    }
    if (!argv) {
      open = undefined;
      continue;
    }
    // A fresh command tree, which shows the command's own error (exit 2) and returns; the menu goes on.
    const code = await run(argv, context.streams, context.now);
    if (code === EXIT.cancelled) {
      context.exitCode = EXIT.cancelled;
      return;
    }
  }
}
