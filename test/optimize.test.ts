/**
 * optimize: the block objectives agree with the prediction code, a known optimum is found, every
 * returned schedule keeps its constraints, predict reproduces the result, and on the public 400M
 * fit the Multi-Power Law's free-form optimum is WSD-like.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LrSegment, makeProfile } from '../src/core/lr-profile.js';
import { lawByName, fitLaw } from '../src/law/registry.js';
import { mplLossAt, type MplParams } from '../src/law/mpl/law.js';
import type { BlockPlan, Model } from '../src/law/types.js';
import { type FittedLaw, lawFromFit } from '../src/predict/fitted-law.js';
import { blockLengths, projectDrops } from '../src/predict/optimize/free-form.js';
import { optimizeSchedule } from '../src/predict/optimize/optimize.js';
import { bootstrapFit } from '../src/predict/uncertainty.js';
import { parseSchedule } from '../src/schedule/schedule.js';
import { FIXTURES, runCli } from './helpers/cli.js';
import { mplRun } from './helpers/mpl.js';

const dir = mkdtempSync(join(tmpdir(), 'losscast-optimize-'));
const MOMENTUM: Model = { law: 'momentum', params: { L0: 2.4, A: 0.6, alpha: 0.5, C: 0.55, lambda: 0.999 }, settings: {} };
const MPL: Model = { law: 'mpl', params: { L0: 2.5176, A: 0.66139, alpha: 0.41418, B: 756.65, C: 0.58681, beta: 0.28538, gamma: 0.63477 }, settings: { warmup: 'paper' } };

/** The per-step profile of a block plan with the given block LRs. */
function profileOf(plan: BlockPlan, lrs: ArrayLike<number>) {
  const segments: LrSegment[] = plan.warmup > 0 ? [{ from: 0, to: plan.warmup, lrAt: (t: number) => (plan.peak * t) / plan.warmup }] : [];
  let at = plan.warmup;
  plan.lengths.forEach((n, b) => {
    segments.push({ from: at, to: at + n, lr: lrs[b] });
    at += n;
  });
  return { profile: makeProfile(segments, { peak: plan.peak, warmupEnd: plan.warmupEnd ?? plan.warmup }), total: at };
}

/** Every step's LR stays in [0, peak] and never rises after warmup (the first step that breaks it is named). */
function expectValid(spec: string, peak: number, warmup: number) {
  const s = parseSchedule(spec);
  let previous = Infinity;
  let broken: string | undefined;
  for (let t = 0; t < s.total! && broken === undefined; t++) {
    const lr = s.lrAt(t);
    if (!(lr >= 0 && lr <= peak * (1 + 1e-12))) broken = `step ${t}: LR ${lr} outside [0, ${peak}]`;
    else if (t >= warmup && lr > previous) broken = `step ${t}: LR ${lr} rises above ${previous}`;
    if (t >= warmup) previous = lr;
  }
  expect(broken, spec).toBeUndefined();
}

describe('the block objectives are the prediction code, with an exact gradient', () => {
  for (const [model, variants] of [
    [MOMENTUM, [{}, { warmupAsPeak: true }]],
    [MPL, [{ warmup: 'paper' }, { warmup: 'released' }]],
  ] as const) {
    for (const settings of variants) {
      for (const warmupEnd of [undefined, 1998]) {
        it(`${model.law} ${JSON.stringify(settings)}, warmup ending at ${warmupEnd ?? 'the ramp\'s end'}`, () => {
          const m: Model = { ...model, settings };
          const plan: BlockPlan = { peak: 3e-4, warmup: 2000, lengths: Array.from({ length: 40 }, (_, i) => 300 + (i % 4)), ...(warmupEnd ? { warmupEnd } : {}) };
          // the last block above 0: at LR 0 the loss has a kink (the right derivative is the one the optimiser uses)
          const lrs = Float64Array.from({ length: 40 }, (_, b) => (b < 28 ? 3e-4 : 3e-4 * Math.max(0.01, 1 - (b - 27) / 12)));
          const objective = lawByName(m.law).blockObjective(m, plan);
          const gradient = new Float64Array(40);
          const value = objective(lrs, gradient);
          const { profile, total } = profileOf(plan, lrs);
          const exact = m.law === 'mpl' ? mplLossAt(m.params as unknown as MplParams, profile, [total], settings.warmup as 'paper', 0)[0] : lawByName(m.law).lossAt(m, profile, [total])[0];
          expect(value).toBeCloseTo(exact, 10);
          for (const b of [0, 5, 27, 28, 33, 39]) {
            const h = 1e-7 * 3e-4;
            const up = Float64Array.from(lrs);
            const down = Float64Array.from(lrs);
            up[b] += h;
            down[b] -= h;
            const numeric = (objective(up) - objective(down)) / (2 * h);
            expect(Math.abs(numeric - gradient[b])).toBeLessThan(1e-4 * Math.abs(numeric) + 1e-3);
          }
        });
      }
    }
  }
});

describe('the free-form search keeps its constraints', () => {
  it('projection onto {d ≥ 0, Σ d ≤ cap}', () => {
    const d = Float64Array.from([0.5, -0.2, 0.9, 0.3]);
    projectDrops(d, 1);
    expect(Math.min(...d)).toBeGreaterThanOrEqual(0);
    expect(d.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const small = Float64Array.from([0.1, -1, 0.2]);
    projectDrops(small, 1);
    expect(Array.from(small)).toEqual([0.1, 0, 0.2]);
  });

  it('blocks cover the steps after warmup exactly', () => {
    const lengths = blockLengths({ peak: 1, warmup: 100, total: 12345 }, 200);
    expect(lengths).toHaveLength(200);
    expect(lengths.reduce((a, b) => a + b, 0)).toBe(12245);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
  });
});

describe('a known optimum', () => {
  it('with C = 0 (annealing gains nothing) the best schedule is constant at the peak', () => {
    const law: FittedLaw = { model: { ...MOMENTUM, params: { ...MOMENTUM.params, C: 0 } }, peakLrs: [3e-4], warmups: [500], rmse: 0.002, notes: [] };
    const free = optimizeSchedule(law, { total: 20000, freeForm: true });
    expect(free.blocks!.lrs.every((lr) => lr === 3e-4)).toBe(true);
    expect(free.best.spec).toBe('constant:peak=3e-4,warmup=500,total=20000');
    const families = optimizeSchedule(law, { total: 20000 });
    for (const c of families.candidates) expectValid(c.spec, 3e-4, 500);
    // no decay helps: every family's best is as close to constant as its range allows, and no better
    expect(families.best.finalLoss).toBeGreaterThanOrEqual(free.best.finalLoss - 1e-12);
  });

  it('the momentum law (convex in the LRs) finds one sharp drop, as good as the best step schedule', () => {
    const law: FittedLaw = { model: MOMENTUM, peakLrs: [3e-4], warmups: [1000], rmse: 0.002, notes: [] };
    const r = optimizeSchedule(law, { total: 24000, families: ['step'], freeForm: true });
    const free = r.candidates.find((c) => c.found === 'free-form')!;
    const step = r.candidates.find((c) => c.found === 'step')!;
    expect(free.finalLoss).toBeLessThanOrEqual(step.finalLoss + 2e-4); // blocks of ~115 steps against any milestone
    for (const c of r.candidates) expectValid(c.spec, 3e-4, 1000);
    expect(r.warnings.map((w) => w.code)).toContain('zero-lr-padding'); // it drops to 0: the law credits steps at LR 0, said
  });
});

describe('the public 400M fit (train runs of the published protocol)', () => {
  it('Multi-Power Law, free-form: a WSD-like schedule, with its gain over a 20 % exponential WSD and its interval', async () => {
    const runs = await Promise.all(['cosine_24000', 'constant_24000', 'wsdcon_9'].map((n) => mplRun('400M', n)));
    const fit = fitLaw(runs, { model: 'mpl' });
    const law = lawFromFit(fit, runs, bootstrapFit(runs, fit, {}, { samples: 40 }));
    const baseline = 'wsd:peak=3e-4,warmup=2160,total=24000,decay=0.2,shape=exponential,final=3e-5';
    const r = optimizeSchedule(law, { total: 24000, freeForm: true, baseline });
    const { lengths, lrs } = r.blocks!;
    const peak = 3e-4;
    const atPeak = lengths.reduce((n, len, b) => n + (lrs[b] >= 0.95 * peak ? len : 0), 0) / (24000 - 2160);
    expect(atPeak).toBeGreaterThanOrEqual(0.75);
    expect(lrs[lrs.length - 1]).toBeLessThanOrEqual(0.1 * peak);
    expectValid(r.best.spec, peak, 2160);
    expect(r.baseline.spec).toBe(baseline);
    expect(r.gain.interval).not.toBeNull();
    expect(r.gain.interval!.lo).toBeLessThanOrEqual(r.gain.value);
    expect(r.gain.interval!.hi).toBeGreaterThanOrEqual(r.gain.value);
  });
});

describe('losscast optimize', () => {
  const COS = `${FIXTURES}mpl-400M/cosine_24000.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`;
  const CONST = `${FIXTURES}mpl-400M/constant_24000.csv@constant:peak=3e-4,warmup=2160,total=24000`;
  const TWO = `${FIXTURES}mpl-400M/wsdcon_9.csv@twostage:peak=3e-4,warmup=2160,total=16000,switch=8000,second=9e-5`;
  const params = join(dir, 'params.json');

  it('--family wsd: a decay length, shape and final LR that predict reproduces to 1e-9; the warmup comes from the fitted runs', () => {
    expect(runCli(['fit', COS, CONST, TWO, '--model', 'mpl', '--samples', '30', '-o', params]).code).toBe(0);
    const r = runCli(['optimize', '--params', params, '--total', '24000', '--family', 'wsd', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.found).toBe('wsd');
    expect(doc.best.schedule).toMatch(/^wsd:peak=3e-4,warmup=2160,total=24000,decay=\d+,shape=[a-z1-]+,final=[\d.e-]+$/);
    const predicted = JSON.parse(runCli(['predict', '--params', params, '--schedule', doc.best.schedule, '--json']).stdout);
    expect(Math.abs(predicted.finalLoss - doc.best.finalLoss)).toBeLessThan(1e-9);
    expect(doc.baseline.schedule).toBe('cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5');
    expect(doc.gain.value).toBeCloseTo(doc.baseline.finalLoss - doc.best.finalLoss, 12);
    expect(doc.gain.interval.lo).toBeLessThan(doc.gain.interval.hi);
  });

  it('--free-form -o FILE: a step,lr file that predict reads back to the same final loss; the text report describes the shape', () => {
    const file = join(dir, 'best.csv');
    const r = runCli(['optimize', '--params', params, '--total', '24000', '--free-form', '-o', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.found).toBe('free-form');
    expect(doc.file).toBe(file);
    const rows = readFileSync(file, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('step,lr');
    expect(rows).toHaveLength(24001);
    const fromFile = JSON.parse(runCli(['predict', '--params', params, '--schedule', `file:path=${file}`, '--json']).stdout);
    expect(Math.abs(fromFile.finalLoss - doc.best.finalLoss)).toBeLessThan(1e-9);
    const fromSpec = JSON.parse(runCli(['predict', '--params', params, '--schedule', doc.best.schedule, '--json']).stdout);
    expect(Math.abs(fromSpec.finalLoss - doc.best.finalLoss)).toBeLessThan(1e-9);
    const text = runCli(['optimize', '--params', params, '--total', '24000', '--free-form', '--no-chart']);
    expect(text.stdout).toMatch(/best {6}free-form on 200 blocks: \d+ %/);
    expect(text.stdout.replace(/\s+/g, ' ')).toMatch(/free-form on 200 blocks: \d+ % of the steps after warmup at peak, falling from step [\d,]+/);
    expect(text.stdout).toMatch(/gain {6}0\.\d{4} +\(90 % interval/);
  });

  it('--model both scores each optimum under the other law', () => {
    const r = runCli(['optimize', '--fit', COS, '--fit', CONST, '--fit', TWO, '--model', 'both', '--samples', '0', '--total', '24000', '--family', 'wsd,cosine', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.byModel.map((m: { model: string }) => m.model)).toEqual(['momentum-law', 'multi-power-law']);
    expect(doc.byModel[0].crossCheck.model).toBe('multi-power-law');
    expect(doc.byModel[1].crossCheck.model).toBe('momentum-law');
    expect(doc.gain.interval).toBeNull();
  });

  it('errors: no --total, a warmup as long as the run, an unknown family', () => {
    expect(runCli(['optimize', '--params', params]).stderr).toMatch(/--total STEPS is required/);
    const long = runCli(['optimize', '--params', params, '--total', '1000', '--warmup', '1000']);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/--warmup 1000 leaves no steps to schedule in --total 1000/);
    expect(runCli(['optimize', '--params', params, '--total', '1000', '--family', 'linear']).code).toBe(2);
  });
});
