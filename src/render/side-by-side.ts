/**
 * Each law's verdict side by side, for one table in the terminal and on the page: with
 * `--model both`, the two rankings; with the default mixture, its members' own predictions
 * (`byLaw`). A candidate is a disagreement when the laws put it on opposite sides of the best, or
 * when one law alone would pick it and another would not.
 */
import { lawByName } from '../law/registry.js';
import type { ModelName } from '../law/types.js';
import type { FittedLaw } from '../predict/fitted-law.js';
import type { Ranking } from '../predict/rank.js';

/** One law's view of one candidate. */
export interface LawView {
  finalLoss: number;
  rank: number;
  /** P(best) under this law alone, when it was computed (with --model both). */
  pBest?: number;
}

/** One row of the side-by-side table (in the first ranking's order). */
export interface SideBySideRow {
  name: string;
  byLaw: LawView[];
  /** P(best) of the verdict the page leads with (the first ranking's), for the mixture. */
  pBest?: number;
  disagree: boolean;
}

/** The laws compared and their rows; null when there is only one law without members. */
export interface SideBySide {
  /** Each law's title. */
  laws: string[];
  rows: SideBySideRow[];
  /** Each law's own pick. */
  picks: string[];
}

/** Ranks (1 = lowest) of the finite values; NaN ranks last. */
function ranksOf(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v: Number.isFinite(v) ? v : Infinity, i })).sort((a, b) => a.v - b.v || a.i - b.i);
  const out = new Array<number>(values.length);
  order.forEach((o, k) => (out[o.i] = k + 1));
  return out;
}

/** The table from each candidate's losses under each law (columns), in the first ranking's order. */
function fromLosses(names: readonly string[], titles: readonly string[], losses: readonly (readonly number[])[], pBests: readonly (readonly (number | undefined)[])[], mixturePBest?: readonly (number | undefined)[]): SideBySide {
  const ranks = titles.map((_, l) => ranksOf(losses.map((row) => row[l])));
  const pickIndex = ranks.map((r) => r.indexOf(1));
  const best = 0; // the verdict's best is the first row
  const rows = names.map((name, i) => {
    const gaps = titles.map((_, l) => losses[i][l] - losses[best][l]);
    const signs = new Set(gaps.filter((g) => Number.isFinite(g) && g !== 0).map(Math.sign));
    const picked = pickIndex.map((p) => p === i);
    return {
      name,
      byLaw: titles.map((_, l) => ({ finalLoss: losses[i][l], rank: ranks[l][i], ...(pBests[l][i] !== undefined ? { pBest: pBests[l][i] } : {}) })),
      ...(mixturePBest?.[i] !== undefined ? { pBest: mixturePBest[i] } : {}),
      disagree: (i !== best && signs.size > 1) || (picked.some(Boolean) && !picked.every(Boolean)),
    };
  });
  return { laws: [...titles], rows, picks: pickIndex.map((p) => names[p] ?? '—') };
}

/** The side-by-side view of a comparison: several laws' rankings, or a mixture's members; null when there is nothing to set side by side. */
export function sideBySide(laws: readonly FittedLaw[], rankings: readonly Ranking[]): SideBySide | null {
  const primary = rankings[0]?.ranking.filter((r) => !r.problem) ?? [];
  if (primary.length === 0) return null;
  const names = primary.map((r) => r.name);
  if (rankings.length > 1) {
    const byIndex = rankings.map((k) => new Map(k.ranking.map((r) => [r.index, r])));
    return fromLosses(
      names,
      laws.map((l) => lawByName(l.model.law).title),
      primary.map((r) => byIndex.map((m) => m.get(r.index)?.finalLoss ?? Number.NaN)),
      byIndex.map((m) => primary.map((r) => m.get(r.index)?.pBest)),
    );
  }
  const members = Object.keys(primary[0].byLaw ?? {}) as ModelName[];
  if (members.length < 2) return null;
  return fromLosses(
    names,
    members.map((m) => lawByName(m).title),
    primary.map((r) => members.map((m) => r.byLaw?.[m as keyof typeof r.byLaw] ?? Number.NaN)),
    members.map(() => primary.map(() => undefined)),
    primary.map((r) => r.pBest),
  );
}
