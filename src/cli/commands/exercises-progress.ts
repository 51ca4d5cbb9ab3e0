// `jwt-vs-oauth exercises progress` and `reset`: a learner's own record, and its export for a
// teacher; `report`, the teacher's view of a class from those exports; `worksheet`, the tasks on paper.

import { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { MARK, printJson, type Output } from '../output.js';
import { InputError } from '../../errors.js';
import { hasControlCharacters, terminalSafe } from '../../text/terminal-safe.js';
import { confirmTeacher, packFolder, setUp, type ParentFlags } from './exercises-setup.js';
import { helpExamples, viewWidths, wrapProse } from './exercises-layout.js';
import { displayWidth, layoutTable, padEndVisible, truncateToWidth, wrapParagraph } from '../../text/layout.js';

export function exercisesProgressCommands(context: CommandContext): Command[] {
  return [
    new Command('progress')
      .description('Your progress: counts, per topic, first and last activity; --export saves it as a file for your teacher')
      .addHelpText('after', () => helpExamples(context, [
        ['jwt-vs-oauth exercises progress', 'counts per topic'],
        ['jwt-vs-oauth exercises progress --name "Asha Rao" --export', 'for your teacher: writes progress-asha-rao.json here'],
        ['jwt-vs-oauth exercises progress --export ~/Desktop', 'the same file, in that folder (the name is remembered)'],
        ['jwt-vs-oauth exercises progress --export - | pbcopy', 'the export on stdout, to paste where your teacher collects it'],
        ['jwt-vs-oauth exercises progress --json', 'as JSON'],
      ]) + '\nAn export holds your name, your seed and your progress, nothing else; others can read it (0644), as it is made to be handed over. It replaces your own earlier export (your seed, and your name or all its progress in yours now), also one under an earlier name in the same folder; any other file in its place only with --force, and your progress file itself never. --export - writes it to stdout; for a file named -, give ./- instead.\n')
      .option('--name <name>', 'your name as your teacher knows you (remembered; at most 64 characters)')
      .option('--export [file]', 'save your progress for your teacher as progress-<name>.json (in this folder, or the folder or file given; - for stdout)')
      .option('--force', 'with --export: replace a file that is not your earlier export')
      .option('--json', 'as JSON: {seed, name, total, passed, topics, firstActivity, lastActivity, exercises}; with --export, {file, replaced, removed}')
      .action(async (flags: { json?: boolean; name?: string; export?: string | boolean; force?: boolean }, command: Command) => {
        if (flags.force && flags.export === undefined) throw new InputError('ERR_USAGE', '--force goes with --export.', 'Example: jwt-vs-oauth exercises progress --export --force');
        if (flags.export === '') throw new InputError('ERR_EMPTY_PATH', '--export was given an empty file name.', 'Leave it out to write progress-<name>.json here: jwt-vs-oauth exercises progress --export');
        const toStdout = flags.export === '-';
        if (toStdout && flags.json) throw new InputError('ERR_USAGE', '--export - writes the export itself to stdout, which is JSON already; leave out --json.', 'Example: jwt-vs-oauth exercises progress --export - > mine.json');
        if (toStdout && flags.force) throw new InputError('ERR_USAGE', '--export - replaces no file; leave out --force.');
        const { learnerName, exportFileName, exportProgress, exportText } = await import('../../lessons/progress.js');
        // Checked before anything is read or written.
        const name = flags.name === undefined ? undefined : learnerName(flags.name);
        const { exercises, store, seed, output, change } = await setUp(context, command);
        if (name !== undefined && store.progress.name !== name) {
          change((progress) => {
            progress.name = name;
          });
          // "Asha R." ends its own sentence: no second period.
          talkLines(context, `Your name is saved as ${terminalSafe(name)}${name.endsWith('.') ? '' : '.'}`);
        }
        if (flags.export !== undefined) {
          const learner = store.progress.name;
          if (!learner) throw new InputError('ERR_NO_NAME', 'An export is named for you, and no name is saved yet.', 'Add your name once: jwt-vs-oauth exercises progress --name "Asha Rao" --export');
          if (toStdout) return void context.streams.stdout.write(exportText(store.progress));
          const [{ statSync }, { join }] = await Promise.all([import('node:fs'), import('node:path')]);
          const given = typeof flags.export === 'string' ? flags.export : '.';
          let isFolder = false;
          try {
            isFolder = statSync(given).isDirectory();
          } catch {
            // A new file: written as named.
          }
          const file = isFolder ? join(given, exportFileName(learner)) : given;
          // Into a folder: the learner's own earlier export there under another name (a rename) is replaced too.
          const outcome = exportProgress(store.progress, file, flags.force, { liveFile: store.file, ...(isFolder ? { replaceOwnIn: given } : {}) });
          for (const earlier of outcome.removed) talkLines(context, `Removed your earlier export ${terminalSafe(earlier.file)}${earlier.name ? ` (as ${terminalSafe(earlier.name)})` : ''}: this one replaces it, so your teacher counts you once.`);
          for (const kept of outcome.keptSameSeed) talkLines(context, `${MARK.warn} ${terminalSafe(kept)} has your seed but not all of your progress now (a reset, or someone else's copy), so it was left as it is; if it is yours, remove it.`, output.talkColour.yellow);
          if (flags.json) return printJson(output, { file: outcome.file, replaced: outcome.replaced, removed: outcome.removed.map((earlier) => earlier.file) });
          for (const line of wrapParagraph(terminalSafe(outcome.file), viewWidths(context).width)) output.result(line);
          talkLines(context, outcome.replaced === 'earlier-export'
            ? `Replaced your earlier export with your progress now. Hand ${terminalSafe(file)} to your teacher.`
            : outcome.replaced === 'other-file'
              ? `Replaced ${terminalSafe(file)} (it was not your earlier export; --force). Hand it to your teacher.`
              : `Saved your progress, with your name and seed, as ${terminalSafe(file)}. Hand it to your teacher.`);
          return;
        }
        const { summarise } = await import('../../lessons/exercises.js');
        const summary = summarise(exercises, store.progress.exercises);
        if (flags.json) return printJson(output, { seed, name: store.progress.name ?? null, ...summary });
        const { width } = viewWidths(context);
        const print = (lines: string[]) => lines.forEach((line) => output.result(line));
        print(wrapParagraph(`${store.progress.name ? `${terminalSafe(store.progress.name)}: ` : ''}${summary.passed} of ${summary.total} exercises passed.`, width));
        print(layoutTable(Object.entries(summary.topics).filter(([, counts]) => counts.total).map(([topic, counts]) => [topic, `${counts.passed} of ${counts.total}`]), width, { indent: '  ', gap: 3 }));
        // Validated as dates when read; escaped anyway, as everything read from a file is.
        const when = (value: string | null) => (value === null ? 'none yet' : terminalSafe(value));
        print(wrapParagraph(`First activity: ${when(summary.firstActivity)}; last: ${when(summary.lastActivity)}.`, width).map((line) => output.colour.dim(line)));
      }),
    reportCommand(context),
    worksheetCommand(context),
    new Command('reset')
      .description('Forget one exercise\'s progress (reset <id>), or every exercise\'s (reset --all, which asks first on a terminal)')
      .argument('[id]', 'the exercise')
      .option('--all', 'every exercise')
      .option('--yes', 'do not ask (needed without a terminal for --all)')
      .addHelpText('after', () => helpExamples(context, [['jwt-vs-oauth exercises reset read-subject', 'one exercise'], ['jwt-vs-oauth exercises reset --all', 'everything (asks first)']]) + '\nPasses, attempts and hints are forgotten; that you had an answer shown (hint --reveal) stays on record.\n')
      .action(async (id: string | undefined, flags: { all?: boolean; yes?: boolean }, command: Command) => {
        const { exercises, output, change, pick } = await setUp(context, command);
        if (!id && !flags.all) throw new InputError('ERR_USAGE', 'Name the exercise to reset, or add --all to reset every exercise.', 'Example: jwt-vs-oauth exercises reset read-subject, or: jwt-vs-oauth exercises reset --all');
        const targets = flags.all ? exercises.map((exercise) => exercise.id) : [pick(id!).exercise.id];
        if (!flags.yes) {
          if (output.stdinIsTerminal && output.stderrIsTerminal) {
            const [{ confirm }, { promptTheme }] = await Promise.all([import('@inquirer/prompts'), import('../prompt-theme.js')]);
            const sure = await confirm({ message: flags.all ? `Forget your progress on all ${targets.length} exercises?` : `Forget your progress on ${targets[0]}?`, default: false, theme: promptTheme }, { input: context.streams.stdin, output: context.streams.stderr });
            if (!sure) return output.talk('Nothing was reset.');
          } else if (flags.all) {
            throw new InputError('ERR_CONFIRM', 'reset --all forgets every exercise; without a terminal to ask, add --yes.');
          }
        }
        change((progress) => {
          for (const target of targets) {
            delete progress.exercises.passed[target];
            delete progress.exercises.hintsShown[target];
            delete progress.exercises.attempts[target];
          }
        });
        output.talk(flags.all ? `Reset all ${targets.length} exercises.` : `Reset ${targets[0]}.`);
      }),
  ];
}

const SORT_ORDERS = ['name', 'passed', 'last'] as const;
/** Short column headings for the topics, explained under the table. */
const TOPIC_HEADINGS: Record<string, string> = { 'read-a-token': 'read', 'make-a-token': 'make', 'find-the-flaw': 'flaw', 'oauth-by-hand': 'oauth', choose: 'choose', 'fix-a-mistake': 'fix' };
const MOST_FAILED_SHOWN = 5;

function reportCommand(context: CommandContext): Command {
  return new Command('report')
    .description('For teachers: one row per learner from their progress files, and the exercises most failed')
    .argument('<files...>', 'progress files (exports, or progress.json), or folders of them')
    .option('--exercise <id>', 'one exercise: a row per learner with passed, attempts, hints and whether they saw the answer')
    .option('--json', 'as JSON: {exercises, learners: [{name, seed, file, passed, total, topics, attempts, hintsShown, revealed, firstActivity, lastActivity, exercises: {<id>: {passed, passedAt, attempts, hints, revealed, revealedAt}}}], mostFailed, skipped, warnings}; with --exercise, {exercise, learners}')
    .option('--csv', 'as CSV, one row per learner (for a spreadsheet)')
    .option('--sort <order>', 'name (A to Z), passed (fewest first) or last (longest inactive first)', 'name')
    .addHelpText('after', () => helpExamples(context, [
      ['jwt-vs-oauth exercises report class/', 'every file in the folder class/'],
      ['jwt-vs-oauth exercises report progress-*.json --sort passed', 'who needs help first'],
      ['jwt-vs-oauth exercises report class/ --exercise pkce-challenge', 'who is stuck on pkce-challenge, who saw its answer'],
      ['jwt-vs-oauth exercises report class/ --csv > class.csv', 'for a spreadsheet'],
      ['jwt-vs-oauth ex --pack ./class-pack report class/', 'counting the pack\'s exercises too'],
    ]) + '\nLearners make their file with:\n  $ jwt-vs-oauth exercises progress --name "Their Name" --export\n'
      + 'Files that are not progress files (and links, folders inside a folder, names starting with a dot) are skipped, one line each on stderr. Two files with one seed: one learner who changed name when the later holds all of the earlier\'s progress (counted once), else a copied file (both counted, with a warning).\n'
      + 'Progress is self-reported: it is kept on each learner\'s own machine.\nExit codes: 0 a report, 2 no progress file among those given, or an unknown --exercise.\n')
    .action(async (paths: string[], flags: { json?: boolean; csv?: boolean; sort: string; exercise?: string }, command: Command) => {
      if (flags.json && flags.csv) throw new InputError('ERR_USAGE', 'Choose one of --json and --csv.');
      if (!(SORT_ORDERS as readonly string[]).includes(flags.sort)) throw new InputError('ERR_USAGE', `--sort takes ${SORT_ORDERS.join(', ')}; not "${terminalSafe(flags.sort)}".`, 'Example: --sort passed');
      const parentFlags = command.optsWithGlobals() as ParentFlags;
      const [{ loadExercises, findExercise }, paths_, { collectFiles, buildReport, reportCsv, exerciseDetail, exerciseDetailCsv, nameLookAlikeKey }, { join }] = await Promise.all([
        import('../../lessons/exercises.js'),
        import('../../lessons/paths.js'),
        import('../../lessons/class-report.js'),
        import('node:path'),
      ]);
      const exercises = loadExercises(join(paths_.lessonsFolder(), 'exercises'), packFolder(parentFlags.pack, context.streams.env));
      // Before any file is read: an unknown id is a usage error.
      const chosen = flags.exercise === undefined ? undefined : findExercise(exercises, flags.exercise);
      const output = context.output();
      const { found, skipped } = collectFiles(paths);
      const report = buildReport(exercises, found, skipped, flags.sort as (typeof SORT_ORDERS)[number]);
      const { width, talkWidth } = viewWidths(context);
      const warn = (text: string) => wrapParagraph(text, talkWidth, { lead: `${MARK.warn} `, hang: '  ' }).forEach((line, index) => output.talk(index === 0 ? output.talkColour.yellow(MARK.warn) + line.slice(MARK.warn.length) : line));
      for (const entry of report.skipped) warn(`skipped ${terminalSafe(entry.file)}: ${terminalSafe(entry.reason)}`);
      for (const warning of report.warnings) warn(terminalSafe(warning));
      if (report.learners.length === 0) {
        throw new InputError('ERR_NO_PROGRESS_FILES', `No progress file among ${paths.length === 1 ? terminalSafe(paths[0]!) : `the ${paths.length} paths given`}.`, 'Ask each learner for: jwt-vs-oauth exercises progress --name "Their Name" --export');
      }
      if (chosen) {
        const rows = exerciseDetail(report, chosen.id);
        // Who needs help first: not passed, then the most attempts.
        if (flags.sort === 'passed') rows.sort((one, other) => Number(one.passed) - Number(other.passed) || other.attempts - one.attempts);
        if (flags.json) return printJson(output, { exercise: { id: chosen.id, title: chosen.title, topic: chosen.topic }, learners: rows });
        if (flags.csv) return void context.streams.stdout.write(exerciseDetailCsv(rows));
        for (const line of exerciseTable(chosen, rows, width, output, nameLookAlikeKey)) output.result(line);
        return;
      }
      if (flags.json) return printJson(output, report);
      if (flags.csv) return void context.streams.stdout.write(reportCsv(report));
      for (const line of reportTable(report, width, output, nameLookAlikeKey)) output.result(line);
    });
}

type ReportData = import('../../lessons/class-report.js').ClassReport;
type LearnerData = Pick<ReportData['learners'][number], 'name' | 'seed'>;

/** The learner's cell: the name; with the seed when two learners' names look alike (nameLookAlikeKey); the seed alone when there is no name. */
function learnerCells(learners: LearnerData[], lookAlikeKey: (name: string) => string): (row: LearnerData) => string {
  const namesSeen = new Map<string, number>();
  for (const row of learners) if (row.name) namesSeen.set(lookAlikeKey(row.name), (namesSeen.get(lookAlikeKey(row.name)) ?? 0) + 1);
  return (row) => terminalSafe(row.name === null ? `(seed ${truncateToWidth(row.seed, 12)})` : (namesSeen.get(lookAlikeKey(row.name)) ?? 0) > 1 ? `${row.name} (${truncateToWidth(row.seed, 8)})` : row.name);
}

const timeCell = (value: string | null, none: string) => (value === null ? none : `${new Date(value).toISOString().slice(0, 16).replace('T', ' ')}`);

/**
 * Rows of cells as aligned lines: text to the left, counts to the right (`left` says which columns
 * hold text). The first column is shortened (with …) when the lines would be wider than `width`.
 */
function alignedTable(headings: string[], rows: string[][], left: Set<number>, width: number): { lines: string[]; /** Before any name was shortened. */ width: number; /** As shown. */ shownWidth: number } {
  const measure = (cells: string[][]) => headings.map((heading, index) => Math.max(displayWidth(heading), ...cells.map((row) => displayWidth(row[index]!))));
  let widths = measure(rows);
  const total = () => widths.reduce((sum, each) => sum + each, 0) + 2 * (widths.length - 1);
  const natural = total();
  let shown = rows;
  if (natural > width) {
    const nameWidth = Math.max(10, widths[0]! - (total() - width));
    shown = rows.map(([name, ...rest]) => [truncateToWidth(name!, nameWidth), ...rest]);
    widths = measure(shown);
  }
  const line = (cells: string[]) => cells.map((cell, index) => (left.has(index) ? padEndVisible(cell, widths[index]!) : padStartVisible(cell, widths[index]!))).join('  ').trimEnd();
  return { lines: [line(headings), ...shown.map(line)], width: natural, shownWidth: total() };
}

/** The report as lines that fit `width`: per-topic columns go first, then the names are shortened; notes are wrapped at word boundaries. */
function reportTable(report: ReportData, width: number, output: Output, lookAlikeKey: (name: string) => string): string[] {
  const c = output.colour;
  const { learners } = report;
  const topics = Object.keys(TOPIC_HEADINGS).filter((topic) => learners.some((row) => row.topics[topic as keyof typeof row.topics]));
  const learnerCell = learnerCells(learners, lookAlikeKey);
  const build = (withTopics: boolean, withLast: boolean, lastHeading = 'last activity (UTC)') => {
    const headings = ['learner', 'passed', ...(withTopics ? topics.map((topic) => TOPIC_HEADINGS[topic]!) : []), 'attempts', 'hints', 'revealed', ...(withLast ? [lastHeading] : [])];
    const rows = learners.map((row) => [
      learnerCell(row),
      `${row.passed}/${row.total}`,
      ...(withTopics ? topics.map((topic) => {
        const counts = row.topics[topic as keyof typeof row.topics];
        return counts ? `${counts.passed}/${counts.total}` : '–';
      }) : []),
      String(row.attempts),
      String(row.hintsShown),
      String(row.revealed),
      ...(withLast ? [timeCell(row.lastActivity, 'never')] : []),
    ]);
    return alignedTable(headings, rows, new Set([0, headings.length - 1]), width);
  };
  // Narrower and narrower: the topic columns go first, then names are shortened, then the last
  // activity goes; on a terminal narrower still, a learner takes a few lines of their own.
  let withTopics = true;
  let withLast = true;
  let table = build(true, true);
  if (table.width > width) [withTopics, table] = [false, build(false, true)];
  if (table.shownWidth > width) table = build(false, true, 'last (UTC)');
  if (table.shownWidth > width) [withLast, table] = [false, build(false, false)];
  const tableLines = table.shownWidth <= width ? [c.bold(table.lines[0]!), ...table.lines.slice(1)] : learners.flatMap((row) => wrapKept(
    `${learnerCell(row)}: ${row.passed}/${row.total} passed, ${plural(row.attempts, 'attempt')}, ${plural(row.hintsShown, 'hint')}, ${row.revealed} revealed, last activity ${row.lastActivity === null ? 'never' : `${timeCell(row.lastActivity, '')} UTC`}`.replace(/(\d) (?=\w)/g, '$1\u00a0'),
    width,
    '  ',
  ));
  const note = (text: string) => wrapKept(text, width).map((line) => c.dim(line));
  const lines = [...wrapKept(`Class report: ${learners.length} learner${learners.length === 1 ? '' : 's'}, ${report.exercises} exercises.`, width), '', ...tableLines, ''];
  // A non-breaking space (\u00a0) keeps a phrase on one line: "hint --reveal".
  // The topics in the columns' order: each heading is a word of its topic's name.
  if (withTopics) lines.push(...note(`Topic columns, passed of total: ${topics.join(', ')}.`));
  else if (table.shownWidth <= width) lines.push(...note(`${withLast ? 'Per-topic columns were' : 'Per-topic and last-activity columns were'} left out to fit the terminal: --json and --csv have them.`));
  else lines.push(...note('A learner to a few lines, to fit the terminal; --json and --csv have the per-topic counts.'));
  lines.push(...note('Attempts and hints: every check and hint on these exercises; revealed: answers shown with hint\u00a0--reveal.'), '');
  const failed = report.mostFailed.slice(0, MOST_FAILED_SHOWN);
  if (failed.length === 0) {
    lines.push(...wrapKept('Most failed: none yet (no failed attempt on any exercise).', width));
    return lines;
  }
  const heading = `Most failed${report.mostFailed.length > failed.length ? `, the first ${failed.length} of ${report.mostFailed.length}` : ''} (most learners stuck first, then most failed attempts):`;
  lines.push(...wrapKept(heading, width).map((line) => c.bold(line)));
  const idWidth = Math.max(...failed.map((row) => displayWidth(row.id)));
  for (const row of failed) {
    lines.push(...wrapUnits(`  ${padEndVisible(row.id, idWidth)}  `, [
      `${row.notPassed} of ${row.tried} who tried have not passed`,
      plural(row.failedAttempts, 'failed attempt'),
      plural(row.hintsShown, 'hint'),
      `${row.revealed} saw the answer`,
    ], width));
  }
  lines.push('', ...note('Learner by learner on one of them: add --exercise\u00a0<id>'));
  return lines;
}

/** `report --exercise <id>`: one row per learner for that exercise. */
function exerciseTable(exercise: { id: string; title: string; topic: string }, rows: import('../../lessons/class-report.js').ExerciseDetailRow[], width: number, output: Output, lookAlikeKey: (name: string) => string): string[] {
  const c = output.colour;
  const learnerCell = learnerCells(rows, lookAlikeKey);
  const build = (withLast: boolean) => alignedTable(
    ['learner', 'passed', 'attempts', 'hints', 'saw the answer', ...(withLast ? ['last activity'] : [])],
    rows.map((row) => [learnerCell(row), timeCell(row.passedAt, 'no'), String(row.attempts), String(row.hints), timeCell(row.revealedAt, 'no'), ...(withLast ? [timeCell(row.lastActivity, 'never')] : [])]),
    new Set([0, 1, 4, 5]),
    width,
  );
  // Last activity goes first when the terminal is narrow; then the names are shortened.
  let table = build(true);
  if (table.width > width) table = build(false);
  const passed = rows.filter((row) => row.passed).length;
  const stuck = rows.filter((row) => !row.passed && row.attempts > 0).length;
  const saw = rows.filter((row) => row.revealed).length;
  return [
    ...wrapKept(`${terminalSafe(exercise.id)}: ${terminalSafe(exercise.title)} (${exercise.topic})`, width),
    ...wrapKept(`${rows.length} learner${rows.length === 1 ? '' : 's'}: ${passed} passed, ${stuck} tried and not passed yet, ${saw} saw the answer. Times in UTC.`, width),
    '',
    // Narrower still: a learner to a few lines, each value under its heading's name.
    ...(table.shownWidth <= width ? [c.bold(table.lines[0]!), ...table.lines.slice(1)] : layoutTable(
      rows.map((row) => [learnerCell(row), timeCell(row.passedAt, 'no'), String(row.attempts), String(row.hints), timeCell(row.revealedAt, 'no'), timeCell(row.lastActivity, 'never')]),
      width,
      { headings: ['learner', 'passed', 'attempts', 'hints', 'saw the answer', 'last activity'], minLastColumn: 16 },
    )),
  ];
}

/**
 * Text laid out at spaces into lines of at most `width` columns, later lines after `indent`; a
 * non-breaking space (\u00a0) keeps a phrase ("hint --reveal") on one line and prints as a space.
 */
function wrapKept(text: string, width: number, indent = ''): string[] {
  const lines = !Number.isFinite(width) || displayWidth(text) <= width ? [text] : wrapParagraph(text, width, { hang: indent });
  return lines.map((line) => line.replace(/\u00a0/g, ' '));
}

/** `prefix` then `units` joined by " · ", broken between units (a unit wider than a line, at its spaces); later lines under the first unit. */
function wrapUnits(prefix: string, units: string[], width: number): string[] {
  const oneLine = `${prefix}${units.join(' · ')}`;
  if (displayWidth(oneLine) <= width) return [oneLine];
  const lines: string[] = [];
  // Later lines start under the first unit, unless the prefix takes half the line: then it has one of its own.
  const hangsUnder = displayWidth(prefix) <= width / 2;
  const indent = ' '.repeat(hangsUnder ? displayWidth(prefix) : 4);
  if (!hangsUnder) lines.push(prefix.trimEnd());
  let current = hangsUnder ? prefix : indent;
  let holdsUnit = false;
  for (const [index, unit] of units.entries()) {
    const separator = holdsUnit ? ' · ' : '';
    // Room for the " ·" that ends a line broken after this unit.
    if (displayWidth(current + separator + unit) + (index < units.length - 1 ? 2 : 0) <= width) {
      current += separator + unit;
      holdsUnit = true;
      continue;
    }
    if (holdsUnit) {
      lines.push(`${current} ·`);
      current = indent;
    }
    const pieces = wrapParagraph(unit, width, { lead: current, hang: indent });
    lines.push(...pieces.slice(0, -1));
    current = pieces.at(-1)!;
    holdsUnit = true;
  }
  lines.push(current);
  return lines;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}


function padStartVisible(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}

function worksheetCommand(context: CommandContext): Command {
  return new Command('worksheet')
    .description('A Markdown worksheet of a learner\'s seeded tasks, for paper or an LMS; --answers for the teacher\'s key')
    .argument('[id...]', 'only these exercises (default: the pack\'s, when --pack is given; else the built-in ones)')
    .option('--answers', 'the teacher\'s key: each task\'s answers, computed from the seed, with how they are made (asks for the pack\'s teacher passphrase when it sets one, as solution --teacher does)')
    .option('--title <text>', 'the sheet\'s heading', 'JWT and OAuth exercises')
    .option('--paper', 'for printing: long values (tokens, challenges) in blocks broken into lines of 64 characters, with a note (without it, each is one code span to copy, as an LMS page wants)')
    .option('--json', 'as JSON: {seed, pack, exercises: [{id, title, topic, task, choices, answerNames, key?}]}')
    .addHelpText('after', () => helpExamples(context, [
      ['jwt-vs-oauth exercises --seed asha-rao worksheet > sheet.md', 'the tasks made for the seed "asha-rao"'],
      ['jwt-vs-oauth exercises --seed asha-rao worksheet --answers > key.md', 'the same tasks with their answers'],
      ['jwt-vs-oauth exercises --seed asha-rao worksheet --paper > sheet.md', 'for printing: long tokens broken into short lines'],
      ['jwt-vs-oauth ex --pack ./class-pack --seed 7 worksheet', 'a pack\'s exercises'],
      ['jwt-vs-oauth exercises worksheet read-subject flaw-one', 'some exercises, with your own seed'],
    ]) + '\nWithout --seed, the sheet uses your own seed (the one stored with your progress). A learner checks answers on a computer with the same seed (and pack):\n  $ jwt-vs-oauth exercises [--pack <dir>] --seed <seed> check <id> <answer>\n')
    .action(async (ids: string[], flags: { answers?: boolean; title: string; json?: boolean; paper?: boolean }, command: Command) => {
      if (flags.title.trim() === '' || flags.title.length > 200 || hasControlCharacters(flags.title)) throw new InputError('ERR_USAGE', '--title takes one line of text, at most 200 characters.', 'Example: --title "Week 3: reading tokens"');
      const parentFlags = command.optsWithGlobals() as ParentFlags;
      const { exercises, seed, output, settings } = await setUp(context, command);
      // The key is what `solution --teacher` shows, so it asks for the same teacher passphrase.
      if (flags.answers) await confirmTeacherAs('--answers', context, output, settings);
      const [{ loadExercises, findExercise }, paths, { worksheetEntries, worksheetMarkdown }, { join }] = await Promise.all([
        import('../../lessons/exercises.js'),
        import('../../lessons/paths.js'),
        import('../../lessons/worksheet.js'),
        import('node:path'),
      ]);
      const builtInIds = new Set(loadExercises(join(paths.lessonsFolder(), 'exercises')).map((exercise) => exercise.id));
      const pack = packFolder(parentFlags.pack, context.streams.env);
      const chosen = ids.length ? ids.map((id) => findExercise(exercises, id)) : exercises.filter((exercise) => !pack || !builtInIds.has(exercise.id));
      if (flags.json) return printJson(output, { seed, pack: pack ?? null, exercises: worksheetEntries(chosen, seed, Boolean(flags.answers)) });
      context.streams.stdout.write(worksheetMarkdown(chosen, { seed, pack, answers: Boolean(flags.answers), title: flags.title, paper: Boolean(flags.paper), width: viewWidths(context).width }));
      if (output.stdoutIsTerminal) output.talk(output.talkColour.dim('To save it: add > sheet.md'));
    });
}

/**
 * confirmTeacher (shared with `solution --teacher`) names --teacher in what it says; here the
 * option the user typed is `option`, so its words say that instead.
 */
async function confirmTeacherAs(option: string, context: CommandContext, output: Output, settings: Parameters<typeof confirmTeacher>[2]): Promise<void> {
  const rename = (text: string) => text.replaceAll('--teacher', option);
  try {
    await confirmTeacher(context, { ...output, talk: (text: string) => output.talk(rename(text)) }, settings);
  } catch (error) {
    if (error instanceof InputError && error.code === 'ERR_TEACHER_KEY') throw new InputError(error.code, rename(error.message), error.hint === undefined ? undefined : rename(error.hint));
    throw error;
  }
}

/** Talk (stderr) laid out to stderr's width, each line in `colour` when given. */
function talkLines(context: CommandContext, text: string, colour: (line: string) => string = (line) => line): void {
  for (const line of wrapProse(text, viewWidths(context).talkWidth, { hang: text.startsWith(`${MARK.warn} `) ? '  ' : '' })) context.output().talk(colour(line));
}
