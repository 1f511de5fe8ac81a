/**
 * The sensible range of every numeric option, in one place, checked before any work: a value
 * outside it (`--noise-floor 1e308`, `--samples 1e9`, `--window 0`) is a usage error naming the
 * option and its range, instead of a negative interval, an endless bootstrap or a check that
 * cannot fail. Options are keyed by their attribute name, so one entry covers every command that
 * has the option. Ranges that depend on the data (blocks after warmup, steps of a schedule) are
 * checked where the data is known.
 */
import type { Command } from 'commander';
import { usageError } from '../errors.js';
import { MAX_SERIES_POINTS } from '../io/builders.js';

/** A numeric option's range, and why its ends are where they are. */
interface Limit {
  min: number;
  /** The value must be above min, not equal to it. */
  aboveMin?: boolean;
  max: number;
  why: string;
}

/** Most points a log keeps (MAX_SERIES_POINTS to twice it): a window of points beyond it cannot exist. */
const MAX_POINTS = 2 * MAX_SERIES_POINTS;

/** Ranges by option attribute name. */
export const OPTION_LIMITS: Readonly<Record<string, Limit>> = {
  samples: { min: 0, max: 10_000, why: 'more refits do not steady the intervals further, and take minutes' },
  noiseFloor: { min: 0, max: 0.1, why: 'a seed-to-seed spread of 0.1 nats is already far beyond any training run' },
  mplPrior: { min: 0, max: 1, why: 'beyond 1 the regulariser alone sets the loss-drop shape' },
  tail: { min: 0, aboveMin: true, max: 1, why: 'a fraction of the steps; 1 charts them all' },
  tolerance: { min: 0, aboveMin: true, max: 1, why: 'a tolerance of a nat, or 100 %, accepts any loss' },
  window: { min: 1, max: MAX_POINTS, why: `a log keeps at most ${MAX_POINTS.toLocaleString('en-US')} points` },
  trend: { min: 2, max: MAX_POINTS, why: `a slope needs 2 points, and a log keeps at most ${MAX_POINTS.toLocaleString('en-US')}` },
  smooth: { min: 1, max: MAX_POINTS, why: `a log keeps at most ${MAX_POINTS.toLocaleString('en-US')} points` },
  maxLines: { min: 1, max: 1000, why: 'a chart of more lines cannot be read' },
  interval: { min: 0.1, max: 3600, why: 'forecast --watch looks at the log at most 10 times a second and at least once an hour' },
};

/** Throws a usage error for a numeric option of `cmd` (as parsed, before its action) outside its range. */
export function checkOptionLimits(cmd: Command): void {
  const opts = cmd.opts();
  for (const option of cmd.options) {
    const key = option.attributeName();
    const limit = OPTION_LIMITS[key];
    const value = opts[key];
    if (limit === undefined || typeof value !== 'number') continue;
    if ((limit.aboveMin ? value > limit.min : value >= limit.min) && value <= limit.max) continue;
    const max = limit.max.toLocaleString('en-US');
    const range = limit.aboveMin ? `above ${limit.min} and at most ${max}` : `from ${limit.min.toLocaleString('en-US')} to ${max}`;
    throw usageError(`${option.long ?? option.flags} ${value}: give a value ${range} (${limit.why})`);
  }
}
