/**
 * Benchmark cases, each run in its own process (`node dist/bench/cases.js NAME`) so that its
 * peak memory is its own. Prints one JSON line: { name, ms, rssMB, detail }. Cases that time the
 * command line run it in a child of their own (`cases.js --cli ARGS…`) and report that child's numbers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitLaw } from '../law/registry.js';
import type { ModelName } from '../law/types.js';
import { momentumLossAt } from '../law/momentum/law.js';
import { lrsAt } from '../core/lr-profile.js';
import { loadRun } from '../io/load-run.js';
import { readLog } from '../io/read-log.js';
import { parseSchedule, scheduleProfile } from '../schedule/schedule.js';
import { type FittedLaw, lawFromFit } from '../predict/fitted-law.js';
import { bootstrapFitParallel } from '../predict/parallel-bootstrap.js';
import { expandSweep, nameCandidates } from '../predict/candidates.js';
import { rankCandidates } from '../predict/rank.js';
import { type OptimizeOptions, optimizeSchedule } from '../predict/optimize/optimize.js';
import { main } from '../cli/main.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** The 866-point LoRA SFT trainer_state.json: a cosine over 8,660 steps, so the LR changes at every step. */
export const SFT_LOG = `${FIXTURES}real-logs/hf-trainer-state/mistral-7b-translator-lora_trainer_state.json`;

/** MPL fixture runs used for timing, with their schedules. */
export const MPL_TRAIN = (size: string) => [
  `${FIXTURES}mpl-${size}/cosine_24000.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`,
  `${FIXTURES}mpl-${size}/constant_24000.csv@constant:peak=3e-4,warmup=2160,total=24000`,
  `${FIXTURES}mpl-${size}/wsdcon_9.csv@twostage:peak=3e-4,warmup=2160,total=16000,switch=8000,second=9e-5`,
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function writeLines(path: string, count: number, line: (i: number) => string, flags = 'w'): Promise<void> {
  const out = createWriteStream(path, { flags });
  let buffer = '';
  for (let i = 0; i < count; i++) {
    buffer += line(i);
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

/** A synthetic 1M-step run simulated from the law with noise, as "step,loss,lr" rows. */
async function syntheticCsv(path: string, rows: number): Promise<void> {
  const schedule = parseSchedule(`cosine:peak=3e-4,warmup=10000,total=${rows},final=3e-5`);
  const profile = scheduleProfile(schedule, rows);
  const steps = Array.from({ length: rows }, (_, i) => i + 1);
  const loss = momentumLossAt({ L0: 2.5, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 }, profile, steps);
  const lrs = lrsAt(profile, steps);
  let seed = 1;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.02;
  writeFileSync(path, 'step,loss,lr\n');
  await writeLines(path, rows, (i) => `${steps[i]},${(loss[i] * (1 + noise())).toFixed(5)},${lrs[i].toExponential(6)}\n`, 'a');
}

/** A loss that falls like a training curve, with a little deterministic noise, for synthetic logs. */
function syntheticLoss(i: number): number {
  return 2.5 + 8 * (i + 100) ** -0.3 + 0.01 * Math.sin(i * 12.9898);
}

/** A Megatron-LM console log of `count` iteration lines (current layout, with timestamps), plus validation lines. */
async function syntheticMegatron(path: string, count: number): Promise<void> {
  await writeLines(path, count, (i) => {
    const it = i + 1;
    const lr = 3e-4 * Math.min(1, it / 2000);
    const line = ` [2026-08-22 15:22:22.123456] iteration ${String(it).padStart(8)}/ ${count} | consumed samples: ${String(it * 512).padStart(12)} | elapsed time per iteration (ms): 1234.5 | throughput per GPU (TFLOP/s/GPU): 400.1 | learning rate: ${lr.toExponential(6).toUpperCase()} | global batch size:   512 | lm loss: ${syntheticLoss(it).toExponential(6).toUpperCase()} | loss scale: 1.0 | grad norm: 1.234 | num zeros: 0 | params norm: 123.456 | number of skipped iterations:   0 | number of nan iterations:   0 |\n`;
    return it % 1000 === 0 ? `${line} validation loss at iteration ${it} | lm loss value: ${syntheticLoss(it).toExponential(6).toUpperCase()} | lm loss PPL: 1.0E+01 |\n` : line;
  });
}

/** A JSON-lines log of `count` records (LLaMA-Factory-like keys). */
async function syntheticJsonl(path: string, count: number): Promise<void> {
  await writeLines(path, count, (i) => {
    const step = i + 1;
    return `{"current_steps": ${step}, "total_steps": ${count}, "loss": ${syntheticLoss(step).toFixed(4)}, "learning_rate": ${3e-4 * Math.min(1, step / 2000)}, "epoch": ${(step / count).toFixed(6)}, "elapsed_time": "0:00:01", "throughput": "0.00"}\n`;
  });
}

/** Times reading a generated log; the file is written first and removed after. */
async function timeParse(name: string, write: (path: string) => Promise<void>): Promise<{ ms: number; detail: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'losscast-bench-'));
  const path = join(dir, name);
  try {
    await write(path);
    const size = statSync(path).size;
    const t0 = performance.now();
    const curve = await readLog(path);
    const ms = performance.now() - t0;
    return { ms, detail: `${curve.format}: ${(size / 1e6).toFixed(0)} MB file, ${curve.train?.steps.length ?? 0} loss points, ${curve.eval?.steps.length ?? 0} eval` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fits a law to runs (default: the three public 400M train runs) and bootstraps it (200 refits, on the cores the CLI uses); wall time of both. */
async function fitWithIntervals(model: ModelName, logs: readonly string[] = MPL_TRAIN('400M')): Promise<{ ms: number; detail: string; law: FittedLaw }> {
  const runs = [];
  for (const a of logs) runs.push(await loadRun(a));
  const t0 = performance.now();
  const fit = fitLaw(runs, { model });
  const t1 = performance.now();
  const uncertainty = await bootstrapFitParallel(runs, fit, {}, {});
  const ms = performance.now() - t0;
  return { ms, detail: `fit ${(t1 - t0).toFixed(0)} ms + ${uncertainty.samples} refits ${(ms - (t1 - t0)).toFixed(0)} ms`, law: lawFromFit(fit, runs, uncertainty) };
}

/** The run of median time of three (this machine's speed drifts by ±30 % from minute to minute), its detail listing all three times. */
async function medianOf3(run: () => Promise<{ ms: number; detail: string }>): Promise<{ ms: number; detail: string }> {
  const runs = [await run(), await run(), await run()].sort((a, b) => a.ms - b.ms);
  return { ms: runs[1].ms, detail: `median of 3 (${runs.map((r) => `${r.ms.toFixed(0)}`).join(' / ')} ms): ${runs[1].detail}` };
}

/** Ranks 100 candidates of 100,000 steps (90 WSD cooldown lengths, 10 cosine floors) under a model (with its bootstrap, when given). */
async function rankBench(model: FittedLaw['model'], uncertainty?: FittedLaw['uncertainty']): Promise<{ ms: number; detail: string }> {
  const law: FittedLaw = { model, peakLrs: [3e-4], rmse: 0.002, notes: [], ...(uncertainty ? { uncertainty } : {}) };
  const specs = [...expandSweep('wsd:peak=3e-4,warmup=2000,total=100000,decay=0.01..0.9/0.01,shape=1-sqrt'), ...expandSweep('cosine:peak=3e-4,warmup=2000,total=100000,final=0..9e-5/1e-5')];
  const candidates = nameCandidates(specs);
  const t0 = performance.now();
  const ranked = rankCandidates(law, candidates);
  const ms = performance.now() - t0;
  return { ms, detail: `${candidates.length} candidates × 100,000 steps, best ${ranked.ranking[0].name}${uncertainty ? ` (P(best) ${Math.round(100 * ranked.ranking[0].pBest!)} %, ${ranked.ranking.filter((r) => r.tie).length} tied)` : ''}` };
}

/** Fits a law to runs (default: the three public 400M train runs), `repeats` times; the median time. */
async function fitBench(model: ModelName, repeats: number, logs: readonly string[] = MPL_TRAIN('400M')): Promise<{ ms: number; detail: string }> {
  const runs = [];
  for (const a of logs) runs.push(await loadRun(a));
  const times: number[] = [];
  let fit;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fit = fitLaw(runs, { model });
    times.push(performance.now() - t0);
  }
  return { ms: median(times), detail: `${runs.length} run${runs.length > 1 ? 's' : ''}, ${fit!.metrics.n} points, median of ${repeats} (${times.map((t) => t.toFixed(0)).join(' / ')} ms)${fit!.starts ? `, ${fit!.starts.agreeing}/${fit!.starts.count} starts agree` : ''}` };
}

const CASES: Record<string, () => Promise<{ ms: number; detail: string; rssMB?: number }>> = {
  async 'html-compare-400M'() {
    const dir = mkdtempSync(join(tmpdir(), 'losscast-bench-'));
    try {
      const path = join(dir, 'compare.html');
      const specs = ['wsd:peak=3e-4,warmup=2160,total=24000,decay=4000,shape=exponential,final=3e-5', 'wsd:peak=3e-4,warmup=2160,total=24000,decay=4000,shape=linear,final=3e-5', 'cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5', 'step811:peak=3e-4,warmup=2160,total=24000'];
      const made = timeCli(['compare', ...MPL_TRAIN('400M').flatMap((r) => ['--fit', r]), '--model', 'mpl', ...specs.flatMap((x) => ['--schedule', x]), '--html', path, '--json']);
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: process.env.LOSSCAST_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
      const page = await browser.newPage();
      const t0 = performance.now();
      await page.goto(`file://${path}`, { waitUntil: 'load' });
      const ms = performance.now() - t0;
      await browser.close();
      return { ms, detail: `the public 400M compare report (MPL, 4 candidates with bands): ${(statSync(path).size / 1024).toFixed(0)} kB, opened to its load event in headless Chromium; made by the CLI in ${(made.ms / 1000).toFixed(1)} s (fit and 200 refits included)` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  'optimize-wsd-mpl-24k': () => optimizeBench('mpl', { total: 24000, families: ['wsd'] }),
  'optimize-families-mpl-24k': () => optimizeBench('mpl', { total: 24000 }),
  'optimize-free-mpl-24k': () => optimizeBench('mpl', { total: 24000, freeForm: true }),
  'optimize-free-mpl-100k': () => optimizeBench('mpl', { total: 100000, freeForm: true }),
  'fit-5M-csv-file': () => fitBigCsv(false),
  'fit-5M-csv-stdin': () => fitBigCsv(true),
  async 'predict-wsd-1e9'() {
    const dir = mkdtempSync(join(tmpdir(), 'losscast-bench-'));
    try {
      const params = join(dir, 'params.json');
      timeCli(['fit', ...MPL_TRAIN('400M'), '-o', params]); // with its bootstrap: the band is part of the prediction
      const r = timeCli(['predict', '--params', params, '--schedule', 'wsd:peak=3e-4,warmup=2160,total=1e9,decay=0.0099', '--at', '500000000', '--json']);
      return { ...r, detail: `a 1,000,000,000-step WSD schedule (LR changing at ~10⁷ steps, the most allowed) with its 200-law band and one --at: ${r.detail}` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  'megatron-1M-parse': () => timeParse('train.out', (p) => syntheticMegatron(p, 1_000_000)),
  'jsonl-1M-parse': () => timeParse('trainer_log.jsonl', (p) => syntheticJsonl(p, 1_000_000)),
  'rank-100x100k': () => rankBench({ law: 'momentum', params: { L0: 2.5, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 }, settings: {} }),
  'rank-mpl-100x100k': () => rankBench({ law: 'mpl', params: { L0: 2.375, A: 0.654, alpha: 0.429, B: 523.425, C: 2.025, beta: 0.594, gamma: 0.635 }, settings: {} }),
  'fit-momentum-400M': () => fitBench('momentum', 7),
  'fit-intervals-400M': () => medianOf3(() => fitWithIntervals('momentum')),
  'fit-intervals-mpl-400M': () => medianOf3(() => fitWithIntervals('mpl')),
  async 'rank-intervals-100x100k'() {
    const { law } = await fitWithIntervals('momentum');
    return rankBench(law.model, law.uncertainty);
  },
  async 'rank-intervals-mpl-100x100k'() {
    const { law } = await fitWithIntervals('mpl');
    return rankBench(law.model, law.uncertainty);
  },
  'fit-mpl-law-400M': () => fitBench('mpl', 3),
  'fit-momentum-sft': () => fitBench('momentum', 5, [SFT_LOG]),
  'fit-mpl-sft': () => fitBench('mpl', 5, [SFT_LOG]),
  'fit-intervals-momentum-sft': () => medianOf3(() => fitWithIntervals('momentum', [SFT_LOG])),
  'fit-intervals-mpl-sft': () => medianOf3(() => fitWithIntervals('mpl', [SFT_LOG])),
  async 'csv-1M-parse-fit'() {
    const dir = mkdtempSync(join(tmpdir(), 'losscast-bench-'));
    const path = join(dir, 'run.csv');
    try {
      await syntheticCsv(path, 1_000_000);
      const t0 = performance.now();
      const run = await loadRun(path);
      const t1 = performance.now();
      const fit = fitLaw([run]);
      const t2 = performance.now();
      return { ms: t2 - t0, detail: `parse ${(t1 - t0).toFixed(0)} ms + fit ${(t2 - t1).toFixed(0)} ms (${fit.model.law} law), ${fit.metrics.n} points, α=${(fit.model.params.alpha ?? fit.model.params['momentum.alpha']).toFixed(3)}` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** Runs the CLI in a child process (stdin from `stdinFile` through a real pipe, when given); its own time and peak RSS. */
function timeCli(args: string[], stdinFile?: string): { ms: number; rssMB: number; detail: string } {
  const self = fileURLToPath(import.meta.url);
  const quoted = [process.execPath, self, '--cli', ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const child = spawnSync('sh', ['-c', stdinFile ? `cat '${stdinFile}' | ${quoted}` : quoted], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const last = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('{')) throw new Error(`losscast ${args.join(' ')} failed: ${child.stderr.trim().split('\n').pop()}`);
  return JSON.parse(last);
}

/** A CLI run inside this process with its output swallowed: wall time, peak RSS and the exit code. */
async function cliChild(argv: string[]): Promise<void> {
  const write = process.stdout.write.bind(process.stdout);
  let bytes = 0;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    bytes += chunk.length;
    return true;
  }) as typeof process.stdout.write;
  const t0 = performance.now();
  const code = await main(['node', 'losscast', ...argv]);
  const ms = performance.now() - t0;
  process.stdout.write = write;
  const rssMB = process.resourceUsage().maxRSS / 1024;
  if (code !== 0) throw new Error(`exit ${code}`);
  process.stdout.write(`${JSON.stringify({ ms, rssMB, detail: `exit ${code}, ${bytes} bytes of output` })}\n`);
}

/** `losscast fit` of a 5,000,000-line CSV, from the file or through stdin. */
async function fitBigCsv(viaStdin: boolean): Promise<{ ms: number; rssMB: number; detail: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'losscast-bench-'));
  const path = join(dir, 'run.csv');
  try {
    await syntheticCsv(path, 5_000_000);
    const size = statSync(path).size;
    // this machine's speed drifts by ±30 % from minute to minute: the median of three runs, all shown
    const runs = [0, 1, 2].map(() => timeCli(['fit', viaStdin ? '-' : path, '--json'], viaStdin ? path : undefined));
    const times = runs.map((r) => r.ms).sort((a, b) => a - b);
    const rssMB = Math.max(...runs.map((r) => r.rssMB));
    return { ms: times[1], rssMB, detail: `${(size / 1e6).toFixed(0)} MB, ${viaStdin ? 'cat FILE | losscast fit - --json' : 'losscast fit FILE --json'} (200 bootstrap refits), median of 3 (${times.map((t) => (t / 1000).toFixed(1)).join(' / ')} s), peak RSS the largest: ${runs[0].detail}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A law fitted (with its bootstrap) on the three public 400M train runs, for the optimiser. */
async function protocolLaw(model: ModelName): Promise<FittedLaw> {
  return (await fitWithIntervals(model)).law;
}

/** Times optimize on one fitted law. */
async function optimizeBench(model: ModelName, options: OptimizeOptions): Promise<{ ms: number; detail: string }> {
  const law = await protocolLaw(model);
  const t0 = performance.now();
  const r = optimizeSchedule(law, options);
  const ms = performance.now() - t0;
  return { ms, detail: `${r.found} wins, final loss ${r.best.finalLoss.toFixed(4)}, gain ${r.gain.value.toFixed(4)} over ${r.baseline.spec.split(',')[0]}…; scored with its band and the paired gain` };
}

/** Names of every case. */
export const CASE_NAMES = Object.keys(CASES);

async function runCase(name: string): Promise<void> {
  const run = CASES[name];
  if (!run) throw new Error(`unknown bench case ${name}`);
  const { ms, detail, rssMB: childRss } = await run();
  const rssMB = childRss ?? process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ name, ms, rssMB, detail })}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2]) {
  (process.argv[2] === '--cli' ? cliChild(process.argv.slice(3)) : runCase(process.argv[2])).catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : err}\n`);
    process.exitCode = 1;
  });
}
