// One error family for the whole core. Each error has a stable `code` that the CLI maps to an
// exit code and that `--json` output carries; the message is a sentence a learner understands.

/** The base of every error a user can cause. `hint` says what to do next. */
export class JwtVsOauthError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(code: string, message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.hint = hint;
  }
}

/** Input that cannot be used: a malformed token, a bad flag value, a file that does not parse. Exit 2. */
export class InputError extends JwtVsOauthError {}

/** A key that cannot be loaded or used for the requested algorithm. Exit 2. */
export class KeyError extends JwtVsOauthError {}

/** A network fetch (JWKS, discovery) that failed or timed out. Exit 2. */
export class FetchError extends JwtVsOauthError {}

/** The user pressed Ctrl-C or closed a prompt. Exit 130. */
export class CancelledError extends JwtVsOauthError {
  constructor() {
    super('ERR_CANCELLED', 'Cancelled.');
  }
}

/** Exit codes: the contract with scripts and tests. */
export const EXIT = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  /** An unexpected error: a bug in jwt-vs-oauth, not an answer about the token (EX_SOFTWARE in sysexits.h). */
  internal: 70,
  cancelled: 130,
} as const;
