// What a lesson step may keep and read as a token: one line, no colour codes, a compact JWS whose
// header and payload are JSON objects. A saved value that is not one fails the step that reads it.

/** SGR colour codes a command prints on a colour terminal (FORCE_COLOR): never part of a saved value. */
const COLOUR_CODES = /\u001b\[[0-9;]*m/g;

/** A command's output as a step keeps it: colour codes out, trimmed. */
export const savedValueOf = (stdout: string): string => stdout.replace(COLOUR_CODES, '').trim();

/** Why `value` cannot be kept as a saved value (empty, or more than one line), or undefined. */
export function unsavableProblem(value: string): string | undefined {
  if (value === '') return 'the command printed nothing';
  if (value.includes('\n')) return 'its output is not one line (a step keeps one line, such as the token mint prints)';
  return undefined;
}

const JSON_OBJECT_PART = (part: string): boolean => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
};

/** Why `value` is not a signed token (header.payload.signature, each base64url, the first two JSON objects), or undefined. */
export function notATokenProblem(value: string): string | undefined {
  const parts = value.split('.');
  if (parts.length !== 3 || !parts.every((part) => /^[A-Za-z0-9_-]*$/.test(part)) || !parts[0] || !parts[1]) return 'it is not three base64url parts joined by dots (header.payload.signature)';
  if (!JSON_OBJECT_PART(parts[0]) || !JSON_OBJECT_PART(parts[1])) return 'its header or payload is not a JSON object';
  return undefined;
}
