/**
 * Scoring a ranking against what happened: held-out candidate runs of a manifest, ranked by the law
 * in groups (by default the runs of one schedule length), next to their observed final losses.
 * Spearman rank correlation, regret (observed loss of the predicted best minus the observed best),
 * the confident mistakes (P(best) ≥ 0.5 on a candidate that ended worse than the best by more than
 * the seed-to-seed noise) and how P(best) is calibrated (at each level, how often it named the best).
 */
import type { Run } from '../core/run.js';
import { parseSchedule } from '../schedule/schedule.js';
import type { FittedLaw } from './fitted-law.js';
import type { Calibration } from './evaluate.js';
import { type Interval, DEFAULT_NOISE_FLOOR } from './uncertainty.js';
import { rankCandidates } from './rank.js';
import { scheduleLength } from './simulate.js';
import { observedInWindow, type ScoreWindow } from './observed.js';

/** What a manifest says of a candidate run beyond its log. */
export interface CandidateInfo {
  /** The observed final loss to rank by (default: its last scored loss). */
  finalLoss?: number;
  /** The group it is ranked in (default: its schedule's length). */
  group?: string;
}

/** One candidate, predicted and observed. */
export interface RankedRun {
  label: string;
  schedule: string;
  predicted: number;
  observed: number;
  predictedRank: number;
  observedRank: number;
  /** Observed final loss minus the group's best. */
  observedGap: number;
  pBest?: number;
  interval?: Interval;
  tie: boolean;
}

/** How one group was ranked. */
export interface GroupScore {
  group: string;
  candidates: RankedRun[];
  /** Spearman rank correlation of predicted and observed final losses (null for fewer than 2 candidates). */
  spearman: number | null;
  /** Observed loss of the predicted best minus the observed best. */
  regret: number;
  pick: string;
  pickPBest?: number;
}

/** A P(best) level and what became of the candidates given it. */
export interface PBestBin {
  lo: number;
  hi: number;
  candidates: number;
  /** Of them, how many ended within the noise floor of their group's best. */
  best: number;
  meanPBest: number;
}

/** The ranking part of an evaluation. */
export interface RankingScore {
  groups: GroupScore[];
  /** Candidates given P(best) ≥ 0.5 that ended worse than their group's best by more than the noise floor. */
  confidentMistakes: { label: string; group: string; pBest: number; observedGap: number }[];
  calibration: PBestBin[];
  noiseFloor: number;
  /** With a bootstrap: how the candidates' intervals cover their logged loss at their last scored step. */
  coverage?: Calibration;
}

/** The P(best) levels the calibration is reported at. */
export const PBEST_BINS: readonly (readonly [number, number])[] = [
  [0, 0.1],
  [0.1, 0.3],
  [0.3, 0.5],
  [0.5, 0.8],
  [0.8, 1.0001],
];

/** Ranks of values (1 = lowest), ties sharing their mean rank. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) out[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Spearman rank correlation (Pearson correlation of the ranks); null for fewer than 2 values or no spread. */
export function spearman(a: readonly number[], b: readonly number[]): number | null {
  if (a.length < 2) return null;
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (ra.length + 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : null;
}

/** Scores the law's ranking of candidate runs, group by group. */
export function scoreRanking(law: FittedLaw, candidates: readonly { run: Run; info: CandidateInfo }[], window: ScoreWindow & { smooth?: number } = {}): RankingScore {
  const noiseFloor = law.uncertainty?.noiseFloor ?? DEFAULT_NOISE_FLOOR;
  const groups = new Map<string, { run: Run; info: CandidateInfo }[]>();
  for (const c of candidates) {
    const key = c.info.group ?? `${scheduleLength(parseSchedule(c.run.schedule!)).toLocaleString('en-US')} steps`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const scores: GroupScore[] = [...groups.entries()].map(([group, members]) => {
    const ranking = rankCandidates(law, members.map((m) => ({ name: m.run.label, spec: m.run.schedule! })));
    const observed = members.map((m) => m.info.finalLoss ?? lastObserved(m.run, window));
    const best = Math.min(...observed);
    const observedRanks = ranks(observed);
    const byIndex = new Map(ranking.ranking.map((r) => [r.index, r]));
    const rows: RankedRun[] = members.map((m, i) => {
      const r = byIndex.get(i)!;
      return { label: m.run.label, schedule: r.schedule, predicted: r.finalLoss, observed: observed[i], predictedRank: r.rank, observedRank: observedRanks[i], observedGap: observed[i] - best, ...(r.pBest !== undefined ? { pBest: r.pBest } : {}), ...(r.interval ? { interval: r.interval } : {}), tie: r.tie };
    });
    const pick = rows.find((r) => r.predictedRank === 1)!;
    return { group, candidates: rows.sort((a, b) => a.predictedRank - b.predictedRank), spearman: spearman(rows.map((r) => r.predicted), rows.map((r) => r.observed)), regret: pick.observedGap, pick: pick.label, ...(pick.pBest !== undefined ? { pickPBest: pick.pBest } : {}) };
  });
  const all = scores.flatMap((g) => g.candidates.map((c) => ({ ...c, group: g.group })));
  const withP = all.filter((c) => c.pBest !== undefined);
  return {
    groups: scores,
    confidentMistakes: withP.filter((c) => c.pBest! >= 0.5 && c.observedGap > noiseFloor).map((c) => ({ label: c.label, group: c.group, pBest: c.pBest!, observedGap: c.observedGap })),
    calibration: withP.length === 0 ? [] : PBEST_BINS.map(([lo, hi]) => {
      const inBin = withP.filter((c) => c.pBest! >= lo && c.pBest! < hi);
      return { lo, hi: Math.min(1, hi), candidates: inBin.length, best: inBin.filter((c) => c.observedGap <= noiseFloor).length, meanPBest: inBin.length > 0 ? inBin.reduce((a, c) => a + c.pBest!, 0) / inBin.length : 0 };
    }),
    noiseFloor,
  };
}

/** The last scored loss of a run (its observed final loss when the manifest gives none). */
function lastObserved(run: Run, window: ScoreWindow & { smooth?: number }): number {
  const { observed } = observedInWindow(run, window.smooth, window);
  return observed[observed.length - 1];
}
