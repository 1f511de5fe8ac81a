/**
 * Weights & Biases chart CSV exports ("Download CSV" on a panel): header
 * `"Step","<run> - <metric>","<run> - <metric>__MIN","<run> - <metric>__MAX",…`, one column
 * group per run, empty cells where a run has no point. Several runs share one file: the
 * reader takes one (--run NAME, or the only one); `inspect` lists them.
 */
import { dataError, usageError } from '../../errors.js';
import { chooseColumns } from '../columns.js';
import { readDelimited, type HeaderPick, sniffDelimiter } from '../tabular.js';
import type { LogSource } from '../source.js';
import type { LogFormat } from './types.js';
import Papa from 'papaparse';

/** One run of an export: its name and the header index of each metric. */
interface ExportRun {
  name: string;
  metrics: Map<string, number>;
}

/** Splits an export header into runs (run names may contain " - ": split on the last one). */
export function exportRuns(header: string[]): ExportRun[] {
  const runs: ExportRun[] = [];
  header.forEach((cell, i) => {
    if (i === 0 || /__(MIN|MAX)$/.test(cell)) return;
    const cut = cell.lastIndexOf(' - ');
    if (cut < 0) return;
    const base = cell.slice(0, cut);
    const metric = cell.slice(cut + 3);
    // display names are not unique: a second run with the same name and metric becomes "name #2"
    let name = base;
    for (let k = 2; runs.some((r) => r.name === name && r.metrics.has(metric)); k++) name = `${base} #${k}`;
    let run = runs.find((r) => r.name === name);
    if (!run) runs.push((run = { name, metrics: new Map() }));
    run.metrics.set(metric, i);
  });
  return runs;
}

function headerOf(source: LogSource): string[] {
  const first = source.head.split(/\r?\n/, 1)[0] ?? '';
  const parsed = Papa.parse<string[]>(first, { delimiter: sniffDelimiter(source.head) });
  return (parsed.data[0] ?? []).map((c) => c.trim());
}

/** The columns a run's metrics give (a chart of one metric whose name says loss, e.g. "train/lm_loss_avg", is that loss; grad_norm is not). */
function runColumns(run: ExportRun, explicit: { train?: string; eval?: string; lr?: string }) {
  const metricNames = [...run.metrics.keys()];
  const found = chooseColumns(metricNames, explicit);
  if (found.train === undefined && found.eval === undefined && metricNames.length === 1 && found.lr === undefined && /loss/i.test(metricNames[0])) found.train = metricNames[0];
  return { metricNames, found };
}

function pickRun(file: string, header: string[], wanted: string | undefined, explicit: { train?: string; eval?: string; lr?: string }): HeaderPick {
  const runs = exportRuns(header);
  const names = runs.map((r) => r.name);
  const shown = names.map((n) => JSON.stringify(n)).join(', ');
  let run: ExportRun | undefined;
  if (wanted !== undefined) {
    run = runs.find((r) => r.name === wanted);
    if (!run) throw usageError(`${file}: no run "${wanted}" in this W&B export; runs are ${shown}`);
  } else if (runs.length === 1) run = runs[0];
  else {
    // choosing a run cannot help when none of them has a loss
    if (runs.every((r) => { const { found } = runColumns(r, explicit); return found.train === undefined && found.eval === undefined; })) {
      const metrics = [...new Set(runs.flatMap((r) => [...r.metrics.keys()]))].slice(0, 12).map((m) => JSON.stringify(m)).join(', ');
      throw dataError(`no run of this W&B export (${runs.length} runs) has a loss metric, only ${metrics}; export a loss chart, or name the metric with --loss-col`, file);
    }
    throw usageError(`${file}: this W&B export holds ${runs.length} runs; choose one with --run NAME (list them with losscast inspect): ${shown}`);
  }
  const { metricNames, found } = runColumns(run, explicit);
  if (found.train === undefined && found.eval === undefined) {
    throw dataError(`run "${run.name}" has no loss metric among ${metricNames.map((m) => JSON.stringify(m)).join(', ')}; name it with --loss-col`, file);
  }
  const at = (metric?: string) => (metric === undefined ? -1 : run!.metrics.get(metric)!);
  const label = (metric?: string) => (metric === undefined ? undefined : `${run!.name} - ${metric}`);
  const extra = {
    runs: names,
    run: run.name,
    warnings:
      header[0] === 'Step'
        ? ['"Step" is the W&B chart axis, by default the count of wandb.log calls rather than the optimizer step; give the schedule in the same unit']
        : [],
  };
  return {
    columns: { step: header[0], train: label(found.train), eval: label(found.eval), lr: label(found.lr) },
    index: { step: 0, train: at(found.train), eval: at(found.eval), lr: at(found.lr) },
    extra,
  };
}

/** W&B's "runs table" export: one row per run (Name, State, config…, summary…), no history. */
const RUNS_TABLE = /^"?Name"?,"?State"?,/;

export const wandbCsvFormat: LogFormat = {
  name: 'wandb-csv',
  description: 'W&B chart CSV export ("Step","<run> - <metric>",…__MIN,…__MAX)',
  detect(head) {
    const first = head.split(/\r?\n/, 1)[0] ?? '';
    if (RUNS_TABLE.test(first)) return 35;
    // the first two header cells, each tested alone and only when header-sized: the pattern
    // backtracks quadratically on a long line without commas (a log with \r line ends is one line)
    const [step, metric] = first.split(',', 2);
    if (metric === undefined || step.length > 256 || metric.length > 4096) return 0;
    return /^"?(Step|_step|[^",]*step[^",]*)"?$/i.test(step) && /^"?[^",]+ - [^",]+"?/.test(metric) ? 35 : 0;
  },
  async listRuns(source) {
    return exportRuns(headerOf(source)).map((r) => r.name);
  },
  read(source, options) {
    if (RUNS_TABLE.test(source.head)) {
      throw dataError('is a W&B "runs table" export (one row per run, no loss history); download the CSV of a loss chart panel, or the run history, instead', source.path);
    }
    return readDelimited(source, options, 'wandb-csv', (header) => pickRun(source.path, header, options.run, options.columns ?? {}));
  },
};
