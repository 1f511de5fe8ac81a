/**
 * Benchmark cases, each run in its own process (`node dist/bench/cases.js NAME`) so that its
 * peak memory is its own. Prints one JSON line: { name, ms, rssMB, detail }.
 */
import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitLaw } from '../fit/fit-law.js';
import { loadRun } from '../io/load-run.js';
import { lossAtSteps } from '../law/evaluate-law.js';
import { parseSchedule, scheduleLrs } from '../schedule/schedule.js';
import { expandSweep, nameCandidates } from '../predict/candidates.js';
import { rankCandidates } from '../predict/rank.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

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
  const lrs = scheduleLrs(schedule, rows);
  const steps = Array.from({ length: rows }, (_, i) => i + 1);
  const loss = lossAtSteps({ L0: 2.5, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 }, lrs, steps);
  let seed = 1;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.02;
  writeFileSync(path, 'step,loss,lr\n');
  await writeLines(path, rows, (i) => `${steps[i]},${(loss[i] * (1 + noise())).toFixed(5)},${lrs[i].toExponential(6)}\n`, 'a');
}

const CASES: Record<string, () => Promise<{ ms: number; detail: string }>> = {
  async 'rank-100x100k'() {
    const law = { params: { L0: 2.5, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 }, peakLrs: [3e-4], rmse: 0.002, warmupAsPeak: false };
    const specs = [...expandSweep('wsd:peak=3e-4,warmup=2000,total=100000,decay=0.01..0.9/0.01,shape=1-sqrt'), ...expandSweep('cosine:peak=3e-4,warmup=2000,total=100000,final=0..9e-5/1e-5')];
    const candidates = nameCandidates(specs);
    const t0 = performance.now();
    const ranked = rankCandidates(law, candidates);
    const ms = performance.now() - t0;
    return { ms, detail: `${candidates.length} candidates × 100,000 steps, best ${ranked.ranking[0].name}` };
  },
  async 'fit-mpl-400M'() {
    const runs = [];
    for (const a of MPL_TRAIN('400M')) runs.push(await loadRun(a));
    const times: number[] = [];
    let fit;
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      fit = fitLaw(runs);
      times.push(performance.now() - t0);
    }
    return { ms: median(times), detail: `3 runs, ${fit!.metrics.n} points, median of 7` };
  },
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
      return { ms: t2 - t0, detail: `parse ${(t1 - t0).toFixed(0)} ms + fit ${(t2 - t1).toFixed(0)} ms, ${fit.metrics.n} points, α=${fit.params.alpha.toFixed(3)}` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** Names of every case. */
export const CASE_NAMES = Object.keys(CASES);

async function runCase(name: string): Promise<void> {
  const run = CASES[name];
  if (!run) throw new Error(`unknown bench case ${name}`);
  const { ms, detail } = await run();
  const rssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ name, ms, rssMB, detail })}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2]) {
  runCase(process.argv[2]).catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : err}\n`);
    process.exitCode = 1;
  });
}
