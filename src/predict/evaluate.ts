/**
 * Held-out accuracy: fit a law on some runs, predict others it did not see, and score the
 * predictions with the papers' metrics (R², MAE, RMSE, PredE, WorstE) plus two that see
 * ranking failures: the endpoint error (|pred − obs| at each run's last scored step) and the
 * pairwise order accuracy (of pairs of held-out runs of equal length, the share whose observed
 * final order the law gets right). Either a fixed train/test split or leave-one-out.
 */
import type { Run } from '../core/run.js';
import { dataError } from '../errors.js';
import { averageMetrics, type Metrics, scoreCurve } from '../fit/metrics.js';
import type { Role } from '../io/manifest.js';
import { fitLaw, lawByName } from '../law/registry.js';
import type { FitOptions, FitResult, Model, ModelName } from '../law/types.js';
import { observedInWindow } from './observed.js';
import { bootstrapFit, type Interval, predictionBand, quantile, type Uncertainty, type UncertaintyOptions } from './uncertainty.js';
import { errorContext, type FittedLaw, lawFromFit, predictedLoss } from './fitted-law.js';
import type { AnnealPrior } from '../verdict/law-error.js';
import { type CandidateInfo, type RankingScore, scoreRanking } from './ranking-score.js';
import { type ErrorContext, lawErrorAlong } from '../verdict/context.js';

/** Options of an evaluation. */
export interface EvaluateOptions extends FitOptions, UncertaintyOptions {
  /** The law to fit (default momentum). */
  model?: ModelName;
  /** Score against a centred moving average of this many points (1 = raw loss). */
  smooth?: number;
  /** false: intervals leave the law's own error out (they assume the law is right). */
  lawError?: boolean;
  /** What a decay gains when no train run anneals (--prior). */
  annealPrior?: AnnealPrior;
}

/** How well a fit's intervals cover the held-out runs. */
export interface Calibration {
  level: number;
  /** Share of held-out runs whose last observed point lies inside its interval. */
  endpointCoverage: number;
  /** Share of held-out curve points (up to CALIBRATION_POINTS per run, evenly spaced) inside their intervals. */
  pointCoverage: number;
  /** Median width (hi − lo) of the endpoint intervals. */
  medianWidth: number;
  endpoints: number;
  points: number;
  samples: number;
}

/** Curve points per held-out run on which point coverage is measured (evenly spaced, the last included). */
export const CALIBRATION_POINTS = 100;

/** One run scored against a law. */
export interface ScoredRun {
  label: string;
  source: string;
  role: Role;
  series: Run['series'];
  /** The law it was scored against, when it differs per run (leave-one-out). */
  model?: Model;
  metrics: Metrics;
  /** The scored window: first and last step scored. */
  fromStep: number;
  toStep: number;
  finalObserved: number;
  finalPredicted: number;
  /** Predicted minus observed loss at the last scored step. */
  finalError: number;
  /** With a bootstrap: the prediction interval at the last scored step. */
  interval?: Interval;
  /** With a bootstrap: how many of the run's calibration points lie inside their intervals, of how many. */
  pointsCovered?: [number, number];
  /** With a bootstrap: the prediction band at the calibration points (for charts). */
  band?: { steps: number[]; lo: number[]; hi: number[] };
  steps: number[];
  observed: number[];
  predicted: number[];
}

/** Averages over the held-out runs: the papers' metrics plus endpoint and ordering. */
export interface HeldOutAverage extends Metrics {
  /** Mean |pred − obs| at the held-out runs' last scored steps. */
  endpointError: number;
  /** Worst of those. */
  endpointWorst: number;
  /** Share of pairs of held-out runs of equal length whose observed final order the law gets right (null: no pairs). */
  pairwiseOrder: number | null;
  /** How many such pairs there were. */
  pairs: number;
}

/** The result of an evaluation. */
export interface Evaluation {
  mode: 'split' | 'leave-one-out';
  /** The fit on the train runs (split) or on all runs (leave-one-out). */
  fit: FitResult;
  /** Every run with its score: train runs in-sample, test runs held out. */
  runs: ScoredRun[];
  /** Averages over the test (held-out) runs. */
  average: HeldOutAverage;
  /** With a bootstrap (samples > 0): how well the intervals cover the held-out runs. */
  calibration?: Calibration;
  /** With runs of role "candidate": how well the law ranks them (ranking.ts). */
  ranking?: RankingScore;
  smooth: number;
}

/**
 * Scores the law's prediction for `run` over the window (default: from the end of warmup to the
 * last point); with `law` (the fitted law behind `model`), as predictions make it: with the
 * annealing gain a fit without any decay could not see.
 */
export function scoreRun(model: Model, run: Run, role: Role, options: EvaluateOptions = {}, law?: FittedLaw): ScoredRun {
  const { steps, observed, from, to } = observedInWindow(run, options.smooth, options);
  if (steps.length === 0) throw dataError(`has no points to score between steps ${from} and ${Number.isFinite(to) ? to : 'the end'}; check --from-step / --to-step`, run.source);
  const predicted = Array.from(law ? predictedLoss(law, run.lr, steps) : lawByName(model.law).lossAt(model, run.lr, steps));
  const n = steps.length;
  return {
    label: run.label,
    source: run.source,
    role,
    series: run.series,
    metrics: scoreCurve(observed, predicted),
    fromStep: steps[0],
    toStep: steps[n - 1],
    finalObserved: observed[n - 1],
    finalPredicted: predicted[n - 1],
    finalError: predicted[n - 1] - observed[n - 1],
    steps,
    observed,
    predicted,
  };
}

/**
 * Pairwise order accuracy over runs of equal length (last scored steps within 1 % of each other):
 * of the pairs whose observed finals differ, the share the law orders the same way. Null when
 * there is no pair.
 */
export function pairwiseOrder(runs: readonly ScoredRun[]): { accuracy: number | null; pairs: number } {
  let pairs = 0;
  let right = 0;
  for (let a = 0; a < runs.length; a++) {
    for (let b = a + 1; b < runs.length; b++) {
      const x = runs[a];
      const y = runs[b];
      if (Math.abs(x.toStep - y.toStep) > 0.01 * Math.max(x.toStep, y.toStep) || x.finalObserved === y.finalObserved) continue;
      pairs++;
      if (Math.sign(x.finalPredicted - y.finalPredicted) === Math.sign(x.finalObserved - y.finalObserved)) right++;
    }
  }
  return { accuracy: pairs > 0 ? right / pairs : null, pairs };
}

/** The held-out averages of scored test runs. */
export function heldOutAverage(tests: readonly ScoredRun[]): HeldOutAverage {
  const endpoint = tests.map((r) => Math.abs(r.finalError));
  const order = pairwiseOrder(tests);
  return {
    ...averageMetrics(tests.map((r) => r.metrics)),
    endpointError: endpoint.reduce((a, b) => a + b, 0) / Math.max(1, endpoint.length),
    endpointWorst: Math.max(0, ...endpoint),
    pairwiseOrder: order.accuracy,
    pairs: order.pairs,
  };
}

function fitRuns(runs: readonly Run[], options: EvaluateOptions): FitResult {
  return fitLaw(runs, options);
}

/** Whether a role is held out (predicted, not fitted). */
export function heldOut(role: Role): boolean {
  return role !== 'train';
}

/** The fitted law of a fit on `train` runs, as predictions use it. */
function fittedOf(fit: FitResult, train: readonly Run[], uncertainty: Uncertainty | undefined, options: EvaluateOptions): FittedLaw {
  return { ...lawFromFit(fit, train, uncertainty), ...(options.lawError === false ? { withoutLawError: true } : {}), ...(options.annealPrior ? { annealPrior: options.annealPrior } : {}) };
}

/** The law-error context of a fit on `train` runs. */
function contextOf(fit: FitResult, train: readonly Run[], uncertainty: Uncertainty | undefined, options: EvaluateOptions): ErrorContext {
  return errorContext(fittedOf(fit, train, uncertainty, options));
}

/** A scored run with its intervals from the bootstrap `u` of the law it was scored against, widened by the law's own error (`context`). */
function withIntervals(run: Run, scored: ScoredRun, u: Uncertainty, context: ErrorContext): ScoredRun {
  const n = scored.steps.length;
  const stride = Math.max(1, Math.ceil(n / CALIBRATION_POINTS));
  const picked = scored.steps.map((_, i) => i).filter((i) => i % stride === 0 || i === n - 1);
  const steps = picked.map((i) => scored.steps[i]);
  const center = picked.map((i) => scored.predicted[i]);
  const band = predictionBand(u, run.lr, steps, center, `the schedule of ${run.label}`, lawErrorAlong(context, run.lr, steps, center))!;
  const covered = picked.filter((i, k) => scored.observed[i] >= band[k].lo && scored.observed[i] <= band[k].hi).length;
  return { ...scored, interval: band[band.length - 1], pointsCovered: [covered, picked.length], band: { steps: picked.map((i) => scored.steps[i]), lo: band.map((b) => b.lo), hi: band.map((b) => b.hi) } };
}

/** Coverage of the held-out runs' intervals. */
export function calibrationOf(tests: readonly ScoredRun[], u: Pick<Uncertainty, 'level' | 'samples'>): Calibration {
  const withBand = tests.filter((r) => r.interval && heldOut(r.role));
  const inside = withBand.filter((r) => r.finalObserved >= r.interval!.lo && r.finalObserved <= r.interval!.hi).length;
  const [covered, points] = withBand.reduce(([a, b], r) => [a + r.pointsCovered![0], b + r.pointsCovered![1]], [0, 0]);
  const widths = Float64Array.from(withBand, (r) => r.interval!.hi - r.interval!.lo).sort();
  return { level: u.level, endpointCoverage: inside / Math.max(1, withBand.length), pointCoverage: covered / Math.max(1, points), medianWidth: quantile(widths, 0.5), endpoints: withBand.length, points, samples: u.samples };
}

/** The bootstrap of a fit, unless samples is 0. */
function maybeBootstrap(runs: readonly Run[], fit: FitResult, options: EvaluateOptions): Uncertainty | undefined {
  return options.samples === 0 ? undefined : bootstrapFit(runs, fit, options, options);
}

/** Fits the runs marked train and scores every run (test runs held out). */
export function evaluateSplit(runs: readonly Run[], roles: readonly Role[], options: EvaluateOptions = {}, candidates: readonly CandidateInfo[] = []): Evaluation {
  const train = runs.filter((_, i) => roles[i] === 'train');
  if (train.length === 0) throw dataError('no run has role "train"; mark the runs to fit with "role": "train"');
  if (!roles.some(heldOut)) throw dataError('no run has role "test" or "candidate"; mark held-out runs with "role": "test" (or "candidate" to rank them), or use --leave-one-out');
  const fit = fitRuns(train, options);
  const u = maybeBootstrap(train, fit, options);
  const law = fittedOf(fit, train, u, options);
  const context = errorContext(law);
  const scored = runs.map((run, i) => {
    const s = scoreRun(fit.model, run, roles[i], options, law);
    return u && heldOut(roles[i]) ? withIntervals(run, s, u, context) : s;
  });
  const tests = scored.filter((r) => heldOut(r.role));
  const ranked = runs.map((run, i) => ({ run, info: candidates[i] ?? {} })).filter((_, i) => roles[i] === 'candidate');
  const ranking = ranked.length > 0 ? { ...scoreRanking(law, ranked, options), ...(u ? { coverage: calibrationOf(scored.filter((r) => r.role === 'candidate'), u) } : {}) } : undefined;
  return { mode: 'split', fit, runs: scored, average: heldOutAverage(tests), ...(u ? { calibration: calibrationOf(tests, u) } : {}), ...(ranking ? { ranking } : {}), smooth: options.smooth ?? 1 };
}

/** For each run: fit all the others, score that one. `onFold` reports progress. */
export function evaluateLeaveOneOut(runs: readonly Run[], options: EvaluateOptions = {}, onFold?: (done: number, total: number) => void): Evaluation {
  if (runs.length < 2) throw dataError('leave-one-out needs at least 2 runs');
  let settings: Uncertainty | undefined;
  const scored = runs.map((run, i) => {
    const others = runs.filter((_, j) => j !== i);
    const fold = fitRuns(others, options);
    const u = maybeBootstrap(others, fold, options);
    settings ??= u;
    onFold?.(i + 1, runs.length);
    const s = { ...scoreRun(fold.model, run, 'test' as const, options, fittedOf(fold, others, u, options)), model: fold.model };
    return u ? withIntervals(run, s, u, contextOf(fold, others, u, options)) : s;
  });
  const fit = fitRuns(runs, options);
  return { mode: 'leave-one-out', fit, runs: scored, average: heldOutAverage(scored), ...(settings ? { calibration: calibrationOf(scored, settings) } : {}), smooth: options.smooth ?? 1 };
}
