/**
 * Errors that reach the user as one line on stderr, with an exit code.
 * Exit codes: 1 bad data, 2 usage error, 3 a check failed, 4 no valid prediction.
 */
import { printable } from './text/printable.js';

/** Exit code for a file or value that losscast cannot use. */
export const EXIT_BAD_DATA = 1;
/** Exit code for a wrong command line (unknown option, bad spec). */
export const EXIT_USAGE = 2;
/** Exit code for a check that ran and failed. */
export const EXIT_CHECK_FAILED = 3;
/** Exit code for a schedule the law cannot predict: its loss would be negative or not finite. */
export const EXIT_NO_PREDICTION = 4;

/** An error meant for the user: `message` is complete, `exitCode` is what the CLI exits with. */
export class LosscastError extends Error {
  readonly exitCode: number;
  readonly file?: string;
  readonly line?: number;
  constructor(message: string, exitCode: number, file?: string, line?: number) {
    super(printable(message));
    this.name = 'LosscastError';
    this.exitCode = exitCode;
    this.file = file;
    this.line = line;
  }
}

/** Builds "file:line: message" (file and line only when known). */
export function located(message: string, file?: string, line?: number): string {
  if (!file) return message;
  return line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`;
}

/** A bad-data error (exit 1) about a file, and optionally one line of it. */
export function dataError(message: string, file?: string, line?: number): LosscastError {
  return new LosscastError(located(message, file, line), EXIT_BAD_DATA, file, line);
}

/** A usage error (exit 2): the command line or a spec is wrong. */
export function usageError(message: string): LosscastError {
  return new LosscastError(message, EXIT_USAGE);
}
