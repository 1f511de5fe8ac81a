/**
 * The value of a pilot run: how much training it first would improve the choice among the
 * candidates (expected value of sample information). A few joint draws of the current law — the
 * bootstrap's refits, a mixture's weight, the law's own error (correlated between schedules
 * alike), seed noise — each stand for "the truth": in each, the pilot's log is simulated
 * (simulated-log.ts), the law is refitted with it as compare would refit it, and the refitted
 * law's pick is scored in the same draw. The value is the drop in expected regret (how much worse
 * the recommended candidate ends than the best one) from the recommendation today to the one
 * after the pilot; both are scored on the same draws, so pilots are compared on equal footing.
 * A law whose form cannot learn from the pilot keeps its pick after every refit: its pilots are
 * worth nothing, and that is what is reported.
 */
import type { Run } from '../core/run.js';
import { dataError } from '../errors.js';
import { lawByName } from '../law/registry.js';
import type { FitOptions } from '../law/types.js';
import type { Candidate } from '../predict/candidates.js';
import { type FittedLaw, lawFromFit, predictedLoss } from '../predict/fitted-law.js';
import { drawTargets } from '../predict/joint.js';
import { rankCandidates } from '../predict/rank.js';
import { scheduleLength } from '../predict/simulate.js';
import { normalGenerator } from '../verdict/draws.js';
import { parseSchedule, scheduleProfile } from '../schedule/schedule.js';
import type { LrProfile } from '../core/lr-profile.js';
import type { Pilot } from './pilots.js';
import { loggingSpacing, pilotSteps, simulatedLog } from './simulated-log.js';

/** Simulated pilot logs per pilot, by default. */
export const DEFAULT_SIMULATIONS = 8;

/**
 * Expected-regret drop (nats) below which a pilot is not worth training: a quarter of the default
 * seed-to-seed spread (0.002), a difference one training run could not show.
 */
export const WORTH_THRESHOLD = 0.0005;

/** What suggest weighs. */
export interface SuggestInput {
  /** The law fitted on `runs`, with its bootstrap. */
  law: FittedLaw;
  runs: readonly Run[];
  fitOptions: FitOptions;
  candidates: readonly Candidate[];
  pilots: readonly Pilot[];
  /** Simulated logs per pilot (default DEFAULT_SIMULATIONS). */
  simulations?: number;
  /** Length of candidate specs without total. */
  total?: number;
  onProgress?: (done: number, total: number) => void;
}

/** One pilot's value. */
export interface PilotValue {
  pilot: Pilot;
  /** Expected regret of the recommendation made after the pilot (same draws as regretBefore of the suggestion's simulations). */
  regretAfter: number;
  /** Expected regret today minus after the pilot, over the simulations (nats; negative: the pilot would mislead). */
  value: number;
  /** The Monte-Carlo standard error of value. */
  valueError: number;
  /** value per 1 000 steps of cost. */
  valuePerKilostep: number;
  /** Share of simulations in which the recommendation changes. */
  changes: number;
  /** What the refitted law recommends, by share of simulations (largest first). */
  picks: { name: string; share: number }[];
  /** Simulations whose refit failed (they keep today's recommendation). */
  failed: number;
  /** value ≥ WORTH_THRESHOLD. */
  worth: boolean;
}

/** The answer of suggest. */
export interface Suggestion {
  /** The candidate recommended today, its P(best) and expected regret over all joint draws. */
  recommended: { name: string; schedule: string; pBest: number; regret: number };
  /** Expected regret today over the simulations' draws (what every pilot's value is measured from). */
  regretBefore: number;
  simulations: number;
  threshold: number;
  /** Pilots worth training first, cheapest value first (value per step), then the rest by value. */
  pilots: PilotValue[];
  /** The decision is already clear (expected regret today under the threshold): no pilot is needed. */
  clear: boolean;
}

/** In draw k, how much worse candidate `pick` ends than the best candidate of that draw. */
function regretAt(draws: readonly Float64Array[], k: number, pick: number): number {
  let low = Infinity;
  for (const d of draws) low = Math.min(low, d[k]);
  return draws[pick][k] - low;
}

/** `count` draw indices spread evenly over the draws sorted by today's regret (a stratified sample of the truths). */
export function stratifiedDraws(regret: ArrayLike<number>, count: number): number[] {
  const order = Array.from({ length: regret.length }, (_, k) => k).sort((a, b) => regret[a] - regret[b] || a - b);
  return Array.from({ length: Math.min(count, order.length) }, (_, q) => order[Math.floor(((q + 0.5) * order.length) / count)]);
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return values.length > 0 ? s / values.length : 0;
}

function standardError(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i] - m) ** 2;
  return Math.sqrt(s / (n - 1) / n);
}

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

/** The simulated pilot logs to refit on, and what scores the picks made after them. */
export interface PilotPlan {
  setup: RefitSetup;
  /** The candidates in today's order (the first is today's pick). */
  candidates: { name: string; schedule: string; pBest: number }[];
  pilots: Pilot[];
  /** Per pilot, per simulation: its simulated log. */
  logs: Run[][];
  /** The joint draws standing for the truth in each simulation. */
  truths: number[];
  /** Per joint draw: the regret of today's pick. */
  today: Float64Array;
  /** Per candidate: its final loss in every joint draw. */
  candidateDraws: Float64Array[];
}

/** Draws the truths and simulates every pilot's log in each (the refits are left to the caller). */
export function planPilots(input: SuggestInput): PilotPlan {
  const { law } = input;
  if (!law.uncertainty) throw new Error('planPilots needs a law with a bootstrap');
  const ranking = rankCandidates(law, input.candidates, { total: input.total }).ranking.filter((r) => r.problem === undefined);
  if (ranking.length < 2) throw dataError(`only ${ranking.length} of the ${input.candidates.length} candidates has a prediction under this law (see compare for why), so there is no choice for a pilot to settle`);
  const candidates = ranking.map((r) => ({ name: r.name, schedule: r.schedule, pBest: r.pBest ?? 0, profile: scheduleProfile(parseSchedule(r.schedule), r.total), total: r.total, center: r.finalLoss }));
  const pilots = input.pilots.map((p) => {
    const schedule = parseSchedule(p.schedule);
    const total = scheduleLength(schedule);
    const profile = scheduleProfile(schedule, total);
    return { pilot: p, profile, total, center: predictedLoss(law, profile, [total])[0] };
  });
  const drawn = drawTargets(law, [...candidates, ...pilots].map((t) => ({ profile: t.profile, step: t.total, center: t.center })));
  const candidateDraws = drawn.draws.slice(0, candidates.length);
  const today = Float64Array.from(candidateDraws[0], (_, k) => regretAt(candidateDraws, k, 0));
  const truths = stratifiedDraws(today, Math.max(1, Math.floor(input.simulations ?? DEFAULT_SIMULATIONS)));
  const spacing = loggingSpacing(input.runs);
  const fromStep = input.fitOptions.fromStep ?? 0;
  const logs = pilots.map((p, pi) => {
    const steps = pilotSteps(p.pilot, p.total, spacing, fromStep);
    const row = candidates.length + pi;
    return truths.map((k, t) => {
      const j = Math.floor(k / drawn.repeats);
      const draw = { model: drawn.models[j], endDeviation: drawn.draws[row][k] - drawn.samples[row][j], normal: normalGenerator(law.uncertainty!.seed * 7919 + t) };
      return simulatedLog(law, p.pilot, p.profile, steps, draw, law.uncertainty!.scatter);
    });
  });
  return {
    setup: { law: law.model.law, runs: input.runs, fitOptions: input.fitOptions, ...(law.annealPrior ? { annealPrior: law.annealPrior } : {}), candidates: candidates.map((c) => ({ profile: c.profile, total: c.total })) },
    candidates: candidates.map((c) => ({ name: c.name, schedule: c.schedule, pBest: c.pBest })),
    pilots: pilots.map((p) => p.pilot),
    logs,
    truths,
    today,
    candidateDraws,
  };
}

/** Each pilot's value from the picks made after its simulated logs (null: the refit failed; today's pick stays). */
export function scorePilots(plan: PilotPlan, picks: readonly (readonly (number | null)[])[]): Suggestion {
  const { truths, today, candidateDraws } = plan;
  const regretBefore = mean(truths.map((k) => today[k]));
  const values = plan.pilots.map((pilot, pi): PilotValue => {
    const chosen = picks[pi].map((c) => c ?? 0);
    const gains = truths.map((k, t) => today[k] - regretAt(candidateDraws, k, chosen[t]));
    const value = mean(gains);
    const shares = new Map<number, number>();
    for (const c of chosen) shares.set(c, (shares.get(c) ?? 0) + 1 / chosen.length);
    return {
      pilot,
      regretAfter: regretBefore - value,
      value,
      valueError: standardError(gains),
      valuePerKilostep: (1000 * value) / pilot.cost,
      changes: chosen.filter((c) => c !== 0).length / chosen.length,
      picks: [...shares.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c, share]) => ({ name: plan.candidates[c].name, share })),
      failed: picks[pi].filter((c) => c === null).length,
      worth: value >= WORTH_THRESHOLD,
    };
  });
  const order = [...values.filter((v) => v.worth).sort((a, b) => b.valuePerKilostep - a.valuePerKilostep), ...values.filter((v) => !v.worth).sort((a, b) => b.value - a.value)];
  const best = plan.candidates[0];
  return {
    recommended: { name: best.name, schedule: best.schedule, pBest: best.pBest, regret: mean(today) },
    regretBefore,
    simulations: truths.length,
    threshold: WORTH_THRESHOLD,
    pilots: order,
    clear: mean(today) < WORTH_THRESHOLD,
  };
}

/** Weighs every pilot by how much it would improve the choice among the candidates (in this thread; see parallel.ts for several). */
export function valueOfPilots(input: SuggestInput): Suggestion {
  const plan = planPilots(input);
  const total = plan.logs.length * plan.truths.length;
  let done = 0;
  const picks = plan.logs.map((logs) =>
    logs.map((log) => {
      const pick = pickAfter(plan.setup, log);
      input.onProgress?.(++done, total);
      return pick;
    }),
  );
  return scorePilots(plan, picks);
}
