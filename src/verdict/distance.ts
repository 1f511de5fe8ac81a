/**
 * How far a schedule lies from what a fit has seen. A schedule is summarised by its shape: the LR
 * relative to its peak at evenly spaced points after its warmup. Two schedules are compared either
 * step by step (the same absolute steps: a WSD run before its cooldown *is* the constant run) or
 * on relative time (a cosine of 50k steps has the shape of a cosine of 25k steps, at twice the
 * length); the distance is the root-mean-square gap of the relative LR, plus |log| of the length
 * ratio and of the peak ratio. The law's error grows with it (law-error.ts) and candidates close to
 * each other share their error (their draws are correlated).
 */
import { lrAt, type LrProfile } from '../core/lr-profile.js';

/** Points at which a shape is sampled. */
export const SHAPE_POINTS = 65;

/**
 * A schedule's shape after its warmup (warmups are compared apart: verdict/limits.ts): its length,
 * peak and warmup end, and LR/peak at SHAPE_POINTS evenly spaced steps from the warmup end to
 * length − 1.
 */
export interface ScheduleShape {
  length: number;
  peak: number;
  warmupEnd: number;
  lr: number[];
}

/** The step of sample k of a shape. */
function sampleStep(shape: { length: number; warmupEnd: number }, k: number): number {
  return shape.warmupEnd + (k / (SHAPE_POINTS - 1)) * Math.max(0, shape.length - 1 - shape.warmupEnd);
}

/** The shape of the first `length` steps of a profile (default: all of it). */
export function shapeOf(profile: LrProfile, length = profile.length): ScheduleShape {
  const n = Math.max(1, Math.min(length, profile.length));
  const peak = profile.peak > 0 ? profile.peak : 1;
  const warmupEnd = Math.min(profile.warmupEnd, n - 1);
  const lr = Array.from({ length: SHAPE_POINTS }, (_, k) => lrAt(profile, Math.round(sampleStep({ length: n, warmupEnd }, k))) / peak);
  return { length: n, peak: profile.peak, warmupEnd, lr };
}

/** LR/peak of a shape at step t after its warmup (linear between its samples; the end values beyond its ends). */
function relativeLrAt(shape: ScheduleShape, t: number): number {
  const span = Math.max(1, shape.length - 1 - shape.warmupEnd);
  const x = (Math.min(Math.max(t - shape.warmupEnd, 0), span) / span) * (SHAPE_POINTS - 1);
  const i = Math.min(SHAPE_POINTS - 2, Math.floor(x));
  return shape.lr[i] + (x - i) * (shape.lr[i + 1] - shape.lr[i]);
}

function rms(f: (k: number) => number): number {
  let total = 0;
  for (let k = 0; k < SHAPE_POINTS; k++) total += f(k) ** 2;
  return Math.sqrt(total / SHAPE_POINTS);
}

/**
 * Distance between two schedule shapes: the smaller of the step-by-step gap (when `a` is no longer
 * than `b`, compared on a's steps) and the relative-time gap plus |log(length ratio)|, plus
 * |log(peak ratio)|.
 */
export function shapeDistance(a: ScheduleShape, b: ScheduleShape): number {
  const relative = rms((k) => a.lr[k] - b.lr[k]) + Math.abs(Math.log(a.length / b.length));
  const absolute = a.length <= b.length ? rms((k) => a.lr[k] - relativeLrAt(b, sampleStep(a, k))) : Infinity;
  const peak = a.peak > 0 && b.peak > 0 ? Math.abs(Math.log(a.peak / b.peak)) : 0;
  return Math.min(relative, absolute) + peak;
}

/** Distance of a schedule from the nearest fitted run (Infinity when the fitted runs are unknown). */
export function distanceFromFitted(shape: ScheduleShape, fitted: readonly ScheduleShape[]): number {
  let best = Infinity;
  for (const f of fitted) best = Math.min(best, shapeDistance(shape, f));
  return best;
}

/** How many times longer than the longest fitted run a schedule is (Infinity when the fitted runs are unknown). */
export function lengthRatio(shape: ScheduleShape, fitted: readonly ScheduleShape[]): number {
  const longest = Math.max(0, ...fitted.map((f) => f.length));
  return longest > 0 ? shape.length / longest : Infinity;
}
