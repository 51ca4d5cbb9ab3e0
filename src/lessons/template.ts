// The one template mechanism of lesson and exercise files: {{name}} filled from named values.

/**
 * Replaces {{name}} with the value of that name; unknown names stay visible so mistakes show.
 * Only the values' own names count: {{constructor}} or {{__proto__}} never reach Object.prototype.
 */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{([\w.]+)\}\}/g, (match, name: string) => (Object.hasOwn(values, name) ? values[name]! : match));
}
