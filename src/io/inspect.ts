/**
 * What losscast sees in a log, without fitting: format, series with point counts and step
 * ranges, where the LR would come from, runs in the file, skipped rows and warnings.
 */
import type { SeriesName } from '../core/run.js';
import { chooseSeries, prepareRun } from './prepare-run.js';
import { parseSchedule, type Schedule } from '../schedule/schedule.js';
import { splitLogArgument } from '../schedule/spec.js';
import { LosscastError } from '../errors.js';
import type { Curve, Series, SkipNote } from '../core/curve.js';
import { type LoadRunOptions, loadCurve } from './load-run.js';
import { LOG_FORMATS, sniffLog } from './read-log.js';
import { canReadTwice } from './source.js';

/** Formats a reader reports that are variants of a listed one. */
const VARIANTS: Record<string, string> = {
  tsv: 'TSV with a header row',
  'hf-log-history': 'Hugging Face log_history saved as a bare JSON array (read as in trainer_state.json; the final summary is ignored)',
};

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
  return { column: column ?? null, points: series.total ?? n, firstStep: series.steps[0], lastStep: series.steps[n - 1], first: series.values[0], last: series.values[n - 1] };
}

/** Runs `f`; a LosscastError becomes its message (the file name dropped), other errors propagate. */
function attempt<T>(f: () => T, file: string): T | { failure: string } {
  try {
    return f();
  } catch (err) {
    if (!(err instanceof LosscastError)) throw err;
    return { failure: err.message.replace(`${file}: `, '') };
  }
}

/** Describes an already read Curve: what a fit would use (series, per-step LR) and why. */
export function describeCurve(curve: Curve, options: { series?: SeriesName; schedule?: Schedule } = {}): LogReport {
  const chosen = attempt(() => chooseSeries(curve, options.series), curve.source);
  const run = attempt(() => prepareRun({ curve, series: options.series, schedule: options.schedule }), curve.source);
  const warnings = [...curve.warnings];
  if ('lr' in run) for (const w of run.warnings) if (w.code !== 'log-read') warnings.push(w.message.replace(`${curve.source}: `, ''));
  return {
    file: curve.source,
    format: curve.format,
    formatDescription: LOG_FORMATS.find((f) => f.name === curve.format)?.description ?? VARIANTS[curve.format] ?? curve.format,
    runs: curve.runs ?? [],
    run: curve.run ?? null,
    totalSteps: curve.totalSteps ?? null,
    series: { train: summarise(curve.train, curve.columns.train), eval: summarise(curve.eval, curve.columns.eval), lr: summarise(curve.lr, curve.columns.lr) },
    fitSeries: 'name' in chosen ? chosen.name : null,
    lrSource: 'lr' in run ? run.lrSource : null,
    lrNote: 'lr' in run ? run.lrNote : run.failure,
    skipped: curve.skipped,
    warnings,
  };
}

/**
 * Inspects a log (`PATH` or `PATH@SPEC`): one report, or one per run for a multi-run file
 * when no run was chosen. With a schedule, the LR source is what a fit with it would use.
 */
export async function inspectLog(argument: string, options: LoadRunOptions = {}): Promise<LogReport[]> {
  const { path, schedule } = splitLogArgument(argument);
  const spec = schedule ?? options.schedule;
  const describe = { series: options.series, schedule: spec !== undefined ? parseSchedule(spec) : undefined };
  if (options.run === undefined && (await canReadTwice(path))) {
    const sniffed = await sniffLog(path, options);
    const runs = sniffed?.format.listRuns ? await sniffed.format.listRuns(sniffed.source) : [];
    if (runs.length > 1) {
      const reports: LogReport[] = [];
      for (const run of runs) {
        try {
          reports.push(describeCurve(await loadCurve(path, { ...options, run }), describe));
        } catch (err) {
          if (!(err instanceof LosscastError) || !sniffed) throw err;
          reports.push(unreadableRun(path, sniffed.format.name, runs, run, err.message.replace(`${path}: `, '')));
        }
      }
      return reports;
    }
  }
  return [describeCurve(await loadCurve(path, options), describe)];
}

/** What inspect says of a run of a multi-run file it cannot read: the format, the runs, and why. */
function unreadableRun(file: string, format: string, runs: string[], run: string, why: string): LogReport {
  return {
    file,
    format,
    formatDescription: LOG_FORMATS.find((f) => f.name === format)?.description ?? format,
    runs,
    run,
    totalSteps: null,
    series: { train: null, eval: null, lr: null },
    fitSeries: null,
    lrSource: null,
    lrNote: why,
    skipped: [],
    warnings: [why],
  };
}
