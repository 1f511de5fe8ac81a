/**
 * The "truths" a pilot is weighed on: a stratified sample of the joint draws (each stratum of the
 * draws sorted by today's regret gives one, at a seeded random place inside it, so the sample's
 * mean regret is unbiased), and how a pick is scored in one of them.
 */
import { seededRandom } from '../fit/resample.js';

/** In draw k, how much worse candidate `pick` ends than the best candidate of that draw. */
export function regretAt(draws: readonly Float64Array[], k: number, pick: number): number {
  let low = Infinity;
  for (const d of draws) low = Math.min(low, d[k]);
  return draws[pick][k] - low;
}

/** Each draw's regret of candidate `pick`. */
export function regretsOf(draws: readonly Float64Array[], pick: number): Float64Array {
  return Float64Array.from(draws[0] ?? [], (_, k) => regretAt(draws, k, pick));
}

/**
 * `count` draw indices (at most one per draw): the draws sorted by `regret` are cut into `count`
 * equal strata and one draw is taken at a seeded random place in each.
 */
export function stratifiedDraws(regret: ArrayLike<number>, count: number, seed: number): number[] {
  const n = regret.length;
  const m = Math.max(0, Math.min(Math.floor(count), n));
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => regret[a] - regret[b] || a - b);
  const random = seededRandom(seed ^ 0x7a11);
  return Array.from({ length: m }, (_, q) => order[Math.min(n - 1, Math.floor(((q + random()) * n) / m))]);
}

/** The mean of some values (0 for none). */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return values.length > 0 ? s / values.length : 0;
}

/** The standard error of their mean (0 for fewer than two). */
export function standardError(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i] - m) ** 2;
  return Math.sqrt(s / (n - 1) / n);
}
