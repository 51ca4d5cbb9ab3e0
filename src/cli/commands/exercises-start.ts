// `jwt-vs-oauth exercises start <id>`: sets up what an exercise needs (Mock Google for the
// by-hand OAuth exercise) and prints its task; then the provider's request log, until Ctrl-C.

import { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { InputError } from '../../errors.js';
import { renderTask, setUp } from './exercises-setup.js';
import { helpExamples, viewWidths } from './exercises-layout.js';
import { layoutTable, wrapParagraph } from '../../text/layout.js';
import { defaultKeysFile, listenError, parsePort, requestLogger } from './provider.js';
import type { RequestEvent } from '../../provider/server.js';
import type { Client } from '../../provider/directory.js';
import type { Exercise } from '../../lessons/exercise-schema.js';
import { exitCodeForStop, untilStopped } from '../until-stopped.js';

interface StartFlags {
  port?: string;
  replace?: boolean;
}

/**
 * The clients Mock Google knows in the exercises (`start` and `selftest`): its default ones
 * (demo-app, demo-spa) and swaad-tv, the public device client of the device-flow exercise.
 */
export async function exerciseClients(): Promise<Client[]> {
  const [{ DEFAULT_CLIENTS }, { TV_CLIENT }] = await Promise.all([import('../../provider/directory.js'), import('../../oauth/world.js')]);
  return [...DEFAULT_CLIENTS, TV_CLIENT];
}

/** How long a Mock Google recorded as running has to answer before it is taken for gone. */
const STILL_RUNNING_TIMEOUT_MS = 500;

export function exercisesStartCommand(context: CommandContext): Command {
  return new Command('start')
    .description('Set up what an exercise needs (such as a running provider) and print its task')
    .argument('<id>', 'the exercise')
    .option('--port <port>', 'where Mock Google listens, 0 to 65535 (default: a free port)')
    .option('--replace', 'start even if Mock Google for this exercise is running in another terminal: check then uses this one')
    .addHelpText('after', () => helpExamples(context, [
      ['jwt-vs-oauth exercises start oauth-access-token', 'runs Mock Google until Ctrl-C, logging each request'],
      ['jwt-vs-oauth exercises start oauth-access-token --port 9400', 'at http://127.0.0.1:9400, an address a class can share'],
      ['jwt-vs-oauth exercises start oauth-access-token --replace', 'in place of one left running in another terminal'],
    ]) + '\nMock Google here keeps authorization codes 10 minutes (RFC 6749 §4.1.2\'s recommended maximum), time to copy one by hand.\n' +
      'One runs at a time for your progress: while one answers, another start says where it is and stops (exit 2), unless --replace.\n' +
      'Exit codes: 130 when stopped with Ctrl-C, 0 when stopped with SIGTERM, 2 bad usage (an unknown exercise, a bad --port), a port in use, or one already running.\n')
    .action(async (id: string, flags: StartFlags, command: Command) => {
      const port = flags.port === undefined ? 0 : parsePort(flags.port);
      const { store, output, change, touch, pick } = await setUp(context, command);
      const { taskText } = await import('../../lessons/exercises.js');
      const { exercise, material } = pick(id);
      for (const [flag, given] of [['--port', flags.port !== undefined], ['--replace', Boolean(flags.replace)]] as const) {
        if (exercise.needs !== 'provider' && given) {
          throw new InputError('ERR_USAGE', `${flag}: ${exercise.id} runs nothing; ${flag} is for an exercise that runs Mock Google, such as oauth-access-token.`);
        }
      }
      // One Mock Google per progress file: `check` asks the one recorded there. A second start
      // would take its place and leave the first one's tokens failing, so say where it runs.
      const recorded = store.progress.exercises.provider;
      if (exercise.needs === 'provider' && recorded && !flags.replace && (await stillAnswers(recorded.issuer))) {
        throw new InputError('ERR_PROVIDER_RUNNING', `Mock Google for ${recorded.exercise} is already running at ${recorded.issuer} (another terminal); use it, or stop it first (--replace starts a new one in its place).`);
      }
      change(touch);
      const { width } = viewWidths(context);
      const task = () => renderTask(exercise, taskText(exercise, material), output, Boolean(store.progress.exercises.passed[exercise.id]), width);
      if (exercise.needs !== 'provider') return output.result(task());

      // Listen for Ctrl-C before anything is printed, so a stop right after the banner is clean.
      await untilStopped(async (stopped) => {
        const [{ startProvider, LONGEST_CODE_TTL }, { spanInWords }] = await Promise.all([import('../../provider/server.js'), import('../../jwt/time.js')]);
        const host = '127.0.0.1';
        let provider: Awaited<ReturnType<typeof startProvider>>;
        try {
          provider = await startProvider({
            port,
            host,
            clients: await exerciseClients(),
            // Codes are copied from a browser's address bar into curl by a person: the longest
            // lifetime RFC 6749 §4.1.2 recommends, not the 60 s that suits software.
            codeTtl: LONGEST_CODE_TTL,
            // The keys `provider` keeps too: a token got before a restart still verifies after it.
            keysFile: await defaultKeysFile(context.streams.env),
            // The command's clock (tests move it on instead of waiting).
            nowMs: () => context.now() * 1000,
            onRequest: labelled(requestLogger(output, { width })),
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
          ...wrapParagraph(`Mock Google (a local simulation) is running at ${c.cyan(provider.issuer)}`, width),
          ...layoutTable(await endpointRows(exercise, provider, spanInWords(LONGEST_CODE_TTL)), width, { indent: '  ', minLastColumn: 20 }),
          ...wrapParagraph('Leave this running and work in another terminal. Ctrl-C stops it. Each request that reaches Mock Google is logged below.', width),
          '',
        ].join('\n'));
        try {
          const signal = await stopped;
          context.exitCode = exitCodeForStop(signal);
        } finally {
          await provider.close();
          output.talk('Stopped.');
          // Only our own entry: a `start` in another terminal may have replaced it meanwhile.
          change((progress) => {
            if (progress.exercises.provider?.issuer === running.issuer) delete progress.exercises.provider;
          });
        }
      });
    });
}

/** The endpoints of the flow the exercise uses, as the banner lists them: the code flow's, the device flow's, or client credentials' token endpoint alone. */
async function endpointRows(exercise: Exercise, provider: { issuer: string; discoveryUrl: string }, codeLife: string): Promise<string[][]> {
  const { providerFlowOf } = await import('../../lessons/exercise-schema.js');
  const flow = exercise.check.kind === 'provider-token' ? providerFlowOf(exercise.check) : 'authorization-code';
  const token = ['token', `${provider.issuer}/token`];
  const discovery = ['discovery', provider.discoveryUrl];
  if (flow === 'client-credentials') return [discovery, token];
  if (flow === 'device') {
    const { DEVICE_CODE_TTL, DEVICE_POLL_INTERVAL } = await import('../../provider/device.js');
    return [
      discovery,
      ['device', `${provider.issuer}/device_authorization`],
      ['verification', `${provider.issuer}/device (where the person types the user code)`],
      token,
      ['codes', `device and user codes live ${DEVICE_CODE_TTL / 60} minutes; poll no faster than the interval the answer gives (${DEVICE_POLL_INTERVAL} seconds to start with)`],
    ];
  }
  return [discovery, ['authorize', `${provider.issuer}/authorize`], token, ['codes', `live ${codeLife}, the longest RFC 6749 §4.1.2 recommends (time to copy one by hand), and work once`]];
}

/**
 * Whether the Mock Google recorded in progress still answers: its discovery document, naming
 * that issuer, within half a second. Only a loopback address is asked (exercises start listens
 * on 127.0.0.1; a progress file is not trusted to send us elsewhere); anything else, no answer,
 * or another program on that port means it is gone, and this start takes its place.
 */
async function stillAnswers(issuer: string): Promise<boolean> {
  const { isLoopbackHost } = await import('../../protocol/loopback.js');
  const url = new URL(issuer);
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) return false;
  try {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, { redirect: 'manual', signal: AbortSignal.timeout(STILL_RUNNING_TIMEOUT_MS) });
    if (!response.ok) return false;
    const discovery = (await response.json()) as { issuer?: unknown };
    return discovery?.issuer === issuer;
  } catch {
    return false;
  }
}

/** Says who reads discovery and keys: requests the learner did not type, made by `exercises check` (or a client). */
const READERS: Record<string, string> = {
  '/.well-known/openid-configuration': 'read by exercises check, or a client, to find the endpoints and keys',
  '/jwks': 'read by exercises check, or a client, to verify a token',
};

function labelled(log: (event: RequestEvent) => void): (event: RequestEvent) => void {
  return (event) => {
    const reader = event.status === 200 ? READERS[event.path.split('?')[0]!] : undefined;
    log(reader ? { ...event, message: `${event.message}; ${reader}` } : event);
  };
}
