/**
 * Loading a log argument (`PATH` or `PATH@SPEC`) all the way to a Run ready for the law.
 */
import { basename } from 'node:path';
import type { Run, SeriesName } from '../core/run.js';
import { prepareRun } from './prepare-run.js';
import { parseSchedule } from '../schedule/schedule.js';
import { splitLogArgument } from '../schedule/spec.js';
import type { ColumnChoice } from './columns.js';
import type { Curve } from '../core/curve.js';
import { readLog } from './read-log.js';
import { stitchAfterParent } from './stitch.js';

/** How to read and prepare a log. */
export interface LoadRunOptions {
  /** Schedule for logs that carry none of their own (`--schedule`). */
  schedule?: string;
  columns?: ColumnChoice;
  format?: string;
  series?: SeriesName;
  /** Which run of a multi-run file (W&B chart export). */
  run?: string;
  /** A parent run whose points go before the log's first step (a branched cool-down). */
  prefix?: string;
  label?: string;
  /** Hears bytes read / file size while a large log is read. */
  onProgress?: (done: number, total: number) => void;
}

/** A short label for a log path: its file name without extension. */
export function labelFor(path: string): string {
  if (path === '-') return 'stdin';
  return basename(path).replace(/\.(gz)$/i, '').replace(/\.(csv|tsv|jsonl|json|log|txt|out)$/i, '');
}

/** Reads a log, stitched after its parent when `prefix` is given. */
export async function loadCurve(path: string, options: LoadRunOptions = {}): Promise<Curve> {
  const read = (p: string) => readLog(p, { columns: options.columns, format: options.format, run: options.run, onProgress: options.onProgress });
  const curve = await read(path);
  return options.prefix !== undefined ? stitchAfterParent(await read(options.prefix), curve) : curve;
}

/** Reads `PATH[@SPEC]` and prepares it as a Run (schedule: its own, else options.schedule). */
export async function loadRun(argument: string, options: LoadRunOptions = {}): Promise<Run> {
  const { path, schedule } = splitLogArgument(argument);
  const spec = schedule ?? options.schedule;
  const parsed = spec !== undefined ? parseSchedule(spec) : undefined; // check the spec before reading the file
  const curve = await loadCurve(path, options);
  return prepareRun({ curve, schedule: parsed, series: options.series, label: options.label ?? labelFor(path) });
}
