/**
 * Every real log in fixtures/real-logs/ read with no flags: detected format, points per
 * series and the first/last (step, value) of each, checked by hand against the files.
 */
import { describe, expect, it } from 'vitest';
import { readLog } from '../src/io/read-log.js';
import { loadCurve } from '../src/io/load-run.js';
import { prepareRun } from '../src/io/prepare-run.js';
import type { Series } from '../src/core/curve.js';
import { FIXTURES, runCli } from './helpers/cli.js';

const REAL = `${FIXTURES}real-logs/`;

/** [points, [firstStep, firstValue], [lastStep, lastValue]] or null when the series is absent. */
type Expect = [number, [number, number], [number, number]] | null;

interface Case {
  file: string;
  format: string;
  train: Expect;
  eval: Expect;
  lr: Expect;
  total?: number;
  run?: string;
}

const CASES: Case[] = [
  {
    file: 'hf-trainer-state/whisper-large-v2-ja-5k_trainer_state.json',
    format: 'hf-trainer-state',
    total: 5000,
    train: [200, [25, 0.3048], [5000, 0.0002]],
    eval: [5, [1000, 0.320997953414917], [5000, 0.4200145900249481]],
    lr: [200, [25, 4.6000000000000004e-7], [5000, 8.88888888888889e-9]],
  },
  {
    file: 'hf-trainer-state/mistral-7b-translator-lora_trainer_state.json',
    format: 'hf-trainer-state',
    total: 8660,
    train: [866, [10, 2.4977], [8660, 0.1333]],
    eval: null,
    lr: [866, [10, 5.773672055427253e-7], [8660, 0]],
  },
  {
    file: 'llamafactory-jsonl/mistral-7b-translator-lora_trainer_log.jsonl',
    format: 'llamafactory',
    total: 8660,
    train: [866, [10, 2.4977], [8660, 0.1333]],
    eval: null,
    lr: [866, [10, 5.773672055427253e-7], [8660, 0]],
  },
  {
    file: 'megatron/bigscience_meg_gpt2_base_n8_dp1_tp4_pp8-1809562.out',
    format: 'megatron',
    total: 1000,
    // iteration 10 has no lm loss (every step of the interval skipped) but logs LR 0
    train: [19, [20, 12.10588], [200, 7.534106]],
    eval: [2, [100, 8.095942], [200, 7.645013]],
    lr: [20, [10, 0], [200, 1.342e-4]],
  },
  {
    file: 'llmc/llmc_gpt2-124M_main.head2000.log',
    format: 'llmc',
    train: [1992, [0, 11.0091], [1991, 3.9052]],
    eval: [8, [0, 11.0092], [1750, 3.9189]],
    lr: [1992, [0, 0.000001], [1991, 0.000593]],
  },
  {
    file: 'modded-nanogpt/2024-11-10_UNetDoubleLr_c87bb826.steps.txt',
    format: 'modded-nanogpt',
    total: 3000,
    train: [3000, [1, 10.8258], [3000, 3.2425]],
    eval: [25, [0, 10.8258], [3000, 3.2753]],
    lr: null,
  },
  {
    file: 'nanogpt/shakespeare-char_gpt2-12L_output.log',
    format: 'nanogpt',
    train: [2156, [0, 4.4512], [2155, 0.0276]],
    eval: [11, [0, 4.4402], [2000, 4.2661]],
    lr: null,
  },
  {
    file: 'olmo/OLMo-150M-tied-emb_train.log',
    format: 'olmo',
    total: 10000,
    train: [37, [10, 9.064], [370, 4.83]],
    eval: null,
    lr: null,
  },
  {
    file: 'lightning-csv/ml-aos_version_3_metrics.csv',
    format: 'lightning',
    train: [604, [49, 0.12900930643081665], [30199, 0.0010093876626342535]],
    eval: [200, [150, 0.017430756241083145], [30199, 0.0003582172212190926]],
    lr: null,
  },
  {
    file: 'wandb-export-csv/nanogpt-runs_chart-export_train-loss.csv',
    format: 'wandb-csv',
    run: 'gpt2',
    train: [386, [0, 10.95404052734375], [385, 3.2849113941192627]],
    eval: null,
    lr: null,
  },
  {
    file: 'wandb-history-json/124m_cos-10_lr0.001_iter25000.json',
    format: 'wandb-history',
    total: 25000,
    train: [500, [50, 8.13530158996582], [25000, 3.112354278564453]],
    eval: [125, [0, 10.902082443237305], [24800, 3.015746831893921]],
    lr: [500, [50, 7.675149590279421e-5], [25000, 0.00010000000363989084]],
  },
  {
    file: 'wandb-history-json/124m_stable-constant_lr0.001_iter50000.json',
    format: 'wandb-history',
    total: 50000,
    train: [1000, [50, 7.222208023071289], [50000, 3.172239303588867]],
    eval: [250, [0, 10.902082443237305], [49800, 3.1032519340515137]],
    lr: [1000, [50, 0.000175], [50000, 0]],
  },
  {
    file: 'wandb-history-json/124m_wsd-cooldown0.2-branch_lr0.001_iter25000.json',
    format: 'wandb-history',
    total: 25000,
    train: [100, [20050, 3.1358816623687744], [25000, 3.1072869300842285]],
    eval: [25, [20000, 3.172651529312134], [24800, 3.0028281211853027]],
    lr: [100, [20050, 0.00099], [25000, 0]],
  },
  {
    file: '../mpl-400M/cosine_24000.csv',
    format: 'csv',
    train: [171, [2160, 3.5563], [23920, 2.7396]],
    eval: null,
    lr: [171, [2160, 0.0003], [23920, 3.000893868085248e-5]],
  },
];

function check(series: Series | null, expected: Expect, what: string): void {
  if (expected === null) {
    expect(series, `${what} should be absent`).toBeNull();
    return;
  }
  expect(series, what).not.toBeNull();
  const [points, [s0, v0], [s1, v1]] = expected;
  expect(series!.steps.length, `${what} points`).toBe(points);
  expect([series!.steps[0], series!.values[0]], `${what} first`).toEqual([s0, v0]);
  expect([series!.steps[points - 1], series!.values[points - 1]], `${what} last`).toEqual([s1, v1]);
}

describe('real logs are read with no flags', () => {
  for (const c of CASES) {
    it(`${c.file} (${c.format})`, async () => {
      const curve = await readLog(REAL + c.file, c.run !== undefined ? { run: c.run } : {});
      expect(curve.format).toBe(c.format);
      check(curve.train, c.train, 'train');
      check(curve.eval, c.eval, 'eval');
      check(curve.lr, c.lr, 'lr');
      expect(curve.totalSteps).toBe(c.total);
    });
  }
});

describe('format quirks on real logs', () => {
  it('the HF trainer_state.json and the LLaMA-Factory JSONL of the same run give identical curves', async () => {
    const hf = await readLog(`${REAL}hf-trainer-state/mistral-7b-translator-lora_trainer_state.json`);
    const lf = await readLog(`${REAL}llamafactory-jsonl/mistral-7b-translator-lora_trainer_log.jsonl`);
    expect(lf.train).toEqual(hf.train);
    expect(lf.lr).toEqual(hf.lr);
    expect(lf.eval).toEqual(hf.eval);
    expect(lf.totalSteps).toBe(hf.totalSteps);
  });

  it('a W&B cool-down branch is stitched after its parent with prefix', async () => {
    const curve = await loadCurve(`${REAL}wandb-history-json/124m_wsd-cooldown0.2-branch_lr0.001_iter25000.json`, {
      prefix: `${REAL}wandb-history-json/124m_stable-constant_lr0.001_iter50000.json`,
    });
    // parent train/LR points up to 20000 (every 50: 400), then the branch's 100 from 20050
    expect(curve.train!.steps.length).toBe(500);
    expect(curve.train!.steps[399]).toBe(20000);
    expect(curve.train!.steps[400]).toBe(20050);
    expect(curve.lr!.steps.length).toBe(500);
    // parent eval before 20000 (0..19800 every 200: 100), then the branch's 25 from 20000
    expect(curve.eval!.steps.length).toBe(125);
    expect(curve.eval!.values[100]).toBe(3.172651529312134);
    expect(curve.totalSteps).toBe(25000);
    expect(curve.warnings.join('\n')).toMatch(/stitched after the parent run/);
    const run = prepareRun({ curve });
    expect(run.anneals).toBe(true);
  });

  it('the eval loss is fitted by default when it has at least 10 points, else the training loss, and says so', async () => {
    const wandb = prepareRun({ curve: await readLog(`${REAL}wandb-history-json/124m_cos-10_lr0.001_iter25000.json`) });
    expect(wandb.series).toBe('eval');
    expect(wandb.warnings.find((w) => w.code === 'series-choice')?.message).toMatch(/fitting the eval loss \(125 points\)/);
    const llmc = prepareRun({ curve: await readLog(`${REAL}llmc/llmc_gpt2-124M_main.head2000.log`) });
    expect(llmc.series).toBe('train');
    expect(llmc.warnings.find((w) => w.code === 'series-choice')?.message).toMatch(/eval loss has only 8 point/);
    const forced = prepareRun({ curve: await readLog(`${REAL}wandb-history-json/124m_cos-10_lr0.001_iter25000.json`), series: 'train' });
    expect(forced.series).toBe('train');
    expect(forced.loss).toHaveLength(500);
  });

  it('perplexity is never read as a loss', async () => {
    const wandb = await readLog(`${REAL}wandb-history-json/124m_cos-10_lr0.001_iter25000.json`);
    expect(wandb.columns.train).toBe('train.train_loss');
    const olmo = await readLog(`${REAL}olmo/OLMo-150M-tied-emb_train.log`);
    expect(olmo.columns.train).toBe('train/CrossEntropyLoss');
    expect(Math.max(...olmo.train!.values)).toBeLessThan(12); // perplexities are in the thousands
  });

  it('a multi-run W&B export asks for --run and lists the runs', async () => {
    await expect(readLog(`${REAL}wandb-export-csv/nanogpt-runs_chart-export_train-loss.csv`)).rejects.toThrow(/holds 8 runs; choose one with --run NAME.*"gpt2"/);
    await expect(readLog(`${REAL}wandb-export-csv/nanogpt-runs_chart-export_train-loss.csv`, { run: 'nope' })).rejects.toThrow(/no run "nope"/);
  });
});

describe('losscast inspect', () => {
  it('reports format, series, LR source and skipped lines of a Megatron log', () => {
    const r = runCli(['inspect', `${REAL}megatron/bigscience_meg_gpt2_base_n8_dp1_tp4_pp8-1809562.out`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/format\s+megatron/);
    expect(r.stdout).toMatch(/total steps\s+1,000/);
    expect(r.stdout).toMatch(/train loss\s+lm loss\s+19\s+20–200/);
    expect(r.stdout).toMatch(/eval loss\s+validation lm loss\s+2\s+100–200/);
    expect(r.stdout).toMatch(/LR source\s+logged-interpolated/);
    expect(r.stdout).toMatch(/skipped\s+1 × iteration line without a loss/);
  });

  it('lists the runs of a W&B export, and --json has one entry per run', () => {
    const file = `${REAL}wandb-export-csv/nanogpt-runs_chart-export_train-loss.csv`;
    const text = runCli(['inspect', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/8 runs; fit or inspect one with --run NAME/);
    expect(text.stdout).toMatch(/gpt2\s+train\/loss\s+386\s+0–385/);
    const json = JSON.parse(runCli(['inspect', file, '--json']).stdout);
    expect(json.logs).toHaveLength(8);
    expect(json.logs.map((l: { run: string }) => l.run)).toContain('gpt2');
    expect(json.logs[0].lrSource).toBeNull();
  });

  it('says when the log has no LR and what to do, and what a given schedule would change', () => {
    const r = runCli(['inspect', `${REAL}olmo/OLMo-150M-tied-emb_train.log`]);
    expect(r.stdout).toMatch(/LR source\s+none: .*--schedule/);
    const withSpec = runCli(['inspect', `${REAL}olmo/OLMo-150M-tied-emb_train.log@cosine:peak=6e-4,warmup=100,total=10000`]);
    expect(withSpec.stdout).toMatch(/LR source\s+schedule: from the schedule cosine:peak=6e-4,warmup=100,total=10000/);
  });

  it('lists the formats', () => {
    const r = runCli(['inspect', '--formats']);
    for (const name of ['hf-trainer-state', 'megatron', 'llmc', 'tensorboard', 'mlflow', 'wandb-csv', 'olmo']) expect(r.stdout).toContain(name);
  });

  it('fit --prefix stitches a W&B cool-down branch after its parent', () => {
    const branch = `${REAL}wandb-history-json/124m_wsd-cooldown0.2-branch_lr0.001_iter25000.json`;
    const r = runCli(['fit', branch, '--prefix', `${REAL}wandb-history-json/124m_stable-constant_lr0.001_iter50000.json`, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.runs[0].points).toBe(125); // eval: 100 parent points before 20000 + 25 of the branch
    expect(doc.warnings.map((w: { message: string }) => w.message).join('\n')).toMatch(/stitched after the parent run/);
    expect(doc.settings.cIdentifiable).toBe(true);
  });

  it('a fine-tuning curve the law cannot describe is flagged, and a branch read alone suggests --prefix', () => {
    // what the fit and the reading say: no bootstrap needed
    const whisper = JSON.parse(runCli(['fit', `${REAL}hf-trainer-state/whisper-large-v2-ja-5k_trainer_state.json`, '--samples', '0', '--json']).stdout);
    expect(whisper.metrics.r2).toBeLessThan(0.9);
    expect(whisper.warnings.map((w: { code: string }) => w.code)).toContain('poor-fit');
    const branch = JSON.parse(runCli(['fit', `${REAL}wandb-history-json/124m_wsd-cooldown0.2-branch_lr0.001_iter25000.json`, '--samples', '0', '--json']).stdout);
    // the branch's LR log starts late and already falling: the trend is continued back (no invented warmup), and --prefix suggested
    expect(branch.warnings.find((w: { code: string }) => w.code === 'lr-extrapolated').message).toMatch(/--prefix PARENT/);
  });

  it('fit works on a real log with no flags (W&B history: eval loss, logged LR)', () => {
    const r = runCli(['fit', `${REAL}wandb-history-json/124m_cos-10_lr0.001_iter25000.json`, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.runs[0].series).toBe('eval');
    expect(doc.metrics.r2).toBeGreaterThan(0.95);
  });
});
