/**
 * Forecasting a run in progress: the log covers a prefix of a run whose whole schedule is planned;
 * the law fitted on that prefix predicts the rest. A thin user of the verdict machinery: the
 * interval is the law's (bootstrap, the law's own error, an unseen annealing gain when no decay
 * has happened yet), calibrated on the run itself by backtests — forecasts made from earlier cut
 * points, scored on what was logged since.
 */
import type { Run } from '../core/run.js';
import { dataError } from '../errors.js';
import { cutRun } from '../law/mixture/folds.js';
import { fitLaw } from '../law/registry.js';
import type { FitOptions, FitResult, ModelName } from '../law/types.js';
import { type FittedLaw, lawFromFit, predictedLoss, errorContext } from '../predict/fitted-law.js';
import { selectPoints } from '../fit/points.js';
import { lossAt, type Prediction, type PredictionBand, predictionBandOf, simulate } from '../predict/simulate.js';
import { DEFAULT_NOISE_FLOOR, type Uncertainty } from '../predict/uncertainty.js';
import type { Schedule } from '../schedule/schedule.js';
import { lawErrorAlong } from '../verdict/context.js';
import type { Warning } from '../warnings.js';

/** Where the backtests cut the logged part of the run after its warmup. */
export const BACKTEST_CUTS: readonly number[] = [0.5, 0.75];

/** One backtest: the forecast made from an earlier cut point, scored at the last logged step. */
export interface Backtest {
  /** The last step the backtest's fit saw. */
  from: number;
  /** The step it was scored at (the last logged step). */
  to: number;
  predicted: number;
  observed: number;
  /** Predicted minus observed. */
  error: number;
  /** |error| over the standard deviation the law's own error and the run's scatter gave it. */
  z: number;
}

/** A forecast. */
export interface Forecast {
  law: FittedLaw;
  /** The planned length of the run. */
  total: number;
  /** The last logged step. */
  loggedTo: number;
  /** The first step the fit used (charts start there). */
  fittedFrom: number;
  prediction: Prediction;
  band: PredictionBand | null;
  at: number[];
  atLoss: number[];
  backtests: Backtest[];
  /** The factor on the law's own error the backtests called for (≥ 1). */
  inflation: number;
  warnings: Warning[];
}

/** Checks that a log can be forecast under its planned schedule: a planned total, no step past it, points after warmup, an LR that agrees. */
export function checkForecastInput(run: Run, planned: Schedule, window: FitOptions = {}): void {
  if (planned.total === undefined) throw dataError(`the planned schedule "${planned.text}" has no total: give the run's planned length (total=STEPS)`, run.source);
  const last = run.steps[run.steps.length - 1];
  if (last > planned.total) throw dataError(`logs step ${last.toLocaleString('en-US')}, past the planned total of ${planned.total.toLocaleString('en-US')}: the run is not in progress under this schedule (fit it with losscast fit, or correct total=)`, run.source);
  const mismatch = run.warnings.find((w) => w.code === 'schedule-mismatch');
  if (mismatch) throw dataError(`the planned schedule contradicts the logged LR (${mismatch.message.replace(/^[^:]*: /, '')}); give the schedule the run follows`, run.source);
  const from = window.fromStep ?? planned.warmupEnd;
  const used = selectPoints(run, { ...window, fromStep: from });
  if (used.steps.length < 5) throw dataError(`has ${used.steps.length} point(s) from step ${from.toLocaleString('en-US')} (the end of the planned warmup, or --from-step) on: too few to forecast from (need 5); wait for more of the run`, run.source);
}

/** The backtests of a fit's law on a run: refitted on the run cut at BACKTEST_CUTS of its logged span, each scored at the last logged step. */
export function backtests(run: Run, options: FitOptions & { model?: ModelName; noiseFloor?: number; annealPrior?: FittedLaw['annealPrior'] }): Backtest[] {
  const used = selectPoints(run, options);
  const first = used.steps[0];
  const last = used.steps[used.steps.length - 1];
  const observed = used.loss[used.loss.length - 1];
  const out: Backtest[] = [];
  for (const f of BACKTEST_CUTS) {
    const cutAt = Math.round(first + f * (last - first));
    const cut = cutRun(run, cutAt);
    if (selectPoints(cut, options).steps.length < 5) continue;
    const fit = fitLaw([cut], options);
    const law: FittedLaw = { ...lawFromFit(fit, [cut]), forecastFrom: cut.steps[cut.steps.length - 1], ...(options.annealPrior ? { annealPrior: options.annealPrior } : {}) };
    const predicted = predictedLoss(law, run.lr, [last])[0];
    const error = lawErrorAlong(errorContext(law), run.lr, [last], [predicted]);
    const sd = Math.hypot(error.sigma[0], fit.metrics.rmse, options.noiseFloor ?? DEFAULT_NOISE_FLOOR, error.spread[0] / Math.sqrt(3));
    out.push({ from: cut.steps[cut.steps.length - 1], to: last, predicted, observed, error: predicted - observed, z: Math.abs(predicted - observed) / sd });
  }
  return out;
}

/**
 * The factor on the law's own error the backtests call for: the root-mean-square of their z
 * scores, when above 1 (the law's error on this run was larger than the model of it said); never
 * below 1 (a couple of lucky backtests do not narrow the interval).
 */
export function backtestInflation(tests: readonly Backtest[]): number {
  if (tests.length === 0) return 1;
  return Math.max(1, Math.sqrt(tests.reduce((a, t) => a + t.z * t.z, 0) / tests.length));
}

/** Forecasts the rest of a run: the fitted law (with its bootstrap) and the backtests of the run give the final loss, `at` steps and the band. */
export function forecastRun(run: Run, planned: Schedule, fit: FitResult, uncertainty: Uncertainty | undefined, tests: readonly Backtest[], options: { at?: number[]; notes?: Warning[]; annealPrior?: FittedLaw['annealPrior'] } = {}): Forecast {
  const inflation = backtestInflation(tests);
  const law: FittedLaw = { ...lawFromFit(fit, [run], uncertainty, options.notes ?? fit.notes), lawErrorInflation: inflation, forecastFrom: run.steps[run.steps.length - 1], ...(options.annealPrior ? { annealPrior: options.annealPrior } : {}) };
  const total = planned.total!;
  const prediction = simulate(law, planned, { total });
  const at = options.at ?? [];
  const atLoss = lossAt(law, prediction, at);
  const band = predictionBandOf(law, prediction, at, atLoss);
  return { law, total, loggedTo: run.steps[run.steps.length - 1], fittedFrom: fit.runs[0]?.steps[0] ?? prediction.steps[0], prediction, band, at, atLoss, backtests: [...tests], inflation, warnings: [...law.notes, ...prediction.warnings] };
}
