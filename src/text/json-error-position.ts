// Where a JSON text stops being valid JSON, as a line and a column. JSON.parse's own message
// quotes a snippet of the text ("SHELL=/bin"...), and a pack file may be a link to a secret, so
// the message a learner sees is built from this position alone. A small scanner of the JSON
// grammar, with an explicit stack so deep nesting cannot overflow it; linear in the text.

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);
const HEX4 = /[0-9a-fA-F]{4}/y;
const LITERALS = ['true', 'false', 'null'];

const isDigit = (character: string | undefined) => character !== undefined && character >= '0' && character <= '9';

/** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? from `start`: the index past it, or where it breaks. */
function scanNumber(text: string, start: number): { end: number } | { error: number } {
  let at = start;
  const digits = (): boolean => {
    if (!isDigit(text[at])) return false;
    while (isDigit(text[at])) at++;
    return true;
  };
  if (text[at] === '-') at++;
  if (text[at] === '0') at++;
  else if (!digits()) return { error: at };
  if (text[at] === '.') {
    at++;
    if (!digits()) return { error: at };
  }
  if (text[at] === 'e' || text[at] === 'E') {
    at++;
    if (text[at] === '+' || text[at] === '-') at++;
    if (!digits()) return { error: at };
  }
  return { end: at };
}

type Expect = 'value' | 'value-or-end' | 'key' | 'key-or-end' | 'colon' | 'comma-or-end' | 'nothing';

/** Where a closing bracket may come: after a member, or right after the opening one. */
const MAY_CLOSE: ReadonlySet<Expect> = new Set(['comma-or-end', 'key-or-end', 'value-or-end']);

/** The offset of the first character that breaks JSON (text.length when it ends too soon); undefined when the text is valid. */
export function jsonErrorOffset(text: string): number | undefined {
  const open: Array<'[' | '{'> = [];
  let expect: Expect = 'value';
  let index = 0;
  const afterValue = (): Expect => (open.length === 0 ? 'nothing' : 'comma-or-end');

  /** Index just past the string starting at `start` (a quote), or the offset of what breaks it. */
  const scanString = (start: number): { end: number } | { error: number } => {
    for (let at = start + 1; at < text.length; at++) {
      const character = text[at]!;
      if (character === '"') return { end: at + 1 };
      if (character.charCodeAt(0) < 0x20) return { error: at };
      if (character === '\\') {
        const escaped = text[at + 1];
        if (escaped === undefined || !ESCAPES.has(escaped)) return { error: at + 1 };
        if (escaped === 'u') {
          HEX4.lastIndex = at + 2;
          if (!HEX4.test(text)) return { error: at + 2 };
          at += 4;
        }
        at++;
      }
    }
    return { error: text.length };
  };

  while (index < text.length) {
    const character = text[index]!;
    if (WHITESPACE.has(character)) {
      index++;
      continue;
    }
    // The bracket that closes the innermost array or object, wherever one may come: after a
    // member, or at once ("[]", "{}").
    if (MAY_CLOSE.has(expect) && character === (open.at(-1) === '{' ? '}' : ']')) {
      open.pop();
      expect = afterValue();
      index++;
      continue;
    }
    switch (expect) {
      case 'nothing':
        return index;
      case 'colon':
        if (character !== ':') return index;
        expect = 'value';
        index++;
        continue;
      case 'comma-or-end':
        if (character !== ',') return index;
        expect = open.at(-1) === '{' ? 'key' : 'value';
        index++;
        continue;
      case 'key':
      case 'key-or-end': {
        if (character !== '"') return index;
        const key = scanString(index);
        if ('error' in key) return key.error;
        index = key.end;
        expect = 'colon';
        continue;
      }
      case 'value':
      case 'value-or-end': {
        if (character === '[' || character === '{') {
          open.push(character);
          expect = character === '[' ? 'value-or-end' : 'key-or-end';
          index++;
          continue;
        }
        if (character === '"') {
          const value = scanString(index);
          if ('error' in value) return value.error;
          index = value.end;
        } else if (character === '-' || isDigit(character)) {
          const number = scanNumber(text, index);
          if ('error' in number) return number.error;
          index = number.end;
        } else {
          const literal = LITERALS.find((word) => word[0] === character);
          if (!literal) return index;
          for (let at = 0; at < literal.length; at++) if (text[index + at] !== literal[at]) return index + at;
          index += literal.length;
        }
        expect = afterValue();
        continue;
      }
    }
  }
  return expect === 'nothing' ? undefined : text.length;
}

/** The 1-based line and column of `offset` in `text` (lines end at \n). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** "not valid JSON at line 3, column 7" for text JSON.parse refused; never quotes the text (a file may hold secrets). */
export function describeInvalidJson(text: string): string {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return 'not valid JSON';
  const { line, column } = lineAndColumn(text, offset);
  return `not valid JSON at line ${line}, column ${column}`;
}
