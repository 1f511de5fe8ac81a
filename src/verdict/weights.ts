/**
 * The stacked mixture's weight is itself uncertain (a few held-out folds chose it). Every
 * bootstrap draw of a mixture gets its own weight, drawn by reweighting the folds (a Bayesian
 * bootstrap, law/mixture/stacking.ts), so intervals and P(best) carry how unsure the evidence is
 * about which law to trust.
 */
import { weightDraws } from '../law/mixture/stacking.js';
import type { Model } from '../law/types.js';

/** The models with their mixture weights redrawn (seeded); models of a single law are returned as they are. */
export function withWeightDraws(models: readonly Model[], seed: number): Model[] {
  if (models.length === 0 || models[0].law !== 'auto') return [...models];
  const weights = weightDraws(models[0].settings.stacking ?? [], models.length, seed);
  return models.map((m, j) => ({ ...m, params: { ...m.params, weight: weights[j] } }));
}
