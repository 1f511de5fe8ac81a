/**
 * Non-negative least squares for a handful of unknowns, given the normal equations:
 * minimise θᵀMθ − 2bᵀθ subject to θ ≥ 0. Exact: every face of the orthant is tried and the
 * best feasible solution wins (2^n faces; n ≤ 4 here).
 */

/** Solves the square system A x = y by Gaussian elimination with partial pivoting; null if singular. */
export function solveLinear(a: number[][], y: number[]): number[] | null {
  const n = y.length;
  const m = a.map((row, i) => [...row, y[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    const scale = Math.max(...m.map((row) => Math.abs(row[col])));
    if (!(Math.abs(m[pivot][col]) > 1e-13 * (scale || 1))) return null;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r][col] / m[col][col];
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/**
 * Minimises θᵀMθ − 2bᵀθ over θ ≥ 0, with the variables in `fixedZero` held at 0.
 * M must be symmetric positive semi-definite. Returns the best feasible θ (all zeros at worst).
 */
export function nonNegativeQuadratic(M: number[][], b: number[], fixedZero: ReadonlySet<number> = new Set()): number[] {
  const n = b.length;
  let best = new Array<number>(n).fill(0);
  let bestValue = 0;
  for (let mask = 1; mask < 1 << n; mask++) {
    const free: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i) && !fixedZero.has(i)) free.push(i);
    if (free.length === 0 || free.length !== countBits(mask)) continue;
    const sub = solveLinear(
      free.map((i) => free.map((j) => M[i][j])),
      free.map((i) => b[i]),
    );
    if (sub === null || sub.some((v) => !(v >= 0))) continue;
    const theta = new Array<number>(n).fill(0);
    free.forEach((i, k) => (theta[i] = sub[k]));
    let value = 0;
    for (let i = 0; i < n; i++) {
      value -= 2 * b[i] * theta[i];
      for (let j = 0; j < n; j++) value += theta[i] * M[i][j] * theta[j];
    }
    if (value < bestValue) {
      bestValue = value;
      best = theta;
    }
  }
  return best;
}

function countBits(mask: number): number {
  let c = 0;
  for (let m = mask; m; m >>= 1) c += m & 1;
  return c;
}
