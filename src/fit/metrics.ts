/**
 * Accuracy metrics of a predicted curve, exactly as the papers define them (so numbers
 * compare with published ones): R², MAE, RMSE, PredE = mean(|y−p|/y), WorstE = max(|y−p|/y).
 */

/** Fit or prediction quality on one set of points. */
export interface Metrics {
  r2: number;
  mae: number;
  rmse: number;
  predE: number;
  worstE: number;
  /** Number of points scored. */
  n: number;
}

/** Scores `predicted` against `observed` (same length, ≥ 1 point). */
export function scoreCurve(observed: ArrayLike<number>, predicted: ArrayLike<number>): Metrics {
  const n = observed.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += observed[i];
  mean /= n;
  let ssRes = 0, ssTot = 0, abs = 0, rel = 0, worst = 0;
  for (let i = 0; i < n; i++) {
    const d = observed[i] - predicted[i];
    ssRes += d * d;
    ssTot += (observed[i] - mean) ** 2;
    abs += Math.abs(d);
    const r = Math.abs(d) / observed[i];
    rel += r;
    if (r > worst) worst = r;
  }
  return { r2: ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0, mae: abs / n, rmse: Math.sqrt(ssRes / n), predE: rel / n, worstE: worst, n };
}

/** Mean of each metric over several curves (the papers average over held-out curves). */
export function averageMetrics(list: readonly Metrics[]): Metrics {
  const keys = ['r2', 'mae', 'rmse', 'predE', 'worstE'] as const;
  const out = { r2: 0, mae: 0, rmse: 0, predE: 0, worstE: 0, n: 0 };
  for (const m of list) {
    for (const k of keys) out[k] += m[k] / list.length;
    out.n += m.n;
  }
  return out;
}

/** Centred moving average over `window` points (shrinking at the ends), for noisy per-step loss. */
export function movingAverage(values: readonly number[], window: number): number[] {
  if (window <= 1) return [...values];
  const half = Math.floor(window / 2);
  const prefix = [0];
  for (const v of values) prefix.push(prefix[prefix.length - 1] + v);
  return values.map((_, i) => {
    const lo = Math.max(0, i - half);
    const hi = Math.min(values.length, i + half + 1);
    return (prefix[hi] - prefix[lo]) / (hi - lo);
  });
}
