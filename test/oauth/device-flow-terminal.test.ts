// `oauth --flow device --no-browser` on a real terminal (tmux): the terminal tells the user to open
// the verification URI on a phone and type the code, then plays the phone: it asks for the email,
// the password (again after a wrong one) and the consent, and the TV, really waiting its polling
// interval, signs in.

import { afterEach, describe, expect, test } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';

let session: TerminalSession | undefined;
afterEach(() => session?.close());

describe.skipIf(!tmuxAvailable())('oauth --flow device --no-browser in a terminal (tmux is installed)', () => {
  test('the terminal plays the phone: asks email, password and consent; the TV signs in (exit 0)', async () => {
    session = new TerminalSession(`node ${BIN} oauth --flow device --no-browser`, { unset: ['CI', 'DISPLAY', 'WAYLAND_DISPLAY'], height: 50, width: 120, historyLimit: 20_000 });
    const asked = { emails: 0, password: false, wrongPassword: false, consent: false, pauses: 0 };
    const deadline = Date.now() + 100_000;
    while (Date.now() < deadline) {
      const screen = session.screen();
      const lastLines = screen.trimEnd().split('\n').slice(-6).join('\n');
      if (/\[exit \d+\]/.test(lastLines)) break;
      let acted = true;
      if (/\? Email/.test(lastLines)) {
        asked.emails++;
        session.press('Enter');
      } else if (/\? Password/.test(lastLines) && !asked.wrongPassword) {
        // First a wrong password: Mock Google refuses it, and the terminal asks again.
        asked.wrongPassword = true;
        session.type('not-the-password', true);
      } else if (/\? Password/.test(lastLines) && !asked.password) {
        asked.password = true;
        session.type('mango-lassi-42', true);
      } else if (/Allow\?/.test(lastLines) && !asked.consent) {
        asked.consent = true;
        session.press('Enter');
      } else if (/Press Enter for the next step\s*$/.test(lastLines)) {
        asked.pauses++;
        session.press('Enter');
      } else {
        acted = false;
      }
      // After a key, wait for the screen to change: one key per prompt, even on a slow machine.
      for (let waited = 0; acted && waited < 5000 && session.screen() === screen; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await session.exitCode(20_000)).toBe(0);
    expect(asked).toMatchObject({ emails: 2, wrongPassword: true, password: true, consent: true });
    expect(asked.pauses).toBeGreaterThanOrEqual(5);
    expect(session.screen()).toMatch(/› Email asha@example\.com/);
    const screen = session.screen().replace(/\s+/g, ' ');
    expect(screen).toMatch(/On your phone, you would open http:\/\/127\.0\.0\.1:\d+\/device and type [A-Z]{4}-[A-Z]{4}\. This is a local demo, so the terminal plays your phone/);
    expect(screen).toContain('Mock Google says: wrong email or password. The demo accounts are shown above.');
    // Consent is asked once, after the right password: never for a sign-in that failed.
    const code = /type ([A-Z]{4}-[A-Z]{4})\. This is a local demo/.exec(screen)![1]!;
    expect(screen.split(`Swaad on your TV (swaad-tv, public), code ${code}, wants: openid, profile, email. Allow?`).length - 1).toBe(1);
    // Each page is explained before it is answered: step 3, then the password; step 4 (the code and
    // its warning), then the warning again and Allow?; then step 5.
    const at = (text: string) => screen.indexOf(text);
    const order = [
      at('Step 3 of 7: On your phone'),
      at('Email asha@example.com'),
      at('Step 4 of 7: Sign in, and the consent page'),
      at(`The page names the device's client and its code, ${code}, and warns: allow this only if you started it yourself`),
      at(`The page shows the code ${code}. Allow only if you started it yourself, on a device in front of you that shows this code.`),
      at('Allow?'),
      at('Step 5 of 7: You allow it'),
    ];
    expect(order.every((index) => index >= 0), JSON.stringify(order)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Someone is watching: the interval is really waited, and said so; the first poll is the first.
    expect(screen).toContain('The device waited 5 seconds, the polling interval, before its first poll (RFC 8628 §3.5).');
    expect(screen).toContain('The device waited 5 seconds, the polling interval, before asking again (RFC 8628 §3.5).');
    expect(screen).toContain('✓ The TV is signed in to Swaad as Asha Rao (asha@example.com); your password never reached it.');
  }, 150_000);
});
if (!tmuxAvailable()) console.log('device-flow-terminal.test.ts: tmux is not installed, so this test is skipped');
