// A value from a request or a proof, quoted in an error message: short, and printable ASCII only
// (RFC 6749 §5.2 allows nothing else in error_description), so no input can hide or reorder text.

/** How much of a hostile value a message repeats: enough to recognise it, never the whole of it. */
export const MAX_QUOTED_CHARACTERS = 40;

function escapeUnit(character: string): string {
  if (character === '"' || character === '\\') return `\\${character}`;
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `value` quoted for a message: a string in double quotes, each character outside printable ASCII
 * as \uXXXX (so U+202E shows as \u202e), cut after `max` characters with "..."; null and missing
 * as null; a number or boolean as itself; an array or object only named, never printed.
 */
export function quoteUntrusted(value: unknown, max = MAX_QUOTED_CHARACTERS): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? quoteUntrusted(String(value), max).slice(1, -1) : 'a number';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'string') return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  const kept = value.length > max ? value.slice(0, max) : value;
  return `"${kept.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, escapeUnit)}"${kept === value ? '' : '...'}`;
}

/** Several values quoted for a message ("a", "b" and 7 more): the first three, then how many more. */
export function quoteUntrustedList(values: readonly unknown[], shown = 3): string {
  const quoted = values.slice(0, shown).map((value) => quoteUntrusted(value)).join(', ');
  return values.length > shown ? `${quoted} and ${values.length - shown} more` : quoted;
}
