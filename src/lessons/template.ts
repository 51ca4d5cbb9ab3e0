// The one template mechanism of lesson and exercise files: {{name}} filled from named values.
// Every reader of templates (fill, list, split for a view) uses the pattern here.

/** A reference: {{name}}, the name letters, digits, _ and dots ({{output.1}}, {{answer.2}}). */
const REFERENCE = /\{\{([\w.]+)\}\}/g;

/**
 * Replaces {{name}} with the value of that name; unknown names stay visible so mistakes show.
 * Only the values' own names count: {{constructor}} or {{__proto__}} never reach Object.prototype.
 */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(REFERENCE, (match, name: string) => (Object.hasOwn(values, name) ? values[name]! : match));
}

/** The names a text refers to, in order, each as often as it appears. */
export function templateNames(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((match) => match[1]!);
}

/** The name when the whole text is one reference ("{{sub}}" → "sub"), else undefined. */
export function wholeReference(text: string): string | undefined {
  const match = /^\{\{([\w.]+)\}\}$/.exec(text);
  return match?.[1];
}

/** The text cut at its references, each kept as its own part: "a {{b}} c" → ["a ", "{{b}}", " c"]. */
export function splitAtReferences(text: string): string[] {
  return text.split(/(\{\{[\w.]+\}\})/);
}
