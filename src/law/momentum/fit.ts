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
import { MAX_REFIT_POINTS } from '../../fit/resample.js';
import { type Warning, warning } from '../../warnings.js';
import { atBoundWarnings, atypicalWarnings, findAtBound } from '../bounds.js';
import { describeRun, overallMetrics } from '../describe.js';
import { poorFitNote, subsampleNote } from '../notes.js';
import type { FitOptions, FitResult, LawSettings, ParamSpec, Refitter, RefitState } from '../types.js';
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

/** S2 at every selected point of every run, for one λ. */
function annealingAt(prepared: readonly Prepared[], lambda: number, warmupAsPeak: boolean): Float64Array[] {
  return prepared.map((p) => momentumAreas(effectiveProfile(p.selected.run.lr, warmupAsPeak), p.selected.steps, lambda).s2);
}

/** One run's points as plain numbers: log S1, S2 (at one λ) and the loss, aligned. */
interface RunColumns {
  logS1: ArrayLike<number>;
  s2: ArrayLike<number>;
  loss: ArrayLike<number>;
}

/**
 * The fit's points from each run's columns, each weighted by its run's weight times its
 * multiplicity (`counts`, aligned with the columns; points with multiplicity 0 are left out).
 */
function pointsFrom(columns: readonly RunColumns[], runWeight: readonly number[], counts?: readonly Int32Array[]): FitPoints {
  let count = 0;
  columns.forEach((c, r) => {
    for (let i = 0; i < c.loss.length; i++) if (!counts || counts[r][i] > 0) count++;
  });
  const points: FitPoints = {
    logS1: new Float64Array(count),
    s2: new Float64Array(count),
    y: new Float64Array(count),
    logY: new Float64Array(count),
    weight: new Float64Array(count),
  };
  let j = 0;
  columns.forEach((c, r) => {
    for (let i = 0; i < c.loss.length; i++) {
      const multiplicity = counts ? counts[r][i] : 1;
      if (multiplicity === 0) continue;
      points.logS1[j] = c.logS1[i];
      points.s2[j] = c.s2[i];
      points.y[j] = c.loss[i];
      points.logY[j] = Math.log(c.loss[i]);
      points.weight[j] = runWeight[r] * multiplicity;
      j++;
    }
  });
  return points;
}

/** The columns of each run at the points `keep[r]` lists. */
function keptColumns(prepared: readonly Prepared[], s2: readonly Float64Array[], keep: readonly number[][]): RunColumns[] {
  return prepared.map((p, r) => ({
    logS1: Float64Array.from(keep[r], (k) => p.logS1[k]),
    s2: Float64Array.from(keep[r], (k) => s2[r][k]),
    loss: Float64Array.from(keep[r], (k) => p.selected.loss[k]),
  }));
}

/** The fit's points at one λ, taking every `stride`-th point of each run (and its last). */
function pointsAt(prepared: readonly Prepared[], lambda: number, stride: number, weighting: Weighting, warmupAsPeak: boolean): FitPoints {
  const keep = prepared.map((p) => strided(p.selected.indices.length, stride));
  return pointsFrom(keptColumns(prepared, annealingAt(prepared, lambda, warmupAsPeak), keep), runWeights(keep.map((k) => k.length), weighting));
}

interface AlphaProfile {
  alpha: number;
  part: LinearPart;
  atEdge: boolean;
}

/** Best α (with L0, A, C profiled out) for fixed points; warm-starts along the grid. */
function profileAlpha(points: FitPoints, fixC: boolean, delta: number, grid: readonly number[], tol: number, start?: LinearPart, tolerance?: number): AlphaProfile {
  const power = new Float64Array(points.y.length);
  let last: LinearPart | undefined = start;
  const parts = new Map<number, LinearPart>();
  const f = (alpha: number) => {
    powerTerm(points, alpha, power);
    const part = solveLinearPart(points, power, { fixC, delta, start: last, tolerance });
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
 * Best α and (L0, A, C) for fixed points. `neighbour` (a nearby optimum: at a neighbouring λ, or
 * the fit a bootstrap refit starts from) narrows the search to a local grid; when the optimum
 * lands on that grid's edge, the local grid moves once along α towards it, and then the full
 * grid is searched (walking further cost 8× more on resamples whose α runs to a bound).
 */
function searchAlpha(points: FitPoints, fixC: boolean, delta: number, neighbour?: AlphaProfile, tol = 1e-7): AlphaProfile {
  // a loose search (a bootstrap refit) solves each linear part to 1e-9, not to convergence
  const irlsTolerance = tol > 1e-7 ? 1e-9 : undefined;
  let start = neighbour;
  for (let walk = 0; start && walk < 2; walk++) {
    const grid = localGrid(start.alpha).filter((a) => a >= ALPHA_RANGE[0] && a <= ALPHA_RANGE[1]);
    const local = profileAlpha(points, fixC, delta, grid, tol, start.part, irlsTolerance);
    if (local.alpha > grid[0] * 1.0001 && local.alpha < grid[grid.length - 1] / 1.0001) return { ...local, atEdge: false };
    if (grid.length < 5) break; // at the end of the range: let the full grid decide
    start = local;
  }
  return profileAlpha(points, fixC, delta, ALPHA_GRID, tol, undefined, irlsTolerance);
}

/** Best α and (L0, A, C) at one λ, searching a subsample first when there are many points. */
function fitAtLambda(search: Search, lambda: number, neighbour?: AlphaProfile): AlphaProfile {
  const { prepared, fixC, delta, total, weighting, warmupAsPeak } = search;
  const full = pointsAt(prepared, lambda, Math.ceil(total / MAX_FIT_POINTS), weighting, warmupAsPeak);
  if (total <= GRID_POINTS) return searchAlpha(full, fixC, delta, neighbour);
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
  const prepared = prepare(runs, options, warmupAsPeak);
  const selected = prepared.map((p) => p.selected);
  const total = selected.reduce((n, s) => n + s.indices.length, 0);
  const notes: Warning[] = [];
  if (total > MAX_FIT_POINTS) notes.push(subsampleNote(total, Math.ceil(total / MAX_FIT_POINTS)));
  const cIdentifiable = selected.some((s) => s.anneals);
  if (!cIdentifiable) notes.push(warning('c-not-identifiable', 'no run anneals within the fitted steps (the LR never decreases), so C cannot be identified: held at 0; add a run with a decay to learn it'));

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
  notes.push(...atypicalWarnings(params as unknown as Record<string, number>, specs, [...held, ...atBound.map((b) => b.name)], 'momentum law'));
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

/** The runs' points with their λ-independent forward area, on the effective profile. */
function prepare(runs: readonly Run[], options: FitOptions, warmupAsPeak: boolean): Prepared[] {
  return selectAll(runs, options).map((s) => {
    const { s1 } = momentumAreas(effectiveProfile(s.run.lr, warmupAsPeak), s.steps, DEFAULT_LAMBDA);
    return { selected: s, logS1: s1.map(Math.log) };
  });
}

/** Factors on the gap 1 − λ tried by a refit with --fit-lambda: 3^(k/4), k = −4 … 4. */
const REFIT_LAMBDA_FACTORS = Array.from({ length: 9 }, (_, k) => 3 ** ((k - 4) / 4));

/**
 * Warm-started refits of the momentum law on resamples of the fit's points, the same estimator as
 * the fit: S2 is computed once per λ (the fit's λ, or when λ was fitted a grid of nine around
 * it, 1 − λ × 1/3 … 3), and α is searched on a local grid around the fit's α, with
 * (L0, A, C) profiled out as in the fit.
 */
export function momentumRefitter(runs: readonly Run[], options: FitOptions, fit: FitResult): Refitter {
  const warmupAsPeak = Boolean(fit.model.settings.warmupAsPeak);
  const prepared = prepare(runs, options, warmupAsPeak);
  const total = prepared.reduce((n, p) => n + p.selected.indices.length, 0);
  const keep = prepared.map((p) => strided(p.selected.indices.length, Math.ceil(total / MAX_REFIT_POINTS)));
  const start = fit.model.params as unknown as MomentumParams;
  const gap = 1 - start.lambda;
  // with --fit-lambda, each refit picks λ from 9 values whose gap 1 − λ spans ×/÷ 3 around the fit's
  const lambdas = !fit.fitLambda ? [start.lambda] : [...new Set(REFIT_LAMBDA_FACTORS.map((f) => 1 - Math.min(LAMBDA_GAP_RANGE[1], Math.max(LAMBDA_GAP_RANGE[0], gap * f))))];
  return momentumRefitterFromState({
    law: 'momentum',
    columns: lambdas.map((lambda) => [lambda, keptColumns(prepared, annealingAt(prepared, lambda, warmupAsPeak), keep)]),
    runWeight: runWeights(keep.map((k) => k.length), fit.weighting),
    start,
    needed: prepared.map((p) => p.selected.anneals),
    delta: fit.delta,
    settings: fit.model.settings,
    searchesLambda: fit.fitLambda,
  });
}

/** What a momentum-law refit needs, as plain data (it may be sent to a worker thread). */
export interface MomentumRefitState extends RefitState {
  law: 'momentum';
  /** Per λ searched: each run's columns at the refit's points. */
  columns: [number, RunColumns[]][];
  runWeight: number[];
  start: MomentumParams;
  needed: boolean[];
  delta: number;
  settings: LawSettings;
  searchesLambda: boolean;
}

/** The refitter of a momentum-law fit, from its state (the same code in the main thread and in workers). */
export function momentumRefitterFromState(state: MomentumRefitState): Refitter {
  const { columns, runWeight, start, needed } = state;
  const startProfile: AlphaProfile = { alpha: start.alpha, part: { L0: start.L0, A: start.A, C: start.C, objective: Infinity }, atEdge: false };
  const lambdas = columns.map(([lambda]) => lambda);
  return {
    sizes: columns[0][1].map((c) => c.loss.length),
    needed,
    state,
    ...(state.searchesLambda ? { searchRange: { lambda: [Math.min(...lambdas), Math.max(...lambdas)] as const } } : {}),
    refit(resample) {
      const anneals = needed.some((n, r) => n && resample[r].some((c) => c > 0));
      let best: (AlphaProfile & { lambda: number }) | undefined;
      for (const [lambda, runs] of columns) {
        const points = pointsFrom(runs, runWeight, resample);
        const found = searchAlpha(points, !anneals, state.delta, best ?? startProfile, 1e-5);
        if (!best || found.part.objective < best.part.objective) best = { ...found, lambda };
      }
      const { part, alpha, lambda } = best!;
      return { law: 'momentum', params: { L0: part.L0, A: part.A, alpha, C: part.C, lambda }, settings: state.settings };
    },
  };
}

/** A value found at the edge of a log grid, set exactly on the range's end so it reads as a bound. */
function snapToEdge(value: number, range: readonly [number, number]): number {
  return Math.abs(Math.log(value / range[0])) < Math.abs(Math.log(value / range[1])) ? range[0] : range[1];
}
