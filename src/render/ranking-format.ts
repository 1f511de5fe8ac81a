/**
 * How a ranking reads, the same in the terminal and on the page: losses and gaps rounded to what
 * their intervals support, P(best) as whole percentages that sum to 100 %, and a "best" badge that
 * never contradicts P(best) (when the lowest prediction is not the most frequent winner, the two
 * are named apart).
 */
import type { RankedCandidate, Ranking } from '../predict/rank.js';
import { pBestTexts } from './percent.js';
import { decimalsForIntervals } from './precision.js';

/** Decimals of the final losses and of the gaps of a ranking. */
export interface RankingDecimals {
  loss: number;
  gap: number;
}

/** The decimals a ranking's intervals support (4 without intervals: the precision logs are written with). */
export function rankingDecimals(ranking: Ranking): RankingDecimals {
  const valid = ranking.ranking.filter((r) => !r.problem);
  return { loss: decimalsForIntervals(valid.map((r) => r.interval)), gap: decimalsForIntervals(valid.filter((r) => r.rank !== 1).map((r) => r.gapInterval)) };
}

/** A loss with `decimals` ("—" when missing). */
export function lossText(x: number | null | undefined, decimals: number): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(decimals);
}

/** A gap to the best: "+0.003" ("—" for the best and for a candidate without a prediction). */
export function gapText(r: RankedCandidate, decimals: number): string {
  return r.rank === 1 || r.problem ? '—' : `+${r.gapToBest.toFixed(decimals)}`;
}

/** P(best) of every candidate of a ranking, in its order, summing to 100 %. */
export function rankingPBest(ranking: Ranking): string[] {
  return pBestTexts(ranking.ranking.map((r) => (r.problem ? undefined : r.pBest)));
}

/** What a candidate's badge says: "best" only when the lowest prediction also wins most often; otherwise the two are told apart. */
export function bestBadge(r: RankedCandidate, ranking: Ranking): 'best' | 'lowest predicted' | 'most often best' | null {
  const valid = ranking.ranking.filter((x) => !x.problem);
  if (valid.length === 0 || r.problem) return null;
  const top = valid.reduce((a, b) => ((b.pBest ?? -1) > (a.pBest ?? -1) ? b : a));
  const first = valid[0];
  if (first.pBest === undefined || top === first || top.pBest === first.pBest) return r === first ? 'best' : null;
  return r === first ? 'lowest predicted' : r === top ? 'most often best' : null;
}
