/**
 * `npm run bench:accuracy`: the public Multi-Power Law benchmark (25M/100M/400M) in one
 * command. For each size: losscast with default settings and with --fit-lambda, the
 * published Multi-Power Law numbers, the fit time, and whether the issue's targets are met.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type FitOptions, fitLaw } from '../fit/fit-law.js';
import type { Run } from '../fit/run.js';
import { loadManifestRun, readManifest } from '../io/manifest.js';
import { evaluateSplit } from '../predict/evaluate.js';
import { renderTable } from '../render/table.js';

const DIR = fileURLToPath(new URL('../../bench/accuracy/', import.meta.url));
const SIZES = ['25M', '100M', '400M'] as const;

interface Reference {
  source: string;
  sizes: Record<string, { r2: number; mae: number; rmse: number; predE: number; worstE: number }>;
  targets: { default: Record<string, number>; fitLambda: Record<string, number>; fitSecondsDefault: number };
}

function medianTime(f: () => void, repeats: number): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function main(): Promise<void> {
  const reference = JSON.parse(readFileSync(`${DIR}published-mpl.json`, 'utf8')) as Reference;
  const rows: string[][] = [];
  let missed = false;
  for (const size of SIZES) {
    const manifest = readManifest(`${DIR}mpl-${size}.json`);
    const runs: Run[] = [];
    for (let i = 0; i < manifest.runs.length; i++) runs.push(await loadManifestRun(manifest, i));
    const roles = manifest.runs.map((r) => r.role);
    const train = runs.filter((_, i) => roles[i] === 'train');
    for (const [name, options, target] of [
      ['losscast (default)', {}, reference.targets.default[size]],
      ['losscast --fit-lambda', { fitLambda: true }, reference.targets.fitLambda[size]],
    ] as [string, FitOptions, number][]) {
      process.stderr.write(`${size} ${name} …\n`);
      const e = evaluateSplit(runs, roles, options);
      const ms = medianTime(() => fitLaw(train, options), options.fitLambda ? 3 : 7);
      const timeOk = options.fitLambda || ms <= reference.targets.fitSecondsDefault * 1000;
      const ok = e.average.mae <= target && timeOk;
      missed ||= !ok;
      const a = e.average;
      rows.push([size, name, a.r2.toFixed(4), a.mae.toFixed(5), a.rmse.toFixed(5), a.predE.toFixed(5), a.worstE.toFixed(5), `${ms.toFixed(0)} ms`, `MAE ≤ ${target}${options.fitLambda ? '' : `, ≤ ${reference.targets.fitSecondsDefault * 1000} ms`}`, ok ? 'ok' : 'MISSED']);
    }
    const p = reference.sizes[size];
    rows.push([size, 'Multi-Power Law (published)', p.r2.toFixed(4), p.mae.toFixed(5), p.rmse.toFixed(5), p.predE.toFixed(5), p.worstE.toFixed(5), '~1 min (ref. code)', '', '']);
  }
  process.stdout.write(`${renderTable(['size', 'law', 'R²', 'MAE', 'RMSE', 'PredE', 'WorstE', 'fit time', 'target', 'status'], rows)}\n`);
  process.stdout.write('Held-out averages over the six test runs of the published protocol (bench/accuracy/mpl-*.json).\n');
  process.stdout.write(`Published numbers: ${reference.source}\n`);
  process.stdout.write(`(${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${process.platform}/${process.arch}; fit time = median wall time of the fit on the 3 train runs)\n`);
  if (missed) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : err}\n`);
  process.exitCode = 1;
});
