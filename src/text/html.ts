// HTML escaping for every page this tool serves (the provider's and the demo app's): text from
// a request is shown, never obeyed. A text helper, not a provider one, so a client needs no provider code for it.

/** Any value as HTML text or attribute content: & < > " ' as character references, control and bidi characters shown as \uXXXX. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)
    // Control and bidirectional-override characters are shown, not obeyed: U+202E would make a
    // page read a client_id or an address backwards (the terminal rule, kept in HTML too).
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (character) => `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
