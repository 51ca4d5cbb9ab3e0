// The learner's progress file, opened for a command, with what it had to say about itself.

import type { CommandContext } from './context.js';
import { warnAll } from './output.js';
import type { ProgressStore } from '../lessons/progress.js';

/**
 * Opens the progress file under the home folder of this run's environment and says its notices
 * (a file that did not parse, moved aside) on stderr at once, where it happened, not silently.
 */
export async function openProgressSayingNotices(context: CommandContext): Promise<ProgressStore> {
  const [{ openProgress }, { homeFolder }] = await Promise.all([import('../lessons/progress.js'), import('../lessons/paths.js')]);
  const store = openProgress(homeFolder(context.streams.env));
  warnAll(context.output(), store.notices);
  return store;
}
