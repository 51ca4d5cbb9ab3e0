// `jwt-vs-oauth verify [token]`: check a token the way a careful server does, one line per check.

import { Command, Option } from 'commander';
import type { CommandContext } from '../context.js';
import { assertTypNamesAType, collect } from '../flags.js';
import { examples, helpText, helpWidth } from '../help.js';
import { printJson } from '../output.js';
import { renderVerification, talkWarnings } from '../verification-view.js';
import { readTokenInput } from '../token-input.js';
import { EXIT, InputError } from '../../errors.js';
import type { LoadedKey } from '../../jwt/keys.js';
import { outputWidth } from '../../text/layout.js';

interface VerifyFlags {
  secret?: string;
  secretFrom?: string;
  key?: string;
  jwks?: string;
  discover?: string;
  alg?: string;
  iss?: string;
  aud?: string[];
  sub?: string;
  typ?: string;
  maxAge?: string;
  require?: string[];
  clockTolerance: string;
  at?: string;
  timeout: string;
  json?: boolean;
}

export function verifyCommand(context: CommandContext): Command {
  return new Command('verify')
    .description('Verify a token: algorithm, key, signature, typ, then exp, nbf, iat, iss, aud, sub. Says which check failed and what that means.')
    .argument('[token]', 'the token, "-" for stdin (pasted forms as for decode)')
    .option('--secret <text>', 'the HMAC shared secret (HS256/384/512); a short, human-made or famous one is warned about')
    // Where the secret came from, in words, when it was not typed as --secret (the menu passes it).
    .addOption(new Option('--secret-from <words>').hideHelp())
    .option('--key <file>', 'a PEM public key or certificate, a private key (its public half is used), a JWK, or a JWK Set (picked by kid)')
    .option('--jwks <url>', 'fetch the JWK Set from this URL (https, or http on loopback only)')
    .option('--discover <issuer-url>', 'read the issuer\'s discovery document, then the keys at its jwks_uri; also pins iss')
    .option('--alg <list>', 'allowed algorithms, comma-separated (default: those that fit the key, or the one a JWK names; "none" never); pin one: one key, one algorithm (RFC 8725 §3.1)')
    .option('--iss <issuer>', 'require this exact iss')
    .option('--aud <audience>', 'require this aud (repeatable: any one of them)', collect)
    .option('--sub <subject>', 'require this exact sub')
    .option('--typ <type>', 'require this header typ, e.g. at+jwt for an OAuth access token (RFC 9068 §4); ASCII case and an "application/" prefix do not matter')
    .option('--max-age <duration>', 'reject tokens issued (iat) longer ago than this: 30s, 15m, 2h, 7d')
    .option('--require <claim>', 'require this claim to be present (repeatable)', collect)
    .option('--clock-tolerance <duration>', 'leeway for exp, nbf and iat', '0s')
    .option('--at <time>', 'judge the time claims as of this instant (ISO 8601 or unix seconds)')
    .option('--timeout <duration>', 'how long --jwks / --discover may take in all, headers and body (1ms to 60s)', '5s')
    .option('--json', 'print {valid, verdict, checked, notPinned, checks, header, payload, warnings} as JSON')
    .addHelpText('after', () => examples([
      ['jwt-vs-oauth verify "$TOKEN" --secret "$SECRET" --alg HS256', 'an HS256 token, its algorithm pinned'],
      ['jwt-vs-oauth verify "$TOKEN" --key me.pub.json --aud food-api', 'a public JWK, pinning the audience'],
      ['jwt-vs-oauth verify "$TOKEN" --discover http://127.0.0.1:9400', 'keys from an OpenID provider'],
      ['jwt-vs-oauth verify "$TOKEN" --discover http://127.0.0.1:9400 --typ at+jwt', 'an access token: typ stops an ID token passing for one'],
      ['jwt-vs-oauth verify "$TOKEN" --secret "$S" --at 2030-01-01T00:00:00Z', 'would it still pass in 2030?'],
    ], helpWidth(context.streams.stdout, context.streams.env)) + helpText('\nThe discovery document --discover reads is <issuer>/.well-known/openid-configuration.\nThe verdict names what was checked and what was not pinned (iss, aud, typ). Warnings about your own key (weak-secret, famous-secret, short-secret, alg-not-pinned) go to stderr; --json lists them in warnings.\n' +
      'Exit codes: 0 valid, 1 invalid (the verdict says why), 2 bad input or an unusable key.\n', helpWidth(context.streams.stdout, context.streams.env)))
    .action(async (tokenArgument: string | undefined, flags: VerifyFlags) => {
      const sources = [flags.secret, flags.key, flags.jwks, flags.discover].filter((value) => value !== undefined);
      if (sources.length === 0) {
        throw new InputError('ERR_NO_KEY', 'verify needs a key: --secret, --key, --jwks or --discover.', 'Without a key nothing can be verified; to only read a token, use decode.');
      }
      if (sources.length > 1) throw new InputError('ERR_KEY_CONFLICT', 'Give only one of --secret, --key, --jwks, --discover.');
      if (flags.typ !== undefined) assertTypNamesAType(flags.typ);

      const pasted = await readTokenInput(tokenArgument, context);
      const [{ extractToken }, { parseDuration, parseInstant, parseMilliseconds }, { verifyToken }, { assertTimeoutInRange }] = await Promise.all([
        import('../../jwt/pasted-input.js'),
        import('../../jwt/time.js'),
        import('../../jwt/verify.js'),
        import('../../jwt/remote-keys.js'),
      ]);
      const token = extractToken(pasted);
      const now = flags.at !== undefined ? parseInstant(flags.at) : context.now();
      const clockTolerance = parseDuration(flags.clockTolerance, '--clock-tolerance');
      const timeoutMs = parseMilliseconds(flags.timeout, '--timeout');
      assertTimeoutInRange(timeoutMs, `--timeout ${flags.timeout}`);
      const algorithms = flags.alg?.split(',').map((alg) => alg.trim()).filter(Boolean);
      if (algorithms?.some((alg) => alg.toLowerCase() === 'none')) {
        throw new InputError('ERR_ALG_NONE', '--alg cannot allow "none": an unsigned token proves nothing.');
      }

      const { keys, issuer } = await loadKeys(flags, timeoutMs, context);
      const result = await verifyToken(token, {
        keys,
        algorithms,
        issuer: flags.iss ?? issuer,
        audience: flags.aud,
        subject: flags.sub,
        tokenType: flags.typ,
        maxAge: flags.maxAge !== undefined ? parseDuration(flags.maxAge, '--max-age') : undefined,
        requiredClaims: flags.require,
        clockTolerance,
        now,
      });
      const output = context.output();
      if (flags.json) {
        // One warnings list in JSON, token warnings first, then those about the key.
        const { keyWarnings, ...shown } = result;
        printJson(output, { ...shown, warnings: [...result.warnings, ...keyWarnings], at: now, clockTolerance });
      } else {
        // The key is the user's own input, so what is wrong with it is said on stderr, as mint does.
        const { env } = context.streams;
        talkWarnings(output, result.keyWarnings, outputWidth(context.streams.stderr, env));
        output.result(renderVerification(result, output, { now, clockTolerance, at: flags.at !== undefined }, outputWidth(context.streams.stdout, env)));
      }
      context.exitCode = result.valid ? EXIT.ok : EXIT.checkFailed;
    });
}

async function loadKeys(flags: VerifyFlags, timeoutMs: number, context: CommandContext): Promise<{ keys: LoadedKey[]; issuer?: string }> {
  const keysModule = await import('../../jwt/keys.js');
  if (flags.secret !== undefined) return { keys: [keysModule.secretKey(flags.secret, flags.secretFrom ?? '--secret')] };
  if (flags.key !== undefined) return { keys: await keysModule.readKeyFile(flags.key) };
  const [remote, { withSpinner }] = await Promise.all([import('../../jwt/remote-keys.js'), import('../spinner.js')]);
  // A slow host would leave a terminal silent: a spinner on stderr says what is awaited (never in --json or a pipe).
  const waiting = <T>(label: string, promise: Promise<T>) => withSpinner(label, context.streams.stderr, promise, { enabled: !flags.json });
  if (flags.jwks !== undefined) return { keys: await waiting(`Fetching keys from ${flags.jwks}`, remote.fetchJwks(flags.jwks, timeoutMs)) };
  const discovered = await waiting(`Discovering ${flags.discover!} (its openid-configuration, then its keys)`, remote.discoverIssuer(flags.discover!, timeoutMs));
  return { keys: discovered.keys, issuer: discovered.issuer };
}
