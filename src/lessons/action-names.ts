// The hands-on actions a lesson may name; their code is in src/cli/hands-on.ts (loaded only when run).
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
  'verify-with-mock-google',
  'storage-page',
];

/**
 * The actions that run the command their step shows (through the CLI, "$NAMES" filled), so the
 * command is required and must be one of these workbench commands. The other actions show theirs
 * as an equivalent ("the same as").
 */
export const COMMAND_ACTIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['mint', ['mint']],
  ['decode', ['decode']],
  ['verify', ['verify']],
  ['verify-with-mock-google', ['verify']],
  ['id-token-to-api', ['verify']],
]);
