/**
 * What the law-error model needs to know about a fit, as plain data: which law, the shapes of the
 * runs it was fitted on (so a schedule's distance from them can be measured), and whether any of
 * them anneals (when none does, the annealing gain of a cooldown is unknown to the law).
 */
import type { LrProfile } from '../core/lr-profile.js';
import type { ModelName } from '../law/types.js';
import { distanceFromFitted, lengthRatio, type ScheduleShape, shapeOf } from './distance.js';
import { type AnnealPrior, annealGainRange, DEFAULT_ANNEAL_PRIOR, forecastErrorScale, lawErrorScale } from './law-error.js';

/** A fit as the law-error model sees it. */
export interface ErrorContext {
  model: ModelName;
  /** Shapes of the fitted runs; absent when unknown (a params file written before they were saved): every schedule then counts as unseen. */
  fitted?: readonly ScheduleShape[];
  /** No fitted run anneals within the fit window: the law's annealing term was held at 0. */
  annealUnknown: boolean;
  /** Leave the law's own error out (intervals and P(best) then assume the law is right: --no-law-error). */
  off?: boolean;
  /** With annealUnknown: what a decay gains (default DEFAULT_ANNEAL_PRIOR; --prior narrows it). */
  annealPrior?: AnnealPrior;
  /** A factor on the law error measured on the run itself (forecast backtests; ≥ 1). */
  inflation?: number;
  /** A forecast: the last logged step of the run being forecast (the error grows with the part of the run not yet seen). */
  loggedTo?: number;
}

/** The law's error along a schedule: its standard deviation, and the annealing gain the fit could not see, at each step. */
export interface LawErrorAlong {
  sigma: Float64Array;
  /** The middle of the unseen annealing gain (subtracted from the law's prediction); 0 unless the annealing gain is unknown. */
  shift: Float64Array;
  /** Half the width of the unseen gain's range (a uniform spread around the shift). */
  spread: Float64Array;
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
    const law = lawErrorScale(context.model, center[i], distance, ratio);
    const forecast = context.loggedTo !== undefined ? forecastErrorScale(center[i], steps[i], context.loggedTo) : 0;
    sigma[i] = context.off ? 0 : Math.max(law, forecast) * (context.inflation ?? 1);
  }
  const { shift, spread } = unseenGain(context, profile, steps);
  return { sigma, shift, spread, distance, lengthRatio: ratio };
}

/** The unseen annealing gain of a fit along a schedule: its middle and half range (zeros when the fit saw annealing). */
export function unseenGain(context: ErrorContext, profile: LrProfile, steps: ArrayLike<number>): { shift: Float64Array; spread: Float64Array } {
  if (!context.annealUnknown) return { shift: new Float64Array(steps.length), spread: new Float64Array(steps.length) };
  const { lo, hi } = annealGainRange(profile, steps, context.annealPrior ?? DEFAULT_ANNEAL_PRIOR);
  return { shift: lo.map((l, i) => (l + hi[i]) / 2), spread: lo.map((l, i) => (hi[i] - l) / 2) };
}
