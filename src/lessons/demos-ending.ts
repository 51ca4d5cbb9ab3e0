// The demos of lesson 15 (ending things: logout, revocation, introspection, key rotation, object-level checks), listed in demo-names-ending.ts.
// Each runs the project's real code in-process and returns data; src/cli lays it out.

import type { Demo } from './demo-parts.js';
import type { ENDING_DEMOS } from './demo-names-ending.js';

/** Every demo demo-names-ending.ts lists, and no other. */
export const ENDING_DEMOS_RUN: { [Name in keyof typeof ENDING_DEMOS]: Demo } = {
};
