// The named demos of lesson 14 (sender-constrained tokens: DPoP step by step): each with its args and the
// saved tokens it makes and reads (demo-names.ts joins this list to the others; demos-dpop.ts runs them).

import type { DemoSpec } from './demo-spec.js';

export const DPOP_DEMOS = {
} as const satisfies Record<string, DemoSpec>;
