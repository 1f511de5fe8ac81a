/**
 * What the law-error model needs to know about a fit, as plain data: which law, the shapes of the
 * runs it was fitted on (so a schedule's distance from them can be measured), and whether any of
 * them anneals (when none does, the annealing gain of a cooldown is unknown to the law).
 */
import type { LrProfile } from '../core/lr-profile.js';
import type { ModelName } from '../law/types.js';
import { distanceFromFitted, lengthRatio, type ScheduleShape, shapeOf } from './distance.js';
import { lawErrorScale, maxAnnealGain } from './law-error.js';

/** A fit as the law-error model sees it. */
export interface ErrorContext {
  model: ModelName;
  /** Shapes of the fitted runs; absent when unknown (a params file written before they were saved): every schedule then counts as unseen. */
  fitted?: readonly ScheduleShape[];
  /** No fitted run anneals within the fit window: the law's annealing term was held at 0. */
  annealUnknown: boolean;
  /** Leave the law's own error out (intervals and P(best) then assume the law is right: --no-law-error). */
  off?: boolean;
}

/** The law's error along a schedule: its standard deviation, and the largest annealing gain the fit could not see, at each step. */
export interface LawErrorAlong {
  sigma: Float64Array;
  /** 0 everywhere unless the annealing gain is unknown (ErrorContext.annealUnknown). */
  unseenGain: Float64Array;
  /** The schedule's distance from the nearest fitted run, at its last step (for reports). */
  distance: number;
  /** Its length over the longest fitted run's. */
  lengthRatio: number;
}

/** The law error of `context`'s fit at each of the sorted `steps` of a schedule whose predicted loss there is `center`. */
export function lawErrorAlong(context: ErrorContext, profile: LrProfile, steps: ArrayLike<number>, center: ArrayLike<number>): LawErrorAlong {
  const n = steps.length;
  const sigma = new Float64Array(n);
  const fitted = context.fitted ?? [];
  let distance = Infinity;
  let ratio = Infinity;
  for (let i = 0; i < n; i++) {
    const shape = shapeOf(profile, Math.max(1, Math.round(steps[i])));
    distance = context.fitted ? distanceFromFitted(shape, fitted) : Infinity;
    ratio = context.fitted ? lengthRatio(shape, fitted) : Infinity;
    sigma[i] = context.off ? 0 : lawErrorScale(context.model, center[i], distance, ratio);
  }
  const unseenGain = context.annealUnknown ? maxAnnealGain(profile, steps) : new Float64Array(n);
  return { sigma, unseenGain, distance, lengthRatio: ratio };
}
