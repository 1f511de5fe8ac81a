/** Intervals: resampling, calibration on a known law, shrinking with data, determinism, ties. */
import { describe, expect, it } from 'vitest';
import type { Curve } from '../src/core/curve.js';
import type { Run } from '../src/core/run.js';
import { blockResample, resampleRuns, seededRandom } from '../src/fit/resample.js';
import { prepareRun } from '../src/io/prepare-run.js';
import { momentumLossAt, type MomentumParams } from '../src/law/momentum/law.js';
import { fitLaw } from '../src/law/registry.js';
import { lawFromFit } from '../src/predict/fitted-law.js';
import { rankCandidates } from '../src/predict/rank.js';
import { bootstrapFit, normalQuantile, percentileInterval, predictionInterval, quantile } from '../src/predict/uncertainty.js';
import { parseSchedule, scheduleProfile } from '../src/schedule/schedule.js';
import { FIXTURES, runCli } from './helpers/cli.js';
import { MPL_SCHEDULES, mplRun } from './helpers/mpl.js';
import { gaussian, mulberry32 } from './helpers/random.js';

describe('resamples respect how logs are correlated', () => {
  it('a circular-block resample draws contiguous blocks (wrapping at the end) and keeps the number of points', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 50; trial++) {
      const counts = blockResample(100, random, 20);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(100);
      // every drawn point belongs to a stretch of at least one full block, read around the circle: no isolated single points
      const drawn = Array.from(counts, (c) => c > 0);
      if (drawn.every(Boolean)) continue;
      const first = drawn.indexOf(false); // start the walk at an undrawn point, so a stretch across the end stays whole
      let run = 0;
      const runs: number[] = [];
      for (let k = 1; k <= 100; k++) {
        if (drawn[(first + k) % 100]) run++;
        else if (run > 0) runs.push(run), (run = 0);
      }
      for (const length of runs) expect(length).toBeGreaterThanOrEqual(20);
    }
  });

  it('every point is drawn equally often (circular), where moving blocks starve the ends of a run', () => {
    const random = seededRandom(5);
    const circular = new Float64Array(50);
    const moving = new Float64Array(50);
    for (let trial = 0; trial < 4000; trial++) {
      blockResample(50, random, 10, 'circular').forEach((c, i) => (circular[i] += c));
      blockResample(50, random, 10, 'moving').forEach((c, i) => (moving[i] += c));
    }
    const mean = 4000; // each of 4000 resamples holds 50 points: 1 per point on average
    expect(circular[0] / mean).toBeCloseTo(1, 1);
    expect(circular[49] / mean).toBeCloseTo(1, 1);
    expect(circular[25] / mean).toBeCloseTo(1, 1);
    expect(moving[0] / mean).toBeLessThan(0.3); // the first point is only in blocks that start at it
    expect(moving[25] / mean).toBeGreaterThan(1.1);
  });

  it('draws whole runs with replacement from three runs on, and always keeps a needed run', () => {
    const random = seededRandom(9);
    let missingRun = 0;
    for (let trial = 0; trial < 200; trial++) {
      const r = resampleRuns([10, 10, 10], random, [false, false, true]);
      const totals = r.map((c) => c.reduce((a, b) => a + b, 0));
      expect(totals.reduce((a, b) => a + b, 0)).toBe(30); // three runs' worth of points
      expect(totals.every((t) => t % 10 === 0)).toBe(true); // each drawn run brings all its points' worth
      expect(totals[2]).toBeGreaterThan(0); // the annealing run is in every resample
      if (totals.includes(0)) missingRun++;
    }
    expect(missingRun).toBeGreaterThan(50); // runs really are resampled
    // with two runs, both are always there (blocks only)
    const two = resampleRuns([10, 10], random);
    expect(two.map((c) => c.reduce((a, b) => a + b, 0))).toEqual([10, 10]);
  });

  it('quantiles, percentile and prediction intervals', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentileInterval([5, 1, 3, 2, 4], 0.5)).toEqual({ lo: 2, hi: 4 });
    expect(normalQuantile(0.95)).toBeCloseTo(1.6449, 4);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    // the noise floor widens both sides in quadrature
    const i = predictionInterval(3, [2.99, 3, 3.01], 0.9, 0.002);
    expect(i.hi - 3).toBeCloseTo(Math.hypot(0.009, 1.6449 * 0.002), 4);
    expect(predictionInterval(3, [3, 3, 3], 0.9, 0)).toEqual({ lo: 3, hi: 3 });
  });
});

const TRUTH: MomentumParams = { L0: 2.4, A: 0.6, alpha: 0.5, C: 0.55, lambda: 0.999 };

/** A run of the momentum law with multiplicative noise, logged every `every` steps. */
function simulated(spec: string, every: number, noise: number, seed: number): Run {
  const schedule = parseSchedule(spec);
  const total = schedule.total!;
  const steps: number[] = [];
  for (let s = every; s <= total; s += every) steps.push(s);
  const clean = momentumLossAt(TRUTH, scheduleProfile(schedule, total), steps);
  const normal = gaussian(mulberry32(seed));
  const values = Array.from(clean, (y) => y * (1 + noise * normal()));
  const curve: Curve = { source: spec, format: 'synthetic', train: { steps, values }, eval: null, lr: null, columns: {}, skipped: [], warnings: [] };
  return prepareRun({ curve, schedule, label: spec.split(':')[0] });
}

const SPECS = [
  'cosine:peak=3e-4,warmup=1000,total=20000,final=3e-5',
  'constant:peak=3e-4,warmup=1000,total=20000',
  'wsd:peak=3e-4,warmup=1000,total=20000,decay=0.2,final=3e-5',
  'step:peak=3e-4,warmup=1000,total=20000,milestones=0.6,factors=0.3',
];
const TARGET = parseSchedule('wsd:peak=3e-4,warmup=1000,total=40000,decay=0.1,final=3e-5');

/** The 90 % interval (no noise floor) of the target's final loss from a fit of `runs` by the right law (so the law's own error is left out: these tests check the bootstrap). */
function targetInterval(runs: Run[]) {
  const fit = fitLaw(runs, { model: 'momentum' });
  const law = { ...lawFromFit(fit, runs, bootstrapFit(runs, fit, {}, { samples: 100, noiseFloor: 0 })), withoutLawError: true };
  return rankCandidates(law, [{ name: 'target', spec: TARGET.text }]).ranking[0].interval!;
}

describe('intervals of a known law', () => {
  it('cover the truth in about the nominal share of repeated draws (calibration, fixed seeds)', () => {
    const truth = momentumLossAt(TRUTH, scheduleProfile(TARGET, 40000), [40000])[0];
    let covered = 0;
    const draws = 20;
    for (let d = 0; d < draws; d++) {
      const runs = SPECS.slice(0, 3).map((spec, k) => simulated(spec, 200, 0.003, 1000 * d + k));
      const i = targetInterval(runs);
      if (truth >= i.lo && truth <= i.hi) covered++;
    }
    // nominal 90 %: with 20 draws, 15 or more covered is within sampling error (binomial 1st percentile ≈ 15);
    // the intervals are conservative when the law is right (100 of 100 draws in a longer run, docs/accuracy.md)
    expect(covered / draws).toBeGreaterThanOrEqual(0.75);
  });

  it('cover a noisy observation of the held-out run about as often as they say, and are not padded', () => {
    // the target run observed with the same noise as the fitted ones: a prediction interval is about this
    const observed = (d: number) => simulated(TARGET.text, 200, 0.003, 777 + d).loss.at(-1)!;
    let covered = 0;
    let coveredAtHalfWidth = 0;
    const draws = 30;
    for (let d = 0; d < draws; d++) {
      const runs = SPECS.slice(0, 3).map((spec, k) => simulated(spec, 200, 0.003, 5000 + 1000 * d + k));
      const i = targetInterval(runs);
      const y = observed(d);
      if (y >= i.lo && y <= i.hi) covered++;
      const mid = (i.lo + i.hi) / 2;
      const half = (i.hi - i.lo) / 4;
      if (y >= mid - half && y <= mid + half) coveredAtHalfWidth++;
    }
    // nominal 90 %: 24 or more of 30 is within sampling error; an interval twice as wide as needed
    // would still cover almost every draw at half its width (≈ 29 of 30 instead of ≈ 17 at nominal)
    expect(covered).toBeGreaterThanOrEqual(24);
    expect(coveredAtHalfWidth).toBeLessThan(28);
  });

  it('the refits spread less when the runs are logged more densely (more points, same noise)', () => {
    // the spread of the refitted laws alone (no scatter, no floor): what more data should narrow
    const spread = (runs: Run[]) => {
      const fit = fitLaw(runs, { model: 'momentum' });
      const u = bootstrapFit(runs, fit, {}, { samples: 100, noiseFloor: 0 });
      const i = rankCandidates({ ...lawFromFit(fit, runs, { ...u, scatter: 0 }), withoutLawError: true }, [{ name: 'target', spec: TARGET.text }]).ranking[0].interval!;
      return i.hi - i.lo;
    };
    const sparse = spread(SPECS.slice(0, 3).map((spec, k) => simulated(spec, 800, 0.003, 50 + k)));
    const dense = spread(SPECS.slice(0, 3).map((spec, k) => simulated(spec, 50, 0.003, 50 + k)));
    expect(dense).toBeLessThan(sparse);
  });
});

describe('intervals in the CLI', () => {
  const train = ['cosine_24000', 'constant_24000', 'wsdcon_9'].map((n) => `${FIXTURES}mpl-400M/${n}.csv@${MPL_SCHEDULES[n]}`);

  it('the same seed gives byte-identical JSON; another seed gives other intervals', () => {
    const args = ['fit', ...train, '--model', 'momentum', '--json', '--samples', '50'];
    const a = runCli(args);
    const b = runCli(args);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const doc = JSON.parse(a.stdout);
    expect(doc.bootstrap).toMatchObject({ samples: 50, seed: 1, level: 0.9, noiseFloor: 0.002, method: 'runs+blocks' });
    expect(doc.bootstrap.params).toHaveLength(50);
    for (const [name, value] of Object.entries(doc.params) as [string, number][]) {
      if (name === 'lambda') continue;
      expect(doc.intervals[name].lo).toBeLessThanOrEqual(value);
      expect(doc.intervals[name].hi).toBeGreaterThanOrEqual(value);
    }
    const other = JSON.parse(runCli([...args, '--seed', '2']).stdout);
    expect(other.intervals.alpha).not.toEqual(doc.intervals.alpha);
    expect(JSON.parse(runCli(['fit', ...train, '--model', 'momentum', '--json', '--samples', '0']).stdout)).toMatchObject({ intervals: null, bootstrap: null });
  });

  it('predict draws a band and gives lo/hi in JSON, from a fit or from a saved params file', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const params = join(mkdtempSync(join(tmpdir(), 'losscast-band-')), 'p.json');
    expect(runCli(['fit', ...train, '--samples', '60', '-o', params, '--json']).code).toBe(0);
    const schedule = 'wsd:peak=3e-4,warmup=2160,total=48000,decay=0.2,final=3e-5';
    const doc = JSON.parse(runCli(['predict', '--params', params, '--schedule', schedule, '--at', '24000', '--json']).stdout);
    expect(doc.level).toBe(0.9);
    expect(doc.interval.lo).toBeLessThan(doc.finalLoss);
    expect(doc.interval.hi).toBeGreaterThan(doc.finalLoss);
    expect(doc.at[0].lo).toBeLessThan(doc.at[0].loss);
    expect(doc.band.at(-1)).toEqual({ step: 48000, lo: doc.interval.lo, hi: doc.interval.hi });
    // --level 0.5 narrows it (same refits, read from the file)
    const half = JSON.parse(runCli(['predict', '--params', params, '--schedule', schedule, '--json', '--level', '0.5']).stdout);
    expect(half.interval.hi - half.interval.lo).toBeLessThan(doc.interval.hi - doc.interval.lo);
    const text = runCli(['predict', '--params', params, '--schedule', schedule]).stdout;
    expect(text).toMatch(/final loss at step 48,000: \d\.(\d{2,5}) +\(90 % interval \d\.\d{2,5}–\d\.\d{2,5}\)/); // as many decimals as the interval supports
    expect(text).toMatch(/90 % band, upper/);
  });

  it('check --expect-best passes on a tie decided by the intervals', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const ranking = join(mkdtempSync(join(tmpdir(), 'losscast-tie-')), 'r.json');
    const r = runCli(['compare', ...train.flatMap((t) => ['--fit', t]), '--model', 'mpl', '--samples', '100', '--schedule', MPL_SCHEDULES.wsd_20000_24000, '--schedule', MPL_SCHEDULES.wsdld_20000_24000, '--json']);
    writeFileSync(ranking, r.stdout);
    const doc = JSON.parse(r.stdout);
    const second = doc.ranking[1];
    expect(second.tie).toBe(true);
    expect(runCli(['check', '--expect-best', second.name, ranking]).code).toBe(0);
    expect(runCli(['check', '--expect-best', second.name, '--strict', ranking]).code).toBe(3);
  });
});

describe('ties that mean something on the public curves', () => {
  // observed finals: WSD exponential vs linear cooldown (same length) 0.001–0.003 apart; cosine 0.017–0.028 above them
  for (const size of ['25M', '100M', '400M'] as const) {
    // the default law: with its own error counted, the Multi-Power Law alone calls cosine a marginal tie at 25M (its error is the larger)
    it(`${size}: the two WSD cooldowns are a tie, cosine is not (the default law fitted on the protocol's train runs)`, async () => {
      const runs = await Promise.all(['cosine_24000', 'constant_24000', 'wsdcon_9'].map((n) => mplRun(size, n)));
      const fit = fitLaw(runs);
      const law = lawFromFit(fit, runs, bootstrapFit(runs, fit, {}, { samples: 120 }));
      const ranked = rankCandidates(law, ['wsd_20000_24000', 'wsdld_20000_24000', 'cosine_24000'].map((n) => ({ name: n, spec: MPL_SCHEDULES[n] })));
      const byName = Object.fromEntries(ranked.ranking.map((r) => [r.name, r]));
      expect(ranked.ranking[2].name).toBe('cosine_24000');
      // the predicted best is not a tie with itself; the other cooldown is a tie with it
      expect(ranked.ranking[0].tie).toBe(false);
      expect(ranked.ranking[1].tie).toBe(true);
      expect(byName.cosine_24000.tie).toBe(false);
      expect(byName.cosine_24000.gapInterval!.lo).toBeGreaterThan(0);
      const pBest = ranked.ranking.reduce((s, r) => s + r.pBest!, 0);
      expect(pBest).toBeCloseTo(1, 12);
    }, 60_000);
  }
});

describe('the bootstrap on several cores', () => {
  it('gives the same refits as the bootstrap in one thread, byte for byte, for both laws', async () => {
    // the compiled library (npm test builds it first): worker threads run compiled JavaScript;
    // probeMs 0 and minParallelMs 0 send all refits but the first to the workers
    const lib = await import('../dist/index.js');
    const runs = await Promise.all(['cosine_24000', 'constant_24000', 'wsdcon_9'].map((n) => mplRun('400M', n)));
    for (const [model, samples] of [['momentum', 24], ['mpl', 12]] as const) {
      const fit = lib.fitLaw(runs, { model });
      const one = lib.bootstrapFit(runs, fit, {}, { samples, seed: 7 });
      const seen: number[] = [];
      const many = await lib.bootstrapFitParallel(runs, fit, {}, { samples, seed: 7, threads: 2, minParallelMs: 0, probeMs: 0 }, (done) => seen.push(done));
      expect(JSON.stringify(many)).toBe(JSON.stringify(one));
      expect(seen.at(-1)).toBe(samples); // progress reaches the end
      expect(new Set(one.models.map((m) => JSON.stringify(m.params))).size).toBeGreaterThan(samples / 2); // distinct refits, not one copied
    }
  });
});
