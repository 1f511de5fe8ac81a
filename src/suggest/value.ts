/**
 * The value of a pilot run: how much training it first would improve the choice among the
 * candidates (expected value of sample information). A few joint draws of the current law — the
 * bootstrap's refits, a mixture's weight, the law's own error (correlated between schedules
 * alike), seed noise on the pilot — each stand for "the truth" (truths.ts): in each, the pilot's
 * log is simulated (simulated-log.ts), the law is refitted with it as compare would refit it
 * (refit.ts), and the refitted law's pick is scored in the same draw. The value is the drop in
 * expected regret (how much worse the recommended candidate ends than the best one, seed noise
 * aside: no pilot can remove that) from today's pick to the one after the pilot, both scored on the
 * same draws. A law whose form cannot learn from the pilot keeps its pick after every refit: its
 * pilots are worth nothing, and that is what is reported. A mixture re-chooses its weight on the
 * new runs' folds, as compare will: that move is part of what a pilot does to the decision.
 */
import type { Run } from '../core/run.js';
import { dataError, usageError } from '../errors.js';
import type { FitOptions } from '../law/types.js';
import type { Candidate } from '../predict/candidates.js';
import { type FittedLaw, predictedLoss } from '../predict/fitted-law.js';
import { drawTargets } from '../predict/joint.js';
import { rankCandidates } from '../predict/rank.js';
import { scheduleLength } from '../predict/simulate.js';
import { normalGenerator } from '../verdict/draws.js';
import { parseSchedule, scheduleProfile } from '../schedule/schedule.js';
import { branchRun, type Pilot } from './pilots.js';
import { pickAfter, type RefitSetup } from './refit.js';
import { branchOffset, loggingSpacing, pilotSteps, simulatedLog } from './simulated-log.js';
import { mean, regretAt, regretsOf, standardError, stratifiedDraws } from './truths.js';

/** Simulated pilot logs per pilot, by default. */
export const DEFAULT_SIMULATIONS = 8;

/**
 * The share of one run's seed-to-seed spread (the noise floor, 0.002 nats by default) below which
 * a drop of expected regret is not worth a pilot: a quarter, a difference one run could not show.
 */
export const WORTH_SHARE = 0.25;

/** What suggest weighs. */
export interface SuggestInput {
  /** The law fitted on `runs`, with its bootstrap. */
  law: FittedLaw;
  /** The runs the law was fitted on (each simulated pilot's refit adds its log to them). */
  runs: readonly Run[];
  /** The options the law was fitted with (the refits use the same). */
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
  /** Expected regret of the pick made after the pilot: today's minus the value. */
  regretAfter: number;
  /** Expected regret today minus after the pilot, over the simulations (nats; negative: the pilot would mislead). */
  value: number;
  /** The Monte-Carlo standard error of value. */
  valueError: number;
  /** value per 1 000 steps of cost. */
  valuePerKilostep: number;
  /** Share of the simulations whose refit succeeded in which the pick changes. */
  changes: number;
  /** What the refitted law recommends, by share of the successful refits (largest first). */
  picks: { name: string; share: number }[];
  /** Simulations whose refit failed (counted as keeping today's pick in the value). */
  failed: number;
  /** Worth training: value minus its Monte-Carlo error is still at least the suggestion's threshold. */
  worth: boolean;
}

/** The answer of suggest. */
export interface Suggestion {
  /** The candidate recommended today, its P(best) and its expected regret (seed noise aside) over all joint draws. */
  recommended: { name: string; schedule: string; pBest: number; regret: number };
  simulations: number;
  /** Value (nats) from which a pilot is worth training: WORTH_SHARE of the noise floor. */
  threshold: number;
  /** Pilots worth training first, cheapest value first (value per step), then the rest by value. */
  pilots: PilotValue[];
  /** The decision is already clear (expected regret today under the threshold): no pilot is needed. */
  clear: boolean;
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
  /** Today's pick's expected regret over candidate-only draws (the same whatever the menu). */
  todayRegret: number;
  /** Per candidate: its final loss in every joint draw. */
  candidateDraws: Float64Array[];
  threshold: number;
}

/** Draws the truths and simulates every pilot's log in each (the refits are left to the caller). */
export function planPilots(input: SuggestInput): PilotPlan {
  const { law } = input;
  const u = law.uncertainty;
  if (!u) throw usageError('suggest needs a law with a bootstrap (it draws the outcomes a pilot could show from it): fit with samples > 0');
  const ranking = rankCandidates(law, input.candidates, { total: input.total }).ranking.filter((r) => r.problem === undefined);
  if (ranking.length < 2) throw dataError(`only ${ranking.length} of the ${input.candidates.length} candidates has a prediction under this law (see compare for why), so there is no choice for a pilot to settle`);
  const candidates = ranking.map((r) => ({ name: r.name, schedule: r.schedule, pBest: r.pBest ?? 0, profile: scheduleProfile(parseSchedule(r.schedule), r.total), total: r.total, center: r.finalLoss }));
  const pilots = input.pilots.map((p) => {
    const schedule = parseSchedule(p.schedule);
    const total = scheduleLength(schedule);
    const profile = scheduleProfile(schedule, total);
    return { pilot: p, profile, total, center: predictedLoss(law, profile, [total])[0], parent: p.branchFrom ? branchRun(p.branchFrom, input.runs) : undefined };
  });
  const candidateTargets = candidates.map((c) => ({ profile: c.profile, step: c.total, center: c.center, noiseFree: true }));
  const drawn = drawTargets(law, [...candidateTargets, ...pilots.map((p) => ({ profile: p.profile, step: p.total, center: p.center }))]);
  const alone = drawTargets(law, candidateTargets.map((t, i) => ({ ...t, samples: drawn.samples[i] }))).draws; // the candidates' own draws: today's regret, whatever the menu
  const candidateDraws = drawn.draws.slice(0, candidates.length);
  const today = regretsOf(candidateDraws, 0); // the ranking's first is today's pick
  const truths = stratifiedDraws(today, input.simulations ?? DEFAULT_SIMULATIONS, u.seed);
  const spacing = loggingSpacing(input.runs);
  const fromStep = input.fitOptions.fromStep ?? 0;
  const logs = pilots.map((p, pi) => {
    const steps = pilotSteps(p.pilot, p.total, spacing, fromStep);
    const row = candidates.length + pi;
    return truths.map((k, t) => {
      const j = Math.floor(k / drawn.repeats);
      const model = drawn.models[j];
      const startOffset = p.parent && p.pilot.branchFrom ? branchOffset(law, model, p.parent, p.pilot.branchFrom.step) : 0;
      const draw = { model, endDeviation: drawn.draws[row][k] - drawn.samples[row][j], startOffset, normal: normalGenerator(u.seed * 7919 + t) };
      return simulatedLog(law, p.pilot, p.profile, steps, draw, u.scatter);
    });
  });
  return {
    setup: { law: law.model.law, runs: input.runs, fitOptions: input.fitOptions, ...(law.annealPrior ? { annealPrior: law.annealPrior } : {}), candidates: candidates.map((c) => ({ profile: c.profile, total: c.total })) },
    candidates: candidates.map((c) => ({ name: c.name, schedule: c.schedule, pBest: c.pBest })),
    pilots: pilots.map((p) => p.pilot),
    logs,
    truths,
    today,
    todayRegret: mean(regretsOf(alone, 0)),
    candidateDraws,
    threshold: WORTH_SHARE * u.noiseFloor,
  };
}

/** Each pilot's value from the picks made after its simulated logs (null: the refit failed). */
export function scorePilots(plan: PilotPlan, picks: readonly (readonly (number | null)[])[]): Suggestion {
  const { truths, today, candidateDraws, todayRegret, threshold } = plan;
  const values = plan.pilots.map((pilot, pi): PilotValue => {
    const made = picks[pi].filter((c): c is number => c !== null);
    const gains = truths.map((k, t) => today[k] - regretAt(candidateDraws, k, picks[pi][t] ?? 0));
    const value = mean(gains);
    const shares = new Map<number, number>();
    for (const c of made) shares.set(c, (shares.get(c) ?? 0) + 1 / made.length);
    return {
      pilot,
      regretAfter: todayRegret - value,
      value,
      valueError: standardError(gains),
      valuePerKilostep: (1000 * value) / pilot.cost,
      changes: made.length > 0 ? made.filter((c) => c !== 0).length / made.length : 0,
      picks: [...shares.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c, share]) => ({ name: plan.candidates[c].name, share })),
      failed: truths.length - made.length,
      worth: value - standardError(gains) >= threshold,
    };
  });
  const order = [...values.filter((v) => v.worth).sort((a, b) => b.valuePerKilostep - a.valuePerKilostep), ...values.filter((v) => !v.worth).sort((a, b) => b.value - a.value)];
  const best = plan.candidates[0];
  return {
    recommended: { name: best.name, schedule: best.schedule, pBest: best.pBest, regret: todayRegret },
    simulations: truths.length,
    threshold,
    pilots: order,
    clear: todayRegret < threshold,
  };
}

/** Weighs every pilot by how much it would improve the choice among the candidates (in this thread; parallel.ts uses every core). */
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
