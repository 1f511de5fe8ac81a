/**
 * Output that cannot be written ends losscast with one line, never a stack trace.
 *
 * A closed pipe ends losscast quietly. When the reader of stdout (or stderr) goes away —
 * `losscast demo | head`, `fit --json | true` — the next write fails with EPIPE; losscast then
 * exits at once, without a message, with status 141 (128 + SIGPIPE, what a shell reports for a
 * program stopped by a closed pipe). Not 0: a CI gate whose verdict was never delivered must not
 * read as a pass.
 *
 * Any other failed write (a full disk, `> /dev/full`: ENOSPC; an I/O error: EIO; a file over the
 * size limit: EFBIG) ends losscast with one line on stderr naming the stream and the cause, and
 * status 1: the result was not delivered.
 */
import { writeSync } from 'node:fs';
import { EXIT_BAD_DATA } from '../errors.js';

/** Exit status after the reader of stdout or stderr has gone. */
export const EXIT_CLOSED_PIPE = 141;

/** Why writing failed, in a few words, by error code. */
const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'the file is too large',
  EIO: 'an input/output error',
  EBADF: 'the stream is closed',
  EACCES: 'permission denied',
  EROFS: 'a read-only file system',
};

/** The one line printed when `stream` could not be written (`code` from the error). */
export function outputErrorMessage(stream: 'standard output' | 'standard error', code: string | undefined): string {
  const cause = code ? `${code}: ${CAUSES[code] ?? 'the write failed'}` : 'the write failed';
  return `losscast: cannot write to ${stream} (${cause}); free some space, or redirect the output elsewhere\n`;
}

/** Makes a failed write on stdout or stderr end the process cleanly (call once, from the executable). */
export function exitCleanlyOnOutputErrors(): void {
  for (const [stream, name] of [[process.stdout, 'standard output'], [process.stderr, 'standard error']] as const) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(EXIT_CLOSED_PIPE);
      try {
        writeSync(2, outputErrorMessage(name, err.code)); // directly: the stream itself may be the broken one
      } catch {
        // stderr is broken too: the exit status says it
      }
      process.exit(EXIT_BAD_DATA);
    });
  }
}
