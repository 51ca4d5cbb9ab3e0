// `jwt-vs-oauth exercises start <id>`: sets up what an exercise needs (Mock Google for the
// by-hand OAuth exercise) and prints its task; then the provider's request log, until Ctrl-C.

import { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { EXIT, InputError } from '../../errors.js';
import { renderTask, setUp } from './exercises-setup.js';
import { listenError, parsePort, requestLogger } from './provider.js';

interface StartFlags {
  port?: string;
}

export function exercisesStartCommand(context: CommandContext): Command {
  return new Command('start')
    .description('Set up what an exercise needs (such as a running provider) and print its task')
    .argument('<id>', 'the exercise')
    .option('--port <port>', 'where Mock Google listens, 0 to 65535 (default: a free port)')
    .addHelpText('after', examples([
      ['jwt-vs-oauth exercises start oauth-access-token', 'runs Mock Google until Ctrl-C, logging each request'],
      ['jwt-vs-oauth exercises start oauth-access-token --port 9400', 'at http://127.0.0.1:9400, an address a class can share'],
    ]) + '\nMock Google here keeps authorization codes 10 minutes (RFC 6749 §4.1.2\'s recommended maximum), time to copy one by hand.\nExit codes: 130 when stopped with Ctrl-C, 0 when stopped with SIGTERM, 2 bad usage (an unknown exercise, a bad --port) or a port in use.\n')
    .action(async (id: string, flags: StartFlags, command: Command) => {
      const port = flags.port === undefined ? 0 : parsePort(flags.port);
      const { store, output, change, touch, pick } = await setUp(context, command);
      const { taskText } = await import('../../lessons/exercises.js');
      const { exercise, material } = pick(id);
      if (exercise.needs !== 'provider' && flags.port !== undefined) {
        throw new InputError('ERR_USAGE', `--port: ${exercise.id} runs nothing; --port is for an exercise that runs Mock Google, such as oauth-access-token.`);
      }
      change(touch);
      const task = () => renderTask(exercise, taskText(exercise, material), output, Boolean(store.progress.exercises.passed[exercise.id]));
      if (exercise.needs !== 'provider') return output.result(task());

      // Listen for Ctrl-C before anything is printed, so a stop right after the banner is clean.
      let stop: (signal: NodeJS.Signals) => void = () => undefined;
      const stopped = new Promise<NodeJS.Signals>((resolve) => (stop = resolve));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const [{ startProvider, LONGEST_CODE_TTL }, { spanInWords }] = await Promise.all([import('../../provider/server.js'), import('../../jwt/time.js')]);
        const host = '127.0.0.1';
        let provider: Awaited<ReturnType<typeof startProvider>>;
        try {
          provider = await startProvider({
            port,
            host,
            // Codes are copied from a browser's address bar into curl by a person: the longest
            // lifetime RFC 6749 §4.1.2 recommends, not the 60 s that suits software.
            codeTtl: LONGEST_CODE_TTL,
            // The command's clock (tests move it on instead of waiting).
            nowMs: () => context.now() * 1000,
            onRequest: requestLogger(output),
          });
        } catch (error) {
          throw listenError(error, host, port, { advice: 'stop the program using it, or leave out --port to get a free one.' });
        }
        const running = { issuer: provider.issuer, exercise: exercise.id };
        change((progress) => void (progress.exercises.provider = running));
        const c = output.colour;
        output.result([
          task(),
          '',
          `Mock Google (a local simulation) is running at ${c.cyan(provider.issuer)}`,
          `  discovery  ${provider.discoveryUrl}`,
          `  authorize  ${provider.issuer}/authorize`,
          `  token      ${provider.issuer}/token`,
          `  codes      live ${spanInWords(LONGEST_CODE_TTL)}, the longest RFC 6749 §4.1.2 recommends (time to copy one by hand), and work once`,
          'Leave this running and work in another terminal. Ctrl-C stops it. Each request that reaches Mock Google is logged below.',
          '',
        ].join('\n'));
        try {
          const signal = await stopped;
          context.exitCode = signal === 'SIGINT' ? EXIT.cancelled : EXIT.ok;
        } finally {
          await provider.close();
          output.talk('Stopped.');
          // Only our own entry: a `start` in another terminal may have replaced it meanwhile.
          change((progress) => {
            if (progress.exercises.provider?.issuer === running.issuer) delete progress.exercises.provider;
          });
        }
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}
