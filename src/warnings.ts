/** Structured warnings: a stable machine-readable code and a sentence for people. */
import { printable } from './text/printable.js';

/** Something the user should know; `code` is stable across versions (JSON consumers key on it). */
export interface Warning {
  code: string;
  message: string;
}

/** Builds a warning (control characters from a log are escaped). */
export function warning(code: string, message: string): Warning {
  return { code, message: printable(message) };
}
