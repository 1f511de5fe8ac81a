/**
 * Trust on logs nobody here has seen (issue 12): each problem reproduced by a small hand-made
 * fixture in fixtures/hand-made/ (see fixtures/README.md), and binary input fed to every command.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../src/io/read-log.js';
import { prepareRun } from '../src/io/prepare-run.js';
import { FIXTURES, runCli } from './helpers/cli.js';
import { profileValues } from './helpers/profile.js';
import { scalarEvent, tfrecordFile, versionEvent } from './helpers/tfevents.js';

const HAND = `${FIXTURES}hand-made/`;
const dir = mkdtempSync(join(tmpdir(), 'losscast-trust-'));
const fitJson = (args: string[]) => JSON.parse(runCli(['fit', ...args, '--model', 'momentum', '--json', '--samples', '0']).stdout);
const codes = (doc: { warnings: { code: string }[] }) => doc.warnings.map((w) => w.code);

describe('1. a log_history saved as a bare JSON array', () => {
  it('is read as a trainer_state log_history: the summary train_loss never replaces the last loss', async () => {
    const curve = await readLog(`${HAND}hf-log-history.json`);
    expect(curve.format).toBe('hf-log-history');
    expect(curve.train!.steps.at(-1)).toBe(400);
    expect(curve.train!.values.at(-1)).toBeCloseTo(2.8 - 0.9 * (1 - Math.exp(-40 / 12)), 4); // the step's real loss, not 2.1337
    expect(curve.warnings.join(' ')).not.toMatch(/resumed/);
  });

  it('in a plain JSON array, a record whose loss sits under another key does not fill in for a step', async () => {
    const path = join(dir, 'records.json');
    writeFileSync(path, JSON.stringify([{ step: 1, loss: 3 }, { step: 2, loss: 2.9 }, { step: 2, train_loss: 1.5 }, { step: 3, loss: 2.8 }]));
    const curve = await readLog(path);
    expect(curve.train).toEqual({ steps: [1, 2, 3], values: [3, 2.9, 2.8] });
    expect(curve.skipped.map((s) => s.reason)).toContain('train_loss not used as the loss (the log gives it as loss)');
  });
});

describe('2. degenerate fits are named', () => {
  it('L0 = 0 at its bound, in text and JSON, repeated by compare and predict from that fit', () => {
    const doc = fitJson([`${HAND}hf-log-history.json`]);
    expect(doc.params.L0).toBe(0);
    expect(doc.atBound).toContainEqual({ name: 'L0', value: 0, bound: 'lower', limit: 0 });
    const w = doc.warnings.find((x: { code: string }) => x.code === 'param-at-bound');
    expect(w.message).toMatch(/L0 = 0 is at its lower bound \(0\): the loss floor is not identified by these runs; predictions beyond the logged steps are unreliable/);
    const params = join(dir, 'degenerate.json');
    writeFileSync(params, JSON.stringify(doc));
    const predicted = JSON.parse(runCli(['predict', '--params', params, '--schedule', 'constant:peak=2e-4,total=800', '--json']).stdout);
    expect(codes(predicted)).toContain('param-at-bound');
    const text = runCli(['compare', '--params', params, '--schedule', 'constant:peak=2e-4,total=800', '--schedule', 'linear:peak=2e-4,total=800', '--no-chart']);
    expect(text.stderr).toMatch(/warning: momentum law: L0 = 0 is at its lower bound/);
  });

  it('C = 0 on a run whose LR decays, and an α far outside LM pre-training', () => {
    const doc = fitJson([`${HAND}finetune-degenerate.csv`]);
    expect(doc.atBound.map((b: { name: string }) => b.name)).toContain('C');
    expect(doc.warnings.find((x: { code: string }) => x.code === 'param-at-bound').message).toMatch(/C = 0 is at its lower bound \(0\): annealing gains nothing/);
    // a curve that barely falls with the LR area: α ends far below LM pre-training's range
    const flat = join(dir, 'flat.csv');
    writeFileSync(flat, `step,loss,lr\n${Array.from({ length: 60 }, (_, i) => `${(i + 1) * 20},${(1 + 0.02 * Math.log(100 / (i + 1))).toFixed(5)},1e-4`).join('\n')}\n`);
    const atypical = fitJson([flat]);
    expect(atypical.params.alpha).toBeLessThan(0.05);
    expect(codes(atypical).some((c: string) => c === 'param-atypical' || c === 'param-at-bound')).toBe(true);
  });
});

describe('3. no invented warmup', () => {
  it('a linear schedule with no warmup, first logged at step 500 and already falling, is continued back to step 0', async () => {
    const run = prepareRun({ curve: await readLog(`${HAND}hf-linear-no-warmup_trainer_state.json`) });
    expect(run.warnings.map((w) => w.code)).toContain('lr-extrapolated');
    expect(run.warnings.map((w) => w.code)).not.toContain('lr-assumed-warmup');
    const lrs = profileValues(run.lr);
    expect(lrs[0]).toBeCloseTo(3e-4, 8); // the line through the first points, back at step 0: the peak, not 0
    expect(lrs[250]).toBeGreaterThan(lrs[500]);
  });
});

describe('4. exit codes: missing data is 1, inspect describes what it can', () => {
  it('a W&B chart export with no loss metric: fit exits 1 naming the metrics, inspect lists the runs', () => {
    const fit = runCli(['fit', `${HAND}wandb-no-loss-metric.csv`, '--run', 'run-a']);
    expect(fit.code).toBe(1);
    expect(fit.stderr).toMatch(/run "run-a" has no loss metric among "train\/grad_norm"; name it with --loss-col/);
    const inspect = runCli(['inspect', `${HAND}wandb-no-loss-metric.csv`]);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toMatch(/2 runs; fit or inspect one with --run NAME/);
    expect(inspect.stdout).toMatch(/run-a/);
    expect(inspect.stdout).toMatch(/run "run-b" has no loss metric among "train\/grad_norm"/);
  });
});

describe('5. right diagnoses', () => {
  it('a text log starting with "[" is not called invalid JSON', () => {
    const r = runCli(['fit', `${HAND}bracketed-text.log`]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/JSON/);
    expect(r.stderr).toMatch(/format not recognised/);
  });

  it('binary files are named for what they are', () => {
    const cases: [string, Buffer, RegExp][] = [
      ['ckpt.pt', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]), /is a zip archive \(a PyTorch \.pt\/\.pth checkpoint/],
      ['state.pkl', Buffer.from([0x80, 0x04, 0x95, 0x10, 0, 0, 0, 0, 0, 0, 0]), /is a Python pickle/],
      ['model.safetensors', Buffer.concat([Buffer.from([20, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{"a":{"dtype":"F32"}}')]), /is a safetensors file/],
      ['random.bin', Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7919 + 13) % 256)), /is binary data, not a training log/],
    ];
    for (const [name, bytes, message] of cases) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const r = runCli(['fit', path]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('6. encodings', () => {
  for (const [file, note] of [
    ['cp1252.csv', /not valid UTF-8: decoded as Windows-1252/],
    ['utf16-bom.csv', /decoded as UTF-16LE/],
    ['utf8-bom.csv', null],
  ] as const) {
    it(`${file}: the "lr (µ)" column can be named and the values read`, async () => {
      const curve = await readLog(`${HAND}${file}`, { columns: { lr: 'lr (µ)' } });
      expect(curve.columns.step).toBe('step'); // no BOM glued to the first header
      expect(curve.columns.lr).toBe('lr (µ)');
      expect(curve.train!.steps).toHaveLength(100);
      expect(curve.lr!.values.at(-1)).toBe(300);
      if (note) expect(curve.warnings.join(' ')).toMatch(note);
      else expect(curve.warnings).toEqual([]);
    });
  }
});

describe('7. the names Keras uses', () => {
  it('a TensorBoard run folder from the Keras callback: epoch_loss / batch_loss, validation/ and epoch_learning_rate', async () => {
    const run = join(dir, 'keras-run');
    mkdirSync(join(run, 'train'), { recursive: true });
    mkdirSync(join(run, 'validation'), { recursive: true });
    const epochs = Array.from({ length: 12 }, (_, e) => e);
    writeFileSync(join(run, 'train', 'events.out.tfevents.1.host.v2'), tfrecordFile([versionEvent(), ...epochs.flatMap((e) => [scalarEvent(e, 'epoch_loss', 3 - 0.1 * e, 'tensor-float'), scalarEvent(e, 'epoch_learning_rate', 1e-3 * (1 - e / 12), 'tensor-float')])]));
    writeFileSync(join(run, 'validation', 'events.out.tfevents.1.host.v2'), tfrecordFile([versionEvent(), ...epochs.map((e) => scalarEvent(e, 'epoch_loss', 3.1 - 0.1 * e, 'tensor-float'))]));
    const curve = await readLog(run);
    expect(curve.columns).toMatchObject({ train: 'epoch_loss', eval: 'validation/epoch_loss', lr: 'epoch_learning_rate' });
    expect(curve.eval!.values[0]).toBeCloseTo(3.1, 5);
    expect(curve.warnings.join(' ')).toMatch(/logged per epoch, so its steps are epochs/);
    // with batch_loss, the per-epoch LR is not mixed into per-batch steps
    const batches = join(dir, 'keras-batches');
    mkdirSync(join(batches, 'train'), { recursive: true });
    writeFileSync(join(batches, 'train', 'events.out.tfevents.2.host.v2'), tfrecordFile([versionEvent(), ...Array.from({ length: 30 }, (_, b) => scalarEvent(b * 10, 'batch_loss', 3 - 0.01 * b, 'tensor-float')), ...epochs.map((e) => scalarEvent(e, 'epoch_learning_rate', 1e-3, 'tensor-float'))]));
    const perBatch = await readLog(batches);
    expect(perBatch.columns.train).toBe('batch_loss');
    expect(perBatch.lr).toBeNull();
    expect(perBatch.warnings.join(' ')).toMatch(/the loss is logged per batch \(batch_loss\) but the LR per epoch/);
  });
});

describe('8. smaller ones', () => {
  it('a diverged run is said to have diverged, at its step', () => {
    const r = runCli(['fit', `${HAND}diverged.csv`, '--from-step', '3500']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the run diverged at step 3000 \(the loss is NaN or infinite from there on\)/);
    const ok = fitJson([`${HAND}diverged.csv`]);
    expect(ok.warnings.map((w: { message: string }) => w.message).join(' ')).toMatch(/NaN or infinite from step 3000 on: the run diverged there/);
  });

  it('a trainer_state.json error names the log_history entry, not a line', () => {
    const r = runCli(['fit', `${HAND}hf-bad-entry_trainer_state.json`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/log_history entry 3: loss \(loss\) value "oops" is not a number; fix or delete the log_history entry/);
  });

  it('two different Megatron validation losses at one iteration: the first is kept, with a warning', async () => {
    const curve = await readLog(`${HAND}megatron-two-validations.log`);
    expect(curve.eval!.steps).toEqual([50, 100, 150, 200]);
    expect(curve.eval!.values[0]).toBeCloseTo(3.1 - 0.1, 6); // validation set, not the test set's 3.3
    expect(curve.warnings.join(' ')).toMatch(/4 iteration\(s\) have two different validation losses/);
  });

  it('the fit table shows where the data lies, and the fit window separately', () => {
    const r = runCli(['fit', `${HAND}diverged.csv`, '--from-step', '1000', '--no-chart', '--samples', '0']);
    expect(r.stdout).toMatch(/diverged +train +299 +10–2,990 +200/);
    expect(r.stdout).toMatch(/99 point\(s\) outside the fit window \(steps 1,000–2,990\) not fitted/);
  });
});

describe('no message prints a raw control character', () => {
  it('binary with terminal escapes fed to every command', () => {
    const nasty = join(dir, 'nasty.csv');
    writeFileSync(nasty, Buffer.concat([Buffer.from('step,lo\x1b]0;pwned\x07ss,l\x00r\n1,2,3\n'), Buffer.from([0x9b, 0x32, 0x4a, 0x07, 0x08])]));
    const manifest = join(dir, 'nasty-manifest.json');
    writeFileSync(manifest, JSON.stringify({ runs: [{ file: nasty, role: 'train' }, { file: nasty, role: 'test', label: 'b' }] }));
    const ranking = join(dir, 'nasty-ranking.json');
    writeFileSync(ranking, '{"command":"compare","ranking":[{"rank":1,"name":"a\x1b[2J\x07","tie":false}]}');
    const runs = [
      ['fit', nasty],
      ['fit', nasty, '--format', 'csv'],
      ['inspect', nasty],
      ['inspect', nasty, '--format', 'csv'],
      ['predict', '--fit', nasty, '--schedule', 'constant:peak=1e-3,total=10'],
      ['compare', '--fit', nasty, '--schedule', 'constant:peak=1e-3,total=10'],
      ['evaluate', manifest],
      ['check', '--fit', nasty, nasty],
      ['check', '--expect-best', 'a\x1b]0;x\x07', ranking],
      ['schedule', `file:path=${nasty}`],
      ['fit', `x.csv@cosine:peak=3e-4,total=1\x1b[31m`],
      ['fit', nasty, '--loss-col', 'lo\x1b]0;x\x07ss'],
    ];
    for (const args of runs) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      // only newline (and tab) among the C0/C1 control characters
      expect(`${r.stdout}${r.stderr}`, args.join(' ')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
  });
});
