// `jwt-vs-oauth exercises start <id>`: sets up what an exercise needs (Mock Google for the
// by-hand OAuth exercise) and prints its task.

import { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { EXIT } from '../../errors.js';
import { renderTask, setUp } from './exercises-setup.js';

export function exercisesStartCommand(context: CommandContext): Command {
  return new Command('start')
    .description('Set up what an exercise needs (such as a running provider) and print its task')
    .argument('<id>', 'the exercise')
    .addHelpText('after', examples([['jwt-vs-oauth exercises start oauth-access-token', 'runs Mock Google until Ctrl-C']]))
    .action(async (id: string, _flags: unknown, command: Command) => {
      const { store, output, change, touch, pick } = await setUp(context, command);
      const { taskText } = await import('../../lessons/exercises.js');
      const { exercise, material } = pick(id);
      change(touch);
      output.result(renderTask(exercise, taskText(exercise, material), output, Boolean(store.progress.exercises.passed[exercise.id])));
      if (exercise.needs !== 'provider') return;
      let stop: (signal: NodeJS.Signals) => void = () => undefined;
      const stopped = new Promise<NodeJS.Signals>((resolve) => (stop = resolve));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const { startProvider } = await import('../../provider/server.js');
      const provider = await startProvider({ port: 0 });
      const running = { issuer: provider.issuer, exercise: exercise.id };
      change((progress) => void (progress.exercises.provider = running));
      output.result(`\nMock Google (a local simulation) is running at ${output.colour.cyan(provider.issuer)}\n  discovery ${provider.discoveryUrl}\nLeave this running and work in another terminal. Ctrl-C stops it.`);
      try {
        const signal = await stopped;
        context.exitCode = signal === 'SIGINT' ? EXIT.cancelled : EXIT.ok;
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        await provider.close();
        // Only our own entry: a `start` in another terminal may have replaced it meanwhile.
        change((progress) => {
          if (progress.exercises.provider?.issuer === running.issuer) delete progress.exercises.provider;
        });
      }
    });
}
