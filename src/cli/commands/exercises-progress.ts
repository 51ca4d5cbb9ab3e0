// `jwt-vs-oauth exercises progress` and `reset`: a learner's own record.

import { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { printJson } from '../output.js';
import { InputError } from '../../errors.js';
import { terminalSafe } from '../../text/terminal-safe.js';
import { setUp } from './exercises-setup.js';

export function exercisesProgressCommands(context: CommandContext): Command[] {
  return [
    new Command('progress')
      .description('Your progress: counts, per topic, first and last activity')
      .addHelpText('after', examples([['jwt-vs-oauth exercises progress', 'counts per topic'], ['jwt-vs-oauth exercises progress --json > progress-asha.json', 'for a teacher collecting a class']]))
      .option('--json', 'as JSON (for teachers collecting a class\'s results)')
      .action(async (flags: { json?: boolean }, command: Command) => {
        const { exercises, store, seed, output } = await setUp(context, command);
        const { summarise } = await import('../../lessons/exercises.js');
        const summary = summarise(exercises, store.progress.exercises);
        if (flags.json) return printJson(output, { seed, ...summary });
        output.result(`${summary.passed} of ${summary.total} exercises passed.`);
        for (const [topic, counts] of Object.entries(summary.topics)) if (counts.total) output.result(`  ${topic.padEnd(15)} ${counts.passed} of ${counts.total}`);
        // Validated as dates when read; escaped anyway, as everything read from a file is.
        const when = (value: string | null) => (value === null ? 'none yet' : terminalSafe(value));
        output.result(output.colour.dim(`First activity: ${when(summary.firstActivity)}; last: ${when(summary.lastActivity)}.`));
      }),
    new Command('reset')
      .description('Forget one exercise\'s progress, or all of it (asks first on a terminal)')
      .argument('[id]', 'the exercise')
      .option('--all', 'every exercise')
      .option('--yes', 'do not ask (needed without a terminal for --all)')
      .addHelpText('after', examples([['jwt-vs-oauth exercises reset read-subject', 'one exercise'], ['jwt-vs-oauth exercises reset --all', 'everything (asks first)']]))
      .action(async (id: string | undefined, flags: { all?: boolean; yes?: boolean }, command: Command) => {
        const { exercises, output, change, pick } = await setUp(context, command);
        if (!id && !flags.all) throw new InputError('ERR_USAGE', 'Name an exercise to reset, or use --all.');
        const targets = flags.all ? exercises.map((exercise) => exercise.id) : [pick(id!).exercise.id];
        if (!flags.yes) {
          if (output.stdinIsTerminal && output.stderrIsTerminal) {
            const { confirm } = await import('@inquirer/prompts');
            const sure = await confirm({ message: flags.all ? `Forget your progress on all ${targets.length} exercises?` : `Forget your progress on ${targets[0]}?`, default: false }, { input: context.streams.stdin, output: context.streams.stderr });
            if (!sure) return output.talk('Nothing was reset.');
          } else if (flags.all) {
            throw new InputError('ERR_CONFIRM', 'reset --all forgets every exercise; without a terminal to ask, add --yes.');
          }
        }
        change((progress) => {
          for (const target of targets) {
            delete progress.exercises.passed[target];
            delete progress.exercises.hintsShown[target];
            delete progress.exercises.attempts[target];
          }
        });
        output.talk(flags.all ? `Reset all ${targets.length} exercises.` : `Reset ${targets[0]}.`);
      }),
  ];
}
