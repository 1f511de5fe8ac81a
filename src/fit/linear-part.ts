/**
 * For fixed α (and λ) the law is linear in (L0, A, C). This solves for them under the
 * papers' objective, Σ wᵢ·Huber(log yᵢ − log pᵢ), with L0, A, C ≥ 0: iteratively reweighted
 * Gauss–Newton, each step an exact non-negative least-squares solve.
 */
import { HUBER_DELTA, huber, huberWeight } from './huber.js';
import { nonNegativeQuadratic } from './nnls.js';

/** The points of one fit, flattened over all runs. */
export interface FitPoints {
  /** log S1 at each point. */
  logS1: Float64Array;
  /** S2 at each point (depends on λ). */
  s2: Float64Array;
  /** Observed loss. */
  y: Float64Array;
  /** log of the observed loss. */
  logY: Float64Array;
  /** Weight of each point in the objective. */
  weight: Float64Array;
}

/** L0, A, C for one α, with the objective they reach. */
export interface LinearPart {
  L0: number;
  A: number;
  C: number;
  objective: number;
}

/** Options of solveLinearPart. */
export interface LinearPartOptions {
  /** Hold C at 0 (no run anneals, so C cannot be identified). */
  fixC: boolean;
  delta?: number;
  /** A starting (L0, A, C), e.g. the solution at a neighbouring α. */
  start?: LinearPart;
  maxIterations?: number;
  /** Stop when an iteration improves the objective by less than this fraction. */
  tolerance?: number;
}

/**
 * Σ Huber(log y − log p) for the given parameters; Infinity when a prediction is ≤ 0.
 * When `residuals` is given, it receives log y − log p of every point.
 */
export function objectiveAt(points: FitPoints, power: Float64Array, L0: number, A: number, C: number, delta = HUBER_DELTA, residuals?: Float64Array): number {
  let total = 0;
  const { s2, logY, weight } = points;
  for (let i = 0; i < logY.length; i++) {
    const p = L0 + A * power[i] - C * s2[i];
    if (!(p > 0)) return Infinity;
    const r = logY[i] - Math.log(p);
    if (residuals) residuals[i] = r;
    total += weight[i] * huber(r, delta);
  }
  return total;
}

/** Fills `out[i] = S1_i^(−α)`. */
export function powerTerm(points: FitPoints, alpha: number, out: Float64Array): Float64Array {
  const { logS1 } = points;
  for (let i = 0; i < logS1.length; i++) out[i] = Math.exp(-alpha * logS1[i]);
  return out;
}

/** Solves for (L0, A, C) at fixed α; `power` must hold S1^(−α) for every point. */
export function solveLinearPart(points: FitPoints, power: Float64Array, options: LinearPartOptions): LinearPart {
  const delta = options.delta ?? HUBER_DELTA;
  const fixed = new Set<number>(options.fixC ? [2] : []);
  const { y, s2, weight } = points;
  const n = y.length;
  const residuals = new Float64Array(n);
  const trial = new Float64Array(n);

  /** Normal equations of the next Gauss–Newton step; `theta` null = plain relative least squares. */
  const accumulate = (theta: number[] | null): { M: number[][]; b: number[] } => {
    let m00 = 0, m01 = 0, m02 = 0, m11 = 0, m12 = 0, m22 = 0, b0 = 0, b1 = 0, b2 = 0;
    for (let i = 0; i < n; i++) {
      const x = power[i];
      const z = -s2[i];
      let w: number;
      let t: number;
      if (theta === null) {
        w = weight[i] / (y[i] * y[i]);
        t = y[i];
      } else {
        const p = theta[0] + theta[1] * x + theta[2] * z;
        const r = residuals[i];
        w = (weight[i] * huberWeight(r, delta)) / (p * p);
        t = p * (1 + r);
      }
      m00 += w; m01 += w * x; m02 += w * z; m11 += w * x * x; m12 += w * x * z; m22 += w * z * z;
      b0 += w * t; b1 += w * t * x; b2 += w * t * z;
    }
    return { M: [[m00, m01, m02], [m01, m11, m12], [m02, m12, m22]], b: [b0, b1, b2] };
  };
  /** Objective at theta; residuals land in `into`. */
  const value = (theta: number[], into: Float64Array) => objectiveAt(points, power, theta[0], theta[1], theta[2], delta, into);

  let theta: number[] = [];
  let current = Infinity;
  if (options.start) {
    theta = [options.start.L0, options.start.A, options.fixC ? 0 : options.start.C];
    current = value(theta, residuals);
  }
  if (!Number.isFinite(current)) {
    const first = accumulate(null);
    theta = nonNegativeQuadratic(first.M, first.b, fixed);
    current = value(theta, residuals);
  }
  if (!Number.isFinite(current)) {
    let minY = Infinity;
    for (let i = 0; i < n; i++) minY = Math.min(minY, y[i]);
    theta = [minY, 0, 0];
    current = value(theta, residuals);
  }
  const maxIterations = options.maxIterations ?? 60;
  for (let iter = 0; iter < maxIterations; iter++) {
    const { M, b } = accumulate(theta);
    let candidate = nonNegativeQuadratic(M, b, fixed);
    let candidateValue = value(candidate, trial);
    for (let halving = 0; halving < 30 && !(candidateValue <= current); halving++) {
      candidate = candidate.map((c, k) => 0.5 * (c + theta[k]));
      candidateValue = value(candidate, trial);
    }
    if (!(candidateValue <= current)) break;
    const gain = current - candidateValue;
    theta = candidate;
    current = candidateValue;
    residuals.set(trial);
    if (gain <= (options.tolerance ?? 1e-12) * current + 1e-300) break;
  }
  return { L0: theta[0], A: theta[1], C: theta[2], objective: current };
}
