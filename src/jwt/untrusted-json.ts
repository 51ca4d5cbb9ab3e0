// JSON from a token or a flag, handled so that it cannot break the tool: a nesting limit, and
// keys copied as own properties, so a claim named "__proto__" stays an ordinary claim.

import { InputError } from '../errors.js';

// JSON.parse copes with any depth, but JSON.stringify, structuredClone (inside jose) and the
// views recurse, and a few thousand levels overflow the stack; no real header or claim set
// comes near this limit.
export const MAX_JSON_DEPTH = 64;

/** How deeply `value` nests arrays and objects (a scalar is 0, `{}` is 1), counted without recursion; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** Throws InputError when `value` nests deeper than MAX_JSON_DEPTH; `what` names it ("The payload", "--claim roles"). */
export function assertJsonDepth(value: unknown, what: string): void {
  if (jsonDepth(value) > MAX_JSON_DEPTH) {
    throw new InputError('ERR_JSON_TOO_DEEP', `${what} nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep; no real token needs that.`);
  }
}

/** Sets `name` as an own, enumerable property, as JSON.parse does: `target.__proto__ = …` would change the prototype instead. */
export function setOwn(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}
