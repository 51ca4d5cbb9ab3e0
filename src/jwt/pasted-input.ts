// Turns what people paste into a bare compact token: surrounding whitespace and quotes,
// "Bearer …", a whole "Authorization: Bearer …" line, a URL carrying id_token / access_token /
// token in its query or fragment, or a JSON token response. A token wrapped across lines (fold,
// an email, a narrow terminal) is joined: whitespace inside a compact token is never meaningful,
// and so is one broken with "\" at its line ends, as our own views and a shell break long words.

import { InputError } from '../errors.js';
import { joinBrokenLines } from '../text/layout.js';

export const MAX_TOKEN_BYTES = 1024 * 1024;

const URL_TOKEN_PARAMETERS = ['id_token', 'access_token', 'token'];

/**
 * The bare token in what was pasted. A token response or URL may carry several; `prefer` names
 * the one wanted first (a check of an access token must not take the ID token beside it).
 */
export function extractToken(pasted: string, options: { prefer?: 'id_token' | 'access_token' } = {}): string {
  const names = options.prefer ? [options.prefer, ...URL_TOKEN_PARAMETERS.filter((name) => name !== options.prefer)] : URL_TOKEN_PARAMETERS;
  if (Buffer.byteLength(pasted, 'utf8') > MAX_TOKEN_BYTES) {
    throw new InputError('ERR_TOKEN_TOO_LARGE', 'The input is larger than 1 MB; no real token is that big.');
  }
  // A token copied from our own laid-out output (decode, mint, the tutorial) or a shell command is
  // broken with "\" at line ends: those breaks go first (spaces a terminal kept after the "\" too).
  let text = joinBrokenLines(pasted.replace(/[ \t]+(?=\r?\n)/g, '')).trim();
  text = stripQuotes(text);
  text = text.replace(/^authorization\s*:\s*/i, '');
  text = text.replace(/^(bearer|dpop)\s+/i, '');
  text = stripQuotes(text.trim());
  text = joinWrapped(text);
  text = fromJsonResponse(text, names) ?? text;
  text = fromUrl(text, names) ?? text;
  if (text === '') {
    throw new InputError('ERR_TOKEN_EMPTY', 'No token was given.', 'Paste a token, pass it as an argument, or pipe it in.');
  }
  const control = /[\u0000-\u001f\u007f]/.exec(text);
  if (control) {
    const codePoint = control[0].charCodeAt(0).toString(16).padStart(4, '0');
    throw new InputError(
      'ERR_TOKEN_CONTROL_CHARACTER',
      `The token contains a control character (U+${codePoint}) at position ${control.index + 1}.`,
      'A token holds only letters, digits, "-", "_" and "."; check what was copied.',
    );
  }
  return text;
}

const COMPACT_PIECE = /^[A-Za-z0-9_.-]+$/;
/** A whole compact token on its own: 3 or 5 segments, the first a JSON object ("eyJ" is base64url for '{"'). */
const WHOLE_TOKEN = /^eyJ[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*){2}((\.[A-Za-z0-9_-]*){2})?$/;

/**
 * Joins a token wrapped across lines when every piece between the whitespace is base64url or
 * dots; refuses several whole tokens side by side, since only one can be decoded.
 */
function joinWrapped(text: string): string {
  const pieces = text.split(/\s+/);
  if (pieces.length < 2 || !pieces.every((piece) => COMPACT_PIECE.test(piece))) return text;
  // Only a join that makes 3 or 5 segments is a token; words without dots stay as they were.
  const dots = pieces.join('').split('.').length - 1;
  if (dots !== 2 && dots !== 4 && !pieces.every((piece) => WHOLE_TOKEN.test(piece))) return text;
  if (pieces.every((piece) => WHOLE_TOKEN.test(piece))) {
    throw new InputError(
      'ERR_TOKEN_SEVERAL',
      `${pieces.length === 2 ? 'Two' : pieces.length} tokens were given, separated by whitespace; pass one token at a time.`,
      'Decode each one on its own, e.g. jwt-vs-oauth decode "$ID_TOKEN", then jwt-vs-oauth decode "$ACCESS_TOKEN".',
    );
  }
  return pieces.join('');
}

function stripQuotes(text: string): string {
  const first = text[0];
  if (text.length >= 2 && (first === '"' || first === "'" || first === '`') && text.endsWith(first)) {
    return text.slice(1, -1).trim();
  }
  return text;
}

function fromJsonResponse(text: string, names: string[]): string | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    for (const name of names) {
      if (typeof parsed[name] === 'string') return parsed[name] as string;
    }
  } catch {
    // Not JSON: fall through and let the token parser name the problem.
  }
  return undefined;
}

function fromUrl(text: string, names: string[]): string | undefined {
  if (!/^https?:\/\//i.test(text) && !/[?#&](id_token|access_token|token|code)=/.test(text)) return undefined;
  const queryStart = text.search(/[?#]/);
  if (queryStart === -1) return undefined;
  // Parameters may sit in the query (?code=…) or the fragment (#id_token=…, implicit flow).
  const parameterText = text.slice(queryStart + 1).replace(/#/g, '&');
  const parameters = new URLSearchParams(parameterText);
  for (const name of names) {
    const value = parameters.get(name);
    if (value) return value.trim();
  }
  if (parameters.get('code')) {
    throw new InputError(
      'ERR_TOKEN_IS_CODE',
      'This URL carries an authorization code (code=…), not a token: a code is not a JWT and cannot be decoded.',
      'The app redeems the code at the token endpoint (with its redirect_uri and PKCE code_verifier) for tokens; decode those. See: jwt-vs-oauth oauth',
    );
  }
  return undefined;
}
