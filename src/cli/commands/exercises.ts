// `jwt-vs-oauth exercises` (alias `ex`): classroom exercises that check themselves, with hints,
// solutions after a pass, progress, and teacher packs.

import { Command, Option, type Argument } from 'commander';
import type { CommandContext } from '../context.js';
import { MARK, printJson, shortenMiddle, type Output } from '../output.js';
import { EXIT, InputError } from '../../errors.js';
import { terminalSafe } from '../../text/terminal-safe.js';
import { exercisesProgressCommands } from './exercises-progress.js';
import { checkedSeed, confirmTeacher, packFolder, renderTask, setUp, TEACHER_KEY_VARIABLE, type ParentFlags } from './exercises-setup.js';
import type { Exercise } from '../../lessons/exercise-schema.js';
import type { PackSettings } from '../../lessons/exercises.js';
import type { Material } from '../../lessons/material.js';
import type { Progress } from '../../lessons/progress.js';
import { exerciseClients, exercisesStartCommand } from './exercises-start.js';
import { helpExamples, labelledLines, layoutProse, layoutValue, viewWidths, wrapProse } from './exercises-layout.js';
import { displayWidth, joinBrokenLines, layoutCommand, layoutTable, padEndVisible, wrapParagraph } from '../../text/layout.js';

export function exercisesCommand(context: CommandContext): Command {
  const parent = new Command('exercises')
    .alias('ex')
    .description('Classroom exercises that check themselves: read, make and break tokens, and OAuth by hand. With hints, solutions after a pass, and progress.')
    .option('--pack <dir>', 'add a teacher\'s exercises from this folder (or set JWT_VS_OAUTH_PACK)')
    .option('--seed <seed>', 'generate tokens from this seed instead of your own (each learner has one): 1 to 256 characters, no control characters')
    .addHelpText('after', () => helpExamples(context, [
      ['jwt-vs-oauth exercises', 'on a terminal: pick an exercise from a menu'],
      ['jwt-vs-oauth exercises list', 'all exercises, with ✓ for done'],
      ['jwt-vs-oauth exercises show read-subject', 'the task'],
      ['jwt-vs-oauth exercises check read-subject asha', 'check an answer'],
      ['jwt-vs-oauth exercises hint read-subject', 'one more hint each time'],
      ['jwt-vs-oauth exercises hint read-subject --reveal', 'the answer, after 3 failed attempts'],
      ['jwt-vs-oauth exercises start oauth-access-token', 'run what an exercise needs (Mock Google)'],
      ['jwt-vs-oauth ex --pack ./class-pack list', 'with a teacher\'s pack'],
      ['jwt-vs-oauth ex --pack ./class-pack selftest', 'for teachers: every reference solution passes'],
      ['jwt-vs-oauth ex --pack ./class-pack teacher-key --write', 'for teachers: a passphrase for --teacher, into the pack\'s pack.json'],
    ]) + '\nEach command has options of its own:\n  $ jwt-vs-oauth exercises <command> --help\nExit codes: check and selftest exit 0 on a pass, 1 on a fail; 2 for bad usage or an unknown exercise.\n')
    // Commands listed with their arguments only ("check <id> [answer...]"): without "[options]"
    // on each, the terms leave the descriptions a column of their own at 60 columns.
    .configureHelp({ subcommandTerm: (subcommand) => [subcommand.name(), ...subcommand.registeredArguments.map(argumentTerm)].join(' ') })
    .action(async (_flags: ParentFlags, command: Command) => {
      const output = context.output();
      if (!(output.stdinIsTerminal && output.stdoutIsTerminal)) {
        context.streams.stdout.write(command.helpInformation());
        return;
      }
      const { runExerciseMenu } = await import('./exercises-menu.js');
      await runExerciseMenu(context, command);
    });

  parent.addCommand(new Command('list')
    .description('List the exercises: id, title, topic, done')
    .option('--json', 'as JSON: {exercises: [{id, title, topic, done}]}')
    .addHelpText('after', () => helpExamples(context, [['jwt-vs-oauth exercises list', 'with ✓ for done'], ['jwt-vs-oauth ex --pack ./class list --json', 'with a pack, as JSON']]))
    .action(async (flags: { json?: boolean }, command: Command) => {
      const { exercises, store, output } = await setUp(context, command);
      const rows = exercises.map((exercise) => ({ id: exercise.id, title: exercise.title, topic: exercise.topic, done: Boolean(store.progress.exercises.passed[exercise.id]) }));
      if (flags.json) return printJson(output, { exercises: rows });
      const { width } = viewWidths(context);
      const idWidth = Math.max(...rows.map((row) => displayWidth(row.id)));
      const mark = (row: (typeof rows)[number]) => (row.done ? output.colour.green(MARK.ok) : ' ');
      const lines = rows.map((row) => `${mark(row)} ${padEndVisible(row.id, idWidth)}  ${row.title}${output.colour.dim(`  (${row.topic})`)}`);
      // Too wide: the titles wrap under themselves, or each title goes under its id when even that does not fit.
      const fits = lines.every((line) => displayWidth(line) <= width);
      for (const line of fits ? lines : layoutTable(rows.map((row) => [`${mark(row)} ${row.id}`, `${row.title} ${output.colour.dim(`(${row.topic})`)}`]), width, { minLastColumn: 20 })) output.result(line);
      output.result('');
      for (const line of wrapParagraph(`${rows.filter((row) => row.done).length} of ${rows.length} done. ✓ marks a passed exercise.`, width)) output.result(output.colour.dim(line));
    }));

  parent.addCommand(new Command('show')
    .description('Show an exercise\'s task, with the material made for you')
    .argument('<id>', 'the exercise')
    .option('--material <name>', 'print only this value from the task, as it is (to save in a file): such as token or issuerKey')
    .option('--json', 'as JSON: {id, title, topic, task, choices, needs}; with --material, {id, name, value}')
    .addHelpText('after', () => helpExamples(context, [
      ['jwt-vs-oauth exercises show read-expiry', 'the task, with your token'],
      ['jwt-vs-oauth exercises show flaw-two --material issuerKey > issuer.pem', 'save the issuer\'s public key for verify --key'],
    ]))
    .action(async (id: string, flags: { json?: boolean; material?: string }, command: Command) => {
      const { store, output, pick } = await setUp(context, command);
      const { taskText, taskMaterialNames } = await import('../../lessons/exercises.js');
      const { exercise, material } = pick(id);
      if (flags.material !== undefined) {
        // Only what the task shows: other names (flaw, sub, …) are the answers.
        const shown = taskMaterialNames(exercise);
        if (!shown.includes(flags.material)) {
          throw new InputError('ERR_NO_SUCH_MATERIAL', `${id}'s task shows no material called "${terminalSafe(flags.material)}".`, shown.length ? `It shows: ${shown.join(', ')}. Example: jwt-vs-oauth exercises show ${id} --material ${shown.at(-1)}` : `${id} has no material of its own.`);
        }
        const value = material[flags.material]!;
        if (flags.json) return printJson(output, { id, name: flags.material, value });
        // To a file or a pipe, the value exactly (it is saved as it is); on a terminal, laid out to fit.
        const printed = output.stdoutIsTerminal ? layoutValue(value.replace(/\n$/, ''), viewWidths(context).width) : value;
        context.streams.stdout.write(printed.endsWith('\n') ? printed : `${printed}\n`);
        return;
      }
      const task = taskText(exercise, material);
      if (flags.json) return printJson(output, { id: exercise.id, title: exercise.title, topic: exercise.topic, task, choices: exercise.choices ?? null, needs: exercise.needs ?? null });
      output.result(renderTask(exercise, task, output, Boolean(store.progress.exercises.passed[exercise.id]), viewWidths(context).width));
    }));

  parent.addCommand(exercisesStartCommand(context));

  parent.addCommand(new Command('check')
    .description('Check your answer: says what it checked and, when something is wrong, which rule failed and why (never the expected value)')
    .argument('<id>', 'the exercise')
    .argument('[answer...]', 'your answer, "-" to read it from stdin (some exercises take two: a token, then a secret)')
    .option('--json', 'as JSON: {id, passed, input, checks: [{label, expected, got, ok, why?}]}; expected is the rule, never the answer')
    // Set by the exercises menu, which runs this command: its feedback names the menu's items, not commands.
    .addOption(new Option('--in-menu').hideHelp())
    .addHelpText('after', () => helpExamples(context, [
      ['jwt-vs-oauth exercises check read-subject asha', 'an answer'],
      ['jwt-vs-oauth exercises check choose-own-api b', 'a choice: b, B, 2, (b), b) or the choice\'s text'],
      ['jwt-vs-oauth exercises check make-practice-token "$TOKEN"', 'a token (also "Bearer …", a URL or a JSON token response)'],
      ['jwt-vs-oauth mint … | jwt-vs-oauth exercises check make-practice-token -', 'the answer from stdin'],
      ['jwt-vs-oauth exercises check fix-short-secret "$TOKEN" "$SECRET"', 'two answers'],
    ]) + '\nAnswers are compared exactly, as a verifier compares them: asha is not Asha, HS256 is not hs256 (RFC 7519 §2, RFC 7515 §4.1.1).\nExit codes: 0 passed, 1 not yet, 2 bad usage (a missing answer, something that is not one of the choices or flaw names, Mock Google not running for oauth-access-token): not counted as an attempt.\n')
    .action(async (id: string, words: string[], flags: { json?: boolean; inMenu?: boolean }, command: Command) => {
      const { store, settings, output, change, touch, pick, publishedIn } = await setUp(context, command);
      const [{ runCheck, flawName, takesFlawName }, { choiceIndex, choiceForms }, { revealAfterFor }] = await Promise.all([import('../../lessons/checks.js'), import('../../lessons/choices.js'), import('../../lessons/exercises.js')]);
      const { exercise, material } = pick(id);
      const answers = await answersFor(context, output, exercise, words);
      const quoted = () => `"${terminalSafe(shortenMiddle(answers[0]!.trim(), 40))}"`;
      // Not one of the choices is a slip of the keyboard, not a wrong pick: say the forms, count nothing.
      if (exercise.check.kind === 'choice' && choiceIndex(exercise.choices!, answers[0]!) === undefined) {
        throw new InputError('ERR_NOT_A_CHOICE', `${quoted()} is not one of the choices of ${id}; this try was not counted.`, `Answer with ${choiceForms(exercise.choices!)}; see them with: jwt-vs-oauth exercises show ${id}`);
      }
      // Likewise a find-the-flaw answer that is not one of the listed names ("it is expired"): not a pick.
      if (takesFlawName(exercise) && flawName(exercise, answers[0]!) === undefined) {
        throw new InputError('ERR_NOT_A_FLAW_NAME', `${quoted()} is not one of the flaw names of ${id}; this try was not counted.`, `Answer with one of: ${exercise.material!.pool!.join(', ')}. Example: jwt-vs-oauth exercises check ${id} ${exercise.material!.pool![0]}`);
      }
      const result = await runCheck(exercise, answers, { material, providerIssuer: store.progress.exercises.provider?.issuer, now: context.now(), publishedIn });
      let attempts = 0;
      change((progress) => {
        touch(progress);
        const state = progress.exercises;
        attempts = state.attempts[id] = (state.attempts[id] ?? 0) + 1;
        if (result.passed && !state.passed[id]) state.passed[id] = { at: new Date(context.now() * 1000).toISOString() };
      });
      context.exitCode = result.passed ? EXIT.ok : EXIT.checkFailed;
      if (flags.json) return printJson(output, { id, passed: result.passed, input: result.input, checks: result.lines });
      const c = output.colour;
      const { width } = viewWidths(context);
      const print = (lines: string[]) => lines.forEach((line) => output.result(line));
      print(wrapProse(`Checking ${exercise.id}: ${exercise.title}`, width).map((line) => c.bold(line)));
      // What was sent, and what a check read from it (a claim, an error), may hold control characters.
      print(wrapParagraph(result.input.map((answer) => terminalSafe(shortenMiddle(answer, 30))).join('  ·  '), width, { lead: '  input: ' }));
      for (const line of result.lines) {
        print(wrapProse(terminalSafe(line.label), width, { lead: `  ${line.ok ? c.green(MARK.ok) : c.red(MARK.fail)} ` }));
        // got may echo the whole answer (a megabyte pasted by mistake): its middle goes, as on the input line; --json keeps it whole.
        print(labelledLines([['expected:', terminalSafe(line.expected)], ['got:', terminalSafe(shortenMiddle(line.got, GOT_KEEP))], ...(line.why ? [['why:', terminalSafe(line.why)] as const] : [])], width, '      '));
      }
      const revealAfter = revealAfterFor(exercise, settings);
      const reveal = revealAfter > 0 && attempts >= revealAfter ? `jwt-vs-oauth exercises hint ${id} --reveal` : undefined;
      // In the menu, its own "A hint" item; the answer has no item there, so its command is named.
      const next = flags.inMenu
        ? ` For a hint, choose A hint.${reveal ? ` The answer: ${reveal}` : ''}`
        : ` A hint: jwt-vs-oauth exercises hint ${id}${reveal ? `; the answer: ${reveal}` : ''}`;
      print(wrapProse(result.passed
        ? c.green(`${MARK.ok} Passed.`) + ` See the worked solution: jwt-vs-oauth exercises solution ${id}`
        : c.red(`${MARK.fail} Not yet.`) + next, width, { hang: '  ' }));
    }));

  parent.addCommand(new Command('hint')
    .description('Show the next hint (they come one at a time); after enough failed attempts, --reveal shows the answer')
    .argument('<id>', 'the exercise')
    .option('--reveal', 'show the answer: after a number of failed attempts (3 unless the exercise or pack says otherwise), or after a pass')
    .option('--json', 'as JSON: {id, hints: [shown so far], total, reveal: {after, failedAttempts, open}}; with --reveal, {id, revealed, commands, answers} or {id, revealed: false, reason}')
    .addHelpText('after', () => helpExamples(context, [['jwt-vs-oauth exercises hint read-subject', 'run again for the next one'], ['jwt-vs-oauth exercises hint read-subject --reveal', 'the answer, after 3 failed attempts']]) + '\nExit codes: 0 shown, 1 the answer is not open yet (--reveal), 2 bad usage.\n')
    .action(async (id: string, flags: { json?: boolean; reveal?: boolean }, command: Command) => {
      const { store, settings, output, change, touch, pick } = await setUp(context, command);
      const { fillTemplate } = await import('../../lessons/template.js');
      const { exercise, material } = pick(id);
      const gate = await revealGate(exercise, store.progress, settings);
      if (flags.reveal) {
        if (!gate.open) {
          context.exitCode = EXIT.checkFailed;
          if (flags.json) return printJson(output, { id, revealed: false, reason: gate.message });
          for (const line of wrapProse(`${gate.message} A hint: jwt-vs-oauth exercises hint ${id}`, viewWidths(context).width)) output.result(line);
          return;
        }
        const { commands, answers } = await answerOf(exercise, material);
        // For the teacher's report: who had the answer shown before passing, and when first.
        if (!gate.passed) {
          const { recordReveal } = await import('../../lessons/progress.js');
          change((progress) => {
            recordReveal(progress, id, new Date(context.now() * 1000).toISOString());
            touch(progress);
          });
        }
        if (flags.json) return printJson(output, { id, revealed: true, commands, answers });
        const { width } = viewWidths(context);
        for (const line of wrapParagraph(`The answer to ${id}${gate.passed ? '' : `, after ${gate.failedAttempts} failed attempts`}:`, width)) output.result(output.colour.bold(line));
        for (const line of answerLines(commands, answers, width)) output.result(line);
        if (!gate.passed) for (const line of wrapProse(`Now send it: jwt-vs-oauth exercises check ${id} …; the worked solution opens once it passes.`, width)) output.result(output.colour.dim(line));
        return;
      }
      let shown = 0;
      change((progress) => {
        shown = Math.min((progress.exercises.hintsShown[id] ?? 0) + 1, exercise.hints.length);
        progress.exercises.hintsShown[id] = shown;
        touch(progress);
      });
      const hints = exercise.hints.slice(0, shown).map((hint) => fillTemplate(hint, material));
      if (flags.json) return printJson(output, { id, hints, total: exercise.hints.length, reveal: { after: gate.revealAfter, failedAttempts: gate.failedAttempts, open: gate.open } });
      const { width } = viewWidths(context);
      hints.forEach((hint, index) => layoutProse(hint, width, { lead: `Hint ${index + 1} of ${exercise.hints.length}: `, hang: '  ' }).forEach((line) => output.result(line)));
      if (shown === exercise.hints.length) for (const line of wrapProse(`That was the last hint. ${gate.open ? `See the answer: jwt-vs-oauth exercises hint ${id} --reveal` : gate.message}`, width)) output.result(output.colour.dim(line));
    }));

  parent.addCommand(new Command('solution')
    .description('Show the worked solution: only after the exercise passes, or with --teacher (which asks for the pack\'s teacher passphrase when it sets one)')
    .argument('<id>', 'the exercise')
    .option('--teacher', 'show it anyway, for teachers: asks for the passphrase (or reads JWT_VS_OAUTH_TEACHER_KEY) when the pack sets a teacherKey')
    .option('--json', 'as JSON: {id, explain, commands, answers}; before a pass, {id, locked: true, reason, answerOpen, next}')
    .addHelpText('after', () => helpExamples(context, [
      ['jwt-vs-oauth exercises solution read-subject', 'after it passes'],
      ['jwt-vs-oauth exercises --pack ./class-pack solution read-subject --teacher', 'for a teacher: asks for the passphrase'],
      ['JWT_VS_OAUTH_TEACHER_KEY=… jwt-vs-oauth exercises --pack ./class-pack solution read-subject --teacher', 'the same, without a terminal'],
    ]) + '\nExit codes: 0 shown, 1 not open yet, 2 bad usage or a wrong teacher passphrase.\n')
    .action(async (id: string, flags: { teacher?: boolean; json?: boolean }, command: Command) => {
      const { store, settings, output, pick } = await setUp(context, command);
      const { fillTemplate } = await import('../../lessons/template.js');
      const { exercise, material } = pick(id);
      if (flags.teacher) await confirmTeacher(context, output, settings);
      else if (!store.progress.exercises.passed[id]) {
        const gate = await revealGate(exercise, store.progress, settings);
        const next = gate.open ? `You may see the answer: jwt-vs-oauth exercises hint ${id} --reveal` : `${gate.message} A hint: jwt-vs-oauth exercises hint ${id}`;
        context.exitCode = EXIT.checkFailed;
        if (flags.json) return printJson(output, { id, locked: true, reason: `The worked solution opens once ${id} passes.`, answerOpen: gate.open, next });
        for (const line of wrapProse(`The worked solution opens once ${id} passes. ${next}`, viewWidths(context).width)) output.result(line);
        return;
      }
      const explain = exercise.solution.explain.map((paragraph) => fillTemplate(paragraph, material));
      const { commands, answers } = await answerOf(exercise, material);
      if (flags.json) return printJson(output, { id, explain, commands, answers });
      const { width } = viewWidths(context);
      for (const line of wrapParagraph(`Solution: ${exercise.title}`, width)) output.result(output.colour.bold(line));
      for (const paragraph of explain) layoutProse(paragraph, width).forEach((line) => output.result(line));
      for (const line of answerLines(commands, answers, width)) output.result(line);
    }));

  parent.addCommand(new Command('teacher-key')
    .description('For teachers: make a pack\'s teacherKey (a salted scrypt hash of a passphrase you keep), which --teacher asks for; prints the pack.json with it, or --write saves it into the pack\'s pack.json')
    .option('--write', 'write it into the pack.json of --pack (or JWT_VS_OAUTH_PACK), keeping its other settings, atomically')
    .addHelpText('after', () => helpExamples(context, [
      ['jwt-vs-oauth exercises --pack ./class-pack teacher-key --write', 'on a terminal: asks for the passphrase twice; keeps revealAfter and any other setting'],
      ['printf %s "$PASSPHRASE" | jwt-vs-oauth exercises --pack ./class-pack teacher-key --write', 'the passphrase from stdin (or set JWT_VS_OAUTH_TEACHER_KEY)'],
      ['jwt-vs-oauth exercises --pack ./class-pack teacher-key', 'print the pack.json it would write: the pack\'s settings with the new key'],
    ]) + '\nWithout --write the output is the whole pack.json: {"teacherKey": "$scrypt$ln=17,r=8,p=1$…"}, plus the settings of --pack\'s pack.json when there is one. Do not redirect it onto that same pack.json: the shell empties the file before it is read; use --write. Then --teacher asks for the passphrase.\nExit codes: 0 made, 2 a passphrase shorter than 12 characters or larger than 1 KiB, two that differ, or none; --write without a pack, or a pack.json that does not fit.\n')
    .action(async (flags: { write?: boolean }, command: Command) => {
      const output = context.output();
      const parentFlags = command.optsWithGlobals() as ParentFlags;
      const pack = packFolder(parentFlags.pack, context.streams.env);
      const [{ loadPackSettings, PACK_SETTINGS_FILE }, { join }, { statSync }] = await Promise.all([import('../../lessons/exercises.js'), import('node:path'), import('node:fs')]);
      if (flags.write && pack === undefined) throw new InputError('ERR_USAGE', '--write needs the pack whose pack.json to write: give --pack <dir> (or set JWT_VS_OAUTH_PACK).', 'Example: jwt-vs-oauth exercises --pack ./class-pack teacher-key --write');
      if (flags.write && !statSync(pack!, { throwIfNoEntry: false })?.isDirectory()) throw new InputError('ERR_PACK_FOLDER', `--pack ${pack}: no such folder.`, 'A pack is a folder of exercise files (*.json), like lessons/example-pack/.');
      // The pack's settings are read (and refused when they do not fit) before the passphrase is asked for.
      const settings = loadPackSettings(pack) as Record<string, unknown>;
      const passphrase = await newPassphrase(context, output);
      if (Buffer.byteLength(passphrase, 'utf8') > MAX_PASSPHRASE_BYTES) throw passphraseTooLarge();
      const { makeTeacherKey, MIN_PASSPHRASE_LENGTH, withTeacherKey } = await import('../../lessons/teacher-key.js');
      const { writeAtomically } = await import('../../lessons/safe-files.js');
      if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
        throw new InputError('ERR_WEAK_PASSPHRASE', `A teacher passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters; that one has ${[...passphrase].length}.`, 'Four or five random words, or: openssl rand -base64 12');
      }
      const merged = withTeacherKey(settings, await makeTeacherKey(passphrase));
      const keep = `Keep the passphrase: it is stored nowhere, and --teacher asks for it (or reads ${TEACHER_KEY_VARIABLE}).`;
      if (!flags.write) {
        printJson(output, merged);
        talkLaidOut(context, `Save that as pack.json in the pack's folder${pack ? ` (it holds ${pack}'s settings too)` : ' (or add its teacherKey to the pack.json you have)'}. ${keep}`);
        return;
      }
      const file = join(pack!, PACK_SETTINGS_FILE);
      try {
        writeAtomically(file, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o644 });
      } catch (error) {
        throw new InputError('ERR_PACK_FOLDER', `${file} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); it was not changed.`);
      }
      const kept = Object.keys(settings).filter((name) => name !== 'teacherKey');
      for (const line of wrapParagraph(`Wrote ${file}: teacherKey ${settings.teacherKey === undefined ? 'added' : 'replaced'}${kept.length ? `; kept ${kept.join(', ')}` : ''}.`, viewWidths(context).width)) output.result(line);
      talkLaidOut(context, keep);
    }));

  parent.addCommand(new Command('selftest')
    .description('For teachers: run each exercise\'s reference solution (it must pass) and an empty answer (it must fail)')
    .argument('[id...]', 'only these exercises (default: the pack\'s, when --pack is given; else the built-in ones)')
    .option('--json', 'as JSON: {ok, seed, exercises: [{id, title, ok, solutionPasses, emptyAnswerFails, problem?}]}')
    .addHelpText('after', () => helpExamples(context, [
      ['jwt-vs-oauth exercises --pack ./class-pack selftest', 'check a pack before the class'],
      ['jwt-vs-oauth exercises selftest read-subject make-practice-token', 'some built-in exercises'],
    ]) + '\nExit codes: 0 every exercise checks out, 1 one does not, 2 bad usage or a pack file that does not fit.\n')
    .action(async (ids: string[], flags: { json?: boolean }, command: Command) => {
      const parentFlags = command.optsWithGlobals() as ParentFlags;
      const seedFlag = checkedSeed(parentFlags.seed);
      const [{ loadExercises, findExercise }, paths, { selftestExercise }, { join }, { runCaptured }] = await Promise.all([
        import('../../lessons/exercises.js'),
        import('../../lessons/paths.js'),
        import('../../lessons/selftest.js'),
        import('node:path'),
        import('../run.js'),
      ]);
      const builtInFolder = join(paths.lessonsFolder(), 'exercises');
      const pack = packFolder(parentFlags.pack, context.streams.env);
      const exercises = loadExercises(builtInFolder, pack);
      const builtInIds = new Set(loadExercises(builtInFolder).map((exercise) => exercise.id));
      const chosen = ids.length ? ids.map((id) => findExercise(exercises, id)) : exercises.filter((exercise) => !pack || !builtInIds.has(exercise.id));
      // A fixed seed, so a teacher sees the same tokens on every run; --seed tries another learner's.
      const seed = seedFlag ?? 'selftest';
      const output = context.output();
      let provider: Awaited<ReturnType<typeof import('../../provider/server.js').startProvider>> | undefined;
      if (chosen.some((exercise) => exercise.check.kind === 'provider-token')) {
        const { startProvider } = await import('../../provider/server.js');
        provider = await startProvider({ port: 0, clients: await exerciseClients() });
      }
      try {
        if (!flags.json) talkLaidOut(context, `Trying the reference solution of ${chosen.length} exercise${chosen.length === 1 ? '' : 's'} (seed "${terminalSafe(seed)}")${provider ? `, with Mock Google at ${provider.issuer}` : ''}…`);
        const outcomes = [];
        for (const exercise of chosen) {
          outcomes.push(await selftestExercise(exercise, {
            seed,
            now: context.now,
            runCommand: (words) => runCaptured(words, { now: context.now }),
            provider: provider && { issuer: provider.issuer, user: provider.state.config.users[0]! },
          }));
        }
        const ok = outcomes.every((outcome) => outcome.ok);
        context.exitCode = ok ? EXIT.ok : EXIT.checkFailed;
        if (flags.json) return printJson(output, { ok, seed, exercises: outcomes });
        const c = output.colour;
        const { width } = viewWidths(context);
        const rows = outcomes.map((outcome) => [`${outcome.ok ? c.green(MARK.ok) : c.red(MARK.fail)} ${outcome.id}`, outcome.ok ? 'the solution passes; an empty answer fails' : terminalSafe(outcome.problem ?? '')]);
        for (const line of layoutTable(rows, width, { minLastColumn: 20 })) output.result(line);
        const failing = outcomes.filter((outcome) => !outcome.ok).length;
        for (const line of wrapParagraph(failing ? `${MARK.fail} ${failing} of ${outcomes.length} do not check out.` : `${MARK.ok} All ${outcomes.length} check out.`, width)) output.result(failing ? c.red(line) : c.green(line));
      } finally {
        await provider?.close();
      }
    }));

  for (const subcommand of exercisesProgressCommands(context)) parent.addCommand(subcommand);

  return parent;
}

/** Characters kept at each end of a long got: value: a rule's own text (a server's refusal, a claim) stays whole, a pasted file does not. */
const GOT_KEEP = 100;

/** An argument as --help names it: <id>, [answer...]. */
function argumentTerm(argument: Argument): string {
  const name = `${argument.name()}${argument.variadic ? '...' : ''}`;
  return argument.required ? `<${name}>` : `[${name}]`;
}

/** The answer as `hint --reveal` and `solution` show it: the commands that make it, and what to send. */
async function answerOf(exercise: Exercise, material: Material): Promise<{ commands: string[]; answers: string[] }> {
  const { fillTemplate } = await import('../../lessons/template.js');
  const commands = (exercise.solution.commands ?? []).map((commandLine) => fillTemplate(commandLine, material));
  const answers = exercise.solution.answers.map((answer) => fillTemplate(answer, material).replace(/\{\{output\.(\d)\}\}/, (_match, index: string) => `(the token printed by command ${index})`));
  return { commands, answers };
}

/** The commands that make an answer ("  $ …", broken between arguments) and the answer to send (a token broken with "\"). */
function answerLines(commands: string[], answers: string[], width: number): string[] {
  return [
    ...commands.flatMap((commandLine) => layoutCommand(commandLine, width, { lead: '  $ ' })),
    ...(answers.length ? wrapParagraph(answers.join('  ·  '), width, { lead: 'Answer: ' }) : []),
  ];
}

/** Talk (stderr) laid out to stderr's width. */
function talkLaidOut(context: CommandContext, text: string): void {
  for (const line of wrapProse(text, viewWidths(context).talkWidth)) context.output().talk(line);
}

/** Whether the learner may see the answer yet, and if not, a sentence saying when. */
async function revealGate(exercise: Exercise, progress: Progress, settings: PackSettings) {
  const { ownEntry, revealAfterFor } = await import('../../lessons/exercises.js');
  const revealAfter = revealAfterFor(exercise, settings);
  const passed = Boolean(ownEntry(progress.exercises.passed, exercise.id));
  const failedAttempts = passed ? 0 : ownEntry(progress.exercises.attempts, exercise.id) ?? 0;
  const open = passed || (revealAfter > 0 && failedAttempts >= revealAfter);
  const left = revealAfter - failedAttempts;
  const message = open
    ? ''
    : revealAfter === 0
      ? `The answer to ${exercise.id} is not revealed (revealAfter is 0 for it): ask your teacher.`
      : `The answer opens after ${revealAfter} failed attempt${revealAfter === 1 ? '' : 's'}: ${left} more to go.`;
  return { open, passed, revealAfter, failedAttempts, message };
}

/**
 * The answers to check, in order: "-" read from stdin (one at most), a "Bearer" split off by the
 * shell joined to its token, and a missing one asked for by name on a terminal, else refused by
 * name (exit 2): a missing answer is a usage mistake, not a failed attempt.
 */
async function answersFor(context: CommandContext, output: Output, exercise: Exercise, words: string[]): Promise<string[]> {
  const { gatherAnswers } = await import('../../lessons/checks.js');
  const id = exercise.id;
  const names = exercise.answerNames;
  const placeholders = names.map((name) => `"$${name.toUpperCase().replace(/\W+/g, '_')}"`).join(' ');
  const example = `Example: jwt-vs-oauth exercises check ${id} ${names.length === 1 ? `<${names[0]!.replace(' ', '-')}>` : placeholders}`;
  if (words.filter((word) => word === '-').length > 1) throw new InputError('ERR_USAGE', 'Only one answer can come from stdin ("-").', example);
  if (words.includes('-')) {
    // On a terminal, reading stdin waits for the learner: say so, and how to finish.
    if (output.stdinIsTerminal) output.talk('Paste the answer, then press Ctrl-D (Ctrl-Z Enter on Windows).');
    const text = await readPiped(context, {
      whenEmpty: new InputError('ERR_NO_ANSWER', `stdin was empty: no answer for ${id}.`, `Pipe the answer in: ${pipedExample(exercise)}`),
      tooLarge: new InputError('ERR_ANSWER_TOO_LARGE', `The answer is larger than 1 MB; no answer to ${id} is that big.`, `Pipe in only the answer: ${pipedExample(exercise)}`),
    });
    words = words.map((word) => (word === '-' ? text : word));
  }
  // A token copied from a narrow terminal comes with its breaks ("\" and a newline): joined again.
  const gathered = gatherAnswers(exercise, words.map(joinBrokenLines));
  if ('answers' in gathered) return gathered.answers;
  const takes = names.length === 1 ? (names[0] === 'answer' ? 'one answer' : `one answer: the ${names[0]}`) : `${names.length} answers: the ${names.join(', then the ')}`;
  if ('tooMany' in gathered) throw new InputError('ERR_TOO_MANY_ANSWERS', `${id} takes ${takes}; ${gathered.tooMany} were given.`, `Put quotes around an answer that holds spaces. ${example}`);
  if (!(output.stdinIsTerminal && output.stdoutIsTerminal)) {
    const what = gathered.missing.length === names.length ? `No answer given for ${id}: it takes ${takes}.` : `${id} takes ${takes}; the ${gathered.missing.join(' and the ')} ${gathered.missing.length === 1 ? 'is' : 'are'} missing.`;
    throw new InputError(gathered.missing.length === names.length ? 'ERR_NO_ANSWER' : 'ERR_MISSING_ANSWER', what, example);
  }
  const { promptForToken } = await import('../token-input.js');
  const answers = names.map((_name, index) => words[index] ?? '');
  for (const [index, name] of names.entries()) {
    // An answered prompt shows "›", not inquirer's green ✔ above a "✗ Not yet."; a token pasted
    // broken over lines (each ending in "\\") is read whole and joined.
    if (answers[index]!.trim() === '') {
      answers[index] = await promptForToken({ input: context.streams.stdin, output: context.streams.stderr }, `Your ${name}`, {
        empty: `Type or paste your ${name}, or press Ctrl-C to stop.`,
        continues: `… (the ${name} continues: its next line, or Enter to end)`,
      });
    }
  }
  return answers;
}

/** How a learner pipes this exercise's answer in: from the command that makes it. */
function pipedExample(exercise: Exercise): string {
  const check = `jwt-vs-oauth exercises check ${exercise.id} -`;
  switch (exercise.check.kind) {
    case 'token-rules':
      return `jwt-vs-oauth mint … | ${check}${exercise.answerNames.length > 1 ? ` "$${exercise.answerNames[1]!.toUpperCase().replace(/\W+/g, '_')}"` : ''}`;
    case 'provider-token':
      return `curl … <issuer>/token | ${check} (the whole token response works)`;
    case 'dpop-proof':
      return `jwt-vs-oauth dpop --key dpop-key.json --htm … --htu … | ${check}`;
    case 'pkce-pair':
      return `printf %s "$VERIFIER" | openssl dgst -sha256 -binary | openssl base64 | tr '+/' '-_' | tr -d '=' | ${check}`;
    default:
      return `echo <${exercise.answerNames[0]!.replace(' ', '-')}> | ${check}`;
  }
}

/**
 * What was piped in, less a trailing newline (echo's); empty stdin is refused with `whenEmpty`,
 * more than `maxBytes` (at most 1 MB, where reading stops) with `tooLarge`.
 */
async function readPiped(context: CommandContext, refusals: { whenEmpty: InputError; tooLarge: InputError; maxBytes?: number }): Promise<string> {
  const { readTokenInput } = await import('../token-input.js');
  let text: string;
  try {
    text = (await readTokenInput('-', context)).replace(/\r?\n$/, '');
  } catch (error) {
    if (error instanceof InputError && error.code === 'ERR_TOKEN_EMPTY') throw refusals.whenEmpty;
    if (error instanceof InputError && error.code === 'ERR_TOKEN_TOO_LARGE') throw refusals.tooLarge;
    throw error;
  }
  if (refusals.maxBytes !== undefined && Buffer.byteLength(text, 'utf8') > refusals.maxBytes) throw refusals.tooLarge;
  return text;
}

/** The longest teacher passphrase, in bytes of UTF-8: a passphrase is a few words, not a file. */
const MAX_PASSPHRASE_BYTES = 1024;

const passphraseTooLarge = () => new InputError('ERR_PASSPHRASE_TOO_LARGE', `The passphrase is larger than 1 KiB (${MAX_PASSPHRASE_BYTES} bytes); a passphrase is a few words, and no key was made.`, 'Pipe in only the passphrase: printf %s "$PASSPHRASE" | jwt-vs-oauth exercises teacher-key');

/** A new teacher passphrase: JWT_VS_OAUTH_TEACHER_KEY, else asked twice on a terminal, else stdin (at most 1 KiB from any). */
async function newPassphrase(context: CommandContext, output: Output): Promise<string> {
  const fromEnv = context.streams.env[TEACHER_KEY_VARIABLE];
  if (fromEnv) return typeablePassphrase(fromEnv);
  if (output.stdinIsTerminal && output.stderrIsTerminal) {
    const [{ password }, { promptTheme }] = await Promise.all([import('@inquirer/prompts'), import('../prompt-theme.js')]);
    const io = { input: context.streams.stdin, output: context.streams.stderr };
    const first = await password({ message: 'New teacher passphrase', mask: true, theme: promptTheme }, io);
    const again = await password({ message: 'The same again', mask: true, theme: promptTheme }, io);
    if (first !== again) throw new InputError('ERR_CONFIRM', 'The two passphrases differ; no key was made.', 'Run it again and type the same passphrase twice.');
    return first;
  }
  const piped = await readPiped(context, {
    whenEmpty: new InputError('ERR_NO_ANSWER', 'No passphrase: stdin was empty.', `Run it on a terminal to be asked, pipe the passphrase in, or set ${TEACHER_KEY_VARIABLE}.`),
    tooLarge: passphraseTooLarge(),
    maxBytes: MAX_PASSPHRASE_BYTES,
  });
  // Two lines piped in are the passphrase and its confirmation, as a terminal asks for them.
  const lines = piped.split(/\r?\n/);
  if (lines.length === 2) {
    if (lines[0] !== lines[1]) throw new InputError('ERR_CONFIRM', 'The two passphrases differ; no key was made.', 'Pipe the same passphrase twice, one per line, or once.');
    return typeablePassphrase(lines[0]!);
  }
  return typeablePassphrase(piped);
}

/** A passphrase is one line a teacher can type at the --teacher prompt: no newline, no control character. */
function typeablePassphrase(passphrase: string): string {
  if (/[\u0000-\u001f\u007f]/.test(passphrase)) {
    throw new InputError('ERR_USAGE', 'A teacher passphrase is one line without control characters (it must be typed at the --teacher prompt); no key was made.', 'Pipe it once, or twice on two lines: printf \'%s\\n%s\\n\' "$P" "$P" | jwt-vs-oauth exercises teacher-key');
  }
  return passphrase;
}
