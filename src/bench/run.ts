/**
 * `npm run bench`: runs every benchmark case in its own process and prints a table of time
 * and peak memory against the budgets the issues set.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { renderTable } from '../render/table.js';

/** Budgets: wall time (ms) and peak resident memory (MB) per case. */
const BUDGETS: Record<string, { ms: number; rssMB?: number; what: string }> = {
  'fit-momentum-400M': { ms: 500, what: 'momentum law: fit the three public 400M train curves' },
  'fit-mpl-law-400M': { ms: 2000, what: 'Multi-Power Law: fit the three public 400M train curves' },
  'fit-intervals-400M': { ms: 3000, what: 'momentum law: fit + 200 bootstrap refits on the 3 public 400M train runs' },
  'fit-intervals-mpl-400M': { ms: 3000, what: 'Multi-Power Law: fit + 200 bootstrap refits on the 3 public 400M train runs' },
  'rank-intervals-100x100k': { ms: 3000, what: 'momentum law: rank 100 × 100k-step candidates with intervals (200 refitted laws)' },
  'rank-intervals-mpl-100x100k': { ms: 3000, what: 'Multi-Power Law: rank 100 × 100k-step candidates with intervals (200 refitted laws)' },
  'fit-5M-csv-file': { ms: 8000, rssMB: 300, what: 'losscast fit of a 5,000,000-line CSV file (CLI, with intervals)' },
  'fit-5M-csv-stdin': { ms: 8000, rssMB: 300, what: 'the same CSV through a pipe: cat FILE | losscast fit -' },
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

const only = process.argv.slice(2);
const cases = fileURLToPath(new URL('./cases.js', import.meta.url));
const rows: string[][] = [];
let failed = false;
for (const name of Object.keys(BUDGETS)) {
  if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
  const budget = BUDGETS[name];
  process.stderr.write(`running ${name} …\n`);
  const child = spawnSync(process.execPath, [cases, name], { encoding: 'utf8' });
  if (child.status !== 0) {
    rows.push([name, budget.what, 'failed', '', '', '', child.stderr.trim().split('\n')[0] ?? '']);
    failed = true;
    continue;
  }
  const r = JSON.parse(child.stdout.trim().split('\n').pop()!);
  const ok = r.ms <= budget.ms && (budget.rssMB === undefined || r.rssMB <= budget.rssMB);
  failed ||= !ok;
  rows.push([
    name,
    budget.what,
    `${r.ms.toFixed(r.ms < 10 ? 2 : 0)} ms`,
    `≤ ${budget.ms} ms`,
    `${r.rssMB.toFixed(0)} MB`,
    budget.rssMB === undefined ? '' : `≤ ${budget.rssMB} MB`,
    ok ? 'ok' : 'OVER BUDGET',
    r.detail,
  ]);
}
process.stdout.write(`${renderTable(['case', 'what', 'time', 'budget', 'peak RSS', 'budget', 'status', 'detail'], rows)}\n`);
process.stdout.write(`(${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${process.platform}/${process.arch})\n`);
if (failed) process.exitCode = 1;
