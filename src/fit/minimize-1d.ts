/**
 * Brent's method for minimising a function of one variable on a bracket [a, b]
 * (golden-section steps with parabolic interpolation; Brent 1973, "Algorithms for
 * Minimization without Derivatives", ch. 5).
 */

/** Minimum found by brentMinimize. */
export interface Minimum1D {
  x: number;
  value: number;
  evaluations: number;
}

/** Minimises `f` on [a, b] to a relative tolerance `tol` on x. */
export function brentMinimize(f: (x: number) => number, a: number, b: number, tol = 1e-6, maxIter = 100): Minimum1D {
  const golden = 0.3819660112501051;
  let x = a + golden * (b - a);
  let w = x;
  let v = x;
  let fx = f(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  let evaluations = 1;
  for (let iter = 0; iter < maxIter; iter++) {
    const mid = 0.5 * (a + b);
    const tol1 = tol * Math.abs(x) + 1e-12;
    const tol2 = 2 * tol1;
    if (Math.abs(x - mid) <= tol2 - 0.5 * (b - a)) break;
    let useGolden = true;
    if (Math.abs(e) > tol1) {
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      else q = -q;
      const eOld = e;
      e = d;
      if (Math.abs(p) < Math.abs(0.5 * q * eOld) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = mid >= x ? tol1 : -tol1;
        useGolden = false;
      }
    }
    if (useGolden) {
      e = x >= mid ? a - x : b - x;
      d = golden * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d >= 0 ? tol1 : -tol1);
    const fu = f(u);
    evaluations++;
    if (fu <= fx) {
      if (u >= x) a = x;
      else b = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { x, value: fx, evaluations };
}

/**
 * Minimises `f` over a grid of x values, then refines with Brent between the best grid
 * point's neighbours. Deterministic; the grid guards against poor local minima.
 */
export function gridThenBrent(f: (x: number) => number, grid: readonly number[], tol = 1e-6): Minimum1D & { atEdge: boolean } {
  let bestIndex = 0;
  let bestValue = Infinity;
  grid.forEach((x, i) => {
    const value = f(x);
    if (value < bestValue) {
      bestValue = value;
      bestIndex = i;
    }
  });
  const lo = grid[Math.max(0, bestIndex - 1)];
  const hi = grid[Math.min(grid.length - 1, bestIndex + 1)];
  const refined = brentMinimize(f, lo, hi, tol);
  const best = refined.value <= bestValue ? refined : { x: grid[bestIndex], value: bestValue, evaluations: refined.evaluations };
  const atEdge = (bestIndex === 0 || bestIndex === grid.length - 1) && Math.abs(best.x - grid[bestIndex]) < 1e-9 * (1 + Math.abs(best.x));
  return { ...best, evaluations: best.evaluations + grid.length, atEdge };
}

/** `count` values spaced evenly in log between lo and hi (both > 0). */
export function logGrid(lo: number, hi: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(lo * Math.pow(hi / lo, i / (count - 1)));
  return out;
}
