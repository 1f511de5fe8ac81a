/**
 * Where CLI output goes: results on stdout, warnings and progress on stderr (silenced by
 * --quiet, except errors).
 */
import type { Warning } from '../warnings.js';
import { printable } from '../text/printable.js';
import { paint, useColor } from '../render/style.js';

/** The CLI's output channels. */
export interface Output {
  /** Writes result text to stdout. */
  result(text: string): void;
  /** Writes a warning to stderr unless quiet. */
  warn(w: Warning | string): void;
  /** Writes an informational line to stderr unless quiet. */
  info(text: string): void;
  /** Colour on stdout? */
  color: boolean;
  quiet: boolean;
}

/** Builds the output channels for one command run. */
export function makeOutput(options: { quiet?: boolean; json?: boolean } = {}): Output {
  const quiet = Boolean(options.quiet);
  const errColor = useColor(process.stderr);
  return {
    result: (text) => process.stdout.write(printable(text.endsWith('\n') ? text : `${text}\n`, true)),
    warn: (w) => {
      if (quiet) return;
      const message = typeof w === 'string' ? w : w.message;
      process.stderr.write(`${paint('warning:', '\x1b[33m', errColor)} ${printable(message)}\n`);
    },
    info: (text) => {
      if (!quiet) process.stderr.write(`${printable(text)}\n`);
    },
    color: !options.json && useColor(process.stdout),
    quiet,
  };
}

/** Prints a JSON document on stdout (2-space indent, stable key order as built). */
export function printJson(doc: unknown): void {
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}
