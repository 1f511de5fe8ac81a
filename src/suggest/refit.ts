/** The refit after a pilot, as compare would make it with the pilot's log added: which candidate it picks. */
import type { Run } from '../core/run.js';
import type { LrProfile } from '../core/lr-profile.js';
import { lawByName } from '../law/registry.js';
import type { FitOptions } from '../law/types.js';
import { type FittedLaw, lawFromFit, predictedLoss } from '../predict/fitted-law.js';

/** What a refit after a pilot needs: the law's name and settings, the fitted runs, and the candidates to pick from. */
export interface RefitSetup {
  law: FittedLaw['model']['law'];
  runs: readonly Run[];
  fitOptions: FitOptions;
  annealPrior?: FittedLaw['annealPrior'];
  candidates: readonly { profile: LrProfile; total: number }[];
}

/** The candidate a law refitted with a pilot's log would recommend (index into the candidates), or null when the refit fails. */
export function pickAfter(setup: RefitSetup, log: Run): number | null {
  const runs = [...setup.runs, log];
  let fitted: FittedLaw;
  try {
    const fit = lawByName(setup.law).fit(runs, setup.fitOptions);
    fitted = { ...lawFromFit(fit, runs), ...(setup.annealPrior ? { annealPrior: setup.annealPrior } : {}) };
  } catch {
    return null;
  }
  let best = -1;
  let low = Infinity;
  setup.candidates.forEach((c, i) => {
    const loss = predictedLoss(fitted, c.profile, [c.total])[0];
    if (loss < low) {
      low = loss;
      best = i;
    }
  });
  return best >= 0 ? best : null;
}
