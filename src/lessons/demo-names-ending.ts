// The named demos of lesson 15 (ending things: logout, revocation, introspection, key rotation, object-level checks): each with its args and the
// saved tokens it makes and reads (demo-names.ts joins this list to the others; demos-ending.ts runs them).

import type { DemoSpec } from './demo-spec.js';

export const ENDING_DEMOS = {
} as const satisfies Record<string, DemoSpec>;
