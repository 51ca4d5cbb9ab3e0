// A one-key prompt for lessons: Enter continues, b goes back, q quits. Built on @inquirer/core so
// it behaves like the other prompts (Ctrl-C, no terminal echo) and can be tested the same way.

import { createPrompt, isEnterKey, useKeypress, useState } from '@inquirer/core';

export type NavigationChoice = 'next' | 'back' | 'quit';

export const navigationPrompt = createPrompt<NavigationChoice, { canGoBack: boolean; message?: string }>((config, done) => {
  const [hint, setHint] = useState('');
  useKeypress((key) => {
    if (isEnterKey(key)) return done('next');
    if (key.name === 'q') return done('quit');
    if (key.name === 'b' && config.canGoBack) return done('back');
    setHint(key.name === 'b' ? 'This is the first screen.' : 'Press Enter, b or q.');
  });
  const keys = `${config.message ?? ''}[Enter] continue${config.canGoBack ? '  [b] back' : ''}  [q] quit (progress is kept)`;
  return hint ? `${keys}\n${hint}` : keys;
});
