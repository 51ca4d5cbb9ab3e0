// The look of an answered prompt. Inquirer's own done marker is a green ✔ whatever was answered,
// so a wrong answer showed "✔ Your answer bob" above our "✗ Not quite". Once answered, a prompt
// shows a neutral marker with the answer; whether it was right is said by our own ✓/✗ line.

/** Shown before an answered prompt: says "answered", never "right". */
export const ANSWERED_MARK = '›';

/** Pass as `theme` to any @inquirer prompt. */
export const promptTheme = { prefix: { done: ANSWERED_MARK } };
