/** `losscast evaluate`: held-out accuracy on manifests, the public protocol, and manifest errors. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../src/io/prepare-run.js';
import { momentumLossAt } from '../src/law/momentum/law.js';
import type { Model } from '../src/law/types.js';
import { scoreRun } from '../src/predict/evaluate.js';
import { parseSchedule, scheduleProfile } from '../src/schedule/schedule.js';
import { FIXTURES, ROOT, runCli } from './helpers/cli.js';
import { gaussian, mulberry32 } from './helpers/random.js';

const dir = mkdtempSync(join(tmpdir(), 'losscast-evaluate-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const MANIFEST_100M = `${ROOT}bench/accuracy/mpl-100M.json`;

describe('the public protocol (100M)', () => {
  it('meets the MAE bounds: momentum ≤ 0.0045, --fit-lambda ≤ 0.0040', () => {
    // the held-out errors come from the fit alone: no bootstrap needed
    const plain = runCli(['evaluate', MANIFEST_100M, '--model', 'momentum', '--samples', '0', '--json']);
    expect(plain.code).toBe(0);
    const doc = JSON.parse(plain.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'evaluate', mode: 'split' });
    expect(doc.runs.filter((r: { role: string }) => r.role === 'test')).toHaveLength(6);
    expect(doc.average.mae).toBeLessThanOrEqual(0.0045);
    expect(doc.average.r2).toBeGreaterThan(0.998);
    // the average is the mean over the six test runs
    const tests = doc.runs.filter((r: { role: string }) => r.role === 'test');
    const mean = tests.reduce((s: number, r: { metrics: { mae: number } }) => s + r.metrics.mae, 0) / tests.length;
    expect(doc.average.mae).toBeCloseTo(mean, 12);
    const lambda = JSON.parse(runCli(['evaluate', MANIFEST_100M, '--model', 'momentum', '--samples', '0', '--json', '--fit-lambda']).stdout);
    expect(lambda.average.mae).toBeLessThanOrEqual(0.004);
    expect(lambda.params.lambda).not.toBe(0.999);
  });

  it('gives byte-identical --json on every run (the default law: the stacked mixture, its folds and its bootstrap)', { timeout: 120_000 }, () => {
    const page = join(mkdtempSync(join(tmpdir(), 'losscast-eval-')), 'evaluate.html');
    const a = runCli(['evaluate', 'bench/accuracy/mpl-100M.json', '--json', '--samples', '30', '--html', page]);
    const b = runCli(['evaluate', 'bench/accuracy/mpl-100M.json', '--json', '--samples', '30']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toContain(ROOT); // paths relative to the manifest
    // the page's table has one sign convention, the residual panels': observed − predicted (the JSON's finalError is predicted − observed)
    const table = readFileSync(page, 'utf8').split('<table id="evaluated-runs">')[1].split('</table>')[0];
    expect(table).toContain('<th class="num">observed − predicted</th>');
    const rows = table.split('<tr').slice(2).map((row) => [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, '')));
    const doc = JSON.parse(a.stdout);
    expect(rows).toHaveLength(doc.runs.length);
    rows.forEach((cells, i) => expect(Number(cells[3].replace('−', '-'))).toBeCloseTo(-doc.runs[i].finalError, 4));
  });

  it('prints a table per run, the averages and a chart per test run', () => {
    const r = runCli(['evaluate', MANIFEST_100M, '--samples', '50']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Fitted on 3 run\(s\), predicted 6 held-out run\(s\)/);
    expect(r.stdout).toMatch(/wsdcon_3\s+test\s+2,176–15,936\s+0\.99\d\d/); // at 100 columns the points, RMSE, PredE and WorstE columns give way (the averages line has them)
    expect(r.stdout).toMatch(/average \(test runs\)/);
    expect(r.stdout.match(/── predicted/g)).toHaveLength(6);
  });

  it('leave-one-out predicts every run from a fit on the others', () => {
    const r = runCli(['evaluate', MANIFEST_100M, '--model', 'momentum', '--leave-one-out', '--json', '--samples', '0']);
    const doc = JSON.parse(r.stdout);
    expect(doc.mode).toBe('leave-one-out');
    expect(doc.runs).toHaveLength(9);
    for (const run of doc.runs) {
      expect(run.role).toBe('test');
      expect(run.params.alpha).toBeGreaterThan(0);
    }
    const mean = doc.runs.reduce((s: number, x: { metrics: { mae: number } }) => s + x.metrics.mae, 0) / 9;
    expect(doc.average.mae).toBeCloseTo(mean, 12);
  });
});

describe('scoring against a smoothed curve', () => {
  it('--smooth N scores against a centred moving average: noisy per-step loss scores closer to the truth', () => {
    const truth = { L0: 2.5, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 };
    const schedule = parseSchedule('cosine:peak=3e-4,warmup=500,total=5000,final=3e-5');
    const steps = Array.from({ length: 5000 }, (_, i) => i + 1);
    const clean = Array.from(momentumLossAt(truth, scheduleProfile(schedule, 5000), steps));
    const model: Model = { law: 'momentum', params: truth, settings: {} };
    const noise = gaussian(mulberry32(7));
    const noisy = clean.map((y) => y + 0.04 * noise());
    const run = prepareRun({ curve: { source: 'noisy', format: 'csv', train: { steps, values: noisy }, eval: null, lr: null, columns: {}, skipped: [], warnings: [] }, schedule });
    const raw = scoreRun(model, run, 'test');
    const smooth = scoreRun(model, run, 'test', { smooth: 51 });
    expect(raw.metrics.mae).toBeGreaterThan(0.025); // ≈ 0.04·√(2/π)
    expect(smooth.metrics.mae).toBeLessThan(raw.metrics.mae / 4);
  });
});

describe('manifest errors name the entry', () => {
  const mpl = (name: string) => `${FIXTURES}mpl-100M/${name}.csv`;
  const cases: [string, unknown, RegExp][] = [
    ['a missing file', { runs: [{ file: 'nope.csv', role: 'train', label: 'ghost' }] }, /m\.json: run 1 \("ghost"\): no such file nope\.csv/],
    ['a run without LR and schedule', { runs: [{ file: mpl('cosine_24000'), schedule: 'cosine:peak=3e-4,warmup=2160,total=24000', role: 'train' }, { file: 'noLr.csv', role: 'test' }] }, /run 2 \("noLr"\): .*noLr\.csv: has no learning-rate column; give the schedule/],
    ['no train run', { runs: [{ file: mpl('cosine_24000'), role: 'test', schedule: 'cosine:peak=3e-4,warmup=2160,total=24000' }] }, /m\.json: no run has role "train"/],
    ['no test run', { runs: [{ file: mpl('cosine_24000'), schedule: 'cosine:peak=3e-4,warmup=2160,total=24000' }] }, /m\.json: no run has role "test".*--leave-one-out/],
    ['a bad role', { runs: [{ file: mpl('cosine_24000'), role: 'holdout' }] }, /run 1 \("cosine_24000"\)|run 1: role must be "train", "test" or "candidate", not "holdout"/],
    ['a bad schedule', { runs: [{ file: mpl('cosine_24000'), schedule: 'cosine:peek=3e-4', label: 'c' }] }, /run 1 \("c"\): bad schedule: /],
    ['a repeated label', { runs: [{ file: mpl('cosine_24000'), label: 'x' }, { file: mpl('constant_24000'), label: 'x' }] }, /run 2 \("x"\): label "x" is used twice/],
    ['no runs', { runs: [] }, /has no runs; expected \{"runs"/],
  ];
  for (const [what, manifest, message] of cases) {
    it(what, () => {
      file('noLr.csv', 'step,loss\n1,3\n2,2.9\n3,2.8\n4,2.7\n5,2.6\n6,2.5\n');
      const path = file('m.json', JSON.stringify(manifest));
      const r = runCli(['evaluate', path]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('accepts YAML manifests with paths relative to the manifest', () => {
    const yaml = [
      'runs:',
      `  - file: ${FIXTURES}mpl-25M/cosine_24000.csv`,
      '    schedule: cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5',
      '    toStep: 23999',
      `  - file: ${FIXTURES}mpl-25M/constant_24000.csv`,
      '    schedule: constant:peak=3e-4,warmup=2160,total=24000',
      '    toStep: 23999',
      `  - file: ${FIXTURES}mpl-25M/wsdcon_9.csv`,
      '    schedule: twostage:peak=3e-4,warmup=2160,total=16000,switch=8000,second=9e-5',
      `  - file: ${FIXTURES}mpl-25M/wsdld_20000_24000.csv`,
      '    schedule: wsd:peak=3e-4,warmup=2160,total=24000,decay=4000,shape=linear,final=3e-5',
      '    role: test',
      '    label: wsd-linear',
    ].join('\n');
    const r = runCli(['evaluate', file('m.yaml', yaml), '--samples', '0', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.runs[3]).toMatchObject({ label: 'wsd-linear', role: 'test' });
    expect(doc.average.mae).toBeLessThan(0.01);
  });
});

describe('ranking mode: candidate runs of a real sweep', () => {
  it('ranks the candidates of each length against their observed final loss, with P(best), coverage and confident mistakes', { timeout: 120_000 }, () => {
    const r = runCli(['evaluate', 'bench/accuracy/lr-sweep-124m.json', '--from-step', '1000', '--model', 'momentum', '--samples', '20', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const ranking = doc.ranking;
    expect(ranking.groups.map((g: { group: string }) => g.group)).toEqual(['25,000 steps', '50,000 steps']);
    expect(ranking.groups.map((g: { candidates: unknown[] }) => g.candidates.length)).toEqual([8, 9]);
    for (const g of ranking.groups) {
      // regret = the pick's observed loss minus the best observed, from the manifest's finalLoss
      const pick = g.candidates.find((c: { label: string }) => c.label === g.pick);
      const best = Math.min(...g.candidates.map((c: { observed: number }) => c.observed));
      expect(g.regret).toBeCloseTo(pick.observed - best, 12);
      expect(g.candidates.reduce((s: number, c: { pBest: number }) => s + c.pBest, 0)).toBeCloseTo(1, 9);
    }
    // the momentum law picks the 1−sqrt cooldown at 25k, 0.0122 worse than the best: a confident mistake is counted as such
    expect(ranking.groups[0].pick).toBe('wsd-sqrt-0.2_25000');
    expect(ranking.groups[0].regret).toBeCloseTo(3.035659 - 3.023412, 6);
    for (const m of ranking.confidentMistakes) expect(m.pBest >= 0.5 && m.observedGap > 0.002).toBe(true);
    expect(ranking.coverage.candidates).toBe(17);
    expect(ranking.pBestCalibration.reduce((s: number, b: { candidates: number }) => s + b.candidates, 0)).toBe(17);
    const text = runCli(['evaluate', 'bench/accuracy/lr-sweep-124m.json', '--from-step', '1000', '--model', 'momentum', '--samples', '20', '--no-chart']).stdout;
    expect(text).toMatch(/Ranking of 8 candidates \(25,000 steps\): Spearman 0\.\d\d, regret 0\.0122 \(picked wsd-sqrt-0\.2_25000/);
    expect(text).toMatch(/candidates' 90 % intervals at their last logged step: \d+ of 17 hold the logged loss/);
  });
});
