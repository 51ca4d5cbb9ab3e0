// `jwt-vs-oauth mint` (alias `sign`): make a real signed JWT. stdout holds the token alone.

import { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { assertTypNamesAType, collect, parseJsonObjectFlag, parseKeyValues } from '../flags.js';
import { examples, helpText, helpWidth } from '../help.js';
import { printJson, type Output } from '../output.js';
import { talkWarnings } from '../verification-view.js';
import { InputError } from '../../errors.js';
import { terminalSafe } from '../../text/terminal-safe.js';
import { SUPPORTED_ALGORITHMS } from '../../jwt/algorithms.js';
import { displayWidth, layoutCommand, outputWidth, wrapParagraph } from '../../text/layout.js';

interface MintFlags {
  alg?: string;
  secret?: string;
  key?: string;
  saveKey?: string;
  sub?: string;
  iss?: string;
  aud?: string[];
  exp?: string | false;
  nbf?: string;
  jti?: string | true;
  claim?: string[];
  payload?: string;
  kid?: string;
  typ?: string;
  header?: string[];
  json?: boolean;
}

export function mintCommand(context: CommandContext): Command {
  return new Command('mint')
    .alias('sign')
    .description('Mint a real signed JWT with jose. stdout holds only the token, so TOKEN=$(jwt-vs-oauth mint …) works.')
    .option('--alg <alg>', `signing algorithm: ${SUPPORTED_ALGORITHMS.join(', ')} (default: the one --key allows, else HS256)`)
    .option('--secret <text>', 'HMAC secret for HS256/384/512: 32/48/64 random bytes; a short, human-made or famous one is warned about')
    .option('--key <file>', 'private key: PEM (PKCS#8, SEC1 EC, PKCS#1 RSA) or a JWK')
    .option('--save-key <file>', 'when a key is generated: save the private JWK here (mode 0600) and the public JWK beside it')
    .option('--sub <subject>', 'sub: who the token is about')
    .option('--iss <issuer>', 'iss: who issues it')
    .option('--aud <audience>', 'aud: who it is for (repeatable)', collect)
    .option('--exp <duration>', 'expires after this long: 30s, 15m, 2h, 7d (default 15m)')
    .option('--no-exp', 'no exp claim at all (a mistake worth seeing: the token never expires)')
    .option('--nbf <duration>', 'not valid until this long from now')
    .option('--jti [value]', 'a unique token id (random when no value)')
    .option('--claim <key=value>', 'any claim but exp, nbf and iat (see --exp, --nbf); the value is parsed as JSON when it is JSON (repeatable)', collect)
    .option('--payload <json|@file>', 'start from these claims (a JSON object, or @file)')
    .option('--kid <kid>', 'key id header (set to the JWK thumbprint when a key is generated)')
    .option('--typ <typ>', 'typ header (default JWT; at+jwt for an OAuth access token)')
    .option('--header <key=value>', 'any other header parameter (repeatable)', collect)
    .option('--json', 'print {token, header, payload} (and the public JWK of a generated key) as JSON')
    .addHelpText('after', () => examples([
      ['jwt-vs-oauth mint --sub asha --aud food-api', 'HS256 with a generated secret'],
      ['jwt-vs-oauth mint --secret "$(openssl rand -base64 32)" --sub asha', 'HS256 with your own random secret'],
      ['jwt-vs-oauth mint --alg ES256 --save-key me.json --iss https://auth.example', 'a key pair, saved for verify'],
      ['jwt-vs-oauth mint --key me.json --sub asha', 'the saved key again: --alg comes from its "alg"'],
      ['jwt-vs-oauth mint --alg RS256 --key private.pem --exp 1h --claim role=admin', 'an RSA key fits six algorithms: --alg picks one'],
      ['TOKEN=$(jwt-vs-oauth mint --secret "$S" --sub asha) && jwt-vs-oauth verify "$TOKEN" --secret "$S"', 'mint, then verify'],
    ], helpWidth(context.streams.stdout, context.streams.env)) + helpText('\nExit codes: 0 minted, 2 bad flags or an unusable key.\n', helpWidth(context.streams.stdout, context.streams.env)))
    .action(async (flags: MintFlags) => {
      const { mintToken } = await import('../../jwt/mint.js');
      const { parseDuration } = await import('../../jwt/time.js');
      const { algorithmForKey, keyLabel, readKeyFile, secretKey } = await import('../../jwt/keys.js');
      const { createNewFile, removeCreatedFile } = await import('../files.js');
      if (flags.secret !== undefined && flags.key !== undefined) {
        throw new InputError('ERR_KEY_CONFLICT', 'Give either --secret or --key, not both.');
      }
      if (flags.saveKey === '') {
        throw new InputError('ERR_EMPTY_PATH', '--save-key needs a file name; it was empty.', 'Example: --save-key me.json (the public key goes to me.pub.json).');
      }
      if (flags.saveKey !== undefined && (flags.secret !== undefined || flags.key !== undefined)) {
        throw new InputError('ERR_SAVE_KEY_CONFLICT', '--save-key saves a generated key; with --secret or --key there is nothing to save.');
      }
      const publicKeyPath = flags.saveKey !== undefined ? publicKeyPathFor(flags.saveKey) : undefined;

      let key;
      if (flags.secret !== undefined) key = secretKey(flags.secret);
      if (flags.key !== undefined) {
        const keys = await readKeyFile(flags.key);
        if (keys.length !== 1) throw new InputError('ERR_KEY_AMBIGUOUS', `${flags.key} holds ${keys.length} keys; mint needs exactly one.`);
        key = keys[0];
      }
      const output = context.output();
      // Everything said on stderr may echo names and paths from the flags: shown terminal-safe.
      // Talk is laid out to stderr's width, which may differ from stdout's.
      const talkWidth = outputWidth(context.streams.stderr, context.streams.env);
      const talk = (text: string) => output.talk(wrapParagraph(text, talkWidth, { hang: '  ' }).join('\n'));
      const t = output.talkColour;
      /** "Check the token with:" and a command, the command on lines of its own when both do not fit. */
      const talkCommand = (words: string, command: string) => {
        const oneLine = `${words} ${command}`;
        if (displayWidth(oneLine) <= talkWidth) return output.talk(t.dim(oneLine));
        output.talk([t.dim(words), ...layoutCommand(command, talkWidth, { lead: '  ' }).map((line) => t.dim(line))].join('\n'));
      };
      const shown = terminalSafe;
      let alg = flags.alg ?? 'HS256';
      if (flags.alg === undefined && key !== undefined && flags.key !== undefined) {
        // A key that allows one algorithm (a JWK with "alg", an EC key, an Ed25519 key) names it; an RSA key fits six.
        const inferred = key.family === 'secret' && key.alg === undefined ? { alg: 'HS256' } : algorithmForKey(key);
        if ('choices' in inferred) {
          throw new InputError('ERR_KEY_AMBIGUOUS', `${flags.key} holds ${keyLabel(key)}, which fits ${inferred.choices.join(', ')}: mint needs --alg to choose.`, `Example: --alg ${inferred.choices[0]}`);
        }
        alg = inferred.alg;
        if (key.family !== 'secret' || key.alg !== undefined) talk(`--alg ${alg} from the key${key.alg === alg ? ' (its "alg")' : key.family === 'OKP' ? ' (--alg Ed25519 is the newer name for the same signature, RFC 9864)' : ''}.`);
      }
      const result = await mintToken({
        alg,
        key,
        payload: flags.payload !== undefined ? parseJsonObjectFlag(flags.payload, '--payload') : undefined,
        claims: parseKeyValues(flags.claim, '--claim'),
        sub: flags.sub,
        iss: flags.iss,
        aud: flags.aud,
        expiresIn: flags.exp === false ? null : parseDuration(flags.exp ?? '15m', '--exp'),
        notBeforeIn: flags.nbf !== undefined ? parseDuration(flags.nbf, '--nbf') : undefined,
        jti: flags.jti,
        kid: flags.kid ?? key?.kid,
        typ: flags.typ !== undefined ? (assertTypNamesAType(flags.typ), flags.typ) : undefined,
        headers: parseKeyValues(flags.header, '--header'),
        now: context.now(),
      });

      if (result.generatedKey) {
        if (flags.saveKey !== undefined && publicKeyPath) {
          // Each file is created with O_EXCL: no check-then-write race, no symlink followed.
          await createNewFile(flags.saveKey, `${JSON.stringify(result.generatedKey.privateJwk, null, 2)}\n`, 0o600, '--save-key');
          if (result.generatedKey.publicJwk) {
            try {
              await createNewFile(publicKeyPath, `${JSON.stringify(result.generatedKey.publicJwk, null, 2)}\n`, 0o644, '--save-key');
            } catch (error) {
              // Half a key pair is worse than none: take back the private key just written.
              await removeCreatedFile(flags.saveKey);
              throw error;
            }
            talk(`Generated ${alg} key pair: private JWK saved to ${shown(flags.saveKey)} (mode 0600), public JWK to ${shown(publicKeyPath)}.`);
            talkCommand('Check the token with:', `jwt-vs-oauth verify "$TOKEN" --key ${shown(publicKeyPath)}`);
          } else {
            talk(`Generated a random ${alg} secret, saved as a JWK to ${shown(flags.saveKey)} (mode 0600).`);
            talkCommand('Check the token with:', `jwt-vs-oauth verify "$TOKEN" --key ${shown(flags.saveKey)}`);
          }
        } else {
          talk(`Generated a ${result.generatedKey.publicJwk ? `${alg} key pair` : `random ${alg} secret`} for this token; it is not saved. Use --save-key <file> to keep it, so verify can check the token later.`);
        }
      }
      talkWarnings(output, result.warnings, talkWidth);

      if (flags.json) {
        printJson(output, {
          token: result.token,
          header: result.header,
          payload: result.payload,
          ...(result.generatedKey?.publicJwk ? { publicJwk: result.generatedKey.publicJwk } : {}),
          ...(flags.saveKey !== undefined ? { savedKey: { private: flags.saveKey, public: result.generatedKey?.publicJwk ? publicKeyPath : null } } : {}),
          warnings: result.warnings,
        });
      } else {
        output.result(tokenForStdout(result.token, output));
        if (output.stderrIsTerminal) {
          if (output.stdoutIsTerminal && output.colour.level > 0) {
            // The colours name the parts only together with these words: meaning is never in colour alone.
            output.talk(t.dim('Parts: ') + `${t.red('header')}${t.dim('.')}${t.magenta('payload')}${t.dim('.')}${t.cyan('signature')}`);
          }
          talk(t.dim(`Minted ${withArticle(shown(String(result.header.alg)))} JWT with claims ${Object.keys(result.payload).map(shown).join(', ')}${typeof result.payload.exp === 'number' ? `, expiring in ${Math.round((result.payload.exp - context.now()) / 60)} min` : ''}. See inside: jwt-vs-oauth decode "$TOKEN"`));
        }
      }
    });
}

/** An algorithm's name after "a" or "an" as it is read aloud, letter by letter: an HS256 ("aitch"), an RS256, an ES256, an EdDSA, but a PS256. */
export function withArticle(alg: string): string {
  return `${/^[AEFHILMNORSX]/.test(alg) ? 'an' : 'a'} ${alg}`;
}

/**
 * The token as stdout shows it. On a terminal it is coloured by part (header red, payload magenta,
 * signature cyan; stderr names them); anywhere else, even with FORCE_COLOR, it is the bare token,
 * so TOKEN=$(jwt-vs-oauth mint …) gets exactly the token. It is never broken into lines: it is the
 * one thing to copy whole into any tool, and a terminal wraps it softly and copies it as one line.
 */
export function tokenForStdout(token: string, output: Output): string {
  if (!output.stdoutIsTerminal || output.colour.level === 0) return token;
  const c = output.colour;
  const partColours = [c.red, c.magenta, c.cyan];
  return token.split('.').map((part, index) => partColours[index]!(part)).join(c.dim('.'));
}

/** key.json → key.pub.json, key → key.pub.json */
export function publicKeyPathFor(privatePath: string): string {
  const match = /^(.*?)(\.[^./\\]+)?$/.exec(privatePath)!;
  return `${match[1]}.pub${match[2] ?? '.json'}`;
}
