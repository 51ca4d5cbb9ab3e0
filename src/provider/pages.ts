// The provider's pages: sign-in, consent, errors. They look like a familiar "Sign in with
// Google" screen but say plainly that this is a local simulation, use no real logos, work
// without JavaScript, and escape every string that came from a request.

import { createHash } from 'node:crypto';
import { SCOPE_DESCRIPTIONS, type Client, type User } from './directory.js';
import { escapeHtml } from '../text/html.js';

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f0f4f9;color:#1f1f1f}
.banner{background:#fff4d6;border-bottom:1px solid #e8c66a;padding:8px 16px;text-align:center;font-size:14px}
main{max-width:460px;margin:40px auto;background:#fff;border-radius:28px;padding:36px 40px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.brand{font-size:22px;font-weight:600;letter-spacing:.2px}.brand small{font-size:12px;font-weight:700;color:#8a5a00;background:#fff4d6;border-radius:6px;padding:2px 6px;margin-left:6px;vertical-align:middle}
h1{font-size:28px;font-weight:400;margin:16px 0 4px}p.sub{margin:0 0 24px;color:#444}
label{display:block;font-size:14px;font-weight:600;margin:16px 0 4px}
input[type=email],input[type=password],input[type=text]{width:100%;padding:13px 15px;font-size:16px;border:1px solid #747775;border-radius:4px}
input:focus{outline:2px solid #0b57d0;border-color:#0b57d0}
.actions{display:flex;justify-content:flex-end;gap:12px;margin-top:28px}
button{font:inherit;font-weight:600;border-radius:20px;padding:9px 24px;border:1px solid transparent;cursor:pointer}
button.primary{background:#0b57d0;color:#fff}button.secondary{background:#fff;color:#0b57d0;border-color:#747775}
.error{background:#fce8e6;color:#8c1d18;border-radius:8px;padding:10px 14px;margin:12px 0}
.note{font-size:14px;color:#444;margin-top:24px}
.warning{background:#fef7e0;border-left:4px solid #b06000;border-radius:4px;padding:10px 14px;margin:16px 0}
code.keep{white-space:nowrap}input.user-code{font:600 24px/1.2 ui-monospace,Menlo,Consolas,monospace;letter-spacing:4px;text-transform:uppercase}
ul.scopes{padding-left:20px}ul.scopes li{margin:6px 0}
details{margin-top:24px;font-size:14px}table{border-collapse:collapse;margin-top:8px}td,th{text-align:left;padding:4px 10px 4px 0}code{font-size:13px}
`;
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** A strict CSP: no scripts at all, this page's one stylesheet, forms only to us (and the app). */
export function pagePolicy(formTargets: string[] = []): string {
  return [
    "default-src 'none'",
    `style-src ${STYLE_HASH}`,
    `form-action 'self'${formTargets.map((target) => ` ${target}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} – Mock Google (local simulation)</title><style>${STYLE}</style></head>
<body><div class="banner" role="note"><strong>Local simulation.</strong> This is Mock Google, a teaching provider running on your computer. It is not Google and no real account is used.</div>
<main><div class="brand">Mock Google<small>SIMULATION</small></div>
${body}
</main></body></html>`;
}

export function clientLabel(client: Client): string {
  return client.client_name ?? client.client_id;
}

export function loginPage(options: { action: string; client: Client; users: User[]; loginHint?: string; error?: string; note?: string }): string {
  const { client } = options;
  const demoAccounts = options.users
    .map((user) => `<tr><td><code>${escapeHtml(user.email)}</code></td><td><code>${escapeHtml(user.password)}</code></td><td>${escapeHtml(user.name)}</td></tr>`)
    .join('');
  return layout('Sign in', `
<h1>Sign in</h1>
<p class="sub">to continue to <strong>${escapeHtml(clientLabel(client))}</strong></p>
${options.error ? `<div class="error" role="alert">${escapeHtml(options.error)}</div>` : ''}
<form method="post" action="${escapeHtml(options.action)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(options.loginHint ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions"><button class="primary" type="submit">Next</button></div>
</form>
<p class="note">${escapeHtml(options.note ?? `You type your password here, at the provider. ${clientLabel(client)} never sees it: it only gets a short-lived code, then tokens.`)}</p>
<details open><summary>Demo accounts (this is a simulation, so the passwords are shown)</summary>
<table><thead><tr><th>Email</th><th>Password</th><th>Name</th></tr></thead><tbody>${demoAccounts}</tbody></table></details>`);
}

/**
 * The consent page. For a device (RFC 8628) it shows the user code and warns against a code
 * someone else sent: the remote phishing the device flow is open to (RFC 8628 §5.4).
 */
export function consentPage(options: { action: string; client: Client; user: User; scopes: string[]; deviceUserCode?: string }): string {
  const items = options.scopes.map((scope) => `<li>${escapeHtml(SCOPE_DESCRIPTIONS[scope] ?? scope)} <code>${escapeHtml(scope)}</code></li>`).join('');
  const name = escapeHtml(clientLabel(options.client));
  const device = options.deviceUserCode;
  const warning = device === undefined ? '' : `
<div class="warning" role="alert"><strong>Only allow this if you started it yourself</strong>, on a device in front of you that shows the code <code class="keep">${escapeHtml(device)}</code>. If someone sent you this code or this link (by message, email or phone), choose Deny: whoever holds the device would get into your account (RFC 8628 §5.4).</div>`;
  return layout('Allow access?', `
<h1>${name} wants to access your Mock Google account${device === undefined ? '' : ' from a device'}</h1>
<p class="sub">Signed in as <strong>${escapeHtml(options.user.email)}</strong></p>${warning}
<p>This will allow it to:</p>
<ul class="scopes">${items}</ul>
<form method="post" action="${escapeHtml(options.action)}">
<div class="actions"><button class="secondary" type="submit" name="decision" value="deny">Deny</button><button class="primary" type="submit" name="decision" value="allow">Allow</button></div>
</form>
<p class="note">${device === undefined ? 'Allowing sends the app back a one-time authorization code, not your password.' : `Allowing lets the device waiting with code <code class="keep">${escapeHtml(device)}</code> collect its tokens from Mock Google; it never sees your password.`}</p>`);
}

/**
 * Step one of the device flow (RFC 8628 §3.3): the code the device shows. A code from
 * verification_uri_complete arrives filled in, and the user still confirms it (§3.3.1).
 */
export function deviceCodePage(options: { action: string; formToken: string; userCode?: string; error?: string }): string {
  const prefilled = options.userCode !== undefined && options.error === undefined;
  return layout('Connect a device', `
<h1>Connect a device</h1>
<p class="sub">${prefilled ? 'Check that this is the code your device shows, then continue.' : 'Type the code your TV, console or command-line tool shows.'}</p>
${options.error ? `<div class="error" role="alert">${escapeHtml(options.error)}</div>` : ''}
<form method="post" action="${escapeHtml(options.action)}">
<input type="hidden" name="form_token" value="${escapeHtml(options.formToken)}">
<label for="user_code">Code</label>
<input id="user_code" name="user_code" type="text" class="user-code" required autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="BDWP-HQPK" value="${escapeHtml(options.userCode ?? '')}">
<div class="actions"><button class="primary" type="submit">Continue</button></div>
</form>
<p class="note">Upper or lower case, with or without the dash. Only enter a code shown by a device you are setting up yourself; never one someone sent you.</p>`);
}

/** The last device page: the user may go back to the device (or was told nothing was sent). */
export function deviceDonePage(client: Client, allowed: boolean): string {
  const name = escapeHtml(clientLabel(client));
  return allowed
    ? layout('Device connected', `<h1>You are all set</h1><p class="sub">${name} is signed in on your device. You can close this tab and go back to the device.</p>`)
    : layout('Device not connected', `<h1>Access denied</h1><p class="sub">${name} was not given access: the device is told access_denied. You can close this tab.</p>`);
}

/** Why an error page leaves the browser here: each page says what is true for its case. */
const ERROR_PAGE_NOTES = {
  /** Before the client and its redirect_uri are known good (RFC 6749 §4.1.2.1). */
  'not-sent-back': 'For your safety Mock Google does not send you back to the app: until the app and its redirect address are known to be registered, it redirects nowhere (RFC 6749 §4.1.2.1).',
  /** A sign-in page posted for a sign-in that is unknown, expired, forgotten or another browser's. */
  'sign-in-unknown': 'Mock Google cannot send you back to the app: it does not know this sign-in (any more, or in this browser). Starting again from the app makes a new one.',
  /** 503: a store is full for a moment. */
  busy: 'Nothing is wrong with your request: Mock Google is out of room for a moment, and has sent nothing to the app.',
  /** A field of the sign-in or consent form over its size limit. */
  'form-field': 'Nothing was sent to the app. Go back and try again with a shorter value.',
  /** RP-initiated logout that cannot go back. */
  logout: 'After signing out, Mock Google sends you back only to an address registered for the app, named by client_id or by a valid id_token_hint.',
  /** A device page: wrong, expired or used codes, too many guesses. */
  device: 'Nothing was sent to the device. Start again from the code the device shows; if it has expired, the device can ask for a new one.',
  /** Any other refused request to a page. */
  other: 'Mock Google shows this page instead of sending you anywhere.',
} as const;

export type ErrorPageNote = keyof typeof ERROR_PAGE_NOTES;

export function errorPage(title: string, message: string, note: ErrorPageNote): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><div class="error" role="alert">${escapeHtml(message)}</div>
<p class="note">${escapeHtml(ERROR_PAGE_NOTES[note])}</p>`);
}

export function signedOutPage(): string {
  return layout('Signed out', '<h1>You are signed out</h1><p class="sub">You can close this tab.</p>');
}
