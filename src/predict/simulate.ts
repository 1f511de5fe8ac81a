/**
 * Simulating a schedule with a fitted law: the predicted loss along the schedule, plus
 * warnings where the law is on thin ice for this schedule. The schedule is walked as an LR
 * profile (segments), so memory does not grow with its length.
 */
import { forEachStretch, isConstant, type LrProfile, lrsAt } from '../core/lr-profile.js';
import { usageError } from '../errors.js';
import { checkTotal, type Schedule, scheduleProfile } from '../schedule/schedule.js';
import { type Warning, warning } from '../warnings.js';
import { errorContext, type FittedLaw, predictedLoss } from './fitted-law.js';
import { lawErrorAlong } from '../verdict/context.js';
import { unseenWarmupWarning } from '../verdict/limits.js';
import { type Interval, predictionBand } from './uncertainty.js';
import { firstNonLoss, notALoss, unpredictableError, unpredictableReason } from './validity.js';

/** A predicted loss curve. */
export interface Prediction {
  schedule: Schedule;
  total: number;
  /** Steps of the curve (from the end of warmup, or the first step with a loss, up to total). */
  steps: number[];
  loss: number[];
  /** LR at each of those steps. */
  lr: number[];
  finalLoss: number;
  warnings: Warning[];
  /** The schedule's per-step LR as the law saw it. */
  profile: LrProfile;
}

/**
 * Most points of a predicted curve (--csv --every): 20,000 rows is more than any chart needs, and
 * the Multi-Power Law's cost grows with the points (use --at for chosen steps).
 */
export const MAX_CURVE_POINTS = 20_000;

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
  checkTotal(length, `schedule "${schedule.text}"`);
  return length;
}

/** Steps at LR 0 and LR rises after warmup, found in one pass over the profile. */
function lrOddities(profile: LrProfile, warmup: number): { zeros: number; rises: number } {
  let zeros = 0;
  let rises = 0;
  let previous = Number.NaN;
  forEachStretch(profile, Math.max(0, warmup - 1), profile.length, (from, to, s) => {
    const visit = (t: number, lr: number, count: number) => {
      if (t >= warmup && lr === 0) zeros += count;
      if (t > warmup && lr > previous * 1.001 + 1e-30) rises++;
      previous = lr;
    };
    if (isConstant(s)) visit(from, s.lr, to - from);
    else for (let t = from; t < to; t++) visit(t, s.lrAt(t), 1);
  });
  return { zeros, rises };
}

/** Warnings about where the law does not hold for this schedule. */
export function scheduleWarnings(law: FittedLaw, schedule: Schedule, profile: LrProfile): Warning[] {
  const out: Warning[] = [];
  const peaks = law.peakLrs;
  if (peaks.length > 0 && !peaks.some((p) => Math.abs(schedule.peak - p) <= 0.01 * p)) {
    out.push(warning('peak-lr-extrapolation', `${schedule.text}: peak LR ${schedule.peak} differs from the fitted peak ${[...new Set(peaks)].join(', ')}; the law is not valid across peak LRs, so this is an extrapolation`));
  }
  out.push(...unseenWarmupWarning(schedule, law.warmups));
  const { zeros, rises } = lrOddities(profile, Math.max(1, schedule.warmupEnd));
  if (zeros > 1) out.push(warning('zero-lr-padding', `${schedule.text}: ${zeros} steps at LR 0 after warmup; the law still credits them, so the prediction is too optimistic`));
  if (rises > 0) out.push(warning('lr-increase', `${schedule.text}: the LR rises after warmup (restarts or spikes); the law models re-warming only roughly`));
  return out;
}

/** The steps a curve is drawn at: from the end of warmup to total, every `every` steps, and total. */
export function curveSteps(first: number, total: number, every: number): number[] {
  const steps: number[] = [];
  for (let s = first; s <= total; s += every) steps.push(s);
  if (steps[steps.length - 1] !== total) steps.push(total);
  return steps;
}

/** Predicts the loss curve of `schedule` with `law`; throws (exit 4) when the law's value along it is not a loss. */
export function simulate(law: FittedLaw, schedule: Schedule, options: SimulateOptions = {}): Prediction {
  const total = scheduleLength(schedule, options.total);
  const profile = scheduleProfile(schedule, total);
  const first = Math.min(Math.max(1, schedule.warmupEnd), total);
  const every = options.every ?? Math.max(1, Math.round((total - first) / 1000));
  const points = Math.floor((total - first) / every) + 1 + ((total - first) % every === 0 ? 0 : 1);
  if (points > MAX_CURVE_POINTS) throw usageError(`a curve every ${every} step(s) over ${total.toLocaleString('en-US')} steps has ${points.toLocaleString('en-US')} points, more than ${MAX_CURVE_POINTS.toLocaleString('en-US')}; use --every ${Math.ceil((total - first) / (MAX_CURVE_POINTS - 2))} or more`);
  const drawn = curveSteps(first, total, every);
  const values = Array.from(predictedLoss(law, profile, drawn));
  // the curve starts where the law has a loss: before any LR area (an LR of 0 so far) it has none
  let start = 0;
  while (start < values.length - 1 && values[start] === Number.POSITIVE_INFINITY) start++;
  const steps = drawn.slice(start);
  const loss = values.slice(start);
  const warnings = scheduleWarnings(law, schedule, profile);
  const bad = firstNonLoss(loss, steps);
  if (bad) throw unpredictableError(`schedule "${schedule.text}"`, unpredictableReason(bad, extrapolationContext(warnings)));
  const lr = lrsAt(profile, steps.map((s) => Math.min(s, total - 1)));
  return { schedule, total, steps, loss, lr, finalLoss: loss[loss.length - 1], warnings, profile };
}

/** What makes a schedule an extrapolation, for the refusal message (its peak-LR warning, shortened). */
export function extrapolationContext(warnings: readonly Warning[]): string {
  const peak = warnings.find((w) => w.code === 'peak-lr-extrapolation');
  return peak ? peak.message.replace(/^.*?: (peak LR [^;]*);.*$/, '$1') : '';
}

/** Predicted loss at chosen steps (each within the curve's first step … total, any order). */
export function lossAt(law: FittedLaw, prediction: Prediction, at: readonly number[]): number[] {
  for (const s of at) if (!Number.isInteger(s) || s < 1 || s > prediction.total) throw usageError(`--at ${s} is outside the schedule (1 … ${prediction.total})`);
  const sorted = [...new Set(at)].sort((a, b) => a - b);
  const values = predictedLoss(law, prediction.profile, sorted);
  const early = sorted.find((s, i) => values[i] === Number.POSITIVE_INFINITY && s < prediction.steps[0]);
  if (early !== undefined) throw usageError(`--at ${early}: the law has no loss there, as no learning has happened yet (the LR area is still 0); ask for a later step`);
  const bad = firstNonLoss(values, sorted);
  if (bad) throw unpredictableError(`schedule "${prediction.schedule.text}"`, unpredictableReason(bad, extrapolationContext(prediction.warnings)));
  return at.map((s) => values[sorted.indexOf(s)]);
}

/** Final loss only: the fast path for ranking many candidates (throws, exit 4, when it is not a loss). */
export function finalLoss(law: FittedLaw, schedule: Schedule, total: number): number {
  const profile = scheduleProfile(schedule, total);
  const loss = predictedLoss(law, profile, [total])[0];
  const why = notALoss(loss);
  if (why) throw unpredictableError(`schedule "${schedule.text}"`, unpredictableReason({ step: total, why }, extrapolationContext(scheduleWarnings(law, schedule, profile))));
  return loss;
}

/** Points at which a prediction's band is computed (the band is smooth; charts interpolate between them). */
export const BAND_POINTS = 200;

/** A prediction's intervals: at the final step, at chosen steps, and along the curve. */
export interface PredictionBand {
  final: Interval;
  at: Interval[];
  /** The band along the curve at up to BAND_POINTS of its steps. */
  steps: number[];
  lo: number[];
  hi: number[];
}

/** The intervals of a prediction from the law's bootstrap (null when the law has none; throws, exit 4, when a resampled law gives no loss). */
export function predictionBandOf(law: FittedLaw, prediction: Prediction, at: readonly number[] = [], atLoss: readonly number[] = []): PredictionBand | null {
  const u = law.uncertainty;
  if (!u) return null;
  const stride = Math.max(1, Math.ceil(prediction.steps.length / BAND_POINTS));
  const picked = prediction.steps.map((_, i) => i).filter((i) => i % stride === 0 || i === prediction.steps.length - 1);
  const steps = picked.map((i) => prediction.steps[i]);
  const what = `schedule "${prediction.schedule.text}"`;
  const context = errorContext(law);
  const center = picked.map((i) => prediction.loss[i]);
  const band = predictionBand(u, prediction.profile, steps, center, what, lawErrorAlong(context, prediction.profile, steps, center))!;
  const sortedAt = [...new Set(at)].sort((a, b) => a - b);
  const atCenter = sortedAt.map((s) => atLoss[at.indexOf(s)]);
  const atBand = sortedAt.length > 0 ? predictionBand(u, prediction.profile, sortedAt, atCenter, what, lawErrorAlong(context, prediction.profile, sortedAt, atCenter))! : [];
  return {
    final: band[band.length - 1],
    at: at.map((s) => atBand[sortedAt.indexOf(s)]),
    steps,
    lo: band.map((b) => b.lo),
    hi: band.map((b) => b.hi),
  };
}
