/**
 * Minimising the Multi-Power Law's objective Σ wᵢ·Huber(log yᵢ − log pᵢ) (plus the optional
 * drop prior) from a start, within the parameter bounds, by variable projection:
 *
 *  - for fixed nonlinear parameters (α, log C', β, γ) the prediction
 *    p = L0 + A'·σ^(−α) − B'·D is linear in (L0, A', B'), which are solved exactly by the
 *    profiled Huber solve the momentum law uses (fit/linear-part.ts, with the unit loss drop D in
 *    place of S2);
 *  - Levenberg–Marquardt steps only the nonlinear parameters, on the Jacobian with the linear
 *    directions projected out (Kaufman's variant of Golub–Pereyra variable projection).
 *
 * The L0–A'–α valley, where a plain LM on all seven parameters crawls for hundreds of iterations
 * (a fine-tuning log's fit ran into every iteration cap), is then solved exactly at each step.
 * Bounds: a parameter at a bound its gradient pushes against is held there for the step; a
 * linear parameter at 0 is held at 0.
 */
import { huber } from '../../fit/huber.js';
import { type FitPoints, type LinearPart, solveLinearPart } from '../../fit/linear-part.js';
import { type MplPoints, predict, THETA, THETA_LOWER, THETA_UPPER } from './objective.js';
import { type DropPrior, priorRows } from './prior.js';

/** The parameters stepped by LM; the others are solved for. */
const NONLINEAR = [THETA.alpha, THETA.logC, THETA.beta, THETA.gamma] as const;
const LINEAR = [THETA.L0, THETA.A, THETA.B] as const;
/** An accepted step that lowers the objective by less than this fraction ends the descent. */
const CONVERGED = 1e-10;

/** How closely a descent converges (the defaults: a fit's). */
export interface DescentTolerances {
  /** An accepted step that lowers the objective by less than this fraction ends the descent (default CONVERGED). */
  converged?: number;
  /** The relative tolerance of the linear part's solve at each evaluation (default solveLinearPart's, 1e-12). */
  linear?: number;
}

/** Where a descent ended. */
export interface Descent {
  theta: number[];
  objective: number;
  /** Steps taken (accepted or not). */
  iterations: number;
}

/** One evaluation: θ with its linear part solved, the objective, √-Huber residuals ρ and the partials −∂ρ/∂θ. */
interface State {
  theta: number[];
  objective: number;
  rho: Float64Array;
  /** −∂ρ/∂θ_k per parameter k (one array of rows each). */
  partials: Float64Array[];
  part: LinearPart;
}

/** Solves the small symmetric positive-definite system M x = b (Cholesky); null when it is not. */
function solveSpd(m: number[][], b: number[]): number[] | null {
  const n = b.length;
  const l = m.map((row) => row.slice());
  for (let j = 0; j < n; j++) {
    let s = l[j][j];
    for (let k = 0; k < j; k++) s -= l[j][k] * l[j][k];
    if (!(s > 0) || !Number.isFinite(s)) return null;
    l[j][j] = Math.sqrt(s);
    for (let i = j + 1; i < n; i++) {
      let t = l[i][j];
      for (let k = 0; k < j; k++) t -= l[i][k] * l[j][k];
      l[i][j] = t / l[j][j];
    }
  }
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let t = b[i];
    for (let k = 0; k < i; k++) t -= l[i][k] * y[k];
    y[i] = t / l[i][i];
  }
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let t = y[i];
    for (let k = i + 1; k < n; k++) t -= l[k][i] * x[k];
    x[i] = t / l[i][i];
  }
  return x;
}

/** An empty state for `rows` residuals (its arrays are reused from evaluation to evaluation). */
function emptyState(rows: number): State {
  return { theta: [], objective: Infinity, rho: new Float64Array(rows), partials: Array.from({ length: 7 }, () => new Float64Array(rows)), part: { L0: 0, A: 0, C: 0, objective: Infinity } };
}

/** The evaluator of one point set: θ's nonlinear parameters in, `into` filled with the linear ones solved out. */
function evaluator(points: MplPoints, delta: number, fixB: boolean, prior: DropPrior | undefined, linearTolerance: number | undefined): (theta: readonly number[], start: LinearPart, into: State) => State {
  const n = points.y.length;
  const drop = new Float64Array(n);
  const unit = Array.from({ length: 7 }, () => new Float64Array(n));
  const scratch = new Float64Array(n);
  const linear: FitPoints = { logS1: points.logSigma, s2: drop, y: points.y, logY: points.logY, weight: points.weight };
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += points.weight[i];
  return (thetaIn, start, into) => {
    const theta = [...thetaIn];
    // one pass over the terms: the unit loss drop D, σ^(−α), and D's partials in log C', β, γ
    predict(points, [0, 0, theta[THETA.alpha], 1, theta[THETA.logC], theta[THETA.beta], theta[THETA.gamma]], scratch, unit, drop);
    const power = unit[THETA.A];
    const part = solveLinearPart(linear, power, { fixC: fixB, delta, start, ...(linearTolerance === undefined ? {} : { tolerance: linearTolerance }) });
    theta[THETA.L0] = part.L0;
    theta[THETA.A] = part.A;
    theta[THETA.B] = fixB ? 0 : part.C;
    const L0 = theta[THETA.L0];
    const A = theta[THETA.A];
    const B = theta[THETA.B];
    const { rho, partials } = into;
    let objective = 0;
    for (let i = 0; i < n; i++) {
      const p = L0 + A * power[i] - B * drop[i];
      const w = points.weight[i];
      if (!(p > 0)) {
        objective = Infinity;
        rho[i] = 1e3;
        for (const column of partials) column[i] = 0;
        continue;
      }
      const r = points.logY[i] - Math.log(p);
      const a = Math.abs(r);
      const rr = a <= delta ? r : Math.sign(r) * Math.sqrt(2 * delta * a - delta * delta);
      rho[i] = Math.sqrt(w) * rr;
      objective += w * huber(r, delta);
      // −∂ρ/∂θ = ρ'(r)·(∂p/∂θ)/p
      const slope = (Math.sqrt(w) * (a <= delta ? 1 : delta / Math.max(Math.abs(rr), 1e-300))) / p;
      partials[THETA.L0][i] = slope;
      partials[THETA.A][i] = power[i] * slope;
      partials[THETA.alpha][i] = -A * power[i] * points.logSigma[i] * slope;
      partials[THETA.B][i] = -drop[i] * slope;
      partials[THETA.logC][i] = B * unit[THETA.logC][i] * slope;
      partials[THETA.beta][i] = B * unit[THETA.beta][i] * slope;
      partials[THETA.gamma][i] = B * unit[THETA.gamma][i] * slope;
    }
    if (prior) {
      const { rows: extra, jac } = priorRows(theta, prior, totalWeight);
      extra.forEach((value, k) => {
        rho[n + k] = value;
        objective += (value * value) / 2;
        for (const [index, d] of jac[k]) partials[index][n + k] = -d;
      });
    }
    into.theta = theta;
    into.objective = objective;
    into.part = part;
    return into;
  };
}

/** JᵀJ of the 7 columns and Jᵀρ (J = −partials), in one pass over the rows. */
function normalEquations(state: State): { gram: number[][]; gradient: number[] } {
  const { partials, rho } = state;
  const gram = Array.from({ length: 7 }, () => new Array<number>(7).fill(0));
  const gradient = new Array<number>(7).fill(0);
  const row = new Float64Array(7);
  for (let i = 0; i < rho.length; i++) {
    for (let k = 0; k < 7; k++) row[k] = partials[k][i];
    for (let k = 0; k < 7; k++) {
      const v = row[k];
      if (v === 0) continue;
      gradient[k] -= v * rho[i];
      const line = gram[k];
      for (let l = k; l < 7; l++) line[l] += v * row[l];
    }
  }
  for (let k = 0; k < 7; k++) for (let l = 0; l < k; l++) gram[k][l] = gram[l][k];
  return { gram, gradient };
}

/**
 * The projected Gauss–Newton system of the nonlinear parameters `stepped`: A = J_nᵀJ_n − H ᵀG⁻¹H
 * and g = J_nᵀρ − HᵀG⁻¹J_cᵀρ, with J_c the columns of the linear parameters `held` out (G = J_cᵀJ_c,
 * H = J_cᵀJ_n); J = −partials. Also `follow` = G⁻¹H (per stepped parameter, a column over
 * `projected`): to first order, a step d of the nonlinear parameters moves the solved linear ones
 * by −G⁻¹H·d (absent when the linear columns are degenerate).
 */
function projectedSystem(state: State, stepped: readonly number[], projected: readonly number[]): { a: number[][]; g: number[]; follow?: number[][] } {
  const { gram: all, gradient } = normalEquations(state);
  const a = stepped.map((i) => stepped.map((j) => all[i][j]));
  const g = stepped.map((i) => gradient[i]);
  if (projected.length === 0) return { a, g };
  const gram = projected.map((i) => projected.map((j) => all[i][j]));
  const cross = projected.map((i) => stepped.map((j) => all[i][j]));
  const gc = projected.map((i) => gradient[i]);
  // G⁻¹H and G⁻¹J_cᵀρ, column by column
  const columns = stepped.map((_, m) => solveSpd(gram, cross.map((row) => row[m])));
  const shift = solveSpd(gram, gc);
  if (columns.some((c) => c === null) || shift === null) return { a, g }; // degenerate linear columns: plain GN
  const follow = columns as number[][];
  stepped.forEach((_, p) => {
    stepped.forEach((__, q) => {
      let s = 0;
      projected.forEach((___, r) => (s += cross[r][p] * columns[q]![r]));
      a[p][q] -= s;
    });
    let t = 0;
    projected.forEach((___, r) => (t += cross[r][p] * shift[r]));
    g[p] -= t;
  });
  return { a, g, follow };
}

/**
 * Where the linear part's solve at a trial step starts: the current solution moved by its
 * first-order response to the step, −G⁻¹H·d (projectedSystem), kept ≥ 0; the current solution
 * itself when there is no response. The solve converges to the same optimum either way (to its
 * tolerance), but from here in fewer iterations: a fifth to a quarter fewer passes over the
 * points in a fine-tuning log's fit and refits.
 */
function linearStart(current: LinearPart, theta: readonly number[], projected: readonly number[], follow: number[][] | undefined, moving: readonly number[], taken: readonly number[]): LinearPart {
  if (!follow || projected.length === 0) return current;
  const moved = [current.L0, current.A, current.C];
  projected.forEach((k, r) => {
    let shift = 0;
    moving.forEach((p, s) => (shift += follow[p][r] * taken[s]));
    moved[LINEAR.indexOf(k as (typeof LINEAR)[number])] = Math.max(0, theta[k] - shift);
  });
  return { L0: moved[0], A: moved[1], C: moved[2], objective: Infinity };
}

/**
 * Descends from θ0 (its linear part is re-solved first, from θ0's values) with at most
 * `maxIterations` steps; `free[k]` says whether θ_k may move (B' and the drop shape are held
 * when no run anneals). Returns the best θ found, always within the bounds.
 */
export function descend(points: MplPoints, theta0: readonly number[], delta: number, free: readonly boolean[], maxIterations: number, prior?: DropPrior, tolerances: DescentTolerances = {}): Descent {
  const evaluate = evaluator(points, delta, !free[THETA.B], prior, tolerances.linear);
  const converged = tolerances.converged ?? CONVERGED;
  const rows = points.y.length + (prior ? 3 : 0);
  const nonlinear = NONLINEAR.filter((k) => free[k]);
  let spare = emptyState(rows);
  let current = evaluate(theta0, { L0: theta0[THETA.L0], A: theta0[THETA.A], C: theta0[THETA.B], objective: Infinity }, emptyState(rows));
  let damping = 1e-3;
  let growth = 2;
  let iterations = 0;
  while (iterations < maxIterations && Number.isFinite(current.objective)) {
    const theta = current.theta;
    const projected = LINEAR.filter((k) => free[k] && theta[k] > 0);
    const { a, g, follow } = projectedSystem(current, nonlinear, projected);
    if (g.some((v) => !Number.isFinite(v))) break;
    // a parameter at a bound that the descent direction (−g) pushes against stays there
    const moving = nonlinear.map((k, m) => m).filter((m) => !((theta[nonlinear[m]] <= THETA_LOWER[nonlinear[m]] && g[m] > 0) || (theta[nonlinear[m]] >= THETA_UPPER[nonlinear[m]] && g[m] < 0)));
    if (moving.length === 0) break;
    let accepted = false;
    while (!accepted && iterations < maxIterations && damping < 1e16) {
      iterations++;
      const system = moving.map((p) => moving.map((q) => a[p][q] + (p === q ? damping * Math.max(a[p][p], 1e-300) : 0)));
      const step = solveSpd(system, moving.map((p) => -g[p]));
      if (step === null) {
        damping *= growth;
        growth *= 2;
        continue;
      }
      const trial = [...theta];
      moving.forEach((p, s) => {
        const k = nonlinear[p];
        trial[k] = Math.min(THETA_UPPER[k], Math.max(THETA_LOWER[k], theta[k] + step[s]));
      });
      // the reduction the quadratic model predicts for the step as clamped
      const taken = moving.map((p) => trial[nonlinear[p]] - theta[nonlinear[p]]);
      let predicted = 0;
      moving.forEach((p, s) => {
        predicted -= g[p] * taken[s];
        moving.forEach((q, t) => (predicted -= 0.5 * taken[s] * a[p][q] * taken[t]));
      });
      const next = evaluate(trial, linearStart(current.part, theta, projected, follow, moving, taken), spare);
      const gain = current.objective - next.objective;
      if (gain > 0 && Number.isFinite(next.objective)) {
        const ratio = predicted > 0 ? gain / predicted : 0;
        const before = current.objective;
        spare = current;
        current = next;
        damping *= Math.max(1 / 3, 1 - (2 * Math.max(ratio, 0) - 1) ** 3);
        growth = 2;
        accepted = true;
        if (gain < converged * before) return { theta: current.theta, objective: current.objective, iterations };
      } else {
        damping *= growth;
        growth *= 2;
      }
    }
    if (!accepted) break;
  }
  return { theta: current.theta, objective: current.objective, iterations };
}
