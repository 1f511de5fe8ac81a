/**
 * Hostile input and faults, round 3 (issue 23): one block per numbered item, each on inputs the
 * test makes itself. Every failure must be one line naming the file or option and what to do,
 * with exit 1 (bad data) or 2 (usage), and nothing written where nothing should be.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';
import { expectOneLineError, scratchFolder } from './helpers/files.js';

const { dir, file } = scratchFolder('losscast-faults-');
const oneLineError = expectOneLineError;
/** Runs a bash command line (LOSSCAST stands for the built CLI), so that redirections (> /dev/full, <(…)) are real. */
const bash = (command: string) => {
  const r = spawnSync('bash', ['-c', command.replaceAll('LOSSCAST', `node ${ROOT}bin/losscast.js`)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
/** Runs the CLI with `args` through bash. */
const shell = (args: string) => bash(`LOSSCAST ${args}`);

describe('1. stdout on a full disk', () => {
  it('inspect, fit and schedule --json > /dev/full end in one line naming standard output and ENOSPC, exit 1', () => {
    for (const command of [`inspect ${ROOT}fixtures/mpl-400M/cosine_24000.csv`, 'schedule "cosine:peak=3e-4,total=1000" --json', `fit ${ROOT}fixtures/mpl-400M/cosine_24000.csv --samples 0 -q`]) {
      oneLineError(shell(`${command} > /dev/full`), 1, /^losscast: cannot write to standard output \(ENOSPC: no space left on the device\); free some space, or redirect the output elsewhere\n$/);
    }
  });

  it('with stderr on the full disk too, the exit status alone says it', () => {
    const r = shell('schedule "cosine:peak=3e-4,total=1000" > /dev/full 2>&1');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
  });
});

describe('2. JSON nested thousands deep', () => {
  const deepArray = '['.repeat(6000) + ']'.repeat(6000);
  const deepObject = '{"a":'.repeat(6000) + '1' + '}'.repeat(6000);
  it('a .json log, a trainer_state whose log_history nests, and one JSONL record: one line, exit 1', () => {
    oneLineError(runCli(['fit', file('deep.json', deepArray)]), 1, /deep\.json: nests arrays or objects more than 100 levels deep, which no training log does; is it the right file\?/);
    oneLineError(runCli(['fit', file('deep_trainer_state.json', `{"log_history": ${deepArray}}`)]), 1, /deep_trainer_state\.json: nests arrays or objects more than 100 levels deep/);
    const jsonl = `{"step": 1, "loss": 2.5}\n{"step": 2, "loss": 2.4, "extra": ${deepObject}}\n{"step": 3, "loss": 2.3}\n`;
    oneLineError(runCli(['fit', file('deep.jsonl', jsonl)]), 1, /deep\.jsonl:2: nests arrays or objects more than 100 levels deep, which no log record does/);
    oneLineError(runCli(['inspect', file('deep-inspect.jsonl', jsonl)]), 1, /deep-inspect\.jsonl:2: nests/);
  });

  it('a params file, a compare result and a YAML manifest nested thousands deep', () => {
    oneLineError(runCli(['predict', '--params', file('deep-params.json', deepObject), '--schedule', 'cosine:peak=3e-4,total=1000']), 1, /deep-params\.json: nests .* which no params file does/);
    oneLineError(runCli(['check', '--params', file('deep-params2.json', `{"params": ${deepObject}}`), `${ROOT}fixtures/mpl-400M/cosine_24000.csv`]), 1, /deep-params2\.json: nests/);
    oneLineError(runCli(['evaluate', file('deep.yaml', deepArray)]), 1, /deep\.yaml: nests .* which no manifest does/);
  });
});

describe('3. optimize is bounded by what the input can justify', () => {
  const params = () => file('mpl-params.json', JSON.stringify({ model: 'multi-power-law', L0: 2.375, A: 0.654, alpha: 0.429, B: 523.425, C: 2.025, beta: 0.594, gamma: 0.635 }));

  it('--blocks beyond the documented cap is a usage error before any work, whatever --total', () => {
    const p = params();
    oneLineError(runCli(['optimize', '--params', p, '--peak', '3e-4', '--free-form', '--blocks', '1e9', '--total', '1e9']), 2, /--blocks 1000000000: give a whole number from 1 to 1,000/);
    oneLineError(runCli(['optimize', '--params', p, '--peak', '3e-4', '--free-form', '--blocks', '100000', '--total', '24000']), 2, /--blocks 100000: give a whole number from 1 to 1,000/);
    expect(runCli(['optimize', '--help']).stdout).toMatch(/at most\s+1,000, and at most one per step after warmup/);
  });

  it('more blocks than steps after warmup: one block per step, with a warning', () => {
    const r = runCli(['optimize', '--params', params(), '--peak', '3e-4', '--warmup', '100', '--total', '160', '--free-form', '--blocks', '500', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.warnings.find((w: { code: string }) => w.code === 'blocks-capped').message).toBe('--blocks 500 is more than the 60 steps after warmup: one block per step (60 blocks)');
  });

  it('a default baseline the law cannot follow is refused first, named as the default', () => {
    oneLineError(runCli(['optimize', '--params', params(), '--peak', '3e-4', '--free-form', '--total', '1e9']), 2, /--total 1000000000: the default baseline cannot be scored \(.*more than losscast follows.*\); shorten --total, or give --baseline SPEC/);
  });

  it('a warmup ramp longer than EXACT_RAMP_STEPS is merged, within 1e-7 nats of the exact sum', async () => {
    const { mplBlockObjective, EXACT_RAMP_STEPS } = await import('../src/law/mpl/blocks.js');
    const { mplLossAt } = await import('../src/law/mpl/law.js');
    const { makeProfile } = await import('../src/core/lr-profile.js');
    const p = { L0: 2.375, A: 0.654, alpha: 0.429, B: 523.425, C: 2.025, beta: 0.594, gamma: 0.635 };
    const warmup = 3 * EXACT_RAMP_STEPS;
    const lengths = [20_000, 20_000, 10_000];
    const lrs = [3e-4, 1e-4, 2e-5];
    const profile = makeProfile([{ from: 0, to: warmup, lrAt: (t: number) => (3e-4 * t) / warmup }, ...lengths.map((n, b) => ({ from: warmup + lengths.slice(0, b).reduce((a, c) => a + c, 0), to: warmup + lengths.slice(0, b + 1).reduce((a, c) => a + c, 0), lr: lrs[b] }))], { peak: 3e-4, warmupEnd: warmup });
    for (const convention of ['paper', 'released'] as const) {
      const merged = mplBlockObjective(p, convention, { peak: 3e-4, warmup, lengths })(lrs);
      const exact = mplLossAt(p, profile, [profile.length], convention, 0)[0];
      expect(Math.abs(merged - exact)).toBeLessThan(1e-7);
    }
  });
});

describe('4. a read without a line break is capped', () => {
  it('fit /dev/zero with each text format forced ends within seconds in one line, exit 1', () => {
    for (const [format, limit] of [['csv', 64], ['megatron', 64], ['jsonl', 128]] as const) oneLineError(runCli(['fit', '/dev/zero', '--format', format]), 1, new RegExp(`/dev/zero: line 1 runs on for more than ${limit} MiB without a line break, which no text log does`));
    oneLineError(runCli(['fit', '/dev/zero', '--format', 'json']), 1, /\/dev\/zero: is not a JSON document: it starts with "\\u0000", not \{ or \[/);
    oneLineError(runCli(['fit', '/dev/zero', '--format', 'tensorboard']), 1, /\/dev\/zero: does not start with a TFRecord header/);
  });

  it('the same through standard input', () => {
    oneLineError(shell('fit - --format csv < /dev/zero'), 1, /-: line 1 runs on for more than 64 MiB without a line break/);
  });
});

describe('9. big records, files that change, pipes, exports without a loss', () => {
  const records = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) => Array.from({ length: n }, (_, i) => ({ step: (i + 1) * 10, loss: Number((2.5 + 1.5 * (i + 1) ** -0.4).toFixed(5)), learning_rate: 3e-4, ...extra(i) }));

  it('a one-line 10 MB JSON array is read whole, wherever the detection head cuts it', async () => {
    const { readLog } = await import('../src/io/read-log.js');
    // records whose text puts a "}" right at the 1 MiB cut, where a JSONL detector would see a complete object
    const text = JSON.stringify(records(40_000, (i) => ({ note: 'x'.repeat(200 + (i % 7)) })));
    const cut = text.lastIndexOf('}', 1 << 20);
    const padded = `${text.slice(0, cut)}${' '.repeat((1 << 20) - cut - 1)}${text.slice(cut)}`; // whitespace is valid JSON
    expect(padded[(1 << 20) - 1]).toBe('}');
    const curve = await readLog(file('one-line.json', padded));
    expect(curve.format).toBe('json');
    expect(curve.train!.steps).toHaveLength(40_000);
  });

  it('a JSONL log whose first line is over 1 MiB (a config blob) is read as JSON lines, named .jsonl or not', async () => {
    const { readLog } = await import('../src/io/read-log.js');
    const lines = [JSON.stringify({ step: 0, config: { blob: 'y'.repeat(3 << 20) } }), ...records(50).map((r) => JSON.stringify(r))].join('\n');
    for (const name of ['big-first.jsonl', 'big-first.log']) {
      const curve = await readLog(file(name, `${lines}\n`));
      expect(curve.train!.steps).toHaveLength(50);
    }
  });

  it('a file that shrinks between opening and reading is an error naming the sizes; one that grows is read', async () => {
    const { truncateSync, appendFileSync } = await import('node:fs');
    const { openLog, readSourceText, sizeChange } = await import('../src/io/source.js');
    const path = file('shrinks.csv', `step,loss\n${records(2000).map((r) => `${r.step},${r.loss}`).join('\n')}\n`);
    const source = await openLog(path);
    truncateSync(path, 10_000);
    await expect(readSourceText(source)).rejects.toThrow(/shrinks\.csv: changed size while it was read \([\d,]+ bytes when opened, 10,000 read, 10,000 now\): it was truncated or rewritten meanwhile; read it again once it is complete/);
    const growing = await openLog(path);
    appendFileSync(path, '20010,2.6\n');
    expect((await readSourceText(growing)).toString()).toMatch(/20010,2\.6\n$/);
    expect(sizeChange(100, 100, 100)).toBeNull();
    expect(sizeChange(100, 100, undefined)).toBeNull(); // deleted after opening: read whole
    expect(sizeChange(100, 120, 90)).toMatch(/120 read, 90 now/);
  });

  it('a log through process substitution <(…) and a named pipe is read once, as a stream (no ESPIPE)', () => {
    const csv = `${ROOT}fixtures/mpl-400M/cosine_24000.csv`;
    // reading is under test, not the law: the momentum law fits in milliseconds
    const fit = shell(`fit <(cat ${csv}) --model momentum --samples 0 --json -q`);
    expect(fit.stderr).toBe('');
    expect(JSON.parse(fit.stdout).runs[0].points).toBe(171);
    expect(shell(`fit <(gzip -c ${csv}) --model momentum --samples 0 --json -q`).code).toBe(0);
    const inspect = shell(`inspect <(cat ${csv}) --json`);
    expect(JSON.parse(inspect.stdout).logs[0].series.train.points).toBe(171);
    const fifo = join(dir, 'fifo.csv');
    const made = bash(`mkfifo ${fifo} && (cat ${csv} > ${fifo} &) && LOSSCAST fit ${fifo} --model momentum --samples 0 --json -q`);
    expect(JSON.parse(made.stdout).runs[0].points).toBe(171);
  });

  it('a W&B export of several runs, none with a loss: "no run has a loss" (exit 1), not a request for --run', () => {
    oneLineError(runCli(['fit', `${ROOT}fixtures/hand-made/wandb-no-loss-metric.csv`]), 1, /wandb-no-loss-metric\.csv: no run of this W&B export \(2 runs\) has a loss metric, only "train\/grad_norm"; export a loss chart, or name the metric with --loss-col/);
  });
});

describe('5. an empty file name is a usage error', () => {
  it('-o "" and --html "" (and --params "", an empty log) exit 2 naming the option, and write nothing', () => {
    const log = `${ROOT}fixtures/mpl-400M/cosine_24000.csv`;
    oneLineError(runCli(['fit', log, '--samples', '0', '-o', '']), 2, /^losscast: -o "": an empty name names no file; give the file's name\n$/);
    oneLineError(runCli(['fit', log, '--samples', '0', '--html', ' ']), 2, /^losscast: --html " ": an empty name names no file/);
    oneLineError(runCli(['optimize', '--params', file('bare-5.json', JSON.stringify({ L0: 2.4, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 })), '--peak', '3e-4', '--total', '24000', '-o', '']), 2, /-o "": an empty name/);
    oneLineError(runCli(['predict', '--params', '', '--schedule', 'cosine:peak=3e-4,total=100']), 2, /--params "": an empty name/);
    oneLineError(runCli(['fit', '']), 2, /an empty log argument names no file/);
  });
});

describe('6. absurd numeric options are usage errors', () => {
  const log = `${ROOT}fixtures/mpl-400M/cosine_24000.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`;
  const cases: [string[], RegExp][] = [
    [['predict', '--fit', log, '--samples', '20', '--schedule', 'cosine:peak=3e-4,total=24000', '--noise-floor', '1e308'], /--noise-floor 1e\+308: give a value from 0 to 0\.1 \(/],
    [['fit', log, '--samples', '1e9'], /--samples 1000000000: give a value from 0 to 10,000/],
    [['fit', log, '--model', 'mpl', '--mpl-prior', '1e308'], /--mpl-prior 1e\+308: give a value from 0 to 1 /],
    [['check', '--fit', log, log, '--window', '0'], /--window 0: give a value from 1 to 524,288/],
    [['check', '--fit', log, log, '--smooth', '1e308'], /--smooth 1e\+308: give a value from 1 to/],
    [['compare', '--fit', log, '--schedule', 'cosine:peak=3e-4,total=24000', '--tolerance', '1e308'], /--tolerance 1e\+308: give a value above 0 and at most 1 /],
    [['predict', '--fit', log, '--schedule', 'cosine:peak=3e-4,total=24000', '--tail', '5'], /--tail 5: give a value above 0 and at most 1 /],
  ];
  for (const [args, message] of cases) it(args.slice(-2).join(' '), () => oneLineError(runCli(args), 2, message));
});

describe('7. an output is never an input', () => {
  it('fit log.csv -o log.csv, --html over a log reached through a symlink, -o over a file:path= schedule: exit 2, the input untouched', async () => {
    const { copyFileSync, readFileSync, symlinkSync } = await import('node:fs');
    const log = join(dir, 'log.csv');
    copyFileSync(`${ROOT}fixtures/mpl-400M/cosine_24000.csv`, log);
    const before = readFileSync(log, 'utf8');
    oneLineError(runCli(['fit', log, '-o', log]), 2, /-o \S+log\.csv is also an input \(\S+log\.csv\): writing it would replace what losscast reads; write to another file/);
    symlinkSync(log, join(dir, 'link.csv'));
    oneLineError(runCli(['fit', join(dir, 'link.csv'), '--samples', '0', '--html', log]), 2, /--html \S+log\.csv is also an input \(\S+link\.csv\)/);
    oneLineError(runCli(['fit', `${log}@cosine:peak=3e-4,warmup=2160,total=24000`, '--samples', '0', '-o', `${dir}/./log.csv`]), 2, /is also an input/);
    const lrs = file('lrs.csv', `step,lr\n${Array.from({ length: 100 }, (_, i) => `${i},3e-4`).join('\n')}\n`);
    oneLineError(runCli(['optimize', '--params', file('bare-7b.json', JSON.stringify({ L0: 2.4, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 })), '--peak', '3e-4', '--total', '100', '--baseline', `file:path=${lrs}`, '-o', lrs]), 2, /-o \S+lrs\.csv is also an input/);
    oneLineError(runCli(['fit', log, '--samples', '0', '-o', join(dir, 'same.out'), '--html', join(dir, 'same.out')]), 2, /-o and --html both name \S+same\.out: one would overwrite the other/);
    expect(readFileSync(log, 'utf8')).toBe(before);
  });
});

describe('8. losses no training run has', () => {
  const rows = (loss: (i: number) => string) => `step,loss,lr\n${Array.from({ length: 60 }, (_, i) => `${(i + 1) * 10},${loss(i)},3e-4`).join('\n')}\n`;
  it('a log of 1e308 losses says what is wrong with the data (exit 1), never "R² NaN RMSE Infinity"', () => {
    for (const [name, loss] of [['all-1e308.csv', () => '1e308'], ['varying-1e300.csv', (i: number) => String(1e300 * (1 + 1 / (i + 1)))]] as const) {
      const r = runCli(['fit', file(name, rows(loss)), '--samples', '0']);
      oneLineError(r, 1, new RegExp(`${name.replace('.', '\\.')}: has no usable loss values: skipped 60 × loss is above 1,000,000, which no per-token loss is \\(a sum, a perplexity, a corrupt value\\?\\); check the loss column \\(--loss-col\\)`));
      expect(r.stdout).not.toMatch(/NaN|Infinity/);
    }
    oneLineError(runCli(['fit', file('negative.csv', rows(() => '-1')), '--samples', '0']), 1, /negative\.csv: has no usable loss values: skipped 60 × loss is negative; check the loss column/);
  });

  it('one such value in a good log is skipped and counted; the fit and its metrics are finite', () => {
    const r = runCli(['fit', file('one-1e308.csv', rows((i) => (i === 30 ? '1e308' : (2.5 + 1.5 * (i + 1) ** -0.4).toFixed(5)))), '--samples', '0', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.runs[0].skipped).toContainEqual(expect.objectContaining({ reason: 'loss is above 1,000,000, which no per-token loss is (a sum, a perplexity, a corrupt value?)', count: 1 }));
    for (const v of Object.values(doc.metrics)) expect(Number.isFinite(v)).toBe(true);
  });
});

describe('found by npm run fuzz', () => {
  it('a log with \\r line ends is one 200 KB line: the W&B header test looks at header-sized cells only (its pattern backtracks quadratically)', async () => {
    const { wandbCsvFormat } = await import('../src/io/formats/wandb-csv.js');
    const header = '"Step","run-a - train/loss","run-a - train/loss__MIN","run-a - train/loss__MAX"\n1,2.5,2.4,2.6\n';
    expect(wandbCsvFormat.detect(header, 'export.csv')).toBe(35);
    const oneLine = Array.from({ length: 8000 }, (_, i) => `step:${i}/3000 train_loss:2.5 train_time:1ms step_avg:1ms`).join('\r');
    expect(wandbCsvFormat.detect(oneLine, 'log.txt')).toBe(0);
    const r = runCli(['fit', file('cr-only.txt', oneLine), '--samples', '0']);
    expect([1, 2]).toContain(r.code);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
