/**
 * The law evaluated along a per-step LR sequence: the predicted loss at chosen steps.
 */
import { annealingArea, forwardArea, warmupAsPeak } from './areas.js';
import { type LawParams, lawLoss } from './momentum-law.js';

/** How warmup steps enter the areas. */
export interface WarmupTreatment {
  /** Count warmup steps at the peak LR with no annealing area (the authors' variant). */
  warmupAsPeak?: boolean;
  /** Index of the first post-warmup step (needed with warmupAsPeak). */
  warmupEnd?: number;
}

/** The per-step LRs that enter S1 and S2 under a warmup treatment. */
export function effectiveLrs(lrs: ArrayLike<number>, treatment: WarmupTreatment = {}): ArrayLike<number> {
  return treatment.warmupAsPeak ? warmupAsPeak(lrs, treatment.warmupEnd ?? 0) : lrs;
}

/**
 * Predicted loss at each of `steps` (each ≥ 1 and ≤ lrs.length) for a run with per-step LRs `lrs`.
 */
export function lossAtSteps(params: LawParams, lrs: ArrayLike<number>, steps: readonly number[], treatment: WarmupTreatment = {}): number[] {
  const used = effectiveLrs(lrs, treatment);
  const s1 = forwardArea(used);
  const s2 = annealingArea(used, params.lambda);
  return steps.map((s) => lawLoss(params, s1[s], s2[s]));
}
