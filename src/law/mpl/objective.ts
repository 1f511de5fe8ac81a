/**
 * The Multi-Power Law on a fit's points, in rescaled coordinates, with its analytic Jacobian.
 *
 * LRs are divided by a reference LR η_ref (the largest peak of the fitted runs), so areas are
 * counted in "steps at peak" and the nearly confounded C and γ separate:
 *
 *   p_i = L0 + A'·σ_i^(−α) − B'·Σ_j g_j·G(C'·r_j^(−γ)·τ_ij),   G(u) = 1 − (1 + u)^(−β)
 *
 * with σ = S/η_ref, g = gap/η_ref, r = η/η_ref, τ = span/η_ref, and
 * A' = A·η_ref^(−α), B' = B·η_ref, C' = C·η_ref^(1−γ). The fitted vector is
 * θ = [L0, A', α, B', log C', β, γ].
 */
import type { CompiledChanges } from './changes.js';
import type { MplParams } from './law.js';

/** Index of each parameter in θ. */
export const THETA = { L0: 0, A: 1, alpha: 2, B: 3, logC: 4, beta: 5, gamma: 6 } as const;

/** Search ranges of the rescaled parameters θ = [L0, A', α, B', log C', β, γ]. */
export const THETA_LOWER = [0, 0, 0.01, 0, Math.log(1e-6), 0.01, 0];
export const THETA_UPPER = [Infinity, Infinity, 3, Infinity, Math.log(1e6), 10, 2];

/** A fit's points, compiled once: every run's points concatenated. */
export interface MplPoints {
  /** σ_i = A(s_i)/η_ref. */
  sigma: Float64Array;
  logSigma: Float64Array;
  /** Observed loss and its log. */
  y: Float64Array;
  logY: Float64Array;
  /** Weight of each point in the objective. */
  weight: Float64Array;
  /** Terms of point i: offsets[i] … offsets[i + 1] − 1. */
  offsets: Int32Array;
  /** Per term, rescaled: g_j and τ_ij, and the index of its log r_j in `logRatios`. */
  gap: Float64Array;
  span: Float64Array;
  ratio: Int32Array;
  /** The distinct log r_j (blocks persist across points, so far fewer than terms: r_j^(−γ) is computed once per value). */
  logRatios: Float64Array;
}

/** A zero-filled point set of n points and m terms. */
function allocatePoints(n: number, m: number, logRatios: Float64Array): MplPoints {
  return {
    sigma: new Float64Array(n),
    logSigma: new Float64Array(n),
    y: new Float64Array(n),
    logY: new Float64Array(n),
    weight: new Float64Array(n),
    offsets: new Int32Array(n + 1),
    gap: new Float64Array(m),
    span: new Float64Array(m),
    ratio: new Int32Array(m),
    logRatios,
  };
}

/** Concatenates compiled runs into one point set, rescaled by `lrRef`. */
export function buildPoints(runs: readonly { changes: CompiledChanges; y: ArrayLike<number>; weight: number }[], lrRef: number): MplPoints {
  const n = runs.reduce((a, r) => a + r.y.length, 0);
  const m = runs.reduce((a, r) => a + r.changes.gap.length, 0);
  const out = allocatePoints(n, m, new Float64Array(0));
  const logRef = Math.log(lrRef);
  const distinct = new Map<number, number>();
  let i = 0;
  let j = 0;
  for (const r of runs) {
    const c = r.changes;
    for (let k = 0; k < r.y.length; k++, i++) {
      out.sigma[i] = c.area[k] / lrRef;
      out.logSigma[i] = Math.log(out.sigma[i]);
      out.y[i] = r.y[k];
      out.logY[i] = Math.log(r.y[k]);
      out.weight[i] = r.weight;
      out.offsets[i] = j;
      for (let t = c.offsets[k]; t < c.offsets[k + 1]; t++, j++) {
        out.gap[j] = c.gap[t] / lrRef;
        out.span[j] = c.span[t] / lrRef;
        const logRatio = c.logLr[t] - logRef;
        let index = distinct.get(logRatio);
        if (index === undefined) distinct.set(logRatio, (index = distinct.size));
        out.ratio[j] = index;
      }
    }
  }
  out.offsets[n] = j;
  out.logRatios = Float64Array.from(distinct.keys());
  return out;
}

/** θ from natural parameters. */
export function toTheta(p: MplParams, lrRef: number): number[] {
  return [p.L0, p.A * Math.pow(lrRef, -p.alpha), p.alpha, p.B * lrRef, Math.log(p.C) + (1 - p.gamma) * Math.log(lrRef), p.beta, p.gamma];
}

/** Natural parameters from θ. */
export function fromTheta(theta: readonly number[], lrRef: number): MplParams {
  const [L0, A, alpha, B, logC, beta, gamma] = theta;
  return { L0, A: A * Math.pow(lrRef, alpha), alpha, B: B / lrRef, C: Math.exp(logC - (1 - gamma) * Math.log(lrRef)), beta, gamma };
}

/**
 * Predictions p_i at θ, and (when `jacobian` is given, 7 arrays of n) ∂p_i/∂θ_k. Also the
 * unit loss drop D_i = Σ_j g_j·G_ij (p = L0 + A'σ^(−α) − B'·D) into `drop` when given.
 */
export function predict(points: MplPoints, theta: readonly number[], out: Float64Array, jacobian?: Float64Array[], drop?: Float64Array): void {
  const [L0, A, alpha, B, logC, beta, gamma] = theta;
  const C = Math.exp(logC);
  const { sigma, logSigma, offsets, gap, span, ratio, logRatios } = points;
  const n = sigma.length;
  // C'·r^(−γ) for every distinct r, and log r for the γ derivative
  const factor = new Float64Array(logRatios.length);
  for (let k = 0; k < factor.length; k++) factor[k] = C * Math.exp(-gamma * logRatios[k]);
  for (let i = 0; i < n; i++) {
    const power = Math.exp(-alpha * logSigma[i]);
    let d = 0;
    let dC = 0;
    let dBeta = 0;
    let dGamma = 0;
    const end = offsets[i + 1];
    if (jacobian) {
      for (let j = offsets[i]; j < end; j++) {
        const u = factor[ratio[j]] * span[j];
        const q = Math.log1p(u);
        const h = Math.exp(-beta * q);
        const g = gap[j];
        d += g * (1 - h);
        const slope = (beta * h * u) / (1 + u); // ∂G/∂log C
        dC += g * slope;
        dBeta += g * q * h;
        dGamma -= g * slope * logRatios[ratio[j]];
      }
      jacobian[THETA.L0][i] = 1;
      jacobian[THETA.A][i] = power;
      jacobian[THETA.alpha][i] = -A * power * logSigma[i];
      jacobian[THETA.B][i] = -d;
      jacobian[THETA.logC][i] = -B * dC;
      jacobian[THETA.beta][i] = -B * dBeta;
      jacobian[THETA.gamma][i] = -B * dGamma;
    } else {
      for (let j = offsets[i]; j < end; j++) {
        const u = factor[ratio[j]] * span[j];
        d += gap[j] * -Math.expm1(-beta * Math.log1p(u));
      }
    }
    if (drop) drop[i] = d;
    out[i] = L0 + A * power - B * d;
  }
}

/** The points whose weight in `weights` is > 0, with those weights (for bootstrap refits on the same compiled terms). */
export function weightedSubset(points: MplPoints, weights: ArrayLike<number>): MplPoints {
  let n = 0;
  let m = 0;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] > 0) {
      n++;
      m += points.offsets[i + 1] - points.offsets[i];
    }
  }
  const out = allocatePoints(n, m, points.logRatios);
  let k = 0;
  let j = 0;
  for (let i = 0; i < weights.length; i++) {
    if (!(weights[i] > 0)) continue;
    out.sigma[k] = points.sigma[i];
    out.logSigma[k] = points.logSigma[i];
    out.y[k] = points.y[i];
    out.logY[k] = points.logY[i];
    out.weight[k] = weights[i];
    out.offsets[k] = j;
    const from = points.offsets[i];
    const to = points.offsets[i + 1];
    out.gap.set(points.gap.subarray(from, to), j);
    out.span.set(points.span.subarray(from, to), j);
    out.ratio.set(points.ratio.subarray(from, to), j);
    j += to - from;
    k++;
  }
  out.offsets[n] = j;
  return out;
}
