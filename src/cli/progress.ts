/**
 * Progress for long work, on stderr: shown only when stderr is a terminal, not with --json
 * or --quiet, and only once the work has taken more than about a second.
 */

/** A progress line that rewrites itself. */
export interface Progress {
  /** Reports `done` of `total` units of `what` (bytes are shown in MB). */
  update(what: string, done: number, total: number, unit?: 'bytes'): void;
  /** Clears the line. */
  end(): void;
}

/** Whether progress may be shown for these options and this stderr. */
export function progressAllowed(options: { json?: boolean; quiet?: boolean }, stream: { isTTY?: boolean } = process.stderr): boolean {
  return Boolean(stream.isTTY) && !options.json && !options.quiet;
}

/** Milliseconds of work before progress shows (LOSSCAST_PROGRESS_DELAY_MS overrides, e.g. 0 in tests). */
function defaultDelay(): number {
  const env = Number(process.env.LOSSCAST_PROGRESS_DELAY_MS);
  return Number.isFinite(env) && env >= 0 ? env : 1000;
}

/** Builds a progress reporter (silent when not allowed). `delayMs`: show nothing before this. */
export function makeProgress(options: { json?: boolean; quiet?: boolean }, delayMs = defaultDelay()): Progress {
  const allowed = progressAllowed(options);
  const start = Date.now();
  let shown = false;
  let last = 0;
  return {
    update(what, done, total, unit) {
      const now = Date.now();
      if (!allowed || now - start < delayMs || (now - last < 100 && done < total)) return;
      shown = true;
      last = now;
      const pct = total > 0 ? Math.floor((100 * done) / total) : 0;
      const amount = unit === 'bytes' ? `${(done / 1e6).toFixed(1)}/${(total / 1e6).toFixed(1)} MB` : `${done}/${total}`;
      process.stderr.write(`\r\x1b[2K${what} ${amount} (${pct} %)`);
    },
    end() {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
