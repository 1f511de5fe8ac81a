/**
 * Ranking candidate schedules by predicted final loss, honestly: a candidate within the fit's
 * own error of the best is a tie, not a loser.
 */
import { parseSchedule, scheduleProfile } from '../schedule/schedule.js';
import type { Warning } from '../warnings.js';
import type { Candidate } from './candidates.js';
import { type FittedLaw, lawOf } from './fitted-law.js';
import { scheduleLength, scheduleWarnings } from './simulate.js';

/** One ranked candidate. */
export interface RankedCandidate {
  rank: number;
  /** Position of the candidate in the list given to rankCandidates. */
  index: number;
  name: string;
  schedule: string;
  total: number;
  finalLoss: number;
  /** finalLoss − best finalLoss (≥ 0). */
  gapToBest: number;
  /** Within the tie tolerance of the best: the law cannot tell it apart from the best. */
  tie: boolean;
  warnings: Warning[];
}

/** A ranking and the tolerance that decided the ties. */
export interface Ranking {
  ranking: RankedCandidate[];
  tolerance: number;
}

/**
 * Ranks candidates by predicted final loss (lowest first). `tolerance` (loss units) defaults
 * to the fit's RMSE on its own points: differences smaller than the fit's own error are ties.
 */
export function rankCandidates(
  law: FittedLaw,
  candidates: readonly Candidate[],
  options: { tolerance?: number; total?: number; onProgress?: (done: number, total: number) => void } = {},
): Ranking {
  const tolerance = options.tolerance ?? law.rmse;
  const scored = candidates.map((c, i) => {
    const schedule = parseSchedule(c.spec);
    const total = scheduleLength(schedule, options.total);
    const profile = scheduleProfile(schedule, total);
    const loss = lawOf(law).lossAt(law.model, profile, [total])[0];
    options.onProgress?.(i + 1, candidates.length);
    return { index: i, name: c.name, schedule: schedule.text, total, finalLoss: loss, warnings: scheduleWarnings(law, schedule, profile) };
  });
  const order = scored.map((_, i) => i).sort((a, b) => scored[a].finalLoss - scored[b].finalLoss || a - b);
  const best = scored[order[0]]?.finalLoss ?? 0;
  return {
    tolerance,
    ranking: order.map((i, k) => ({
      rank: k + 1,
      ...scored[i],
      gapToBest: scored[i].finalLoss - best,
      tie: scored[i].finalLoss - best <= tolerance,
    })),
  };
}

