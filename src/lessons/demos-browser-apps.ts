// The demos of lesson 13 (browser apps: tokens in JavaScript vs a backend-for-frontend), listed in demo-names-browser-apps.ts.
// Each runs the project's real code in-process and returns data; src/cli lays it out.

import type { Demo } from './demo-parts.js';
import type { BROWSER_APP_DEMOS } from './demo-names-browser-apps.js';

/** Every demo demo-names-browser-apps.ts lists, and no other. */
export const BROWSER_APP_DEMOS_RUN: { [Name in keyof typeof BROWSER_APP_DEMOS]: Demo } = {
};
