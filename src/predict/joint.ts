/**
 * Joint draws of a fitted law's predictions at several (schedule, step) targets at once: the
 * bootstrap's refitted laws (a mixture's weight redrawn for each) × draws of the law's own error,
 * correlated between targets whose schedules are alike, × seed noise. rank.ts draws every
 * candidate's final loss from it; suggest draws candidates and pilot runs together, so what a
 * pilot would show and what the candidates would end at come from the same draw.
 */
import type { LrProfile } from '../core/lr-profile.js';
import { errorContext, type FittedLaw, lawOf } from './fitted-law.js';
import { lawErrorAlong } from '../verdict/context.js';
import { type ScheduleShape, shapeDistance, shapeOf } from '../verdict/distance.js';
import { ERROR_REPEATS, jointDraws } from '../verdict/draws.js';
import { errorCorrelation, LAW_ERROR } from '../verdict/law-error.js';
import { withWeightDraws } from '../verdict/weights.js';
import type { Model } from '../law/types.js';

/** A prediction to draw: a schedule's loss at one step, around the law's point prediction there. */
export interface DrawTarget {
  profile: LrProfile;
  step: number;
  /** The law's point prediction at that step (with any unseen annealing gain already taken off). */
  center: number;
  /** Its value under each of drawModels(law)'s models, when already computed. */
  samples?: Float64Array;
  /** Draw it without seed noise (what a pilot could never tell apart). */
  noiseFree?: boolean;
}

/** The joint draws of some targets, with what they were made of. */
export interface TargetDraws {
  /** The bootstrap's models, a mixture's weight redrawn for each (draw k used model ⌊k / repeats⌋). */
  models: Model[];
  /** Law-error draws per bootstrap model. */
  repeats: number;
  /** Per target: its value under each bootstrap model (no law error, no noise). */
  samples: Float64Array[];
  /** Per target: the standard deviation of the law's own error on it. */
  sigma: number[];
  /** Per target: half the range of the annealing gain the fit could not see. */
  gainSpread: number[];
  /** Per target: its value in every joint draw. */
  draws: Float64Array[];
}

/** Law-error draws per bootstrap draw for n targets: ERROR_REPEATS, fewer for huge sweeps (at most ~2·10⁶ numbers held). */
export function repeatsFor(n: number, samples: number): number {
  return Math.max(1, Math.min(ERROR_REPEATS, Math.floor(2e6 / Math.max(1, n * samples))));
}

/** Distance between two schedules' shapes (symmetric). */
export function scheduleDistance(a: ScheduleShape, b: ScheduleShape): number {
  return Math.min(shapeDistance(a, b), shapeDistance(b, a));
}

/** The bootstrap's models as joint draws use them: a mixture's weight redrawn for each. */
export function drawModels(law: FittedLaw): Model[] {
  return law.uncertainty ? withWeightDraws(law.uncertainty.models, law.uncertainty.seed) : [];
}

/** Joint draws of the targets under a law with a bootstrap (an error without one). */
export function drawTargets(law: FittedLaw, targets: readonly DrawTarget[], repeats = repeatsFor(targets.length, law.uncertainty?.models.length ?? 1)): TargetDraws {
  const u = law.uncertainty;
  if (!u) throw new Error('drawTargets needs a law with a bootstrap');
  const context = errorContext(law);
  const models = drawModels(law);
  const errors = targets.map((t) => lawErrorAlong(context, t.profile, [t.step], [t.center]));
  const samples = targets.map((t, i) => t.samples ?? Float64Array.from(lawOf(law).lossAtMany(models, t.profile, [t.step]), (v) => v[0] - errors[i].shift[0]));
  const shapes = targets.map((t) => shapeOf(t.profile));
  const sigma = errors.map((e) => e.sigma[0]);
  const gainSpread = errors.map((e) => e.spread[0]);
  const draws = targets.length === 0
    ? []
    : jointDraws({
        samples,
        sigma,
        correlation: (a, b) => errorCorrelation(context.model, scheduleDistance(shapes[a], shapes[b])),
        shared: LAW_ERROR[context.model].shared,
        gainSpread,
        noiseFloor: u.noiseFloor,
        ...(targets.some((t) => t.noiseFree) ? { noise: targets.map((t) => (t.noiseFree ? 0 : u.noiseFloor)) } : {}),
        seed: u.seed,
        repeats,
      });
  return { models, repeats, samples, sigma, gainSpread, draws };
}
