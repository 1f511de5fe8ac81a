/**
 * Held-out accuracy: fit the law on some runs, predict others it did not see, and score the
 * predictions with the papers' metrics (R², MAE, RMSE, PredE, WorstE). Either a fixed
 * train/test split or leave-one-out over all runs.
 */
import { dataError } from '../errors.js';
import { type FitOptions, type FitResult, fitLaw } from '../fit/fit-law.js';
import { averageMetrics, type Metrics, scoreCurve } from '../fit/metrics.js';
import { observedAfterWarmup } from './observed.js';
import type { Run } from '../fit/run.js';
import type { Role } from '../io/manifest.js';
import { lossAtSteps } from '../law/evaluate-law.js';
import type { LawParams } from '../law/momentum-law.js';

/** Options of an evaluation. */
export interface EvaluateOptions extends FitOptions {
  /** Score against a centred moving average of this many points (1 = raw loss). */
  smooth?: number;
}

/** One run scored against a law. */
export interface ScoredRun {
  label: string;
  source: string;
  role: Role;
  series: Run['series'];
  /** The law it was scored against, when it differs per run (leave-one-out). */
  params?: LawParams;
  metrics: Metrics;
  finalObserved: number;
  finalPredicted: number;
  /** Predicted minus observed loss at the last scored step. */
  finalError: number;
  steps: number[];
  observed: number[];
  predicted: number[];
}

/** The result of an evaluation. */
export interface Evaluation {
  mode: 'split' | 'leave-one-out';
  /** The fit on the train runs (split) or on all runs (leave-one-out). */
  fit: FitResult;
  /** Every run with its score: train runs in-sample, test runs held out. */
  runs: ScoredRun[];
  /** Mean metrics over the test (held-out) runs. */
  average: Metrics;
  smooth: number;
}

/**
 * Scores the law's prediction for `run` over all its points after warmup (the fit's
 * --from-step/--to-step window does not narrow the scoring: a held-out curve is judged whole).
 */
export function scoreRun(params: LawParams, run: Run, role: Role, options: EvaluateOptions = {}): ScoredRun {
  const { steps, observed } = observedAfterWarmup(run, options.smooth);
  if (steps.length === 0) throw dataError(`has no points to score after warmup (step ${run.warmupEnd})`, run.source);
  const predicted = lossAtSteps(params, run.lrs, steps, { warmupAsPeak: options.warmupAsPeak, warmupEnd: run.warmupEnd });
  const n = steps.length;
  return {
    label: run.label,
    source: run.source,
    role,
    series: run.series,
    metrics: scoreCurve(observed, predicted),
    finalObserved: observed[n - 1],
    finalPredicted: predicted[n - 1],
    finalError: predicted[n - 1] - observed[n - 1],
    steps,
    observed,
    predicted,
  };
}

/** Fits the runs marked train and scores every run (test runs held out). */
export function evaluateSplit(runs: readonly Run[], roles: readonly Role[], options: EvaluateOptions = {}): Evaluation {
  const train = runs.filter((_, i) => roles[i] === 'train');
  if (train.length === 0) throw dataError('no run has role "train"; mark the runs to fit with "role": "train"');
  if (!roles.includes('test')) throw dataError('no run has role "test"; mark held-out runs with "role": "test", or use --leave-one-out');
  const fit = fitLaw(train, options);
  const scored = runs.map((run, i) => scoreRun(fit.params, run, roles[i], options));
  return { mode: 'split', fit, runs: scored, average: averageMetrics(scored.filter((r) => r.role === 'test').map((r) => r.metrics)), smooth: options.smooth ?? 1 };
}

/** For each run: fit all the others, score that one. `onFold` reports progress. */
export function evaluateLeaveOneOut(runs: readonly Run[], options: EvaluateOptions = {}, onFold?: (done: number, total: number) => void): Evaluation {
  if (runs.length < 2) throw dataError('leave-one-out needs at least 2 runs');
  const scored = runs.map((run, i) => {
    const fold = fitLaw(runs.filter((_, j) => j !== i), options);
    onFold?.(i + 1, runs.length);
    return { ...scoreRun(fold.params, run, 'test', options), params: fold.params };
  });
  const fit = fitLaw(runs, options);
  return { mode: 'leave-one-out', fit, runs: scored, average: averageMetrics(scored.map((r) => r.metrics)), smooth: options.smooth ?? 1 };
}
