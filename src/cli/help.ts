// Help text helpers shared by every command.

/** An "Examples:" block for commander's addHelpText. */
export function examples(lines: Array<[command: string, what: string]>): string {
  const width = Math.max(...lines.map(([command]) => command.length));
  return `\nExamples:\n${lines.map(([command, what]) => `  $ ${command.padEnd(width)}  # ${what}`).join('\n')}\n`;
}
