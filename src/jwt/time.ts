// Durations ("15m"), instants ("2026-01-01T00:00:00Z" or unix seconds) and relative phrases
// ("in 14 minutes"). JWT times are NumericDate: whole seconds since 1970, never milliseconds.

import { InputError } from '../errors.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Parses "30s", "15m", "2h", "7d", "1w" or a bare number of seconds into whole seconds. */
export function parseDuration(text: string, flag = 'duration'): number {
  const match = /^\s*(\d+)\s*([smhdw]?)\s*$/i.exec(text);
  if (!match) {
    throw new InputError(
      'ERR_BAD_DURATION',
      `${flag}: "${text}" is not a duration.`,
      'Use a number with a unit: 30s, 15m, 2h, 7d (or plain seconds).',
    );
  }
  const unit = (match[2] || 's').toLowerCase();
  const seconds = Number(match[1]) * UNIT_SECONDS[unit]!;
  // Past this a time stops being a date a JWT library can show or compare ("exp 8.64e+26").
  if (seconds > MAX_DURATION_SECONDS) {
    throw new InputError('ERR_BAD_DURATION', `${flag}: "${text}" is longer than 100 years.`, 'Use a lifetime a real token would have: 15m, 1h, 7d.');
  }
  return seconds;
}

/** The longest duration accepted: 100 years. */
export const MAX_DURATION_SECONDS = 100 * 365 * 86400;

/** The latest instant accepted: the end of year 9999, the last a date-time can name. */
const MAX_INSTANT_SECONDS = 253_402_300_799;

/** Parses "250ms", "5s", "1m" or a bare number of seconds into whole milliseconds (for timeouts; the caller checks the range). */
export function parseMilliseconds(text: string, flag = 'duration'): number {
  const match = /^\s*(\d+)\s*(ms|[smhdw]?)\s*$/i.exec(text);
  if (!match) {
    throw new InputError('ERR_BAD_DURATION', `${flag}: "${text}" is not a duration.`, 'Use a number with a unit: 500ms, 5s, 1m (or plain seconds).');
  }
  const unit = match[2]!.toLowerCase();
  return unit === 'ms' ? Number(match[1]) : Number(match[1]) * UNIT_SECONDS[unit || 's']! * 1000;
}

/** Parses an ISO 8601 date-time or unix seconds into unix seconds. */
export function parseInstant(text: string, flag = '--at'): number {
  const trimmed = text.trim();
  const millis = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed);
  if (millis / 1000 > MAX_INSTANT_SECONDS) throw new InputError('ERR_BAD_INSTANT', `${flag}: "${text}" is after the year 9999.`, 'Examples: 2030-01-01T00:00:00Z, 1893456000.');
  if (!/^\d+$|^\d{4}-\d{2}-\d{2}/.test(trimmed) || Number.isNaN(millis)) {
    throw new InputError(
      'ERR_BAD_INSTANT',
      `${flag}: "${text}" is neither an ISO 8601 date-time nor unix seconds.`,
      'Examples: 2030-01-01T00:00:00Z, 1893456000.',
    );
  }
  return Math.floor(millis / 1000);
}

export function isoFromSeconds(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? 'not a valid date' : date.toISOString().replace('.000Z', 'Z');
}

/** "in 14 minutes", "3 hours ago", "now". Rounds down to the largest whole unit. */
export function relativeTime(seconds: number, now: number): string {
  const delta = seconds - now;
  if (delta === 0) return 'now';
  return delta > 0 ? `in ${spanInWords(delta)}` : `${spanInWords(-delta)} ago`;
}

/** 90 → "1 minute", 7200 → "2 hours". */
export function spanInWords(totalSeconds: number): string {
  const units: Array<[string, number]> = [
    ['year', 365 * 86400],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ];
  for (const [name, size] of units) {
    if (totalSeconds >= size) {
      const count = Math.floor(totalSeconds / size);
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return '0 seconds';
}
