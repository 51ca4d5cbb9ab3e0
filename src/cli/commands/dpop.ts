// `jwt-vs-oauth dpop`: make a DPoP proof (RFC 9449) for one request, with a key you hold. stdout
// holds only the proof, so PROOF=$(jwt-vs-oauth dpop …) works; stderr says what it binds to.

import { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { examples, helpText, helpWidth } from '../help.js';
import { printJson } from '../output.js';
import { InputError } from '../../errors.js';
import { terminalSafe } from '../../text/terminal-safe.js';
import { outputWidth, wrapParagraph } from '../../text/layout.js';

interface DpopFlags {
  key?: string;
  alg?: string;
  htm?: string;
  htu?: string;
  ath?: string;
  nonce?: string;
  jti?: string;
  json?: boolean;
}

/** An HTTP method as RFC 9110 §9.1 writes one: a token, upper case by convention (compared exactly). */
const METHOD = /^[A-Z]+$/;

export function dpopCommand(context: CommandContext): Command {
  const width = () => helpWidth(context.streams.stdout, context.streams.env);
  return new Command('dpop')
    .description('Make a DPoP proof (RFC 9449) for one request, signed with your key: the header that ties a token to that key.')
    .option('--key <file>', 'your private key, a JWK or PEM (EC, RSA or Ed25519): make one with mint --alg ES256 --save-key dpop-key.json')
    .option('--alg <alg>', 'the signing algorithm, when the key fits several (an RSA key: RS256, PS256, …)')
    .option('--htm <method>', 'the request\'s HTTP method: POST for the token endpoint, GET for userinfo')
    .option('--htu <url>', 'the request\'s URL (its query and fragment are left out, as RFC 9449 §4.2 says)')
    .option('--ath <access-token>', 'at an API: the access token sent with the proof (its SHA-256 hash becomes the ath claim)')
    .option('--nonce <nonce>', 'the nonce the server asked for in a DPoP-Nonce header (RFC 9449 §8)')
    .option('--jti <id>', 'the proof\'s unique id (random when left out; a server refuses one it has seen)')
    .option('--json', 'print {proof, header, payload, jkt} as JSON')
    .addHelpText('after', () => examples([
      ['jwt-vs-oauth mint --alg ES256 --save-key dpop-key.json > /dev/null', 'make a key pair to hold (once)'],
      ['jwt-vs-oauth dpop --key dpop-key.json --htm POST --htu http://127.0.0.1:9400/token', 'a proof for the token endpoint'],
      ['jwt-vs-oauth dpop --key dpop-key.json --htm GET --htu http://127.0.0.1:9400/userinfo --ath "$ACCESS_TOKEN"', 'a proof for an API call with a bound token'],
      ['jwt-vs-oauth decode "$(jwt-vs-oauth dpop --key dpop-key.json --htm GET --htu https://api.example/x)"', 'see inside one'],
    ], width()) + helpText('\nMake a new proof for each request: a server may refuse one it has seen (RFC 9449 §11.1). Exit codes: 0 made, 2 bad flags or an unusable key.\n', width()))
    .action(async (flags: DpopFlags) => {
      if (flags.key === undefined) throw new InputError('ERR_DPOP_KEY', 'dpop needs --key: the private key you hold, whose public half the proof carries.', 'Make one: jwt-vs-oauth mint --alg ES256 --save-key dpop-key.json');
      if (flags.htm === undefined || !METHOD.test(flags.htm)) throw new InputError('ERR_DPOP_HTM', `--htm needs the request's HTTP method in capitals, such as POST or GET${flags.htm === undefined ? '' : `; ${JSON.stringify(terminalSafe(flags.htm))} is not one`}.`);
      if (flags.htu === undefined || !isHttpUrl(flags.htu)) throw new InputError('ERR_DPOP_HTU', `--htu needs the request's full http or https URL${flags.htu === undefined ? '' : `; ${JSON.stringify(terminalSafe(flags.htu))} is not one`}.`, 'Example: --htu http://127.0.0.1:9400/token');
      // A user name or password in an http URL is an error (RFC 9110 §4.2.4), and would be echoed below.
      if (/^[a-z]+:\/\/[^/?#]*@/i.test(flags.htu)) throw new InputError('ERR_DPOP_HTU', '--htu holds a user name or password before its host; an http(s) URL with credentials is an error (RFC 9110 §4.2.4): give the URL the request goes to, without them.');
      if (flags.jti === '') throw new InputError('ERR_DPOP_JTI', '--jti is empty; a proof needs a unique id (leave --jti out for a random one).');
      if (flags.ath === '') throw new InputError('ERR_DPOP_ATH', '--ath is empty; give the access token the proof goes with (its hash becomes ath), or leave --ath out.');
      const { createPublicKey } = await import('node:crypto');
      const [{ algorithmForKey, keyLabel, readKeyFile }, { algorithmsForFamily }, { createDpopProof, jwkThumbprint, DPOP_ALGORITHMS }, { decodeToken }] = await Promise.all([import('../../jwt/keys.js'), import('../../jwt/algorithms.js'), import('../../protocol/dpop.js'), import('../../jwt/decode.js')]);
      const keys = await readKeyFile(flags.key);
      if (keys.length !== 1) throw new InputError('ERR_KEY_AMBIGUOUS', `${terminalSafe(flags.key)} holds ${keys.length} keys; dpop needs exactly one.`);
      const key = keys[0]!;
      const makeOne = 'Make one: jwt-vs-oauth mint --alg ES256 --save-key dpop-key.json';
      if (key.family === 'secret') throw new InputError('ERR_DPOP_KEY', `${terminalSafe(flags.key)} holds ${keyLabel(key)}; a DPoP proof is signed with a private asymmetric key (EC, RSA or Ed25519), never a shared secret (RFC 9449 §4.3).`, makeOne);
      if (!key.isPrivate) throw new InputError('ERR_DPOP_KEY', `${terminalSafe(flags.key)} holds ${keyLabel(key)}; a DPoP proof is signed with the private half of a key pair, which only its holder has: give the private key file (the public half goes into the proof by itself).`, makeOne);
      const fits = algorithmsForFamily(key.family, key.curve) as string[];
      if (fits.length === 0) throw new InputError('ERR_DPOP_KEY', `${terminalSafe(flags.key)} holds ${keyLabel(key)}, which no JOSE algorithm here signs with; a DPoP proof needs a P-256, P-384 or P-521 EC key, an RSA key or an Ed25519 key.`, makeOne);
      const inferred = algorithmForKey(key);
      const alg = flags.alg ?? ('alg' in inferred ? inferred.alg : undefined);
      if (alg === undefined) throw new InputError('ERR_KEY_AMBIGUOUS', `${terminalSafe(flags.key)} holds ${keyLabel(key)}, which fits ${'choices' in inferred ? inferred.choices.join(', ') : 'several algorithms'}: dpop needs --alg to choose.`, 'Example: --alg PS256');
      if (!(DPOP_ALGORITHMS as readonly string[]).includes(alg)) throw new InputError('ERR_DPOP_ALG', `--alg ${terminalSafe(alg)} cannot sign a DPoP proof: use one of ${DPOP_ALGORITHMS.join(', ')}.`);
      if (!fits.includes(alg)) throw new InputError('ERR_DPOP_ALG', `--alg ${terminalSafe(alg)} does not fit ${keyLabel(key)} in ${terminalSafe(flags.key)}: it signs with ${fits.join(', ')}.`, `Example: --alg ${fits[0]}`);
      const publicJwk = createPublicKey(key.key).export({ format: 'jwk' });
      let proof: string;
      try {
        proof = await createDpopProof({ privateKey: key.key, publicJwk, alg, htm: flags.htm, htu: flags.htu, accessToken: flags.ath, nonce: flags.nonce, jti: flags.jti, iat: context.now() });
      } catch (error) {
        // jose refuses what it will not sign with (an RSA key under 2048 bits): said, not a crash.
        throw new InputError('ERR_DPOP_KEY', `${terminalSafe(flags.key)} holds ${keyLabel(key)}, which jose will not sign ${alg} with: ${terminalSafe((error as Error).message)}.`, makeOne);
      }
      const jkt = await jwkThumbprint(publicJwk);
      const output = context.output();
      if (flags.json) {
        const decoded = decodeToken(proof, context.now());
        return printJson(output, { proof, header: decoded.header, payload: decoded.payload, jkt });
      }
      output.result(proof);
      const talkWidth = outputWidth(context.streams.stderr, context.streams.env);
      output.talk(wrapParagraph(`DPoP proof for ${flags.htm} ${terminalSafe(flags.htu)}${flags.ath === undefined ? '' : ', with ath (the hash of the access token)'}. A token bound to this key carries cnf.jkt = ${jkt}. Send the proof in a DPoP header, a new one for each request.`, talkWidth, { hang: '  ' }).map((line) => output.talkColour.dim(line)).join('\n'));
    });
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
