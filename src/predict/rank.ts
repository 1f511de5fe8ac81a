/**
 * Ranking candidate schedules by predicted final loss, honestly. With a bootstrap, every
 * candidate gets its final-loss interval, the interval of its *paired* difference to the best
 * (the same resampled law scores both schedules) and P(best), the share of resamples in which
 * it wins; a candidate is a tie when that difference interval contains 0 or the gap is under the
 * noise floor (the seed-to-seed spread no fit can see). Without a bootstrap, a tie is a gap
 * within the tolerance (the fit's RMSE unless given).
 */
import { parseSchedule, scheduleProfile } from '../schedule/schedule.js';
import { type Warning, warning } from '../warnings.js';
import type { Candidate } from './candidates.js';
import { errorContext, type FittedLaw, lawOf, predictedLoss } from './fitted-law.js';
import { extrapolationContext, scheduleLength, scheduleWarnings } from './simulate.js';
import { type Interval, observationSpread, percentileInterval, predictionInterval, widenByGain } from './uncertainty.js';
import { lawErrorAlong, unseenGain } from '../verdict/context.js';
import { winShares } from '../verdict/draws.js';
import { drawModels, drawTargets } from './joint.js';
import { type LimitReason, rankingLimits } from '../verdict/limits.js';
import { combine, MEMBERS, memberModel, memberWeights } from '../law/mixture/members.js';
import { type Verdict, type VerdictContext, verdictOf } from '../verdict/summary.js';
import type { MemberName } from '../law/types.js';
import { type LrProfile, profileAnneals } from '../core/lr-profile.js';
import { notALoss, unpredictableReason } from './validity.js';

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
  /** The law cannot tell it apart from the best (see the module comment for the rule). */
  tie: boolean;
  /** With a bootstrap: the final loss's prediction interval. */
  interval?: Interval;
  /** With a bootstrap: the interval of the paired difference to the best (0 for the best). */
  gapInterval?: Interval;
  /** With a bootstrap: the share of joint draws (refitted laws × draws of the law's own error) in which this candidate has the lowest final loss. */
  pBest?: number;
  /** With a bootstrap: the standard deviation of the law's own error on this candidate (verdict/law-error.ts). */
  lawError?: number;
  /** Why the law cannot rank it against the others that share this reason (they are ties: verdict/limits.ts). */
  limit?: LimitReason;
  /** A mixture's members: each law's own prediction of the final loss. */
  byLaw?: Partial<Record<MemberName, number>>;
  /**
   * Why the law has no prediction for it (its final loss, or a resampled law's, is negative or
   * not finite: outside what the fit can extrapolate). Such candidates rank last, in the order
   * given, with finalLoss and gapToBest NaN.
   */
  problem?: string;
  warnings: Warning[];
}

/** How ties were decided. */
export interface TieRule {
  /** 'interval': paired difference interval contains 0, or |gap| < noise floor; 'tolerance': |gap| ≤ tolerance. */
  kind: 'interval' | 'tolerance';
  /** Loss units: the noise floor ('interval') or the tolerance ('tolerance'). */
  tolerance: number;
  /** The level of the intervals ('interval'). */
  level?: number;
}

/** A ranking and the rule that decided its ties. */
export interface Ranking {
  ranking: RankedCandidate[];
  ties: TieRule;
}

/** Options of rankCandidates. */
export interface RankOptions {
  /** A tie tolerance in loss units: with it, a gap within it is a tie whatever the intervals say. */
  tolerance?: number;
  /** Length of specs without total. */
  total?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Ranks candidates by predicted final loss (lowest first), with intervals when the law has a bootstrap. */
export function rankCandidates(law: FittedLaw, candidates: readonly Candidate[], options: RankOptions = {}): Ranking {
  const u = law.uncertainty;
  const context = errorContext(law);
  const models = drawModels(law);
  const scored = candidates.map((c, i) => {
    const schedule = parseSchedule(c.spec);
    const total = scheduleLength(schedule, options.total);
    const profile = scheduleProfile(schedule, total);
    const members = membersOf(law, profile, total);
    const loss = members.loss ?? predictedLoss(law, profile, [total])[0];
    const error = lawErrorAlong(context, profile, [total], [loss]);
    const samples = u ? Float64Array.from(lawOf(law).lossAtMany(models, profile, [total]), (v) => v[0] - error.shift[0]) : undefined;
    const warnings = scheduleWarnings(law, schedule, profile);
    options.onProgress?.(i + 1, candidates.length);
    return { index: i, name: c.name, schedule: schedule.text, total, finalLoss: loss, samples, profile, sigma: error.sigma[0], gainSpread: error.spread[0], parsed: schedule, anneals: profileAnneals(profile), ...(members.byLaw ? { byLaw: members.byLaw } : {}), warnings, problem: problemOf(loss, samples, total, warnings) };
  });
  const limits = rankingLimits(scored.map((c) => ({ schedule: c.parsed, anneals: c.anneals })), { warmups: law.warmups, annealUnknown: context.annealUnknown });
  const valid = scored.filter((c) => c.problem === undefined);
  const order = [...valid.sort((a, b) => a.finalLoss - b.finalLoss || a.index - b.index), ...scored.filter((c) => c.problem !== undefined)];
  const best = valid[0];
  const draws = u && valid.length > 0 ? drawTargets(law, valid.map((c) => ({ profile: c.profile, step: c.total, center: c.finalLoss, samples: c.samples }))).draws : [];
  const wins = winShares(draws);
  const drawOf = new Map(valid.map((c, k) => [c.index, { draws: draws[k], pBest: wins[k] }]));
  const ties: TieRule = u && options.tolerance === undefined ? { kind: 'interval', tolerance: u.noiseFloor, level: u.level } : { kind: 'tolerance', tolerance: options.tolerance ?? law.rmse };
  return {
    ties,
    ranking: order.map(({ samples, problem, profile: _, sigma, gainSpread, parsed: _p, anneals: _a, ...c }, k) => {
      if (problem !== undefined) return { rank: k + 1, ...c, finalLoss: Number.NaN, gapToBest: Number.NaN, tie: false, problem, warnings: [...c.warnings, warning('no-prediction', `${c.schedule}: ${problem}; ranked last`)] };
      const gapToBest = c.finalLoss - best.finalLoss;
      const limit = limits[c.index];
      const limited = limit !== undefined && limit === limits[best.index];
      const base = { rank: k + 1, ...c, gapToBest, ...(limit ? { limit } : {}) };
      if (!u || !samples) return { ...base, tie: k > 0 && (gapToBest <= ties.tolerance || limited) };
      const mine = drawOf.get(c.index)!;
      const bestDraws = drawOf.get(best.index)!.draws;
      const gapInterval = k === 0 ? { lo: 0, hi: 0 } : percentileInterval(mine.draws.map((v, j) => v - bestDraws[j]), u.level);
      const tie = k > 0 && (limited || (options.tolerance !== undefined ? gapToBest <= options.tolerance : (gapInterval.lo <= 0 && gapInterval.hi >= 0) || gapToBest < u.noiseFloor));
      const interval = predictionInterval(c.finalLoss, samples, u.level, Math.hypot(observationSpread(u), sigma));
      return { ...base, tie, interval: gainSpread > 0 ? widenByGain(c.finalLoss, interval, u.level * gainSpread) : interval, gapInterval, pBest: mine.pBest, lawError: sigma };
    }),
  };
}

/**
 * A mixture's members' own final losses for a schedule and, from them, the mixture's (as
 * predictedLoss gives it, without evaluating the members twice); nothing for a single law.
 */
function membersOf(law: FittedLaw, profile: LrProfile, total: number): { byLaw?: Partial<Record<MemberName, number>>; loss?: number } {
  if (law.model.law !== 'auto') return {};
  const own = MEMBERS.map((m, i) => m.lossAt(memberModel(law.model, i), profile, [total])[0]);
  const weights = memberWeights(law.model);
  const mixed = combine(weights, own.map((v) => [v]), 1)[0] - unseenGain(errorContext(law), profile, [total]).shift[0];
  return { byLaw: Object.fromEntries(MEMBERS.map((m, i) => [m.name, own[i]])), loss: mixed };
}

/** Why a candidate has no prediction (its loss or a resampled law's is not a loss), or undefined. */
function problemOf(loss: number, samples: Float64Array | undefined, total: number, warnings: readonly Warning[]): string | undefined {
  const why = notALoss(loss);
  if (why) return unpredictableReason({ step: total, why }, extrapolationContext(warnings));
  const bad = samples ? samples.filter((v) => notALoss(v) !== undefined).length : 0;
  if (bad > 0) return `${bad} of ${samples!.length} refitted laws (the bootstrap) give a final loss that is not a loss (${notALoss(samples!.find((v) => notALoss(v) !== undefined)!)}): outside what the fit can extrapolate`;
  return undefined;
}

/** What the verdict of a ranking needs to know about the law behind it. */
export function verdictContext(law: FittedLaw): VerdictContext {
  const weights = law.model.law === 'auto' ? memberWeightsOf(law.model) : undefined;
  const bounds = law.notes
    .filter((n) => n.code === 'param-at-bound')
    .map((n) => {
      const member = MEMBERS.find((m) => n.message.startsWith(`${m.title}:`));
      const share = weights && member ? weights[member.name as MemberName] : 1;
      return { law: member?.title ?? lawOf(law).title, share, message: n.message.replace(/^[^:]*: /, `${member?.title ?? lawOf(law).title}: `) };
    });
  return {
    ...(law.uncertainty ? { level: law.uncertainty.level } : {}),
    ...(weights ? { mixture: { titles: Object.fromEntries(MEMBERS.map((m) => [m.name, m.title])) as Record<MemberName, string>, weights, folds: law.model.settings.stacking?.length ?? 0 } } : {}),
    bounds,
  };
}

/** A mixture's member weights by law name. */
function memberWeightsOf(model: FittedLaw['model']): Record<MemberName, number> {
  const w = memberWeights(model);
  return Object.fromEntries(MEMBERS.map((m, i) => [m.name, w[i]])) as Record<MemberName, number>;
}

/** The verdict of a ranking under `law`, in words (verdict/summary.ts). */
export function rankingVerdict(law: FittedLaw, ranking: Ranking): Verdict | null {
  return verdictOf(ranking.ranking, verdictContext(law));
}
