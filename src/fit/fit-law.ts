/**
 * Fitting the momentum law to one or several runs jointly, by the papers' objective
 * Σ Huber_δ(log y − log p). For fixed α (and λ) the law is linear in (L0, A, C), so the
 * fit profiles them out (linear-part.ts) and searches α on a log grid refined by Brent;
 * with fitLambda, λ is searched the same way on log(1 − λ). Deterministic, never NaN.
 */
import { dataError } from '../errors.js';
import { annealingArea, forwardArea } from '../law/areas.js';
import { effectiveLrs } from '../law/evaluate-law.js';
import { DEFAULT_LAMBDA, type LawParams, lawLoss } from '../law/momentum-law.js';
import { HUBER_DELTA } from './huber.js';
import { type FitPoints, type LinearPart, powerTerm, solveLinearPart } from './linear-part.js';
import { type Metrics, scoreCurve } from './metrics.js';
import { gridThenBrent, logGrid } from './minimize-1d.js';
import type { Run } from './run.js';
import { type Warning, warning } from '../warnings.js';

/** Fitting options. */
export interface FitOptions {
  /** Momentum decay λ (ignored with fitLambda). */
  lambda?: number;
  /** Fit λ too. */
  fitLambda?: boolean;
  /** Count warmup at the peak LR (the authors' variant) instead of the real ramp. */
  warmupAsPeak?: boolean;
  /** Use only points at or after this step (default: the end of each run's warmup). */
  fromStep?: number;
  /** Use only points at or before this step. */
  toStep?: number;
  /** Huber δ. */
  delta?: number;
  /**
   * How points are weighted in a joint fit: 'runs' (default) gives every run the same total
   * weight, so a densely logged run does not drown a sparse one; 'points' weighs every
   * point alike (the papers' plain sum).
   */
  weighting?: Weighting;
}

/** How the points of a joint fit are weighted. */
export type Weighting = 'runs' | 'points';

/** Per-run part of a fit. */
export interface RunFit {
  label: string;
  source: string;
  series: 'train' | 'eval';
  lrSource: Run['lrSource'];
  lrNote: string;
  schedule?: string;
  /** Points available in the log. */
  points: number;
  /** Points used by the fit. */
  used: number;
  fromStep: number;
  toStep: number;
  metrics: Metrics;
  /** Rows or cells of the log that were skipped, and why. */
  skipped: Run['skipped'];
  steps: number[];
  observed: number[];
  fitted: number[];
}

/** The result of a fit. */
export interface FitResult {
  params: LawParams;
  /** The minimised objective Σ Huber(log y − log p). */
  objective: number;
  /** Quality over all fitted points of all runs. */
  metrics: Metrics;
  runs: RunFit[];
  /** False when no run anneals, so C was held at 0. */
  cIdentifiable: boolean;
  warmupAsPeak: boolean;
  fitLambda: boolean;
  delta: number;
  weighting: Weighting;
  /** Things the user should know about the fit. */
  notes: Warning[];
}

const ALPHA_GRID = logGrid(0.005, 5, 48);
const LAMBDA_GAP_GRID = logGrid(1e-4, 0.05, 12); // 1 − λ
/** The α grid search runs on at most this many points (evenly spaced), the refinement on … */
const GRID_POINTS = 4000;
/** … at most this many: beyond it, consecutive per-step points carry the same information. */
export const MAX_FIT_POINTS = 20_000;
/** Below this R² on its own points the fit is flagged as poor (a 'poor-fit' note). */
export const POOR_FIT_R2 = 0.9;

interface PreparedRun {
  run: Run;
  lrs: ArrayLike<number>;
  /** Indices (into run.steps) of the points the fit uses. */
  indices: Int32Array;
  /** log S1 at those points. */
  logS1: Float64Array;
  /** Forward area of every step. */
  s1: Float64Array;
}

function selectPoints(run: Run, options: FitOptions, lrs: ArrayLike<number>): PreparedRun {
  const s1 = forwardArea(lrs);
  const from = options.fromStep ?? run.warmupEnd;
  const to = options.toStep ?? Infinity;
  const indices = new Int32Array(run.steps.length);
  const logS1 = new Float64Array(run.steps.length);
  let n = 0;
  for (let i = 0; i < run.steps.length; i++) {
    const step = run.steps[i];
    if (step < from || step > to || step < 1 || !(s1[step] > 0)) continue;
    indices[n] = i;
    logS1[n++] = Math.log(s1[step]);
  }
  return { run, lrs, indices: indices.slice(0, n), logS1: logS1.slice(0, n), s1 };
}

/**
 * The fit's points at one λ, taking every `stride`-th point of each run (and its last).
 * With 'runs' weighting each run's points share the weight count / runs, so the objective
 * keeps the scale of a plain sum while every run counts the same.
 */
function pointsAt(prepared: PreparedRun[], lambda: number, stride = 1, weighting: Weighting = 'runs'): FitPoints {
  const keep = (k: number, length: number) => k % stride === 0 || k === length - 1;
  const kept = prepared.map((p) => {
    let n = 0;
    for (let k = 0; k < p.indices.length; k++) if (keep(k, p.indices.length)) n++;
    return n;
  });
  const count = kept.reduce((a, b) => a + b, 0);
  const points: FitPoints = {
    logS1: new Float64Array(count),
    s2: new Float64Array(count),
    y: new Float64Array(count),
    logY: new Float64Array(count),
    weight: new Float64Array(count),
  };
  let j = 0;
  for (const [r, p] of prepared.entries()) {
    const area = annealingArea(p.lrs, lambda);
    const w = weighting === 'runs' ? count / prepared.length / kept[r] : 1;
    for (let k = 0; k < p.indices.length; k++) {
      if (!keep(k, p.indices.length)) continue;
      const i = p.indices[k];
      points.logS1[j] = p.logS1[k];
      points.s2[j] = area[p.run.steps[i]];
      points.y[j] = p.run.loss[i];
      points.logY[j] = Math.log(p.run.loss[i]);
      points.weight[j] = w;
      j++;
    }
  }
  return points;
}

interface AlphaProfile {
  alpha: number;
  part: LinearPart;
  atEdge: boolean;
}

/** Best α (with L0, A, C profiled out) for fixed points; warm-starts along the grid. */
function profileAlpha(points: FitPoints, fixC: boolean, delta: number, grid: readonly number[], tol: number, start?: LinearPart): AlphaProfile {
  const power = new Float64Array(points.y.length);
  let last: LinearPart | undefined = start;
  const parts = new Map<number, LinearPart>();
  const f = (alpha: number) => {
    powerTerm(points, alpha, power);
    const part = solveLinearPart(points, power, { fixC, delta, start: last });
    last = part;
    parts.set(alpha, part);
    return part.objective;
  };
  const best = gridThenBrent(f, grid, tol);
  return { alpha: best.x, part: parts.get(best.x)!, atEdge: best.atEdge };
}

/** A small α grid around a previous optimum (the λ search moves α only a little between λs). */
function localGrid(alpha: number): number[] {
  return [alpha / 1.3, alpha / 1.15, alpha, alpha * 1.15, alpha * 1.3];
}

/**
 * Best α and (L0, A, C) at one λ, searching a subsample first when there are many points.
 * `neighbour` (the optimum at a neighbouring λ) narrows the α search to a local grid; when the
 * optimum lands on that grid's edge the full grid is searched instead.
 */
function fitAtLambda(prepared: PreparedRun[], lambda: number, fixC: boolean, delta: number, total: number, weighting: Weighting, neighbour?: AlphaProfile): AlphaProfile {
  const full = pointsAt(prepared, lambda, Math.ceil(total / MAX_FIT_POINTS), weighting);
  if (total <= GRID_POINTS) {
    if (neighbour) {
      const grid = localGrid(neighbour.alpha);
      const local = profileAlpha(full, fixC, delta, grid, 1e-7, neighbour.part);
      if (local.alpha > grid[0] * 1.0001 && local.alpha < grid[grid.length - 1] / 1.0001) return { ...local, atEdge: false };
    }
    return profileAlpha(full, fixC, delta, ALPHA_GRID, 1e-7);
  }
  const stride = Math.ceil(total / GRID_POINTS);
  const coarse = profileAlpha(pointsAt(prepared, lambda, stride, weighting), fixC, delta, ALPHA_GRID, 1e-4);
  // the subsample pins α down; the full data only polishes it, starting from the coarse solution
  const near = [coarse.alpha / 1.03, coarse.alpha, coarse.alpha * 1.03];
  const refined = profileAlpha(full, fixC, delta, near, 1e-4, coarse.part);
  return { ...refined, atEdge: coarse.atEdge };
}

/** Fits the momentum law jointly to the given runs. */
export function fitLaw(runs: readonly Run[], options: FitOptions = {}): FitResult {
  if (runs.length === 0) throw dataError('no runs to fit');
  const delta = options.delta ?? HUBER_DELTA;
  const weighting = options.weighting ?? 'runs';
  const warmupAsPeakOn = options.warmupAsPeak ?? false;
  const prepared = runs.map((run) => selectPoints(run, options, effectiveLrs(run.lrs, { warmupAsPeak: warmupAsPeakOn, warmupEnd: run.warmupEnd })));
  for (const p of prepared) {
    if (p.indices.length < 5) {
      const from = options.fromStep ?? p.run.warmupEnd;
      throw dataError(`has only ${p.indices.length} usable point(s) from step ${from} on (need at least 5); log more points or lower --from-step`, p.run.source);
    }
  }
  const total = prepared.reduce((n, p) => n + p.indices.length, 0);
  const notes: Warning[] = [];
  if (total > MAX_FIT_POINTS) {
    const stride = Math.ceil(total / MAX_FIT_POINTS);
    notes.push(warning('subsampled', `${total.toLocaleString('en-US')} points: fitted on every ${stride}th point of each run (and its last); the metrics use every point`));
  }
  const cIdentifiable = runs.some((r) => r.anneals);
  if (!cIdentifiable) notes.push(warning('c-not-identifiable', 'no run anneals (the LR never decreases), so C cannot be identified: held at 0; add a run with a decay to learn it'));

  let lambda = options.lambda ?? DEFAULT_LAMBDA;
  let best: AlphaProfile;
  if (options.fitLambda && cIdentifiable) {
    const byGap = new Map<number, AlphaProfile>();
    let previous: AlphaProfile | undefined;
    const f = (logGap: number) => {
      const gap = Math.exp(logGap);
      const fit = fitAtLambda(prepared, 1 - gap, false, delta, total, weighting, previous);
      previous = fit;
      byGap.set(logGap, fit);
      return fit.part.objective;
    };
    const found = gridThenBrent(f, LAMBDA_GAP_GRID.map(Math.log), 1e-4);
    lambda = 1 - Math.exp(found.x);
    best = byGap.get(found.x)!;
    if (found.atEdge) notes.push(warning('lambda-at-edge', `λ reached the edge of its search range (${lambda.toFixed(5)})`));
  } else {
    if (options.fitLambda) notes.push(warning('lambda-not-fitted', 'λ not fitted: it only matters when a run anneals'));
    best = fitAtLambda(prepared, lambda, !cIdentifiable, delta, total, weighting);
  }
  if (best.atEdge) notes.push(warning('alpha-at-edge', `α reached the edge of its search range (${best.alpha.toPrecision(3)}): the curve may not follow a power law in the forward area`));

  const params: LawParams = { L0: best.part.L0, A: best.part.A, alpha: best.alpha, C: best.part.C, lambda };
  const runFits = prepared.map((p) => describeRun(p, params, options));
  const observed = runFits.flatMap((r) => r.observed);
  const fitted = runFits.flatMap((r) => r.fitted);
  const metrics = scoreCurve(observed, fitted);
  if (metrics.r2 < POOR_FIT_R2) {
    notes.push(warning('poor-fit', `the law describes these points poorly (R² ${metrics.r2.toFixed(3)}): it is made for pre-training loss against the LR schedule; fine-tuning curves, a wrong schedule or noisy per-step loss (try the eval loss or --from-step) break it`));
  }
  return {
    params,
    objective: best.part.objective,
    metrics,
    runs: runFits,
    cIdentifiable,
    warmupAsPeak: warmupAsPeakOn,
    fitLambda: Boolean(options.fitLambda && cIdentifiable),
    delta,
    weighting,
    notes,
  };
}

function describeRun(p: PreparedRun, params: LawParams, options: FitOptions): RunFit {
  const { s1 } = p;
  const s2 = annealingArea(p.lrs, params.lambda);
  const n = p.indices.length;
  const steps = new Array<number>(n);
  const observed = new Array<number>(n);
  const fitted = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const i = p.indices[k];
    const s = p.run.steps[i];
    steps[k] = s;
    observed[k] = p.run.loss[i];
    fitted[k] = lawLoss(params, s1[s], s2[s]);
  }
  return {
    label: p.run.label,
    source: p.run.source,
    series: p.run.series,
    lrSource: p.run.lrSource,
    lrNote: p.run.lrNote,
    ...(p.run.schedule ? { schedule: p.run.schedule } : {}),
    points: p.run.steps.length,
    used: n,
    fromStep: options.fromStep ?? p.run.warmupEnd,
    toStep: steps[n - 1],
    metrics: scoreCurve(observed, fitted),
    skipped: p.run.skipped,
    steps,
    observed,
    fitted,
  };
}
