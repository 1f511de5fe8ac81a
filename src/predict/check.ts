/**
 * Checking a run in progress against the law's prediction for it: how far the observed loss
 * is above (or below) the predicted one, now, at worst, and in trend; and whether it has
 * stayed above by more than a tolerance for the last few points (a diverging or
 * under-performing run). Also: checking that a compare result ranks the expected schedule first.
 */
import { dataError } from '../errors.js';
import type { Run } from '../core/run.js';
import { type FittedLaw, predictedLoss } from './fitted-law.js';
import { observedInWindow } from './observed.js';
import { firstNonLoss, unpredictableError, unpredictableReason } from './validity.js';

/** Options of checkRun. */
export interface CheckOptions {
  /** Relative tolerance (0.01 = observed may be 1 % above the prediction). Default: from the fit's error. */
  tolerance?: number;
  /** Fail when this many last points are all above the tolerance. */
  window?: number;
  /** Points used for the trend. */
  trendPoints?: number;
  /** Compare a centred moving average of this many points (noisy per-step loss). */
  smooth?: number;
}

/** One checked point. */
export interface CheckPoint {
  step: number;
  observed: number;
  predicted: number;
  /** (observed − predicted) / predicted: positive = worse than predicted. */
  deviation: number;
}

/** The outcome of checkRun. */
export interface CheckResult {
  tolerance: number;
  /** How the tolerance was chosen. */
  toleranceSource: 'given' | 'fit-error';
  window: number;
  points: CheckPoint[];
  latest: CheckPoint;
  worst: CheckPoint;
  /** Least-squares slope of the deviation over the last `trendPoints` points, per 1000 steps. */
  trendPer1000Steps: number;
  trendPoints: number;
  /** First step of the final streak of points above the tolerance, or null when the latest point is within it. */
  aboveToleranceSince: number | null;
  /**
   * Where that excursion began: the streak extended back over the points above half the
   * tolerance that lead into it (a slow drift starts before it crosses the tolerance).
   */
  deviatingSince: number | null;
  /** False when the last `window` points are all above the tolerance. */
  passed: boolean;
  /** Why the verdict may be weak (too few points, …). */
  notes: string[];
}

/** The smallest default tolerance (0.2 %): below it, ordinary logging noise would fail runs. */
export const MIN_DEFAULT_TOLERANCE = 0.002;

/** Default relative tolerance: three times the fit's RMSE relative to the median predicted loss (at least 0.2 %). */
export function defaultTolerance(law: FittedLaw, predicted: readonly number[]): number {
  const sorted = [...predicted].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return Math.max(MIN_DEFAULT_TOLERANCE, (3 * law.rmse) / median);
}

function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : 0;
}

/** Checks a run's observed loss (after warmup) against the law's prediction for its schedule. */
export function checkRun(law: FittedLaw, run: Run, options: CheckOptions = {}): CheckResult {
  const window = options.window ?? 5;
  const { steps, observed } = observedInWindow(run, options.smooth);
  if (steps.length === 0) throw dataError(`has no loss points after warmup (step ${run.lr.warmupEnd}) to check yet`, run.source);
  const predicted = Array.from(predictedLoss(law, run.lr, steps));
  const bad = firstNonLoss(predicted, steps);
  if (bad) throw unpredictableError(`the schedule of ${run.source}`, unpredictableReason(bad));
  const tolerance = options.tolerance ?? defaultTolerance(law, predicted);
  const points = steps.map((step, i) => ({ step, observed: observed[i], predicted: predicted[i], deviation: (observed[i] - predicted[i]) / predicted[i] }));
  const latest = points[points.length - 1];
  const worst = points.reduce((w, p) => (p.deviation > w.deviation ? p : w), points[0]);
  const trendPoints = Math.min(points.length, options.trendPoints ?? Math.max(window, 20));
  const tail = points.slice(-trendPoints);
  const trendPer1000Steps = 1000 * slope(tail.map((p) => p.step), tail.map((p) => p.deviation));
  let streak = 0;
  while (streak < points.length && points[points.length - 1 - streak].deviation > tolerance) streak++;
  let onset = points.length - streak;
  if (streak > 0) while (onset > 0 && points[onset - 1].deviation > tolerance / 2) onset--;
  const aboveToleranceSince = streak > 0 ? points[points.length - streak].step : null;
  const deviatingSince = streak > 0 ? points[onset].step : null;
  const notes: string[] = [];
  if (points.length < window) notes.push(`only ${points.length} point(s) after warmup, fewer than the window of ${window}: the run cannot fail yet`);
  return {
    tolerance,
    toleranceSource: options.tolerance !== undefined ? 'given' : 'fit-error',
    window,
    points,
    latest,
    worst,
    trendPer1000Steps,
    trendPoints,
    aboveToleranceSince,
    deviatingSince,
    passed: !(points.length >= window && streak >= window),
    notes,
  };
}

/** A compare result as read back from `losscast compare --json`. */
export interface RankingEntry {
  rank: number;
  name: string;
  /** Null for a candidate the law has no prediction for (see problem). */
  finalLoss: number | null;
  gapToBest: number | null;
  tie: boolean;
  /** Why the law has no prediction for this candidate (compare ranks it last). */
  problem?: string | null;
}

/** The outcome of checkBest. */
export interface BestCheck {
  expected: string;
  best: RankingEntry;
  entry: RankingEntry;
  /** True when the expected schedule is ranked first, or (unless strict) tied with the first; never for one without a prediction. */
  passed: boolean;
  tiedWithBest: boolean;
}

/** Checks that `expected` is the predicted best of a ranking (a tie with the best passes unless strict). */
export function checkBest(ranking: readonly RankingEntry[], expected: string, strict = false): BestCheck | null {
  const entry = ranking.find((r) => r.name === expected);
  if (!entry) return null;
  const best = ranking[0];
  const predicted = !entry.problem && entry.finalLoss !== null;
  const tiedWithBest = predicted && entry.rank !== 1 && entry.tie;
  return { expected, best, entry, tiedWithBest, passed: predicted && (entry.rank === 1 || (!strict && tiedWithBest)) };
}
