// A lesson's hands-on step on screen: runs it through the lesson engine (src/lessons/lesson-steps.ts)
// with the CLI's in-process runner, and lays out what it returned: a command's output (with the
// shell lines that set the names it uses), a demo's HTTP exchanges, tables and paragraphs, the
// demo flow's steps as they happen; a failed step says what it said and what to do.

import { renderStep, type DrawnArrow } from './flow-view.js';
import { layoutProseLine, runsLines, shellSetUp } from './lesson-view.js';
import { MARK, type Output } from './output.js';
import type { DemoPart, DemoResult } from '../lessons/demos.js';
import { runCommandStep, runDemoStep, signInAgain, type CommandOutcome, type StepContext } from '../lessons/lesson-steps.js';
import { isCommandScreen, type CommandScreen, type RunScreen } from '../lessons/schema.js';
import { shownCommand, variableOf } from '../lessons/step-tokens.js';
import { terminalSafeLines } from '../text/terminal-safe.js';
import { displayWidth, layoutCommand, layoutTable, layoutText, shellWords, wrapParagraph } from '../text/layout.js';

export interface StepView {
  output: Output;
  now(): number;
  width: number;
  /** Tokens saved by earlier steps, by name. */
  saved: Map<string, string>;
  /** Waits between the demo flow's steps on a terminal; a no-op in plain text. */
  pause(): Promise<void>;
  /** On a terminal, with keys to go on, back or quit; false for --plain. */
  interactive: boolean;
  /** The shell variables this lesson has shown an assignment for (name → value): a command's others are shown before it runs. Cleared when a lesson starts. */
  given?: Map<string, string>;
  /** The columns for prose (the text after a step's output, the set-up's intro); `width` when not given. */
  textWidth?: number;
  /** False when a step runs again only for its tokens (a resume): no assignment lines are shown, and none count as shown. */
  showSetUp?: boolean;
}

/**
 * A Mock Google step's names stand for the Mock Google it started, which answered only while the
 * step ran: they are shown as what the command ran with, not offered for pasting, and the intro
 * says how to run the command later against the learner's own (`jwt-vs-oauth provider`, tried:
 * its issuer, its userinfo audience, and an access token from its client_credentials grant).
 */
const MOCK_GOOGLE_INTRO = 'To run the command below yourself, start your own Mock Google in another terminal (jwt-vs-oauth provider) and set ISSUER to http://127.0.0.1:9400, API to http://127.0.0.1:9400/userinfo and the token to one it issued (README, "The whole flow with curl"). The lines below are what this step ran with: its Mock Google answered only while the step ran, so they fail in your shell now.';

/** What the names a Mock Google step makes for itself stand for, said under their lines. */
const PROVIDED_NOTES: Record<string, string> = {
  ISSUER: 'this step\'s Mock Google, on a port of its own, closed now',
  API: 'the audience its API, userinfo, answers to',
};

/** Whether the lines that set a command step's names are shown with its screen: not for a step with a `with`, whose names are made as it runs (the step shows them then, before its command). */
export function setUpBeforeRunning(screen: RunScreen): screen is CommandScreen {
  return isCommandScreen(screen) && screen.with === undefined;
}

/** What the learner can do next, on a terminal (keys) or in --plain (the lesson just goes on). */
function whatNext(view: StepView): string {
  return view.interactive
    ? '  Press Enter to go on without it, or b and then Enter to run this step again; q quits (progress is kept).'
    : '  The lesson goes on without it.';
}

/** A command's text, colours taken out (its own, not the learner's terminal's) and every control character shown escaped. */
const plainText = (text: string) => terminalSafeLines(text.replace(/\u001b\[[0-9;]*m/g, '').trimEnd());

/** A command's output as a step shows it: what it printed, then what it said on stderr (warnings). */
function shownOutput(result: { stdout: string; stderr: string }, indent = ''): string {
  const lines = [...result.stdout.trimEnd().split('\n'), ...(result.stderr.trim() ? result.stderr.trimEnd().split('\n') : [])];
  return lines.map((text) => (text ? `${indent}${text}` : text)).join('\n');
}

/** Runs a step's words through the CLI in-process with the learner's clock and colour, laid out for the width less `indent`. */
function capturedRunner(view: StepView, indent: number): StepContext['runCommand'] {
  return async (words) => {
    const { runCaptured } = await import('./run.js');
    const level = view.output.colour.level;
    const columns = Number.isFinite(view.width) ? { COLUMNS: String(Math.max(20, view.width - indent)) } : {};
    return runCaptured(words, { env: { ...(level === 0 ? { NO_COLOR: '1' } : { FORCE_COLOR: String(level) }), ...columns }, now: view.now });
  };
}

/** The engine's context for one step, with the runner laid out for the step's indent and the flow drawn as it goes. */
export function stepContext(view: StepView, indent = 0): StepContext {
  const history: DrawnArrow[] = [];
  return {
    now: view.now,
    saved: view.saved,
    runCommand: capturedRunner(view, indent),
    flow: {
      show: (step) => {
        history.push(...step.arrows.map((arrow) => ({ ...arrow, step: step.number })));
        view.output.result(layoutText(renderStep(step, history, view.output, { verbose: false, width: view.width }), view.width));
      },
      pause: () => view.pause(),
    },
  };
}

/** A step's output is shown two columns in when it saves a token (the token block), else at the margin; the command is laid out for the width less that. */
export const indentOf = (screen: CommandScreen) => (screen.save ? 2 : 0);

/** The command a step shows, with "$NAMES"; the assignment lines for the names it uses that this lesson has not set yet (see shellSetUp), or a Mock Google step's own. */
export function commandSetUp(screen: CommandScreen, view: StepView, made: Record<string, string> = {}): string[] {
  if (view.showSetUp === false) return [];
  const byVariable = Object.fromEntries(Object.entries(made).map(([name, value]) => [variableOf(name), value]));
  if (screen.with === 'mock-google') return shellSetUp(shownCommand(screen.command), view, view.width, byVariable, PROVIDED_NOTES, view.textWidth, MOCK_GOOGLE_INTRO);
  return shellSetUp(shownCommand(screen.command), view, view.width, byVariable, {}, view.textWidth);
}

/**
 * A request (→) and its answer (←), the request wrapped under its own text. The answer's JSON body
 * goes on the arrow's line when it fits there, else pretty-printed, a member a line (a long string
 * wrapped at its spaces, under its member): JSON is never broken with a "\\" mid-body.
 */
function exchangeLines(view: StepView, { method, path, note, status, body }: { method: string; path: string; note: string; status: number; body: unknown }): string[] {
  const c = view.output.colour;
  const shorten = (json: string) => json.replace(/eyJ[\w-]{20,}\.[\w-]+\.[\w-]+/g, (token) => `${token.slice(0, 16)}…`);
  const answer = `  ${c.bold('←')} ${status >= 400 ? c.red(String(status)) : c.green(String(status))} `;
  const compact = shorten(JSON.stringify(body));
  const pretty = shorten(JSON.stringify(body, null, 2)).split('\n');
  const members = pretty.slice(1, -1).flatMap((member) => {
    const indent = `    ${/^ */.exec(member)![0]}`;
    return wrapParagraph(member.trimStart(), view.width, { lead: indent, hang: `${indent}  ` });
  });
  return [
    ...hanging(`  ${c.bold('→')} `, `${method} ${path}${note ? c.dim(`  (${note})`) : ''}`, view.width),
    ...(displayWidth(answer + compact) <= view.width || pretty.length < 3 ? hanging(answer, compact, view.width) : [`${answer}${pretty[0]}`, ...members, `    ${pretty.at(-1)}`]),
  ];
}

/**
 * A line of code laid out: broken only at spaces outside its quotes (a string stays whole), later
 * lines four columns deeper. A piece wider than the line is left whole: code is read, not pasted.
 */
function layoutCode(code: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let current = indent;
  for (const word of shellWords(code)) {
    const fresh = current.trim() === '';
    if (!fresh && displayWidth(`${current} ${word}`) > width) {
      lines.push(current);
      current = `${indent}    `;
    }
    current += current.trim() === '' ? word : ` ${word}`;
  }
  return [...lines, current];
}

/** `lead` and `text` on one line when they fit, else wrapped with the later lines under the text. */
function hanging(lead: string, text: string, width: number): string[] {
  return displayWidth(lead + text) <= width ? [lead + text] : wrapParagraph(text, width, { lead });
}

function partLines(part: DemoPart, view: StepView): string[] {
  const c = view.output.colour;
  switch (part.kind) {
    case 'exchange': return exchangeLines(view, part.exchange);
    case 'remark': return hanging(`     ${part.lead}`, part.text, view.width);
    case 'paragraph': return [part.text];
    // Aligned while the values fit beside each other; stacked, each value labelled, when they do not.
    case 'table': return layoutTable(part.rows, view.width, { indent: '  ', minLastColumn: 24, ...(part.headings ? { headings: part.headings.map((heading) => (heading ? c.bold(heading) : heading)) } : {}) });
    case 'value': return [part.label, `  ${part.value}`];
    case 'lines': return part.lines;
    case 'code': return [part.heading, ...part.lines.flatMap((text) => layoutCode(text.trimStart(), view.width, `    ${/^ */.exec(text)![0]}`))];
    case 'blank': return [''];
  }
}

/** A demo's result laid out. */
export function renderDemo(result: DemoResult, view: StepView): string {
  return result.parts.flatMap((part) => partLines(part, view)).join('\n');
}

function notReady(name: string): string {
  return `${MARK.warn} This step uses $${variableOf(name)}, which an earlier step of this lesson makes, and that step has not run since you started: go back to it (b goes back a screen at a time), then come here again.`;
}

/** The text of a command step that ran, or could not: the lines before its output, its output, or why it has none. */
export function renderCommandStep(screen: CommandScreen, outcome: CommandOutcome, view: StepView): { text: string; commandFailed: boolean } {
  const c = view.output.colour;
  if (outcome.kind === 'not-ready') return { text: notReady(outcome.name), commandFailed: false };
  if (outcome.kind === 'refused') return { text: [c.red(`${MARK.fail} This step's command was not run: ${outcome.problem}`), whatNext(view)].join('\n'), commandFailed: true };
  // A step with a `with` shows its command only now, after the names it made: the assignment lines come before the command, as on every screen.
  const fresh = screen.with === 'mock-google' ? [...wrapParagraph('A fresh sign-in at a Mock Google started for this step alone.', view.textWidth ?? view.width), ''] : [];
  const made = Object.fromEntries(outcome.provided.map((name) => [name, outcome.values[name]!]));
  const before = screen.with === undefined ? [] : [...fresh, ...commandSetUp(screen, view, made), ...runsLines(screen.command, view.width, c)];
  if (!outcome.answered) {
    const said = [outcome.stdout, outcome.stderr].filter((text) => text.trim() !== '').map(plainText).join('\n');
    return {
      text: [
        // A step with a `with` shows its command here (the screen did not); the others showed it with the screen.
        ...before,
        c.red(`${MARK.fail} This step's command failed (exit ${outcome.code}), so the step has no result.${screen.save ? ` Nothing was saved as $${variableOf(screen.save)}.` : ''}`),
        ...layoutCommand(shownCommand(screen.command), view.width, { lead: '  ', hang: '      ' }),
        ...(said ? ['  It said:', ...said.split('\n').map((text) => `    ${text}`)] : []),
        whatNext(view),
      ].join('\n'),
      commandFailed: true,
    };
  }
  const shown = screen.save
    ? `${shownOutput(outcome, '  ')}\n  ${outcome.unsaved ? c.red(`${MARK.fail} Nothing was saved as $${variableOf(screen.save)}: ${outcome.unsaved}.`) : c.dim(`(saved as $${variableOf(screen.save)} for the steps that follow)`)}`
    : shownOutput(outcome);
  return { text: [...before, shown, ...afterwards(screen, view)].join('\n'), commandFailed: false };
}

/** A step's closing paragraphs, after a blank line, laid out at the prose width. */
const afterwards = (screen: RunScreen, view: StepView): string[] => (screen.after ?? []).flatMap((text) => ['', ...layoutProseLine(text, view.textWidth ?? view.width)]);

/**
 * Runs one hands-on step and lays it out. A step whose earlier steps have not run says so, and a
 * step whose command fails shows what the command said; either way the lesson goes on.
 * `whileRunning`: see runCommandStep.
 */
export async function runLessonStep(screen: RunScreen, view: StepView, whileRunning?: (outcome: CommandOutcome) => Promise<void>): Promise<{ text: string; commandFailed: boolean }> {
  if (isCommandScreen(screen)) return renderCommandStep(screen, await runCommandStep(screen, stepContext(view, indentOf(screen)), whileRunning), view);
  const outcome = await runDemoStep(screen, stepContext(view));
  if (outcome.kind === 'not-ready') return { text: notReady(outcome.name), commandFailed: false };
  if (outcome.kind === 'not-a-token') return { text: [view.output.colour.red(`${MARK.fail} This step needs a token in $${variableOf(outcome.name)}, and what an earlier step saved there is not a token: ${outcome.problem}. The step did not run.`), whatNext(view)].join('\n'), commandFailed: true };
  return { text: [renderDemo(outcome.result, view), ...afterwards(screen, view)].join('\n'), commandFailed: false };
}

/**
 * Runs a hands-on step again on a resume, for the tokens it makes: its output as a step shows it,
 * except the demo flow, which signs in again without its pauses and says only that.
 */
export async function rerunLessonStep(screen: RunScreen, view: StepView): Promise<string> {
  if (isCommandScreen(screen) || screen.demo !== 'oauth-flow') return (await runLessonStep(screen, view)).text;
  await signInAgain(stepContext(view));
  return '  Signed in at Mock Google again, as Asha, with no pauses: a new access token and ID token.';
}
