/**
 * The two areas of the momentum law at chosen steps, in one streaming pass over an LR profile
 * (O(1) memory; constant stretches in closed form, whatever their length).
 *
 *   S1(s) = Σ_{t<s} η(t)                                   forward area
 *   m_t = λ·m_{t−1} + (η(t−1) − η(t)),  m_0 = 0,  S2(s) = Σ_{t<s} m_t     annealing area
 *
 * Each LR drop lowers the loss with a delay of about 1/(1−λ) steps; an LR increase gives
 * negative momentum (re-warming raises the loss).
 */
import { checkQuerySteps, isConstant, type LrProfile } from '../../core/lr-profile.js';

/** S1 and S2 at each query step. */
export interface MomentumAreas {
  s1: Float64Array;
  s2: Float64Array;
}

/** Σ_{j=0}^{n−1} λ^j, accurate for λ near 1. */
export function geometricSum(lambda: number, n: number): number {
  if (n <= 0) return 0;
  return -Math.expm1(n * Math.log(lambda)) / (1 - lambda);
}

/**
 * The last two areas computed over long profiles: a fit, its metrics and its bootstrap ask for the
 * same ones (a pass over a 5M-step profile costs ~200 ms). At most 2 × 24 bytes per step queried
 * (≤ 2^20 steps) are held.
 */
const recent: { profile: LrProfile; steps: Float64Array; lambda: number; areas: MomentumAreas }[] = [];
const RECENT = 2;

/**
 * S1 and S2 after each of the sorted `steps` (0 ≤ s ≤ profile.length) for momentum decay λ.
 * The result is shared with later calls for the same profile, steps and λ: do not modify it.
 */
export function momentumAreas(profile: LrProfile, steps: ArrayLike<number>, lambda: number): MomentumAreas {
  const hit = recent.find((r) => r.profile === profile && r.lambda === lambda && sameSteps(r.steps, steps));
  if (hit) return hit.areas;
  const areas = computeAreas(profile, steps, lambda);
  // only long profiles are worth remembering
  if (profile.length >= 100_000 && steps.length <= 1 << 20) {
    recent.unshift({ profile, steps: Float64Array.from(steps), lambda, areas });
    recent.length = Math.min(recent.length, RECENT);
  }
  return areas;
}

function sameSteps(a: Float64Array, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function computeAreas(profile: LrProfile, steps: ArrayLike<number>, lambda: number): MomentumAreas {
  const n = steps.length;
  const s1 = new Float64Array(n);
  const s2 = new Float64Array(n);
  checkQuerySteps(steps, profile.length, 'momentumAreas');
  let area = 0;
  let annealing = 0;
  let momentum = 0;
  let previous = 0;
  let q = 0;
  const logLambda = Math.log(lambda);
  const record = (at: number) => {
    for (; q < n && steps[q] === at; q++) {
      s1[q] = area;
      s2[q] = annealing;
    }
  };
  record(0);
  for (const segment of profile.segments) {
    if (q >= n) break;
    if (isConstant(segment)) {
      const lr = segment.lr;
      // the stretch in pieces that end at query steps: momentum m, λm, λ²m, … inside a piece
      for (let from = segment.from; from < segment.to && q < n; ) {
        const to = Math.min(segment.to, steps[q]);
        const count = to - from;
        if (count > 0) {
          momentum = from > 0 ? lambda * momentum + (previous - lr) : 0;
          annealing += momentum * geometricSum(lambda, count);
          momentum *= Math.exp((count - 1) * logLambda);
          area += count * lr;
          previous = lr;
        }
        record(to);
        from = to;
      }
      continue;
    }
    const lrAt = segment.lrAt;
    for (let u = segment.from; u < segment.to && q < n; u++) {
      const lr = lrAt(u);
      if (u > 0) momentum = lambda * momentum + (previous - lr);
      annealing += momentum;
      area += lr;
      previous = lr;
      if (steps[q] === u + 1) record(u + 1);
    }
  }
  return { s1, s2 };
}
