/**
 * Formats without a real sample in fixtures (TensorBoard, MLflow) written by small writers
 * here, and the quirks of console logs: prefixes, ANSI codes, NaN tokens, LFS pointers.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readLog } from '../src/io/read-log.js';
import { crc32c } from '../src/io/tensorboard/crc32c.js';
import { runCli } from './helpers/cli.js';
import { scalarEvent, tfrecordFile, versionEvent } from './helpers/tfevents.js';

const dir = mkdtempSync(join(tmpdir(), 'losscast-formats-'));
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

describe('TensorBoard event files', () => {
  it('CRC-32C matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('reads simple_value scalars (PyTorch SummaryWriter) with loss, eval loss and LR tags', async () => {
    const records = [versionEvent()];
    for (let step = 10; step <= 100; step += 10) {
      records.push(scalarEvent(step, 'train/loss', 4 - step / 100));
      records.push(scalarEvent(step, 'train/learning_rate', 1e-3 * (1 - step / 200)));
      if (step % 50 === 0) records.push(scalarEvent(step, 'eval/loss', 3.5 - step / 100));
      records.push(scalarEvent(step, 'train/grad_norm', 1));
    }
    const path = file('tb/events.out.tfevents.1700000000.host.1.0', tfrecordFile(records));
    const curve = await readLog(path);
    expect(curve.format).toBe('tensorboard');
    expect(curve.train!.steps).toHaveLength(10);
    expect(curve.train!.values[0]).toBeCloseTo(3.9, 6);
    expect(curve.eval!.steps).toEqual([50, 100]);
    expect(curve.lr!.values[9]).toBeCloseTo(5e-4, 9);
    expect(curve.columns).toMatchObject({ train: 'train/loss', eval: 'eval/loss', lr: 'train/learning_rate' });
  });

  it('reads TF2 scalar tensors (float_val and tensor_content), and is detected by content without the usual name', async () => {
    const records = [versionEvent(), scalarEvent(1, 'loss', 2.5, 'tensor-float'), scalarEvent(2, 'loss', 2.25, 'tensor-content-double'), scalarEvent(1, 'learning-rate', 1e-4, 'tensor-float')];
    const curve = await readLog(file('renamed.bin', tfrecordFile(records)));
    expect(curve.format).toBe('tensorboard');
    expect(curve.train).toEqual({ steps: [1, 2], values: [2.5, 2.25] });
    expect(curve.lr!.values[0]).toBeCloseTo(1e-4, 10);
  });

  it('a run folder with a restarted second file: later files win for repeated steps', async () => {
    file('run/events.out.tfevents.1000.host.1.0', tfrecordFile([versionEvent(), ...[1, 2, 3, 4].map((s) => scalarEvent(s, 'lm loss', 10 - s))]));
    file('run/events.out.tfevents.2000.host.1.0', tfrecordFile([versionEvent(), ...[3, 4, 5].map((s) => scalarEvent(s, 'lm loss', 5 - s / 10))]));
    const curve = await readLog(join(dir, 'run'));
    expect(curve.train!.steps).toEqual([1, 2, 3, 4, 5]);
    expect(curve.train!.values[2]).toBeCloseTo(4.7, 5);
    expect(curve.warnings.join()).toMatch(/repeated step/);
  });

  it('a file cut in the middle of its last record is read up to there, with a warning', async () => {
    const whole = tfrecordFile([versionEvent(), scalarEvent(1, 'loss', 3), scalarEvent(2, 'loss', 2.9)]);
    const curve = await readLog(file('cut/events.out.tfevents.1.host', whole.subarray(0, whole.length - 7)));
    expect(curve.train!.steps).toEqual([1]);
    expect(curve.warnings.join()).toMatch(/partial record/);
  });

  it('a corrupt record is a clear error naming the byte, and an LFS pointer says to fetch the file', () => {
    const bad = Buffer.from(tfrecordFile([versionEvent(), scalarEvent(1, 'loss', 3)]));
    bad[bad.length - 10] ^= 0xff;
    const r = runCli(['inspect', file('bad/events.out.tfevents.1.host', bad)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/events\.out\.tfevents\.1\.host: corrupt record at byte \d+ \(data CRC mismatch\)/);
    const lfs = runCli(['inspect', file('lfs/events.out.tfevents.2.host', 'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n')]);
    expect(lfs.code).toBe(1);
    expect(lfs.stderr).toMatch(/is a Git LFS pointer, not the log itself; run "git lfs pull"/);
  });
});

describe('MLflow file store', () => {
  it('reads a run folder: metrics/loss, metrics/learning_rate, metrics/eval_loss', async () => {
    const run = join(dir, 'mlruns/0/abc123');
    file('mlruns/0/abc123/meta.yaml', 'name: x\n');
    file('mlruns/0/abc123/metrics/loss', '1664364007310 3.5 10\n1664364008310 3.25 20\n1664364009310 nan 30\n');
    file('mlruns/0/abc123/metrics/learning_rate', '1664364007310 0.0001 10\n1664364008310 0.0002 20\n');
    file('mlruns/0/abc123/metrics/eval_loss', '1664364008310 3.4 20\n');
    file('mlruns/0/abc123/metrics/grad_norm', '1664364008310 1.2 20\n');
    const curve = await readLog(run);
    expect(curve.format).toBe('mlflow');
    expect(curve.train).toEqual({ steps: [10, 20], values: [3.5, 3.25] });
    expect(curve.eval).toEqual({ steps: [20], values: [3.4] });
    expect(curve.lr).toEqual({ steps: [10, 20], values: [0.0001, 0.0002] });
    expect(curve.skipped[0]).toMatchObject({ reason: 'loss is NaN or infinite', count: 1, firstLine: 3 });
  });

  it('reads one metric file by content', async () => {
    const curve = await readLog(file('single/loss', '1664364007310 0.7858095765113831 0\n1664364007410 0.70 1\n'));
    expect(curve.format).toBe('mlflow');
    expect(curve.train!.values).toEqual([0.7858095765113831, 0.7]);
  });
});

describe('console-log quirks', () => {
  it('Megatron lines with timestamps, torchrun rank prefixes and ANSI colours; end-of-training validation', async () => {
    const lines = [
      '[default7]: [2025-04-13 23:41:20] iteration       10/    100 | consumed samples: 40 | learning rate: 1.000000E-04 | global batch size: 4 | lm loss: 5.000000E+00 | loss scale: 1.0 |',
      '\x1b[32m0: [2025-04-13 23:41:30] iteration       20/    100 | learning rate: 2.000000E-04 | lm loss: 4.500000E+00 |\x1b[0m',
      ' time (ms) | forward-compute: 12.0 | backward-compute: 20.0 |',
      ' validation loss at the end of training for val data | lm loss value: 4.400000E+00 | lm loss PPL: 81.4 |',
    ];
    const curve = await readLog(file('meg.log', `${lines.join('\n')}\n`));
    expect(curve.format).toBe('megatron');
    expect(curve.train).toEqual({ steps: [10, 20], values: [5, 4.5] });
    expect(curve.lr).toEqual({ steps: [10, 20], values: [1e-4, 2e-4] });
    expect(curve.eval).toEqual({ steps: [20], values: [4.4] });
    expect(curve.totalSteps).toBe(100);
  });

  it('a resumed Megatron run re-logs iterations: the last occurrence wins', async () => {
    const line = (it: number, loss: number) => ` iteration ${it}/ 100 | learning rate: 1.0E-04 | lm loss: ${loss} |`;
    const curve = await readLog(file('resumed.out', [line(10, 5), line(20, 4.8), line(30, 4.6), line(20, 4.7), line(30, 4.5)].join('\n')));
    expect(curve.train).toEqual({ steps: [10, 20, 30], values: [5, 4.7, 4.5] });
  });

  it('llm.c: lr:0.000000 late in the decay is warned about', async () => {
    const lines: string[] = [];
    for (let s = 0; s < 40; s++) lines.push(`s:${s} trl:${(4 - s / 100).toFixed(4)} lr:${(s < 30 ? 0.0006 * (1 - s / 30) : 0).toFixed(6)} norm:0.3`);
    const curve = await readLog(file('main.log', lines.join('\n')));
    expect(curve.warnings.join()).toMatch(/only 6 decimals \(it prints lr:0\.000000 from step 30\).*--schedule/);
  });

  it('bare NaN and Infinity in a trainer_state.json are skipped and counted', async () => {
    const text = '{"log_history": [{"step": 1, "loss": NaN, "learning_rate": 1e-5}, {"step": 2, "loss": 2.5, "learning_rate": 2e-5}, {"step": 3, "loss": Infinity}, {"step": 3, "train_loss": 2.0}], "max_steps": 10}';
    const curve = await readLog(file('trainer_state.json', text));
    expect(curve.format).toBe('hf-trainer-state');
    expect(curve.train).toEqual({ steps: [2], values: [2.5] });
    expect(curve.skipped[0]).toMatchObject({ reason: 'loss is NaN or infinite', count: 2 });
  });

  it('a CSV with mixed line endings (CRLF header, LF rows: a log appended by another tool) is read whole', async () => {
    const curve = await readLog(file('mixed.csv', 'step,loss,lr\r\n1,3.5,0.1\n2,3.4,0.1\r\n3,3.3,0.1\n'));
    expect(curve.train).toEqual({ steps: [1, 2, 3], values: [3.5, 3.4, 3.3] });
  });

  it('a W&B runs-table export (no history) is recognised and refused with what to download instead', () => {
    const r = runCli(['inspect', file('runs.csv', '"Name","State","Notes","User","Tags","Created","Runtime","Sweep","lr","loss"\n"gpt2","finished","","me","","2024-10-01","100","","0.001","3.2"\n')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/runs\.csv: is a W&B "runs table" export \(one row per run, no loss history\); download the CSV of a loss chart panel/);
  });

  it('an unrecognised file lists the formats tried and the flags to force one', () => {
    const r = runCli(['fit', file('notes.txt', 'hello\nthis is not a log\n')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/notes\.txt: format not recognised \(tried hf-trainer-state, .*megatron, .*csv\); force one with --format NAME/);
  });

  it('gzip and stdin work for console logs too', () => {
    const text = 'iter 0: loss 4.4512, time 23218.37ms, mfu -100.00%\niter 1: loss 4.4586, time 193.77ms, mfu -100.00%\n';
    const r = runCli(['inspect', '-', '--json'], { input: text });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.logs[0].format).toBe('nanogpt');
    expect(doc.logs[0].series.train.points).toBe(2);
    const gz = runCli(['inspect', file('out.log.gz', gzipSync(text)), '--json']);
    expect(JSON.parse(gz.stdout).logs[0]).toMatchObject({ format: 'nanogpt', series: { train: { points: 2 } } });
  });
});
