/**
 * `npm run bench`: runs every benchmark case in its own process and prints a table of time
 * and peak memory against the budgets the issues set. Times are medians (a case that does not
 * take its own median of several runs is run three times), because this machine's speed drifts
 * from minute to minute and others may be using it: a case over its budget is reported (OVER
 * BUDGET, with the load average), not a failure. The exit status is 1 only when a case could not
 * run at all.
 *
 *   node dist/bench/run.js [NAME-FRAGMENT …] [--repeats N]
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { renderTable } from '../render/table.js';

/** A case's budget: wall time (ms) and peak resident memory (MB); `ownMedian` when the case reports a median of its own runs. */
interface Budget {
  ms: number;
  rssMB?: number;
  what: string;
  ownMedian?: boolean;
}

/** Budgets by case. */
const BUDGETS: Record<string, Budget> = {
  'fit-momentum-400M': { ms: 500, what: 'momentum law: fit the three public 400M train curves', ownMedian: true },
  'fit-mpl-law-400M': { ms: 2000, what: 'Multi-Power Law: fit the three public 400M train curves', ownMedian: true },
  'fit-intervals-400M': { ms: 3000, what: 'momentum law: fit + 200 bootstrap refits on the 3 public 400M train runs', ownMedian: true },
  'fit-intervals-mpl-400M': { ms: 3000, what: 'Multi-Power Law: fit + 200 bootstrap refits on the 3 public 400M train runs', ownMedian: true },
  'fit-momentum-sft': { ms: 500, what: 'momentum law: fit the 866-point SFT trainer_state.json (cosine over 8,660 steps: the LR changes every step)', ownMedian: true },
  'fit-mpl-sft': { ms: 500, what: 'Multi-Power Law: fit the 866-point SFT trainer_state.json', ownMedian: true },
  'fit-intervals-momentum-sft': { ms: 2000, what: 'momentum law: fit + 200 bootstrap refits on the SFT trainer_state.json', ownMedian: true },
  'fit-intervals-mpl-sft': { ms: 2000, what: 'Multi-Power Law: fit + 200 bootstrap refits on the SFT trainer_state.json', ownMedian: true },
  'rank-intervals-100x100k': { ms: 3000, what: 'momentum law: rank 100 × 100k-step candidates with intervals (200 refitted laws)' },
  'rank-intervals-mpl-100x100k': { ms: 3000, what: 'Multi-Power Law: rank 100 × 100k-step candidates with intervals (200 refitted laws)' },
  'fit-5M-csv-file': { ms: 8000, rssMB: 300, what: 'losscast fit of a 5,000,000-line CSV file (CLI, with intervals)', ownMedian: true },
  'fit-5M-csv-stdin': { ms: 8000, rssMB: 300, what: 'the same CSV through a pipe: cat FILE | losscast fit -', ownMedian: true },
  'predict-wsd-1e9': { ms: 10000, rssMB: 300, what: 'losscast predict of a 1,000,000,000-step WSD schedule' },
  'optimize-wsd-mpl-24k': { ms: 1000, what: 'optimize --family wsd, Multi-Power Law, 24k steps (grid + refinement, then scored like predict)' },
  'optimize-families-mpl-24k': { ms: 1000, what: 'optimize (wsd, cosine and step), Multi-Power Law, 24k steps' },
  'optimize-free-mpl-24k': { ms: 5000, what: 'optimize --free-form, Multi-Power Law, 24k steps, 200 blocks' },
  'optimize-free-mpl-100k': { ms: 15000, what: 'optimize --free-form, Multi-Power Law, 100k steps, 200 blocks' },
  'html-compare-400M': { ms: 1000, what: 'open the HTML report of the public 400M compare in headless Chromium (< 1 MB)' },
  'csv-1M-parse-fit': { ms: 3000, rssMB: 500, what: 'parse + fit a synthetic 1,000,000-row CSV' },
  'rank-100x100k': { ms: 1000, what: 'momentum law: rank 100 candidate schedules of 100,000 steps' },
  'rank-mpl-100x100k': { ms: 2000, what: 'Multi-Power Law: rank 100 candidate schedules of 100,000 steps' },
  'megatron-1M-parse': { ms: 3000, rssMB: 400, what: 'read a 1,000,000-line Megatron log (streamed)' },
  'jsonl-1M-parse': { ms: 3000, rssMB: 400, what: 'read a 1,000,000-line JSON-lines log (streamed)' },
};

/** One run of a case: its numbers, or why it failed. */
type Outcome = { ms: number; rssMB: number; detail: string } | { error: string };

function runOnce(cases: string, name: string): Outcome {
  const child = spawnSync(process.execPath, [cases, name], { encoding: 'utf8' });
  if (child.status !== 0) return { error: child.stderr.trim().split('\n')[0] ?? `exit ${child.status}` };
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

/** The run of median time among `repeats` runs (the largest peak memory of them), its detail listing every time. */
export function medianOutcome(outcomes: readonly Outcome[]): Outcome {
  const failed = outcomes.find((o): o is { error: string } => 'error' in o);
  if (failed) return failed;
  const runs = (outcomes as { ms: number; rssMB: number; detail: string }[]).slice().sort((a, b) => a.ms - b.ms);
  const middle = runs[Math.floor(runs.length / 2)];
  if (runs.length === 1) return middle;
  return { ms: middle.ms, rssMB: Math.max(...runs.map((r) => r.rssMB)), detail: `median of ${runs.length} (${runs.map((r) => r.ms.toFixed(0)).join(' / ')} ms): ${middle.detail}` };
}

function parseArgs(argv: readonly string[]): { only: string[]; repeats: number } {
  const only: string[] = [];
  let repeats = 3;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--repeats') repeats = Math.max(1, Number(argv[++i]) || 1);
    else only.push(argv[i]);
  }
  return { only, repeats };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { only, repeats } = parseArgs(process.argv.slice(2));
  const cases = fileURLToPath(new URL('./cases.js', import.meta.url));
  const rows: string[][] = [];
  let crashed = false;
  let over = 0;
  for (const [name, budget] of Object.entries(BUDGETS)) {
    if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
    process.stderr.write(`running ${name} …\n`);
    const load = loadavg()[0];
    const r = medianOutcome(Array.from({ length: budget.ownMedian ? 1 : repeats }, () => runOnce(cases, name)));
    if ('error' in r) {
      rows.push([name, budget.what, 'failed', '', '', '', '', r.error]);
      crashed = true;
      continue;
    }
    const ok = r.ms <= budget.ms && (budget.rssMB === undefined || r.rssMB <= budget.rssMB);
    if (!ok) over++;
    rows.push([
      name,
      budget.what,
      `${r.ms.toFixed(r.ms < 10 ? 2 : 0)} ms`,
      `≤ ${budget.ms} ms`,
      `${r.rssMB.toFixed(0)} MB`,
      budget.rssMB === undefined ? '' : `≤ ${budget.rssMB} MB`,
      ok ? 'ok' : `OVER BUDGET (load ${load.toFixed(1)})`,
      r.detail,
    ]);
  }
  process.stdout.write(`${renderTable(['case', 'what', 'time', 'budget', 'peak RSS', 'budget', 'status', 'detail'], rows)}\n`);
  process.stdout.write(`(${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${process.platform}/${process.arch}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; times are medians)\n`);
  if (over > 0) process.stdout.write(`${over} case(s) over budget: a report, not a failure (this machine may be busy: compare the load average, run again with --repeats 5)\n`);
  if (crashed) process.exitCode = 1;
}
