/** `losscast check`: a live run against its prediction, and --expect-best on a compare result. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBest, checkRun } from '../src/predict/check.js';
import { makeProfile } from '../src/core/lr-profile.js';
import type { FittedLaw } from '../src/predict/fitted-law.js';
import { FIXTURES, runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'losscast-check-'));
const COSINE = `${FIXTURES}mpl-400M/cosine_24000.csv`;
const SPEC = 'cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5';
const params = join(dir, 'params.json');

/** The cosine run with its loss changed by `f(step, loss)`, as a new CSV. */
function mutated(name: string, f: (step: number, loss: number) => number): string {
  const [header, ...rows] = readFileSync(COSINE, 'utf8').trim().split('\n');
  const out = rows.map((row) => {
    const [step, lr, loss] = row.split(',');
    return `${step},${lr},${f(Number(step), Number(loss)).toFixed(4)}`;
  });
  const path = join(dir, name);
  writeFileSync(path, [header, ...out].join('\n'));
  return `${path}@${SPEC}`;
}

describe('losscast check on a run', () => {
  const fitted = runCli(['fit', `${COSINE}@${SPEC}`, '-o', params, '--json']);

  it('a real curve passes against a law fitted on it', () => {
    expect(fitted.code).toBe(0);
    const r = runCli(['check', '--params', params, `${COSINE}@${SPEC}`, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.passed).toBe(true);
    expect(doc.toleranceSource).toBe('fit-error');
    expect(Math.abs(doc.latest.deviation)).toBeLessThan(doc.tolerance);
    expect(doc.deviatingSince).toBeNull();
  });

  it('a loss spike fails with exit 3 and names the step where it started', () => {
    const log = mutated('spike.csv', (step, loss) => (step >= 22000 ? loss * 1.03 : loss));
    const r = runCli(['check', '--params', params, log, '--json']);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc.passed).toBe(false);
    const firstSpiked = readFileSync(COSINE, 'utf8').split('\n').map((l) => Number(l.split(',')[0])).find((s) => s >= 22000);
    expect(doc.deviatingSince).toBe(firstSpiked);
    expect(doc.latest.deviation).toBeGreaterThan(0.025);
    expect(r.stderr).toMatch(new RegExp(`check failed: .*spike\\.csv: observed loss above the prediction by more than .* for the last 5 points; it started to deviate at step ${firstSpiked}`));
    const text = runCli(['check', '--params', params, log, '--no-chart']);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/FAIL spike: observed loss above the prediction/);
  });

  it('a slower decline fails with exit 3; the deviation starts after the slowdown, and the trend says it is falling behind', () => {
    const log = mutated('slow.csv', (step, loss) => (step > 15000 ? loss + 2e-5 * (step - 15000) : loss));
    const r = runCli(['check', '--params', params, log, '--json']);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc.deviatingSince).toBeGreaterThan(15000);
    expect(doc.deviatingSince).toBeLessThanOrEqual(doc.aboveToleranceSince);
    expect(doc.trend.per1000Steps).toBeGreaterThan(0.004); // ≈ 2e-5·1000 / 2.75 ≈ 0.7 % per 1k steps
  });

  it('the same slowdown only in the last 3 points does not fail a window of 5, and --tolerance loosens the check', () => {
    const late = mutated('late.csv', (step, loss) => (step > 23600 ? loss * 1.02 : loss));
    const r = runCli(['check', '--params', params, late, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).aboveToleranceSince).toBeGreaterThan(23600);
    const spike = mutated('spike2.csv', (step, loss) => (step >= 22000 ? loss * 1.03 : loss));
    expect(runCli(['check', '--params', params, spike, '--tolerance', '5%']).code).toBe(0);
    expect(runCli(['check', '--params', params, spike, '--tolerance', '2']).code).toBe(2);
  });

  it('a run in progress: the planned schedule goes past the last logged step', () => {
    const [header, ...rows] = readFileSync(COSINE, 'utf8').trim().split('\n');
    const half = join(dir, 'half.csv');
    writeFileSync(half, [header, ...rows.slice(0, 80)].join('\n'));
    const r = runCli(['check', '--params', params, `${half}@${SPEC}`, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).points).toBe(80);
  });
});

describe('losscast check --expect-best', () => {
  const ranking = join(dir, 'ranking.json');

  it('passes when NAME is the predicted best, fails with exit 3 otherwise, and rejects unknown names', () => {
    runCli(['fit', `${COSINE}@${SPEC}`, `${FIXTURES}mpl-400M/constant_24000.csv@constant:peak=3e-4,warmup=2160,total=24000`, '-o', params]);
    const compare = runCli(['compare', '--params', params, '--schedule', SPEC, '--schedule', 'constant:peak=3e-4,warmup=2160,total=24000', '--json']);
    writeFileSync(ranking, compare.stdout);
    const pass = runCli(['check', '--expect-best', 'cosine', ranking]);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toMatch(/PASS the predicted best schedule is cosine/);
    const fail = runCli(['check', '--expect-best', 'constant', ranking]);
    expect(fail.code).toBe(3);
    expect(fail.stdout).toMatch(/FAIL the predicted best schedule is cosine .*, not constant \(rank 2/);
    expect(fail.stderr).toMatch(/check failed: the predicted best schedule is cosine, not constant/);
    const unknown = runCli(['check', '--expect-best', 'wsd', ranking]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no schedule named "wsd" .*names are "cosine", "constant"/);
    const notCompare = runCli(['check', '--expect-best', 'x', params]);
    expect(notCompare.code).toBe(1);
    expect(notCompare.stderr).toMatch(/is not the --json output of losscast compare/);
  });

  it('a tie with the best passes unless --strict', () => {
    const entries = [
      { rank: 1, name: 'a', finalLoss: 2.5, gapToBest: 0, tie: true },
      { rank: 2, name: 'b', finalLoss: 2.501, gapToBest: 0.001, tie: true },
      { rank: 3, name: 'c', finalLoss: 2.6, gapToBest: 0.1, tie: false },
    ];
    expect(checkBest(entries, 'b')).toMatchObject({ passed: true, tiedWithBest: true });
    expect(checkBest(entries, 'b', true)).toMatchObject({ passed: false });
    expect(checkBest(entries, 'c')).toMatchObject({ passed: false, tiedWithBest: false });
    expect(checkBest(entries, 'zzz')).toBeNull();
  });
});

describe('checkRun (library)', () => {
  it('needs `window` points before it can fail', () => {
    const law: FittedLaw = { model: { law: 'momentum', params: { L0: 2, A: 0.5, alpha: 0.5, C: 0, lambda: 0.999 }, settings: {} }, peakLrs: [1e-3], rmse: 0.001, notes: [] };
    const lr = makeProfile([{ from: 0, to: 100, lr: 1e-3 }]);
    const run = { label: 'r', source: 'r', series: 'train' as const, steps: [97, 98, 99], loss: [9, 9, 9], points: 3, lr, lrSource: 'schedule' as const, lrNote: '', anneals: false, warnings: [], skipped: [] };
    const result = checkRun(law, run);
    expect(result.passed).toBe(true);
    expect(result.notes[0]).toMatch(/fewer than the window of 5/);
    expect(checkRun(law, run, { window: 3 }).passed).toBe(false);
  });
});
