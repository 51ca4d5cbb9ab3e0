// `jwt-vs-oauth decode [token]`: read a token and learn what each part means. Does not verify.

import { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { MARK, printJson, type Output } from '../output.js';
import { readTokenInput } from '../token-input.js';
import type { DecodedToken, ExplainedField } from '../../jwt/decode.js';
import { terminalSafe } from '../../text/terminal-safe.js';

export function decodeCommand(context: CommandContext): Command {
  return new Command('decode')
    .description('Show what a token says: header, claims with their meanings, times in words, and warnings. Decoding is not verifying.')
    .argument('[token]', 'the token, "-" for stdin; also accepts "Bearer …", an Authorization line, a URL holding id_token= / access_token= / token=, or a token wrapped across lines')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples([
      ['jwt-vs-oauth decode eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhc2hhIn0.c2ln', 'decode the argument'],
      ['pbpaste | jwt-vs-oauth decode', 'decode what is piped in'],
      ['fold -w60 t.txt | jwt-vs-oauth decode', 'wrapped lines are joined'],
      ['jwt-vs-oauth decode "Authorization: Bearer eyJ…"', 'a pasted header line works too'],
      ['jwt-vs-oauth decode --json "$TOKEN" | jq .payload', 'machine-readable output'],
    ]) + '\nExit codes: 0 decoded (even when expired), 2 not a token (an authorization code\nor two tokens at once are refused too).\n--json prints {type, header, payload, signature, warnings, …}.\n')
    .action(async (tokenArgument: string | undefined, flags: { json?: boolean }) => {
      const pasted = await readTokenInput(tokenArgument, context);
      const { decodeToken } = await import('../../jwt/decode.js');
      const decoded = decodeToken(pasted, context.now());
      const output = context.output();
      if (flags.json) printJson(output, decodedAsJson(decoded));
      else output.result(renderDecoded(decoded, output));
    });
}

/** The documented --json shape of decode. */
export function decodedAsJson(decoded: DecodedToken) {
  return {
    type: decoded.type,
    header: decoded.header,
    payload: decoded.payload,
    signature: decoded.signature,
    warnings: decoded.warnings,
    algorithm: decoded.algorithm,
    claims: decoded.payloadFields.map(({ name, meaning, time }) => ({ name, meaning: meaning ?? null, ...(time ? { time } : {}) })),
    verified: false,
  };
}

const TYPE_TITLES = {
  JWT: 'A signed JWT (compact JWS: header.payload.signature)',
  JWS: 'A signed JWS whose payload is not JSON: a JWS, but not a JWT',
  JWE: 'An encrypted JWE (5 parts: protected header.encrypted key.iv.ciphertext.tag)',
};

/** alg "none" makes an Unsecured JWT (RFC 7519 §6), not a signed one, whatever its three parts look like. */
function titleOf(decoded: DecodedToken): string {
  const unsecured = decoded.type !== 'JWE' && typeof decoded.header.alg === 'string' && decoded.header.alg.toLowerCase() === 'none';
  return unsecured ? `An Unsecured ${decoded.type} (alg "none", RFC 7519 §6: header.payload. with no signature)` : TYPE_TITLES[decoded.type];
}

/** The human view. Every name, value and message that quotes the token is shown terminal-safe; --json keeps exact values. */
export function renderDecoded(decoded: DecodedToken, output: Output): string {
  const c = output.colour;
  const partColours = [c.red, c.magenta, c.cyan, c.yellow, c.green];
  const lines: string[] = [c.bold(titleOf(decoded)), ''];

  if (output.colour.level > 0) {
    lines.push(`  ${decoded.segments.map((segment, index) => partColours[index]!(segment)).join(c.dim('.'))}`, '');
  }
  const partNames = decoded.type === 'JWE'
    ? ['protected header', 'encrypted key', 'iv', 'ciphertext', 'tag']
    : ['header', 'payload', 'signature'];
  decoded.segments.forEach((segment, index) => {
    lines.push(`  ${partColours[index]!(partNames[index]!.padEnd(17))}${abbreviate(segment, 60) || c.dim('(empty)')}`);
  });

  lines.push('', c.bold('Header') + c.dim(decoded.type === 'JWE' ? '  how the content key is managed and the content encrypted' : '  how the token was signed'));
  lines.push(...renderFields(decoded.headerFields, output));
  lines.push(`  ${c.dim('→')} ${terminalSafe(decoded.algorithm.description)}`);

  if (decoded.type === 'JWE') {
    lines.push('', c.bold('Content') + c.dim('  encrypted'));
    lines.push('  The claims are encrypted for the recipient; only the holder of its private key (or the shared key) can read them.');
  } else if (typeof decoded.payload === 'string') {
    lines.push('', c.bold('Payload') + c.dim('  text, not a JSON object, so this is a JWS but not a JWT'));
    lines.push(`  ${terminalSafe(JSON.stringify(abbreviate(decoded.payload, 400)))}`);
  } else {
    lines.push('', c.bold('Payload') + c.dim('  the claims: anyone holding the token can read them'));
    lines.push(...(decoded.payloadFields.length ? renderFields(decoded.payloadFields, output) : [c.dim('  (no claims)')]));
  }

  if (decoded.type !== 'JWE') {
    lines.push('', c.bold('Signature'));
    lines.push(decoded.signature
      ? `  ${abbreviate(decoded.signature, 60)}  ${c.dim(`(${decoded.signatureBytes} bytes)`)}`
      : `  ${c.red('(empty)')}  no signature at all`);
  }

  if (decoded.warnings.length) {
    lines.push('', c.bold(`Warnings (${decoded.warnings.length})`));
    const codeWidth = Math.max(...decoded.warnings.map((warning) => warning.code.length));
    for (const warning of decoded.warnings) lines.push(`  ${c.yellow(`${MARK.warn} ${warning.code.padEnd(codeWidth)}`)}  ${terminalSafe(warning.message)}`);
  } else {
    lines.push('', `${c.green(MARK.ok)} No warnings.`);
  }

  lines.push('', c.bold('Decoding is not verifying.'), '  Anyone can decode a token and read its payload: signed is not encrypted. Nothing above is', '  trustworthy until the signature and the claims are checked:');
  lines.push(`  ${c.cyan(verifyHint(decoded))}`);
  return lines.join('\n');
}

function renderFields(fields: ExplainedField[], output: Output): string[] {
  const c = output.colour;
  // JSON.stringify escapes C0 controls but not C1 controls or bidi overrides: terminalSafe does.
  const shown = fields.map((field) => ({ ...field, name: terminalSafe(field.name), value: abbreviate(terminalSafe(JSON.stringify(field.value) ?? 'undefined'), 34) }));
  const nameWidth = Math.max(3, ...shown.map((field) => field.name.length));
  const valueWidth = Math.min(34, Math.max(...shown.map((field) => field.value.length)));
  return shown.flatMap((field) => {
    const line = `  ${c.bold(field.name.padEnd(nameWidth))}  ${field.value.padEnd(valueWidth)}  ${field.meaning ?? c.dim('(not a registered claim)')}`;
    const indent = ' '.repeat(nameWidth + valueWidth + 6);
    return field.time ? [line, `${indent}${field.time.iso} (${field.time.relative})`] : [line];
  });
}

function verifyHint(decoded: DecodedToken): string {
  const token = '"$TOKEN"';
  if (decoded.type === 'JWE') return 'jwt-vs-oauth verify checks signed tokens; a JWE must be decrypted by its recipient';
  const alg = typeof decoded.header.alg === 'string' && /^[A-Za-z0-9]{1,16}$/.test(decoded.header.alg) ? decoded.header.alg : undefined;
  const pinAlg = alg ? ` --alg ${alg}` : '';
  if (decoded.algorithm.family === 'secret') return `jwt-vs-oauth verify ${token} --secret <the shared secret>${pinAlg}`;
  const payload = decoded.payload;
  // Only a plain URL is offered as a command to copy: an iss holding spaces, quotes or ; could run more than verify.
  const issuer = typeof payload === 'object' && payload && typeof payload.iss === 'string' && /^https?:\/\/[A-Za-z0-9.:\/_~%-]+$/.test(payload.iss) ? payload.iss : undefined;
  // An access token (RFC 9068) is checked the way an API checks one: its kind and its audience pinned too.
  const accessToken = typeof decoded.header.typ === 'string' && /^(application\/)?at\+jwt$/i.test(decoded.header.typ);
  if (issuer) return `jwt-vs-oauth verify ${token} --discover ${issuer}${pinAlg}${accessToken ? ' --typ at+jwt --aud <your API>' : ''}`;
  if (decoded.algorithm.family === 'none') return `jwt-vs-oauth verify ${token} --secret … (an unsigned token always fails)`;
  return `jwt-vs-oauth verify ${token} --key <public key file>`;
}

function abbreviate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
