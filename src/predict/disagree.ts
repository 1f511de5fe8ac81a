/**
 * Both verdicts side by side: the same candidates ranked under two laws, and every candidate
 * whose order relative to the best differs between them (so a user sees when the verdict
 * depends on the model).
 */
import type { ModelName } from '../law/types.js';
import type { Ranking } from './rank.js';

/** One law's verdict on one candidate. */
export interface ModelVerdict {
  finalLoss: number;
  rank: number;
}

/** A candidate the laws order differently against the best (of the first law). */
export interface Disagreement {
  name: string;
  /** The candidate it is compared with: the first law's best. */
  versus: string;
  /** Its final loss minus the best's, under each law (opposite signs: the laws disagree). */
  gap: Partial<Record<ModelName, number>>;
}

/** Rankings of the same candidates under several laws, joined. */
export interface JointRanking {
  models: ModelName[];
  /** The first law's ranking (the order shown). */
  primary: Ranking;
  /** Per candidate index: each law's verdict. */
  verdicts: Partial<Record<ModelName, ModelVerdict>>[];
  /** Per candidate index: whether the laws disagree about it. */
  disagree: boolean[];
  disagreements: Disagreement[];
}

/** Joins rankings of the same candidate list under several laws (the first one orders them). */
export function jointRanking(rankings: readonly { model: ModelName; ranking: Ranking }[]): JointRanking {
  const primary = rankings[0].ranking;
  const count = primary.ranking.length;
  const verdicts: Partial<Record<ModelName, ModelVerdict>>[] = Array.from({ length: count }, () => ({}));
  for (const { model, ranking } of rankings) for (const r of ranking.ranking) verdicts[r.index][model] = { finalLoss: r.finalLoss, rank: r.rank };
  const best = primary.ranking[0];
  const disagree = new Array<boolean>(count).fill(false);
  const disagreements: Disagreement[] = [];
  const predicted = (index: number) => rankings.every(({ model }) => Number.isFinite(verdicts[index][model]!.finalLoss));
  for (const r of primary.ranking.slice(1)) {
    if (!best || !predicted(best.index) || !predicted(r.index)) continue; // no prediction under some law: nothing to disagree about
    const gap: Partial<Record<ModelName, number>> = {};
    for (const { model } of rankings) gap[model] = verdicts[r.index][model]!.finalLoss - verdicts[best.index][model]!.finalLoss;
    const signs = new Set(Object.values(gap).map((g) => Math.sign(g!)).filter((s) => s !== 0));
    if (signs.size > 1) {
      disagree[r.index] = true;
      disagreements.push({ name: r.name, versus: best.name, gap });
    }
  }
  return { models: rankings.map((r) => r.model), primary, verdicts, disagree, disagreements };
}
