/**
 * Simulating a schedule with a fitted law: the predicted loss at every step, exactly, in
 * O(steps), plus warnings where the law is on thin ice for this schedule.
 */
import { usageError } from '../errors.js';
import { annealingArea, forwardArea, warmupAsPeak } from '../law/areas.js';
import { lawLoss } from '../law/momentum-law.js';
import { type Schedule, scheduleLrs } from '../schedule/schedule.js';
import { type Warning, warning } from '../warnings.js';
import type { FittedLaw } from './fitted-law.js';

/** A predicted loss curve. */
export interface Prediction {
  schedule: Schedule;
  total: number;
  /** Steps of the curve (after warmup, up to total). */
  steps: number[];
  loss: number[];
  /** Per-step LR of the schedule. */
  lrs: Float64Array;
  finalLoss: number;
  warnings: Warning[];
  /** Forward and annealing areas of every step (as the law saw them). */
  s1: Float64Array;
  s2: Float64Array;
}

/** Options of simulate. */
export interface SimulateOptions {
  /** Length when the spec has no total. */
  total?: number;
  /** Keep one point every N steps (default: about 1000 points). */
  every?: number;
}

/** Number of steps a schedule runs for. */
export function scheduleLength(schedule: Schedule, total?: number): number {
  const length = schedule.total ?? total;
  if (length === undefined) throw usageError(`schedule "${schedule.text}" has no total; add total=STEPS`);
  return length;
}

/** Warnings about where the law does not hold for this schedule. */
export function scheduleWarnings(law: FittedLaw, schedule: Schedule, total: number): Warning[] {
  const out: Warning[] = [];
  const peaks = law.peakLrs;
  if (peaks.length > 0 && !peaks.some((p) => Math.abs(schedule.peak - p) <= 0.01 * p)) {
    out.push(warning('peak-lr-extrapolation', `${schedule.text}: peak LR ${schedule.peak} differs from the fitted peak ${[...new Set(peaks)].join(', ')}; the law is not valid across peak LRs, so this is an extrapolation`));
  }
  const start = Math.max(1, schedule.warmup);
  let zeros = 0;
  let rises = 0;
  let previous = schedule.lrAt(start - 1);
  for (let t = start; t < total; t++) {
    const lr = schedule.lrAt(t);
    if (lr === 0) zeros++;
    if (lr > previous * 1.001 + 1e-30 && t > schedule.warmup) rises++;
    previous = lr;
  }
  if (zeros > 1) out.push(warning('zero-lr-padding', `${schedule.text}: ${zeros} steps at LR 0 after warmup; the law still credits them (S2 keeps growing), so the prediction is too optimistic`));
  if (rises > 0) out.push(warning('lr-increase', `${schedule.text}: the LR rises after warmup (restarts or spikes); the law models re-warming only roughly`));
  return out;
}

/** Predicts the loss curve of `schedule` with `law`. */
export function simulate(law: FittedLaw, schedule: Schedule, options: SimulateOptions = {}): Prediction {
  const total = scheduleLength(schedule, options.total);
  const lrs = scheduleLrs(schedule, total);
  const used = law.warmupAsPeak ? warmupAsPeak(lrs, schedule.warmup) : lrs;
  const s1 = forwardArea(used);
  const s2 = annealingArea(used, law.params.lambda);
  const first = Math.max(1, schedule.warmup);
  const every = options.every ?? Math.max(1, Math.round((total - first) / 1000));
  const steps: number[] = [];
  const loss: number[] = [];
  for (let s = first; s <= total; s += every) {
    steps.push(s);
    loss.push(lawLoss(law.params, s1[s], s2[s]));
  }
  if (steps[steps.length - 1] !== total) {
    steps.push(total);
    loss.push(lawLoss(law.params, s1[total], s2[total]));
  }
  return { schedule, total, steps, loss, lrs, finalLoss: loss[loss.length - 1], warnings: scheduleWarnings(law, schedule, total), s1, s2 };
}

/** Predicted loss at chosen steps (each within 1 … total). */
export function lossAt(law: FittedLaw, prediction: Prediction, at: readonly number[]): number[] {
  const { s1, s2 } = prediction;
  return at.map((s) => {
    if (!Number.isInteger(s) || s < 1 || s > prediction.total) throw usageError(`--at ${s} is outside the schedule (1 … ${prediction.total})`);
    return lawLoss(law.params, s1[s], s2[s]);
  });
}

/** Final loss only, without building arrays: the fast path for ranking many candidates. */
export function finalLoss(law: FittedLaw, schedule: Schedule, total: number): number {
  const { lambda } = law.params;
  const warmupEnd = law.warmupAsPeak ? Math.min(schedule.warmup, total - 1) : 0;
  const atPeak = law.warmupAsPeak && warmupEnd > 0 ? schedule.lrAt(warmupEnd) : 0;
  let s1 = 0;
  let s2 = 0;
  let momentum = 0;
  let previous = 0;
  for (let t = 0; t < total; t++) {
    const lr = t < warmupEnd ? atPeak : schedule.lrAt(t);
    if (t > 0) momentum = lambda * momentum + (previous - lr);
    s1 += lr;
    s2 += momentum;
    previous = lr;
  }
  return lawLoss(law.params, s1, s2);
}
