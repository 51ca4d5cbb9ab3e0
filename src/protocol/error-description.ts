// The text of an error_description (RFC 6749 §5.2, RFC 6750 §3): the few characters those RFCs
// allow, and short in a header, whatever a request or a token put in it.

const MAX_HEADER_PARAMETER_LENGTH = 200;

/** The typography Mock Google's texts use, as the ASCII a reader knows; quotes and backslashes may not appear. */
const ASCII_FOR: Readonly<Record<string, string>> = { '§': 'section ', '→': '->', '…': '...', '—': '-', '–': '-', '×': 'x', '≈': '~', '•': '*', '"': "'", '\\': '/' };

/** A character as U+XXXX, a form with no backslash in it. */
const codePointName = (character: string) => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Text for an error_description, in a JSON error (RFC 6749 §5.2) or a WWW-Authenticate parameter
 * (RFC 6750 §3), which allow only %x20-21 / %x23-5B / %x5D-7E: "§" is written "section", a quote
 * ', a backslash /, an escape quoteUntrusted wrote (\u202e, \") the character it stands for, and
 * any other character outside printable ASCII U+XXXX.
 */
export function errorDescriptionText(text: string): string {
  return text
    .replace(/\\(u[0-9a-fA-F]{4}|["\\])/g, (_escape, escaped: string) => (escaped.length === 1 ? escaped : codePointName(String.fromCharCode(Number.parseInt(escaped.slice(1), 16)))))
    .replace(/§ ?/g, ASCII_FOR['§']!)
    .replace(/[→…—–×≈•"\\]/g, (character) => ASCII_FOR[character]!)
    .replace(/[^\x20-\x7e]/gu, codePointName);
}

/** Text for a quoted parameter such as error_description in WWW-Authenticate (RFC 6750 §3): errorDescriptionText, cut at 200 characters. */
export function headerParameterText(text: string): string {
  const safe = errorDescriptionText(text);
  return safe.length > MAX_HEADER_PARAMETER_LENGTH ? `${safe.slice(0, MAX_HEADER_PARAMETER_LENGTH - 3)}...` : safe;
}
