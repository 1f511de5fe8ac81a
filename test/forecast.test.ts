/** losscast forecast: a run in progress under its planned schedule, bad input, and --watch on a growing log. */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../src/io/read-log.js';
import { prepareRun } from '../src/io/prepare-run.js';
import { backtestInflation, backtests, checkForecastInput } from '../src/forecast/forecast.js';
import { cutRun } from '../src/law/mixture/folds.js';
import { parseSchedule } from '../src/schedule/schedule.js';
import { FIXTURES, ROOT, runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'losscast-forecast-'));
const SWEEP = `${FIXTURES}lr-sweep-124m/`;
const WSD = 'wsd:peak=2e-3,warmup=300,total=50000,decay=0.2,shape=linear,final=0';
const COSINE = 'cosine:peak=2e-3,warmup=300,total=50000,final=0.0002';

describe('losscast forecast', () => {
  it('forecasts the end of a run from its first part, with an interval, --at steps and backtests (JSON shaped like predict)', { timeout: 120_000 }, () => {
    const r = runCli(['forecast', `${SWEEP}cosine-10pct_50000.val.csv@${COSINE}`, '--to-step', '30000', '--from-step', '1000', '--at', '40000,49800', '--samples', '30', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ command: 'forecast', total: 50000, loggedTo: 30000, level: 0.9 });
    expect(doc.interval.lo).toBeLessThan(doc.finalLoss);
    expect(doc.interval.hi).toBeGreaterThan(doc.finalLoss);
    expect(doc.at.map((a: { step: number }) => a.step)).toEqual([40000, 49800]);
    expect(doc.backtests).toHaveLength(2);
    for (const b of doc.backtests) {
      expect(b.to).toBe(30000);
      expect(b.from).toBeLessThan(30000);
      expect(b.error).toBeCloseTo(b.predicted - b.observed, 12);
    }
    expect(doc.lawErrorInflation).toBeGreaterThanOrEqual(1);
    const text = runCli(['forecast', `${SWEEP}cosine-10pct_50000.val.csv@${COSINE}`, '--to-step', '30000', '--from-step', '1000', '--samples', '20', '--model', 'momentum']);
    expect(text.stdout).toMatch(/Forecast of cosine-10pct_50000\.val: step 30,000 of 50,000 \(60 %\)/);
    expect(text.stdout).toMatch(/the forecast from step [\d,]+ was off by [−+]0\.\d{4} at step 30,000/);
  });

  it('before any decay, the unseen annealing gain widens the interval and moves the forecast down (it is not held at 0)', { timeout: 120_000 }, () => {
    const doc = JSON.parse(runCli(['forecast', `${SWEEP}wsd-linear-0.2_50000.val.csv@${WSD}`, '--to-step', '30000', '--from-step', '1000', '--samples', '20', '--model', 'momentum', '--json']).stdout);
    const flat = JSON.parse(runCli(['predict', '--fit', `${SWEEP}wsd-linear-0.2_50000.val.csv@${WSD}`, '--to-step', '30000', '--from-step', '1000', '--samples', '20', '--model', 'momentum', '--schedule', 'constant:peak=2e-3,warmup=300,total=50000', '--json']).stdout);
    expect(doc.warnings.map((w: { code: string }) => w.code)).toContain('c-not-identifiable');
    expect(doc.finalLoss).toBeLessThan(flat.finalLoss - 0.05); // the planned decay is credited
    expect(doc.interval.hi - doc.interval.lo).toBeGreaterThan(0.1); // but how much is not known
    // the run's own logged validation loss at its end lies inside
    const row = readFileSync(`${SWEEP}wsd-linear-0.2_50000.val.csv`, 'utf8').split('\n').find((l) => l.startsWith('49800,'))!;
    const observed = Number(row.split(',')[2]);
    expect(observed).toBeGreaterThan(doc.interval.lo);
    expect(observed).toBeLessThan(doc.interval.hi);
  });

  it('bad input: a log past the planned total, an LR that contradicts the plan, no points after warmup, no total', async () => {
    const past = runCli(['forecast', `${SWEEP}constant_50000.val.csv@constant:peak=2e-3,warmup=300,total=20000`]);
    expect(past).toMatchObject({ code: 1, stderr: expect.stringMatching(/has loss up to step 49800 but the schedule .* ends at total=20000/) });
    const contradicts = runCli(['forecast', `${SWEEP}constant_50000.val.csv@cosine:peak=2e-3,warmup=300,total=60000`]);
    expect(contradicts.code).toBe(1);
    expect(contradicts.stderr).toMatch(/the planned schedule contradicts the logged LR/);
    writeFileSync(join(dir, 'early.csv'), 'step,loss\n10,9\n20,8.5\n30,8\n');
    expect(runCli(['forecast', `${join(dir, 'early.csv')}@cosine:peak=1e-3,warmup=1000,total=10000`])).toMatchObject({ code: 1, stderr: expect.stringMatching(/0 point\(s\) from step 1,000 \(the end of the planned warmup, or --from-step\) on: too few to forecast/) });
    expect(runCli(['forecast', `${SWEEP}constant_50000.val.csv@constant:peak=2e-3,warmup=300`])).toMatchObject({ code: 1, stderr: expect.stringMatching(/has no total/) });
    for (const r of [past, contradicts]) expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // the library checks the same
    const run = prepareRun({ curve: await readLog(`${SWEEP}constant_50000.val.csv`), schedule: parseSchedule('constant:peak=2e-3,warmup=300,total=50000') });
    expect(() => checkForecastInput(cutRun(run, 500), parseSchedule('constant:peak=2e-3,warmup=300,total=50000'))).toThrow(/too few to forecast/);
  });

  it('backtests score forecasts from earlier points of the run; only misses beyond the law error widen the interval', async () => {
    const run = cutRun(prepareRun({ curve: await readLog(`${SWEEP}cosine-10pct_50000.val.csv`), schedule: parseSchedule(COSINE) }), 30000);
    const tests = backtests(run, { model: 'momentum', fromStep: 1000 });
    expect(tests.map((t) => t.to)).toEqual([30000, 30000]);
    expect(tests[0].from).toBeLessThan(tests[1].from);
    expect(backtestInflation([])).toBe(1);
    expect(backtestInflation([{ from: 1, to: 2, predicted: 3, observed: 3, error: 0, z: 0.5 }])).toBe(1);
    expect(backtestInflation([{ from: 1, to: 2, predicted: 3.1, observed: 3, error: 0.1, z: 3 }, { from: 1, to: 2, predicted: 3.1, observed: 3, error: 0.1, z: 4 }])).toBeCloseTo(Math.sqrt(12.5), 12);
  });
});

/** `forecast --watch` on a log, in its own process; what it printed so far. */
function watching(log: string) {
  const child = spawn(process.execPath, [`${ROOT}bin/losscast.js`, 'forecast', `${log}@constant:peak=2e-3,warmup=300,total=50000`, '--watch', '--interval', '0.3', '--model', 'momentum', '--samples', '10', '--json'], { env: { ...process.env, NO_COLOR: '1' } });
  const printed = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (printed.stdout += d));
  child.stderr.on('data', (d) => (printed.stderr += d));
  const exit = new Promise((resolve) => child.on('exit', resolve));
  return { printed, exit };
}

describe('forecast --watch', () => {
  it('forecasts again when the log grows, and stops cleanly when it is truncated', { timeout: 120_000 }, async () => {
    const lines = readFileSync(`${SWEEP}constant_50000.val.csv`, 'utf8').trim().split('\n');
    const log = join(dir, 'live.csv');
    writeFileSync(log, `${lines.slice(0, 60).join('\n')}\n`);
    const { printed, exit } = watching(log);
    const documents = () => printed.stdout.split(/\n(?=\{)/).filter((t) => t.trim().startsWith('{')).length;
    const until = async (test: () => boolean) => {
      for (let i = 0; i < 600 && !test(); i++) await new Promise((r) => setTimeout(r, 100));
    };
    await until(() => documents() >= 1);
    appendFileSync(log, `${lines.slice(60, 90).join('\n')}\n`);
    await until(() => documents() >= 2);
    const [first, second] = printed.stdout.split(/\n(?=\{)/).map((t) => JSON.parse(t));
    expect(second.loggedTo).toBeGreaterThan(first.loggedTo);
    writeFileSync(log, `${lines.slice(0, 20).join('\n')}\n`); // truncated
    const code = await exit;
    expect(code).toBe(0);
    expect(printed.stderr).toMatch(/truncated\): stopped watching/);
  });

  it('stops cleanly on a rotated log', { timeout: 120_000 }, async () => {
    const lines = readFileSync(`${SWEEP}constant_50000.val.csv`, 'utf8').trim().split('\n');
    const log = join(dir, 'rotate.csv');
    writeFileSync(log, `${lines.slice(0, 60).join('\n')}\n`);
    const { printed, exit } = watching(log);
    for (let i = 0; i < 600 && !printed.stdout.includes('}'); i++) await new Promise((r) => setTimeout(r, 100));
    renameSync(log, `${log}.1`);
    writeFileSync(log, `${lines.slice(0, 70).join('\n')}\n`);
    const code = await exit;
    expect(code).toBe(0);
    expect(printed.stderr).toMatch(/rotated\): stopped watching|is gone/);
  });
});

describe('priors from related runs (--prior)', () => {
  it('a constant-only fit borrows what a decay gains from an earlier fit of the same family: closer to the truth, narrower than the built-in range', { timeout: 120_000 }, async () => {
    const { momentumLossAt } = await import('../src/law/momentum/law.js');
    const { scheduleProfile } = await import('../src/schedule/schedule.js');
    const truth = { L0: 2.6, A: 0.9, alpha: 0.55, C: 0.5, lambda: 0.999 };
    const write = (name: string, spec: string) => {
      const schedule = parseSchedule(spec);
      const steps = Array.from({ length: Math.floor(schedule.total! / 100) }, (_, i) => (i + 1) * 100);
      const loss = momentumLossAt(truth, scheduleProfile(schedule, schedule.total!), steps);
      const path = join(dir, name);
      writeFileSync(path, `step,loss\n${steps.map((s, i) => `${s},${loss[i].toFixed(6)}`).join('\n')}\n`);
      return `${path}@${spec}`;
    };
    // the earlier, smaller experiment: a cosine run, which shows what a decay gains
    const prior = join(dir, 'prior.json');
    expect(runCli(['fit', write('cos.csv', 'cosine:peak=3e-4,warmup=500,total=10000,final=3e-5'), '--model', 'momentum', '--samples', '30', '-o', prior, '--json']).code).toBe(0);
    // the new run: constant so far; the question: a WSD cooldown at its end
    const constant = write('const.csv', 'constant:peak=3e-4,warmup=500,total=20000');
    const target = 'wsd:peak=3e-4,warmup=500,total=30000,decay=0.2,final=3e-5';
    const exact = momentumLossAt(truth, scheduleProfile(parseSchedule(target), 30000), [30000])[0];
    const predict = (extra: string[]) => runCli(['predict', '--fit', constant, '--model', 'momentum', '--samples', '30', '--schedule', target, '--json', ...extra]);
    const without = JSON.parse(predict([]).stdout);
    const withPrior = predict(['--prior', prior]);
    const borrowed = JSON.parse(withPrior.stdout);
    expect(borrowed.warnings.map((w: { code: string }) => w.code)).toContain('prior-used');
    expect(Math.abs(borrowed.finalLoss - exact)).toBeLessThan(Math.abs(without.finalLoss - exact));
    expect(Math.abs(borrowed.finalLoss - exact)).toBeLessThan(0.01);
    expect(borrowed.interval.hi - borrowed.interval.lo).toBeLessThan(without.interval.hi - without.interval.lo);
    expect(exact).toBeGreaterThan(borrowed.interval.lo);
    expect(exact).toBeLessThan(borrowed.interval.hi);
    // a fit whose runs decay does not need it, and says so
    const unused = JSON.parse(runCli(['predict', '--fit', write('cos2.csv', 'cosine:peak=3e-4,warmup=500,total=20000,final=3e-5'), '--model', 'momentum', '--samples', '0', '--schedule', target, '--prior', prior, '--json']).stdout);
    expect(unused.warnings.map((w: { code: string }) => w.code)).toContain('prior-unused');
  });

  it('bad priors: another law, a prior that never annealed, a bare parameters file: one line, exit 1', () => {
    const mpl = join(dir, 'mpl-prior.json');
    expect(runCli(['fit', `${FIXTURES}mpl-400M/cosine_24000.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`, '--model', 'mpl', '--samples', '0', '-o', mpl, '--json']).code).toBe(0);
    const flat = join(dir, 'flat-prior.json');
    expect(runCli(['fit', `${FIXTURES}mpl-400M/constant_24000.csv@constant:peak=3e-4,warmup=2160,total=24000`, '--model', 'momentum', '--samples', '0', '-o', flat, '--json']).code).toBe(0);
    const bare = join(dir, 'bare.json');
    writeFileSync(bare, JSON.stringify({ L0: 2, A: 1, alpha: 0.5, C: 0.4, lambda: 0.999 }));
    const constant = `${FIXTURES}mpl-400M/constant_24000.csv@constant:peak=3e-4,warmup=2160,total=24000`;
    for (const [file, message] of [
      [mpl, /mpl-prior\.json: a Multi-Power Law fit cannot be a prior/],
      [flat, /flat-prior\.json: none of its runs anneals/],
      [bare, /bare\.json: records no peak LR of its fitted runs/],
    ] as const) {
      const r = runCli(['predict', '--fit', constant, '--model', 'momentum', '--samples', '0', '--schedule', 'wsd:peak=3e-4,warmup=2160,total=24000,decay=0.2', '--prior', file, '-q']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
