import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'losscast-cli-'));
function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const COSINE = `${FIXTURES}mpl-400M/cosine_24000.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`;
const CONSTANT = `${FIXTURES}mpl-400M/constant_24000.csv@constant:peak=3e-4,warmup=2160,total=24000`;

describe('losscast fit', () => {
  it('fits real logs and prints the law (by default the stacked mixture, its weights and where they came from), quality, the runs and a chart', () => {
    const r = runCli(['fit', COSINE, CONSTANT, '--samples', '20']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Fitted the stacked mixture of the momentum law and the Multi-Power Law to 2 runs \(342 points\)/);
    expect(r.stdout).toMatch(/\d+ % momentum law, \d+ % Multi-Power Law \(weights from 3 held-out folds of the fitted runs\)/);
    expect(r.stdout).toMatch(/w [\d.]+\s+L0 \(mom\) [\d.]+\s+A \(mom\) [\d.]+\s+α \(mom\) [\d.]+\s+C \(mom\) [\d.]+\s+λ \(mom\) 0\.999\s+L0 \(MPL\)/); // wrapped to the terminal's width
    const m = runCli(['fit', COSINE, CONSTANT, '--model', 'momentum', '--samples', '0']);
    expect(m.stdout).toMatch(/Fitted the momentum law to 2 runs \(342 points\)/);
    expect(m.stdout).toMatch(/L0 [\d.]+ +A [\d.]+ +α [\d.]+ +C [\d.]+ +λ 0\.999/);
    expect(r.stdout).toMatch(/R² 0\.99\d+ +MAE 0\.00\d+ +RMSE/);
    expect(r.stdout).toMatch(/cosine_24000 +train +171 +2,160–23,920 +171/);
    expect(r.stdout).toMatch(/LR from the schedule cosine:peak=3e-4/);
    expect(r.stdout).toMatch(/step\n.*fitted.*observed \(cosine_24000\)/);
    expect(r.stdout).not.toMatch(/\x1b\[/); // NO_COLOR
  });

  it('--json prints one versioned document; -o saves the same params file', () => {
    const out = join(dir, 'params.json');
    const r = runCli(['fit', COSINE, CONSTANT, '--model', 'momentum', '--samples', '20', '--json', '-o', out]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.model).toBe('momentum-law');
    expect(Object.keys(doc.params)).toEqual(['L0', 'A', 'alpha', 'C', 'lambda']);
    expect(Object.keys(doc.metrics)).toEqual(['r2', 'mae', 'rmse', 'predE', 'worstE', 'points']);
    expect(doc.runs.map((x: { label: string; lrSource: string }) => [x.label, x.lrSource])).toEqual([['cosine_24000', 'schedule'], ['constant_24000', 'schedule']]);
    expect(doc.metrics.r2).toBeGreaterThan(0.999);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(doc);
  });

  it('uses --schedule for logs without their own, and says when LR was interpolated', () => {
    const r = runCli(['fit', `${FIXTURES}mpl-400M/cosine_24000.csv`, '--samples', '0', '--json']); // where the LR came from: no bootstrap needed
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.runs[0].lrSource).toBe('logged-interpolated');
    expect(doc.warnings.map((w: { code: string }) => w.code)).toContain('lr-interpolated');
    const s = runCli(['fit', `${FIXTURES}mpl-400M/cosine_24000.csv`, '--schedule', 'cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5', '--samples', '0', '--json']);
    expect(JSON.parse(s.stdout).runs[0].lrSource).toBe('schedule');
  });

  it('--fit-lambda fits λ; --warmup-as-peak is reported', () => {
    const r = runCli(['fit', COSINE, CONSTANT, '--model', 'momentum', '--fit-lambda', '--warmup-as-peak', '--samples', '0', '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.settings).toMatchObject({ fitLambda: true, warmupAsPeak: true });
    expect(doc.params.lambda).not.toBe(0.999);
  });

  it('reads JSON lines with named columns and --from-step', () => {
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ step: (i + 1) * 10, 'train/loss': 2 + 2 / Math.sqrt(i + 1), lr: 1e-3 }));
    const path = file('run.jsonl', `${lines.join('\n')}\n`);
    const r = runCli(['fit', path, '--loss-col', 'train/loss', '--lr-col', 'lr', '--from-step', '500', '--samples', '0', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.runs[0]).toMatchObject({ fromStep: 500, used: 151, points: 200 });
    expect(doc.warnings.map((w: { code: string }) => w.code)).toContain('c-not-identifiable');
  });
});

describe('losscast fit: errors are one line, with file, line and what to do', () => {
  const cases: [string, () => string[], number, RegExp][] = [
    ['missing file', () => ['fit', join(dir, 'nope.csv')], 1, /^losscast: .*nope\.csv: no such file; check the path\n$/],
    ['a folder', () => { mkdirSync(join(dir, 'folder'), { recursive: true }); return ['fit', join(dir, 'folder')]; }, 1, /folder: is a folder; name a log file inside it, a TensorBoard run folder .* or an MLflow run folder/],
    ['a binary file', () => ['fit', file('bin.dat', Buffer.from([0, 1, 2, 0, 255, 0]))], 1, /bin\.dat: is binary data, not a training log; give the log file itself \(CSV.*TensorBoard event file/],
    ['a broken gzip file', () => ['fit', file('bad.csv.gz', Buffer.from([0x1f, 0x8b, 1, 2, 3]))], 1, /bad\.csv\.gz: looks gzip-compressed but cannot be decompressed/],
    ['an empty file', () => ['fit', file('empty.csv', '')], 1, /empty\.csv: is empty/],
    ['no loss column', () => ['fit', file('noloss.csv', 'step,lr\n1,0.1\n')], 1, /noloss\.csv: no loss column found among "step", "lr"; name it with --loss-col/],
    ['a loss column that is not numeric', () => ['fit', file('text.csv', 'step,loss,lr\n1,3.1,1e-3\n2,abc,1e-3\n')], 1, /text\.csv:3: loss \(loss\) value "abc" is not a number; fix or delete the line/],
    ['fewer than 5 usable points', () => ['fit', file('short.csv', 'step,loss,lr\n1,3,1e-3\n2,2.9,1e-3\n3,2.8,1e-3\n')], 1, /short\.csv: has only 3 usable point\(s\) from step 0 on \(need at least 5\)/],
    ['no LR and no schedule', () => ['fit', file('nolr.csv', 'step,loss\n1,3\n2,2.9\n')], 1, /nolr\.csv: has no learning-rate column; give the schedule with --schedule/],
    ['an unknown option', () => ['fit', 'x.csv', '--bogus'], 2, /^losscast: unknown option '--bogus'; see "losscast fit --help"\n$/],
    ['a bad option value', () => ['fit', 'x.csv', '--lambda', '2'], 2, /option '--lambda <x>' argument '2' is invalid/],
    ['an unknown spec key', () => ['fit', `${FIXTURES}mpl-400M/cosine_24000.csv`, '--schedule', 'cosine:peak=3e-4,total=24000,decay=3'], 2, /unknown key "decay" for cosine; its keys are peak, warmup, total, final, cycle/],
    ['an unknown schedule', () => ['fit', 'x.csv@cosinus:peak=3e-4'], 2, /unknown schedule "cosinus".*known: constant, cosine/],
    ['a missing --loss-col column', () => ['fit', `${FIXTURES}mpl-400M/cosine_24000.csv`, '--loss-col', 'val'], 2, /no column "val" for --loss-col; columns are "step", "lr", "loss"/],
  ];
  it.each(cases)('%s', (_name, args, code, message) => {
    const r = runCli(args());
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  });
});
