// What a lesson demo declares about itself (its args, what it makes and reads), and the small
// helpers the lists in demo-names*.ts share. Light on purpose: the lesson loader imports these.

/** One argument a demo takes: a string (the only kind the demos need), required or not. */
export interface DemoArg {
  type: 'string';
  required: boolean;
  description: string;
}

export interface DemoSpec {
  /** One line: what the demo does (also the JSON Schema's description). */
  description: string;
  args: Readonly<Record<string, DemoArg>>;
  /** The saved names (such as "accessToken") the demo makes, given its args. */
  makes(args: Readonly<Record<string, string>>): string[];
  /** The saved names it reads, which an earlier step must have made. */
  reads(args: Readonly<Record<string, string>>): string[];
  /** Saved names it reads as tokens when they are there (a sign-in's), making them otherwise. */
  readsIfSaved?: readonly string[];
}

export const none = () => [];
/** The tokens a sign-in at Mock Google makes. */
export const SIGN_IN_NAMES = ['accessToken', 'idToken'];
export const signIn = () => SIGN_IN_NAMES;
export const saveArg = (what: string, fallback: string): DemoArg => ({ type: 'string', required: false, description: `The name to keep ${what} under for later steps (default "${fallback}"): {{${fallback}}} in a later command.` });
