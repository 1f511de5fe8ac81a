/**
 * Fitting the stacked mixture: every member law is fitted to the runs as usual, then to each
 * held-out fold of them (folds.ts); the members' errors on the folds choose the weight
 * (stacking.ts). Bootstrap refits refit every member on the same resample (paired draws) and keep
 * the weight; the weight's own uncertainty comes from reweighting the folds (weightDraws).
 */
import type { Run } from '../../core/run.js';
import { scoreCurve } from '../../fit/metrics.js';
import { huber } from '../../fit/huber.js';
import { runWeights } from '../../fit/points.js';
import { type Warning, warning } from '../../warnings.js';
import type { FitOptions, FitResult, MemberName, Model, ParamAtBound, Refitter, RefitState, RunFit } from '../types.js';
import type { Resample } from '../../fit/resample.js';
import { evidenceFolds, type Fold } from './folds.js';
import { MEMBERS, memberKey, mixtureParams } from './members.js';
import { overallMetrics } from '../describe.js';
import { type FoldScore, PRIOR_WEIGHT, scoreFold, stackingWeight } from './stacking.js';

/** Each member's error (predicted − observed) on a fold, fitted on the fold's train runs. */
function foldErrors(fold: Fold, options: FitOptions): Float64Array[] {
  return MEMBERS.map((law) => {
    const fit = law.fit(fold.train, options);
    const predicted = law.lossAt(fit.model, fold.held.lr, fold.steps);
    return Float64Array.from(predicted, (p, i) => p - fold.observed[i]);
  });
}

/** The members' scores on every held-out fold of the runs. */
export function scoreFolds(runs: readonly Run[], options: FitOptions): FoldScore[] {
  return evidenceFolds(runs, options).map((fold) => {
    const [first, second] = foldErrors(fold, options);
    return scoreFold(fold.kind, fold.label, first, second);
  });
}

function prefixed(member: MemberName, names: readonly string[]): string[] {
  return names.map((n) => memberKey(member, n));
}

/** A run of the mixture fit: the members' curves combined. */
function combinedRun(runs: readonly RunFit[], weights: readonly number[]): RunFit {
  const first = runs[0];
  const fitted = new Float64Array(first.fitted.length);
  runs.forEach((r, m) => r.fitted.forEach((v, k) => (fitted[k] += weights[m] * v)));
  return { ...first, fitted, metrics: scoreCurve(first.observed, fitted) };
}

/** The mixture's Huber objective on the runs' points (each run weighed as the fit did). */
function combinedObjective(runs: readonly RunFit[], options: FitOptions, delta: number): number {
  const weights = runWeights(runs.map((r) => r.observed.length), options.weighting ?? 'runs');
  let total = 0;
  runs.forEach((r, i) => r.observed.forEach((y, k) => (total += weights[i] * (r.fitted[k] > 0 ? huber(Math.log(y) - Math.log(r.fitted[k]), delta) : Infinity))));
  return total;
}

/** The note on how the weight was chosen (or why it could not be). */
function weightNote(folds: readonly FoldScore[], weight: number): Warning[] {
  if (folds.length > 0) return [];
  return [warning('no-held-out-evidence', `no held-out fold could be made from these runs (a fold needs a run that anneals besides the one held out, or an annealing run long enough to cut): the ${MEMBERS[0].title} and the ${MEMBERS[1].title} weigh the same (${weight}), and P(best) counts any weight as equally likely; fit a second run with another schedule for evidence`)];
}

/** Fits the stacked mixture to the runs. */
export function fitMixture(runs: readonly Run[], options: FitOptions): FitResult {
  const members = MEMBERS.map((law) => law.fit(runs, options));
  const folds = scoreFolds(runs, options);
  const weight = folds.length > 0 ? stackingWeight(folds) : PRIOR_WEIGHT;
  const weights = [weight, 1 - weight];
  const runFits = members[0].runs.map((_, i) => combinedRun(members.map((m) => m.runs[i]), weights));
  const delta = members[0].delta;
  const atBound: ParamAtBound[] = members.flatMap((m, i) => m.atBound.map((b) => ({ ...b, name: memberKey(MEMBERS[i].name as MemberName, b.name) })));
  return {
    model: { law: 'auto', params: mixtureParams(weight, members.map((m) => m.model)), settings: { ...members[0].model.settings, ...members[1].model.settings, stacking: folds } },
    objective: combinedObjective(runFits, options, delta),
    metrics: overallMetrics(runFits),
    runs: runFits,
    held: members.flatMap((m, i) => prefixed(MEMBERS[i].name as MemberName, m.held)),
    atBound,
    fitLambda: members[0].fitLambda,
    delta,
    weighting: members[0].weighting,
    ...(members[1].starts ? { starts: members[1].starts } : {}),
    notes: [...members.flatMap((m) => m.notes), ...weightNote(folds, weight)],
    members,
  };
}

/** What a mixture refit needs, as plain data. */
export interface MixtureRefitState extends RefitState {
  law: 'auto';
  members: RefitState[];
  weight: number;
  settings: Model['settings'];
}

/**
 * A resample of one point set carried over to another of the same runs with other (evenly spaced)
 * point counts: each point takes the multiplicity of the reference point at the same relative place
 * in its run, so drawn runs and blocks stay drawn in both (the members refit on the same data).
 */
export function carryResample(resample: Resample, sizes: readonly number[]): Resample {
  return resample.map((counts, r) => {
    const n = sizes[r];
    if (n === counts.length) return counts;
    const out = new Int32Array(n);
    for (let k = 0; k < n; k++) out[k] = counts[Math.min(counts.length - 1, Math.floor(((k + 0.5) * counts.length) / n))];
    return out;
  });
}

/** The mixture's refitter from its members' refitters (every resample refits every member, carried over to each member's points). */
export function mixtureRefitterFromState(state: MixtureRefitState): Refitter {
  const refitters = state.members.map((s, i) => MEMBERS[i].refitterFromState(s));
  // the member that keeps the most points draws the resamples; the others take them over
  const reference = refitters.reduce((a, b) => (b.sizes.reduce((x, y) => x + y, 0) > a.sizes.reduce((x, y) => x + y, 0) ? b : a));
  const searchRange = Object.fromEntries(refitters.flatMap((r, i) => Object.entries(r.searchRange ?? {}).map(([k, v]) => [memberKey(MEMBERS[i].name as MemberName, k), v])));
  return {
    sizes: reference.sizes,
    needed: reference.needed,
    state,
    ...(Object.keys(searchRange).length > 0 ? { searchRange } : {}),
    refit(resample) {
      const models = refitters.map((r) => r.refit(carryResample(resample, r.sizes)));
      return { law: 'auto', params: mixtureParams(state.weight, models), settings: state.settings };
    },
  };
}

/** Refits of a mixture fit on resamples of its points. */
export function mixtureRefitter(runs: readonly Run[], options: FitOptions, fit: FitResult): Refitter {
  if (!fit.members) throw new Error('a mixture refitter needs the fit of every member');
  const members = fit.members.map((m, i) => MEMBERS[i].refitter(runs, options, m).state);
  return mixtureRefitterFromState({ law: 'auto', members, weight: fit.model.params.weight, settings: fit.model.settings });
}
