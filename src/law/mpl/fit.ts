/**
 * Fitting the Multi-Power Law by the papers' objective Σ wᵢ·Huber_δ(log yᵢ − log pᵢ), fast and
 * to convergence:
 *
 *  1. every run's LR changes are compiled once at its points (changes.ts, tolerance
 *     FIT_TOLERANCE: ≤ ~1e-5 nats from the exact sum), rescaled by the peak LR (objective.ts);
 *  2. several deterministic starts in (C', β, γ); at each, the linear parameters (L0, A', B')
 *     are solved exactly by the profiled Huber IRLS and α by a 1-D search, which puts every
 *     start close to a minimum;
 *  3. variable-projection Levenberg–Marquardt (descend.ts) from each start: the four nonlinear
 *     parameters are stepped on the analytic Jacobian, (L0, A', B') solved exactly at each step;
 *     on a subsample of the points first, then the best starts on every point. Huber is
 *     minimised through its square-root residual ρ(r) = sign(r)·√(2·Huber(r)).
 *
 * When no run anneals, B, C, β and γ cannot be identified: B is held at 0 (the law reduces to
 * its power-law part) with a warning, as the momentum fitter does for C.
 */
import type { Run } from '../../core/run.js';
import { huber, HUBER_DELTA } from '../../fit/huber.js';
import { type FitPoints, powerTerm, solveLinearPart } from '../../fit/linear-part.js';
import { gridThenBrent, logGrid } from '../../fit/minimize-1d.js';
import { runWeights, selectAll, strided } from '../../fit/points.js';
import { MAX_REFIT_POINTS } from '../../fit/resample.js';
import { type Warning, warning } from '../../warnings.js';
import { atBoundWarnings, atypicalWarnings, findAtBound } from '../bounds.js';
import { describeRun, overallMetrics } from '../describe.js';
import { poorFitNote, subsampleNote } from '../notes.js';
import type { FitOptions, FitResult, LawSettings, MplWarmup, ParamSpec, Refitter, RefitState } from '../types.js';
import { compileChanges } from './changes.js';
import { DEFAULT_MPL_WARMUP, firstCountedChange, mplLossAt, type MplParams } from './law.js';
import { descend, type DescentTolerances } from './descend.js';
import { buildPoints, fromTheta, type MplPoints, predict, THETA, THETA_LOWER, THETA_UPPER, toTheta, weightedSubset } from './objective.js';
import { DEFAULT_DROP_PRIOR, dropPriorAt, formatWeight } from './prior.js';

export { DEFAULT_DROP_PRIOR, formatWeight, THETA_LOWER, THETA_UPPER };

/** Block-merging tolerance while fitting: loss errors ≤ ~1e-5 nats, far below the fit's noise. */
export const FIT_TOLERANCE = 0.2;
/**
 * … while the starts search for a basin (≤ ~2e-4 nats on the public curves, 7e-4 on a fine-tuning
 * log: a fifth of the terms; every basin is then polished at FIT_TOLERANCE) …
 */
const START_TOLERANCE = 1;
/**
 * … and in bootstrap refits (≤ ~1e-4 nats on the public curves, 3e-4 on a fine-tuning log: well
 * under the noise floor of 0.002 added to every prediction interval; a quarter of the terms).
 */
const REFIT_TOLERANCE = 0.8;
/**
 * … and while an optimum is first polished on every point, before its last steps at FIT_TOLERANCE
 * (on the SFT trainer_state.json: 15,802 terms for 56,709, and 11 steps at FIT_TOLERANCE where 30-34
 * were taken from the multi-start's optimum; the same optimum, to the descent's tolerance).
 */
const ROUGH_TOLERANCE = 0.8;
/** Most points a refit uses (evenly spaced per run): the public protocol's 451 are all kept. */
const MAX_MPL_REFIT_POINTS = 500;
/** At most this many points enter an MPL fit (evenly spaced per run); metrics use every point. */
export const MAX_MPL_POINTS = 3000;
/** The multi-start phase runs on about this many points. */
const START_POINTS = 160;

/** Deterministic starts in (log C', β, γ). */
const STARTS: [number, number, number][] = [];
for (const c of [0.01, 0.1, 1]) for (const beta of [0.3, 0.8]) for (const gamma of [0.2, 0.7]) STARTS.push([Math.log(c), beta, gamma]);

/** α at each start: a coarse grid (×1.55 a step) refined to 1e-3; the descent then moves α freely. */
const ALPHA_GRID = logGrid(0.02, 2.5, 12);

/** Initial θ at one start: with (log C', β, γ) given, α by a 1-D search and (L0, A', B') by the profiled Huber solve. */
function initialTheta(points: MplPoints, start: readonly number[], delta: number, fixB: boolean): number[] {
  const n = points.y.length;
  const drop = new Float64Array(n);
  predict(points, [0, 0, 1, 0, start[0], start[1], start[2]], new Float64Array(n), undefined, drop);
  const linear: FitPoints = { logS1: points.logSigma, s2: drop, y: points.y, logY: points.logY, weight: points.weight };
  const power = new Float64Array(n);
  let last: ReturnType<typeof solveLinearPart> | undefined;
  const parts = new Map<number, ReturnType<typeof solveLinearPart>>();
  const best = gridThenBrent(
    (alpha) => {
      powerTerm(linear, alpha, power);
      last = solveLinearPart(linear, power, { fixC: fixB, delta, start: last });
      parts.set(alpha, last);
      return last.objective;
    },
    ALPHA_GRID,
    1e-3,
  );
  const part = parts.get(best.x)!;
  return [part.L0, part.A, best.x, part.C, start[0], start[1], start[2]];
}

/** Fits the Multi-Power Law jointly to the given runs; `specs` are its parameters (for bound notes). */
export function fitMpl(runs: readonly Run[], options: FitOptions, specs: readonly ParamSpec[]): FitResult {
  const delta = options.delta ?? HUBER_DELTA;
  const weighting = options.weighting ?? 'runs';
  const warmup: MplWarmup = options.mplWarmup ?? DEFAULT_MPL_WARMUP;
  const selected = selectAll(runs, options);
  const lrRef = Math.max(...runs.map((r) => r.lr.peak));
  const total = selected.reduce((n, s) => n + s.indices.length, 0);
  const notes: Warning[] = [];
  const stride = Math.ceil(total / MAX_MPL_POINTS);
  if (stride > 1) notes.push(subsampleNote(total, stride));
  const identifiable = selected.some((s) => s.anneals);
  if (!identifiable) notes.push(warning('annealing-not-identifiable', 'no run anneals within the fitted steps (the LR never decreases), so the loss-drop parameters B, C, β, γ cannot be identified: B held at 0 (no annealing gain); add a run with a decay to learn them'));

  const compile = (step: number, tolerance: number) => {
    const kept = selected.map((s) => strided(s.indices.length, step));
    const weights = runWeights(kept.map((k) => k.length), weighting);
    return buildPoints(
      selected.map((s, r) => {
        const steps = kept[r].map((k) => s.steps[k]);
        return { changes: compileChanges(s.run.lr, steps, { tolerance, skipBefore: firstCountedChange(s.run.lr, warmup) }), y: kept[r].map((k) => s.loss[k]), weight: weights[r] };
      }),
      lrRef,
    );
  };
  const full = compile(stride, FIT_TOLERANCE);
  const coarse = compile(Math.max(stride, Math.ceil(total / START_POINTS)), START_TOLERANCE);
  const free = [true, true, true, identifiable, identifiable, identifiable, identifiable];
  const dropPrior = options.mplPrior ?? DEFAULT_DROP_PRIOR;
  const prior = dropPriorAt(dropPrior, lrRef);

  // multi-start on the subsample; the starts that end together form one candidate optimum, and
  // one start of each of the best three is polished on every point
  const starts = (identifiable ? STARTS : [STARTS[0]]).map((s) => {
    const theta0 = initialTheta(coarse, s, delta, !identifiable);
    return descend(coarse, theta0, delta, free, 150, prior);
  });
  starts.sort((a, b) => a.objective - b.objective);
  const groups: { theta: number[]; members: number }[] = [];
  let groupObjective = Infinity;
  for (const s of starts) {
    if (groups.length > 0 && s.objective <= groupObjective * (1 + 1e-4) + 1e-12) groups[groups.length - 1].members++;
    else {
      groups.push({ theta: s.theta, members: 1 });
      groupObjective = s.objective;
    }
  }
  // each is first descended on every point with the changes merged at ROUGH_TOLERANCE (a quarter
  // of the terms on a fine-tuning log), then to convergence at FIT_TOLERANCE from there
  const rough = compile(stride, ROUGH_TOLERANCE);
  const polished = groups.slice(0, 3).map((g) => ({ ...descend(full, descend(rough, g.theta, delta, free, 200, prior).theta, delta, free, 200, prior), members: g.members }));
  const best = polished.reduce((a, b) => (b.objective < a.objective ? b : a));
  // starts agree when their optimum, polished on every point, reaches the best objective
  const agreeing = polished.filter((p) => p.objective <= best.objective * (1 + 1e-6) + 1e-12).reduce((n, p) => n + p.members, 0);

  const params = fromTheta(best.theta, lrRef);
  if (!identifiable) Object.assign(params, { B: 0 });
  const fitted = selected.map((s) => mplLossAt(params, s.run.lr, s.steps, warmup, FIT_TOLERANCE)); // once, for the metrics and the objective (at the fit's own precision, ≤ ~1e-5 nats)
  const runFits = selected.map((s, r) => describeRun(s, fitted[r]));
  const metrics = overallMetrics(runFits);
  const held = identifiable ? [] : ['B', 'C', 'beta', 'gamma'];
  const atBound = findAtBound(params as unknown as Record<string, number>, specsAtRef(specs, params, lrRef), held);
  notes.push(...atBoundWarnings(atBound, specs, 'Multi-Power Law'));
  notes.push(...atypicalWarnings(params as unknown as Record<string, number>, specs, [...held, ...atBound.map((b) => b.name)], 'Multi-Power Law'));
  const poor = poorFitNote(metrics);
  if (poor) notes.push(poor);
  if (prior && identifiable) notes.push(warning('drop-shape-regularised', `the loss-drop shape is pulled towards C = 1, β = 0.5, γ = 0.5 (--mpl-prior ${formatWeight(dropPrior)}): C, β, γ and their intervals, and the ties between cooldown shapes, then reflect the regulariser more than the data; --mpl-prior 0 fits them freely`));
  return {
    model: { law: 'mpl', params: { ...params }, settings: { warmup, dropPrior } },
    objective: objectiveOfPredictions(selected, fitted, delta, weighting),
    metrics,
    runs: runFits,
    held,
    atBound,
    fitLambda: false,
    delta,
    weighting,
    starts: { count: starts.length, agreeing },
    notes,
  };
}

/** Most LM iterations of a bootstrap refit (it starts at the fit's optimum, so it moves little). */
const REFIT_ITERATIONS = 40;
/**
 * How closely a refit converges: it stops at a step that gains less than 1e-6 of the objective
 * (a fit: 1e-10), with the linear part solved to 1e-10 at each evaluation (a fit: 1e-12). On a
 * fine-tuning log the last 10-20 of a refit's 40 steps moved the objective by less than 1e-6 in
 * all, creeping along a flat direction; the refits' 5/50/95 % predictions at a quarter, half and
 * all of the run moved by ≤ 1e-4 (the SFT trainer_state.json) and not at all to 5 digits (the
 * public 400M runs) on 100 resamples, while the intervals are their spread, ~±5 %.
 */
const REFIT_TOLERANCES: DescentTolerances = { converged: 1e-6, linear: 1e-10 };

/**
 * Warm-started refits of the Multi-Power Law on resamples of the fit's points: the LR changes are
 * compiled once (at REFIT_TOLERANCE, on at most MAX_MPL_REFIT_POINTS points), a resample only
 * reweights the points, and the descent starts from the fit's parameters.
 */
export function mplRefitter(runs: readonly Run[], options: FitOptions, fit: FitResult): Refitter {
  const warmup = fit.model.settings.warmup ?? DEFAULT_MPL_WARMUP;
  const selected = selectAll(runs, options);
  const lrRef = Math.max(...runs.map((r) => r.lr.peak));
  const total = selected.reduce((n, s) => n + s.indices.length, 0);
  const keep = selected.map((s) => strided(s.indices.length, Math.ceil(total / Math.min(MAX_REFIT_POINTS, MAX_MPL_REFIT_POINTS))));
  const points = buildPoints(
    selected.map((s, r) => {
      const steps = keep[r].map((k) => s.steps[k]);
      return { changes: compileChanges(s.run.lr, steps, { tolerance: REFIT_TOLERANCE, skipBefore: firstCountedChange(s.run.lr, warmup) }), y: keep[r].map((k) => s.loss[k]), weight: 1 };
    }),
    lrRef,
  );
  return mplRefitterFromState({
    law: 'mpl',
    points,
    lrRef,
    theta0: toTheta(fit.model.params as unknown as MplParams, lrRef),
    sizes: keep.map((k) => k.length),
    runWeight: runWeights(keep.map((k) => k.length), fit.weighting),
    needed: selected.map((s) => s.anneals),
    delta: fit.delta,
    settings: fit.model.settings,
  });
}

/** What a Multi-Power Law refit needs, as plain data (it may be sent to a worker thread). */
export interface MplRefitState extends RefitState {
  law: 'mpl';
  points: MplPoints;
  lrRef: number;
  theta0: number[];
  sizes: number[];
  runWeight: number[];
  needed: boolean[];
  delta: number;
  settings: LawSettings;
}

/** The refitter of a Multi-Power Law fit, from its state (the same code in the main thread and in workers). */
export function mplRefitterFromState(state: MplRefitState): Refitter {
  const { points, lrRef, theta0, runWeight, needed } = state;
  const prior = dropPriorAt(state.settings.dropPrior, lrRef);
  return {
    sizes: state.sizes,
    needed,
    state,
    refit(resample) {
      const weights = new Float64Array(points.y.length);
      let i = 0;
      resample.forEach((counts, r) => counts.forEach((c) => (weights[i++] = c * runWeight[r])));
      const anneals = needed.some((n, r) => n && resample[r].some((c) => c > 0));
      const start = anneals ? theta0 : theta0.map((v, k) => (k === THETA.B ? 0 : v));
      const free = [true, true, true, anneals, anneals, anneals, anneals];
      const { theta } = descend(weightedSubset(points, weights), start, state.delta, free, REFIT_ITERATIONS, prior, REFIT_TOLERANCES);
      const params = fromTheta(theta, lrRef);
      return { law: 'mpl', params: { ...params, B: anneals ? params.B : 0 }, settings: state.settings };
    },
  };
}

/** The parameter specs with C's bounds, which live on the rescaled C', expressed in natural units at this fit's γ. */
function specsAtRef(specs: readonly ParamSpec[], params: MplParams, lrRef: number): ParamSpec[] {
  const toNatural = (logC: number) => Math.exp(logC - (1 - params.gamma) * Math.log(lrRef));
  return specs.map((s) => (s.name === 'C' ? { ...s, lower: toNatural(THETA_LOWER[THETA.logC]), upper: toNatural(THETA_UPPER[THETA.logC]) } : s));
}

/** The objective of `params` on the selected points, every point, with the prediction-grade evaluation. */
export function exactObjective(selected: ReturnType<typeof selectAll>, params: MplParams, warmup: MplWarmup, delta: number, weighting: FitOptions['weighting'] = 'runs'): number {
  return objectiveOfPredictions(selected, selected.map((s) => mplLossAt(params, s.run.lr, s.steps, warmup)), delta, weighting);
}

/** The objective of predictions `predicted[r][i]` of every selected point of every run. */
function objectiveOfPredictions(selected: ReturnType<typeof selectAll>, predicted: readonly Float64Array[], delta: number, weighting: FitOptions['weighting'] = 'runs'): number {
  const weights = runWeights(selected.map((s) => s.indices.length), weighting ?? 'runs');
  let total = 0;
  selected.forEach((s, r) => {
    const p = predicted[r];
    for (let i = 0; i < p.length; i++) total += weights[r] * (p[i] > 0 ? huber(Math.log(s.loss[i]) - Math.log(p[i]), delta) : Infinity);
  });
  return total;
}

