// Untrusted text (a token's header or claims, a key, a request parameter) made safe to print on
// a terminal or in a log: every control character is shown escaped, so a token cannot move the
// cursor, hide lines (SGR 8), recolour output, fake a log line with CR/LF, or reorder text with
// bidirectional overrides ("Trojan Source"). `--json` output keeps the exact values instead.

// C0 controls and DEL, C1 controls, the line and paragraph separators, and the bidi controls
// (embeddings, overrides and isolates), plus the zero-width no-break space used to hide text.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]/g;

function escapeOne(character: string): string {
  const code = character.charCodeAt(0);
  if (character === '\n') return '\\n';
  if (character === '\r') return '\\r';
  if (character === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Shows every control character of `text` escaped (`\x1b`, `\n`, `\u202e`); other text is unchanged. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** True when `text` holds a character that `terminalSafe` would escape. */
export function hasControlCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

/**
 * The path (`task[2]`, `check.expected`) of the first string in parsed JSON that holds a control
 * character, keys included; undefined when there is none. Walks without recursion, so the depth
 * of the value does not matter. Teaching text is shown on a learner's terminal as it is written,
 * so a pack or lesson file with such a character is refused rather than shown escaped.
 */
export function pathOfControlCharacter(value: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[value, '']];
  while (pending.length > 0) {
    const [current, path] = pending.pop()!;
    if (typeof current === 'string') {
      if (hasControlCharacters(current)) return path || '(the value)';
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const entries = Array.isArray(current) ? current.map((item, index): [string, unknown] => [`[${index}]`, item]) : Object.entries(current).map(([key, item]): [string, unknown] => [path ? `.${key}` : key, item]);
    for (const [step, item] of entries.reverse()) {
      if (!Array.isArray(current) && hasControlCharacters(step)) return `${path}${terminalSafe(step)}`;
      pending.push([item, `${path}${step}`]);
    }
  }
  return undefined;
}

/** `terminalSafe` line by line: the line breaks stay, every other control character is escaped. */
export function terminalSafeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}
