// The lesson, exercise and pack.json formats as JSON Schemas (draft 2020-12), for a teacher's
// editor: completion, and the validators' own sentences as it checks a file. The files in
// lessons/schema/ are these, written out; test/lessons/json-schema.test.ts keeps them in step
// (`npx vitest run test/lessons/json-schema.test.ts -u` rewrites them) and checks that each
// schema agrees with its validator (schema.ts, exercise-schema.ts, exercises.ts). Nothing in the
// CLI imports this file, so it stays out of the bundle.

import { DEMOS, DEMO_NAMES } from './demo-names.js';
import { ANSWER_FROM, CLAIM_NAME, ENGINE_NAMES, MAX_LESSON_NUMBER, OBJECT_NAMES, SAVED_NAME, SAVES_A_TOKEN } from './schema.js';
import { CHECK_KIND_NAMES, FLAWS, HTTP_METHOD_PATTERN, HTTP_URL_PATTERN, MATERIAL_NAMES, MAX_REVEAL_AFTER, TOPICS, TRANSLATED_FIELDS } from './exercise-schema.js';
import { MAX_CHOICES } from './choices.js';
import { MAX_MISTAKES, MAX_PATTERN_LENGTH } from './pattern-match.js';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
/** A JSON Schema, or a part of one. */
type Schema = Record<string, unknown>;
const text = (field: string, problem = 'must be a non-empty string', description?: string): Schema => ({ type: 'string', pattern: '\\S', ...(description && { description }), errorMessage: `${field}: ${problem}` });
const paragraphs = (field: string, problem: string, description?: string): Schema => ({ type: 'array', minItems: 1, items: { type: 'string', pattern: '\\S', errorMessage: `${field}: ${problem}` }, ...(description && { description }), errorMessage: `${field}: ${problem}` });
const schemaKey = (what: string): Schema => ({ description: `Where this ${what} JSON Schema is, for an editor (completion, checks as you type), such as "../schema/${what}.schema.json"; jwt-vs-oauth ignores it.` });

/** A name a step saves under: a camel-cased word, not an object's own name nor one the engine makes. */
const saveName: Schema = { type: 'string', pattern: SAVED_NAME.source, not: { enum: [...OBJECT_NAMES, ...ENGINE_NAMES] }, errorMessage: 'screens[…].save: must be a name such as "token" or "foodToken" (a letter, then letters and digits), not one every JavaScript object has nor one jwt-vs-oauth makes' };
/** What a demo's save, token and claim args must be, beyond a non-empty string. */
const DEMO_ARG_RULES: Record<string, Schema> = {
  save: saveName,
  token: { pattern: SAVED_NAME.source, errorMessage: 'screens[…].args.token: must be a name such as "token" or "foodToken"' },
  claim: { pattern: CLAIM_NAME.source, not: { enum: [...OBJECT_NAMES] }, errorMessage: 'screens[…].args.claim: must be a plain claim name such as "sub" or "role", not one every JavaScript object has' },
};
/** The fields every question has, named so that no other is allowed. */
const QUESTION_COMMON: Schema = { type: {}, kind: {}, prompt: {}, explanation: {} };

/** The schema of a tutorial lesson file (lessons/tutorial/NN-name.json), as schema.ts validates it. */
export function lessonJsonSchema(): Schema {
  return {
    $schema: DRAFT,
    title: 'jwt-vs-oauth tutorial lesson',
    description: [
      'One lesson of the tutorial (lessons/tutorial/NN-name.json, or a translation NN-name.<lang>.json): what src/lessons/schema.ts accepts, with its sentences as the messages.',
      'Not expressed here, checked only when jwt-vs-oauth loads the file: a choice question\'s "answer" must be below the number of "choices";',
      'a command step\'s "command" must keep to the allowlist of subcommands and options in src/lessons/solution-commands.ts, and each {{name}} in it must be a word of its own that an earlier screen of the lesson saves or its "with" provides;',
      'a demo\'s "token" and a value question\'s "answerFrom" must name a token an earlier screen of the lesson saves (or a "sign-in" step made);',
      'a translation NN-name.<lang>.json keeps all but the words as its original NN-name.json has it;',
      'no two lessons share an id or a number; the file is a plain file of at most 256 KiB, nested at most 64 levels, with no control character in any text.',
      'Any key not listed here is refused.',
    ].join(' '),
    type: 'object',
    errorMessage: 'the file: must hold one JSON object',
    required: ['id', 'number', 'title', 'summary', 'screens'],
    additionalProperties: false,
    properties: {
      $schema: schemaKey('lesson'),
      id: { type: 'string', pattern: '^[a-z0-9-]+$', description: 'The lesson\'s id, unique among the lessons: lower-case letters, digits and dashes.', errorMessage: '"id": must be lower-case letters, digits and dashes' },
      number: { type: 'integer', minimum: 1, maximum: MAX_LESSON_NUMBER, description: `Its place in the tutorial (\`jwt-vs-oauth tutorial 3\`), unique: a whole number from 1 to ${MAX_LESSON_NUMBER}.`, errorMessage: `"number": must be a whole number from 1 to ${MAX_LESSON_NUMBER}` },
      title: text('"title"', undefined, 'The lesson\'s title, shown in the list and at the top of each screen.'),
      summary: text('"summary"', undefined, 'One or two sentences: what the lesson shows.'),
      screens: { type: 'array', minItems: 1, items: { $ref: '#/$defs/screen' }, description: 'The screens, in order: "text", "run" (a hands-on step) and "question".', errorMessage: '"screens": must be a non-empty list' },
    },
    $defs: {
      screen: {
        type: 'object',
        errorMessage: 'screens[…]: must be an object',
        required: ['type'],
        properties: {
          type: { enum: ['text', 'run', 'question'], description: '"text": paragraphs; "run": a hands-on step that runs real code; "question": a choice or a value to type.', errorMessage: 'screens[…].type: must be "text", "run" or "question"' },
          title: { type: 'string', description: 'The screen\'s title (optional).', errorMessage: 'screens[…].title: must be a string' },
        },
        allOf: [
          { if: { required: ['type'], properties: { type: { const: 'text' } } }, then: { $ref: '#/$defs/textScreen' } },
          { if: { required: ['type'], properties: { type: { const: 'run' } } }, then: { $ref: '#/$defs/runScreen' } },
          { if: { required: ['type'], properties: { type: { const: 'question' } } }, then: { $ref: '#/$defs/questionScreen' } },
        ],
        defaultSnippets: [
          { label: 'text screen', body: { type: 'text', title: '$1', body: ['$2'] } },
          { label: 'command step (runs the command it shows)', body: { type: 'run', title: '$1', body: ['$2'], command: 'jwt-vs-oauth $3' } },
          { label: 'demo step (a named demo)', body: { type: 'run', title: '$1', body: ['$2'], demo: '$3' } },
          { label: 'choice question', body: { type: 'question', kind: 'choice', prompt: '$1', choices: ['$2', '$3'], answer: 0, explanation: '$4' } },
          { label: 'value question', body: { type: 'question', kind: 'value', prompt: '$1', answerFrom: 'token:${2:token}.payload.${3:sub}', explanation: '$4' } },
        ],
      },
      textScreen: {
        required: ['body'],
        properties: { type: {}, title: {}, body: paragraphs('screens[…].body', 'must be a non-empty list of paragraphs', 'The paragraphs, in order; each is wrapped to the terminal\'s width.') },
        additionalProperties: false,
        errorMessage: 'screens[…]: a text screen has type, title and body ("after" belongs to a run screen)',
      },
      runScreen: {
        required: ['body'],
        properties: {
          type: {},
          title: {},
          body: paragraphs('screens[…].body', 'must be a non-empty list of paragraphs', 'The paragraphs shown before the step runs.'),
          after: paragraphs('screens[…].after', 'must be a non-empty list of paragraphs', 'Paragraphs shown after the step\'s output (optional).'),
          command: { type: 'string', pattern: '^jwt-vs-oauth ', description: 'A command step: the jwt-vs-oauth command it runs and shows, such as "jwt-vs-oauth decode {{token}}". Each {{name}} is a word of its own, filled with what an earlier step of the lesson saved (shown as "$NAME", with the shell line that sets it); only the allowlisted options (README: Teacher packs are data).', errorMessage: 'screens[…].command: must be a "jwt-vs-oauth …" command' },
          save: { ...saveName, description: `A command step whose command is a mint (or sign) without --json: keep the token it prints under this name, for {{name}} in later commands (such as "token"). Not a name every JavaScript object has, nor one jwt-vs-oauth makes (${ENGINE_NAMES.join(', ')}).` },
          with: { enum: ['mock-google', 'sign-in'], enumDescriptions: ['Start Mock Google for this step and sign Asha in there: the command may use {{issuer}} (as --discover {{issuer}}), {{api}} (the audience its userinfo API answers to), {{accessToken}} and {{idToken}}.', 'Make sure a sign-in\'s {{accessToken}} and {{idToken}} exist (the demo flow\'s, or a quiet sign-in\'s).'], description: 'A command step: what it needs running around it.', errorMessage: 'screens[…].with: must be "mock-google" or "sign-in"' },
          demo: { enum: DEMO_NAMES, enumDescriptions: DEMO_NAMES.map((name) => DEMOS[name].description), description: 'A demo step: the named demo it runs (src/lessons/demo-names.ts), for a step that is not a jwt-vs-oauth command.', errorMessage: `screens[…].demo: must be one of ${DEMO_NAMES.join(', ')}` },
          args: { type: 'object', description: 'A demo step: the demo\'s arguments, each a string.', errorMessage: 'screens[…].args: must be an object' },
        },
        additionalProperties: false,
        oneOf: [
          { required: ['command'], not: { anyOf: [{ required: ['demo'] }, { required: ['args'] }] } },
          { required: ['demo'], not: { anyOf: [{ required: ['command'] }, { required: ['save'] }, { required: ['with'] }] } },
        ],
        errorMessage: 'screens[…]: a run screen gives either "command" (a jwt-vs-oauth command it runs) or "demo" (a named demo), exactly one of the two, and no fields but its kind\'s',
        allOf: [
          // Only a token, one line, is saved: what mint (or sign) prints without --json.
          { if: { required: ['save'] }, then: { properties: { command: { pattern: SAVES_A_TOKEN.source, errorMessage: 'screens[…].save: a step saves a token, one line: only a mint (or sign) command without --json prints one' } } } },
          ...DEMO_NAMES.map((name) => {
          const args = Object.entries(DEMOS[name].args as Record<string, { required: boolean; description: string }>);
          const required = args.filter(([, arg]) => arg.required).map(([arg]) => arg);
          return {
            if: { required: ['demo'], properties: { demo: { const: name } } },
            then: {
              ...(required.length ? { required: ['args'] } : {}),
              properties: { args: {
                properties: Object.fromEntries(args.map(([arg, { description }]) => [arg, { type: 'string', pattern: '\\S', description, errorMessage: `screens[…].args.${arg}: must be a non-empty string`, ...(DEMO_ARG_RULES[arg] && { allOf: [DEMO_ARG_RULES[arg]] }) }])),
                additionalProperties: false,
                ...(required.length ? { required } : {}),
                errorMessage: `screens[…].args: the ${name} demo takes ${args.length ? args.map(([arg]) => arg).join(', ') : 'no arguments'}${required.length ? ` and needs ${required.join(', ')}` : ''}`,
              } },
            },
          };
        }),
        ],
      },
      questionScreen: {
        required: ['prompt', 'explanation', 'kind'],
        properties: {
          kind: { enum: ['choice', 'value'], description: '"choice": pick one of "choices"; "value": type something read off a token an earlier step saved.', errorMessage: 'screens[…].kind: must be "choice" or "value"' },
          prompt: text('screens[…].prompt', undefined, 'The question.'),
          explanation: text('screens[…].explanation', 'must say why the answer is right', 'Why the answer is right, shown after any answer.'),
        },
        allOf: [
          { if: { required: ['kind'], properties: { kind: { const: 'choice' } } }, then: { required: ['choices', 'answer'], additionalProperties: false, errorMessage: 'screens[…]: a choice question has type, kind, prompt, choices, answer and explanation', properties: {
            ...QUESTION_COMMON,
            choices: { type: 'array', minItems: 2, maxItems: MAX_CHOICES, items: { type: 'string', pattern: '\\S', errorMessage: 'screens[…].choices: must list at least two choices' }, description: `The choices, shown as a menu: two to ${MAX_CHOICES}.`, errorMessage: `screens[…].choices: must list from two to ${MAX_CHOICES} choices` },
            answer: { type: 'integer', minimum: 0, description: 'The index of the right choice, from 0.', errorMessage: 'screens[…].answer: must be the index of one of the choices (from 0)' },
          } } },
          { if: { required: ['kind'], properties: { kind: { const: 'value' } } }, then: { required: ['answerFrom'], additionalProperties: false, errorMessage: 'screens[…]: a value question has type, kind, prompt, answerFrom and explanation', properties: {
            ...QUESTION_COMMON,
            answerFrom: { type: 'string', pattern: ANSWER_FROM.source, not: { pattern: `\\.(${OBJECT_NAMES.join('|')})$` }, description: 'Where the right answer is: a claim of a token an earlier step saved, such as "token:token.payload.sub" or "token:oauthAccess.header.kid".', errorMessage: 'screens[…].answerFrom: must look like "token:<saved name>.payload.<claim>"' },
          } } },
        ],
      },
    },
  };
}

/** The check kinds exercise-schema.ts knows, in its order. */
const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A {{name}} that is not one of `known` (names, or regular-expression pieces). */
const unknownName = (pieces: string[]) => pieces.length ? `\\{\\{(?!(?:${pieces.join('|')})\\}\\})[^}]*\\}\\}` : '\\{\\{[^}]*\\}\\}';
const names = (list: readonly string[]) => list.map(escape);
const ANSWERS = Array.from({ length: 9 }, (_unused, index) => `answer.${index + 1}`);
const OUTPUT_PIECE = 'output\\.[1-9][0-9]*';
const offer = (list: readonly string[]) => list.length ? `it can use ${list.map((n: string) => `{{${n}}}`).join(', ')}` : 'it has no material, so no {{names}} at all';
// "not" holds a type: a pattern alone passes any non-string, so "not" would refuse every number.
const noTemplate = (field: string, why: string): Schema => ({ not: { type: 'string', pattern: unknownName([]) }, errorMessage: `${field}: a {{name}} is not allowed here; ${why}` });
const templatesFor = (materialNames: readonly string[]): Schema => {
  // doNotSuggest: these only restrict {{names}}; an editor should offer a field where its kind of check defines it.
  const only = (field: string, list: readonly string[], pieces = names(list), extra = ''): Schema => ({ doNotSuggest: true, not: { type: 'string', pattern: unknownName(pieces) }, errorMessage: `${field}: holds a {{name}} this exercise does not fill; ${offer(list)}${extra}` });
  const withOutputs = (field: string) => only(field, materialNames, [...names(materialNames), OUTPUT_PIECE], `${materialNames.length ? ',' : '; and'} {{output.N}} for what the Nth solution command printed (a command only the output of one before it)`);
  const check = (field: string) => only(field, [...materialNames, ...ANSWERS]);
  return {
    properties: {
      task: { doNotSuggest: true, items: only('"task[…]"', materialNames) },
      hints: { doNotSuggest: true, items: only('"hints[…]"', materialNames) },
      solution: { doNotSuggest: true, properties: {
        explain: { doNotSuggest: true, items: only('"solution.explain[…]"', materialNames) },
        commands: { doNotSuggest: true, items: withOutputs('"solution.commands[…]"') },
        answers: { doNotSuggest: true, items: withOutputs('"solution.answers[…]"') },
      } },
      check: { doNotSuggest: true, properties: {
        expected: check('"check.expected"'),
        secret: check('"check.secret"'),
        verifier: check('"check.verifier"'),
        htm: only('"check.htm"', materialNames),
        htu: only('"check.htu"', materialNames),
        mistakes: { doNotSuggest: true, items: { properties: { why: only('"check.mistakes[…].why"', materialNames) } } },
      } },
    },
  };
};
const materialKindsDescribed = [...MATERIAL_NAMES].map(([kind, list]) => `${kind} fills ${list.map((n: string) => `{{${n}}}`).join(', ')}`);
const checkKind = (kind: string): Schema => ({ required: ['kind'], properties: { kind: { const: kind } } });
const noMistakes = (kind: string): Schema => ({ mistakes: { doNotSuggest: true, not: {}, errorMessage: `"check.mistakes": only an answer check lists known mistakes; a ${kind} check has none (remove the field)` } });
const patternSchema = (field: string, description: string): Schema => ({ type: 'string', pattern: '\\S', maxLength: MAX_PATTERN_LENGTH, description, errorMessage: `${field}: must be a non-empty string, a valid regular expression of at most ${MAX_PATTERN_LENGTH} characters` });
const positive = (field: string, description: string): Schema => ({ type: 'integer', minimum: 1, description, errorMessage: `${field}: must be a whole number above 0` });

/** The schema of an exercise file (lessons/exercises/*.json, a pack's *.json), as exercise-schema.ts validates it. */
export function exerciseJsonSchema(): Schema {
  return {
    $schema: DRAFT,
    title: 'jwt-vs-oauth exercise',
    description: [
      'One exercise (lessons/exercises/*.json, or a teacher pack\'s *.json beside its pack.json), or its translation NN-name.<lang>.json beside NN-name.json: what src/lessons/exercise-schema.ts accepts, with its sentences as the messages.',
      'Not expressed here, checked only when jwt-vs-oauth loads the file: "choiceWhy" has one entry for each choice; a choice check\'s "answer" is below the number of "choices";',
      'a pattern is a valid regular expression of at most 512 UTF-16 code units (here counted in characters);',
      'each solution command keeps to the allowlist of subcommands and options in src/lessons/solution-commands.ts (README: Teacher packs are data);',
      '{{output.N}} names a solution command before the one using it (in "solution.answers", one of the commands);',
      `a translation changes only the words (${TRANSLATED_FIELDS.join(', ')}) and keeps everything else as its original has it;`,
      'no two exercises share an id (built-in and pack together); the file is a plain file of at most 256 KiB, nested at most 64 levels, with no control character in any text.',
      'Keys not listed here are ignored by jwt-vs-oauth, so they are allowed here too. Run `jwt-vs-oauth exercises --pack <folder> selftest` to try a pack for real.',
    ].join(' '),
    type: 'object',
    errorMessage: 'the file: must hold one JSON object',
    required: ['id', 'title', 'topic', 'task', 'check', 'hints', 'solution'],
    properties: {
      $schema: schemaKey('exercise'),
      id: { type: 'string', pattern: '^[a-z0-9-]+$', description: 'The exercise\'s id, unique among the built-in and the pack\'s exercises (`exercises start <id>`): lower-case letters, digits and dashes.', errorMessage: '"id": must be lower-case letters, digits and dashes' },
      title: { ...text('"title"', undefined, 'The title, shown in lists as written: no {{names}}.'), ...noTemplate('"title"', 'the title and the choices are shown as written, without {{names}}'), errorMessage: '"title": must be a non-empty string, shown as written, without {{names}}' },
      topic: { enum: TOPICS, description: 'The topic it counts under in progress and the class report.', errorMessage: `"topic": must be one of ${TOPICS.join(', ')}` },
      task: paragraphs('"task"', 'must be a non-empty list of paragraphs', 'The task, in paragraphs; {{name}} is replaced with the learner\'s material (see "material").'),
      choices: { type: 'array', minItems: 2, maxItems: MAX_CHOICES, items: { type: 'string', pattern: '\\S', ...noTemplate('"choices[…]"', 'the title and the choices are shown as written, without {{names}}') }, description: 'For a choice check: the options, shown as (a), (b), … and written as they are shown (no {{names}}).', errorMessage: `"choices": must list from two to ${MAX_CHOICES} choices` },
      choiceWhy: { type: 'array', minItems: 1, items: { type: 'string', pattern: '\\S', ...noTemplate('"choiceWhy[…]"', 'choiceWhy is shown as written, like the choices, without {{names}}') }, description: 'For a choice check: why each choice fits or not, one for each choice in their order (no {{names}}); a wrong pick is told its own, never which choice fits.', errorMessage: '"choiceWhy": must give one non-empty explanation for each choice, in their order' },
      material: {
        type: 'object',
        description: 'Material made from the learner\'s seed, filling {{names}} in the task, hints and solution: ' + materialKindsDescribed.join('; ') + '.',
        errorMessage: `"material.kind": must be one of ${[...MATERIAL_NAMES].map(([k]) => k).join(', ')}`,
        required: ['kind'],
        properties: {
          kind: { enum: [...MATERIAL_NAMES].map(([k]) => k), enumDescriptions: materialKindsDescribed, errorMessage: `"material.kind": must be one of ${[...MATERIAL_NAMES].map(([k]) => k).join(', ')}` },
          pool: { type: 'array', minItems: 1, items: { enum: FLAWS, errorMessage: `"material.pool": must list flaws from ${FLAWS.join(', ')}` }, description: 'For flawed-token and flawed-token-rs256: the flaws one is picked from by the learner\'s seed ({{flaw}}).', errorMessage: `"material.pool": must list flaws from ${FLAWS.join(', ')}` },
        },
        allOf: [
          { if: { required: ['kind'], properties: { kind: { const: 'flawed-token' } } }, then: { properties: { pool: { items: { not: { const: 'key-confusion' }, errorMessage: '"material.pool": key-confusion does not fit: key confusion needs an issuer with a public key (RFC 8725 §2.1), and a flawed-token issuer signs with an HMAC secret: use "kind": "flawed-token-rs256"' } } } } },
          { if: { required: ['kind'], properties: { kind: { const: 'flawed-token-rs256' } } }, then: { properties: { pool: { items: { not: { const: 'weak-secret' }, errorMessage: '"material.pool": weak-secret does not fit: a flawed-token-rs256 issuer signs with its RSA private key, not a secret: use "kind": "flawed-token" for weak-secret' } } } } },
        ],
        defaultSnippets: [...MATERIAL_NAMES].map(([kind]) => ({ label: kind, body: kind.startsWith('flawed-token') ? { kind, pool: ['$1'] } : { kind } })),
      },
      needs: { const: 'provider', description: '"provider": `exercises start` runs Mock Google for this exercise (a provider-token check).', errorMessage: '"needs": can only be "provider"' },
      check: { $ref: '#/$defs/check' },
      hints: paragraphs('"hints"', 'must list at least one hint', 'Hints, shown one at a time by `exercises hint`; {{names}} of the material allowed.'),
      revealAfter: { type: 'integer', minimum: 0, maximum: MAX_REVEAL_AFTER, description: `Failed attempts after which \`hint --reveal\` shows the answer; 0 = never. Unset: the pack's (pack.json), else 3.`, errorMessage: `"revealAfter": must be a whole number of failed attempts from 0 (never reveal the answer) to ${MAX_REVEAL_AFTER}` },
      solution: {
        type: 'object',
        description: 'The worked solution: why, the answers that pass, and optionally the commands that make them (run by `exercises selftest`).',
        errorMessage: '"solution": must be an object with "explain" and "answers"',
        required: ['explain', 'answers'],
        properties: {
          explain: paragraphs('"solution.explain"', 'must say how to solve it', 'How to solve it, in paragraphs.'),
          answers: { type: 'array', items: { type: 'string', errorMessage: '"solution.answers": must list the answers to submit (strings)' }, description: 'The answers to submit, in order ({{names}} and {{output.N}} filled); `exercises selftest` checks that they pass.', errorMessage: '"solution.answers": must list the answers to submit (strings)' },
          commands: { type: 'array', minItems: 1, items: { type: 'string', pattern: '\\S', errorMessage: '"solution.commands": must list jwt-vs-oauth commands' }, prefixItems: [{ not: { type: 'string', pattern: '\\{\\{output\\.[1-9][0-9]*\\}\\}' }, errorMessage: '"solution.commands[0]": {{output.N}} is what an earlier command printed, and the first has none before it' }], description: 'jwt-vs-oauth decode, mint (or sign) or verify commands that make the answers, with only the allowlisted options (README: Teacher packs are data); {{output.1}} is what the first printed.', errorMessage: '"solution.commands": must list jwt-vs-oauth commands' },
        },
      },
    },
    dependentRequired: { choiceWhy: ['choices'] },
    allOf: [
      { if: { required: ['check'], properties: { check: checkKind('choice') } }, then: { required: ['choices'] } },
      { if: { not: { required: ['material'] } }, then: templatesFor([]) },
      // {{output.N}} is what the Nth solution command printed: without commands there is none.
      { if: { required: ['solution'], properties: { solution: { not: { required: ['commands'] } } } }, then: { properties: { solution: { properties: { answers: { items: { not: { type: 'string', pattern: '\\{\\{output\\.[1-9][0-9]*\\}\\}' }, errorMessage: '"solution.answers[…]": {{output.N}} is what the Nth of "solution.commands" printed, and there are no commands' } } } } } } },
      ...[...MATERIAL_NAMES].map(([kind, list]) => ({ if: { required: ['material'], properties: { material: checkKind(kind) } }, then: templatesFor(list) })),
    ],
    $defs: {
      check: {
        type: 'object',
        description: 'How an answer is checked: answer, choice, token-rules, provider-token, pkce-pair or dpop-proof.',
        errorMessage: '"check": must be an object with a "kind"',
        required: ['kind'],
        properties: {
          kind: { enum: CHECK_KIND_NAMES, description: '"answer": text compared with "expected" or matched by "pattern"; "choice": one of "choices"; "token-rules": a token the learner made; "provider-token": an access token from Mock Google; "pkce-pair": a code_challenge for a verifier; "dpop-proof": a DPoP proof the learner made for a request.', errorMessage: `"check.kind": must be one of ${CHECK_KIND_NAMES.join(', ')}` },
          expectedInWords: { ...text('"check.expectedInWords"', 'must say in words what the answer is, such as "the token\'s subject (its sub claim)"', 'What the answer is, in words, shown on a failed check in place of the value: no {{names}}, they would give the answer away.'), ...noTemplate('"check.expectedInWords"', 'it says in words what is expected, without the value, so it takes no {{names}}'), errorMessage: '"check.expectedInWords": must say in words what the answer is, such as "the token\'s subject (its sub claim)", without {{names}}' },
        },
        allOf: [
          { if: checkKind('answer'), then: {
            anyOf: [
              { required: ['expected'], properties: { expected: { type: 'string', pattern: '\\S' } } },
              { required: ['pattern'], properties: { pattern: { type: 'string', pattern: '\\S' } } },
            ],
            errorMessage: '"check": an answer check needs "expected" or "pattern"',
            properties: {
              expected: { type: 'string', pattern: '\\S', description: 'The right answer as text ("5", not 5), compared exactly; {{names}} of the material and {{answer.N}} allowed.', errorMessage: '"check.expected": must be a non-empty string (the value as the learner types it, such as "5")' },
              pattern: patternSchema('"check.pattern"', 'A regular expression (JavaScript) the answer must match, in place of "expected"; at most 512 characters, run on at most 1024 characters of the answer for at most 100 ms.'),
              mistakes: {
                type: 'array', minItems: 1, maxItems: MAX_MISTAKES,
                description: `Known wrong answers, at most ${MAX_MISTAKES}: an answer matching a pattern is told its "why".`,
                errorMessage: `"check.mistakes": must list known wrong answers: [{"pattern": …, "why": …}], at most ${MAX_MISTAKES}`,
                items: {
                  type: 'object', required: ['pattern', 'why'], errorMessage: '"check.mistakes[…]": must be an object with "pattern" and "why"',
                  properties: {
                    pattern: patternSchema('"check.mistakes[…].pattern"', 'A regular expression a known wrong answer matches (the same rules as check.pattern).'),
                    why: text('"check.mistakes[…].why"', 'must say in words why such an answer is wrong', 'Why such an answer is wrong, shown under it.'),
                  },
                },
              },
            },
          } },
          { if: checkKind('choice'), then: { required: ['answer'], properties: {
            answer: { type: 'integer', minimum: 0, description: 'The index into "choices" of the right one, from 0.', errorMessage: '"check.answer": must be the index of one of the choices (from 0)' },
            ...noMistakes('choice'),
          } } },
          { if: checkKind('token-rules'), then: { required: ['alg', 'secret'], properties: {
            alg: text('"check.alg"', 'must name the algorithm', 'The algorithm the token must be signed with, such as HS256.'),
            secret: text('"check.secret"', 'must give the secret (or "{{answer.2}}" for one the learner sends)', 'The secret that verifies it, or "{{answer.2}}" for one the learner sends after the token.'),
            iss: text('"check.iss"', undefined, 'The issuer the token must name.'),
            aud: text('"check.aud"', undefined, 'The audience the token must name.'),
            maxLifetime: positive('"check.maxLifetime"', 'The longest lifetime (exp − iat) accepted, in seconds.'),
            minSecretBytes: positive('"check.minSecretBytes"', 'The fewest bytes the secret may have.'),
            requireRandomSecret: { type: 'boolean', description: 'Refuse a secret that looks human-made or weak, or one printed in lessons/, the pack or the code.', errorMessage: '"check.requireRandomSecret": must be true or false' },
            claims: { type: 'object', description: 'Claims the token must carry, by name, compared exactly as JSON.', errorMessage: '"check.claims": must be an object of claim names and values' },
            ...noMistakes('token-rules'),
          } } },
          { if: checkKind('provider-token'), then: { required: ['scope'], properties: {
            scope: text('"check.scope"', 'must name the scope the token must carry', 'The scope the access token must carry.'),
            clientId: text('"check.clientId"', 'must name the client the token must be issued to, such as swaad-tv', 'The client the token must be issued to (its client_id claim), such as swaad-tv for the device flow; compared as written.'),
            withoutUser: { type: 'boolean', description: 'true: the token is the app\'s own, from client_credentials (RFC 6749 §4.4): its sub must be its client_id, no user.', errorMessage: '"check.withoutUser": must be true (the token is the app\'s own, from client_credentials: its sub is its client_id) or false' },
            onlyScope: { type: 'boolean', description: 'true: the token may carry no scope beyond "scope" (least privilege, RFC 9700 §2.3): one that also carries, say, orders:write fails.', errorMessage: '"check.onlyScope": must be true (the token may carry no scope beyond "scope": least privilege) or false' },
            ...noMistakes('provider-token'),
          } } },
          { if: checkKind('pkce-pair'), then: { required: ['verifier'], properties: {
            verifier: text('"check.verifier"', 'must give the verifier', 'The code_verifier whose S256 challenge the learner sends, usually "{{verifier}}".'),
            ...noMistakes('pkce-pair'),
          } } },
          { if: checkKind('dpop-proof'), then: { required: ['htm', 'htu'], properties: {
            htm: { ...text('"check.htm"', 'must give the request\'s HTTP method the proof is for, such as POST or "{{method}}"', 'The HTTP method of the request the DPoP proof is for, usually "{{method}}".'), pattern: HTTP_METHOD_PATTERN.source },
            htu: { ...text('"check.htu"', 'must give the request\'s URL the proof is for: an absolute http(s) URL such as https://api.swaad.example/orders, or "{{url}}"', 'The URL of the request the DPoP proof is for, usually "{{url}}": an absolute http(s) URL; compared without query and fragment (RFC 9449 §4.3).'), pattern: HTTP_URL_PATTERN.source },
            ...noMistakes('dpop-proof'),
          } } },
        ],
        defaultSnippets: [
          { label: 'answer check', body: { kind: 'answer', expected: '$1', expectedInWords: '$2' } },
          { label: 'choice check', body: { kind: 'choice', answer: 0 } },
          { label: 'token-rules check', body: { kind: 'token-rules', alg: '${1:HS256}', secret: '$2' } },
          { label: 'provider-token check', body: { kind: 'provider-token', scope: '$1' } },
          { label: 'pkce-pair check', body: { kind: 'pkce-pair', verifier: '{{verifier}}' } },
          { label: 'dpop-proof check', body: { kind: 'dpop-proof', htm: '{{method}}', htu: '{{url}}' } },
        ],
      },
    },
  };
}

/** The schema of a pack's pack.json, as loadPackSettings (exercises.ts) reads it. */
export function packJsonSchema(): Schema {
  return {
    $schema: DRAFT,
    title: 'jwt-vs-oauth pack settings (pack.json)',
    description: 'A teacher pack\'s pack.json, beside its exercise files: what src/lessons/exercises.ts accepts, with its sentences as the messages. Any other key is refused ("is not a pack setting"). Not expressed here: a teacherKey\'s scrypt costs must be ones jwt-vs-oauth accepts (ln at least 14, p 1 to 4, N below 2^(16·r), at most 256 MiB and twice the work of a new key).',
    type: 'object',
    errorMessage: 'the file: must hold one JSON object',
    additionalProperties: { not: {}, errorMessage: 'is not a pack setting: pack.json may set teacherKey and revealAfter' },
    properties: {
      $schema: { ...schemaKey('pack'), type: 'string', errorMessage: '"$schema": must be a string: where pack.schema.json is, such as "../schema/pack.schema.json"' },
      revealAfter: { type: 'integer', minimum: 0, maximum: MAX_REVEAL_AFTER, description: 'Failed attempts before `hint --reveal` shows the answer, for every exercise of the pack that does not set its own; 0 = never; default 3.', errorMessage: `"revealAfter": must be a whole number of failed attempts from 0 (never reveal the answer) to ${MAX_REVEAL_AFTER}` },
      teacherKey: { type: 'string', pattern: '^\\$scrypt\\$ln=(\\d{1,2}),r=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{22})\\$([A-Za-z0-9+/]{43})$', description: 'Locks `solution --teacher` and `worksheet --answers` with a passphrase: make it with `jwt-vs-oauth exercises --pack <folder> teacher-key --write`.', errorMessage: '"teacherKey": is not a teacher key: make one with jwt-vs-oauth exercises teacher-key, and paste the whole line it prints' },
    },
  };
}
