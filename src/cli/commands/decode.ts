// `jwt-vs-oauth decode [token]`: read a token and learn what each part means. Does not verify.

import { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { examples, helpText, helpWidth } from '../help.js';
import { MARK, printJson, type Output } from '../output.js';
import { readTokenInput } from '../token-input.js';
// Static: this module itself loads only when decode runs (main.ts's command table).
import { DPOP_PROOF_HEADER_MEANINGS } from '../../jwt/claims.js';
import { decodeToken, dpopProofThumbprint, type DecodedToken, type ExplainedField } from '../../jwt/decode.js';
import { terminalSafe } from '../../text/terminal-safe.js';
import { displayWidth, layoutCommand, layoutLine, layoutTable, outputWidth, padEndVisible, truncateToWidth, wrapParagraph } from '../../text/layout.js';

export function decodeCommand(context: CommandContext): Command {
  return new Command('decode')
    .description('Show what a token says: header, claims with their meanings, times in words, and warnings. Decoding is not verifying.')
    .argument('[token]', 'the token, "-" for stdin; also accepts "Bearer …", an Authorization line, a URL holding id_token= / access_token= / token=, or a token wrapped across lines')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', () => examples([
      ['jwt-vs-oauth decode eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhc2hhIn0.c2ln', 'decode the argument'],
      ['pbpaste | jwt-vs-oauth decode', 'decode what is piped in'],
      ['fold -w60 t.txt | jwt-vs-oauth decode', 'wrapped lines are joined'],
      ['jwt-vs-oauth decode "Authorization: Bearer eyJ…"', 'a pasted header line works too'],
      ['jwt-vs-oauth decode --json "$TOKEN" | jq .payload', 'machine-readable output'],
    ], helpWidth(context.streams.stdout, context.streams.env)) + helpText('\nExit codes: 0 decoded (even when expired), 2 not a token (an authorization code or two tokens at once are refused too).\n--json prints {type, header, payload, signature, warnings, …}.\n', helpWidth(context.streams.stdout, context.streams.env)))
    .action(async (tokenArgument: string | undefined, flags: { json?: boolean }) => {
      const pasted = await readTokenInput(tokenArgument, context);
      const decoded = decodeToken(pasted, context.now());
      const proofThumbprint = await dpopProofThumbprint(decoded);
      const output = context.output();
      if (flags.json) printJson(output, decodedAsJson(decoded, proofThumbprint));
      else output.result(renderDecoded(decoded, output, outputWidth(context.streams.stdout, context.streams.env), proofThumbprint));
    });
}

/** The documented --json shape of decode; a DPoP proof adds dpopProof (its key's thumbprint, who checks it). */
export function decodedAsJson(decoded: DecodedToken, proofThumbprint?: string) {
  return {
    type: decoded.type,
    header: decoded.header,
    payload: decoded.payload,
    signature: decoded.signature,
    warnings: decoded.warnings,
    algorithm: decoded.algorithm,
    claims: decoded.payloadFields.map(({ name, meaning, time }) => ({ name, meaning: meaning ?? null, ...(time ? { time } : {}) })),
    verified: false,
    ...(decoded.dpopProof ? { dpopProof: { jkt: proofThumbprint ?? null, key: DPOP_PROOF_HEADER_MEANINGS.jwk, checkedBy: PROOF_CHECKS } } : {}),
  };
}

/** Who checks a DPoP proof, and how (RFC 9449 §4.3): not `verify`, whose key comes from the issuer. */
const PROOF_CHECKS = 'A DPoP proof carries its key in its own header, so its signature shows only that the sender holds that key. The server that receives it checks it (RFC 9449 §4.3): htm and htu against the request, iat within a window of minutes, ath against the access token sent with it, and the key\'s thumbprint against that token\'s cnf.jkt; it may also refuse a jti it has seen before (§11.1). jwt-vs-oauth verify checks tokens an issuer signed (access tokens, ID tokens), not proofs.';

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

/**
 * The human view, laid out to `width` columns (Infinity keeps every line whole). Every name, value
 * and message that quotes the token is shown terminal-safe; --json keeps exact values.
 */
export function renderDecoded(decoded: DecodedToken, output: Output, width = Infinity, proofThumbprint?: string): string {
  const c = output.colour;
  const partColours = [c.red, c.magenta, c.cyan, c.yellow, c.green];
  const partNames = decoded.type === 'JWE'
    ? ['protected header', 'encrypted key', 'iv', 'ciphertext', 'tag']
    : ['header', 'payload', 'signature'];
  const lines: string[] = [...wrapParagraph(c.bold(titleOf(decoded)), width), ''];
  // A section title and its note on one line, or the note under it when both do not fit.
  const heading = (title: string, note: string): string[] =>
    displayWidth(`${title}  ${note}`) <= width ? [c.bold(title) + c.dim(`  ${note}`)] : [c.bold(title), ...wrapParagraph(note, width, { lead: '  ' }).map((line) => c.dim(line))];

  if (output.colour.level > 0) {
    // The whole token coloured by part (as jwt.io does); broken at its dots with "\" so it copies back.
    lines.push(...wrapParagraph(decoded.segments.map((segment, index) => partColours[index]!(segment)).join(c.dim('.')), width, { lead: '  ' }), '');
  }
  // Each part named in words beside it, so the colour is never the only way to tell them apart.
  const segmentRoom = Math.min(60, Math.max(16, width - 21));
  lines.push(...layoutTable(decoded.segments.map((segment, index) => [partColours[index]!(partNames[index]!), truncateToWidth(segment, segmentRoom) || c.dim('(empty)')]), width, { indent: '  ', gap: 2, minLastColumn: 16 }));

  lines.push('', ...heading('Header', decoded.type === 'JWE' ? 'how the content key is managed and the content encrypted' : 'how the token was signed'));
  lines.push(...renderFields(decoded.headerFields, output, width));
  lines.push(...layoutLine(`  ${c.dim('→')} ${terminalSafe(decoded.algorithm.description)}`, width));

  if (decoded.type === 'JWE') {
    lines.push('', ...heading('Content', 'encrypted'));
    lines.push(...wrapParagraph('The claims are encrypted for the recipient; only the holder of its private key (or the shared key) can read them.', width, { lead: '  ' }));
  } else if (typeof decoded.payload === 'string') {
    lines.push('', ...heading('Payload', 'text, not a JSON object, so this is a JWS but not a JWT'));
    lines.push(...wrapParagraph(terminalSafe(JSON.stringify(truncateToWidth(decoded.payload, 400))), width, { lead: '  ' }));
  } else {
    lines.push('', ...heading('Payload', 'the claims: anyone holding the token can read them'));
    lines.push(...(decoded.payloadFields.length ? renderFields(decoded.payloadFields, output, width) : [c.dim('  (no claims)')]));
  }

  if (decoded.type !== 'JWE') {
    lines.push('', c.bold('Signature'));
    lines.push(...wrapParagraph(decoded.signature
      ? `${truncateToWidth(decoded.signature, Math.min(60, Math.max(16, width - 15)))}  ${c.dim(`(${decoded.signatureBytes} bytes)`)}`
      : `${c.red('(empty)')}  no signature at all`, width, { lead: '  ' }));
  }

  if (decoded.warnings.length) {
    lines.push('', c.bold(`Warnings (${decoded.warnings.length})`));
    lines.push(...renderWarningRows(decoded.warnings, output, width));
  } else {
    lines.push('', `${c.green(MARK.ok)} No warnings.`);
  }

  // A JWE's claims were never shown: what holds for a signed token's payload does not hold for them.
  const closing = decoded.type === 'JWE' ? JWE_CLOSING : JWS_CLOSING;
  lines.push('', ...wrapParagraph(c.bold(closing.title), width));
  for (const paragraph of closing.text) lines.push(...wrapParagraph(paragraph, width, { lead: '  ' }));
  const hint = verifyHint(decoded, proofThumbprint);
  const hintLines = hint.command ? layoutPlaceholderCommand(hint.text, width, '  ') : wrapParagraph(hint.text, width, { lead: '  ' });
  // Coloured after its indent; a line that is the rest of a broken argument starts at column 0 and keeps every character.
  lines.push(...hintLines.map((line) => (line.startsWith('  ') ? `  ${c.cyan(line.slice(2))}` : c.cyan(line))));
  // A note on a command goes beside it when it fits, else on a line of its own: never inside the
  // command. A note after prose (a proof's checks) is a sentence of its own: always its own line.
  if (hint.note) {
    const last = lines.length - 1;
    if (hint.command && hintLines.length === 1 && displayWidth(`${lines[last]}  ${hint.note}`) <= width) lines[last] += `  ${hint.note}`;
    else lines.push(...wrapParagraph(hint.note, width, { lead: '  ' }));
  }
  return lines.join('\n');
}

/** The view's last words for a signed token (JWS or JWT). */
const JWS_CLOSING = {
  title: 'Decoding is not verifying.',
  text: ['Anyone can decode a token and read its payload: signed is not encrypted. Nothing above is trustworthy until the signature and the claims are checked:'],
};

/** The view's last words for a JWE (RFC 7516): its header is readable, its claims are not. */
const JWE_CLOSING = {
  title: 'Decoding a JWE reads only its header.',
  text: [
    'The protected header above is only base64url: anyone can read it. The claims are encrypted: they cannot be read without the recipient\'s key.',
    'The recipient decrypts the token, and that checks it too: decryption fails if the header or the ciphertext was changed (the authentication tag, RFC 7516 §5.2). Until then nothing above is trustworthy.',
    'Encrypted is not signed: with a public-key alg (RSA-OAEP, ECDH-ES) anyone holding the recipient\'s public key can make one; a JWE that must prove who made it carries a signed JWT inside (a nested JWT, RFC 7519 §5.2).',
  ],
};

/**
 * layoutCommand, with a placeholder such as "<the shared secret>" kept whole as one argument
 * (layoutCommand would break between its words). The no-break spaces are plain spaces again after.
 */
function layoutPlaceholderCommand(command: string, width: number, lead: string): string[] {
  const joined = command.replace(/<[^<>]*>/g, (placeholder) => placeholder.replace(/ /g, '\u00a0'));
  return layoutCommand(joined, width, { lead }).map((line) => line.replace(/\u00a0/g, ' '));
}

/** Warnings as "! code  message", the message wrapping under itself (a hanging indent after the code). */
export function renderWarningRows(warnings: readonly { code: string; message: string }[], output: Output, width: number): string[] {
  const c = output.colour;
  return layoutTable(warnings.map((warning) => [c.yellow(`${MARK.warn} ${terminalSafe(warning.code)}`), terminalSafe(warning.message)]), width, { indent: '  ', gap: 2 });
}

/**
 * Claims as a table (name, value, meaning), the meaning wrapping under itself. When the meanings
 * would get too narrow a column, each claim is stacked: its name and value on a line, its meaning
 * and time under the value. Values are cut at the same length at every width, so the same words
 * show whatever the width.
 */
function renderFields(fields: ExplainedField[], output: Output, width: number): string[] {
  const c = output.colour;
  // JSON.stringify escapes C0 controls but not C1 controls or bidi overrides: terminalSafe does.
  const shown = fields.map((field) => ({
    name: terminalSafe(field.name),
    value: truncateToWidth(terminalSafe(JSON.stringify(field.value) ?? 'undefined'), 34),
    meaning: field.meaning ?? c.dim('(not a registered claim)'),
    time: field.time ? `${field.time.iso} (${field.time.relative})` : undefined,
  }));
  const nameWidth = Math.max(3, ...shown.map((field) => displayWidth(field.name)));
  const valueWidth = Math.max(0, ...shown.map((field) => displayWidth(field.value)));
  if (2 + nameWidth + 2 + valueWidth + 2 + 24 <= width) {
    // A time claim in words on a row of its own, under the meaning.
    return layoutTable(shown.flatMap((field) => {
      const row = [c.bold(field.name), field.value, field.meaning];
      return field.time ? [row, ['', '', field.time]] : [row];
    }), width, { indent: '  ', gap: 2, minLastColumn: 24 });
  }
  const under = 2 + nameWidth + 2;
  const hang = ' '.repeat(width - under >= 24 ? under : 4);
  return shown.flatMap((field) => [
    ...wrapParagraph(field.value, width, { lead: `  ${c.bold(padEndVisible(field.name, nameWidth))}  `, hang }),
    ...wrapParagraph(field.meaning, width, { lead: hang }),
    ...(field.time ? wrapParagraph(field.time, width, { lead: hang }) : []),
  ]);
}

/** The verify command to run next, or (for a JWE, a DPoP proof) why there is none. */
function verifyHint(decoded: DecodedToken, proofThumbprint?: string): { text: string; command: boolean; note?: string } {
  const command = (text: string) => ({ text, command: true });
  const token = '"$TOKEN"';
  if (decoded.type === 'JWE') return { text: 'jwt-vs-oauth verify checks signed tokens (JWS); a JWE is decrypted, and so checked, by its recipient with its key.', command: false };
  if (decoded.dpopProof) return { text: PROOF_CHECKS, command: false, ...(proofThumbprint ? { note: `Its key's thumbprint, what a token bound to it carries as cnf.jkt: ${proofThumbprint}` } : {}) };
  const alg = typeof decoded.header.alg === 'string' && /^[A-Za-z0-9]{1,16}$/.test(decoded.header.alg) ? decoded.header.alg : undefined;
  const pinAlg = alg ? ` --alg ${alg}` : '';
  if (decoded.algorithm.family === 'secret') return command(`jwt-vs-oauth verify ${token} --secret <the shared secret>${pinAlg}`);
  const payload = decoded.payload;
  // Only a plain URL is offered as a command to copy: an iss holding spaces, quotes or ; could run more than verify.
  const issuer = typeof payload === 'object' && payload && typeof payload.iss === 'string' && /^https?:\/\/[A-Za-z0-9.:\/_~%-]+$/.test(payload.iss) ? payload.iss : undefined;
  // An access token (RFC 9068) is checked the way an API checks one: its kind and its audience pinned too.
  const accessToken = typeof decoded.header.typ === 'string' && /^(application\/)?at\+jwt$/i.test(decoded.header.typ);
  if (issuer) return command(`jwt-vs-oauth verify ${token} --discover ${issuer}${pinAlg}${accessToken ? ' --typ at+jwt --aud <your API>' : ''}`);
  if (decoded.algorithm.family === 'none') return { ...command(`jwt-vs-oauth verify ${token} --secret …`), note: '(an unsigned token always fails)' };
  return command(`jwt-vs-oauth verify ${token} --key <public key file>`);
}

