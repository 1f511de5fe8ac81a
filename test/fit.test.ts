import { describe, expect, it } from 'vitest';
import type { Curve } from '../src/core/curve.js';
import type { LrProfile } from '../src/core/lr-profile.js';
import type { Run } from '../src/core/run.js';
import { huber } from '../src/fit/huber.js';
import { nonNegativeQuadratic } from '../src/fit/nnls.js';
import { averageMetrics, scoreCurve } from '../src/fit/metrics.js';
import { prepareRun } from '../src/io/prepare-run.js';
import { momentumLossAt, type MomentumParams } from '../src/law/momentum/law.js';
import { fitLaw as fitAny } from '../src/law/registry.js';
import type { FitOptions } from '../src/law/types.js';
import { parseSchedule, scheduleProfile } from '../src/schedule/schedule.js';
import { gaussian, mulberry32 } from './helpers/random.js';
import { mplRun } from './helpers/mpl.js';

type LawParams = MomentumParams;
const lossAtSteps = (p: LawParams, profile: LrProfile, steps: number[]) => Array.from(momentumLossAt(p, profile, steps));
/** The momentum law's fit, with its parameters typed. */
function fitLaw(runs: Run[], options: FitOptions = {}) {
  const fit = fitAny(runs, { ...options, model: 'momentum' });
  return { ...fit, params: fit.model.params as unknown as LawParams };
}

/** A log simulated from known parameters, with multiplicative noise. */
function simulatedRun(params: LawParams, spec: string, every: number, noise: number, seed: number): Run {
  const schedule = parseSchedule(spec);
  const total = schedule.total!;
  const steps: number[] = [];
  for (let s = every; s <= total; s += every) steps.push(s);
  const clean = lossAtSteps(params, scheduleProfile(schedule, total), steps);
  const normal = gaussian(mulberry32(seed));
  const values = clean.map((y) => y * (1 + noise * normal()));
  const curve: Curve = { source: spec, format: 'synthetic', train: { steps, values }, eval: null, lr: null, columns: {}, skipped: [], warnings: [] };
  return prepareRun({ curve, schedule, label: spec.split(':')[0] });
}

/** The fit objective computed independently: Σ over runs of (N / runs / n_run) · Σ Huber(log y − log p) (every run weighs the same). */
function sumHuberAt(runs: Run[], p: LawParams, from: number[]): number {
  const used = runs.map((run, k) => run.steps.filter((s) => s >= from[k]));
  const count = used.reduce((n, s) => n + s.length, 0);
  let total = 0;
  runs.forEach((run, k) => {
    const steps = used[k];
    const weight = count / runs.length / steps.length;
    const predicted = lossAtSteps(p, run.lr, steps);
    steps.forEach((s, i) => (total += weight * huber(Math.log(run.loss[run.steps.indexOf(s)]) - Math.log(predicted[i]))));
  });
  return total;
}

describe('nonNegativeQuadratic', () => {
  it('returns the unconstrained optimum when it is feasible, and clamps otherwise', () => {
    const M = [[2, 0], [0, 2]];
    expect(nonNegativeQuadratic(M, [2, 4])).toEqual([1, 2]);
    expect(nonNegativeQuadratic(M, [2, -4])).toEqual([1, 0]);
    expect(nonNegativeQuadratic(M, [2, 4], new Set([1]))).toEqual([1, 0]);
  });
});

describe('fitLaw on simulated curves (property: known parameters are recovered)', () => {
  const rand = mulberry32(2024);
  const cases = Array.from({ length: 8 }, (_, i) => ({
    L0: 1.8 + rand(),
    A: 0.3 + 0.5 * rand(),
    alpha: 0.3 + 0.5 * rand(),
    C: 0.2 + 0.8 * rand(),
    lambda: 0.999,
    seed: 100 + i,
  }));
  it.each(cases)('recovers L0=$L0 A=$A α=$alpha C=$C from noisy cosine + constant runs', (c) => {
    const { seed, ...truth } = c;
    const runs = [
      simulatedRun(truth, 'cosine:peak=3e-4,warmup=1000,total=20000,final=3e-5', 50, 0.002, seed),
      simulatedRun(truth, 'constant:peak=3e-4,warmup=1000,total=20000', 50, 0.002, seed + 1000),
    ];
    const fit = fitLaw(runs);
    // with 0.2 % noise, the whole curve must be reproduced within the noise …
    const clean = runs.map((r) => lossAtSteps(truth, r.lr, r.steps.filter((s) => s >= 1000)));
    const fitted = runs.map((r) => lossAtSteps(fit.params, r.lr, r.steps.filter((s) => s >= 1000)));
    clean.forEach((y, k) => expect(scoreCurve(y, fitted[k]).worstE).toBeLessThan(0.002));
    // … and the parameters recovered (L0 and A trade off against α, so they get looser bounds)
    expect(fit.params.alpha).toBeGreaterThan(truth.alpha * 0.8);
    expect(fit.params.alpha).toBeLessThan(truth.alpha * 1.25);
    expect(fit.params.C).toBeGreaterThan(truth.C * 0.85);
    expect(fit.params.C).toBeLessThan(truth.C * 1.15);
    expect(Math.abs(fit.params.L0 - truth.L0)).toBeLessThan(0.1);
    // the fit never does worse than the truth on its own objective
    expect(fit.objective).toBeLessThanOrEqual(sumHuberAt(runs, truth, [1000, 1000]) + 1e-12);
  });

  it('recovers exactly from noise-free curves, λ included with fitLambda', () => {
    const truth = { L0: 2.5, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.998 };
    const runs = [
      simulatedRun(truth, 'cosine:peak=3e-4,warmup=1000,total=20000,final=3e-5', 50, 0, 1),
      simulatedRun(truth, 'wsd:peak=3e-4,warmup=1000,total=20000,decay=0.2,shape=linear', 50, 0, 2),
    ];
    const fit = fitLaw(runs, { fitLambda: true });
    expect(fit.params.alpha).toBeCloseTo(truth.alpha, 2);
    expect(fit.params.L0).toBeCloseTo(truth.L0, 2);
    expect(fit.params.C).toBeCloseTo(truth.C, 1);
    expect(fit.params.lambda).toBeCloseTo(truth.lambda, 3);
    expect(fit.metrics.worstE).toBeLessThan(1e-4);
  });

  it('holds C at 0 and says so when no run anneals', () => {
    const truth = { L0: 2.5, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 };
    const fit = fitLaw([simulatedRun(truth, 'constant:peak=3e-4,warmup=1000,total=20000', 50, 0.001, 3)]);
    expect(fit.params.C).toBe(0);
    expect(fit.held).toEqual(['C']);
    expect(fit.notes.map((n) => n.code)).toContain('c-not-identifiable');
  });

  it('is deterministic and never returns NaN, even on a flat curve', () => {
    const flat: Curve = {
      source: 'flat', format: 'synthetic', columns: {}, skipped: [], warnings: [], eval: null, lr: null,
      train: { steps: Array.from({ length: 50 }, (_, i) => 100 * (i + 1)), values: new Array(50).fill(3) },
    };
    const run = prepareRun({ curve: flat, schedule: parseSchedule('cosine:peak=1e-3,total=5000') });
    const a = fitLaw([run]);
    const b = fitLaw([run]);
    expect(a).toEqual(b);
    for (const v of Object.values(a.model.params)) expect(Number.isFinite(v)).toBe(true);
  });
});

describe('fitLaw on the real MPL curves (published protocol)', () => {
  // Published MAE of the 7-parameter Multi-Power Law on this protocol (fixtures/README.md):
  // 0.00376 / 0.00435 / 0.00484. A careful fit of the 4-parameter momentum law reaches
  // 0.0053 / 0.0045 / 0.0055 (issue 6); we hold the spine to those bounds.
  const bounds = { '25M': 0.0053, '100M': 0.0045, '400M': 0.0055 } as const;
  for (const size of ['25M', '100M', '400M'] as const) {
    it(`${size}: fit on cosine/constant/wsdcon_9, predict the other six within the reference MAE`, async () => {
      const train = await Promise.all(['cosine_24000', 'constant_24000', 'wsdcon_9'].map((n) => mplRun(size, n)));
      const fit = fitLaw(train);
      const tests = await Promise.all(['constant_72000', 'cosine_72000', 'wsd_20000_24000', 'wsdld_20000_24000', 'wsdcon_3', 'wsdcon_18'].map((n) => mplRun(size, n)));
      const scores = tests.map((r) => scoreCurve(r.loss, lossAtSteps(fit.params, r.lr, r.steps)));
      const avg = averageMetrics(scores);
      expect(avg.mae).toBeLessThanOrEqual(bounds[size]);
      expect(avg.r2).toBeGreaterThan(0.995);
      // Parameters: physically sensible (L0 below every observed loss; α in the range the
      // papers report for LMs, 0.3–0.8) and a true optimum: moving any parameter by 1 %
      // makes the objective worse.
      const minLoss = Math.min(...train.flatMap((r) => r.loss));
      expect(fit.params.L0).toBeLessThan(minLoss);
      expect(fit.params.L0).toBeGreaterThan(minLoss - 1);
      expect(fit.params.alpha).toBeGreaterThan(0.3);
      expect(fit.params.alpha).toBeLessThan(0.8);
      expect(fit.params.C).toBeGreaterThan(0);
      const from = train.map((r) => r.lr.warmupEnd);
      const at = sumHuberAt(train, fit.params, from);
      expect(at).toBeCloseTo(fit.objective, 9);
      // --weighting points is the papers' plain sum over every point
      const plain = fitLaw(train, { weighting: 'points' });
      const plainSum = train.reduce((total, run, k) => {
        const steps = run.steps.filter((s) => s >= from[k]);
        const predicted = lossAtSteps(plain.params, run.lr, steps);
        return total + steps.reduce((t, s, i) => t + huber(Math.log(run.loss[run.steps.indexOf(s)]) - Math.log(predicted[i])), 0);
      }, 0);
      expect(plainSum).toBeCloseTo(plain.objective, 9);
      for (const key of ['L0', 'A', 'alpha', 'C'] as const) {
        for (const f of [0.99, 1.01]) expect(sumHuberAt(train, { ...fit.params, [key]: fit.params[key] * f }, from)).toBeGreaterThan(at);
      }
    });
  }
});
