// `jwt-vs-oauth tutorial [lesson]`: the article's two flows as short, hands-on lessons with
// questions, progress saved after every screen.

import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandContext } from '../context.js';
import { examples, helpText, helpWidth } from '../help.js';
import { MARK, printJson, warnAll, type Output } from '../output.js';
import { InputError } from '../../errors.js';
// What the first screen needs is imported here, so it loads with this command, in one round:
// main loads this file only when the tutorial runs. The rest (progress, prompts, hands-on code)
// loads when it is first used, after that screen is up.
import { languageFrom, loadLessonNumbered, loadLessons } from '../../lessons/loader.js';
import { lessonsFolder, packageRoot } from '../../lessons/paths.js';
import { runLesson, type LessonUI } from '../../lessons/runner.js';
import { displayWidth, layoutLine, layoutText, outputWidth, wrapParagraph } from '../../text/layout.js';
import * as view from '../lesson-view.js';
import type { Progress } from '../../lessons/progress.js';
import { isCommandScreen, type Lesson, type RunScreen, type ValueQuestion } from '../../lessons/schema.js';
import { savedNameOf, screensToRerun, tokensMadeBy, variableOf } from '../../lessons/step-tokens.js';
import type { StepView } from '../lesson-step-view.js';

type ProgressStore = ReturnType<typeof import('../../lessons/progress.js').openProgress>;

interface TutorialFlags {
  list?: boolean;
  reset?: string | true;
  yes?: boolean;
  plain?: boolean;
  json?: boolean;
}

export function tutorialCommand(context: CommandContext): Command {
  return new Command('tutorial')
    .description('Learn JWT, then OAuth 2.0 and OpenID Connect, in short hands-on lessons: ten that follow the article, then the flows beyond it. Progress is saved after every screen.')
    .argument('[lesson]', 'start this lesson (a number, or "all" with --plain)')
    .option('--list', 'list the lessons, with ✓ for the ones you finished')
    .option('--reset [lesson]', 'forget progress: of one lesson, or of all (asks first)')
    .option('--yes', 'with --reset of all: do not ask (needed without a terminal)')
    .option('--plain', 'print the lesson (or all) as plain text, with no prompts and the answers at the end')
    .option('--json', 'with --list: print the lessons as JSON')
    .addHelpText('after', () => examples([
      ['jwt-vs-oauth tutorial', 'continue where you stopped'],
      ['jwt-vs-oauth tutorial 5', 'start lesson 5 (OAuth)'],
      ['jwt-vs-oauth tutorial --list', 'the lessons, ✓ for done'],
      ['jwt-vs-oauth tutorial 3 --plain > lesson3.txt', 'as text, answers at the end'],
      ['jwt-vs-oauth tutorial --reset', 'start over (asks first; --yes without a terminal)'],
    ], helpWidth(context.streams.stdout, context.streams.env)) + helpText([
      '',
      'Keys, on every screen: Enter continues, b goes back, q or Esc quits (progress is kept: you resume on the screen you were on), Ctrl-C exits. In a question that asks for a value, q or b typed alone (then Enter) quits or goes back.',
      'Lessons are laid out to the terminal\'s width (COLUMNS for a file or a pipe; with neither, --plain keeps each paragraph on one line), prose at most 100 columns. A command too wide is broken between its arguments with " \\" and a token with "\\", so either pastes back into a shell.',
      'Progress lives in $JWT_VS_OAUTH_HOME, else $XDG_CONFIG_HOME/jwt-vs-oauth, else ~/.config/jwt-vs-oauth. Tokens the lessons make are kept in memory while the tutorial runs, never written there.',
      'Exit codes: 0 ok (a step whose command fails is shown in the lesson, which goes on), 2 no such lesson, a lesson file that does not fit, or --reset of all without a terminal and without --yes; 130 Ctrl-C.',
      '',
    ].join('\n'), helpWidth(context.streams.stdout, context.streams.env)))
    .action(async (lessonArgument: string | undefined, flags: TutorialFlags) => {
      // Only what the first screen needs runs before it: one lesson's file is read, not every
      // lesson's (they are read and checked once that screen is up). Progress decides which screen
      // comes first when resuming, so it loads now then; a lesson asked for by name starts at its
      // first screen, and its progress is opened once that is up.
      const { stdin, stdout } = context.streams as { stdin: { isTTY?: boolean }; stdout: { isTTY?: boolean } };
      const onTerminal = !flags.plain && !flags.list && flags.reset === undefined && stdin.isTTY && stdout.isTTY;
      // The helper that opens it and the store it opens load together (its own import of the store then finds it loaded).
      const progressOpener = flags.plain || (onTerminal && lessonArgument !== undefined) ? undefined : Promise.all([import('../progress-open.js'), import('../../lessons/progress.js')]).then(([opener]) => opener);
      const folder = join(lessonsFolder(), 'tutorial');
      const language = languageFrom(context.streams.env);
      let all: Lesson[] | undefined;
      /** Every lesson, each file read and checked (once). */
      const lessons = (): Lesson[] => (all ??= loadLessons(folder, language));
      /** Lesson `number`: from its own file while the others are not needed yet. */
      const lessonNumbered = (number: number): Lesson | undefined => (all === undefined ? loadLessonNumbered(folder, number, language) : undefined) ?? lessons().find((lesson) => lesson.number === number);
      // Talk (stderr) laid out to stderr's own width, a command in it kept whole.
      const talkWidth = outputWidth(context.streams.stderr, context.streams.env);
      const output = laidOutTalk(context.output(), talkWidth);
      // A pipe or file with no COLUMNS keeps each paragraph on one line (Infinity), as the other
      // views do, for the reader to wrap.
      const screen = outputWidth(context.streams.stdout, context.streams.env);
      const widths: Widths = { screen, text: Number.isFinite(screen) ? Math.min(screen, READING_WIDTH) : screen };
      const pick = (text: string): Lesson => {
        const lesson = (/^[1-9]\d*$/.test(text) ? lessonNumbered(Number(text)) : undefined) ?? lessons().find((candidate) => String(candidate.number) === text || candidate.id === text);
        if (!lesson) throw new InputError('ERR_NO_SUCH_LESSON', `There is no lesson "${text}".`, `Lessons: ${lessons().map((candidate) => candidate.number).join(', ')}; list them with: jwt-vs-oauth tutorial --list`);
        return lesson;
      };

      if (flags.plain) {
        const chosen = lessonArgument === undefined || lessonArgument === 'all' ? lessons() : [pick(lessonArgument)];
        await printPlain(chosen, context, output, widths);
        return;
      }

      const warn = (messages: string[]) => warnAll(output, messages);
      let opened: ProgressStore | undefined;
      /** The progress file, opened once; what it had to say about itself (a file moved aside) is said then. */
      const openStore = async (): Promise<ProgressStore> => {
        if (!opened) {
          const { openProgressSayingNotices } = await (progressOpener ?? import('../progress-open.js'));
          // Its notices go through this command's talk, laid out as a lesson's prose is.
          opened = await openProgressSayingNotices({ ...context, output: () => output });
        }
        return opened;
      };
      /** One change to the tutorial's progress, applied to what is on disk now (another terminal may have moved on). */
      const change = async (apply: (tutorial: Progress['tutorial']) => void) => warn((await openStore()).update((progress) => apply(progress.tutorial)));

      if (flags.reset !== undefined) {
        if (flags.reset === true) {
          // The progress file is opened first: one that cannot be used is said before any question.
          await openStore();
          if (!flags.yes) {
            if (!(output.stdinIsTerminal && output.stderrIsTerminal)) throw new InputError('ERR_CONFIRM', 'tutorial --reset forgets your progress in every lesson; without a terminal to ask, add --yes.');
            const [{ confirm }, { promptTheme }] = await Promise.all([import('@inquirer/prompts'), import('../prompt-theme.js')]);
            const sure = await confirm({ message: `Forget your progress in all ${lessons().length} lessons?`, default: false, theme: promptTheme }, { input: context.streams.stdin, output: context.streams.stderr });
            if (!sure) return output.talk('Nothing was reset.');
          }
          await change((tutorial) => {
            tutorial.completed = [];
            delete tutorial.position;
          });
          output.talk('Tutorial progress reset: you start from lesson 1.');
        } else {
          const lesson = pick(flags.reset);
          await change((tutorial) => {
            tutorial.completed = tutorial.completed.filter((number) => number !== lesson.number);
            if (tutorial.position?.lesson === lesson.number) delete tutorial.position;
          });
          output.talk(`Lesson ${lesson.number} reset.`);
        }
        return;
      }
      if (flags.list) {
        const progress = (await openStore()).progress.tutorial;
        const rows = lessons().map((lesson) => ({ number: lesson.number, id: lesson.id, title: lesson.title, screens: lesson.screens.length, done: progress.completed.includes(lesson.number) }));
        if (flags.json) return printJson(output, { lessons: rows, resume: progress.position ?? null });
        const beyondFrom = rows.findIndex((row) => row.number >= FIRST_BEYOND_THE_ARTICLE);
        for (const [index, row] of rows.entries()) {
          if (beyondFrom > 0 && index === 0) output.result(output.colour.bold('Following the article'));
          if (beyondFrom > 0 && index === beyondFrom) output.result(`\n${output.colour.bold('Beyond the article')}${output.colour.dim(': the flows a developer meets next')}`);
          const here = progress.position?.lesson === row.number ? output.colour.dim(`← continue at screen ${progress.position.screen + 1}`) : '';
          const lead = `${row.done ? output.colour.green(MARK.ok) : ' '} ${String(row.number).padStart(2)}. `;
          const text = `${row.title}${output.colour.dim(` (${row.screens} screens)`)}`;
          // A row too wide wraps under its title, and where to continue goes on a line of its own.
          const oneLine = `${lead}${text}${here ? `  ${here}` : ''}`;
          output.result(displayWidth(oneLine) <= widths.screen ? oneLine : [...wrapParagraph(text, widths.screen, { lead }), ...(here ? [`      ${here}`] : [])].join('\n'));
        }
        output.result(output.colour.dim(`\n${rows.filter((row) => row.done).length} of ${rows.length} done. ✓ marks a finished lesson.`));
        return;
      }

      const requested = lessonArgument !== undefined ? pick(lessonArgument) : undefined;
      if (!(output.stdinIsTerminal && output.stdoutIsTerminal)) {
        // No terminal: nothing could answer, so never wait.
        // In a clone (`npm start`), jwt-vs-oauth is not on PATH yet: name the command that works there too.
        const inClone = existsSync(join(packageRoot(), 'src', 'cli'));
        output.result(`The tutorial is interactive and needs a terminal. To read it instead: jwt-vs-oauth tutorial --plain (or tutorial 3 --plain for one lesson)${inClone ? '; from this clone: node dist/bin.js tutorial --plain' : ''}.`);
        return;
      }

      const progress = requested ? undefined : (await openStore()).progress.tutorial;
      let current = requested
        ?? (progress?.position ? lessonNumbered(progress.position.lesson) : undefined)
        ?? lessons().find((lesson) => !progress?.completed.includes(lesson.number))
        ?? lessons()[0]!;
      let start = progress?.position?.lesson === current.number ? progress.position.screen : 0;
      if (start >= current.screens.length) start = 0;
      const ui = createTerminalUI(context, output, widths);
      for (;;) {
        let resumeAt = start;
        ui.resume(start);
        const result = await runLesson(current, start, ui, async (screen) => {
          const lesson = current.number;
          resumeAt = screen;
          await change((tutorial) => void (tutorial.position = { lesson, screen }));
          // The first screen is up: now every lesson file is read and checked, so a file that
          // does not fit stops the tutorial here (exit 2), not when the learner reaches it.
          lessons();
        }).catch((error: unknown) => {
          if (error instanceof QuitLesson) return 'quit' as const;
          throw error;
        });
        if (result === 'quit') {
          output.talk(`Progress saved: lesson ${current.number}, screen ${Math.min(resumeAt, current.screens.length - 1) + 1}. Run ${view.heldTogether('jwt-vs-oauth tutorial')} to continue.`);
          return;
        }
        const next = lessons().find((lesson) => lesson.number > current.number);
        const finished = current.number;
        await change((tutorial) => {
          if (!tutorial.completed.includes(finished)) tutorial.completed.push(finished);
          if (next) tutorial.position = { lesson: next.number, screen: 0 };
          else delete tutorial.position;
        });
        output.result(output.colour.green(`\n${MARK.ok} Lesson ${current.number} done.`) + (next ? (current.number === FIRST_BEYOND_THE_ARTICLE - 1 && next.number >= FIRST_BEYOND_THE_ARTICLE ? ` That was the last lesson that follows the article. Next, beyond it: lesson ${next.number}, ${next.title}.` : ` Next: lesson ${next.number}, ${next.title}.`) : ' That was the last lesson: well done!'));
        if (!next) return;
        current = next;
        start = 0;
      }
    });
}

/** Lines of prose longer than this are hard to read, so on a wide terminal paragraphs stop here. */
const READING_WIDTH = 100;

/** The first lesson beyond the article (issue #15): --list shows it and those after it under their own heading. */
const FIRST_BEYOND_THE_ARTICLE = 11;

/** The columns lessons are laid out for: prose (at most READING_WIDTH), and commands and hands-on output (the whole screen). */
interface Widths {
  text: number;
  screen: number;
}

/** `output` whose talk is laid out to `width` (stderr's), each line as a lesson's prose is. */
function laidOutTalk(output: Output, width: number): Output {
  return {
    ...output,
    get stdinIsTerminal() {
      return output.stdinIsTerminal;
    },
    talk: (text) => output.talk(view.layoutProseText(text, width)),
  };
}

/** q pressed inside a hands-on step: leave the lesson the way q does between screens. */
class QuitLesson extends Error {}

async function printPlain(chosen: Lesson[], context: CommandContext, output: Output, widths: Widths): Promise<void> {
  const [{ runLessonStep, commandSetUp, setUpBeforeRunning }, { valueFromReference }] = await Promise.all([import('../lesson-step-view.js'), import('../../lessons/lesson-steps.js')]);
  const handsOnContext: StepView & { given: Map<string, string> } = { output, now: context.now, width: widths.screen, textWidth: widths.text, saved: new Map<string, string>(), given: new Map<string, string>(), pause: async () => undefined, interactive: false };
  for (const lesson of chosen) {
    // A lesson read on its own gives the shell its names afresh.
    handsOnContext.given.clear();
    const handsOn = async (screen: RunScreen) => {
      const { text, commandFailed } = await runLessonStep(screen, handsOnContext);
      // The text says what failed, on stdout with the lesson; stderr says it too, for whoever reads only the file.
      if (commandFailed) warnAll(output, [`Lesson ${lesson.number}, screen ${lesson.screens.indexOf(screen) + 1}: ${isCommandScreen(screen) ? 'the step\'s command' : 'the step'} failed, and the lesson went on without its result (the step's output says why).`]);
      return layoutText(text, widths.screen);
    };
    // A name the learner's shell needs is set just before the command, when an earlier step made it.
    const setUp = (screen: RunScreen) => (setUpBeforeRunning(screen) ? commandSetUp(screen, handsOnContext) : []);
    await view.printPlainLesson(lesson, widths, handsOn, (question: ValueQuestion) => valueFromReference(question.answerFrom, handsOnContext), (text) => output.result(text), setUp);
  }
}

/** The terminal's LessonUI; `resume` names the screen a lesson is about to start on. */
function createTerminalUI(context: CommandContext, output: Output, widths: Widths): LessonUI & { resume(index: number): void } {
  const width = widths.text;
  // The prompts (inquirer) and the hands-on code load when first used, after the screen is up.
  const handsOn = () => import('../lesson-step-view.js');
  const steps = () => import('../../lessons/lesson-steps.js');
  let promptsModule: Promise<typeof import('../navigation-prompt.js')> | undefined;
  const prompts = () => (promptsModule ??= import('../navigation-prompt.js'));
  const io = { input: context.streams.stdin, output: context.streams.stdout };
  const handsOnContext: StepView & { given: Map<string, string> } = {
    output,
    now: context.now,
    width: widths.screen,
    textWidth: widths.text,
    saved: new Map<string, string>(),
    given: new Map<string, string>(),
    interactive: true,
    pause: async () => {
      const choice = await (await prompts()).navigationPrompt({ canGoBack: false, firstScreen: false, message: 'Next step of the demo: ', width }, io);
      if (choice === 'quit') throw new QuitLesson();
    },
  };
  const c = output.colour;
  /** One paragraph of feedback: its later lines under its text, after the ✓ or ✗. */
  const say = (text: string) => layoutLine(text, width).join('\n');
  let valueFromReference: ((reference: string, context: StepView) => string | undefined) | undefined;
  // The step view is already loaded when this runs: the hands-on step that made the token came first.
  let stepView: typeof import('../lesson-step-view.js') | undefined;
  let lessonShown: number | undefined;
  /** The screen a lesson resumes on, until it is shown. */
  let resumedOn: number | undefined;
  /** The resumed screen, drawn once the steps run again for it have said so (rerun): its question is then right above its prompt. */
  let heldScreen: (() => void) | undefined;
  let heldAt = 0;
  /** What a demo step showed when it ran, by screen: going back to it shows that again rather than running it again. */
  const demoShown = new WeakMap<RunScreen, string[]>();
  return {
    resume: (index: number) => void (resumedOn = index),
    show: (lesson, index, screen) => {
      // Each lesson gives the shell its names afresh (once each, not on every screen).
      if (lesson.number !== lessonShown) handsOnContext.given.clear();
      lessonShown = lesson.number;
      const draw = () => {
        // A name the learner's shell needs is set just before the command, when an earlier step made it.
        const setUp = screen.type === 'run' && stepView?.setUpBeforeRunning(screen) ? stepView.commandSetUp(screen, handsOnContext) : [];
        output.result(view.renderScreen(lesson, index, screen, output, widths, setUp));
      };
      const resumed = resumedOn === index && index > 0;
      resumedOn = undefined;
      if (resumed && screensToRerun(lesson, index).length) [heldScreen, heldAt] = [draw, index];
      else draw();
      // The screen is up: the prompt under it starts loading now.
      void prompts().catch(() => undefined);
    },
    run: async (screen) => {
      const [module, engine] = await Promise.all([handsOn(), steps()]);
      stepView = module;
      valueFromReference = engine.valueFromReference;
      // Back on a demo that ran in this session: what it showed then, not a new run (its tokens,
      // ports and pauses would all be new, and what the learner answered was about the first run).
      const shownBefore = isCommandScreen(screen) ? undefined : demoShown.get(screen);
      if (shownBefore) {
        output.result(say(c.dim('(As it ran earlier in this session: going back shows a step\'s result again, it does not run it again.)')));
        for (const text of shownBefore) output.result(text);
        return;
      }
      // A demo's flow draws its steps as they happen: they are kept, with its result, for going back.
      const drawn: string[] = [];
      const recording: StepView = isCommandScreen(screen) ? handsOnContext : { ...handsOnContext, output: { ...output, result: (text: string) => void (drawn.push(text), output.result(text)) } };
      // A step whose command failed shows why and what to do; the navigation prompt that follows goes on.
      const { text, commandFailed } = await module.runLessonStep(screen, recording);
      const laidOut = layoutText(text, widths.screen);
      output.result(laidOut);
      if (!isCommandScreen(screen) && !commandFailed && !/^\S+ This step (uses|needs)/.test(text)) demoShown.set(screen, [...drawn, laidOut]);
    },
    ask: async (question, _attempt, canGoBack) => {
      const { choicePrompt, valuePrompt } = await prompts();
      const result = question.kind === 'choice'
        ? await choicePrompt({ message: 'Your answer', choices: question.choices, canGoBack, width }, io)
        : await valuePrompt({ message: 'Your answer', canGoBack, width }, io);
      return 'move' in result ? result : result.answer;
    },
    expectedValue: (question) => valueFromReference?.(question.answerFrom, handsOnContext),
    feedback: (correct, question, expected, finalAttempt, why) => {
      // The engine's why (a case-only or zone-less miss) is said before the answer or the retry.
      const because = why ? ` ${why[0]!.toUpperCase()}${why.slice(1)}${why.endsWith('.') ? '' : '.'}` : '';
      if (correct) output.result(say(`${c.green(`${MARK.ok} Right.`)}${because} ${question.explanation}`));
      else if (finalAttempt) output.result(say(`${c.red(`${MARK.fail} Not quite.`)}${because} The answer: ${view.describeAnswer(question, expected, true)}. ${question.explanation}`));
      else output.result(say(`${c.red(`${MARK.fail} Not quite.`)}${because} Have another go.`));
    },
    recall: (question, answer, correct, expected) => {
      const given = question.kind === 'choice' ? question.choices[Number(answer)]! : String(answer);
      const verdict = correct ? c.green(`${MARK.ok} Right.`) : `${c.red(`${MARK.fail} Not quite.`)} The answer: ${view.describeAnswer(question, expected, true)}.`;
      output.result(say(`You answered: ${given}. ${verdict} ${question.explanation}`));
    },
    navigate: async (canGoBack) => (await prompts()).navigationPrompt({ canGoBack, width }, io),
    rerun: async (lesson, screens) => {
      const [module, engine] = await Promise.all([handsOn(), steps()]);
      stepView = module;
      valueFromReference = engine.valueFromReference;
      const named = screens.map((index) => {
        const screen = lesson.screens[index]!;
        return `screen ${index + 1}${screen.type !== 'question' && screen.title ? ` (${screen.title})` : ''}`;
      });
      // Run again quietly: no assignment lines (none count as shown, so the next command still gets them).
      const quiet: StepView = { ...handsOnContext, showSetUp: false };
      const resumed = lesson.screens[heldAt];
      // The step a value question is read off is shown again (that output is what it asks about); the others get a line each.
      const readOff = resumed?.type === 'question' && resumed.kind === 'value' ? screens.at(-1) : undefined;
      output.result(say(c.dim(`${MARK.warn} Tokens are kept only while the tutorial runs, so ${screens.length > 1 ? 'these screens were' : 'this screen was'} run again:`)));
      for (const [position, index] of screens.entries()) {
        const screen = lesson.screens[index] as RunScreen;
        const text = await module.rerunLessonStep(screen, quiet);
        const made = tokensMadeBy(screen).map((name) => `$${variableOf(name)}`);
        const failed = made.some((name) => !handsOnContext.saved.has(savedNameOf(name.slice(1))));
        const did = failed ? `it did not work, so ${made.join(' and ')} ${made.length > 1 ? 'are' : 'is'} missing` : index === readOff ? 'its output, which the question is about, is below' : made.length ? `made ${made.join(' and ')} anew` : 'shown again';
        output.result(layoutLine(`  ${named[position]}: ${did}`, width).join('\n'));
        // A step that showed its command on its screen shows it here too: what the output below came from.
        if (index === readOff) output.result(['', ...(module.setUpBeforeRunning(screen) ? view.runsLines(screen.command, widths.screen, c) : []), layoutText(text, widths.screen), ''].join('\n'));
      }
      heldScreen?.();
      heldScreen = undefined;
    },
    unavailable: (_question, madeOn) => {
      const where = madeOn === undefined ? 'an earlier hands-on step' : `screen ${madeOn + 1}`;
      output.result(say(`${MARK.warn} This question reads the token ${where} makes, and it could not be made again here: go back to ${where} (b goes back a screen at a time) and run it, then come here again.`));
    },
  };
}
