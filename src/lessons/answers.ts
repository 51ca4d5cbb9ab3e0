// How a typed answer is read and compared, the same in the tutorial's value questions and the
// exercises' checks: trimmed, decode's quotes dropped, compared exactly with a known slip named.

/** Whether a typed value is the token's, and if not, why in words when the slip is a known one (never the value). */
export type ValueVerdict = { ok: true; note?: string } | { ok: false; why?: string };

export const CASE_ONLY_WHY = 'right letters, wrong case: JWT values are compared exactly';
export const SPACING_ONLY_WHY = 'right words, spaced differently: JWT values are compared exactly';
export const CASE_AND_SPACING_WHY = 'right letters, but the case and the spacing differ: JWT values are compared exactly';
export const NO_TIME_ZONE_WHY = 'give the time zone: a time without Z or an offset is ambiguous';

/**
 * A right answer typed as a date-time: the lessons teach exact comparison, so the note says what
 * was compared (the number) and where case did not matter (a time's T and Z, RFC 3339 §5.6).
 */
export function isoAcceptedNote(typed: string, expected: string): string {
  const lowerCase = /\d[t]\d|z$/.test(typed) ? ' Writing t and z in lower case is allowed in a date-time (RFC 3339 §5.6), the one place case did not matter here.' : '';
  return `you typed the time; the token holds the number ${expected} (seconds since 1970), and that number, compared exactly, is what a verifier checks.${lowerCase}`;
}

/** An ISO 8601 date-time as a learner types it: date, T (or a space), time, and maybe a zone. */
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * The value a learner typed, less surrounding whitespace and the quotes decode prints around a
 * JSON string ("vikram" is vikram: the quotes are decode's JSON, not part of the value).
 */
export function typedValue(answer: string): string {
  const given = answer.trim();
  if (given.length >= 2 && given.startsWith('"') && given.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(given);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // Not a JSON string ("a" "b"): the text as typed.
    }
  }
  return given;
}

/** Runs of whitespace as one space. */
const oneSpaced = (text: string) => text.replace(/\s+/g, ' ');
/** Text with spacing and case left out of the comparison. */
const folded = (text: string) => oneSpaced(text).trim().toLowerCase();

/**
 * An answer as it is compared where case and spacing do not count (a choice's text, a flaw
 * name, telling a case-only slip): the typed value, spaces trimmed and collapsed, case folded.
 */
export function normaliseAnswer(text: string): string {
  return folded(typedValue(text));
}

/**
 * Seconds since 1970 of an ISO date-time with a zone; 'no zone' for one without; undefined for
 * anything else, a date or time that does not exist included (February 31st, hour 24, minute 60,
 * an offset past 23:59), which Date.parse would roll over to another instant. A fraction is kept
 * (…04.5Z is 0.5 s after …04Z), so only a whole second equals a NumericDate.
 */
export function isoSeconds(text: string): number | 'no zone' | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return undefined;
  if (match[3] === undefined) return 'no zone';
  const [year, month, day] = match[1]!.split('-').map(Number) as [number, number, number];
  const [clock, fraction = ''] = match[2]!.split('.');
  const [hour, minute, second = 0] = clock!.split(':').map(Number) as [number, number, number?];
  const zone = match[3].toUpperCase() === 'Z' ? [0, 0] : [Number(match[3].slice(1, 3)), Number(match[3].slice(-2))];
  // Every field as written must be the one the date holds: Date.UTC rolls 02-31 over to 03-03.
  const date = new Date(Date.UTC(year, month - 1, day));
  const dayExists = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!dayExists || hour > 23 || minute > 59 || second > 59 || zone[0]! > 23 || zone[1]! > 59) return undefined;
  const offset = match[3].toUpperCase() === 'Z' ? 0 : (match[3].startsWith('-') ? -1 : 1) * (zone[0]! * 3600 + zone[1]! * 60);
  const whole = date.getTime() / 1000 + hour * 3600 + minute * 60 + second - offset;
  return /^0*$/.test(fraction) ? whole : whole + Number(`0.${fraction}`);
}

/** A typed NumericDate in seconds: the number itself, or an ISO date-time with its zone; otherwise as isoSeconds says. */
export function typedSeconds(value: string): number | 'no zone' | undefined {
  return /^\d+$/.test(value) ? Number(value) : isoSeconds(value);
}

/**
 * Compares a typed value with the token's exactly, as a verifier does (JWT values and alg names
 * are case-sensitive: RFC 7515 §4.1.1, RFC 7519 §2 and §4.1), after trimming. A NumericDate may also
 * be typed as an ISO date-time with its zone. A case-only or spacing-only miss, or a time without
 * a zone, fails with why.
 */
export function compareValue(answer: string, expected: string): ValueVerdict {
  const given = typedValue(answer);
  if (given === expected) return { ok: true };
  if (/^\d+$/.test(expected)) {
    const seconds = isoSeconds(given);
    if (seconds === 'no zone') return { ok: false, why: NO_TIME_ZONE_WHY };
    if (seconds !== undefined) return seconds === Number(expected) ? { ok: true, note: isoAcceptedNote(given, expected) } : { ok: false };
  }
  if (folded(given) === folded(expected)) {
    // Spacing counts on both ends too: " asha" (a space inside decode's quotes) is spaced differently, not cased.
    const sameCase = oneSpaced(given).trim() === oneSpaced(expected).trim();
    const sameSpacing = given.toLowerCase() === expected.toLowerCase();
    return { ok: false, why: sameCase ? SPACING_ONLY_WHY : sameSpacing ? CASE_ONLY_WHY : CASE_AND_SPACING_WHY };
  }
  return { ok: false };
}
