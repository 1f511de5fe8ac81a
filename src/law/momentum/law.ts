/**
 * The momentum law of Tissue et al. (arXiv 2408.11029):
 *   L(s) = L0 + A · S1(s)^(−α) − C · S2(s)
 * with S1 the forward area and S2 the annealing area with momentum λ (areas.ts).
 */
import { type LrProfile, warmupAtPeak } from '../../core/lr-profile.js';
import { momentumAreas } from './areas.js';

/** Parameters of the momentum law. */
export interface MomentumParams {
  /** Irreducible loss. */
  L0: number;
  /** Scale of the power law in the forward area. */
  A: number;
  /** Exponent of the power law (> 0). */
  alpha: number;
  /** Gain per unit of annealing area (≥ 0). */
  C: number;
  /** Momentum decay factor of the annealing area, per optimizer step. */
  lambda: number;
}

/** Default momentum decay factor (the authors' code). */
export const DEFAULT_LAMBDA = 0.999;

/** The law's loss for one point, from its forward area S1 and annealing area S2. */
export function momentumLoss(params: MomentumParams, s1: number, s2: number): number {
  return params.L0 + params.A * Math.pow(s1, -params.alpha) - params.C * s2;
}

/** The profile the areas are computed on: the real LR, or warmup counted at the peak LR. */
export function effectiveProfile(profile: LrProfile, warmupAsPeak: boolean | undefined): LrProfile {
  return warmupAsPeak ? warmupAtPeak(profile) : profile;
}

/**
 * Predicted loss of many parameter sets (e.g. a bootstrap) after each of the sorted `steps`: one
 * pass over the profile per distinct λ, then O(points) per set.
 */
export function momentumLossAtMany(sets: readonly MomentumParams[], profile: LrProfile, steps: ArrayLike<number>, warmupAsPeak = false): Float64Array[] {
  const effective = effectiveProfile(profile, warmupAsPeak);
  const areas = new Map<number, ReturnType<typeof momentumAreas>>();
  return sets.map((p) => {
    let a = areas.get(p.lambda);
    if (!a) areas.set(p.lambda, (a = momentumAreas(effective, steps, p.lambda)));
    const out = new Float64Array(steps.length);
    for (let i = 0; i < out.length; i++) out[i] = momentumLoss(p, a.s1[i], a.s2[i]);
    return out;
  });
}

/** Predicted loss after each of the sorted `steps` for a run with LR `profile`. */
export function momentumLossAt(params: MomentumParams, profile: LrProfile, steps: ArrayLike<number>, warmupAsPeak = false): Float64Array {
  const { s1, s2 } = momentumAreas(effectiveProfile(profile, warmupAsPeak), steps, params.lambda);
  const out = new Float64Array(steps.length);
  for (let i = 0; i < out.length; i++) out[i] = momentumLoss(params, s1[i], s2[i]);
  return out;
}
