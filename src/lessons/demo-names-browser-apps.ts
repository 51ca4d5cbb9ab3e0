// The named demos of lesson 13 (browser apps: tokens in JavaScript vs a backend-for-frontend): each with its args and the
// saved tokens it makes and reads (demo-names.ts joins this list to the others; demos-browser-apps.ts runs them).

import type { DemoSpec } from './demo-spec.js';

export const BROWSER_APP_DEMOS = {
} as const satisfies Record<string, DemoSpec>;
