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
  return Number(match[1]) * UNIT_SECONDS[unit]!;
}

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
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const millis = Date.parse(trimmed);
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed) || Number.isNaN(millis)) {
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
