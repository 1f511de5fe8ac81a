/**
 * Progress for long work, on stderr: shown only when stderr is a terminal, not with --json
 * or --quiet, and only once the work has taken more than about a second.
 */

/** A progress line that rewrites itself. */
export interface Progress {
  /** Reports `done` of `total` units of `what`. */
  update(what: string, done: number, total: number): void;
  /** Clears the line. */
  end(): void;
}

/** Whether progress may be shown for these options and this stderr. */
export function progressAllowed(options: { json?: boolean; quiet?: boolean }, stream: { isTTY?: boolean } = process.stderr): boolean {
  return Boolean(stream.isTTY) && !options.json && !options.quiet;
}

/** Builds a progress reporter (silent when not allowed). `delayMs`: show nothing before this. */
export function makeProgress(options: { json?: boolean; quiet?: boolean }, delayMs = 1000): Progress {
  const allowed = progressAllowed(options);
  const start = Date.now();
  let shown = false;
  return {
    update(what, done, total) {
      if (!allowed || Date.now() - start < delayMs) return;
      shown = true;
      const pct = total > 0 ? Math.floor((100 * done) / total) : 0;
      process.stderr.write(`\r\x1b[2K${what} ${done}/${total} (${pct} %)`);
    },
    end() {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
