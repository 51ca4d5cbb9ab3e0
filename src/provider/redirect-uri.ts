// Redirect URI matching: exact string comparison (RFC 9700 §2.1, §4.1.3), with the one
// exception RFC 8252 §7.3 allows a native app: for a loopback redirect URI the port may vary.
// RFC 9700 §2.1 limits that exception to native apps, and RFC 8252 §8.3 does not recommend
// `localhost` for it (127.0.0.1 or [::1] instead). Mock Google applies it to every client,
// localhost included, so that its demo apps (a web app and a single-page app) can run on any
// free port; a real web app registers its exact https URI, port included.
// Comparing raw strings (never parsed-and-normalised URLs) is what stops tricks such as
// http://127.0.0.1.evil.example/callback, http://evil.example@127.0.0.1/callback or %2F paths.

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(?::(\d{1,5}))?(\/[^#]*)?$/;

export function redirectUriMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  const wanted = LOOPBACK.exec(registered);
  const given = LOOPBACK.exec(requested);
  if (!wanted || !given) return false;
  const port = given[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535 || port.startsWith('0'))) return false;
  // Same host and the same path, byte for byte; only the port may differ.
  return wanted[1] === given[1] && (wanted[3] ?? '') === (given[3] ?? '');
}

export function isRegisteredRedirectUri(registered: string[], requested: string): boolean {
  return registered.some((uri) => redirectUriMatches(uri, requested));
}
