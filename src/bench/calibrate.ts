/**
 * `npm run bench:accuracy -- --calibrate`: learns the law-error model (verdict/law-error.ts) on the
 * public Multi-Power Law runs, as it was learned: every size, fitted on the protocol's 3 train
 * runs and on cosine + constant alone, every other run predicted at its last logged point. The
 * residuals of one fit are jointly Gaussian with covariance σ²·Lᵢ·Lⱼ·gᵢ·gⱼ·ρᵢⱼ (L the predicted
 * loss, g how unlike the fitted runs the schedule is, ρ the correlation of law-error.ts); σ has a
 * closed-form maximum-likelihood estimate for each correlation structure, and the structure is
 * the best of a small grid.
 */
import type { Run } from '../core/run.js';
import { modelLoss } from '../law/registry.js';
import type { FitResult, ModelName } from '../law/types.js';
import { fittedShapes, lawFromFit, predictedLoss } from '../predict/fitted-law.js';
import { cutRun } from '../law/mixture/folds.js';
import { selectPoints } from '../fit/points.js';
import { fitLaw } from '../law/registry.js';
import { distanceFromFitted, lengthRatio, shapeDistance, shapeOf } from '../verdict/distance.js';
import { cholesky } from '../verdict/draws.js';
import { type LawErrorModel, lawErrorUnit } from '../verdict/law-error.js';
import { normalQuantile } from '../predict/uncertainty.js';

/** One fit's held-out residuals with what the error model needs to weigh them. */
export interface HeldOutSet {
  name: string;
  /** Predicted − observed at each held-out run's last logged point. */
  residuals: number[];
  /** predicted loss × how unseen the schedule is (the law error's scale at relative size 1). */
  scales: number[];
  /** Distances between the held-out runs' schedules. */
  distances: number[][];
}

/** The held-out set of a fit of `train`, predicting every run of `all` not in it. */
export function heldOutSet(name: string, all: readonly Run[], train: readonly Run[], fit: FitResult): HeldOutSet {
  const fitted = fittedShapes(fit, train);
  const held = all.filter((r) => !train.includes(r));
  const residuals: number[] = [];
  const scales: number[] = [];
  const shapes = held.map((run) => {
    const p = selectPoints(run, {});
    const step = p.steps[p.steps.length - 1];
    const predicted = modelLoss(fit.model, run.lr, [step])[0];
    residuals.push(predicted - p.loss[p.loss.length - 1]);
    const shape = shapeOf(run.lr, step);
    scales.push(lawErrorUnit(predicted, distanceFromFitted(shape, fitted), lengthRatio(shape, fitted)));
    return shape;
  });
  const distances = shapes.map((a) => shapes.map((b) => Math.min(shapeDistance(a, b), shapeDistance(b, a))));
  return { name, residuals, scales, distances };
}

/** Σ eᵀ K⁻¹ e and Σ log det K over the sets, K at relative size 1 under `structure`. */
function quadratic(sets: readonly HeldOutSet[], structure: Omit<LawErrorModel, 'relative'>): { q: number; logDet: number; n: number } {
  let q = 0;
  let logDet = 0;
  let n = 0;
  for (const s of sets) {
    const m = s.residuals.length;
    const k = new Float64Array(m * m);
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) {
        const rho = a === b ? 1 : structure.shared + structure.kernel * Math.exp(-(s.distances[a][b] ** 2) / (2 * structure.scale ** 2));
        k[a * m + b] = s.scales[a] * s.scales[b] * rho + (a === b ? 1e-12 : 0);
      }
    }
    const l = cholesky(k, m);
    // solve L y = e; eᵀK⁻¹e = |y|²
    const y = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let v = s.residuals[i];
      for (let j = 0; j < i; j++) v -= l[i * m + j] * y[j];
      y[i] = v / l[i * m + i];
      q += y[i] * y[i];
      logDet += 2 * Math.log(l[i * m + i]);
    }
    n += m;
  }
  return { q, logDet, n };
}

/** The maximum-likelihood error model over the sets: σ in closed form for each structure of the grid. */
export function calibrateLawError(sets: readonly HeldOutSet[]): { best: LawErrorModel; logLikelihood: number; grid: { model: LawErrorModel; logLikelihood: number }[] } {
  const grid: { model: LawErrorModel; logLikelihood: number }[] = [];
  for (const shared of [0, 0.2, 0.4, 0.6, 0.8]) {
    for (const kernel of [0, 0.2, 0.4, 0.6]) {
      if (shared + kernel > 0.9) continue;
      for (const scale of [0.1, 0.3, 0.5]) {
        const { q, logDet, n } = quadratic(sets, { shared, kernel, scale });
        const variance = q / n;
        grid.push({ model: { relative: Math.sqrt(variance), shared, kernel, scale }, logLikelihood: -0.5 * (n * Math.log(2 * Math.PI * variance) + logDet + n) });
      }
    }
  }
  grid.sort((a, b) => b.logLikelihood - a.logLikelihood);
  return { best: grid[0].model, logLikelihood: grid[0].logLikelihood, grid };
}

/**
 * The size of the law error that split-conformal calibration gives: the ⌈(n + 1)·level⌉-th smallest
 * |residual| / scale over the held-out runs, divided by the normal quantile, so that a Gaussian
 * interval at `level` holds that share of the public residuals (the marginal coverage intervals
 * are judged by; the correlation comes from the likelihood).
 */
export function conformalRelative(sets: readonly HeldOutSet[], level = 0.9): number {
  const scores = sets.flatMap((s) => s.residuals.map((r, i) => Math.abs(r) / s.scales[i])).sort((a, b) => a - b);
  const k = Math.min(scores.length, Math.ceil((scores.length + 1) * level));
  return scores[k - 1] / normalQuantile((1 + level) / 2);
}

/** σ (relative) at a fixed structure. */
export function relativeAt(sets: readonly HeldOutSet[], structure: Omit<LawErrorModel, 'relative'>): number {
  const { q, n } = quadratic(sets, structure);
  return Math.sqrt(q / n);
}

/** The held-out sets of the public calibration: per size, the protocol's 3 train runs and cosine + constant alone. */
export function calibrationSets(sizes: readonly { size: string; runs: Run[]; train: Run[] }[], model: ModelName): HeldOutSet[] {
  return sizes.flatMap(({ size, runs, train }) => {
    const pair = train.filter((r) => /^(cosine|constant)_24000$/.test(r.label));
    return [
      ['protocol', train],
      ['cosine + constant', pair],
    ].map(([name, fitted]) => {
      process.stderr.write(`calibration: ${size} ${model} fitted on ${name} …\n`);
      return heldOutSet(`${size} ${name}`, runs, fitted as Run[], fitLaw(fitted as Run[], { model }));
    });
  });
}

/** Where the forecast calibration cuts each public run (share of its logged steps). */
export const FORECAST_CUTS: readonly number[] = [0.3, 0.5, 0.7, 0.85];

/**
 * The forecast error per unit of unseen run (law-error.ts FORECAST_ERROR) by split-conformal
 * calibration: every public run cut at FORECAST_CUTS where the cut part already decays, fitted by
 * the default law, its last logged point forecast; |error| / (loss × unseen share), 90 % quantile
 * over the normal quantile.
 */
export function calibrateForecast(sizes: readonly { size: string; runs: Run[] }[], level = 0.9): { relative: number; forecasts: number } {
  const scores: number[] = [];
  for (const { size, runs } of sizes) {
    for (const run of runs) {
      const last = run.steps[run.steps.length - 1];
      const observed = run.loss[run.loss.length - 1];
      for (const f of FORECAST_CUTS) {
        const cut = cutRun(run, Math.round(f * last));
        if (!cut.anneals || selectPoints(cut, {}).steps.length < 10) continue;
        process.stderr.write(`forecast calibration: ${size} ${run.label} cut at ${Math.round(100 * f)} % …\n`);
        const law = lawFromFit(fitLaw([cut], { model: 'auto' }), [cut]);
        const predicted = predictedLoss(law, run.lr, [last])[0];
        scores.push(Math.abs(predicted - observed) / (observed * ((last - cut.steps[cut.steps.length - 1]) / last)));
      }
    }
  }
  scores.sort((a, b) => a - b);
  const k = Math.min(scores.length, Math.ceil((scores.length + 1) * level));
  return { relative: scores[k - 1] / normalQuantile((1 + level) / 2), forecasts: scores.length };
}
