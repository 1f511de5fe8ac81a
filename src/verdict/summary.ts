/**
 * The verdict of a ranking in words: which schedule to use and how sure that is, the ties, and
 * what the verdict leans on that the data cannot settle (the two laws disagreeing, a parameter at a
 * bound, a limit of the laws such as warmup). Plain data in, sentences out; the reports print them
 * first.
 */
import { formatSigned } from '../text/signed.js';
import type { MemberName } from '../law/types.js';
import { LIMIT_TEXT, type LimitReason } from './limits.js';

/** What the summary needs of each ranked candidate (in rank order). */
export interface VerdictEntry {
  name: string;
  finalLoss: number;
  gapToBest: number;
  tie: boolean;
  problem?: string;
  pBest?: number;
  gapInterval?: { lo: number; hi: number };
  limit?: LimitReason;
  byLaw?: Partial<Record<MemberName, number>>;
}

/** A parameter at a bound of the law behind the verdict. */
export interface BoundNote {
  /** The law it belongs to, for people ("Multi-Power Law"). */
  law: string;
  /** Its share of the verdict (1 for a single law). */
  share: number;
  message: string;
}

/** What the laws behind the ranking are. */
export interface VerdictContext {
  level?: number;
  /** A mixture: its members' titles and weights, and the number of held-out folds behind the weights. */
  mixture?: { titles: Record<MemberName, string>; weights: Record<MemberName, number>; folds: number };
  bounds: BoundNote[];
}

/** The verdict: one sentence to act on, and the reasons it is less sure than it looks. */
export interface Verdict {
  best: string;
  pBest: number | null;
  /** Candidates the law cannot tell from the best. */
  ties: string[];
  /** Each member law's own pick, when the laws disagree on the winner. */
  disagreement: Partial<Record<MemberName, string>> | null;
  text: string;
  reasons: string[];
}

function pct(x: number): string {
  return `${Math.round(100 * x)} %`;
}

/** A share of draws, never "100 %" when some draw went another way (nor "0 %" when some went this way). */
function share(x: number): string {
  const p = Math.round(100 * x);
  return p === 100 && x < 1 ? '>99 %' : p === 0 && x > 0 ? '<1 %' : `${p} %`;
}

function list(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}


/** How much higher the candidates end at least: the lowest end of their gaps' intervals when they have them (a point gap would overstate it), else the smallest gap. */
function atLeast(rest: readonly VerdictEntry[]): number {
  return Math.min(...rest.map((e) => (e.gapInterval && e.gapInterval.lo > 0 ? Math.min(e.gapToBest, e.gapInterval.lo) : e.gapToBest)));
}

/** The verdict of a ranking (entries in rank order; null when no candidate has a prediction). */
export function verdictOf(entries: readonly VerdictEntry[], context: VerdictContext): Verdict | null {
  const ranked = entries.filter((e) => e.problem === undefined);
  const best = ranked[0];
  if (!best) return null;
  const ties = ranked.slice(1).filter((e) => e.tie).map((e) => e.name);
  const runnerUp = ranked.slice(1).find((e) => !e.tie);
  const level = context.level !== undefined ? `${pct(context.level)}: ` : '';
  const sure = best.pBest !== undefined ? `; best in ${share(best.pBest)} of the draws (refitted laws × the laws' own error)` : '';
  let text: string;
  if (ranked.length === 1) text = `${best.name} is the only candidate with a prediction${sure}.`;
  else if (ties.length === 0 && runnerUp) text = `Use ${best.name}: ${runnerUp.gapToBest.toFixed(4)} lower than ${runnerUp.name}${runnerUp.gapInterval ? ` (${level}${formatSigned(runnerUp.gapInterval.lo)}…${formatSigned(runnerUp.gapInterval.hi)})` : ''}${sure}.`;
  else text = `${best.name} is predicted lowest${sure}, but ${list(ties)} ${ties.length > 1 ? 'are ties' : 'is a tie'}: the data cannot tell ${ties.length > 1 ? 'them' : 'it'} apart${runnerUp ? `; the rest end at least ${atLeast(ranked.slice(1).filter((e) => !e.tie)).toFixed(4)} higher` : ''}.`;
  const reasons: string[] = [];
  let disagreement: Verdict['disagreement'] = null;
  const m = context.mixture;
  if (m && best.byLaw) {
    const picks = Object.fromEntries((Object.keys(m.titles) as MemberName[]).map((law) => [law, ranked.reduce((a, b) => ((b.byLaw?.[law] ?? Infinity) < (a.byLaw?.[law] ?? Infinity) ? b : a)).name])) as Record<MemberName, string>;
    const names = Object.values(picks);
    if (new Set(names).size > 1) {
      disagreement = picks;
      const each = (Object.keys(picks) as MemberName[]).map((law) => `the ${m.titles[law]} alone would pick ${picks[law]}`).join(', ');
      const weights = (Object.keys(m.weights) as MemberName[]).map((law) => pct(m.weights[law])).join(' / ');
      reasons.push(`The laws disagree: ${each}; the mixture weighs them ${weights} (${m.folds > 0 ? `chosen on ${m.folds} held-out fold${m.folds > 1 ? 's' : ''} of the fitted runs` : 'no held-out evidence: equal weights'}), and its P(best) counts both.`);
    }
  }
  const limits = new Set([best, ...ranked.filter((e) => e.tie)].map((e) => e.limit).filter((l): l is LimitReason => l !== undefined));
  for (const l of limits) {
    const named = ranked.filter((e) => e.limit === l).map((e) => e.name);
    reasons.push(`${list(named)}: ${LIMIT_TEXT[l]}.`);
  }
  for (const b of context.bounds) if (b.share > 0) reasons.push(b.share < 1 ? `${b.message} (the ${b.law} has ${pct(b.share)} of this verdict).` : `${b.message}.`);
  return { best: best.name, pBest: best.pBest ?? null, ties, disagreement, text, reasons };
}
