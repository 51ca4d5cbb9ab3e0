// `jwt-vs-oauth provider` (alias `serve`): run "Mock Google", a local OpenID Connect provider,
// in the foreground, logging each request in words. Ctrl-C stops it.

import { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { safeJsonText, type Output } from '../output.js';
import { InputError } from '../../errors.js';
import { displayWidth, layoutTable, outputWidth, padEndVisible, wrapParagraph } from '../../text/layout.js';
import { terminalSafe } from '../../text/terminal-safe.js';
import { exitCodeForStop, untilStopped } from '../until-stopped.js';
import type { KeysReport, RequestEvent, RunningProvider } from '../../provider/server.js';
import type { Client } from '../../provider/directory.js';

interface ProviderFlags {
  port: string;
  host: string;
  issuer?: string;
  users?: string;
  clients?: string;
  autoApprove?: boolean;
  accessTokenTtl: string;
  accessTokenAlg: string;
  json?: boolean;
  /** A path, false for --no-keys-file, undefined for the default file in the home folder. */
  keysFile?: string | false;
  rotateKeys?: boolean;
}

export function providerCommand(context: CommandContext): Command {
  return new Command('provider')
    .alias('serve')
    .description('Run "Mock Google": a local OpenID Connect provider (a simulation) that real clients accept. Ctrl-C stops it.')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '9400')
    .option('--host <host>', 'address to bind; anything but loopback is for a classroom network only', '127.0.0.1')
    .option('--issuer <url>', 'issuer: an http(s) URL, a path allowed (default http://<host>:<port>)')
    .option('--users <file>', 'users as JSON: {"users": [{"sub", "email", "password", "name", …}]}')
    .option('--clients <file>', 'clients as JSON: {"clients": [{"client_id", "redirect_uris": […], …}]}; optional: client_secret, client_name, post_logout_redirect_uris, scopes (for client_credentials), jwks (public keys, for private_key_jwt)')
    .option('--auto-approve', 'skip the sign-in and consent pages: answer /authorize at once and approve each device code as it is issued (login_hint, else the first user)')
    .option('--access-token-ttl <duration>', 'access token lifetime, 10s to 24h: 30s, 15m, 1h', '15m')
    .option('--access-token-alg <alg>', 'how access tokens are signed: ES256 or RS256 (ID tokens are always RS256, with a key of their own)', 'ES256')
    .option('--keys-file <file>', 'keep the signing keys in this file (0600), so tokens verify after a restart (default: provider-keys.json in the home folder)')
    .option('--no-keys-file', 'new keys each start, kept nowhere')
    .option('--rotate-keys', 'sign with new keys from now on; the old ones stay at /jwks until their tokens expire')
    .option('--json', 'log as JSON lines: a "started" line, then one line per request')
    .addHelpText('after', () => examples([
      ['jwt-vs-oauth provider', 'start on http://127.0.0.1:9400'],
      ['jwt-vs-oauth provider --port 0 --auto-approve', 'a free port, no pages: for scripts'],
      ['jwt-vs-oauth provider --users class.json --clients apps.json', 'your own users and apps'],
      ['jwt-vs-oauth provider --access-token-alg RS256', 'access tokens signed RS256, to compare'],
      ['jwt-vs-oauth provider --rotate-keys', 'new signing keys; tokens already issued still verify'],
      ['curl http://127.0.0.1:9400/.well-known/openid-configuration', 'then, in another terminal'],
    ]) + '\nExit codes: 130 when stopped with Ctrl-C, 0 when stopped with SIGTERM, 2 bad flags, files, or a port in use.\n')
    .action(async (flags: ProviderFlags) => {
      // Listen for Ctrl-C before anything is printed, so a stop right after the banner is clean.
      await untilStopped((stopped) => serve(flags, context, stopped));
    });
}

async function serve(flags: ProviderFlags, context: CommandContext, stopSignal: Promise<NodeJS.Signals>): Promise<void> {
  // Nothing to rotate: without a file, every start makes new keys, and saying nothing would hide that.
  if (flags.rotateKeys && flags.keysFile === false) throw new InputError('ERR_USAGE', '--rotate-keys rotates the keys kept in a keys file; with --no-keys-file every start makes new keys anyway.');
  const [{ parseDuration }, { startProvider, normalizeIssuer }, configFiles, { isLoopbackHost }, { ACCESS_TOKEN_ALGORITHMS }, { isConfidential }, keysFile] = await Promise.all([
    import('../../jwt/time.js'),
    import('../../provider/server.js'),
    import('../../provider/config-files.js'),
    import('../../protocol/loopback.js'),
    import('../../provider/signing.js'),
    import('../../provider/directory.js'),
    flags.keysFile === false ? undefined : flags.keysFile ?? defaultKeysFile(context.streams.env),
  ]);
  const port = parsePort(flags.port);
  if (flags.keysFile === '') throw new InputError('ERR_USAGE', '--keys-file: give a file name, or --no-keys-file for new keys each start.');
  const accessTokenAlgorithm = ACCESS_TOKEN_ALGORITHMS.find((alg) => alg === flags.accessTokenAlg.toUpperCase());
  if (!accessTokenAlgorithm) throw new InputError('ERR_ALG_UNSUPPORTED', `--access-token-alg: "${flags.accessTokenAlg}" is not one the provider signs access tokens with (${ACCESS_TOKEN_ALGORITHMS.join(' or ')}).`);
  const issuer = flags.issuer === undefined ? undefined : normalizeIssuer(flags.issuer, '--issuer');
  const output = context.output();
  const c = output.colour;
  if (!isLoopbackHost(flags.host)) {
    output.talk(output.talkColour.yellow(`! warning: listening on ${flags.host}, beyond this computer. Mock Google is a teaching provider with demo passwords shown on its pages; use it only on a network you trust, for a class.`));
  }
  const users = flags.users ? await configFiles.loadUsers(flags.users) : undefined;
  const clients = flags.clients ? await configFiles.loadClients(flags.clients) : undefined;

  let provider: RunningProvider;
  try {
    provider = await startProvider({
      port,
      host: flags.host,
      issuer,
      users,
      clients,
      autoApprove: flags.autoApprove,
      accessTokenTtl: accessTokenTtlFrom(parseDuration(flags.accessTokenTtl, '--access-token-ttl')),
      accessTokenAlgorithm,
      keysFile,
      rotateKeys: flags.rotateKeys,
      onRequest: requestLogger(output, { json: flags.json, width: outputWidth(context.streams.stdout, context.streams.env) }),
    });
  } catch (error) {
    throw listenError(error, flags.host, port, { hint: 'Stop the other program, or pick another port: --port 0 chooses a free one.' });
  }

  const config = provider.state.config;
  if (flags.json) {
    output.result(safeJsonText({
      event: 'started',
      issuer: provider.issuer,
      discovery: provider.discoveryUrl,
      autoApprove: config.autoApprove,
      keys: keyList(provider),
      keysFile: provider.keys.file ?? null,
      keysOrigin: provider.keys.origin,
      keysRotated: provider.keys.rotated,
      retiredKids: provider.keys.retiredKids,
      clients: config.clients.map((client) => ({
        client_id: client.client_id,
        client_secret: client.client_secret ?? null,
        type: isConfidential(client) ? 'confidential' : 'public',
        authentication: clientAuthentication(client),
        redirect_uris: client.redirect_uris,
        scopes: client.scopes ?? [],
      })),
      users: config.users.map(({ sub, email, password, name }) => ({ sub, email, password, name })),
    }));
  } else {
    const width = outputWidth(context.streams.stdout, context.streams.env);
    // A pipe keeps the note's lines as written; a terminal (or COLUMNS) gets them laid out.
    const note = (lines: string[]) => (Number.isFinite(width) ? wrapParagraph(lines.join(' '), width, { lead: '  ' }) : lines.map((line) => `  ${line}`)).map((line) => c.dim(line));
    const lines = [
      ...wrapParagraph(`${c.bold('Mock Google is running')} (a local simulation of an OpenID Connect provider, not Google)`, width),
      '',
      // URLs wrap in their column, broken only at their own separators.
      ...layoutTable([
        ['issuer', c.cyan(provider.issuer)],
        ['discovery', c.cyan(provider.discoveryUrl)],
        ['devices', `${c.cyan(`${provider.issuer}/device`)} ${c.dim("(where a user types a device's code)")}`],
        ['mode', config.autoApprove ? 'auto-approve: /authorize answers at once, device codes are approved as issued; no pages' : 'sign-in and consent pages in the browser'],
        ['keys', `${keyList(provider).map((key) => `${key.signs} ${key.alg}`).join(', ')} ${c.dim('(a key for each, both at /jwks)')}`],
        ...keysFileRows(provider.keys, c.dim),
      ], width, { indent: '  ', minLastColumn: 20 }),
      '',
      c.bold('Clients'),
      // Too narrow for the columns, each client is stacked: its id, then its kind and URIs under it.
      ...layoutTable(config.clients.flatMap((client) => [
        [
          // At least 11 columns, so the ids line up with the values above them.
          padEndVisible(terminalSafe(client.client_id), 11),
          terminalSafe(clientKind(client, isConfidential(client))),
          c.dim(terminalSafe(client.redirect_uris.join(' '))),
        ],
        ...(client.scopes?.length ? [['', '', `${c.dim('client_credentials scopes:')} ${terminalSafe(client.scopes.join(' '))}`]] : []),
      ]), width, { indent: '  ' }),
      ...note(LOOPBACK_NOTE),
      '',
      ...wrapParagraph(c.bold('Users') + c.dim(' (demo passwords, shown because this is a simulation)'), width),
      ...layoutTable(config.users.map((user) => [terminalSafe(user.email), terminalSafe(user.password), terminalSafe(user.name)]), width, { indent: '  ' }),
      '',
      ...wrapParagraph(c.dim('Press Ctrl-C to stop. Each request is logged below.'), width),
      '',
    ];
    output.result(lines.join('\n'));
  }

  const signal = await stopSignal;
  await provider.close();
  if (!flags.json) output.talk('Stopped.');
  context.exitCode = exitCodeForStop(signal);
}

const LOOPBACK_NOTE = [
  'A loopback redirect URI (127.0.0.1, [::1], localhost) accepts any port here, a local-demo',
  'convenience: RFC 8252 §7.3 allows it for native apps only; a web app registers its exact URI.',
];

/** A --port value: a whole number from 0 (any free port) to 65535; anything else is ERR_BAD_PORT (exit 2). */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new InputError('ERR_BAD_PORT', `--port: "${text}" is not a port number (0 to 65535).`);
  return port;
}

/**
 * Why Mock Google could not listen, as a learner reads it (exit 2); any other error as it came.
 * A port in use is said with what to do next: on a line of its own (`hint`) or after the message.
 */
export function listenError(error: unknown, host: string, port: number, portInUse: { hint: string } | { advice: string }): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') {
    const message = `Port ${port} on ${host} is already in use`;
    return 'hint' in portInUse ? new InputError('ERR_PORT_IN_USE', `${message}.`, portInUse.hint) : new InputError('ERR_PORT_IN_USE', `${message}: ${portInUse.advice}`);
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') return new InputError('ERR_LISTEN', `Cannot listen on ${host}:${port} (${code}).`);
  return error;
}

/**
 * The request log: one line per request that reached Mock Google (time, method, path, status,
 * what happened in words), or a JSON line each. Method, path and message carry request text:
 * escaped for the terminal, exact in JSON. In the lines, a sign-in's 43-character interaction id
 * is cut to its first 6 characters, so its paths fit the column; JSON keeps the path exact.
 * A line wider than `width` wraps its words under the path (a hanging indent after the time and
 * method), a long path broken at its own separators.
 */
export function requestLogger(output: Output, { json = false, width = Infinity }: { json?: boolean; width?: number } = {}): (event: RequestEvent) => void {
  const c = output.colour;
  return (event) => {
    if (json) return output.result(safeJsonText({ event: 'request', ...event }));
    // Status 0: the client went away before it was answered; a dash, not a green success.
    const status = event.status === 0 ? c.yellow('—  ') : event.status >= 400 ? c.red(String(event.status)) : c.green(String(event.status));
    const path = event.path.replace(/(\/interaction\/)([\w-]{6})[\w-]{4,}/, '$1$2…');
    const lead = `${c.dim(event.time.slice(11, 19))} ${terminalSafe(event.method).padEnd(4)} `;
    const head = `${lead}${terminalSafe(path).padEnd(28)} ${status}  `;
    const message = terminalSafe(event.message);
    const hang = ' '.repeat(displayWidth(lead));
    if (displayWidth(head + message) <= width) return output.result(head + message);
    // The message starts beside the status when its first word fits there (wrapParagraph would
    // break a first word that does not), else on the lines under the path.
    const firstWord = message.split(' ')[0]!;
    const pathLines = displayWidth(head) <= width ? [head.trimEnd()] : wrapParagraph(`${terminalSafe(path)} ${status}`, width, { lead, hang });
    const lines = displayWidth(head + firstWord) <= width
      ? wrapParagraph(message, width, { lead: head, hang })
      : [...pathLines, ...wrapParagraph(message, width, { lead: hang })];
    output.result(lines.join('\n'));
  };
}

/** The provider's public keys as the banner and the "started" line show them. */
function keyList(provider: RunningProvider): Array<{ signs: string; alg: string; kid: string }> {
  const { idToken, accessToken } = provider.state.keys;
  return [
    { signs: 'ID tokens', alg: idToken.alg, kid: idToken.kid },
    { signs: 'access tokens', alg: accessToken.alg, kid: accessToken.kid },
  ];
}

/** Where the keys are kept unless --keys-file or --no-keys-file says otherwise: provider-keys.json in the home folder. */
export async function defaultKeysFile(env: NodeJS.ProcessEnv): Promise<string> {
  const [{ homeFolder }, { join }] = await Promise.all([import('../../lessons/paths.js'), import('node:path')]);
  return join(homeFolder(env), 'provider-keys.json');
}

/** The banner's rows about the keys file: where it is and what happened to it, and the retired keys still published. */
function keysFileRows(keys: KeysReport, dim: (text: string) => string): string[][] {
  const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  const file = keys.file === undefined
    ? 'none: new keys each start'
    : `${terminalSafe(keys.file)} ${dim(`(${keys.origin === 'new' ? 'made now' : 'loaded'}${keys.rotated ? ', rotated' : ''})`)}`;
  return [
    ['keys file', file],
    ...(keys.retiredKids.length ? [['', dim(`${plural(keys.retiredKids.length, 'older key')} still at /jwks until their tokens expire`)]] : []),
  ];
}

/** How a client proves who it is at /token, as the "started" line lists it: none for a public client. */
function clientAuthentication(client: Client): Array<'client_secret' | 'private_key_jwt'> {
  return [...(client.client_secret !== undefined ? ['client_secret' as const] : []), ...(client.jwks ? ['private_key_jwt' as const] : [])];
}

/** A client's kind in the banner: its secret (a demo, so shown), its private_key_jwt keys, or public. */
function clientKind(client: Client, confidential: boolean): string {
  if (!confidential) return 'public (no secret; PKCE protects it)';
  const keys = client.jwks ? `private_key_jwt (${client.jwks.keys.length} key${client.jwks.keys.length === 1 ? '' : 's'})` : undefined;
  if (client.client_secret === undefined) return `confidential, ${keys}`;
  return `confidential, secret ${client.client_secret}${keys ? ` or ${keys}` : ''}`;
}

/** An access token lives at least 10 s (one that is dead when issued teaches nothing) and at most a day. */
function accessTokenTtlFrom(seconds: number): number {
  if (seconds < 10 || seconds > 86_400) {
    throw new InputError('ERR_BAD_DURATION', `--access-token-ttl: ${seconds} s is outside 10s to 24h.`, 'Access tokens are short-lived: 5m to 1h is usual.');
  }
  return seconds;
}
