// `jwt-vs-oauth tutorial [lesson]`: the article's two flows as short, hands-on lessons with
// questions, progress saved after every screen.

import { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { examples } from '../help.js';
import { MARK, printJson, warnAll, type Output } from '../output.js';
import { InputError } from '../../errors.js';
import type { Progress } from '../../lessons/progress.js';
import type { Lesson, RunScreen, ValueQuestion } from '../../lessons/schema.js';

interface TutorialFlags {
  list?: boolean;
  reset?: string | true;
  plain?: boolean;
  json?: boolean;
}

export function tutorialCommand(context: CommandContext): Command {
  return new Command('tutorial')
    .description('Learn JWT, then OAuth 2.0 and OpenID Connect, in ten short hands-on lessons. Progress is saved after every screen.')
    .argument('[lesson]', 'start this lesson (a number, or "all" with --plain)')
    .option('--list', 'list the lessons, with ✓ for the ones you finished')
    .option('--reset [lesson]', 'forget progress: of one lesson, or of all')
    .option('--plain', 'print the lesson (or all) as plain text, with no prompts and the answers at the end')
    .option('--json', 'with --list: print the lessons as JSON')
    .addHelpText('after', examples([
      ['jwt-vs-oauth tutorial', 'continue where you stopped'],
      ['jwt-vs-oauth tutorial 5', 'start lesson 5 (OAuth)'],
      ['jwt-vs-oauth tutorial --list', 'the lessons, ✓ for done'],
      ['jwt-vs-oauth tutorial 3 --plain > lesson3.txt', 'as text, answers at the end'],
      ['jwt-vs-oauth tutorial --reset', 'start over'],
    ]) + '\nKeys, on every screen: Enter continues, b goes back, q or Esc quits (progress\nis kept: you resume on the screen you were on), Ctrl-C exits. In a question\nthat asks for a value, q or b typed alone (then Enter) quits or goes back.\nProgress lives in $JWT_VS_OAUTH_HOME, else $XDG_CONFIG_HOME/jwt-vs-oauth, else\n~/.config/jwt-vs-oauth.\nExit codes: 0 ok (a step whose command fails is shown in the lesson, which\ngoes on), 2 no such lesson or a lesson file that does not fit, 130 Ctrl-C.\n')
    .action(async (lessonArgument: string | undefined, flags: TutorialFlags) => {
      const [{ loadLessons, languageFrom }, paths, { openProgress }, { outputWidth }] = await Promise.all([
        import('../../lessons/loader.js'),
        import('../../lessons/paths.js'),
        import('../../lessons/progress.js'),
        import('../../text/layout.js'),
      ]);
      const { join } = await import('node:path');
      const lessons = loadLessons(join(paths.lessonsFolder(), 'tutorial'), languageFrom(context.streams.env));
      const output = context.output();
      // At most READING_WIDTH: longer lines are hard to read. A pipe or file with no COLUMNS keeps
      // each paragraph on one line (Infinity), as the other views do, for the reader to wrap.
      const available = outputWidth(context.streams.stdout, context.streams.env);
      const width = Number.isFinite(available) ? Math.min(available, READING_WIDTH) : available;
      const pick = (text: string): Lesson => {
        const lesson = lessons.find((candidate) => String(candidate.number) === text || candidate.id === text);
        if (!lesson) throw new InputError('ERR_NO_SUCH_LESSON', `There is no lesson "${text}".`, `Lessons: ${lessons.map((candidate) => candidate.number).join(', ')} (jwt-vs-oauth tutorial --list).`);
        return lesson;
      };

      if (flags.plain) {
        const chosen = lessonArgument === undefined || lessonArgument === 'all' ? lessons : [pick(lessonArgument)];
        await printPlain(chosen, context, output, width);
        return;
      }

      const store = openProgress(paths.homeFolder(context.streams.env));
      const warn = (messages: string[]) => warnAll(output, messages);
      warn(store.notices);
      /** One change to the tutorial's progress, applied to what is on disk now (another terminal may have moved on). */
      const change = (apply: (tutorial: Progress['tutorial']) => void) => warn(store.update((progress) => apply(progress.tutorial)));

      if (flags.reset !== undefined) {
        if (flags.reset === true) {
          change((tutorial) => {
            tutorial.completed = [];
            delete tutorial.position;
          });
          output.talk('Tutorial progress reset: you start from lesson 1.');
        } else {
          const lesson = pick(flags.reset);
          change((tutorial) => {
            tutorial.completed = tutorial.completed.filter((number) => number !== lesson.number);
            if (tutorial.position?.lesson === lesson.number) delete tutorial.position;
          });
          output.talk(`Lesson ${lesson.number} reset.`);
        }
        return;
      }
      const progress = store.progress.tutorial;

      if (flags.list) {
        const rows = lessons.map((lesson) => ({ number: lesson.number, id: lesson.id, title: lesson.title, screens: lesson.screens.length, done: progress.completed.includes(lesson.number) }));
        if (flags.json) return printJson(output, { lessons: rows, resume: progress.position ?? null });
        for (const row of rows) {
          const here = progress.position?.lesson === row.number ? output.colour.dim(`  ← continue at screen ${progress.position.screen + 1}`) : '';
          output.result(`${row.done ? output.colour.green(MARK.ok) : ' '} ${String(row.number).padStart(2)}. ${row.title}${output.colour.dim(` (${row.screens} screens)`)}${here}`);
        }
        output.result(output.colour.dim(`\n${rows.filter((row) => row.done).length} of ${rows.length} done. ✓ marks a finished lesson.`));
        return;
      }

      const requested = lessonArgument !== undefined ? pick(lessonArgument) : undefined;
      if (!(output.stdinIsTerminal && output.stdoutIsTerminal)) {
        // No terminal: nothing could answer, so never wait.
        // In a clone (`npm start`), jwt-vs-oauth is not on PATH yet: name the command that works there too.
        const { existsSync } = await import('node:fs');
        const { join } = await import('node:path');
        const { packageRoot } = await import('../../lessons/paths.js');
        const inClone = existsSync(join(packageRoot(), 'src', 'cli'));
        output.result(`The tutorial is interactive and needs a terminal. To read it instead: jwt-vs-oauth tutorial --plain (or tutorial 3 --plain for one lesson)${inClone ? '; from this clone: node dist/bin.js tutorial --plain' : ''}.`);
        return;
      }

      let current = requested ?? lessons.find((lesson) => lesson.number === progress.position?.lesson) ?? lessons.find((lesson) => !progress.completed.includes(lesson.number)) ?? lessons[0]!;
      let start = lessonArgument === undefined && progress.position?.lesson === current.number ? progress.position.screen : 0;
      if (start >= current.screens.length) start = 0;
      const ui = await createTerminalUI(context, output, width);
      const { runLesson } = await import('../../lessons/runner.js');
      for (;;) {
        let resumeAt = start;
        const result = await runLesson(current, start, ui, (screen) => {
          const lesson = current.number;
          resumeAt = screen;
          change((tutorial) => void (tutorial.position = { lesson, screen }));
        }).catch((error: unknown) => {
          if (error instanceof QuitLesson) return 'quit' as const;
          throw error;
        });
        if (result === 'quit') {
          output.talk(`Progress saved: lesson ${current.number}, screen ${Math.min(resumeAt, current.screens.length - 1) + 1}. Run jwt-vs-oauth tutorial to continue.`);
          return;
        }
        const next = lessons.find((lesson) => lesson.number > current.number);
        const finished = current.number;
        change((tutorial) => {
          if (!tutorial.completed.includes(finished)) tutorial.completed.push(finished);
          if (next) tutorial.position = { lesson: next.number, screen: 0 };
          else delete tutorial.position;
        });
        output.result(output.colour.green(`\n${MARK.ok} Lesson ${current.number} done.`) + (next ? ` Next: lesson ${next.number}, ${next.title}.` : ' That was the last lesson: well done!'));
        if (!next) return;
        current = next;
        start = 0;
      }
    });
}

/** Lines longer than this are hard to read, so a wide terminal still gets at most this many columns. */
const READING_WIDTH = 100;

/** q pressed inside a hands-on step: leave the lesson the way q does between screens. */
class QuitLesson extends Error {}

async function printPlain(chosen: Lesson[], context: CommandContext, output: Output, width: number): Promise<void> {
  const [{ printPlainLesson }, { runHandsOn, valueFromReference }, { layoutText }] = await Promise.all([import('../lesson-view.js'), import('../hands-on.js'), import('../../text/layout.js')]);
  const handsOnContext = { output, now: context.now, width, saved: new Map<string, string>(), printed: new Set<string>(), pause: async () => undefined, interactive: false };
  for (const lesson of chosen) {
    const handsOn = async (screen: RunScreen) => {
      const { text, commandFailed } = await runHandsOn(screen, handsOnContext);
      // The text says what failed, on stdout with the lesson; stderr says it too, for whoever reads only the file.
      if (commandFailed) warnAll(output, [`Lesson ${lesson.number}, screen ${lesson.screens.indexOf(screen) + 1}: the step's command failed, and the lesson went on without its result (the step's output says why).`]);
      return layoutText(text, width);
    };
    await printPlainLesson(lesson, width, handsOn, (question: ValueQuestion) => valueFromReference(question.answerFrom, handsOnContext), (text) => output.result(text));
  }
}

async function createTerminalUI(context: CommandContext, output: Output, width: number): Promise<import('../../lessons/runner.js').LessonUI> {
  // Only what the first screen needs is loaded now; prompts and hands-on code load when first used.
  const [{ navigationPrompt, choicePrompt, valuePrompt }, view, { layoutLine, layoutText }] = await Promise.all([import('../navigation-prompt.js'), import('../lesson-view.js'), import('../../text/layout.js')]);
  const handsOn = () => import('../hands-on.js');
  const io = { input: context.streams.stdin, output: context.streams.stdout };
  const handsOnContext = {
    output,
    now: context.now,
    width,
    saved: new Map<string, string>(),
    printed: new Set<string>(),
    interactive: true,
    pause: async () => {
      const choice = await navigationPrompt({ canGoBack: false, firstScreen: false, message: 'Next step of the demo: ', width }, io);
      if (choice === 'quit') throw new QuitLesson();
    },
  };
  const c = output.colour;
  /** One paragraph of feedback: its later lines under its text, after the ✓ or ✗. */
  const say = (text: string) => layoutLine(text, width).join('\n');
  let valueFromReference: ((reference: string, context: typeof handsOnContext) => string | undefined) | undefined;
  return {
    show: (lesson, index, screen) => output.result(view.renderScreen(lesson, index, screen, output, width)),
    run: async (screen) => {
      const module = await handsOn();
      valueFromReference = module.valueFromReference;
      // A step whose command failed shows why and what to do; the navigation prompt that follows goes on.
      output.result(layoutText((await module.runHandsOn(screen, handsOnContext)).text, width));
    },
    ask: async (question, _attempt, canGoBack) => {
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
    navigate: (canGoBack) => navigationPrompt({ canGoBack, width }, io),
  };
}
