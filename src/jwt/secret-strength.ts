// How guessable an HMAC secret looks: a cheap, documented estimate of its entropy, so mint,
// verify and the exercise checks can warn about human-made secrets (RFC 8725 §3.5: entropy, not
// length). It is an estimate, never a proof: a secret it calls strong may still be known to an
// attacker. It does not refuse anything; callers warn.
//
// Why hand-written: zxcvbn took 100–330 ms per 32–64 character secret plus ~190 ms to load, too
// slow for a CLI's start-up. This takes well under a millisecond: only the first MAX_ANALYSED
// (256) characters are read, before any work on the whole secret, so a 150 MB key costs what a
// 256-character one does.
//
// Reading. Bytes that are valid UTF-8 are text, whatever whitespace or control characters they
// hold (a secret from a CRLF .env file ends in "\r"); other bytes (a random JWK "oct" key) are
// judged by the character model with a pool of 256. Text and strings take one path: normalised
// with NFKC (full-width and mathematical letters become plain ones), then cut to 256 code points.
//
// The method. Two models of how an attacker would guess the secret; the estimate is the cheaper:
//
// 1. Character model. Each character costs log2(pool), the pool being the characters the secret
//    seems drawn from: digits only 10; hex ([0-9a-f] or [0-9A-F]) 16; a base64 or base64url
//    alphabet at most 64; otherwise the union of the classes present: lower 26, upper 26, digits
//    10, ASCII symbols and space 33, control characters 33, Han ideographs 2^14, anything else 100.
//    A character that follows a pattern costs less: the third or later of a run of one character
//    ("aaa"), of a sequence going up or down by one ("abc", "321"), of such a sequence every
//    other character ("a1b2c3"), or of a walk along a keyboard row or column ("qwerty", "1qaz",
//    "!QAZ"); or one that ends a repeat of an earlier 3-character substring. A run of n such
//    characters costs 1 + log2(n) bits in all, so a long repeat adds a few bits, not one a
//    character.
// 2. Word model. The secret is split into runs of letters (any script; camelCase and "JWTSecret"
//    split too), digits and separators (anything else, whitespace and control characters
//    included). Where a run mixes letters with leet stand-ins (0→o, 1→i or l, 3→e, 4→a, 5→s,
//    7→t, @→a, $→s), it is also read with them undone, at a bit for each letter that could have
//    been swapped, and the cheaper reading kept. A letter run costs the least of its characters
//    (log2 of 26, 52 with both cases, more with other scripts) and, when it is one, of:
//    - a common technical word ("jwt", "url", "sql"): 8 bits; a word already used: 3 bits;
//    - a run that looks like an English word: 15 bits for 5 letters or more (a pick from ~32 000
//      words), 12 for 4, 10 for 2–3, plus 1 if it has capitals. It looks like one when it has
//      2–14 letters, lower, Capitalised or UPPER, with a vowel (y counts) and English letter
//      pairs. Up to 4 letters, vowels are 20–67% and (3–4 letters) its pairs average at most 5.5
//      or 5.2 bits under the letter-pair model below; from 5, vowels are at most 70% and its
//      pairs average at most 3.8 + 2.5/length bits, leaving out the rarest tenth of them (at
//      least one: the join of a compound, the s-r of "classroom"). About 97% of dictionary words
//      meet this, random letters seldom do ("strengths" and "angsts" are words, "ynohtimiakpe"
//      and "cemn" are not);
//    - a run of 15 letters or more that reads as English by the same measure (at most
//      3.2 + 0.024 × length bits a pair, and 4.5, which random letters meet about once in a
//      million tries or less): 2.5 bits a letter ("Supercalifragilisticexpialidocious", words
//      run together);
//    - two or more letters of another script (accented Latin is folded to plain letters first):
//      priced as an English word of that length; a Han character is a word of its own, 11 bits
//      (a pick from the ~2 500 in common use).
//    Digit runs cost log2(10) a digit (a year, 1900–2099, 7 bits); a lone letter or digit, what
//    it costs in the character model (its class tells nothing); a separator 5 bits the first
//    time (log2(100) outside ASCII), 1 bit when it repeats the previous separator, 1 + log2(n)
//    when it repeats one of the n used so far; pattern characters as above. A run that is not a
//    word or a year, right after another such run, costs log2(3) bits more: between words a
//    separator or a number is expected, but among random characters the kind of the next run is
//    a choice too. A hex secret is read instead as hex words ("deadbeef", "cafebabe",
//    "8badf00d": 6 bits each) among characters at 4 bits.
//
// The letter-pair model is a 27×27 table of -log2 P(next letter | letter), the start and end of
// a word included, in half bits, counted over the 73 000 words of the SCOWL word list (Debian's
// wamerican) with add-half smoothing.
//
// humanMade: famous; or at least half the characters follow a pattern; or made of words: runs
// that look like words hold at least 80% of the letters and half the secret, there are two of
// them or one English run of 15 letters or more, and the word model costs at most 60% of what
// the same characters cost drawn at random (half, when it is at or above the bar). Words in
// another script need no such margin: encodings of random bytes are ASCII. weak: famous (a
// published example secret), or fewer than MIN_SECRET_BITS estimated bits.
//
// Measured with a throwaway script on secrets from crypto.randomBytes: of 5 000 000 random 32-byte
// secrets each in base64, base64url and hex, none was called weak or human-made, and the lowest
// estimates were 169, 155 and 216 bits. Nor was any of 1 000 000 each of raw 32-byte keys
// (lowest 234 bits), 43-character base62 secrets (175) and 32-character printable-ASCII
// passwords (132); of 1 000 000 random 40-letter lower-case secrets, one read as English words
// run together.
//
// What it cannot see: a human-made secret encoded as base64 or hex (it looks random, and is
// not); words it has no model of (names, most words of other languages in Latin letters, words
// run together that its letter pairs do not catch); a secret published somewhere it does not
// know, or one reused across services. It is an estimate, not a proof.
//
// secretWarnings turns this into mint's and verify's warnings.

import { describeAlgorithm } from './algorithms.js';
import type { Warning } from './warnings.js';

/** Below this many estimated bits a secret is called weak: guessable offline from one token. */
export const MIN_SECRET_BITS = 128;

/** Under this many estimated bits, a secret that is not human-made is called guessable outright. */
const GUESSABLE_BITS = 64;

/** Code points analysed; a longer secret is judged by its start (more adds no bits here). */
const MAX_ANALYSED = 256;

/** Bits to pick a word of this many letters from a dictionary (5+ letters: ~32 000 words). */
const wordBits = (letters: number) => (letters >= 5 ? 15 : letters === 4 ? 12 : 10);
const TECHNICAL_WORD_BITS = 8;
const REPEATED_WORD_BITS = 3;
const YEAR_BITS = 7;
const SEPARATOR_BITS = 5;
const REPEATED_SEPARATOR_BITS = 1;
/** Which kind of run comes next, after a run of characters: letters, digits or a separator. */
const KIND_BITS = Math.log2(3);
/** Leet (4 for a, 0 for o): each letter of a word read in leet that could have been swapped. */
const LEET_BITS = 1;
/** A letter of a long run that reads as English. */
const ENGLISH_LETTER_BITS = 2.5;
/** A Han character: a pick from the ~2 500 in common use. */
const HAN_CHARACTER_BITS = 11;
/** A hex word ("deadbeef", "f00d"): a pick from the list below. */
const HEX_WORD_BITS = 6;
const MAX_WORD_LETTERS = 14;
const LONG_ENGLISH_LETTERS = 15;
/** The pool of a character outside ASCII, and of a Han ideograph, for the character model. */
const OTHER_POOL = 100;
const HAN_POOL = 2 ** 14;
const CONTROL_POOL = 33;
/** A secret made of words: the word model at most this share of the characters drawn at random (the
 * second when the estimate is at or above MIN_SECRET_BITS, where random base64 could otherwise qualify)… */
const WORDS_MUCH_CHEAPER = 0.6;
const WORDS_MUCH_CHEAPER_ABOVE_BAR = 0.5;
/** …and this share of the letters that must be in word-like runs to call a secret made of words. */
const MOSTLY_WORDS = 0.8;

/** Words people put in secrets that the letter-pair rule below would miss. */
const TECHNICAL_WORDS = new Set(['jwt', 'jws', 'jwe', 'jwk', 'jwks', 'url', 'uri', 'sql', 'db', 'http', 'https', 'xml', 'rsa', 'hmac', 'sha', 'html', 'css', 'cfg', 'pwd', 'pw', 'tls', 'ssl', 'crt', 'sso', 'ldap', 'smtp', 'dns', 'tcp', 'ssh', 'prd', 'stg', 'dev', 'qa']);

/** Hexspeak: words spelled in hex digits, famous as magic numbers, and their parts. */
const HEX_WORDS = [
  'deadbeef', 'cafebabe', '8badf00d', 'feedface', 'facefeed', '0ddba11', 'b16b00b5', 'baadf00d', 'deadc0de', 'defec8ed', 'd15ea5e',
  'decafbad', 'fee1dead', 'abadbabe', 'badc0de', 'cafed00d', 'c0ffee', 'dabbad00', 'deadbabe', 'deadfa11', 'f00dbabe', '1ceb00da',
  '0b5e55ed', '5ca1ab1e', 'ca11ab1e', 'c001d00d', 'dead', 'beef', 'cafe', 'babe', 'face', 'feed', 'fade', 'bead', 'deaf', 'f00d', 'c0de', 'ba11',
  'b00b', 'd00d', 'c0c0a', 'acce55', 'decade', 'facade', 'accede', 'defaced', 'effaced',
];

/**
 * English letter pairs: row = a letter (row 0: the start of a word), column = the next letter
 * (column 0: the end of the word); each character is -log2 P(next | letter) in half bits, as a
 * base-32 digit (0–9, a–v). Derived as the header says.
 */
const ENGLISH_PAIR_COSTS = [
  'v887899a99dda8bb7f869bcakgh',
  '9k989geafakc696jaj685bcdgcf',
  'c69hg5jni6gn5gh6kq7ae7jjqdt',
  'a6ncm7po68v79mm5ni8d89pvvdm',
  '39ghb5hcg6hnbfg9ioa9iagfvdl',
  '69ea6bddgdki9b7ech559gdecei',
  'b7ikl67lj5nm7kk6ls7c97smsbs',
  '38jpk6ja98om9fb9jq8ag9riudm',
  '85fji4gli5mkdde5jnab99pfuan',
  'd9c8a7calkmg8a48cia78gamhoa',
  'e4nnn5knn7nknnn4iniin4kknnn',
  '68dig4fic5jf9eaafrc6fcrerar',
  '86ffc5fgj5pe6eg7fpjabafkn7o',
  '859fl5gok5upg9e67ni9k9lkuer',
  '78g987d5g8icfhbahig76deilfj',
  'bbbaaddagbkd88599j6997aafeh',
  'a6hij5jk87ok7hi68u69a9rjrer',
  'dfjmmmmmmfmmgmmjmmmjj0mjmmm',
  '76dca5fcg6kddbb7dlb79aehpbm',
  '3ahaj8ik98neccebagk86aleveq',
  '67hdl5gk85onbgh8iv88aanftbh',
  'e9a9a9dak9kg785e9n667mhmhjg',
  'd5onk2onm4orirn7mrihkdhrrfr',
  '94dhc5gi85reag96fr99fhoirfj',
  '68j7o6jja5oogija6jji6adgcbk',
  '1adbd9geg9libbbcapc8dfleinh',
  '86hkj2pme5piagh9hmjihdhhpc8',
];

/** Keyboard lines (US layout): rows, and the columns people walk down ("1qaz", "!QAZ"). */
const KEYBOARD_LINES = [
  '`1234567890-=', 'qwertyuiop[]\\', "asdfghjkl;'", 'zxcvbnm,./', '~!@#$%^&*()_+', 'QWERTYUIOP{}|', 'ASDFGHJKL:"', 'ZXCVBNM<>?',
  '1qaz', '2wsx', '3edc', '4rfv', '5tgb', '6yhn', '7ujm', '8ik,', '9ol.', '0p;/',
  '!QAZ', '@WSX', '#EDC', '$RFV', '%TGB', '^YHN', '&UJM', '*IK<', '(OL>', ')P:?',
];

/** For a pair of characters next to each other on a keyboard line: which line and direction. Built on first use. */
let keyboardSteps: Map<number, number> | undefined;

function keyboardStep(from: number, to: number): number | undefined {
  if (keyboardSteps === undefined) {
    keyboardSteps = new Map();
    for (let line = 0; line < KEYBOARD_LINES.length; line++) {
      const keys = KEYBOARD_LINES[line]!;
      for (let offset = 1; offset < keys.length; offset++) {
        const [left, right] = [keys.charCodeAt(offset - 1), keys.charCodeAt(offset)];
        if (!keyboardSteps.has(left * 0x10000 + right)) keyboardSteps.set(left * 0x10000 + right, line * 2);
        if (!keyboardSteps.has(right * 0x10000 + left)) keyboardSteps.set(right * 0x10000 + left, line * 2 + 1);
      }
    }
  }
  return from < 0x10000 && to < 0x10000 ? keyboardSteps.get(from * 0x10000 + to) : undefined;
}

/** Leet: what each stand-in character may stand for. */
const LEET = new Map<number, string>([['0', 'o'], ['1', 'il'], ['3', 'e'], ['4', 'a'], ['5', 's'], ['7', 't'], ['@', 'a'], ['$', 's']].map(([from, to]) => [from!.charCodeAt(0), to!]));

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

/** Example secrets seen in tutorials, library READMEs, documentation and leaked configs, lower-cased, with who published them where it helps. */
const JWT_IO = 'jwt.io\'s';
const AWS_DOCS = 'AWS\'s documentation example';
const FAMOUS_SECRETS = new Map<string, string | undefined>([
  ...['your-256-bit-secret', 'your-384-bit-secret', 'your-512-bit-secret', 'a-string-secret-at-least-256-bits-long'].map((secret) => [secret, JWT_IO] as const),
  ...['wjalrxutnfemi/k7mdeng/bpxrficyexamplekey', 'akiaiosfodnn7example'].map((secret) => [secret, AWS_DOCS] as const),
  ...[
    'secret', 'password', 'changeme', 'changeit', 'mysecret', 'my-secret', 'my_secret', 'supersecret', 'super-secret', 'super_secret',
    'secretkey', 'secret-key', 'secret_key', 'mysecretkey', 'my-secret-key', 'my_secret_key',
    'jwt_secret', 'jwt-secret', 'jwtsecret', 'your-secret-key', 'your_secret_key', 'yoursecretkey',
    'your-jwt-secret', 'your_jwt_secret', 'shhhhh', 'keyboard cat', 'topsecret', 's3cr3t', 'secret123', 'default',
  ].map((secret) => [secret, undefined] as const),
]);

/** Estimates how guessable an HMAC secret is. Pure and fast; see the method above. */
export function assessSecret(secret: string | Uint8Array): SecretAssessment {
  return analyseSecret(secret).assessment;
}

/** Why a secret was called weak or human-made, for callers that word their own message. */
export type SecretWeakness = 'famous' | 'pattern' | 'words' | 'entropy';

/** assessSecret, plus which of the reasons applies (none for a secret that looks random) and who published a famous one. */
export function analyseSecret(secret: string | Uint8Array): { assessment: SecretAssessment; weakness?: SecretWeakness; publishedBy?: string } {
  const { codes, text, bytes, whole } = readSecret(secret);
  const famousKey = text && whole ? famousForm(codes) : undefined;
  const famous = famousKey !== undefined && FAMOUS_SECRETS.has(famousKey);
  const publishedBy = famous ? FAMOUS_SECRETS.get(famousKey!) : undefined;
  const pool = text ? poolOf(codes) : 256;
  const patterned = patternFlags(codes);
  const patternCosts = patternRunCosts(patterned);
  const characterBits = codes.reduce((sum, _code, index) => sum + (patternCosts[index] || Math.log2(pool)), 0);
  const randomBits = codes.length * Math.log2(pool);
  const words: Tally = !text ? noWords() : pool <= 16 ? hexWordModel(codes, patternCosts, Math.log2(pool)) : wordModel(codes, patternCosts, Math.log2(pool));
  const estimatedBits = Math.floor(Math.min(characterBits, words.bits));
  const patternShare = codes.length ? patterned.filter(Boolean).length / codes.length : 0;
  const isPattern = codes.length >= 4 && patternShare >= 0.5;
  const share = words.bits < MIN_SECRET_BITS ? WORDS_MUCH_CHEAPER : WORDS_MUCH_CHEAPER_ABOVE_BAR;
  const isWords = (words.wordRuns >= 2 || words.longEnglish)
    && words.wordCharacters * 2 >= codes.length
    && words.wordCharacters >= MOSTLY_WORDS * words.letters
    && (words.bits <= share * randomBits || words.otherScriptCharacters * 2 >= words.wordCharacters);
  const weak = famous || estimatedBits < MIN_SECRET_BITS;
  const weakness: SecretWeakness | undefined = famous ? 'famous' : isPattern ? 'pattern' : isWords ? 'words' : weak ? 'entropy' : undefined;
  const estimate = `about ${estimatedBits} bits by our estimate`;
  const reason = weakness && {
    famous: `a famous example secret (${publishedBy ?? 'from tutorials and leaked configs'})`,
    pattern: `a pattern (sequence or repeat): ${estimate}`,
    words: `looks made of words: ${estimate}`,
    entropy: `too little entropy: ${estimate}`,
  }[weakness];
  const assessment: SecretAssessment = { bytes, estimatedBits, famous, humanMade: famous || isPattern || isWords, weak, ...(reason !== undefined ? { reason } : {}) };
  return { assessment, weakness, ...(publishedBy !== undefined ? { publishedBy } : {}) };
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
  const { assessment, weakness, publishedBy } = analyseSecret(secret);
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
    warnings.push({ code: 'famous-secret', message: `${subject} is a famous example secret${publishedBy ? ` (${publishedBy})` : ''}: whoever has seen it can sign tokens that pass. ${fix} (RFC 8725 §3.5).` });
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

// Reading: the first MAX_ANALYSED code points, as text when the bytes are UTF-8.

interface Reading {
  /** The code points (text) or bytes (binary) analysed: at most MAX_ANALYSED. */
  codes: number[];
  text: boolean;
  /** The whole secret's length in bytes. */
  bytes: number;
  /** Whether codes hold the whole secret, not only its start. */
  whole: boolean;
}

/** Only the start is ever decoded or copied: a UTF-8 character is at most 4 bytes, a code point at most 2 UTF-16 units. */
function readSecret(secret: string | Uint8Array): Reading {
  if (typeof secret === 'string') {
    const start = secret.slice(0, MAX_ANALYSED * 2);
    return readText(start, Buffer.byteLength(secret, 'utf8'), start.length === secret.length);
  }
  const start = secret.subarray(0, MAX_ANALYSED * 4);
  const whole = start.length === secret.length;
  let text: string;
  try {
    // stream: a character cut at the end of the start is not an error; fatal: other bad bytes are.
    text = new TextDecoder('utf-8', { fatal: true }).decode(start, { stream: !whole });
  } catch {
    return { codes: [...secret.subarray(0, MAX_ANALYSED)], text: false, bytes: secret.length, whole: secret.length <= MAX_ANALYSED };
  }
  return readText(text, secret.length, whole);
}

function readText(start: string, bytes: number, whole: boolean): Reading {
  const codes: number[] = [];
  for (const character of start.normalize('NFKC')) {
    if (codes.length === MAX_ANALYSED) return { codes, text: true, bytes, whole: false };
    codes.push(character.codePointAt(0)!);
  }
  return { codes, text: true, bytes, whole };
}

/** The secret as the famous list holds it: lower-cased, without leading or trailing whitespace or control characters. */
function famousForm(codes: number[]): string {
  let [start, end] = [0, codes.length];
  while (start < end && isBlank(codes[start]!)) start++;
  while (end > start && isBlank(codes[end - 1]!)) end--;
  return String.fromCodePoint(...codes.slice(start, end)).toLowerCase();
}

/** Whitespace, control characters and the invisible format characters people paste by accident. */
const isBlank = (code: number) => code <= 32 || (code >= 127 && code <= 160) || code === 0x1680 || (code >= 0x2000 && code <= 0x200f) || (code >= 0x2028 && code <= 0x202f) || code === 0x205f || code === 0x3000 || code === 0xfeff;

// The character model.

const isLower = (code: number) => code >= 97 && code <= 122;
const isUpper = (code: number) => code >= 65 && code <= 90;
const isDigit = (code: number) => code >= 48 && code <= 57;
const isControl = (code: number) => code < 32 || (code >= 127 && code < 160);
const isAsciiSymbol = (code: number) => code >= 32 && code <= 126 && !isLower(code) && !isUpper(code) && !isDigit(code);
const HAN = /\p{Script=Han}/u;
const LETTER = /[\p{L}\p{M}]/u;
const isHan = (code: number) => code >= 0x2e80 && HAN.test(String.fromCodePoint(code));
/** A letter of any script but Han (each Han character is a word of its own), or a combining mark. */
const isLetter = (code: number) => isLower(code) || isUpper(code) || (code > 126 && !isHan(code) && LETTER.test(String.fromCodePoint(code)));

function poolOf(codes: number[]): number {
  const text = String.fromCodePoint(...codes);
  if (/^[0-9]+$/.test(text)) return 10;
  if (/^[0-9a-f]+$/.test(text) || /^[0-9A-F]+$/.test(text)) return 16;
  let pool = 0;
  if (codes.some(isLower)) pool += 26;
  if (codes.some(isUpper)) pool += 26;
  if (codes.some(isDigit)) pool += 10;
  if (codes.some(isAsciiSymbol)) pool += 33;
  if (codes.some(isControl)) pool += CONTROL_POOL;
  if (codes.some(isHan)) pool += HAN_POOL;
  if (codes.some((code) => code >= 160 && !isHan(code))) pool += OTHER_POOL;
  if (/^[A-Za-z0-9+/]+=*$/.test(text) || /^[A-Za-z0-9_-]+=*$/.test(text)) pool = Math.min(pool, 64);
  return Math.max(pool, 2);
}

/** For each position: does the character follow a pattern (see the header)? */
function patternFlags(codes: number[]): boolean[] {
  const seen = new Set<number | string>();
  return codes.map((code, index) => {
    if (index < 2) return false;
    const before = codes[index - 2]!;
    const previous = codes[index - 1]!;
    // Only the third character of a run counts ("aaa", "abc"): two equal or neighbouring
    // characters side by side are common in random text (about one in six in random hex).
    const step = code - previous;
    const run = Math.abs(step) <= 1 && previous - before === step;
    const everyOther = index >= 4 && Math.abs(code - before) <= 1 && before - codes[index - 4]! === code - before;
    const keyboard = keyboardStep(previous, code);
    const walk = keyboard !== undefined && keyboardStep(before, previous) === keyboard;
    // Three characters of the Basic Multilingual Plane fit one exact number (48 bits); others, a string.
    const gram = Math.max(before, previous, code) < 0x10000 ? (before * 0x10000 + previous) * 0x10000 + code : `${before},${previous},${code}`;
    const repeated = seen.has(gram);
    seen.add(gram);
    return run || everyOther || walk || repeated;
  });
}

/** What each pattern character costs (0 for the others): a run of n of them costs 1 + log2(n) bits in all. */
function patternRunCosts(patterned: boolean[]): number[] {
  let run = 0;
  return patterned.map((flag) => {
    run = flag ? run + 1 : 0;
    return run === 0 ? 0 : run === 1 ? 1 : Math.log2(run / (run - 1));
  });
}

// The word model.

interface Tally {
  bits: number;
  /** Runs that look like words, and the characters in them. */
  wordRuns: number;
  wordCharacters: number;
  /** Letters in all, in words or not. */
  letters: number;
  /** Word characters of scripts other than Latin (random encodings never hold them). */
  otherScriptCharacters: number;
  /** A run of LONG_ENGLISH_LETTERS or more that reads as English. */
  longEnglish: boolean;
}

const emptyTally = (bits = 0, letters = 0): Tally => ({ bits, wordRuns: 0, wordCharacters: 0, letters, otherScriptCharacters: 0, longEnglish: false });
const noWords = (): Tally => emptyTally(Infinity);

function add(into: Tally, from: Tally): void {
  into.bits += from.bits;
  into.wordRuns += from.wordRuns;
  into.wordCharacters += from.wordCharacters;
  into.letters += from.letters;
  into.otherScriptCharacters += from.otherScriptCharacters;
  into.longEnglish ||= from.longEnglish;
}

/** What the word model remembers as it reads: the words and separator runs used so far. A reading
 * tried on the side keeps what it adds apart (over `base`) until it is kept. */
interface Memory {
  words: Set<string>;
  separators: Set<string>;
  lastSeparator?: number;
  lastSeparatorRun?: string;
  /** Whether the last run was characters, not a word or a year: then the next run's kind is news too. */
  afterCharacters?: boolean;
  base?: Memory;
}

const remembers = (memory: Memory, kind: 'words' | 'separators', text: string): boolean => memory[kind].has(text) || (memory.base !== undefined && remembers(memory.base, kind, text));
const separatorsUsed = (memory: Memory): number => memory.separators.size + (memory.base !== undefined ? separatorsUsed(memory.base) : 0);
const trial = (memory: Memory): Memory => ({ words: new Set(), separators: new Set(), lastSeparator: memory.lastSeparator, lastSeparatorRun: memory.lastSeparatorRun, afterCharacters: memory.afterCharacters, base: memory });

function keep(tried: Memory): void {
  const base = tried.base!;
  for (const word of tried.words) base.words.add(word);
  for (const separator of tried.separators) base.separators.add(separator);
  base.lastSeparator = tried.lastSeparator;
  base.lastSeparatorRun = tried.lastSeparatorRun;
  base.afterCharacters = tried.afterCharacters;
}

/**
 * Between words a separator or a number is expected; after a run of mere characters, which kind
 * comes next (letters, digits or a separator) is a choice too: log2(3) bits for a run of characters
 * that follows one.
 */
function kindCost(memory: Memory, word: boolean): number {
  const bits = !word && memory.afterCharacters ? KIND_BITS : 0;
  memory.afterCharacters = !word;
  return bits;
}

interface Context {
  /** What a character that follows a pattern costs; 0 where none does. */
  patternCosts: number[];
  /** log2 of the letters' pool: 26 or 52 for ASCII, more with other scripts. */
  letterBits: number;
  /** log2 of the secret's pool: what a lone letter or digit costs (its class tells nothing). */
  poolBits: number;
}

function wordModel(codes: number[], patternCosts: number[], poolBits: number): Tally {
  const letterPool = (codes.some(isLower) ? 26 : 0) + (codes.some(isUpper) ? 26 : 0) + (codes.some((code) => code > 126 && isLetter(code)) ? OTHER_POOL : 0);
  const context: Context = { patternCosts, letterBits: Math.log2(Math.max(letterPool, 2)), poolBits };
  const total = emptyTally();
  const memory: Memory = { words: new Set(), separators: new Set() };
  let start = 0;
  for (const [runStart, runEnd] of leetRuns(codes)) {
    add(total, tokensCost(codes, start, runStart, memory, context));
    // A run with stand-ins for letters is read both ways, and the cheaper kept.
    const plain = trial(memory);
    let best = { tally: tokensCost(codes, runStart, runEnd, plain, context), memory: plain };
    for (const variant of leetVariants(codes.slice(runStart, runEnd))) {
      const tried = trial(memory);
      const tally = tokensCost(variant.codes, 0, variant.codes.length, tried, context, runStart);
      tally.bits += variant.substitutions * LEET_BITS;
      if (tally.bits < best.tally.bits) best = { tally, memory: tried };
    }
    add(total, best.tally);
    keep(best.memory);
    start = runEnd;
  }
  add(total, tokensCost(codes, start, codes.length, memory, context));
  return total;
}

/** Runs of letters and leet stand-ins that hold both, as [start, end); digits at an end that a digit run goes on from stay digits ("Key2019"). */
function leetRuns(codes: number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let index = 0;
  while (index < codes.length) {
    if (!isLetter(codes[index]!) && !LEET.has(codes[index]!)) {
      index++;
      continue;
    }
    let end = index;
    while (end < codes.length && (isLetter(codes[end]!) || LEET.has(codes[end]!))) end++;
    let [first, last] = [index, end];
    while (first < last && isDigit(codes[first]!) && first > 0 && isDigit(codes[first - 1]!)) first++;
    while (last > first && isDigit(codes[last - 1]!) && last < codes.length && isDigit(codes[last]!)) last--;
    const run = codes.slice(first, last);
    if (run.some((code) => LEET.has(code)) && run.some(isLetter)) runs.push([first, last]);
    index = end;
  }
  return runs;
}

/**
 * The run with its stand-ins replaced (upper case in an upper-case run: "K3Y" → "KEY"), 1 read as
 * i and as l; `substitutions` counts the letters that could have been swapped (a, e, i, l, o, s,
 * t), each a choice an attacker makes.
 */
function leetVariants(run: number[]): Array<{ codes: number[]; substitutions: number }> {
  const upper = run.filter(isLetter).every(isUpper);
  return (run.includes(49) ? [0, 1] : [0]).map((choice) => {
    const codes = run.map((code) => {
      const letters = LEET.get(code);
      if (letters === undefined) return code;
      const letter = letters[choice] ?? letters[0]!;
      return (upper ? letter.toUpperCase() : letter).charCodeAt(0);
    });
    return { codes, substitutions: codes.filter((code) => LEET_LETTERS.includes(String.fromCharCode(code | 0x20))).length };
  });
}

const LEET_LETTERS = 'aeilost';

/** The cost of codes[start, end): letter, Han, digit and separator runs. `offset` is where codes[start] stands in the secret (for its pattern costs) when codes is a leet variant. */
function tokensCost(codes: number[], start: number, end: number, memory: Memory, context: Context, offset = start): Tally {
  const tally = emptyTally();
  const shift = offset - start;
  const perCharacter = (from: number, to: number, bits: number) => {
    let sum = 0;
    for (let index = from; index < to; index++) sum += context.patternCosts[index + shift] || bits;
    return sum;
  };
  let index = start;
  while (index < end) {
    const code = codes[index]!;
    if (isHan(code)) {
      const character = String.fromCodePoint(code);
      tally.bits += Math.min(context.patternCosts[index + shift] || Infinity, remembers(memory, 'words', character) ? REPEATED_WORD_BITS : HAN_CHARACTER_BITS);
      memory.words.add(character);
      memory.afterCharacters = false;
      tally.wordRuns++;
      tally.wordCharacters++;
      tally.otherScriptCharacters++;
      tally.letters++;
      index++;
      continue;
    }
    const kind = isLetter(code) ? 'letters' : isDigit(code) ? 'digits' : 'separators';
    let runEnd = index + 1;
    while (runEnd < end && !isHan(codes[runEnd]!) && (kind === 'letters' ? isLetter(codes[runEnd]!) : kind === 'digits' ? isDigit(codes[runEnd]!) : !isLetter(codes[runEnd]!) && !isDigit(codes[runEnd]!))) runEnd++;
    if (kind === 'letters') {
      // Words split before an upper-case letter that follows a lower-case one ("camelCase"), and before the last capital of "JWTSecret".
      let pieceStart = index;
      for (let position = index + 1; position <= runEnd; position++) {
        const [previous, current] = [codes[position - 1]!, codes[position]!];
        const split = position === runEnd || (isUpper(current) && (isLower(previous) || (isUpper(previous) && position + 1 < runEnd && isLower(codes[position + 1]!))));
        if (!split) continue;
        const piece = letterRunCost(codes, pieceStart, position, memory, perCharacter(pieceStart, position, runEnd - index === 1 ? context.poolBits : context.letterBits));
        piece.bits += kindCost(memory, piece.wordRuns > 0);
        add(tally, piece);
        pieceStart = position;
      }
    } else if (kind === 'digits') {
      const year = runEnd - index === 4 && (codes[index] === 49 && codes[index + 1] === 57 || codes[index] === 50 && codes[index + 1] === 48);
      tally.bits += Math.min(year ? YEAR_BITS : Infinity, perCharacter(index, runEnd, runEnd - index === 1 ? context.poolBits : Math.log2(10))) + kindCost(memory, year);
    } else {
      tally.bits += kindCost(memory, false);
      const separator = String.fromCodePoint(...codes.slice(index, runEnd));
      if (remembers(memory, 'separators', separator)) {
        // The same separator as last time, or a pick among those used so far.
        const reused = separator === memory.lastSeparatorRun ? REPEATED_SEPARATOR_BITS : REPEATED_SEPARATOR_BITS + Math.log2(separatorsUsed(memory));
        tally.bits += Math.min(reused, perCharacter(index, runEnd, Infinity));
      } else {
        for (let position = index; position < runEnd; position++) {
          const character = codes[position]!;
          const bits = character === memory.lastSeparator ? REPEATED_SEPARATOR_BITS : character > 126 && !isControl(character) ? Math.log2(OTHER_POOL) : SEPARATOR_BITS;
          tally.bits += Math.min(bits, context.patternCosts[position + shift] || bits);
          memory.lastSeparator = character;
        }
        memory.separators.add(separator);
      }
      memory.lastSeparator = codes[runEnd - 1];
      memory.lastSeparatorRun = separator;
    }
    index = runEnd;
  }
  return tally;
}

/** One word-sized piece of a letter run, codes[start, end), against its cost as characters. */
function letterRunCost(codes: number[], start: number, end: number, memory: Memory, characterCost: number): Tally {
  const tally = emptyTally(characterCost, end - start);
  if (end - start < 2) return tally;
  const word = String.fromCodePoint(...codes.slice(start, end));
  const ascii = word.length === end - start && /^[A-Za-z]+$/.test(word);
  // Accents off (très → tres), so accented Latin is read as Latin.
  const folded = (ascii ? word : word.normalize('NFD').replace(/\p{M}/gu, '')).toLowerCase();
  const capitals = word !== word.toLowerCase() ? 1 : 0;
  const asWord = (bits: number, english = false) => {
    tally.bits = Math.min(bits, characterCost);
    tally.wordRuns = 1;
    tally.wordCharacters = end - start;
    tally.longEnglish = english;
    memory.words.add(folded);
  };
  if (ascii || /^[a-z]+$/.test(folded)) {
    if (remembers(memory, 'words', folded)) asWord(REPEATED_WORD_BITS);
    else if (TECHNICAL_WORDS.has(folded)) asWord(TECHNICAL_WORD_BITS);
    else if (looksLikeWord(word, folded)) asWord(wordBits(folded.length) + capitals);
    else if (folded.length >= LONG_ENGLISH_LETTERS && wellCased(word) && englishPairCost(folded) <= longEnglishPairBits(folded.length)) asWord(ENGLISH_LETTER_BITS * folded.length + capitals, true);
  } else if (wellCased(word)) {
    // Another script: a run of two or more letters is taken for a word.
    asWord(remembers(memory, 'words', folded) ? REPEATED_WORD_BITS : wordBits(end - start) + capitals);
    tally.otherScriptCharacters = end - start;
  }
  return tally;
}

const VOWELS = 'aeiouy';
/** A long run reads as English at or under this average pair cost: random letters of that length get under it about once in a million tries or less. */
const longEnglishPairBits = (letters: number) => Math.min(4.5, 3.2 + 0.024 * letters);

/** All lower case, Capitalised, or ALL UPPER. */
function wellCased(word: string): boolean {
  const lower = word.toLowerCase();
  const upper = word.toUpperCase();
  return word === lower || word === upper || (word[0] === upper[0] && word.slice(1) === lower.slice(1));
}

/** 2–14 letters, well cased, with a vowel; short: vowels 20–67%; from 5 letters: vowels at most 70% and English letter pairs. */
function looksLikeWord(word: string, folded: string): boolean {
  const length = folded.length;
  if (length < 2 || length > MAX_WORD_LETTERS || !wellCased(word)) return false;
  let vowels = 0;
  for (let index = 0; index < length; index++) if (VOWELS.includes(folded[index]!)) vowels++;
  if (vowels === 0) return false;
  if (length <= 4) return vowels / length >= 0.2 && vowels / length <= 2 / 3 && (length === 2 || englishPairCost(folded, false) <= (length === 3 ? 5.5 : 5.2));
  return vowels / length <= 0.7 && englishPairCost(folded) <= 3.8 + 2.5 / length;
}

/**
 * The average cost in bits of the word's letter pairs (its start and end included) under the
 * English table, leaving out its rarest tenth (at least one): the joins of words run together.
 */
function englishPairCost(folded: string, leaveOutRarest = true): number {
  const costs: number[] = [];
  let previous = 0;
  for (let index = 0; index <= folded.length; index++) {
    const next = index < folded.length ? folded.charCodeAt(index) - 96 : 0;
    costs.push(pairCost(previous, next));
    previous = next;
  }
  costs.sort((left, right) => left - right);
  const kept = costs.length - (leaveOutRarest ? Math.max(1, Math.floor(costs.length / 10)) : 0);
  let sum = 0;
  for (let index = 0; index < kept; index++) sum += costs[index]!;
  return sum / kept;
}

/** ENGLISH_PAIR_COSTS read into bits, on first use. */
let pairCosts: Float64Array | undefined;

function pairCost(letter: number, next: number): number {
  if (pairCosts === undefined) {
    pairCosts = new Float64Array(27 * 27);
    for (let row = 0; row < 27; row++) for (let column = 0; column < 27; column++) pairCosts[row * 27 + column] = parseInt(ENGLISH_PAIR_COSTS[row]![column]!, 32) / 2;
  }
  return pairCosts[letter * 27 + next]!;
}

/** A hex (or digits-only) secret read as hex words among random characters: the cheapest reading, found left to right. */
function hexWordModel(codes: number[], patternCosts: number[], characterBits: number): Tally {
  const text = String.fromCharCode(...codes).toLowerCase();
  const best: Array<{ bits: number; words: number; characters: number }> = [{ bits: 0, words: 0, characters: 0 }];
  for (let end = 1; end <= text.length; end++) {
    const previous = best[end - 1]!;
    let choice = { bits: previous.bits + (patternCosts[end - 1] || characterBits), words: previous.words, characters: previous.characters };
    for (const word of HEX_WORDS) {
      if (word.length > end || !text.startsWith(word, end - word.length)) continue;
      const before = best[end - word.length]!;
      if (before.bits + HEX_WORD_BITS < choice.bits) choice = { bits: before.bits + HEX_WORD_BITS, words: before.words + 1, characters: before.characters + word.length };
    }
    best.push(choice);
  }
  const { bits, words, characters } = best[text.length]!;
  return { bits, wordRuns: words, wordCharacters: characters, letters: characters, otherScriptCharacters: 0, longEnglish: false };
}
