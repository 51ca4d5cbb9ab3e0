// The teacher key: a salted scrypt hash of a passphrase the teacher keeps, which a pack's
// pack.json may hold as `teacherKey`; `--teacher` then asks for the passphrase. scrypt (memory-hard,
// from node:crypto) with a random salt, so a learner who reads pack.json cannot test guesses fast;
// never a fast hash. It keeps honest learners honest: progress and the answers live on the
// learner's own machine, and anyone can run the tool without the pack.

import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { InputError } from '../errors.js';

/** Cost of a new key: N = 2^17, r = 8, p = 1 (128 MiB, a few hundred ms), as OWASP recommends for scrypt. */
const NEW_KEY_COST = { log2N: 17, r: 8, p: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** A passphrase shorter than this is too easy to guess offline from pack.json, whatever the hash. */
export const MIN_PASSPHRASE_LENGTH = 12;
/** Bounds on a key read from a pack: no weaker than 2^14, and no more memory than 256 MiB to check. */
const MIN_LOG2N = 14;
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;
/**
 * And no more work than twice a new key's: scrypt's time grows with N·r·p, and every --teacher
 * (and worksheet --answers) waits for one derivation; a new key's takes a few hundred ms.
 */
const workOf = (cost: { log2N: number; r: number; p: number }) => 2 ** cost.log2N * cost.r * cost.p;
const MAX_WORK = 2 * workOf(NEW_KEY_COST);

/** The form of a key, PHC-style: $scrypt$ln=17,r=8,p=1$<salt>$<hash>, both in base64 without padding. */
const KEY_FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$/;

interface ParsedKey {
  log2N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

const memoryFor = (log2N: number, r: number) => 128 * r * 2 ** log2N;
/** A ratio as a person says it: 8, 6.2, 2.3. */
const timesDefault = (ratio: number) => String(Number(ratio.toFixed(ratio < 10 ? 1 : 0)));

/** A teacher key as written in pack.json, or why it is not one. */
export function parseTeacherKey(text: string): ParsedKey | string {
  const match = KEY_FORMAT.exec(text);
  if (!match) return 'is not a teacher key: make one with jwt-vs-oauth exercises teacher-key, and paste the whole line it prints';
  const [log2N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (log2N < MIN_LOG2N || r < 1 || p < 1 || p > 4) return `asks for scrypt costs ln=${log2N}, r=${r}, p=${p}, outside what is accepted (ln at least ${MIN_LOG2N}, p 1 to 4): make a new one with jwt-vs-oauth exercises teacher-key`;
  const remake = 'make a new one with jwt-vs-oauth exercises teacher-key';
  // RFC 7914 §2: N must be less than 2^(128·r/8); OpenSSL refuses the key otherwise.
  if (log2N >= 16 * r) return `asks for scrypt costs ln=${log2N}, r=${r}, which scrypt does not allow: N = 2^ln must be below 2^(16·r) (RFC 7914 §2), so with r=${r} ln is at most ${16 * r - 1}: ${remake}`;
  if (memoryFor(log2N, r) > MAX_MEMORY_BYTES) return `asks for more than ${MAX_MEMORY_BYTES / 1024 / 1024} MiB of memory to check: ${remake}`;
  if (workOf({ log2N, r, p }) > MAX_WORK) {
    const { log2N: newLog2N, r: newR, p: newP } = NEW_KEY_COST;
    return `asks for scrypt costs ln=${log2N}, r=${r}, p=${p}, ${timesDefault(workOf({ log2N, r, p }) / workOf(NEW_KEY_COST))} times the work of a key teacher-key makes (ln=${newLog2N}, r=${newR}, p=${newP}); at most twice that is accepted, since every --teacher waits for it: ${remake}`;
  }
  return { log2N, r, p, salt: Buffer.from(match[4]!, 'base64'), hash: Buffer.from(match[5]!, 'base64') };
}

function derive(passphrase: string, salt: Buffer, cost: { log2N: number; r: number; p: number }, purpose: 'make' | 'check'): Promise<Buffer> {
  const memory = memoryFor(cost.log2N, cost.r);
  const options: ScryptOptions = { N: 2 ** cost.log2N, r: cost.r, p: cost.p, maxmem: 2 * memory };
  // Whatever scrypt refuses (thrown at once or passed back: parameters, memory) is said in one
  // line, never a crash.
  const refused = (error: unknown) => {
    const why = (error as Error)?.message ?? String(error);
    return purpose === 'check'
      ? new InputError('ERR_TEACHER_KEY', `scrypt cannot use the teacher key's costs ln=${cost.log2N}, r=${cost.r}, p=${cost.p} here (${why}).`, 'Make a new key with: jwt-vs-oauth exercises teacher-key')
      : new InputError('ERR_TEACHER_KEY', `scrypt could not make the teacher key (${why}); no key was made.`, `It needs ${memory / 1024 / 1024} MiB of memory: close something and run it again.`);
  };
  // NFC, so the same passphrase typed on two systems gives the same bytes.
  return new Promise((resolve, reject) => {
    try {
      scrypt(passphrase.normalize('NFC'), salt, HASH_BYTES, options, (error, key) => (error ? reject(refused(error)) : resolve(key)));
    } catch (error) {
      reject(refused(error));
    }
  });
}

const unpadded = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

/** A new teacher key for a passphrase, with a fresh random salt. */
export async function makeTeacherKey(passphrase: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(passphrase, salt, NEW_KEY_COST, 'make');
  const { log2N, r, p } = NEW_KEY_COST;
  return `$scrypt$ln=${log2N},r=${r},p=${p}$${unpadded(salt)}$${unpadded(hash)}`;
}

/** Whether the passphrase is the one the key was made from; compared in constant time. */
export async function passphraseMatches(passphrase: string, key: string): Promise<boolean> {
  const parsed = parseTeacherKey(key);
  if (typeof parsed === 'string') return false;
  const hash = await derive(passphrase, parsed.salt, parsed, 'check');
  return hash.length === parsed.hash.length && timingSafeEqual(hash, parsed.hash);
}

/**
 * A pack's settings with a new teacher key: the other settings kept, in their order (the key
 * replaced where it was, else added last).
 */
export function withTeacherKey(settings: Record<string, unknown>, teacherKey: string): Record<string, unknown> {
  return { ...settings, teacherKey };
}

