/**
 * Joint draws of every candidate's final loss, for P(best) and paired gaps: each bootstrap draw of
 * the law (its parameters, and a mixture's weight) is repeated with draws of the law's own error,
 * correlated across candidates as law-error.ts says (schedules alike share their error; all share
 * some), an annealing gain the fit could not see (one draw for all candidates: it is one unknown
 * of the law, uniform over its prior range), and each run's own seed-to-seed noise. Seeded: the same inputs give the same draws.
 */
import { seededRandom } from '../fit/resample.js';

/** Candidates beyond which the law error's kernel part is drawn as independent (a Cholesky factor of n² numbers would cost too much). */
export const MAX_CORRELATED = 400;

/** Law-error draws per bootstrap draw. */
export const ERROR_REPEATS = 20;

/** What the joint draws are made of. */
export interface DrawInput {
  /** Per candidate: its final loss under each bootstrap draw of the law (all of equal length). */
  samples: readonly ArrayLike<number>[];
  /** Per candidate: the standard deviation of the law's error on it. */
  sigma: readonly number[];
  /** Correlation of the law's errors on candidates a ≠ b. */
  correlation: (a: number, b: number) => number;
  /** The part of the correlation every pair has (used alone beyond MAX_CORRELATED candidates). */
  shared: number;
  /** Per candidate: half the range of the annealing gain the fit could not see (0 when it could); one uniform draw for all candidates. */
  gainSpread: readonly number[];
  /** Seed-to-seed standard deviation of a run's loss (independent per candidate). */
  noiseFloor: number;
  /** Per candidate: its own seed-noise standard deviation instead of noiseFloor (0: drawn without seed noise; the draws of the others do not change). */
  noise?: readonly number[];
  seed: number;
  /** Law-error draws per bootstrap draw (default ERROR_REPEATS). */
  repeats?: number;
}

/** Standard normal draws from a seeded uniform generator (Box–Muller). */
export function normalGenerator(seed: number): () => number {
  const random = seededRandom(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - random();
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** The lower-triangular Cholesky factor of a symmetric positive-definite matrix (row-major n×n), with a tiny ridge for ties. */
export function cholesky(matrix: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      if (i === j) l[i * n + i] = Math.sqrt(Math.max(sum, 1e-12));
      else l[i * n + j] = sum / l[j * n + j];
    }
  }
  return l;
}

/** Draws of the standardised law error (unit variance, the given correlation) for n candidates. */
function errorSampler(n: number, input: DrawInput): (normal: () => number, out: Float64Array) => void {
  if (n <= MAX_CORRELATED) {
    const matrix = new Float64Array(n * n);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) matrix[a * n + b] = a === b ? 1 : input.correlation(a, b);
    const l = cholesky(matrix, n);
    const z = new Float64Array(n);
    return (normal, out) => {
      for (let i = 0; i < n; i++) z[i] = normal();
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let k = 0; k <= i; k++) v += l[i * n + k] * z[k];
        out[i] = v;
      }
    };
  }
  const shared = Math.sqrt(input.shared);
  const own = Math.sqrt(1 - input.shared);
  return (normal, out) => {
    const common = normal();
    for (let i = 0; i < n; i++) out[i] = shared * common + own * normal();
  };
}

/** Per candidate, its final loss in every joint draw (bootstrap draws × repeats). */
export function jointDraws(input: DrawInput): Float64Array[] {
  const n = input.samples.length;
  const draws = n > 0 ? input.samples[0].length : 0;
  const repeats = input.repeats ?? ERROR_REPEATS;
  const out = Array.from({ length: n }, () => new Float64Array(draws * repeats));
  if (n === 0) return out;
  const normal = normalGenerator(input.seed ^ 0x9e3779b9);
  const random = seededRandom(input.seed ^ 0x85ebca6b);
  const sample = errorSampler(n, input);
  const error = new Float64Array(n);
  let k = 0;
  for (let j = 0; j < draws; j++) {
    for (let r = 0; r < repeats; r++, k++) {
      sample(normal, error);
      const gain = 2 * random() - 1;
      for (let c = 0; c < n; c++) out[c][k] = input.samples[c][j] + input.sigma[c] * error[c] - gain * input.gainSpread[c] + (input.noise?.[c] ?? input.noiseFloor) * normal();
    }
  }
  return out;
}

/** Each candidate's share of the draws in which it has the lowest loss (exact ties share a draw). */
export function winShares(draws: readonly Float64Array[]): number[] {
  const n = draws.length;
  const wins = new Array<number>(n).fill(0);
  const count = n > 0 ? draws[0].length : 0;
  for (let k = 0; k < count; k++) {
    let low = Infinity;
    for (let c = 0; c < n; c++) low = Math.min(low, draws[c][k]);
    let tied = 0;
    for (let c = 0; c < n; c++) if (draws[c][k] === low) tied++;
    for (let c = 0; c < n; c++) if (draws[c][k] === low) wins[c] += 1 / tied;
  }
  return wins.map((w) => (count > 0 ? w / count : 0));
}
