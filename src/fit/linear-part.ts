/**
 * For fixed α (and λ) the law is linear in (L0, A, C). This solves for them under the
 * papers' objective, Σ wᵢ·Huber(log yᵢ − log pᵢ), with L0, A, C ≥ 0: each step minimises a
 * quadratic model exactly on θ ≥ 0 (non-negative least squares), a Newton model first and the
 * iteratively reweighted (IRLS) majoriser when the Newton step does not lower the objective. With
 * δ = 1e-3 most residuals lie on Huber's linear arms, where IRLS alone converges linearly and
 * slowly (60 steps did not reach 1e-12 on a fine-tuning log); the Newton steps take a handful.
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

/** The quadratic models of the objective around θ: gradient, and two curvatures (see solveLinearPart). */
interface Models {
  gradient: number[];
  /** Newton: the curvature of the inliers (|r| ≤ δ) and of the log, none from the Huber loss's linear arms. */
  newton: number[][];
  /** IRLS: every point weighted by ψ(r)/r, a majoriser of the objective (its step never fails, but is short). */
  irls: number[][];
}

/** How much the quadratic model gᵀd + ½dᵀHd (d = to − from) says a step lowers the objective. */
function modelDecrease(from: readonly number[], to: readonly number[], g: readonly number[], h: readonly number[][]): number {
  let linear = 0;
  let square = 0;
  for (let i = 0; i < 3; i++) {
    const di = to[i] - from[i];
    linear += g[i] * di;
    for (let j = 0; j < 3; j++) square += di * h[i][j] * (to[j] - from[j]);
  }
  return -(linear + square / 2);
}

/** Solves for (L0, A, C) at fixed α; `power` must hold S1^(−α) for every point. */
export function solveLinearPart(points: FitPoints, power: Float64Array, options: LinearPartOptions): LinearPart {
  const delta = options.delta ?? HUBER_DELTA;
  const fixed = new Set<number>(options.fixC ? [2] : []);
  const { y, s2, weight } = points;
  const n = y.length;
  const residuals = new Float64Array(n);
  const trial = new Float64Array(n);

  /** Normal equations of plain relative least squares (the start when none is given). */
  const relativeLeastSquares = (): { M: number[][]; b: number[] } => {
    let m00 = 0, m01 = 0, m02 = 0, m11 = 0, m12 = 0, m22 = 0, b0 = 0, b1 = 0, b2 = 0;
    for (let i = 0; i < n; i++) {
      const x = power[i];
      const z = -s2[i];
      const w = weight[i] / (y[i] * y[i]);
      const t = y[i];
      m00 += w; m01 += w * x; m02 += w * z; m11 += w * x * x; m12 += w * x * z; m22 += w * z * z;
      b0 += w * t; b1 += w * t * x; b2 += w * t * z;
    }
    return { M: [[m00, m01, m02], [m01, m11, m12], [m02, m12, m22]], b: [b0, b1, b2] };
  };
  /**
   * The models around θ (residuals of θ in `residuals`): with z = ∂p/∂θ / p, the gradient is
   * −Σ w·ψ(r)·z; the IRLS curvature Σ w·ψ(r)/r·z zᵀ; the Newton curvature Σ w·(h''(r) + |ψ(r)|)·z zᵀ.
   */
  const models = (theta: number[]): Models => {
    let g0 = 0, g1 = 0, g2 = 0;
    let n00 = 0, n01 = 0, n02 = 0, n11 = 0, n12 = 0, n22 = 0;
    let i00 = 0, i01 = 0, i02 = 0, i11 = 0, i12 = 0, i22 = 0;
    for (let i = 0; i < n; i++) {
      const p = theta[0] + theta[1] * power[i] - theta[2] * s2[i];
      const z0 = 1 / p;
      const z1 = power[i] / p;
      const z2 = -s2[i] / p;
      const r = residuals[i];
      const a = Math.abs(r);
      const inlier = a <= delta;
      const psi = inlier ? r : r > 0 ? delta : -delta;
      const w = weight[i];
      g0 -= w * psi * z0; g1 -= w * psi * z1; g2 -= w * psi * z2;
      const wn = w * ((inlier ? 1 : 0) + Math.abs(psi));
      n00 += wn * z0 * z0; n01 += wn * z0 * z1; n02 += wn * z0 * z2; n11 += wn * z1 * z1; n12 += wn * z1 * z2; n22 += wn * z2 * z2;
      const wi = w * huberWeight(r, delta);
      i00 += wi * z0 * z0; i01 += wi * z0 * z1; i02 += wi * z0 * z2; i11 += wi * z1 * z1; i12 += wi * z1 * z2; i22 += wi * z2 * z2;
    }
    return {
      gradient: [g0, g1, g2],
      newton: [[n00, n01, n02], [n01, n11, n12], [n02, n12, n22]],
      irls: [[i00, i01, i02], [i01, i11, i12], [i02, i12, i22]],
    };
  };
  /** The minimiser over θ' ≥ 0 of the model gᵀ(θ' − θ) + ½(θ' − θ)ᵀH(θ' − θ). */
  const modelMinimum = (theta: number[], g: number[], h: number[][]) =>
    nonNegativeQuadratic(h, h.map((row, k) => row[0] * theta[0] + row[1] * theta[1] + row[2] * theta[2] - g[k]), fixed);
  /** Objective at theta; residuals land in `into`. */
  const value = (theta: number[], into: Float64Array) => objectiveAt(points, power, theta[0], theta[1], theta[2], delta, into);

  let theta: number[] = [];
  let current = Infinity;
  if (options.start) {
    theta = [options.start.L0, options.start.A, options.fixC ? 0 : options.start.C];
    current = value(theta, residuals);
  }
  if (!Number.isFinite(current)) {
    const first = relativeLeastSquares();
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
  const tolerance = options.tolerance ?? 1e-12;
  for (let iter = 0; iter < maxIterations; iter++) {
    // a Newton step (fast near the optimum, few iterations where IRLS needs dozens), else the IRLS step
    const { gradient, newton, irls } = models(theta);
    let accepted: number[] | null = null;
    let acceptedValue = Infinity;
    for (const [h, halvings] of [[newton, 4], [irls, 30]] as const) {
      let candidate = modelMinimum(theta, gradient, h);
      // converged: the Newton model, accurate near the optimum, promises less than the tolerance
      if (h === newton && modelDecrease(theta, candidate, gradient, h) <= tolerance * current) return { L0: theta[0], A: theta[1], C: theta[2], objective: current };
      let candidateValue = value(candidate, trial);
      for (let k = 0; k < halvings && !(candidateValue <= current); k++) {
        candidate = candidate.map((c, j) => 0.5 * (c + theta[j]));
        candidateValue = value(candidate, trial);
      }
      if (candidateValue <= current) {
        accepted = candidate;
        acceptedValue = candidateValue;
        break;
      }
    }
    if (accepted === null) break;
    const gain = current - acceptedValue;
    theta = accepted;
    current = acceptedValue;
    residuals.set(trial);
    if (gain <= tolerance * current + 1e-300) break;
  }
  return { L0: theta[0], A: theta[1], C: theta[2], objective: current };
}
