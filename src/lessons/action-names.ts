// The hands-on actions a lesson may name; their code is in actions.ts (loaded only when run).
export const ACTION_NAMES = [
  'practice-requests',
  'practice-login',
  'practice-logout',
  'mint',
  'decode',
  'verify',
  'tamper',
  'oauth-flow',
  'compare-tokens',
  'discovery',
  'id-token-to-api',
  'storage-page',
];
