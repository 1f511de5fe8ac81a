/** Linear interpolation in a sorted series. */

/** Linear interpolation of (x, y) at `at` (x sorted ascending); undefined outside the series' range. */
export function interpolate(x: ArrayLike<number>, y: ArrayLike<number>, at: number): number | undefined {
  if (x.length === 0 || at < x[0] || at > x[x.length - 1]) return undefined;
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= at) lo = mid;
    else hi = mid;
  }
  if (x[hi] === x[lo]) return y[lo];
  const f = (at - x[lo]) / (x[hi] - x[lo]);
  return y[lo] + f * (y[hi] - y[lo]);
}
