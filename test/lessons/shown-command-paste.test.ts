// The tutorial's "Try it" and hands-on commands on a narrow screen: pasted into a shell as they are
// shown, they are the same command, every character of a long argument kept (attack review).

import { expect, test } from 'vitest';
import { layoutShownCommand } from '../../src/cli/lesson-view.js';

const COMMAND = 'jwt-vs-oauth mint --secret PbvDNisJf9teQsO6HmR7vzM5gfyj4WkVfIKvXdDiQZI= --iss https://practice-api.jwt-vs-oauth.local --sub asha';

test.each([30, 40, 60])('at %i columns, with colour, the command pastes back whole', (width) => {
  const shown = layoutShownCommand('Try it: ', COMMAND, width, (text) => `\x1b[36m${text}\x1b[39m`).join('\n').replace(/\x1b\[[0-9;]*m/g, '');
  // What a shell does: backslash-newline removed, then words split at spaces.
  expect(shown.slice('Try it: '.length).replace(/\\\n/g, '').split(/\s+/)).toEqual(COMMAND.split(' '));
});
