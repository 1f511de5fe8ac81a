/**
 * Stacking two laws: the weight of a convex combination w·first + (1 − w)·second that minimises
 * the squared error of the combined prediction on held-out folds of the user's runs (Breiman 1996,
 * "Stacked regressions"; Yao, Vehtari, Simpson & Gelman 2018 for the Bayesian bootstrap over folds
 * that gives the weight's uncertainty). Each fold enters through two numbers, so the weight can be
 * recomputed for any reweighting of the folds without refitting.
 */
import { seededRandom } from '../../fit/resample.js';

/** The weight used when there is no held-out evidence: the two laws count the same. */
export const PRIOR_WEIGHT = 0.5;

/** One law's held-out error on a fold. */
export interface FoldError {
  /** Root-mean-square error over the fold's scored points. */
  rms: number;
  /** Predicted minus observed at the fold's last scored point. */
  end: number;
}

/** What stacking keeps of one held-out fold. */
export interface FoldScore {
  kind: 'leave-one-out' | 'tail';
  label: string;
  points: number;
  /** Each member's error on it, in member order. */
  errors: [FoldError, FoldError];
  /** mean(e₂·(e₂ − e₁)) over the points, e the members' errors. */
  cross: number;
  /** mean((e₁ − e₂)²) over the points. */
  spread: number;
}

/** The scores of one fold from the members' errors (predicted − observed) at its points. */
export function scoreFold(kind: FoldScore['kind'], label: string, first: ArrayLike<number>, second: ArrayLike<number>): FoldScore {
  const n = first.length;
  let cross = 0;
  let spread = 0;
  let a2 = 0;
  let b2 = 0;
  for (let i = 0; i < n; i++) {
    const a = first[i];
    const b = second[i];
    cross += b * (b - a);
    spread += (a - b) ** 2;
    a2 += a * a;
    b2 += b * b;
  }
  return {
    kind,
    label,
    points: n,
    errors: [
      { rms: Math.sqrt(a2 / n), end: first[n - 1] },
      { rms: Math.sqrt(b2 / n), end: second[n - 1] },
    ],
    cross: cross / n,
    spread: spread / n,
  };
}

/** The first member's stacking weight over the folds, each weighted by `weights` (default: equally); PRIOR_WEIGHT without evidence. */
export function stackingWeight(folds: readonly FoldScore[], weights?: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  folds.forEach((f, i) => {
    const v = weights ? weights[i] : 1;
    num += v * f.cross;
    den += v * f.spread;
  });
  if (!(den > 0)) return PRIOR_WEIGHT;
  return Math.min(1, Math.max(0, num / den));
}

/**
 * `count` draws of the weight under a Bayesian bootstrap of the folds (Dirichlet(1, …, 1) fold
 * weights, seeded): how far the evidence pins the weight down. Without folds the weight is
 * unknown: uniform draws on [0, 1].
 */
export function weightDraws(folds: readonly FoldScore[], count: number, seed: number): Float64Array {
  const random = seededRandom(seed ^ 0x5eed);
  const out = new Float64Array(count);
  const v = new Float64Array(folds.length);
  for (let j = 0; j < count; j++) {
    if (folds.length === 0) {
      out[j] = random();
      continue;
    }
    for (let i = 0; i < v.length; i++) v[i] = -Math.log(1 - random());
    out[j] = stackingWeight(folds, v);
  }
  return out;
}
