// The hands-on steps of the lessons: each runs the project's real code in-process (the JWT
// core, Mock Google, the demo flow, the practice API) and returns what a learner should see.
// A step that shows a workbench command (mint, verify, decode) runs exactly that command through
// the CLI, its "$NAMES" filled with tokens earlier steps saved, so what is shown is what runs; the
// command keeps to the lesson allowlist (solution-commands.ts), and a command that fails is shown
// in its step, not treated as a bug.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderStep, type DrawnArrow } from './flow-view.js';
import { shellSetUp } from './lesson-view.js';
import { MARK, type Output } from './output.js';
import { decodeToken } from '../jwt/decode.js';
import { runTerminalFlow } from '../oauth/flow.js';
import type { Narrator } from '../oauth/steps.js';
import { issuedTokens, startDemoWorld, type DemoWorld } from '../oauth/world.js';
import { PRACTICE_API, startPracticeApi } from '../lessons/practice-api.js';
import type { RunScreen } from '../lessons/schema.js';
import { COMMAND_ACTIONS } from '../lessons/action-names.js';
import { lessonCommandWords } from '../lessons/solution-commands.js';
import { savedNameOf, variableOf } from '../lessons/step-tokens.js';
import { InputError } from '../errors.js';
import { terminalSafeLines } from '../text/terminal-safe.js';
import { displayWidth, layoutCommand, layoutTable, layoutText, shellWords, wrapParagraph } from '../text/layout.js';

export interface HandsOnContext {
  output: Output;
  now(): number;
  width: number;
  /** Tokens saved by earlier steps, by name. */
  saved: Map<string, string>;
  /** Waits between the demo's steps on a terminal; a no-op in plain text. */
  pause(): Promise<void>;
  /** On a terminal, with keys to go on, back or quit; false for --plain. */
  interactive: boolean;
  /** The shell variables this lesson has shown an assignment for (name → value): a command's others are shown before it runs. Cleared when a lesson starts. */
  given?: Map<string, string>;
}

/** What a hands-on step is given: its arguments, and the command it shows (and runs, for mint, verify and decode). */
export type HandsOnStep = Pick<RunScreen, 'action' | 'args' | 'command'>;

type Action = (args: Record<string, unknown>, context: HandsOnContext, command: string | undefined) => Promise<string>;

/** A step that needs what an earlier step makes, which has not run in this session (after a resume): said, not thrown. */
class NotReady extends Error {}

/** "$ACCESS_TOKEN" → the token saved as "accessToken"; "$TOKEN" → "token". */
export { savedNameOf } from '../lessons/step-tokens.js';

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The step's command gave no answer: it exited 2 (bad input, a key it could not fetch), or was not
 * run. Not a bug in the tool, and not the end of the lesson: the step shows what the command said
 * and what to do, and the lesson goes on.
 */
class CommandFailed extends Error {
  constructor(readonly shown: string) {
    super(shown);
  }

  /** The same failure, after what the step showed before running the command. */
  after(before: string[]): CommandFailed {
    return new CommandFailed([...before, this.shown].join('\n'));
  }
}

/** What the learner can do next, on a terminal (keys) or in --plain (the lesson just goes on). */
function whatNext(context: HandsOnContext): string {
  return context.interactive
    ? '  Press Enter to go on without it, or b and then Enter to run this step again; q quits (progress is kept).'
    : '  The lesson goes on without it.';
}

/** A command's text, colours taken out (its own, not the learner's terminal's) and every control character shown escaped. */
const plainText = (text: string) => terminalSafeLines(text.replace(/\u001b\[[0-9;]*m/g, '').trimEnd());

function commandFailed(command: string, result: CommandResult, context: HandsOnContext, savedAs: string | undefined): CommandFailed {
  const said = [result.stdout, result.stderr].filter((text) => text.trim() !== '').map(plainText).join('\n');
  return new CommandFailed([
    context.output.colour.red(`${MARK.fail} This step's command failed (exit ${result.code}), so the step has no result.${savedAs ? ` Nothing was saved as $${variableOf(savedAs)}.` : ''}`),
    ...layoutCommand(command, context.width, { lead: '  ', hang: '      ' }),
    ...(said ? ['  It said:', ...said.split('\n').map((text) => `    ${text}`)] : []),
    whatNext(context),
  ].join('\n'));
}

/**
 * Runs a shown `jwt-vs-oauth …` command through the real CLI, in-process, with the learner's clock
 * and colour. The command is checked against the lesson allowlist (solution-commands.ts) as when
 * its file loaded; then each word "$NAME" is replaced by `values.NAME` (what this step made: only
 * there does "$ISSUER", the Mock Google the step runs, come from), else by the token an earlier
 * step saved under the camel-cased name, and checked again; nothing else in the line changes.
 * Exit 0, and for verify exit 1 (INVALID, with its verdict), are answers; anything else is a
 * CommandFailed, which the step shows.
 */
async function runShownCommand(command: string | undefined, context: HandsOnContext, values: Record<string, string> = {}, savedAs?: string, indent = 0): Promise<CommandResult> {
  if (!command) throw new Error('This hands-on step runs the command it shows, and the lesson gives none.');
  const fill = (variable: string): string => {
    const value = values[variable] ?? (variable === 'ISSUER' ? undefined : context.saved.get(savedNameOf(variable)));
    if (value === undefined) throw new NotReady(`This step uses $${variable}, which an earlier step of this lesson makes, and that step has not run since you started: go back to it (b goes back a screen at a time), then come here again.`);
    return value;
  };
  let argv: string[];
  try {
    argv = lessonCommandWords(command, fill, { mockGoogle: values.ISSUER !== undefined });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new CommandFailed([context.output.colour.red(`${MARK.fail} This step's command was not run: ${error.message}`), whatNext(context)].join('\n'));
  }
  const { runCaptured } = await import('./run.js');
  const level = context.output.colour.level;
  // The command lays itself out for the lesson's width, less the indent the step shows it under.
  const columns = Number.isFinite(context.width) ? { COLUMNS: String(Math.max(20, context.width - indent)) } : {};
  const result = await runCaptured(argv, { env: { ...(level === 0 ? { NO_COLOR: '1' } : { FORCE_COLOR: String(level) }), ...columns }, now: context.now });
  const answered = result.code === 0 || (argv[0] === 'verify' && result.code === 1 && result.stdout.trim() !== '');
  if (!answered) throw commandFailed(command, result, context, savedAs);
  return result;
}

/** `shown` after the lines that set the names `command` uses which the lesson has not set before it (see shellSetUp). */
function withSetUp(command: string | undefined, context: HandsOnContext, shown: string, made: Record<string, string> = {}, notes: Record<string, string> = {}): string {
  return [...shellSetUp(command, context, context.width, 'above', made, notes), shown].join('\n');
}

/** A command's output as a step shows it: what it printed, then what it said on stderr (warnings). */
function shownOutput(result: { stdout: string; stderr: string }, indent = ''): string {
  const lines = [...result.stdout.trimEnd().split('\n'), ...(result.stderr.trim() ? result.stderr.trimEnd().split('\n') : [])];
  return lines.map((text) => (text ? `${indent}${text}` : text)).join('\n');
}

const string = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

async function call(url: string, method: string, options: { token?: string; json?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: options.json === undefined ? undefined : JSON.stringify(options.json) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * A request (→) and its answer (←), the request wrapped under its own text. The answer's JSON body
 * goes on the arrow's line when it fits there, else pretty-printed, a member a line (a long string
 * wrapped at its spaces, under its member): JSON is never broken with a "\\" mid-body.
 */
function line(context: HandsOnContext, method: string, path: string, note: string, status: number, body: unknown): string {
  const c = context.output.colour;
  const shorten = (json: string) => json.replace(/eyJ[\w-]{20,}\.[\w-]+\.[\w-]+/g, (token) => `${token.slice(0, 16)}…`);
  const answer = `  ${c.bold('←')} ${status >= 400 ? c.red(String(status)) : c.green(String(status))} `;
  const compact = shorten(JSON.stringify(body));
  const pretty = shorten(JSON.stringify(body, null, 2)).split('\n');
  const members = pretty.slice(1, -1).flatMap((member) => {
    const indent = `    ${/^ */.exec(member)![0]}`;
    return wrapParagraph(member.trimStart(), context.width, { lead: indent, hang: `${indent}  ` });
  });
  return [
    ...hanging(`  ${c.bold('→')} `, `${method} ${path}${note ? c.dim(`  (${note})`) : ''}`, context.width),
    ...(displayWidth(answer + compact) <= context.width || pretty.length < 3 ? hanging(answer, compact, context.width) : [`${answer}${pretty[0]}`, ...members, `    ${pretty.at(-1)}`]),
  ].join('\n');
}

/**
 * A line of code laid out: broken only at spaces outside its quotes (a string stays whole), later
 * lines four columns deeper. A piece wider than the line is left whole: code is read, not pasted.
 */
function layoutCode(code: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let current = indent;
  for (const word of shellWords(code)) {
    const fresh = current.trim() === '';
    if (!fresh && displayWidth(`${current} ${word}`) > width) {
      lines.push(current);
      current = `${indent}    `;
    }
    current += current.trim() === '' ? word : ` ${word}`;
  }
  return [...lines, current];
}

/** `lead` and `text` on one line when they fit, else wrapped with the later lines under the text. */
function hanging(lead: string, text: string, width: number): string[] {
  return displayWidth(lead + text) <= width ? [lead + text] : wrapParagraph(text, width, { lead });
}

async function withPracticeApi<T>(context: HandsOnContext, run: (url: string) => Promise<T>): Promise<T> {
  const api = await startPracticeApi(context.now);
  try {
    return await run(api.url);
  } finally {
    await api.close();
  }
}

const asha = PRACTICE_API.users[0]!;

async function loginAsAsha(url: string): Promise<{ login: Awaited<ReturnType<typeof call>>; token: string }> {
  const login = await call(`${url}/login`, 'POST', { json: { email: asha.email, password: asha.password } });
  return { login, token: String(login.body.token) };
}

/** Plays the demo flow with no output: the first user, consent given. */
const silentNarrator: Narrator = {
  show: () => undefined,
  pause: async () => undefined,
  credentials: async (_hint, users) => ({ email: users[0]!.email, password: users[0]!.password }),
  consent: async () => true,
  note: () => undefined,
};

/** Runs the demo flow without pauses or output, to get real tokens from Mock Google. */
async function quietOAuthTokens(context: HandsOnContext): Promise<void> {
  if (context.saved.has('accessToken')) return;
  await withFreshSignIn(async (tokens) => saveTokens(tokens, context));
}

interface SignInTokens {
  accessToken: string;
  idToken: string;
}

function tokensFrom(world: DemoWorld): SignInTokens {
  const tokens = issuedTokens(world);
  return { accessToken: tokens.access_token, idToken: tokens.id_token };
}

function saveTokens(tokens: SignInTokens, context: HandsOnContext): void {
  context.saved.set('accessToken', tokens.accessToken);
  context.saved.set('idToken', tokens.idToken);
}

/** Starts Mock Google and Swaad, signs Asha in silently, and runs `use` while the provider still answers. */
async function withFreshSignIn<T>(use: (tokens: SignInTokens, world: DemoWorld) => Promise<T>): Promise<T> {
  const world = await startDemoWorld();
  try {
    await runTerminalFlow(world, silentNarrator, { deny: false });
    return await use(tokensFrom(world), world);
  } finally {
    await world.close();
  }
}

/**
 * The names a command checked against the running Mock Google may use: its issuer, the audience
 * its API (userinfo) answers to, and this sign-in's tokens, with a note for the two whose values
 * change with every run (the ports).
 */
function providerValues(tokens: SignInTokens, world: DemoWorld, now: number): { values: Record<string, string>; notes: Record<string, string> } {
  const audience = (decodeToken(tokens.accessToken, now).payload as Record<string, unknown>).aud;
  const api = Array.isArray(audience) ? String(audience[0]) : String(audience);
  return {
    values: { ISSUER: world.provider.issuer, API: api, ACCESS_TOKEN: tokens.accessToken, ID_TOKEN: tokens.idToken },
    notes: { ISSUER: 'Mock Google, on a port of its own for this run (it answers only while this step runs)', API: 'the audience its API, userinfo, answers to' },
  };
}

export const ACTIONS: Record<string, Action> = {
  async 'practice-requests'(_args, context) {
    return withPracticeApi(context, async (url) => {
      const anonymous = await call(`${url}/profile`, 'GET');
      const { token } = await loginAsAsha(url);
      const admin = await call(`${url}/admin`, 'GET', { token });
      const profile = await call(`${url}/profile`, 'GET', { token });
      return [
        line(context, 'GET', '/profile', 'no credentials', anonymous.status, anonymous.body),
        line(context, 'GET', '/profile', 'with Asha\'s token', profile.status, profile.body),
        line(context, 'GET', '/admin', 'with Asha\'s token', admin.status, admin.body),
        '',
        '401 means "who are you?": authentication failed or was missing. 403 means "we know who you are, and you may not": authorization said no.',
      ].join('\n');
    });
  },

  async 'practice-login'(args, context) {
    return withPracticeApi(context, async (url) => {
      const { login, token } = await loginAsAsha(url);
      context.saved.set(string(args.save, 'loginToken'), token);
      const withToken = await call(`${url}/profile`, 'GET', { token });
      const without = await call(`${url}/profile`, 'GET');
      return [
        line(context, 'POST', '/login', `{"email":"${asha.email}","password":"…"}`, login.status, login.body),
        ...hanging('     1-4: ', 'the server checked the password, minted a JWT (HS256, 15 minutes) and sent it back.', context.width),
        line(context, 'GET', '/profile', 'Authorization: Bearer <the JWT>', withToken.status, withToken.body),
        ...hanging('     5: ', 'the client sends the token with each request; the server checks it with its secret, no session lookup (it keeps only a deny list of logged-out tokens: lesson 4).', context.width),
        line(context, 'GET', '/profile', 'no Authorization header', without.status, without.body),
        '',
        `The token, saved for the next steps:\n  ${token}`,
      ].join('\n');
    });
  },

  async 'practice-logout'(_args, context) {
    return withPracticeApi(context, async (url) => {
      const { token } = await loginAsAsha(url);
      const before = await call(`${url}/profile`, 'GET', { token });
      const logout = await call(`${url}/logout`, 'POST', { token });
      const after = await call(`${url}/profile`, 'GET', { token });
      return [
        line(context, 'GET', '/profile', 'a fresh token', before.status, before.body),
        line(context, 'POST', '/logout', 'the server writes the jti on a deny list', logout.status, logout.body),
        line(context, 'GET', '/profile', 'the same token again', after.status, after.body),
        '',
        'Taking the token back needed the server to remember something (the deny list) and to look it up on every request: state again. Without that list, the token would have kept working for its remaining 15 minutes.',
      ].join('\n');
    });
  },

  async mint(args, context, command) {
    const name = string(args.save, 'token');
    // Laid out once, for the width left after the two columns it is shown under: never wrapped again.
    const result = await runShownCommand(command, context, {}, name, 2);
    context.saved.set(name, result.stdout.trim());
    return `${shownOutput(result, '  ')}\n  ${context.output.colour.dim(`(saved as $${variableOf(name)} for the steps that follow)`)}`;
  },

  async decode(args, context, command) {
    if (args.ensure === 'oauth-flow') await quietOAuthTokens(context);
    return withSetUp(command, context, shownOutput(await runShownCommand(command, context)));
  },

  async verify(_args, context, command) {
    return withSetUp(command, context, shownOutput(await runShownCommand(command, context)));
  },

  async tamper(args, context) {
    const name = string(args.token, 'token');
    const token = context.saved.get(name);
    if (token === undefined) throw new NotReady(`This step changes the token an earlier step of this lesson mints, and that step has not run since you started: go back to it (b goes back a screen at a time), then come here again.`);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    claims[string(args.claim, 'sub')] = args.value;
    const changed = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    context.saved.set(string(args.save, 'tampered'), changed);
    return [`Changed ${string(args.claim, 'sub')} to ${JSON.stringify(args.value)} in the payload and kept the old signature:`, `  ${changed}`].join('\n');
  },

  async 'oauth-flow'(_args, context) {
    const world = await startDemoWorld();
    const history: DrawnArrow[] = [];
    // The flow pauses after most steps, but signs in and consents (answered here, not asked) right
    // after step 2: a step not yet paused after is paused after before the flow goes on, so each
    // Enter shows one step.
    let unpaused = false;
    const pause = async () => {
      unpaused = false;
      await context.pause();
    };
    try {
      const narrator: Narrator = {
        show: (step) => {
          history.push(...step.arrows.map((arrow) => ({ ...arrow, step: step.number })));
          const text = renderStep(step, history, context.output, { verbose: false, width: context.width });
          context.output.result(layoutText(text, context.width));
          unpaused = true;
        },
        pause,
        credentials: async (_hint, users) => {
          if (unpaused) await pause();
          return { email: users[0]!.email, password: users[0]!.password };
        },
        consent: async () => {
          if (unpaused) await pause();
          return true;
        },
        note: () => undefined,
      };
      const outcome = await runTerminalFlow(world, narrator, { deny: false });
      saveTokens(tokensFrom(world), context);
      // Kept in memory only: the lessons that follow in this run use them; a later run signs in again.
      return `${outcome.ok ? '✓' : '✗'} ${outcome.summary} The tokens are kept for the next lessons while this tutorial runs (in memory only: if you quit, a later lesson that needs them signs in again).`;
    } finally {
      await world.close();
    }
  },

  async 'compare-tokens'(_args, context) {
    await quietOAuthTokens(context);
    const now = context.now();
    const id = decodeToken(context.saved.get('idToken')!, now);
    const access = decodeToken(context.saved.get('accessToken')!, now);
    const rows: Array<[string, unknown, unknown]> = [
      ['typ (header)', id.header.typ, access.header.typ],
      ['aud', (id.payload as Record<string, unknown>).aud, (access.payload as Record<string, unknown>).aud],
      ['scope', (id.payload as Record<string, unknown>).scope ?? '(none)', (access.payload as Record<string, unknown>).scope],
      ['nonce', (id.payload as Record<string, unknown>).nonce ? 'yes' : '(none)', (access.payload as Record<string, unknown>).nonce ?? '(none)'],
      ['email', (id.payload as Record<string, unknown>).email ?? '(none)', (access.payload as Record<string, unknown>).email ?? '(none)'],
    ];
    const c = context.output.colour;
    return [
      // Aligned while the values fit beside each other; stacked, each value labelled, when they do not.
      ...layoutTable(rows.map(([name, left, right]) => [name, String(left), String(right)]), context.width, { indent: '  ', headings: ['', c.bold('ID token'), c.bold('access token')], minLastColumn: 24 }),
      '',
      'The ID token is addressed to the app (aud = its client_id) and says who signed in. The access token is addressed to the API and says what the app may do (scope); its typ, at+jwt, is what an API requires (RFC 9068 §4), so an ID token sent in its place is refused.',
    ].join('\n');
  },

  async discovery(_args, context) {
    const { startProvider } = await import('../provider/server.js');
    const provider = await startProvider({ port: 0 });
    try {
      const metadata = (await (await fetch(provider.discoveryUrl)).json()) as Record<string, unknown>;
      const shown = ['issuer', 'authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'code_challenge_methods_supported', 'id_token_signing_alg_values_supported'];
      return [`GET ${provider.discoveryUrl}`, ...layoutTable(shown.map((name) => [name, JSON.stringify(metadata[name])]), context.width, { indent: '  ', minLastColumn: 24 }), '', 'Integrating "Login with Google" means talking to all of these, with redirects, codes, PKCE and key rotation. In return the provider carries what a login you run yourself must carry on its own: password storage with a slow hash, account recovery, multi-factor sign-in, rate limits against guessing, and the care of signing keys.'].join('\n');
    } finally {
      await provider.close();
    }
  },

  async 'verify-with-mock-google'(_args, context, command) {
    return withFreshSignIn(async (tokens, world) => {
      const { values, notes } = providerValues(tokens, world, context.now());
      const before = [withSetUp(command, context, 'A fresh sign-in at Mock Google (its keys live only while it runs).', values, notes), ''];
      return [
        ...before,
        shownOutput(await runShownCommand(command, context, values).catch(showingFirst(before))),
        '',
        'verify checked what it can know; scope is the API\'s own last check, per request: does "openid profile email" allow what this request asks for?',
      ].join('\n');
    });
  },

  async 'id-token-to-api'(_args, context, command) {
    return withFreshSignIn(async (tokens, world) => {
      const userinfo = `${world.provider.issuer}/userinfo`;
      const withId = await call(userinfo, 'GET', { token: tokens.idToken });
      const withAccess = await call(userinfo, 'GET', { token: tokens.accessToken });
      const { values, notes } = providerValues(tokens, world, context.now());
      const before = [
        line(context, 'GET', '/userinfo', 'Bearer <the ID token>', withId.status, withId.body),
        line(context, 'GET', '/userinfo', 'Bearer <the access token>', withAccess.status, withAccess.body),
        '',
        withSetUp(command, context, 'Now the ID token through verify, as an API would check it.', values, notes),
        '',
      ];
      return [
        ...before,
        shownOutput(await runShownCommand(command, context, values).catch(showingFirst(before))),
        '',
        'The signature passed. Mock Google signs ID tokens and access tokens with different keys, but both keys are in its JWKS, and a verifier that takes any key from there accepts both kinds: separate keys help only a verifier that pins the key (or the algorithm) for its kind of token (RFC 8725 §3.12). What refused the ID token is typ, which an API requires to be at+jwt (RFC 8725 §3.11, RFC 9068 §4), and aud, which names the app, not the API. userinfo above pins its key and checks typ and aud too.',
      ].join('\n');
    });
  },

  async 'storage-page'(_args, context) {
    // Short lines, so the script reads whole on a narrow terminal too.
    const page = `<!doctype html><title>Where is the token?</title><script>
localStorage.setItem('access_token', 'eyJhbGciOi…');
const token = localStorage.getItem('access_token');
const cookies = JSON.stringify(document.cookie);
document.body.textContent = 'localStorage: ' + token
  + ' | document.cookie: ' + cookies;
</script>`;
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html', 'set-cookie': 'session=opaque-session-id; HttpOnly; SameSite=Lax; Path=/' });
      response.end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const response = await fetch(url);
      const body = await response.text();
      return [
        `GET ${url}`,
        `  set-cookie: ${response.headers.get('set-cookie')}`,
        '  the page\'s script:',
        ...body.split('\n').slice(1, -1).flatMap((text) => layoutCode(text.trimStart(), context.width, `    ${/^ */.exec(text)![0]}`)),
        '',
        'In a browser this page shows: localStorage: eyJhbGciOi… | document.cookie: ""',
        'Any script on the page (including one an attacker injected through an XSS bug) can read localStorage and send the token away. The HttpOnly cookie is sent with requests but is invisible to scripts. (XSS can still make requests with it, and a cookie needs CSRF protection: SameSite helps.)',
      ].join('\n');
    } finally {
      server.close();
      server.closeAllConnections();
    }
  },
};

/** For a step that shows something before its command: a failure keeps what was shown before it. */
const showingFirst = (before: string[]) => (error: unknown): never => {
  throw error instanceof CommandFailed ? error.after(before) : error;
};

/**
 * Runs one hands-on step. A step whose earlier steps have not run says so, and a step whose
 * command fails shows what the command said; either way the lesson goes on. Only the steps that
 * run the command they show are given it; the others' commands are only shown.
 */
export async function runHandsOn(step: HandsOnStep, context: HandsOnContext): Promise<{ text: string; commandFailed: boolean }> {
  const run = ACTIONS[step.action];
  if (!run) throw new Error(`Unknown hands-on action "${step.action}".`);
  try {
    return { text: await run(step.args ?? {}, context, COMMAND_ACTIONS.has(step.action) ? step.command : undefined), commandFailed: false };
  } catch (error) {
    if (error instanceof NotReady) return { text: `${MARK.warn} ${error.message}`, commandFailed: false };
    if (error instanceof CommandFailed) return { text: error.shown, commandFailed: true };
    throw error;
  }
}

/**
 * Runs a hands-on step again on a resume, for the tokens it makes: its output as a step shows it,
 * except the demo flow, which signs in again without its pauses and says only that.
 */
export async function remakeTokens(step: HandsOnStep, context: HandsOnContext): Promise<string> {
  if (step.action !== 'oauth-flow') return (await runHandsOn(step, context)).text;
  context.saved.delete('accessToken');
  await quietOAuthTokens(context);
  return '  Signed in at Mock Google again, as Asha, with no pauses: a new access token and ID token.';
}

/** Reads a value a question asks about: "token:accessToken.payload.scope". */
export function valueFromReference(reference: string, context: HandsOnContext): string | undefined {
  const match = /^token:([A-Za-z]+)\.(payload|header)\.([\w.]+)$/.exec(reference);
  if (!match) return undefined;
  const token = context.saved.get(match[1]!);
  if (!token) return undefined;
  const decoded = decodeToken(token, context.now());
  const source = (match[2] === 'header' ? decoded.header : decoded.payload) as Record<string, unknown>;
  const value = source?.[match[3]!];
  return value === undefined ? undefined : Array.isArray(value) ? value.join(' ') : String(value);
}
