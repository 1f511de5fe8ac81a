import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitLaw } from '../src/law/registry.js';
import { nameCandidates } from '../src/predict/candidates.js';
import { type FittedLaw, lawFromFit } from '../src/predict/fitted-law.js';
import { rankCandidates } from '../src/predict/rank.js';
import { finalLoss, simulate } from '../src/predict/simulate.js';
import { parseSchedule } from '../src/schedule/schedule.js';
import { FIXTURES, runCli } from './helpers/cli.js';
import { MPL_SCHEDULES, mplRun } from './helpers/mpl.js';
import { readLog } from '../src/io/read-log.js';

const FOUR = ['constant_24000', 'cosine_24000', 'wsd_20000_24000', 'wsdld_20000_24000'];

describe('compare ranks the real MPL 24k schedules in their observed order', () => {
  for (const size of ['25M', '100M', '400M'] as const) {
    it(`${size}: fitted on cosine + constant, WSD variants < cosine < constant`, async () => {
      const runs = await Promise.all(['cosine_24000', 'constant_24000'].map((n) => mplRun(size, n)));
      const law = lawFromFit(fitLaw(runs), runs);
      const ranked = rankCandidates(law, FOUR.map((n) => ({ name: n, spec: MPL_SCHEDULES[n] })));
      const order = ranked.ranking.map((r) => r.name);
      // observed final training loss (last row of each file) gives the same order
      const observed = await Promise.all(FOUR.map(async (n) => (await readLog(`${FIXTURES}mpl-${size}/${n}.csv`)).train!.values.at(-1)!));
      const byObserved = [...FOUR].sort((a, b) => observed[FOUR.indexOf(a)] - observed[FOUR.indexOf(b)]);
      expect(byObserved.slice(2)).toEqual(['cosine_24000', 'constant_24000']);
      expect(order.slice(2)).toEqual(['cosine_24000', 'constant_24000']);
      expect(order.slice(0, 2).sort()).toEqual(['wsd_20000_24000', 'wsdld_20000_24000']);
      expect(ranked.ranking[0].gapToBest).toBe(0);
      expect(ranked.ranking.every((r, i) => i === 0 || r.finalLoss >= ranked.ranking[i - 1].finalLoss)).toBe(true);
    });
  }
});

describe('ranking honesty', () => {
  const law: FittedLaw = { model: { law: 'momentum', params: { L0: 2.5, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 }, settings: {} }, peakLrs: [3e-4], rmse: 0.002, notes: [] };
  it('marks candidates within the tolerance of the best as ties', () => {
    const specs = ['wsd:peak=3e-4,warmup=1000,total=24000,decay=0.2', 'wsd:peak=3e-4,warmup=1000,total=24000,decay=0.22', 'constant:peak=3e-4,warmup=1000,total=24000'];
    const ranked = rankCandidates(law, nameCandidates(specs));
    const byName = Object.fromEntries(ranked.ranking.map((r) => [r.name, r]));
    expect(Math.abs(byName['wsd decay=0.2'].finalLoss - byName['wsd decay=0.22'].finalLoss)).toBeLessThan(0.002);
    // the best is never a tie with itself; the near-equal one is a tie with it
    expect(ranked.ranking[0].tie).toBe(false);
    expect(ranked.ranking[1].tie).toBe(true);
    expect(byName.constant.tie).toBe(false);
    expect(rankCandidates(law, nameCandidates(specs), { tolerance: 1e-9 }).ranking.filter((r) => r.tie)).toHaveLength(0);
  });
  it('warns about another peak LR, zero-LR padding and LR rises', () => {
    const codes = (spec: string) => rankCandidates(law, [{ name: 'x', spec }]).ranking[0].warnings.map((w) => w.code);
    expect(codes('cosine:peak=6e-4,total=24000')).toEqual(['peak-lr-extrapolation']);
    expect(codes('step:peak=3e-4,total=24000,milestones=20000,values=0')).toEqual(['zero-lr-padding']);
    expect(codes('sgdr:peak=3e-4,total=24000,period=5000')).toEqual(['lr-increase']);
    expect(codes('cosine:peak=3e-4,warmup=100,total=24000')).toEqual([]);
  });
  it('the fast final-loss path equals the full simulation, also for a longer run than fitted', () => {
    for (const spec of ['cosine:peak=3e-4,warmup=2160,total=72000,final=3e-5', 'wsd:peak=3e-4,warmup=500,total=10000,decay=0.1,shape=1-sqrt']) {
      const s = parseSchedule(spec);
      expect(finalLoss(law, s, s.total!)).toBeCloseTo(simulate(law, s).finalLoss, 10);
      const asPeak: FittedLaw = { ...law, model: { ...law.model, settings: { warmupAsPeak: true } } };
      expect(finalLoss(asPeak, s, s.total!)).toBeCloseTo(simulate(asPeak, s).finalLoss, 10);
    }
  });
});

describe('CLI: schedule, predict, compare', () => {
  const cos = `${FIXTURES}mpl-100M/cosine_24000.csv@${MPL_SCHEDULES.cosine_24000}`;
  const con = `${FIXTURES}mpl-100M/constant_24000.csv@${MPL_SCHEDULES.constant_24000}`;
  it('schedule draws a spec and lists families', () => {
    const r = runCli(['schedule', 'wsd:peak=3e-4,warmup=2160,total=24000,decay=0.2,shape=1-sqrt']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/peak 3\.000e-4 +warmup 2,160 +total 24,000/);
    expect(r.stdout).toMatch(/learning rate/);
    const list = runCli(['schedule', '--list']);
    for (const name of ['constant', 'cosine', 'linear', 'poly', 'invsqrt', 'exp', 'step', 'step811', 'twostage', 'wsd', 'rex', 'onecycle', 'sgdr', 'infinite', 'file']) expect(list.stdout).toMatch(new RegExp(`^${name}  `, 'm'));
  });
  it('predict from --fit prints the final loss, --at values, and --json/--csv', () => {
    const r = runCli(['predict', '--fit', cos, '--fit', con, '--schedule', 'cosine:peak=3e-4,warmup=2160,total=72000,final=3e-5', '--at', '24000,48000', '--samples', '50', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'predict', total: 72000 });
    expect(doc.at.map((a: { step: number }) => a.step)).toEqual([24000, 48000]);
    expect(doc.at[0].loss).toBeGreaterThan(doc.at[1].loss);
    expect(doc.finalLoss).toBeLessThan(doc.at[1].loss);
    const csv = runCli(['predict', '--fit', cos, '--schedule', 'constant:peak=3e-4,warmup=2160,total=24000', '--csv', '--every', '1000', '--samples', '0']); // a CSV has no band: no bootstrap
    expect(csv.stdout.split('\n')[0]).toBe('step,lr,loss');
    expect(csv.stdout.trim().split('\n')).toHaveLength(1 + 22 + 1);
    // every number in the CSV has at most 7 significant digits
    for (const cell of csv.stdout.trim().split('\n').slice(1).flatMap((row) => row.split(','))) expect(cell.replace(/^[-0.]+|\.|e.*$/g, '').length).toBeLessThanOrEqual(7);
  });
  it('compare via params file: table, ties, chart, --json', () => {
    const params = join(mkdtempSync(join(tmpdir(), 'losscast-cmp-')), 'params.json');
    expect(runCli(['fit', cos, con, '--samples', '60', '-o', params, '--json']).code).toBe(0);
    const args = ['compare', '--params', params, ...FOUR.flatMap((n) => ['--schedule', MPL_SCHEDULES[n]])];
    const r = runCli(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Ranking of 4 schedules by predicted final loss/);
    expect(r.stdout).toMatch(/ 4 +constant +3\.0\d+ +3\.\d+–3\.\d+ +\+0\.\d+/); // final loss, its interval, the gap (rounded to what the intervals support)
    // notes wrap to the terminal's width: read them with the line breaks as spaces
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/tie = the 90 % interval of the paired difference to the best contains 0, or the gap is under the noise floor 0\.0020/);
    expect(runCli([...args, '--tolerance', '0.01']).stdout.replace(/\s+/g, ' ')).toMatch(/tie = within 0\.0100 of the best \(--tolerance\)/);
    const doc = JSON.parse(runCli([...args, '--json']).stdout);
    expect(doc.ranking.map((x: { rank: number }) => x.rank)).toEqual([1, 2, 3, 4]);
    expect(Object.keys(doc.ranking[0])).toEqual(['rank', 'name', 'schedule', 'total', 'finalLoss', 'gapToBest', 'tie', 'problem', 'interval', 'gapInterval', 'pBest', 'lawError', 'limit', 'byLaw']);
    expect(doc.ranking[3].name).toBe('constant');
    // the default law is the stacked mixture: each candidate carries both laws' predictions, and the verdict leads
    expect(Object.keys(doc.ranking[0].byLaw)).toEqual(['momentum', 'mpl']);
    expect(doc.verdict.best).toBe(doc.ranking[0].name);
    // the winner is never its own tie; the others are ties exactly as the verdict names them
    expect(doc.ranking[0].tie).toBe(false);
    expect(doc.ranking.filter((x: { tie: boolean }) => x.tie).map((x: { name: string }) => x.name)).toEqual(doc.verdict.ties);
    const first = r.stdout.split('\n')[0];
    expect(first.startsWith(`Use ${doc.verdict.best}:`) || first.startsWith(`${doc.verdict.best} is predicted lowest`)).toBe(true);
  });
  it('compare errors: no law, no candidates, bad sweep', () => {
    expect(runCli(['compare', '--schedule', 'constant:peak=1,total=10'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/no law: give --params FILE/) });
    expect(runCli(['compare', '--params', 'x.json'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/no candidates/) });
    expect(runCli(['compare', '--params', 'x.json', '--sweep', 'wsd:peak=1,total=10,decay=0.5..0.1/0.1'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/LO\.\.HI\/STEP with LO ≤ HI/) });
    expect(runCli(['predict', '--params', 'missing.json', '--schedule', 'constant:peak=1,total=10'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/missing\.json: no such params file/) });
  });
});
