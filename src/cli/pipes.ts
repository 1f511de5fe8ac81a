/**
 * A closed pipe ends losscast quietly. When the reader of stdout (or stderr) goes away —
 * `losscast demo | head`, `fit --json | true` — the next write fails with EPIPE; losscast then
 * exits at once, without a message, with status 141 (128 + SIGPIPE, what a shell reports for a
 * program stopped by a closed pipe). Not 0: a CI gate whose verdict was never delivered must not
 * read as a pass.
 */

/** Exit status after the reader of stdout or stderr has gone. */
export const EXIT_CLOSED_PIPE = 141;

/** Makes EPIPE on stdout and stderr end the process quietly (call once, from the executable). */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(EXIT_CLOSED_PIPE);
      throw err;
    });
  }
}
