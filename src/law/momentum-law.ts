/**
 * The momentum law of Tissue et al. (arXiv 2408.11029):
 *   L(s) = L0 + A · S1(s)^(−α) − C · S2(s)
 */

/** Parameters of the momentum law. */
export interface LawParams {
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
export function lawLoss(params: LawParams, s1: number, s2: number): number {
  return params.L0 + params.A * Math.pow(s1, -params.alpha) - params.C * s2;
}
