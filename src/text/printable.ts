/**
 * Text safe for a terminal: control characters from a log (NUL, backspace, an OSC title-setting
 * sequence, C1 controls, …) are shown as escapes instead of acting on the terminal. Every message
 * losscast prints passes through here; losscast's own colour codes (ESC [ … m) are kept.
 */

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const SGR = /\x1b\[[0-9;]*m/y;

function escape(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Escapes every control character except newline and tab (and, with `keepColour`, SGR colour codes). */
export function printable(text: string, keepColour = false): string {
  if (!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (keepColour && text[i] === '\x1b') {
      SGR.lastIndex = i;
      const m = SGR.exec(text);
      if (m) {
        out += m[0];
        i += m[0].length;
        continue;
      }
    }
    const ch = text[i];
    out += CONTROL.test(ch) ? escape(ch) : ch;
    CONTROL.lastIndex = 0;
    i++;
  }
  return out;
}
