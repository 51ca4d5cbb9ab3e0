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

// Characters that show as nothing (or as a blank) but are not control characters: the zero-width
// space, the soft hyphen, the invisible operators U+2061–U+2064, the interlinear annotation marks,
// the Hangul fillers, the tag characters (outside a flag), the word joiner. U+200C and U+200D (ZWNJ, ZWJ)
// are left alone: Hindi and other scripts need them, and ZWJ joins emoji sequences.
const INVISIBLE = /[\u00ad\u115f\u1160\u180e\u200b\u2060-\u2064\u3164\uffa0\ufff9-\ufffb]|[\u{e0000}-\u{e007f}]/u;
// A subdivision flag (🏴 and tag letters up to CANCEL TAG, as England's) is the one place tags draw something.
const FLAG_TAG_SEQUENCE = /\u{1f3f4}[\u{e0020}-\u{e007e}]+\u{e007f}/gu;

/** True when `text` holds a character that shows as nothing and is no control character (U+200B, U+00AD, tags outside a flag, …). */
export function hasInvisibleCharacters(text: string): boolean {
  return INVISIBLE.test(text.replace(FLAG_TAG_SEQUENCE, ''));
}

/**
 * The path (`task[2]`, `check.expected`) of the first string in parsed JSON that holds a control
 * or invisible character (hasInvisibleCharacters: a word could hide or look like another), keys included; undefined when there is none. Walks without recursion, so the depth
 * of the value does not matter. Teaching text is shown on a learner's terminal as it is written,
 * so a pack or lesson file with such a character is refused rather than shown escaped.
 */
export function pathOfControlCharacter(value: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[value, '']];
  while (pending.length > 0) {
    const [current, path] = pending.pop()!;
    if (typeof current === 'string') {
      if (hasControlCharacters(current) || hasInvisibleCharacters(current)) return path || '(the value)';
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const entries = Array.isArray(current) ? current.map((item, index): [string, unknown] => [`[${index}]`, item]) : Object.entries(current).map(([key, item]): [string, unknown] => [path ? `.${key}` : key, item]);
    for (const [step, item] of entries.reverse()) {
      if (!Array.isArray(current) && (hasControlCharacters(step) || hasInvisibleCharacters(step))) return `${path}${terminalSafe(step)}`;
      pending.push([item, `${path}${step}`]);
    }
  }
  return undefined;
}

/** `terminalSafe` line by line: the line breaks stay, every other control character is escaped. */
export function terminalSafeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}
