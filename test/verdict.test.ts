/** Verdicts that carry the law's own error: stacking, the law-error model, joint draws, limits, the mixture law. */
import { describe, expect, it } from 'vitest';
import type { Curve } from '../src/core/curve.js';
import type { Run } from '../src/core/run.js';
import { prepareRun } from '../src/io/prepare-run.js';
import { scoreFold, stackingWeight, weightDraws } from '../src/law/mixture/stacking.js';
import { evidenceFolds } from '../src/law/mixture/folds.js';
import { mixtureLaw } from '../src/law/mixture/index.js';
import { memberModel } from '../src/law/mixture/members.js';
import { momentumLossAt, type MomentumParams } from '../src/law/momentum/law.js';
import { mplLossAt, type MplParams } from '../src/law/mpl/law.js';
import { fitLaw, lawByName } from '../src/law/registry.js';
import { lawFromFit } from '../src/predict/fitted-law.js';
import { rankCandidates } from '../src/predict/rank.js';
import { bootstrapFit } from '../src/predict/uncertainty.js';
import { parseSchedule, scheduleProfile } from '../src/schedule/schedule.js';
import { shapeDistance, shapeOf } from '../src/verdict/distance.js';
import { jointDraws, winShares } from '../src/verdict/draws.js';
import { CALIBRATED_LENGTH_RATIO, LAW_ERROR, lawErrorScale, SEEN_DISTANCE } from '../src/verdict/law-error.js';
import { rankingLimits } from '../src/verdict/limits.js';
import { gaussian, mulberry32 } from './helpers/random.js';

const profileOf = (spec: string) => {
  const s = parseSchedule(spec);
  return scheduleProfile(s, s.total!);
};

/** A run of `spec` whose loss is `truth` along it (every `every` steps), with relative noise. */
function synthetic(spec: string, truth: (steps: number[]) => ArrayLike<number>, seed: number, every = 200, noise = 0.002): Run {
  const schedule = parseSchedule(spec);
  const steps: number[] = [];
  for (let s = every; s <= schedule.total!; s += every) steps.push(s);
  const normal = gaussian(mulberry32(seed));
  const values = Array.from(truth(steps), (y) => y * (1 + noise * normal()));
  const curve: Curve = { source: spec, format: 'synthetic', train: { steps, values }, eval: null, lr: null, columns: {}, skipped: [], warnings: [] };
  return prepareRun({ curve, schedule, label: spec.split(':')[0] + schedule.total });
}

describe('stacking on held-out folds', () => {
  it('finds the convex weight that cancels opposite errors, and clamps to [0, 1]', () => {
    const rand = mulberry32(4);
    for (let trial = 0; trial < 20; trial++) {
      const a = 0.5 + rand();
      const b = 0.5 + rand();
      const t = Array.from({ length: 30 }, () => rand() - 0.2);
      // first law errs by a·t, second by −b·t: w·a − (1 − w)·b = 0 at w = b/(a + b)
      const fold = scoreFold('tail', 'x', t.map((v) => a * v), t.map((v) => -b * v));
      expect(stackingWeight([fold])).toBeCloseTo(b / (a + b), 10);
    }
    // same-sign errors: the better law takes all the weight
    expect(stackingWeight([scoreFold('tail', 'x', [0.01, 0.02], [0.03, 0.05])])).toBe(1);
    expect(stackingWeight([scoreFold('tail', 'x', [0.03, 0.05], [0.01, 0.02])])).toBe(0);
    expect(stackingWeight([])).toBe(0.5);
  });

  it('draws the weight by reweighting the folds: seeded, in [0, 1], centred on the evidence; uniform without it', () => {
    const folds = [scoreFold('tail', 'a', [0.01, 0.02], [-0.01, -0.02]), scoreFold('tail', 'b', [0.02, 0.01], [-0.005, -0.01]), scoreFold('leave-one-out', 'c', [0.004], [-0.012])];
    const draws = weightDraws(folds, 400, 7);
    expect(Array.from(draws)).toEqual(Array.from(weightDraws(folds, 400, 7)));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThanOrEqual(1);
    const mean = draws.reduce((x, y) => x + y, 0) / draws.length;
    expect(Math.abs(mean - stackingWeight(folds))).toBeLessThan(0.1);
    const none = weightDraws([], 2000, 3);
    expect(none.reduce((x, y) => x + y, 0) / none.length).toBeCloseTo(0.5, 1);
  });

  it('makes folds only where the rest still anneals, and tails of annealing runs', () => {
    const flat = (steps: number[]) => steps.map((s) => 3 + 10 / Math.sqrt(s));
    const constant = synthetic('constant:peak=1e-3,warmup=100,total=10000', flat, 1);
    const cosine = synthetic('cosine:peak=1e-3,warmup=100,total=10000,final=1e-4', flat, 2);
    const folds = evidenceFolds([constant, cosine]);
    // leaving the cosine out would leave a constant run alone (no anneal): no such fold
    expect(folds.map((f) => f.label)).toEqual(['constant10000 held out', expect.stringMatching(/^cosine10000 after step/), expect.stringMatching(/^cosine10000 after step/)]);
    for (const f of folds.filter((x) => x.kind === 'tail')) {
      const cut = f.train.find((r) => r.label === 'cosine10000')!;
      expect(cut.steps.at(-1)!).toBeLessThan(f.steps[0]); // the tail scored is after the cut
    }
    expect(evidenceFolds([constant])).toEqual([]);
  });
});

describe('the law-error model', () => {
  it('is zero for a schedule the fit has seen, the calibrated size for an unseen one, and grows beyond the calibrated horizon', () => {
    expect(lawErrorScale('auto', 3, 0, 1)).toBe(0);
    expect(lawErrorScale('auto', 3, SEEN_DISTANCE / 2, 1)).toBeCloseTo(0.5 * LAW_ERROR.auto.relative * 3, 12);
    expect(lawErrorScale('auto', 3, 1, 1)).toBeCloseTo(LAW_ERROR.auto.relative * 3, 12);
    expect(lawErrorScale('auto', 3, 1, CALIBRATED_LENGTH_RATIO)).toBeCloseTo(LAW_ERROR.auto.relative * 3, 12);
    expect(lawErrorScale('auto', 3, 1, 10 * CALIBRATED_LENGTH_RATIO)).toBeCloseTo(LAW_ERROR.auto.relative * 3 * (1 + Math.log(10)), 12);
  });

  it('measures distance step by step (a WSD run before its cooldown is the constant run) and on relative time (a longer cosine)', () => {
    const wsd = profileOf('wsd:peak=1e-3,warmup=300,total=20000,decay=0.2');
    const constant = shapeOf(profileOf('constant:peak=1e-3,warmup=300,total=40000'));
    expect(shapeDistance(shapeOf(wsd, 15000), constant)).toBeLessThan(1e-9);
    expect(shapeDistance(shapeOf(wsd), constant)).toBeGreaterThan(0.2);
    const short = shapeOf(profileOf('cosine:peak=1e-3,warmup=0,total=10000'));
    const long = shapeOf(profileOf('cosine:peak=1e-3,warmup=0,total=20000'));
    expect(shapeDistance(long, short)).toBeCloseTo(Math.log(2), 2);
    // another peak LR is further away
    expect(shapeDistance(shapeOf(profileOf('cosine:peak=2e-3,warmup=0,total=10000')), short)).toBeCloseTo(Math.log(2), 6);
  });
});

describe('joint draws', () => {
  it('share the law error between correlated candidates, and P(best) sums to 1', () => {
    const base = (v: number) => new Float64Array(50).fill(v);
    const common = (correlation: number) =>
      jointDraws({ samples: [base(3.0), base(3.001)], sigma: [0.01, 0.01], correlation: () => correlation, shared: correlation, gainSpread: [0, 0], noiseFloor: 0, seed: 3, repeats: 40 });
    const [a, b] = common(1);
    // fully shared error: the order never changes
    expect(a.every((v, k) => v < b[k])).toBe(true);
    expect(winShares([a, b])).toEqual([1, 0]);
    const [c, d] = common(0);
    const shares = winShares([c, d]);
    expect(shares[0]).toBeGreaterThan(0.4);
    expect(shares[0]).toBeLessThan(0.7);
    expect(shares[0] + shares[1]).toBeCloseTo(1, 12);
  });
});

describe('limits of the laws', () => {
  it('candidates that differ only in warmup are beyond ranking unless the fitted runs differ in warmup', () => {
    const candidates = ['cosine:peak=1e-3,warmup=500,total=20000', 'cosine:peak=1e-3,warmup=2000,total=20000', 'wsd:peak=1e-3,warmup=500,total=20000,decay=0.2'].map((spec) => ({ schedule: parseSchedule(spec), anneals: true }));
    expect(rankingLimits(candidates, { warmups: [500, 500], annealUnknown: false })).toEqual(['warmup-only', 'warmup-only', undefined]);
    expect(rankingLimits(candidates, { warmups: [500, 2000], annealUnknown: false })).toEqual([undefined, undefined, undefined]);
    expect(rankingLimits(candidates, { warmups: [500], annealUnknown: true })).toEqual(['annealing-unknown', 'annealing-unknown', 'annealing-unknown']);
  });
});

describe('the stacked mixture law', () => {
  const momentum: MomentumParams = { L0: 2.6, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 };
  const mpl: MplParams = { L0: 2.6, A: 0.65, alpha: 0.45, B: 500, C: 2, beta: 0.5, gamma: 0.6 };

  it('predicts the weighted average of its members, and its block objective has the gradient of that average', () => {
    const model = { law: 'auto' as const, params: { weight: 0.3, ...Object.fromEntries(Object.entries(momentum).map(([k, v]) => [`momentum.${k}`, v])), ...Object.fromEntries(Object.entries(mpl).map(([k, v]) => [`mpl.${k}`, v])) }, settings: {} };
    const profile = profileOf('wsd:peak=3e-4,warmup=1000,total=20000,decay=0.3');
    const steps = [5000, 15000, 20000];
    const m = momentumLossAt(momentum, profile, steps);
    const p = mplLossAt(mpl, profile, steps);
    const mixed = mixtureLaw.lossAt(model, profile, steps);
    steps.forEach((_, i) => expect(mixed[i]).toBeCloseTo(0.3 * m[i] + 0.7 * p[i], 10));
    expect(memberModel(model, 1).params).toEqual(mpl);
    const plan = { peak: 3e-4, warmup: 1000, lengths: [8000, 6000, 5000] };
    const f = mixtureLaw.blockObjective(model, plan);
    const lrs = [3e-4, 2e-4, 5e-5];
    const gradient = new Float64Array(3);
    f(lrs, gradient);
    for (let k = 0; k < 3; k++) {
      const h = 1e-9;
      const up = [...lrs];
      up[k] += h;
      const down = [...lrs];
      down[k] -= h;
      expect(gradient[k]).toBeCloseTo((f(up) - f(down)) / (2 * h), 2);
    }
  });

  it('is the default, fits both laws, and weighs the law that predicts the held-out tail better', () => {
    // truth: the Multi-Power Law; the mixture should lean on it
    const truth = (spec: string) => (steps: number[]) => mplLossAt(mpl, profileOf(spec), steps);
    const specs = ['constant:peak=3e-4,warmup=1000,total=20000', 'cosine:peak=3e-4,warmup=1000,total=20000,final=3e-5', 'wsd:peak=3e-4,warmup=1000,total=16000,decay=0.25,final=3e-5'];
    const runs = specs.map((s, i) => synthetic(s, truth(s), 10 + i, 200, 0.0005));
    const fit = fitLaw(runs);
    expect(fit.model.law).toBe('auto');
    expect(fit.members?.map((m) => m.model.law)).toEqual(['momentum', 'mpl']);
    expect(fit.model.settings.stacking!.length).toBeGreaterThan(0);
    expect(fit.model.params.weight).toBeLessThan(0.5);
    expect(lawByName('auto').params[0].name).toBe('weight');
  }, 60_000);
});

describe('intervals that include the law error', () => {
  it('widen where the law is wrong: a misspecified law fitted to MPL-shaped runs covers an unseen cooldown only with its own error', () => {
    // the truth answers LR drops as the Multi-Power Law does; only the momentum law is fitted
    const mpl: MplParams = { L0: 2.7, A: 0.7, alpha: 0.45, B: 900, C: 0.5, beta: 0.6, gamma: 0.5 };
    const truth = (spec: string) => (steps: number[]) => mplLossAt(mpl, profileOf(spec), steps);
    const specs = ['constant:peak=3e-4,warmup=1000,total=24000', 'cosine:peak=3e-4,warmup=1000,total=24000,final=3e-5'];
    const runs = specs.map((s, i) => synthetic(s, truth(s), 20 + i, 200, 0.001));
    const fit = fitLaw(runs, { model: 'momentum' });
    const u = bootstrapFit(runs, fit, {}, { samples: 60 });
    const target = 'wsd:peak=3e-4,warmup=1000,total=24000,decay=0.1,final=0';
    const exact = mplLossAt(mpl, profileOf(target), [24000])[0];
    const interval = (withoutLawError: boolean) => rankCandidates({ ...lawFromFit(fit, runs, u), withoutLawError }, [{ name: 't', spec: target }]).ranking[0].interval!;
    const narrow = interval(true);
    const honest = interval(false);
    expect(honest.hi - honest.lo).toBeGreaterThan(1.5 * (narrow.hi - narrow.lo));
    expect(exact).toBeGreaterThanOrEqual(honest.lo);
    expect(exact).toBeLessThanOrEqual(honest.hi);
    // a fitted schedule is not an unseen one: its interval stays narrow
    const seen = rankCandidates(lawFromFit(fit, runs, u), [{ name: 'c', spec: specs[1] }]).ranking[0].interval!;
    expect(seen.hi - seen.lo).toBeLessThan(honest.hi - honest.lo);
  }, 60_000);

  it('no fitted run anneals: a cooldown gets a wide interval reaching below the no-anneal prediction, and cooldowns are not ranked', () => {
    const momentum: MomentumParams = { L0: 2.9, A: 1.2, alpha: 0.6, C: 0.125, lambda: 0.999 };
    const truth = (spec: string) => (steps: number[]) => momentumLossAt(momentum, profileOf(spec), steps);
    const constant = 'constant:peak=2e-3,warmup=300,total=30000';
    const runs = [synthetic(constant, truth(constant), 5, 200, 0.001)];
    const fit = fitLaw(runs, { model: 'momentum' });
    const law = lawFromFit(fit, runs, bootstrapFit(runs, fit, {}, { samples: 40 }));
    const cooldowns = ['wsd:peak=2e-3,warmup=300,total=50000,decay=0.2', 'wsd:peak=2e-3,warmup=300,total=50000,decay=0.4'];
    const ranked = rankCandidates(law, cooldowns.map((spec, i) => ({ name: `c${i}`, spec }))).ranking;
    const exact = momentumLossAt(momentum, profileOf(cooldowns[0]), [50000])[0];
    const first = ranked.find((r) => r.name === 'c0')!;
    expect(exact).toBeGreaterThanOrEqual(first.interval!.lo);
    expect(first.interval!.hi - first.interval!.lo).toBeGreaterThan(0.1);
    expect(ranked.every((r) => r.limit === 'annealing-unknown')).toBe(true);
    expect(ranked[1].tie).toBe(true);
  }, 60_000);
});

describe('the mixture bootstrap', () => {
  it('carries one resample over to a member that keeps fewer points of the same runs: drawn runs and blocks stay drawn', async () => {
    const { carryResample } = await import('../src/law/mixture/fit.js');
    const resample = [Int32Array.from([2, 2, 0, 0, 1, 1, 0, 0, 3, 3]), new Int32Array(10)];
    const carried = carryResample(resample, [5, 4]);
    expect(Array.from(carried[0])).toEqual([2, 0, 1, 0, 3]);
    expect(Array.from(carried[1])).toEqual([0, 0, 0, 0]); // a run left out stays out
    expect(carryResample(resample, [10, 10])[0]).toBe(resample[0]);
  });

  it('refits both laws on many runs whose members keep different numbers of points (a 9-run fit)', { timeout: 120_000 }, async () => {
    const { mplRun } = await import('./helpers/mpl.js');
    const names = ['constant_24000', 'constant_72000', 'cosine_24000', 'cosine_72000', 'wsd_20000_24000', 'wsdld_20000_24000', 'wsdcon_3', 'wsdcon_9', 'wsdcon_18'];
    const runs = await Promise.all(names.map((n) => mplRun('25M', n)));
    const fit = fitLaw(runs);
    const u = bootstrapFit(runs, fit, {}, { samples: 4 });
    expect(u.models).toHaveLength(4);
    for (const m of u.models) expect(m.params['momentum.L0']).toBeGreaterThan(0);
  });
});

describe('a candidate whose warmup no fitted run had', () => {
  it('is warned about (both laws count warmup only as LR area lost), not shifted silently', async () => {
    const { unseenWarmupWarning } = await import('../src/verdict/limits.js');
    expect(unseenWarmupWarning(parseSchedule('cosine:peak=3e-4,total=24000'), [2160, 2160]).map((w) => w.code)).toEqual(['warmup-unseen']);
    expect(unseenWarmupWarning(parseSchedule('cosine:peak=3e-4,warmup=2160,total=24000'), [2160])).toEqual([]);
    const { runCli, FIXTURES } = await import('./helpers/cli.js');
    const r = runCli(['compare', '--fit', `${FIXTURES}mpl-400M/cosine_24000.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`, '--model', 'momentum', '--samples', '0', '--schedule', 'cosine:peak=3e-4,total=24000,final=3e-5', '--schedule', 'cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5', '--json']);
    const doc = JSON.parse(r.stdout);
    const noWarmup = doc.ranking.find((c: { schedule: string }) => !c.schedule.includes('warmup'));
    expect(doc.warnings.map((w: { code: string }) => w.code)).toContain('warmup-unseen');
    // the two differ only in warmup, which the fit never varied: a tie with that reason
    expect(doc.ranking.map((c: { limit: string | null }) => c.limit)).toEqual(['warmup-only', 'warmup-only']);
    expect(doc.ranking[1].tie).toBe(true);
    expect(noWarmup).toBeDefined();
  });
});
