/**
 * Fitting the Multi-Power Law by the papers' objective Σ wᵢ·Huber_δ(log yᵢ − log pᵢ), fast and
 * to convergence:
 *
 *  1. every run's LR changes are compiled once at its points (changes.ts, tolerance
 *     FIT_TOLERANCE: ≤ ~1e-5 nats from the exact sum), rescaled by the peak LR (objective.ts);
 *  2. several deterministic starts in (C', β, γ); at each, the linear parameters (L0, A', B')
 *     are solved exactly by the profiled Huber IRLS and α by a 1-D search, which puts every
 *     start close to a minimum;
 *  3. Levenberg–Marquardt (ml-levenberg-marquardt, with the analytic Jacobian) on all seven
 *     parameters from each start, on a subsample of the points first, then the best starts on
 *     every point. Huber is minimised through its square-root residual
 *     ρ(r) = sign(r)·√(2·Huber(r)), so the least-squares solver minimises the Huber sum.
 *
 * When no run anneals, B, C, β and γ cannot be identified: B is held at 0 (the law reduces to
 * its power-law part) with a warning, as the momentum fitter does for C.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
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
import { buildPoints, fromTheta, type MplPoints, predict, THETA, toTheta, weightedSubset } from './objective.js';

/** Block-merging tolerance while fitting: loss errors ≤ ~1e-5 nats, far below the fit's noise. */
export const FIT_TOLERANCE = 0.2;
/** … and while the starts search for the basin (≤ ~3e-5 nats, half the terms). */
const START_TOLERANCE = 0.4;
/** At most this many points enter an MPL fit (evenly spaced per run); metrics use every point. */
export const MAX_MPL_POINTS = 3000;
/** The multi-start phase runs on about this many points. */
const START_POINTS = 160;

/** Search ranges of the rescaled parameters θ = [L0, A', α, B', log C', β, γ]. */
export const THETA_LOWER = [0, 0, 0.01, 0, Math.log(1e-6), 0.01, 0];
export const THETA_UPPER = [Infinity, Infinity, 3, Infinity, Math.log(1e6), 10, 2];

/** Deterministic starts in (log C', β, γ). */
const STARTS: [number, number, number][] = [];
for (const c of [0.01, 0.1, 1]) for (const beta of [0.3, 0.8]) for (const gamma of [0.2, 0.7]) STARTS.push([Math.log(c), beta, gamma]);

const ALPHA_GRID = logGrid(0.02, 2.5, 24);

/** The objective pieces LM works with at one θ. */
interface Evaluation {
  objective: number;
  /** Square-root Huber residuals √w·ρ(log y − log p). */
  rho: Float64Array;
  /** ∂(√w·ρ)/∂θ_k · (−1): the model's partials as the solver wants them, when asked. */
  partials?: Float64Array[];
}

/**
 * A regulariser on the loss-drop shape: w·Σweights·[(log C − 0)² + (β − 0.5)² + (γ − 0.5)²]/2
 * in natural units, pulling towards the reference code's start (C = 1, β = 0.5, γ = 0.5). Its
 * weight is per unit of point weight, so it means the same on a subsample and on every point.
 * Three train runs identify C, β and γ only weakly (docs/accuracy.md): unregularised, the fit
 * finds shapes that trace the train runs and predict the others worse.
 */
export interface DropPrior {
  weight: number;
  /** log of the fit's reference LR (θ's log C' = log C + (1 − γ)·log η_ref). */
  logRef: number;
}

/**
 * The default weight: none. Leave-one-run-out inside the public train runs would pick 3e-5 for
 * curve MAE, but any weight that helps pins C, β, γ at the centre, and then the bootstrap no
 * longer sees how unsure the shape is: cooldown shapes the data cannot tell apart stop being ties
 * (docs/accuracy.md). So it is an option (--mpl-prior), with a warning when used.
 */
export const DEFAULT_DROP_PRIOR = 0;

/** A regulariser weight as a user would type it (3e-5, not 0.00003). */
export function formatWeight(w: number): string {
  return w > 0 && w < 1e-3 ? w.toExponential() : String(w);
}

/** The regulariser of a fit with weight `weight` (none at 0) whose reference LR is `lrRef`. */
function dropPriorAt(weight: number | undefined, lrRef: number): DropPrior | undefined {
  return weight ? { weight, logRef: Math.log(lrRef) } : undefined;
}

/** The prior's centre in natural units: log C, β, γ. */
const PRIOR_CENTRE = { logC: 0, beta: 0.5, gamma: 0.5 };

/** The prior's residual rows √(w·Σweights)·(value − centre) and their ∂/∂θ (rows: log C, β, γ). */
function priorRows(theta: readonly number[], prior: DropPrior, totalWeight: number): { rows: number[]; jac: [number, number][][] } {
  const root = Math.sqrt(prior.weight * totalWeight);
  const logC = theta[THETA.logC] - (1 - theta[THETA.gamma]) * prior.logRef;
  return {
    rows: [root * (logC - PRIOR_CENTRE.logC), root * (theta[THETA.beta] - PRIOR_CENTRE.beta), root * (theta[THETA.gamma] - PRIOR_CENTRE.gamma)],
    jac: [
      [
        [THETA.logC, root],
        [THETA.gamma, root * prior.logRef],
      ],
      [[THETA.beta, root]],
      [[THETA.gamma, root]],
    ],
  };
}

function evaluate(points: MplPoints, theta: readonly number[], delta: number, withJacobian: boolean, prior?: DropPrior): Evaluation {
  const n = points.y.length;
  const extra = prior ? 3 : 0;
  const p = new Float64Array(n);
  const jac = withJacobian ? Array.from({ length: 7 }, () => new Float64Array(n + extra)) : undefined;
  predict(points, theta, p, jac);
  const rho = new Float64Array(n + extra);
  let objective = 0;
  for (let i = 0; i < n; i++) {
    const w = points.weight[i];
    if (!(p[i] > 0)) {
      objective = Infinity;
      rho[i] = 1e3;
      continue;
    }
    const r = points.logY[i] - Math.log(p[i]);
    const a = Math.abs(r);
    const rr = a <= delta ? r : Math.sign(r) * Math.sqrt(2 * delta * a - delta * delta);
    rho[i] = Math.sqrt(w) * rr;
    objective += w * huber(r, delta);
    if (jac) {
      // ∂ρ/∂θ = ρ'(r)·∂r/∂θ = −ρ'(r)·(∂p/∂θ)/p; the solver wants ∂f/∂θ for f = −ρ (residual 0 − f = ρ)
      const slope = (Math.sqrt(w) * (a <= delta ? 1 : delta / Math.max(Math.abs(rr), 1e-300))) / p[i];
      for (let k = 0; k < 7; k++) jac[k][i] *= slope;
    }
  }
  if (prior) {
    let totalWeight = 0;
    for (let i = 0; i < n; i++) totalWeight += points.weight[i];
    const { rows, jac: rowJac } = priorRows(theta, prior, totalWeight);
    rows.forEach((r, k) => {
      rho[n + k] = r;
      objective += (r * r) / 2;
      // the solver's f is −ρ, so its partials are −∂ρ/∂θ
      if (jac) for (const [index, d] of rowJac[k]) jac[index][n + k] = -d;
    });
  }
  return { objective, rho, partials: jac };
}

/** Σ wᵢ·Huber(log yᵢ − log pᵢ) at θ (Infinity when a prediction is ≤ 0). */
export function objectiveAt(points: MplPoints, theta: readonly number[], delta = HUBER_DELTA): number {
  return evaluate(points, theta, delta, false).objective;
}

/** Levenberg–Marquardt from θ0 within the bounds, in scaled coordinates; returns the best θ found. */
function descend(points: MplPoints, theta0: readonly number[], delta: number, free: readonly boolean[], maxIterations: number, prior?: DropPrior): { theta: number[]; objective: number } {
  const start = evaluate(points, theta0, delta, true, prior);
  // scale each free parameter by its Jacobian column norm, so the solver's damping is isotropic
  const index = free.map((f, k) => (f ? k : -1)).filter((k) => k >= 0);
  const scale = index.map((k) => {
    let s = 0;
    for (const v of start.partials![k]) s += v * v;
    return s > 0 && Number.isFinite(s) ? 1 / Math.sqrt(s) : 1;
  });
  const thetaOf = (u: ArrayLike<number>) => {
    const theta = [...theta0];
    index.forEach((k, m) => (theta[k] = Math.min(THETA_UPPER[k], Math.max(THETA_LOWER[k], theta0[k] + scale[m] * u[m]))));
    return theta;
  };
  let cacheKey = '';
  let cache: Evaluation = start;
  const at = (u: ArrayLike<number>, jacobian: boolean): Evaluation => {
    const key = Array.prototype.join.call(u, ',');
    if (key !== cacheKey || (jacobian && !cache.partials)) {
      cache = evaluate(points, thetaOf(u), delta, jacobian, prior);
      cacheKey = key;
    }
    return cache;
  };
  const rows = points.y.length + (prior ? 3 : 0);
  const xs = Float64Array.from({ length: rows }, (_, i) => i);
  const zeros = new Float64Array(rows);
  let best = { u: index.map(() => 0), objective: start.objective };
  let iterations = 0;
  let damping = 1e-3;
  while (iterations < maxIterations) {
    let result: ReturnType<typeof levenbergMarquardt>;
    try {
      result = levenbergMarquardt(
      { x: xs, y: zeros },
      (u) => {
        const e = at(u, false);
        return (i) => -e.rho[i];
      },
      {
        initialValues: best.u,
        minValues: index.map((k, m) => (THETA_LOWER[k] - theta0[k]) / scale[m]),
        maxValues: index.map((k, m) => (THETA_UPPER[k] - theta0[k]) / scale[m]),
        maxIterations: 10,
        errorTolerance: 0,
        damping,
        jacobianFunction: (u) => {
          const e = at(u, true);
          return (i) => index.map((k, m) => e.partials![k][i] * scale[m]);
        },
      },
      );
    } catch {
      break; // a degenerate step (non-finite Jacobian on absurd data): keep the best point so far
    }
    iterations += result.iterations;
    const objective = at(result.parameterValues, false).objective;
    const gain = best.objective - objective;
    if (objective < best.objective) best = { u: result.parameterValues, objective };
    if (gain > 1e-9 * Math.max(best.objective, 1e-12)) damping = 1e-3;
    else if (gain > 0 || damping > 1) break; // converged (or stuck even with short steps)
    else damping = 1e2; // every step of the chunk failed: retry from the best point with heavier damping
  }
  return { theta: thetaOf(best.u), objective: best.objective };
}

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
    1e-4,
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
  const polished = groups.slice(0, 3).map((g) => ({ ...descend(full, g.theta, delta, free, 200, prior), members: g.members }));
  const best = polished.reduce((a, b) => (b.objective < a.objective ? b : a));
  // starts agree when their optimum, polished on every point, reaches the best objective
  const agreeing = polished.filter((p) => p.objective <= best.objective * (1 + 1e-6) + 1e-12).reduce((n, p) => n + p.members, 0);

  const params = fromTheta(best.theta, lrRef);
  if (!identifiable) Object.assign(params, { B: 0 });
  const runFits = selected.map((s) => describeRun(s, mplLossAt(params, s.run.lr, s.steps, warmup)));
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
    objective: exactObjective(selected, params, warmup, delta, weighting),
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
 * Warm-started refits of the Multi-Power Law on resamples of the fit's points: the LR changes are
 * compiled once (at the start-search tolerance), a resample only reweights the points, and LM
 * starts from the fit's parameters.
 */
export function mplRefitter(runs: readonly Run[], options: FitOptions, fit: FitResult): Refitter {
  const warmup = fit.model.settings.warmup ?? DEFAULT_MPL_WARMUP;
  const selected = selectAll(runs, options);
  const lrRef = Math.max(...runs.map((r) => r.lr.peak));
  const total = selected.reduce((n, s) => n + s.indices.length, 0);
  const keep = selected.map((s) => strided(s.indices.length, Math.ceil(total / MAX_REFIT_POINTS)));
  const points = buildPoints(
    selected.map((s, r) => {
      const steps = keep[r].map((k) => s.steps[k]);
      return { changes: compileChanges(s.run.lr, steps, { tolerance: START_TOLERANCE, skipBefore: firstCountedChange(s.run.lr, warmup) }), y: keep[r].map((k) => s.loss[k]), weight: 1 };
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
      const { theta } = descend(weightedSubset(points, weights), start, state.delta, free, REFIT_ITERATIONS, prior);
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
  const weights = runWeights(selected.map((s) => s.indices.length), weighting ?? 'runs');
  let total = 0;
  selected.forEach((s, r) => {
    const p = mplLossAt(params, s.run.lr, s.steps, warmup);
    for (let i = 0; i < p.length; i++) total += weights[r] * (p[i] > 0 ? huber(Math.log(s.loss[i]) - Math.log(p[i]), delta) : Infinity);
  });
  return total;
}

