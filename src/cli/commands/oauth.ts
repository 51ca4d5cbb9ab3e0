// `jwt-vs-oauth oauth` (alias `demo`): step through "Login with Google" against Mock Google and
// the Swaad demo app, in a real browser or with the terminal playing the browser.

import { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { printJson, safeJsonText } from '../output.js';
import { EXIT, InputError } from '../../errors.js';
import { terminalSafe } from '../../text/terminal-safe.js';
import type { Narrator, Step } from '../../oauth/steps.js';
import { promptTheme } from '../prompt-theme.js';
import { layoutLine, layoutText, outputWidth } from '../../text/layout.js';

// Tokens stay whole on purpose: a learner decodes them, and nothing but this run's Mock Google accepts them.
const TRANSCRIPT_KEEPS = 'Passwords and client secrets are masked; the tokens are whole, for you to decode: only this run\'s Mock Google accepted them, and it stops with the demo.';

/** The flows `--flow` runs; code is the article's "Login with Google". */
export const FLOWS = ['code', 'device', 'client-credentials', 'refresh'] as const;
type FlowName = (typeof FLOWS)[number];

interface OAuthFlags {
  flow?: string;
  browser: boolean;
  auto?: boolean;
  deny?: boolean;
  attack?: string;
  transcript?: string;
  verbose?: boolean;
  json?: boolean;
  dpop?: boolean;
}

/** What the command reaches outside the process for; a test passes its own browser. */
export interface OAuthSeams {
  /** Opens `url` in the user's browser and returns once it is on its way; throws when no browser could be opened. */
  openBrowser?: (url: string) => Promise<void>;
}

export function oauthCommand(context: CommandContext, seams: OAuthSeams = {}): Command {
  const openBrowser = seams.openBrowser ?? openInSystemBrowser;
  return new Command('oauth')
    .alias('demo')
    .description('Step through "Login with Google" (OpenID Connect), or the device, client-credentials or refresh flow, against a local provider: every redirect, code and token, and the HTTP behind them.')
    .option('--flow <name>', `which flow: ${FLOWS.join(', ')} (default code, "Login with Google")`)
    .option('--no-browser', 'the terminal plays the browser (for device: your phone): it asks for the email and password the sign-in page asks for')
    .option('--auto', 'no pauses and no prompts: the first demo user, consent given (the default without a terminal)')
    .option('--deny', 'refuse consent: access_denied comes back and the app handles it')
    .option('--attack <name>', 'replay an attack and show what stops it: stolen-code, no-pkce, csrf, mix-up, attacker-redirect-uri (its old name open-redirect still works), refresh-reuse, device-phishing, stolen-dpop-token')
    .option('--dpop', 'with --flow code (the default) or device: the app binds its tokens to a key pair it holds (DPoP, RFC 9449) and sends a proof with each token request and API call')
    .option('--transcript <file>', 'write every HTTP exchange as JSON lines to a new file, mode 0600 (passwords and client secrets masked; the demo\'s tokens kept whole, to decode)')
    .option('--verbose', 'show every header and whole bodies')
    .option('--json', 'print the steps and the outcome as JSON (implies --auto); a flow with lifelines of its own (device, client-credentials, refresh, and some attacks) gives each step\'s lanes as [{id, name}], left to right')
    .addHelpText('after', () => examples([
      ['jwt-vs-oauth oauth', 'in your browser, narrated here'],
      ['jwt-vs-oauth oauth --no-browser', 'all in the terminal'],
      ['jwt-vs-oauth oauth --auto --transcript flow.jsonl', 'no pauses; keep the HTTP'],
      ['jwt-vs-oauth oauth --attack stolen-code', 'replay an attack and see the defence'],
      ['jwt-vs-oauth oauth --attack csrf', 'the attacker\'s callback in your browser: state, then PKCE'],
      ['jwt-vs-oauth oauth --flow device', 'a TV signs in: you type its code on your phone'],
      ['jwt-vs-oauth oauth --dpop', 'tokens bound to the app\'s key: a copy is useless'],
      ['jwt-vs-oauth oauth --flow client-credentials', 'a backend service gets a token for itself'],
      ['jwt-vs-oauth oauth --flow refresh', 'a refresh token rotates; --attack refresh-reuse'],
    ]) + '\nBetween steps, and while the device flow\'s TV waits to poll: Enter shows the next step; q or Esc stops the demo (exit 0, "Stopped after step N of M."); Ctrl-C exits 130.\nExit codes: 0 the flow did what it shows (signed in, denial handled, attack stopped) or you stopped it, 1 it did not, 2 bad flags, 130 Ctrl-C.\n')
    .action(async (flags: OAuthFlags) => {
      const [{ startDemoWorld }, flow, attacks, view, { partyName }] = await Promise.all([
        import('../../oauth/world.js'),
        import('../../oauth/flow.js'),
        import('../../oauth/attacks.js'),
        import('../flow-view.js'),
        import('../../oauth/steps.js'),
      ]);
      const attack = flags.attack === undefined ? undefined : attacks.attackNamed(flags.attack);
      if (flags.attack !== undefined && !attack) {
        throw new InputError('ERR_UNKNOWN_ATTACK', `Unknown attack "${flags.attack}".`, `Choose one of: ${Object.keys(attacks.ATTACKS).join(', ')}.`);
      }
      const flowName = checkedFlow(flags);
      // The transcript's file is made now, before anything runs: a name that is taken (a file, a
      // link, a folder) or a folder that is missing fails here, and no one can take it meanwhile.
      const transcriptFile = flags.transcript === undefined
        ? undefined
        : await (await import('../files.js')).reserveNewFile(flags.transcript, { flag: '--transcript', mode: 0o600, exampleName: 'flow.jsonl' });
      // Ctrl-C or a kill while it runs (no prompt of ours to catch it): the empty file goes, then the
      // signal does what it always does (130 for Ctrl-C), so a second run may use the same name.
      const removeOnSignal = (signal: NodeJS.Signals) => {
        transcriptFile?.discardNow();
        process.kill(process.pid, signal);
      };
      if (transcriptFile) for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, removeOnSignal);
      const keepSignals = () => {
        for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, removeOnSignal);
      };
      const output = context.output();
      const interactive = output.stdinIsTerminal && output.stdoutIsTerminal && !flags.auto && !flags.json;
      const steps: Step[] = [];
      const history: import('../flow-view.js').DrawnArrow[] = [];
      // Each stream its own width: a terminal's columns, else COLUMNS, else a pipe's lines stay whole.
      const width = outputWidth(context.streams.stdout, context.streams.env);
      const talkWidth = outputWidth(context.streams.stderr, context.streams.env);
      const result = (line: string) => output.result(layoutLine(line, width).join('\n'));
      const talk = (text: string) => output.talk(layoutText(text, talkWidth));
      let prompts: typeof import('@inquirer/prompts') | undefined;
      const io = { input: context.streams.stdin, output: context.streams.stderr };

      const narrator: Narrator = {
        show(step) {
          steps.push(step);
          history.push(...step.arrows.map((arrow) => ({ ...arrow, step: step.number })));
          if (!flags.json) output.result(view.renderStep(step, history, output, { verbose: Boolean(flags.verbose), width }));
        },
        async pause() {
          if (!interactive) return;
          // The tutorial's keys: Enter goes on, q or Esc stops the demo (Ctrl-C still exits 130).
          const { navigationPrompt } = await import('../navigation-prompt.js');
          const choice = await navigationPrompt({ canGoBack: false, firstScreen: false, width: talkWidth, keys: ['[q/Esc] stop the demo', '⏎ Press Enter for the next step'] }, io);
          if (choice === 'quit') throw new StopDemo();
        },
        async credentials(loginHint, users) {
          if (!interactive) return { email: users[0]!.email, password: users[0]!.password };
          prompts ??= await import('@inquirer/prompts');
          talk(output.talkColour.bold('Mock Google asks for your email and password.') + ' They go to the provider, never to the app.');
          talk(output.talkColour.dim(`Demo accounts: ${terminalSafe(users.map((user) => `${user.email} / ${user.password}`).join(', '))}`));
          const email = await prompts.input({ message: 'Email', default: loginHint, theme: promptTheme }, io);
          const password = await prompts.password({ message: 'Password', mask: '•', theme: promptTheme }, io);
          return { email, password };
        },
        async consent(client, scopes, caution) {
          if (!interactive) return !flags.deny;
          prompts ??= await import('@inquirer/prompts');
          if (caution) talk(output.talkColour.bold(caution));
          return prompts.select({ message: `${client} wants: ${scopes.join(', ')}. Allow?`, choices: [{ name: 'Allow', value: true }, { name: 'Deny', value: false }], theme: promptTheme }, io);
        },
        note(text) {
          // A note may quote a request someone else sent (a refused callback): shown terminal-safe.
          if (!flags.json) talk(terminalSafe(text));
        },
      };

      /** A device's polling interval, waited while someone watches: q or Esc stops the demo here too. */
      async function waitOrStop(seconds: number): Promise<void> {
        const { navigationPrompt } = await import('../navigation-prompt.js');
        const timer = new AbortController();
        const timeout = setTimeout(() => timer.abort(), seconds * 1000);
        try {
          // Enter has nothing to skip to: the wait goes on until the interval is over.
          for (;;) {
            const choice = await navigationPrompt({ canGoBack: false, firstScreen: false, width: talkWidth, keys: [`Waiting ${seconds} seconds before the next poll…`, '[q/Esc] stop the demo'] }, { ...io, signal: timer.signal, clearPromptOnDone: true });
            if (choice === 'quit') throw new StopDemo();
          }
        } catch (error) {
          if (!(error instanceof Error && error.name === 'AbortPromptError')) throw error;
        } finally {
          clearTimeout(timeout);
        }
      }

      let outcome: Awaited<ReturnType<typeof flow.runTerminalFlow>> | undefined;
      let world: Awaited<ReturnType<typeof startDemoWorld>> | undefined;
      try {
        // With --dpop, Swaad's server makes its key pair as it starts (the TV app makes its own in the device flow).
        world = await startDemoWorld({ dpop: Boolean(flags.dpop) && flowName === 'code' });
        try {
          if (!flags.json) {
            talk(output.talkColour.dim(`Mock Google (a local simulation) at ${world.provider.issuer}; the Swaad demo app at ${world.app.url}.`));
          }
          const pacing = { waitForReal: interactive, wait: waitOrStop };
          if (attack) {
            if (!flags.json) {
              if (attack !== flags.attack) talk(`"${flags.attack}" is the old name of ${attack}; an open redirector (RFC 9700 §4.11) is a different attack, explained at the end.`);
              result(output.colour.bold(`Attack: ${attack}`) + ` (${attacks.ATTACKS[attack]})`);
            }
            outcome = await attacks.runAttack(attack, world, narrator, pacing);
          } else if (flowName === 'client-credentials' || flowName === 'refresh') {
            const tokenFlows = await import('../../oauth/token-flows.js');
            outcome = await (flowName === 'refresh' ? tokenFlows.runRefreshFlow : tokenFlows.runClientCredentialsFlow)(world, narrator);
          } else if (flowName === 'device') {
            const deviceFlow = await import('../../oauth/device-flow.js');
            const browserWanted = flags.browser && interactive;
            const reason = browserWanted ? whyNoBrowser(context.streams.env) : undefined;
            if (browserWanted && reason) talk(`No browser: ${reason}. The terminal plays your phone instead (--no-browser).`);
            const user = browserWanted && !reason
              ? {
                  kind: 'browser' as const,
                  deny: Boolean(flags.deny),
                  open: async (url: string) => {
                    try {
                      await openBrowser(url);
                    } catch (error) {
                      // As the code flow does: the terminal plays the phone, so the demo still goes on to its end.
                      talk(`No browser: opening one failed (${(error as Error).message}). The terminal plays your phone instead (--no-browser).`);
                      return false;
                    }
                    talk(`Opened ${url} in your browser: it plays your phone.`);
                    return true;
                  },
                }
              : { kind: 'terminal' as const, deny: Boolean(flags.deny) };
            outcome = await deviceFlow.runDeviceFlow(world, narrator, user, pacing, { dpop: Boolean(flags.dpop) });
          } else {
            const browserWanted = flags.browser && interactive;
            const reason = browserWanted ? whyNoBrowser(context.streams.env) : undefined;
            let openFailed: string | undefined;
            if (browserWanted && !reason) {
              try {
                outcome = await flow.runBrowserFlow(world, narrator, async (url) => {
                  try {
                    await openBrowser(url);
                  } catch (error) {
                    throw new OpenFailed((error as Error).message);
                  }
                  talk(`Opened ${url} in your browser.`);
                });
              } catch (error) {
                // Only a browser that could not be opened falls back; anything later is a real failure.
                if (!(error instanceof OpenFailed)) throw error;
                openFailed = error.message;
              }
            }
            if (!outcome) {
              if (browserWanted) talk(`No browser: ${reason ?? `opening one failed (${openFailed})`}. The terminal plays the browser instead (--no-browser).`);
              outcome = await flow.runTerminalFlow(world, narrator, { deny: Boolean(flags.deny) });
            }
          }
        } catch (error) {
          // q or Esc at a pause: the learner stopped here on purpose.
          if (!(error instanceof StopDemo)) throw error;
        }
        if (transcriptFile) {
          const { maskSecrets } = view;
          const lines = world.transcript.map(({ who, exchange }) => safeJsonText({
            who,
            request: { method: exchange.request.method, url: exchange.request.url, headers: maskHeaders(exchange.request.headers, maskSecrets), body: maskBody(exchange.request.body) },
            response: { status: exchange.response.status, headers: maskHeaders(exchange.response.headers, maskSecrets), body: exchange.response.body },
          }));
          // A run stopped with q or Esc writes what it did; a run that failed writes nothing (below).
          keepSignals();
          await transcriptFile.fill(`${lines.join('\n')}\n`);
          talk(`Wrote ${lines.length} HTTP exchanges to ${terminalSafe(transcriptFile.path)}. ${TRANSCRIPT_KEEPS}`);
        }
      } catch (error) {
        // A failed run leaves no transcript: half a run's exchanges would read like a whole one.
        keepSignals();
        await transcriptFile?.discard();
        throw error;
      } finally {
        await world?.close();
      }
      if (!outcome) {
        // Stopped with q or Esc: a choice, not a failure (exit 0); what was not shown is not judged.
        const last = steps.at(-1);
        talk(`Stopped${last ? ` after step ${last.number} of ${last.total}` : ''}.`);
        context.exitCode = EXIT.ok;
        return;
      }
      if (flags.json) {
        printJson(output, { outcome, steps: steps.map((step) => ({ number: step.number, total: step.total, title: step.title, text: step.text, facts: step.facts ?? [], arrows: step.arrows, ...(step.lanes && { lanes: step.lanes.map((party) => ({ id: party, name: partyName(party, step) })) }), exchanges: step.exchanges.map(({ who, exchange }) => ({ who, method: exchange.request.method, url: exchange.request.url, status: exchange.response.status, ...(exchange.request.headers.dpop !== undefined && { dpop: exchange.request.headers.dpop }) })), verification: step.verification ? { valid: step.verification.result.valid, nonceMatches: step.verification.nonceMatches } : undefined, checks: step.checks ?? [] })) });
      } else {
        output.result('');
        // The summary may quote the app's reason, which quotes the response (a hostile iss, say).
        result(`${outcome.ok ? output.colour.green('✓') : output.colour.red('✗')} ${terminalSafe(outcome.summary)}`);
      }
      context.exitCode = outcome.ok ? EXIT.ok : EXIT.checkFailed;
    });
}

class OpenFailed extends Error {}

/** The flow --flow names (default code); one that does not exist, or a flag it has no use for, is a usage error. */
function checkedFlow(flags: OAuthFlags): FlowName {
  const name = flags.flow ?? 'code';
  if (!(FLOWS as readonly string[]).includes(name)) throw new InputError('ERR_UNKNOWN_FLOW', `Unknown flow "${name}".`, `Choose one of: ${FLOWS.join(', ')}.`);
  if (flags.flow !== undefined && flags.attack !== undefined) throw new InputError('ERR_FLOW_AND_ATTACK', '--attack runs a scene of its own, with its own flow: leave out --flow.');
  if (flags.dpop && flags.attack !== undefined) throw new InputError('ERR_DPOP_AND_ATTACK', '--attack runs a scene of its own: leave out --dpop (--attack stolen-dpop-token is the one with DPoP).');
  if (flags.dpop && name !== 'code' && name !== 'device') throw new InputError('ERR_DPOP_FLOW', `This demo binds tokens with DPoP in --flow code and device only (RFC 9449 §5 allows it for any grant).`, 'Leave out --dpop, or try: jwt-vs-oauth oauth --flow device --dpop');
  if (flags.deny && (name === 'client-credentials' || name === 'refresh')) {
    const why = name === 'refresh' ? 'has no consent to refuse: its sign-in is only the set-up' : 'has no consent to refuse: no user takes part, the service gets a token for itself';
    throw new InputError('ERR_NOTHING_TO_DENY', `--deny refuses consent, and --flow ${name} ${why}. Leave out --deny.`);
  }
  return name as FlowName;
}

/** q or Esc pressed at a pause between steps. */
class StopDemo extends Error {}

async function openInSystemBrowser(url: string): Promise<void> {
  const { default: open } = await import('open');
  const child = await open(url, { wait: false });
  // An opener that fails at once (no browser installed) exits non-zero within a moment; one that works keeps going.
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code ? reject(new Error(`the opener exited with ${code}`)) : resolve()));
    setTimeout(resolve, 1500).unref();
  });
}

/** Why a browser cannot be opened here, or undefined when one can be tried. */
export function whyNoBrowser(env: NodeJS.ProcessEnv): string | undefined {
  if (env.CI) return 'running under CI';
  if (env.SSH_CONNECTION || env.SSH_TTY) return 'this is an SSH session';
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'no display (DISPLAY is not set)';
  return undefined;
}

function maskHeaders(headers: Record<string, string>, mask: (name: string, value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, mask(name, value)]));
}

function maskBody(body: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  return body.replace(/(^|&)(password|client_secret)=[^&]*/g, '$1$2=%E2%80%A2%E2%80%A2%E2%80%A2');
}
