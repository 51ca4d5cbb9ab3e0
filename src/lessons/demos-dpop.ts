// The demos of lesson 14 (sender-constrained tokens: DPoP step by step), listed in demo-names-dpop.ts.
// Each runs the project's real code in-process and returns data; src/cli lays it out.

import type { Demo } from './demo-parts.js';
import type { DPOP_DEMOS } from './demo-names-dpop.js';

/** Every demo demo-names-dpop.ts lists, and no other. */
export const DPOP_DEMOS_RUN: { [Name in keyof typeof DPOP_DEMOS]: Demo } = {
};
