// `jwt-vs-oauth completion bash|zsh|fish`: a completion script made from the command tree itself
// (every visible subcommand, alias and option), the tutorial's lesson numbers and the built-in
// exercise ids. Loaded only by the completion command.
//
// The lists are written into the script when it is made, not looked up at each Tab: a Tab then
// costs no Node start-up (tens of milliseconds each), the script works offline and alone, and the
// install lines (`source <(jwt-vs-oauth completion bash)`) make it again at each new shell, so an
// upgrade is picked up. A teacher's pack (--pack) is not read: its ids are not offered.

import { join } from 'node:path';
import type { Argument, Command, Option } from 'commander';

export type Shell = 'bash' | 'zsh' | 'fish';

/** What a value or a positional argument completes to: one of the lists, files, or nothing. */
type Kind = 'lesson' | 'exercise' | 'command' | 'file' | 'none' | `choice${number}`;

interface Flag {
  names: string[];
  description: string;
  /** undefined: takes no value. */
  value?: { kind: Kind; optional: boolean };
}

interface Node {
  path: string;
  names: string[];
  description: string;
  children: Node[];
  flags: Flag[];
  args: Kind[];
  variadic: boolean;
}

export interface CompletionLists {
  lessons: string[];
  exercises: string[];
}

/** Names a shell script can hold unquoted: anything else is left out rather than escaped. */
const SAFE = /^[A-Za-z0-9][A-Za-z0-9_.:@+-]*$/;

export async function completionScript(shell: Shell, program: Command, lists?: CompletionLists): Promise<string> {
  const tree = new Tree(program, lists ?? (await builtInLists()));
  return shell === 'bash' ? bashScript(tree) : shell === 'zsh' ? zshScript(tree) : fishScript(tree);
}

/** The tutorial's lesson numbers and the built-in exercise ids, from the lessons folder. */
export async function builtInLists(): Promise<CompletionLists> {
  const [{ lessonsFolder }, { loadLessons }, { loadExercises }] = await Promise.all([
    import('../lessons/paths.js'),
    import('../lessons/loader.js'),
    import('../lessons/exercises.js'),
  ]);
  const folder = lessonsFolder();
  return {
    lessons: loadLessons(join(folder, 'tutorial')).map((lesson) => String(lesson.number)),
    exercises: loadExercises(join(folder, 'exercises')).map((exercise) => exercise.id).filter((id) => SAFE.test(id)),
  };
}

class Tree {
  readonly root: Node;
  readonly nodes: Node[] = [];
  readonly choices: string[][] = [];
  constructor(program: Command, readonly lists: CompletionLists) {
    this.root = this.walk(program, '');
  }

  values(kind: Kind): string[] {
    if (kind === 'lesson') return this.lists.lessons;
    if (kind === 'exercise') return this.lists.exercises;
    if (kind === 'command') return this.root.children.map((child) => child.names[0]!);
    if (kind.startsWith('choice')) return this.choices[Number(kind.slice('choice'.length))]!;
    return [];
  }

  private walk(command: Command, path: string): Node {
    const help = command.createHelp();
    const node: Node = {
      path,
      names: [command.name(), ...command.aliases()].filter((name) => SAFE.test(name)),
      description: oneLine(command.description()),
      children: [],
      flags: help.visibleOptions(command).map((option) => this.flag(option)).filter((flag) => flag.names.length > 0),
      args: command.registeredArguments.map((argument) => this.kindOf(argument.name(), argument.argChoices)),
      variadic: command.registeredArguments.at(-1)?.variadic ?? false,
    };
    this.nodes.push(node);
    for (const child of help.visibleCommands(command)) {
      if (!SAFE.test(child.name())) continue;
      node.children.push(this.walk(child, path ? `${path} ${child.name()}` : child.name()));
    }
    return node;
  }

  private flag(option: Option): Flag {
    const names = [option.short, option.long].filter((name): name is string => Boolean(name && SAFE.test(name.replace(/^--?/, ''))));
    const valueName = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1];
    return {
      names,
      description: oneLine(option.description),
      value: option.required || option.optional ? { kind: this.kindOf(valueName ?? '', option.argChoices), optional: option.optional } : undefined,
    };
  }

  private kindOf(name: string, choices: Argument['argChoices'] | undefined): Kind {
    if (choices?.length) {
      this.choices.push(choices.filter((choice) => SAFE.test(choice)));
      return `choice${this.choices.length - 1}`;
    }
    if (/^id\b/.test(name)) return 'exercise';
    if (/^lesson\b/.test(name)) return 'lesson';
    if (/^command\b/.test(name)) return 'command';
    if (/file|dir|folder/.test(name)) return 'file';
    return 'none';
  }
}

function oneLine(text: string): string {
  const first = text.split(/\n/)[0]!.replace(/[\p{Cc}]/gu, ' ').trim();
  return first.length > 70 ? `${first.slice(0, 69)}…` : first;
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The shell functions bash and zsh share: plain `case` statements over the tree. */
function sharedFunctions(tree: Tree): string {
  const child = tree.nodes.flatMap((node) => node.children.map((each) =>
    `    ${each.names.map((name) => quote(`${node.path}/${name}`)).join('|')}) _jvo_r=${quote(each.path)} ;;`));
  const spec = tree.nodes.map((node) => {
    const kinds = node.args.join(' ');
    return `    ${quote(node.path)}) _jvo_subs=${quote(node.children.flatMap((each) => each.names).join(' '))}; _jvo_opts=${quote(node.flags.flatMap((flag) => flag.names).join(' '))}; _jvo_args=${quote(kinds)}; _jvo_rest=${quote(node.variadic ? node.args.at(-1)! : '')} ;;`;
  });
  const value = tree.nodes.flatMap((node) => node.flags.filter((flag) => flag.value).map((flag) =>
    `    ${flag.names.map((name) => quote(`${node.path}/${name}`)).join('|')}) _jvo_k=${flag.value!.kind}; _jvo_optional=${flag.value!.optional ? 1 : ''} ;;`));
  const kinds = new Set<Kind>(['lesson', 'exercise', 'command', ...tree.choices.map((_, index) => `choice${index}` as Kind)]);
  const words = [...kinds].map((kind) => `    ${kind}) _jvo_words=${quote(tree.values(kind).join(' '))} ;;`);
  return `# The subcommand of $1 named $2 (a name or an alias), in _jvo_r; empty if none.
_jwt_vs_oauth_child() {
  _jvo_r=
  case "$1/$2" in
${child.join('\n')}
  esac
}
# What $1 offers: subcommands, options, the kinds of its arguments (and of further ones).
_jwt_vs_oauth_spec() {
  _jvo_subs= _jvo_opts= _jvo_args= _jvo_rest=
  case "$1" in
${spec.join('\n')}
  esac
}
# The kind of value option $2 of $1 takes, in _jvo_k; empty if it takes none.
_jwt_vs_oauth_value() {
  _jvo_k= _jvo_optional=
  case "$1/$2" in
${value.join('\n')}
  esac
}
# The words of a kind (lesson numbers, exercise ids, ...); "file" and "none" have none.
_jwt_vs_oauth_words() {
  _jvo_words=
  case "$1" in
${words.join('\n')}
  esac
}
# Walks the words before the cursor ($@): the command path, the positional count, and the kind
# of value the word at the cursor is, if it follows an option that takes one.
_jwt_vs_oauth_walk() {
  _jvo_path= _jvo_n=0 _jvo_pending= _jvo_pending_optional= _jvo_help=
  local w
  for w in "$@"; do
    if [ -n "$_jvo_pending" ]; then
      if [ -z "$_jvo_pending_optional" ] || [ "\${w#-}" = "$w" ]; then _jvo_pending=; continue; fi
      _jvo_pending=
    fi
    case "$w" in
      --*=*) ;;
      -?*) _jwt_vs_oauth_value "$_jvo_path" "$w"; _jvo_pending=$_jvo_k; _jvo_pending_optional=$_jvo_optional ;;
      *)
        _jvo_r=
        [ "$_jvo_n" -eq 0 ] && _jwt_vs_oauth_child "$_jvo_path" "$w"
        if [ -n "$_jvo_r" ]; then _jvo_path=$_jvo_r; else _jvo_n=$((_jvo_n + 1)); fi
        # help exercises show: the words after help name a command path of their own.
        if [ -z "$_jvo_r" ] && [ "$_jvo_path" = help ]; then
          _jwt_vs_oauth_child "$_jvo_help" "$w"
          _jvo_help=\${_jvo_r:-/}
        fi ;;
    esac
  done
}
# What the word at the cursor ($1) may be: words in _jvo_words, and _jvo_files=1 for file names.
_jwt_vs_oauth_candidates() {
  local kind= i=0 k
  _jvo_files= _jvo_words=
  _jwt_vs_oauth_spec "$_jvo_path"
  if [ "\${1#--*=}" != "$1" ]; then
    # --name=value: the value, of the kind the option takes.
    _jwt_vs_oauth_value "$_jvo_path" "\${1%%=*}"
    _jwt_vs_oauth_words "\${_jvo_k:-none}"
    [ "$_jvo_k" = file ] && _jvo_files=1
    return 0
  elif [ -n "$_jvo_pending" ] && { [ -z "$_jvo_pending_optional" ] || [ "\${1#-}" = "$1" ]; }; then
    kind=$_jvo_pending
  elif [ "\${1#-}" != "$1" ]; then
    _jvo_words=$_jvo_opts
    return
  else
    kind=$_jvo_rest
    for k in $_jvo_args; do
      if [ "$i" -eq "$_jvo_n" ]; then kind=$k; fi
      i=$((i + 1))
    done
  fi
  if [ "$kind" = command ]; then
    _jwt_vs_oauth_spec "$_jvo_help"
    _jvo_words=$_jvo_subs
    return 0
  fi
  [ "$kind" = file ] && _jvo_files=1
  _jwt_vs_oauth_words "$kind"
  if [ "$_jvo_n" -eq 0 ] && [ -z "$_jvo_pending" ]; then _jvo_words="$_jvo_subs $_jvo_words"; fi
}
`;
}

function bashScript(tree: Tree): string {
  return `# jwt-vs-oauth completion for bash. Install: add to ~/.bashrc
#   source <(jwt-vs-oauth completion bash)
${sharedFunctions(tree)}
_jwt_vs_oauth() {
  local line i w last cur
  local _jvo_r _jvo_subs _jvo_opts _jvo_args _jvo_rest _jvo_k _jvo_optional _jvo_words _jvo_files
  local _jvo_path _jvo_n _jvo_pending _jvo_pending_optional _jvo_help
  # bash splits --key=file.pem into --key, = and file.pem: join them back.
  local -a typed=()
  for ((i = 1; i <= COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]} last=$((\${#typed[@]} - 1))
    if [ "$w" = = ] && [ "$last" -ge 0 ] && [[ \${typed[last]} == --* && \${typed[last]} != *=* ]]; then typed[last]+==
    elif [ "$last" -ge 0 ] && [[ \${typed[last]} == --*= ]] && [ "\${COMP_WORDS[i-1]}" = = ]; then typed[last]+=$w
    else typed+=("$w"); fi
  done
  cur=\${typed[\${#typed[@]} - 1]}
  COMPREPLY=()
  _jwt_vs_oauth_walk "\${typed[@]:0:\${#typed[@]} - 1}"
  _jwt_vs_oauth_candidates "$cur"
  [[ $cur == --*=* ]] && cur=\${cur#*=}
  while IFS= read -r line; do [ -n "$line" ] && COMPREPLY+=("$line"); done < <(compgen -W "$_jvo_words" -- "$cur")
  if [ -n "$_jvo_files" ]; then
    compopt -o filenames 2>/dev/null || true
    while IFS= read -r line; do [ -n "$line" ] && COMPREPLY+=("$line"); done < <(compgen -f -- "$cur")
  fi
  return 0
}
complete -F _jwt_vs_oauth jwt-vs-oauth
`;
}

function zshScript(tree: Tree): string {
  const descriptions = tree.nodes.flatMap((node) => [
    ...node.children.flatMap((each) => each.names.map((name) => [`${node.path}/${name}`, each.description])),
    ...node.flags.flatMap((flag) => flag.names.map((name) => [`${node.path}/${name}`, flag.description])),
  ]).filter(([, description]) => description).map(([key, description]) => `  ${quote(key!)} ${quote(description!)}`);
  return `#compdef jwt-vs-oauth
# jwt-vs-oauth completion for zsh. Install: add to ~/.zshrc, after compinit
#   source <(jwt-vs-oauth completion zsh)
# or save it as _jwt-vs-oauth in a folder of your $fpath.
${sharedFunctions(tree)}
# What each subcommand and option is for, by "<command path>/<name>".
typeset -gA _jwt_vs_oauth_descriptions
_jwt_vs_oauth_descriptions=(
${descriptions.join('\n')}
)
_jwt_vs_oauth() {
  local _jvo_r _jvo_subs _jvo_opts _jvo_args _jvo_rest _jvo_k _jvo_optional _jvo_words _jvo_files
  local _jvo_path _jvo_n _jvo_pending _jvo_pending_optional _jvo_help word description
  setopt localoptions shwordsplit
  _jwt_vs_oauth_walk "\${(@)words[2,CURRENT-1]}"
  _jwt_vs_oauth_candidates "\${words[CURRENT]}"
  [[ \${words[CURRENT]} == --*=* ]] && compset -P '*='
  local -a candidates
  for word in \${=_jvo_words}; do
    description=\${_jwt_vs_oauth_descriptions[$_jvo_path/$word]}
    candidates+=("\${word//:/\\\\:}\${description:+:$description}")
  done
  (( \${#candidates} )) && _describe -t values jwt-vs-oauth candidates
  [[ -n $_jvo_files ]] && _files
  return 0
}
if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _jwt_vs_oauth "$@"
else
  compdef _jwt_vs_oauth jwt-vs-oauth
fi
`;
}

function fishScript(tree: Tree): string {
  const fishQuote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines: string[] = [];
  const child = tree.nodes.flatMap((node) => node.children.map((each) =>
    `        case ${each.names.map((name) => fishQuote(`${node.path}/${name}`)).join(' ')}\n            echo ${fishQuote(each.path)}`));
  for (const node of tree.nodes) {
    const at = `-n ${fishQuote(`__jwt_vs_oauth_at ${fishQuote(node.path)}`)}`;
    for (const each of node.children) {
      for (const name of each.names) lines.push(`complete -c jwt-vs-oauth -f ${at} -a ${fishQuote(name)} -d ${fishQuote(each.description)}`);
    }
    for (const flag of node.flags) {
      const names = flag.names.map((name) => (name.startsWith('--') ? `-l ${fishQuote(name.slice(2))}` : `-s ${fishQuote(name.slice(1))}`)).join(' ');
      let value = '';
      if (flag.value && !flag.value.optional) {
        const words = tree.values(flag.value.kind);
        value = flag.value.kind === 'file' ? ' -r -F' : words.length ? ` -x -a ${fishQuote(words.join(' '))}` : ' -x';
      }
      lines.push(`complete -c jwt-vs-oauth ${at} ${names}${value} -d ${fishQuote(flag.description)}`);
    }
    const kinds = new Set(node.args);
    for (const kind of kinds) {
      if (kind === 'file') lines.push(`complete -c jwt-vs-oauth ${at} -F`);
      const words = tree.values(kind);
      if (words.length) lines.push(`complete -c jwt-vs-oauth -f ${at} -a ${fishQuote(words.join(' '))}`);
    }
  }
  const valued = tree.nodes.flatMap((node) => node.flags.filter((flag) => flag.value && !flag.value.optional).flatMap((flag) => flag.names.map((name) => fishQuote(`${node.path}/${name}`))));
  return `# jwt-vs-oauth completion for fish. Install once:
#   jwt-vs-oauth completion fish > ~/.config/fish/completions/jwt-vs-oauth.fish
function __jwt_vs_oauth_child --argument-names at word
    switch "$at/$word"
${child.join('\n')}
    end
end
# True when the command line so far names the command path $want ('' for the top).
function __jwt_vs_oauth_at --argument-names want
    set -l at ''
    set -l skip 0
    for word in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        if string match -q -- '-*' $word
            # An option that takes a value: the next word is its value, not a command.
            switch "$at/$word"
                case ${valued.join(' ') || "''"}
                    set skip 1
            end
            continue
        end
        set -l next (__jwt_vs_oauth_child "$at" $word)
        test -n "$next"; or break
        set at $next
    end
    test "$at" = "$want"
end
complete -c jwt-vs-oauth -f
${lines.join('\n')}
`;
}
