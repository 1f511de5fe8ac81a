/** Every law losscast knows, by name: the model layer's single entry point. */
import type { LrProfile } from '../core/lr-profile.js';
import type { Run } from '../core/run.js';
import { usageError } from '../errors.js';
import { momentumLaw } from './momentum/index.js';
import { mplLaw } from './mpl/index.js';
import { mixtureLaw } from './mixture/index.js';
import type { FitOptions, FitResult, Law, Model, ModelName } from './types.js';

/** The laws: the two single laws, then their stacked mixture. */
export const LAWS: readonly Law[] = [momentumLaw, mplLaw, mixtureLaw];

/** The single laws (not mixtures), by name: what --model both compares. */
export const SINGLE_LAWS: ModelName[] = ['momentum', 'mpl'];

/** The default law: the stacked mixture (docs/accuracy.md: held-out rankings and coverage on public sweeps). */
export const DEFAULT_MODEL: ModelName = 'auto';

/** The law called `name` (CLI name or JSON name); a usage error otherwise. */
export function lawByName(name: string): Law {
  const law = LAWS.find((l) => l.name === name || l.jsonName === name);
  if (!law) throw usageError(`unknown model "${name}"; choose ${LAWS.map((l) => l.name).join(' or ')}`);
  return law;
}

/** Fits `options.model` (default: the momentum law) to the runs jointly. */
export function fitLaw(runs: readonly Run[], options: FitOptions & { model?: ModelName } = {}): FitResult {
  return lawByName(options.model ?? DEFAULT_MODEL).fit(runs, options);
}

/** A model's predicted loss after each of the sorted `steps` of a run or schedule with LR `profile`. */
export function modelLoss(model: Model, profile: LrProfile, steps: ArrayLike<number>): Float64Array {
  return lawByName(model.law).lossAt(model, profile, steps);
}
