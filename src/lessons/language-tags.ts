// Which translation of a lesson or exercise file a learner reads: the language with its region first
// (NN-name.hi-IN.json for LANG=hi_IN.UTF-8), then the language alone (NN-name.hi.json), else English.

/** The learner's language tag from JWT_VS_OAUTH_LANG, LC_ALL or LANG: "hi-IN" (from hi_IN.UTF-8), "hi", or "en". */
export function localeFrom(env: NodeJS.ProcessEnv): string {
  const raw = env.JWT_VS_OAUTH_LANG ?? env.LC_ALL ?? env.LANG ?? 'en';
  const match = /^([a-z]{2})(?:[_-]([A-Z]{2}))?/.exec(raw);
  if (!match) return 'en';
  return match[2] ? `${match[1]}-${match[2]}` : match[1]!;
}

/** The tags to try for a language tag, most specific first: "hi-IN" → ["hi-IN", "hi"]; English needs no file. */
export function languageCandidates(tag: string): string[] {
  const language = tag.slice(0, 2);
  return [...new Set([tag, language])].filter((each) => each !== 'en');
}

/** Which of `names` to read for the English file `name` in language `tag`: the region's translation, the language's, else `name` itself. */
export function translatedFile(names: readonly string[], name: string, tag: string): string {
  for (const candidate of languageCandidates(tag)) {
    const translated = name.replace(/\.json$/, `.${candidate}.json`);
    if (names.includes(translated)) return translated;
  }
  return name;
}
