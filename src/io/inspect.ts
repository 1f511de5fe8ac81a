/**
 * What losscast sees in a log, without fitting: format, series with point counts and step
 * ranges, where the LR would come from, runs in the file, skipped rows and warnings.
 */
import { prepareRun, type SeriesName } from '../fit/run.js';
import { LosscastError } from '../errors.js';
import type { Curve, Series, SkipNote } from './curve.js';
import { type LoadRunOptions, loadCurve } from './load-run.js';
import { formatByName, sniffLog } from './read-log.js';

/** Summary of one series. */
export interface SeriesSummary {
  column: string | null;
  points: number;
  firstStep: number;
  lastStep: number;
  first: number;
  last: number;
}

/** What inspect reports about one run of a log. */
export interface LogReport {
  file: string;
  format: string;
  formatDescription: string;
  /** Runs held by the file (W&B chart export), and the one described. */
  runs: string[];
  run: string | null;
  totalSteps: number | null;
  series: { train: SeriesSummary | null; eval: SeriesSummary | null; lr: SeriesSummary | null };
  /** The loss a fit would use by default (or with --series), or null when there is none. */
  fitSeries: SeriesName | null;
  /** Where a fit would take the per-step LR from, or why it could not. */
  lrSource: string | null;
  lrNote: string;
  skipped: SkipNote[];
  warnings: string[];
}

function summarise(series: Series | null, column: string | undefined): SeriesSummary | null {
  if (!series || series.steps.length === 0) return null;
  const n = series.steps.length;
  return { column: column ?? null, points: n, firstStep: series.steps[0], lastStep: series.steps[n - 1], first: series.values[0], last: series.values[n - 1] };
}

/** Describes an already read Curve. */
export function describeCurve(curve: Curve, options: Pick<LoadRunOptions, 'series'> = {}): LogReport {
  let fitSeries: SeriesName | null = null;
  let lrSource: string | null = null;
  let lrNote: string;
  const warnings = [...curve.warnings];
  try {
    const run = prepareRun({ curve, series: options.series });
    fitSeries = run.series;
    lrSource = run.lrSource;
    lrNote = run.lrNote;
    for (const w of run.warnings) if (w.code !== 'log-read') warnings.push(w.message.replace(`${curve.source}: `, ''));
  } catch (err) {
    if (!(err instanceof LosscastError)) throw err;
    lrNote = err.message.replace(`${curve.source}: `, '');
    if (curve.train || curve.eval) fitSeries = options.series ?? (curve.eval && curve.eval.steps.length >= 10 ? 'eval' : curve.train ? 'train' : 'eval');
  }
  let description = curve.format;
  try {
    description = formatByName(curve.format).description;
  } catch {
    if (curve.format === 'tsv') description = 'TSV with a header row';
  }
  return {
    file: curve.source,
    format: curve.format,
    formatDescription: description,
    runs: curve.runs ?? [],
    run: curve.run ?? null,
    totalSteps: curve.totalSteps ?? null,
    series: { train: summarise(curve.train, curve.columns.train), eval: summarise(curve.eval, curve.columns.eval), lr: summarise(curve.lr, curve.columns.lr) },
    fitSeries,
    lrSource,
    lrNote,
    skipped: curve.skipped,
    warnings,
  };
}

/**
 * Inspects a log: one report, or one per run for a multi-run file when no run was chosen.
 */
export async function inspectLog(path: string, options: LoadRunOptions = {}): Promise<LogReport[]> {
  if (options.run === undefined && path !== '-') {
    const sniffed = await sniffLog(path, options);
    const runs = sniffed?.format.listRuns ? await sniffed.format.listRuns(sniffed.source) : [];
    if (runs.length > 1) {
      const reports: LogReport[] = [];
      for (const run of runs) reports.push(describeCurve(await loadCurve(path, { ...options, run }), options));
      return reports;
    }
  }
  return [describeCurve(await loadCurve(path, options), options)];
}
