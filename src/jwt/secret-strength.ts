// How guessable an HMAC secret looks: a cheap, documented estimate of its entropy, so mint,
// verify and the exercise checks can warn about human-made secrets (RFC 8725 §3.5: entropy, not
// length). It is an estimate, never a proof: a secret it calls strong may still be known to an
// attacker. It does not refuse anything; callers warn.
//
// Why hand-written: zxcvbn took 100–330 ms per 32–64 character secret plus ~190 ms to load, too
// slow for a CLI's start-up. This takes well under a millisecond (O(n), n capped at 256).
//
// The method. Two models of how an attacker would guess the secret; the estimate is the cheaper:
//
// 1. Character model. Each character costs log2(pool) bits, where pool is the set of characters
//    the secret seems drawn from: hex only ([0-9a-f] or [0-9A-F]) → 16; a base64 or base64url
//    alphabet → at most 64; otherwise the union of the classes present (lower 26, upper 26,
//    digits 10, ASCII symbols and space 33, anything else 100). A character that follows a
//    pattern costs 1 bit instead: it is the third or later of a run of one character ("aaa") or
//    of a sequence of code points going up or down by one ("abc", "321"), or it ends a repeat of
//    an earlier substring of 3 characters.
// 2. Word model. The secret is split into runs of letters (camelCase splits too), digits and
//    other characters. A letter run that looks like a word (2–14 letters; all lower, Capitalised
//    or all UPPER; a vowel, y counting; vowels 20–67% of it, so "api" and "one" count; no 4
//    consonants in a row), or is a common technical word or acronym ("jwt", "url", "sql"), costs
//    what picking it from a dictionary would: 15 bits for 5 letters or more (~32 000 words), 12
//    for 4, 10 for 2–3, 8 for a technical word, 3 for a word already used in the secret; plus
//    1 bit if it has capitals; or its character cost if that is less. Other letter runs cost per
//    character (log2 of 26, or 52 when the secret has both cases), digit runs log2(10) per
//    digit (a year, 1900–2099, 7 bits); a pattern character 1 bit as above. A separator costs 5 bits the first time and
//    1 bit when it repeats the previous separator.
//
// humanMade: famous; or at least half the characters follow a pattern; or made of words: the
// word model costs at most 60% of the character model (half, when it is at or above the bar),
// at least two runs look like words, and
// they hold at least 80% of the letters and half the secret. (Without a dictionary, short
// random letter runs look like words too; these margins keep random secrets out: in runs of
// 300 000 random 32-byte secrets in base64, base64url and hex, none was called human-made or
// weak, and the lowest estimates were about 140 bits.)
// weak: famous (a published example secret), or fewer than MIN_SECRET_BITS estimated bits.
// secretWarnings turns this into mint's and verify's warnings. Bytes that are not printable
// UTF-8 (a random JWK "oct" key) use the character model with a pool of 256.

import { describeAlgorithm } from './algorithms.js';
import type { Warning } from './warnings.js';

/** Below this many estimated bits a secret is called weak: guessable offline from one token. */
export const MIN_SECRET_BITS = 128;

/** Under this many estimated bits, a secret that is not human-made is called guessable outright. */
const GUESSABLE_BITS = 64;

/** Characters analysed; a longer secret is judged by its start (more adds no bits here). */
const MAX_ANALYSED = 256;

/** Bits to pick a word of this many letters from a dictionary (5+ letters: ~32 000 words). */
const wordBits = (letters: number) => (letters >= 5 ? 15 : letters === 4 ? 12 : 10);
const TECHNICAL_WORD_BITS = 8;
const REPEATED_WORD_BITS = 3;
const YEAR_BITS = 7;
/** Words people put in secrets that the vowel rule below would miss. */
const TECHNICAL_WORDS = new Set(['jwt', 'jws', 'jwe', 'jwk', 'jwks', 'url', 'uri', 'sql', 'db', 'http', 'https', 'xml', 'rsa', 'hmac', 'sha', 'html', 'css', 'cfg', 'pwd', 'pw', 'tls', 'ssl', 'crt', 'sso', 'ldap', 'smtp', 'dns', 'tcp', 'ssh', 'prd', 'stg', 'dev', 'qa']);
const SEPARATOR_BITS = 5;
const PATTERN_BITS = 1;
/** A secret made of words: the word model at most this share of the character model (the second
 * when the estimate is at or above MIN_SECRET_BITS, where random base64 could otherwise qualify)… */
const WORDS_MUCH_CHEAPER = 0.6;
const WORDS_MUCH_CHEAPER_ABOVE_BAR = 0.5;
/** …and this share of the letters that must be in word-like runs to call a secret made of words. */
const MOSTLY_WORDS = 0.8;

export interface SecretAssessment {
  /** Length of the secret in bytes (UTF-8 for text). */
  bytes: number;
  /** The estimate in bits, rounded down. */
  estimatedBits: number;
  /** One of the example secrets published in tutorials and documentation. */
  famous: boolean;
  /** Made of words, or of a sequence or repeat: chosen by a person, not drawn at random. */
  humanMade: boolean;
  /** famous, or fewer than MIN_SECRET_BITS estimated bits. */
  weak: boolean;
  /** A short phrase saying why, when weak or human-made. */
  reason?: string;
}

/** Example secrets seen in tutorials, library READMEs and leaked configs, lower-cased. */
const JWT_IO_SECRETS = new Set(['your-256-bit-secret', 'your-384-bit-secret', 'your-512-bit-secret', 'a-string-secret-at-least-256-bits-long']);
const FAMOUS_SECRETS = new Set([
  ...JWT_IO_SECRETS,
  'secret', 'password', 'changeme', 'changeit', 'mysecret', 'my-secret', 'my_secret', 'supersecret', 'super-secret', 'super_secret',
  'secretkey', 'secret-key', 'secret_key', 'mysecretkey', 'my-secret-key', 'my_secret_key',
  'jwt_secret', 'jwt-secret', 'jwtsecret', 'your-secret-key', 'your_secret_key', 'yoursecretkey',
  'your-jwt-secret', 'your_jwt_secret', 'shhhhh', 'keyboard cat', 'topsecret', 's3cr3t', 'secret123', 'default',
]);

/** Estimates how guessable an HMAC secret is. Pure and fast; see the method above. */
export function assessSecret(secret: string | Uint8Array): SecretAssessment {
  return analyseSecret(secret).assessment;
}

/** Why a secret was called weak or human-made, for callers that word their own message. */
export type SecretWeakness = 'famous' | 'pattern' | 'words' | 'entropy';

/** assessSecret, plus which of the reasons applies (none for a secret that looks random). */
export function analyseSecret(secret: string | Uint8Array): { assessment: SecretAssessment; weakness?: SecretWeakness; jwtIo: boolean } {
  const text = typeof secret === 'string' ? secret : printableText(secret);
  const bytes = typeof secret === 'string' ? Buffer.byteLength(secret, 'utf8') : secret.length;
  const normalised = text?.trim().toLowerCase();
  const famous = normalised !== undefined && FAMOUS_SECRETS.has(normalised);
  const jwtIo = normalised !== undefined && JWT_IO_SECRETS.has(normalised);
  const codes = text !== undefined ? [...text].slice(0, MAX_ANALYSED).map((character) => character.codePointAt(0)!) : [...(secret as Uint8Array).subarray(0, MAX_ANALYSED)];
  const patterned = patternFlags(codes);
  const characterBits = characterModel(codes, patterned, text === undefined ? 256 : poolOf(codes));
  const words = text !== undefined ? wordModel(codes, patterned) : { bits: Infinity, wordRuns: 0, wordCharacters: 0, letters: 0 };
  const estimatedBits = Math.floor(Math.min(characterBits, words.bits));
  const patternShare = codes.length ? patterned.filter(Boolean).length / codes.length : 0;
  const isPattern = codes.length >= 4 && patternShare >= 0.5;
  const wordShare = words.bits < MIN_SECRET_BITS ? WORDS_MUCH_CHEAPER : WORDS_MUCH_CHEAPER_ABOVE_BAR;
  const isWords = words.bits <= wordShare * characterBits && words.wordRuns >= 2 && words.wordCharacters * 2 >= codes.length && words.wordCharacters >= MOSTLY_WORDS * words.letters;
  const weak = famous || estimatedBits < MIN_SECRET_BITS;
  const weakness: SecretWeakness | undefined = famous ? 'famous' : isPattern ? 'pattern' : isWords ? 'words' : weak ? 'entropy' : undefined;
  const estimate = `about ${estimatedBits} bits by our estimate`;
  const reason = weakness && {
    famous: `a famous example secret (${jwtIo ? 'jwt.io\'s' : 'from tutorials and leaked configs'})`,
    pattern: `a pattern (sequence or repeat): ${estimate}`,
    words: `looks made of words: ${estimate}`,
    entropy: `too little entropy: ${estimate}`,
  }[weakness];
  const assessment: SecretAssessment = { bytes, estimatedBits, famous, humanMade: famous || isPattern || isWords, weak, ...(reason !== undefined ? { reason } : {}) };
  return { assessment, weakness, jwtIo };
}

/**
 * Warnings about an HMAC secret someone chose (mint --secret, verify --secret, a JWK "oct" key):
 * at most one line for its length against the hash (RFC 7518 §3.2) and one for how guessable it
 * looks (RFC 8725 §3.5, the estimate above). Never a refusal: a demo secret is allowed, only
 * warned about. `subject` names the secret when there are several ("The secret of the key with kid …").
 */
export function secretWarnings(secret: Uint8Array, alg: string, subject = 'The secret'): Warning[] {
  const wanted = (describeAlgorithm(alg).hashBits || 256) / 8;
  const fix = `Use ${wanted} random bytes: openssl rand -base64 ${wanted}`;
  const { assessment, weakness, jwtIo } = analyseSecret(secret);
  const estimate = `about ${assessment.estimatedBits} bits by our estimate`;
  const warnings: Warning[] = [];
  // Length is a rule of its own (RFC 7518 §3.2), said without claiming a random secret is guessable.
  if (assessment.bytes < wanted) {
    warnings.push({
      code: 'short-secret',
      message: `${subject} is ${assessment.bytes} byte${assessment.bytes === 1 ? '' : 's'}; ${alg} needs a key at least as long as its hash, ${wanted} bytes (RFC 7518 §3.2)${weakness === 'entropy' ? `, and it holds ${estimate}, under the ${MIN_SECRET_BITS} we ask for` : ''}. ${fix}.`,
    });
  }
  if (weakness === 'famous') {
    warnings.push({ code: 'famous-secret', message: `${subject} is a famous example secret${jwtIo ? ' (jwt.io\'s)' : ''}: whoever has seen it can sign tokens that pass. ${fix} (RFC 8725 §3.5).` });
  } else if (weakness === 'pattern' || weakness === 'words') {
    const what = weakness === 'pattern' ? `is a pattern, a sequence or repeat (${estimate})` : `looks made of words (${estimate})`;
    warnings.push({ code: 'weak-secret', message: `${subject} ${what}: a secret a person chose can be guessed offline from any one token. ${fix} (RFC 8725 §3.5).` });
  } else if (weakness === 'entropy' && assessment.bytes >= wanted) {
    // "Guessable" only where it is true: well under the bar. Near it, say it is under the bar.
    const claim = assessment.estimatedBits < GUESSABLE_BITS ? `has too little entropy (${estimate}): it can be guessed offline from any one token` : `holds ${estimate}, under the ${MIN_SECRET_BITS} we ask for`;
    warnings.push({ code: 'weak-secret', message: `${subject} ${claim}. ${fix} (RFC 8725 §3.5).` });
  }
  return warnings;
}

/** Bytes that are printable UTF-8 text are judged as text (a JWK "oct" key may hold a password). */
function printableText(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return /^[^\u0000-\u001f\u007f]+$/u.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** For each position: does the character follow a pattern (repeat, ±1 sequence, repeated substring)? */
function patternFlags(codes: number[]): boolean[] {
  const seen = new Set<string>();
  return codes.map((code, index) => {
    if (index === 0) return false;
    const previous = codes[index - 1]!;
    const step = code - previous;
    const previousStep = index >= 2 ? previous - codes[index - 2]! : 0;
    let gram: string | undefined;
    let repeated = false;
    if (index >= 2) {
      gram = `${codes[index - 2]},${previous},${code}`;
      repeated = seen.has(gram);
      seen.add(gram);
    }
    // Only the third character of a run counts ("aaa", "abc"): two equal or neighbouring
    // characters side by side are common in random text (about one in six in random hex).
    const run = index >= 2 && (step === 0 || Math.abs(step) === 1) && previousStep === step;
    return run || repeated;
  });
}

const isLower = (code: number) => code >= 97 && code <= 122;
const isUpper = (code: number) => code >= 65 && code <= 90;
const isDigit = (code: number) => code >= 48 && code <= 57;
const isAsciiSymbol = (code: number) => code <= 126 && !isLower(code) && !isUpper(code) && !isDigit(code);

function poolOf(codes: number[]): number {
  const text = String.fromCodePoint(...codes);
  if (/^[0-9a-f]+$/.test(text) || /^[0-9A-F]+$/.test(text)) return 16;
  let pool = 0;
  if (codes.some(isLower)) pool += 26;
  if (codes.some(isUpper)) pool += 26;
  if (codes.some(isDigit)) pool += 10;
  if (codes.some(isAsciiSymbol)) pool += 33;
  if (codes.some((code) => code > 126)) pool += 100;
  if (/^[A-Za-z0-9+/]+=*$/.test(text) || /^[A-Za-z0-9_-]+=*$/.test(text)) pool = Math.min(pool, 64);
  return Math.max(pool, 2);
}

function characterModel(codes: number[], patterned: boolean[], pool: number): number {
  const bits = Math.log2(pool);
  return codes.reduce((sum, _code, index) => sum + (patterned[index] ? PATTERN_BITS : bits), 0);
}

type RunKind = 'letters' | 'digits' | 'other';

function kindOf(code: number): RunKind {
  if (isLower(code) || isUpper(code)) return 'letters';
  return isDigit(code) ? 'digits' : 'other';
}

function wordModel(codes: number[], patterned: boolean[]): { bits: number; wordRuns: number; wordCharacters: number; letters: number } {
  let bits = 0;
  let letters = 0;
  let wordRuns = 0;
  let wordCharacters = 0;
  let lastSeparator: number | undefined;
  const usedWords = new Set<string>();
  const letterPool = (codes.some(isLower) ? 26 : 0) + (codes.some(isUpper) ? 26 : 0);
  let start = 0;
  while (start < codes.length) {
    const kind = kindOf(codes[start]!);
    let end = start + 1;
    // A lower-case letter followed by an upper-case one starts a new word (camelCase).
    while (end < codes.length && kindOf(codes[end]!) === kind && !(kind === 'letters' && isLower(codes[end - 1]!) && isUpper(codes[end]!))) end++;
    const run = codes.slice(start, end);
    const perCharacter = (pool: number) => run.reduce((sum, _code, offset) => sum + (patterned[start + offset] ? PATTERN_BITS : Math.log2(pool)), 0);
    if (kind === 'letters') {
      letters += run.length;
      const characterCost = perCharacter(letterPool);
      const lower = String.fromCharCode(...run).toLowerCase();
      const technical = TECHNICAL_WORDS.has(lower);
      if (technical || looksLikeWord(run)) {
        wordRuns++;
        wordCharacters += run.length;
        const pick = usedWords.has(lower) ? REPEATED_WORD_BITS : technical ? TECHNICAL_WORD_BITS : wordBits(run.length);
        bits += Math.min(pick + (run.some(isUpper) ? 1 : 0), characterCost);
        usedWords.add(lower);
      } else {
        bits += characterCost;
      }
    } else if (kind === 'digits') {
      const year = run.length === 4 && (run[0] === 49 && run[1] === 57 || run[0] === 50 && run[1] === 48);
      bits += year ? Math.min(YEAR_BITS, perCharacter(10)) : perCharacter(10);
    } else {
      for (const code of run) {
        bits += code === lastSeparator ? PATTERN_BITS : code > 126 ? Math.log2(100) : SEPARATOR_BITS;
        lastSeparator = code;
      }
    }
    start = end;
  }
  return { bits, wordRuns, wordCharacters, letters };
}

const VOWELS = new Set('aeiouy');

/** 2–14 letters, lower / Capitalised / UPPER, vowels 20–67%, no 4 consonants in a row. */
function looksLikeWord(run: number[]): boolean {
  if (run.length < 2 || run.length > 14) return false;
  const word = String.fromCharCode(...run);
  if (!/^(?:[a-z]+|[A-Z][a-z]+|[A-Z]+)$/.test(word)) return false;
  const lower = word.toLowerCase();
  const vowels = [...lower].filter((letter) => VOWELS.has(letter)).length;
  return vowels > 0 && vowels / lower.length >= 0.2 && vowels / lower.length <= 2 / 3 && !/[^aeiouy]{4}/.test(lower);
}
