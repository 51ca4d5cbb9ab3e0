// A PEM block (a key or a certificate) laid out to a terminal's width. Its base64 lines are flowed
// again into shorter lines, with no break marks: a "\" inside the base64 is what a PEM reader
// cannot decode, while lines shorter than 64 characters it reads as well (RFC 7468 §2 lets
// parsers take other line lengths; OpenSSL, under Node's createPublicKey and so `verify --key`,
// does). The BEGIN and END lines stay whole, so a copy from the screen is a PEM file again.

const BEGIN = /^( *)-----BEGIN [A-Z0-9 ]+-----$/;
const END = /^ *-----END [A-Z0-9 ]+-----$/;
const BASE64_LINE = /^ *[A-Za-z0-9+/]+=*$/;

/**
 * `text` with the base64 of each PEM block in it flowed into lines of at most `width` columns,
 * under the indent of its BEGIN line; every other line (headers such as "Proc-Type:", prose)
 * exactly as it is. Infinity, or a block whose lines fit already, leaves it unchanged.
 */
export function reflowPem(text: string, width: number): string {
  if (!Number.isFinite(width) || !text.includes('-----BEGIN ')) return text;
  const lines = text.split('\n');
  const out: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const begin = BEGIN.exec(lines[index]!);
    const endIndex = begin ? lines.findIndex((line, at) => at > index && END.test(line)) : -1;
    if (!begin || endIndex < 0) {
      out.push(lines[index]!);
      continue;
    }
    const indent = begin[1]!;
    const room = Math.max(4, width - indent.length);
    const body = lines.slice(index + 1, endIndex);
    out.push(lines[index]!);
    if (body.every((line) => line.length <= width)) {
      out.push(...body, lines[endIndex]!);
      index = endIndex;
      continue;
    }
    let run = '';
    const flush = () => {
      for (let start = 0; start < run.length; start += room) out.push(indent + run.slice(start, start + room));
      run = '';
    };
    for (const line of body) {
      if (BASE64_LINE.test(line)) run += line.trim();
      else {
        flush();
        out.push(line);
      }
    }
    flush();
    out.push(lines[endIndex]!);
    index = endIndex;
  }
  return out.join('\n');
}
