/**
 * Fitting the momentum law to one or several runs jointly, by the papers' objective
 * Σ Huber_δ(log y − log p). For fixed α (and λ) the law is linear in (L0, A, C), so the fit
 * profiles them out (fit/linear-part.ts) and searches α on a log grid refined by Brent; with
 * fitLambda, λ is searched the same way on log(1 − λ). Deterministic, never NaN.
 */
import type { Run } from '../../core/run.js';
import { HUBER_DELTA } from '../../fit/huber.js';
import { type FitPoints, type LinearPart, powerTerm, solveLinearPart } from '../../fit/linear-part.js';
import { gridThenBrent, logGrid } from '../../fit/minimize-1d.js';
import { runWeights, type SelectedPoints, selectAll, strided, type Weighting } from '../../fit/points.js';
import { type Warning, warning } from '../../warnings.js';
import { atBoundWarnings, findAtBound } from '../bounds.js';
import { describeRun, overallMetrics } from '../describe.js';
import { poorFitNote, subsampleNote } from '../notes.js';
import type { FitOptions, FitResult, ParamSpec } from '../types.js';
import { momentumAreas } from './areas.js';
import { DEFAULT_LAMBDA, effectiveProfile, momentumLossAt, type MomentumParams } from './law.js';

/** The α search range (a log grid), and of 1 − λ when λ is fitted. */
export const ALPHA_RANGE = [0.005, 5] as const;
export const LAMBDA_GAP_RANGE = [1e-4, 0.05] as const;
const ALPHA_GRID = logGrid(ALPHA_RANGE[0], ALPHA_RANGE[1], 48);
const LAMBDA_GAP_GRID = logGrid(LAMBDA_GAP_RANGE[0], LAMBDA_GAP_RANGE[1], 12);
/** The α grid search runs on at most this many points (evenly spaced), the refinement on … */
const GRID_POINTS = 4000;
/** … at most this many: beyond it, consecutive per-step points carry the same information. */
export const MAX_FIT_POINTS = 20_000;

/** A run's points with the forward area of the effective profile (λ-independent). */
interface Prepared {
  selected: SelectedPoints;
  logS1: Float64Array;
}

/** The fit's points at one λ, taking every `stride`-th point of each run (and its last). */
function pointsAt(prepared: readonly Prepared[], lambda: number, stride: number, weighting: Weighting, warmupAsPeak: boolean): FitPoints {
  const keep = prepared.map((p) => strided(p.selected.indices.length, stride));
  const weights = runWeights(keep.map((k) => k.length), weighting);
  const count = keep.reduce((n, k) => n + k.length, 0);
  const points: FitPoints = {
    logS1: new Float64Array(count),
    s2: new Float64Array(count),
    y: new Float64Array(count),
    logY: new Float64Array(count),
    weight: new Float64Array(count),
  };
  let j = 0;
  prepared.forEach((p, r) => {
    const { s2 } = momentumAreas(effectiveProfile(p.selected.run.lr, warmupAsPeak), p.selected.steps, lambda);
    for (const k of keep[r]) {
      points.logS1[j] = p.logS1[k];
      points.s2[j] = s2[k];
      points.y[j] = p.selected.loss[k];
      points.logY[j] = Math.log(p.selected.loss[k]);
      points.weight[j] = weights[r];
      j++;
    }
  });
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

interface Search {
  prepared: readonly Prepared[];
  fixC: boolean;
  delta: number;
  total: number;
  weighting: Weighting;
  warmupAsPeak: boolean;
}

/**
 * Best α and (L0, A, C) at one λ, searching a subsample first when there are many points.
 * `neighbour` (the optimum at a neighbouring λ) narrows the α search to a local grid; when the
 * optimum lands on that grid's edge the full grid is searched instead.
 */
function fitAtLambda(search: Search, lambda: number, neighbour?: AlphaProfile): AlphaProfile {
  const { prepared, fixC, delta, total, weighting, warmupAsPeak } = search;
  const full = pointsAt(prepared, lambda, Math.ceil(total / MAX_FIT_POINTS), weighting, warmupAsPeak);
  if (total <= GRID_POINTS) {
    if (neighbour) {
      const grid = localGrid(neighbour.alpha);
      const local = profileAlpha(full, fixC, delta, grid, 1e-7, neighbour.part);
      if (local.alpha > grid[0] * 1.0001 && local.alpha < grid[grid.length - 1] / 1.0001) return { ...local, atEdge: false };
    }
    return profileAlpha(full, fixC, delta, ALPHA_GRID, 1e-7);
  }
  const stride = Math.ceil(total / GRID_POINTS);
  const coarse = profileAlpha(pointsAt(prepared, lambda, stride, weighting, warmupAsPeak), fixC, delta, ALPHA_GRID, 1e-4);
  // the subsample pins α down; the full data only polishes it, starting from the coarse solution
  const near = [coarse.alpha / 1.03, coarse.alpha, coarse.alpha * 1.03];
  const refined = profileAlpha(full, fixC, delta, near, 1e-4, coarse.part);
  return { ...refined, atEdge: coarse.atEdge };
}

/** Fits the momentum law jointly to the given runs; `specs` are its parameters (for bound notes). */
export function fitMomentum(runs: readonly Run[], options: FitOptions, specs: readonly ParamSpec[]): FitResult {
  const delta = options.delta ?? HUBER_DELTA;
  const weighting = options.weighting ?? 'runs';
  const warmupAsPeak = options.warmupAsPeak ?? false;
  const selected = selectAll(runs, options);
  const prepared: Prepared[] = selected.map((s) => {
    const { s1 } = momentumAreas(effectiveProfile(s.run.lr, warmupAsPeak), s.steps, DEFAULT_LAMBDA);
    return { selected: s, logS1: s1.map(Math.log) };
  });
  const total = selected.reduce((n, s) => n + s.indices.length, 0);
  const notes: Warning[] = [];
  if (total > MAX_FIT_POINTS) notes.push(subsampleNote(total, Math.ceil(total / MAX_FIT_POINTS)));
  const cIdentifiable = runs.some((r) => r.anneals);
  if (!cIdentifiable) notes.push(warning('c-not-identifiable', 'no run anneals (the LR never decreases), so C cannot be identified: held at 0; add a run with a decay to learn it'));

  const search: Search = { prepared, fixC: !cIdentifiable, delta, total, weighting, warmupAsPeak };
  let lambda = options.lambda ?? DEFAULT_LAMBDA;
  let best: AlphaProfile;
  const fitLambda = Boolean(options.fitLambda && cIdentifiable);
  if (fitLambda) {
    const byGap = new Map<number, AlphaProfile>();
    let previous: AlphaProfile | undefined;
    const f = (logGap: number) => {
      const fit = fitAtLambda(search, 1 - Math.exp(logGap), previous);
      previous = fit;
      byGap.set(logGap, fit);
      return fit.part.objective;
    };
    const found = gridThenBrent(f, LAMBDA_GAP_GRID.map(Math.log), 1e-4);
    lambda = 1 - Math.exp(found.x);
    best = byGap.get(found.x)!;
  } else {
    if (options.fitLambda) notes.push(warning('lambda-not-fitted', 'λ not fitted: it only matters when a run anneals'));
    best = fitAtLambda(search, lambda);
  }
  const params: MomentumParams = { L0: best.part.L0, A: best.part.A, alpha: best.atEdge ? snapToEdge(best.alpha, ALPHA_RANGE) : best.alpha, C: best.part.C, lambda };
  const runFits = selected.map((s) => describeRun(s, momentumLossAt(params, s.run.lr, s.steps, warmupAsPeak)));
  const metrics = overallMetrics(runFits);
  const held = cIdentifiable ? [] : ['C'];
  const atBound = findAtBound(params as unknown as Record<string, number>, specs, fitLambda ? held : [...held, 'lambda']);
  notes.push(...atBoundWarnings(atBound, specs, 'momentum law'));
  const poor = poorFitNote(metrics);
  if (poor) notes.push(poor);
  return {
    model: { law: 'momentum', params: { ...params }, settings: { warmupAsPeak } },
    objective: best.part.objective,
    metrics,
    runs: runFits,
    held,
    atBound,
    fitLambda,
    delta,
    weighting,
    notes,
  };
}

/** A value found at the edge of a log grid, set exactly on the range's end so it reads as a bound. */
function snapToEdge(value: number, range: readonly [number, number]): number {
  return Math.abs(Math.log(value / range[0])) < Math.abs(Math.log(value / range[1])) ? range[0] : range[1];
}
