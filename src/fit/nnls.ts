/**
 * Non-negative least squares for a handful of unknowns, given the normal equations:
 * minimise θᵀMθ − 2bᵀθ subject to θ ≥ 0. Exact: when the unconstrained minimiser is feasible it
 * is the answer (the usual case, one solve); otherwise every face of the orthant is tried and the
 * best feasible solution wins (2^n faces; n ≤ 4 here). The fits solve thousands of these 3 × 3
 * problems per second, so the faces are solved in place, without allocating.
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

/** θᵀMθ − 2bᵀθ. */
function quadraticValue(M: number[][], b: number[], theta: ArrayLike<number>): number {
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v -= 2 * b[i] * theta[i];
    for (let j = 0; j < b.length; j++) v += theta[i] * M[i][j] * theta[j];
  }
  return v;
}

/**
 * Solves M_FF x = b_F for the variables F (a bit mask) into `out` (0 elsewhere), by Gaussian
 * elimination with partial pivoting in a scratch array; false when singular.
 */
function solveFace(M: number[][], b: number[], mask: number, out: number[], scratch: Float64Array, index: Int8Array): boolean {
  const n = b.length;
  let k = 0;
  for (let i = 0; i < n; i++) if (mask & (1 << i)) index[k++] = i;
  const w = k + 1; // scratch rows of k coefficients and the right-hand side
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) scratch[r * w + c] = M[index[r]][index[c]];
    scratch[r * w + k] = b[index[r]];
  }
  for (let col = 0; col < k; col++) {
    let pivot = col;
    let scale = 0;
    for (let r = 0; r < k; r++) scale = Math.max(scale, Math.abs(scratch[r * w + col]));
    for (let r = col + 1; r < k; r++) if (Math.abs(scratch[r * w + col]) > Math.abs(scratch[pivot * w + col])) pivot = r;
    if (!(Math.abs(scratch[pivot * w + col]) > 1e-13 * (scale || 1))) return false;
    if (pivot !== col) {
      for (let c = 0; c <= k; c++) {
        const t = scratch[col * w + c];
        scratch[col * w + c] = scratch[pivot * w + c];
        scratch[pivot * w + c] = t;
      }
    }
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = scratch[r * w + col] / scratch[col * w + col];
      if (f === 0) continue;
      for (let c = col; c <= k; c++) scratch[r * w + c] -= f * scratch[col * w + c];
    }
  }
  out.fill(0);
  for (let r = 0; r < k; r++) out[index[r]] = scratch[r * w + k] / scratch[r * w + r];
  return true;
}

/**
 * Minimises θᵀMθ − 2bᵀθ over θ ≥ 0, with the variables in `fixedZero` held at 0.
 * M must be symmetric positive semi-definite. Returns the best feasible θ (all zeros at worst).
 */
export function nonNegativeQuadratic(M: number[][], b: number[], fixedZero: ReadonlySet<number> = new Set()): number[] {
  const n = b.length;
  const scratch = new Float64Array(n * (n + 1));
  const index = new Int8Array(n);
  const candidate = new Array<number>(n).fill(0);
  let allowed = 0;
  for (let i = 0; i < n; i++) if (!fixedZero.has(i)) allowed |= 1 << i;
  const feasible = () => candidate.every((v) => v >= 0);
  // the minimiser with every unfixed variable free: when it is feasible, no face does better
  if (allowed !== 0 && solveFace(M, b, allowed, candidate, scratch, index) && feasible() && quadraticValue(M, b, candidate) < 0) return candidate;
  let best = new Array<number>(n).fill(0);
  let bestValue = 0;
  for (let mask = 1; mask < 1 << n; mask++) {
    if ((mask & allowed) !== mask) continue;
    if (!solveFace(M, b, mask, candidate, scratch, index) || !feasible()) continue;
    const v = quadraticValue(M, b, candidate);
    if (v < bestValue) {
      bestValue = v;
      best = [...candidate];
    }
  }
  return best;
}
