/**
 * The two areas of the LR-annealing law, computed exactly per optimizer step in O(steps).
 *
 * Index convention: `lrs[t]` is the LR used at optimizer step t (t = 0 is the first update);
 * the loss logged at step s is the loss after s updates, so it sees lrs[0 … s−1].
 */

/**
 * Forward area S1: `out[s] = Σ_{t<s} lrs[t]` for s = 0 … lrs.length (cumulative LR).
 */
export function forwardArea(lrs: ArrayLike<number>): Float64Array {
  const out = new Float64Array(lrs.length + 1);
  let sum = 0;
  for (let t = 0; t < lrs.length; t++) {
    sum += lrs[t];
    out[t + 1] = sum;
  }
  return out;
}

/**
 * Annealing area with momentum S2: `m_t = λ·m_{t−1} + (lrs[t−1] − lrs[t])`, `m_0 = 0`,
 * `out[s] = Σ_{t<s} m_t`. Each LR drop lowers the loss with a delay of about 1/(1−λ) steps;
 * an LR increase gives negative momentum (re-warming raises the loss).
 */
export function annealingArea(lrs: ArrayLike<number>, lambda: number): Float64Array {
  const out = new Float64Array(lrs.length + 1);
  let momentum = 0;
  let sum = 0;
  for (let t = 0; t < lrs.length; t++) {
    if (t > 0) momentum = lambda * momentum + (lrs[t - 1] - lrs[t]);
    sum += momentum;
    out[t + 1] = sum;
  }
  return out;
}

/**
 * The authors' warmup variant: warmup steps count at the peak LR, so they add to S1 as if
 * at peak and nothing to S2. Returns a copy of `lrs` with steps before `warmupEnd` set to
 * lrs[warmupEnd].
 */
export function warmupAsPeak(lrs: ArrayLike<number>, warmupEnd: number): Float64Array {
  const out = Float64Array.from(lrs as ArrayLike<number>);
  const end = Math.min(warmupEnd, out.length - 1);
  if (end <= 0) return out;
  out.fill(out[end], 0, end);
  return out;
}

/** Index of the end of warmup: the first step whose LR reaches the maximum LR (within 0.1 %). */
export function findWarmupEnd(lrs: ArrayLike<number>): number {
  let max = 0;
  for (let t = 0; t < lrs.length; t++) if (lrs[t] > max) max = lrs[t];
  for (let t = 0; t < lrs.length; t++) if (lrs[t] >= max * 0.999) return t;
  return 0;
}
