/**
 * MLflow file-store metrics: `mlruns/<experiment>/<run>/metrics/<name>`, one file per
 * metric, lines `<timestamp_ms> <value> <step>`. A single metric file is read as the series
 * its name says (loss, eval_loss, learning_rate, …); a run folder reads all of them.
 */
import { basename } from 'node:path';
import { dataError } from '../../errors.js';
import { chooseColumns, type ColumnChoice } from '../columns.js';
import { CurveCollector } from '../collect.js';
import type { Curve } from '../../core/curve.js';
import { countMatchingLines, forEachLine } from '../lines.js';
import type { LogSource } from '../source.js';
import type { LogFormat } from './types.js';

const LINE = /^\s*(\d{9,})\s+(\S+)\s+(-?\d+)\s*$/;

/** A metric file to read: its metric name (path under metrics/, e.g. "train/loss") and source. */
export interface MetricFile {
  name: string;
  source: LogSource;
}

/** Reads MLflow metric files into one Curve; `label` names the run in messages. */
export async function curveFromMetricFiles(label: string, files: MetricFile[], explicit: ColumnChoice = {}): Promise<Curve> {
  const names = files.map((f) => f.name);
  const found = chooseColumns(['step', ...names], { ...explicit, step: 'step' });
  if (files.length === 1 && found.train === undefined && found.eval === undefined && found.lr === undefined) found.train = names[0];
  if (found.train === undefined && found.eval === undefined) {
    throw dataError(`no loss metric among ${names.map((n) => JSON.stringify(n)).join(', ') || '(no metric files)'}; name one with --loss-col`, label);
  }
  const collector = new CurveCollector(label, found);
  for (const file of files) {
    const role = file.name === found.train ? 'train' : file.name === found.eval ? 'eval' : file.name === found.lr ? 'lr' : null;
    if (role === null) continue;
    await forEachLine(file.source, (text, line) => {
      if (text.trim() === '') return;
      const m = LINE.exec(text);
      if (!m) throw dataError('is not an MLflow metric line ("<timestamp> <value> <step>"); fix or delete the line', file.source.path, line);
      collector.row(line, m[3], role === 'train' ? m[2] : undefined, role === 'eval' ? m[2] : undefined, role === 'lr' ? m[2] : undefined);
    });
  }
  return collector.finish('mlflow');
}

export const mlflowFormat: LogFormat = {
  name: 'mlflow',
  description: 'MLflow metric file (mlruns/…/metrics/NAME: "timestamp value step") or run folder',
  detect(head) {
    const lines = head.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 20);
    return lines.length > 0 && countMatchingLines(lines.join('\n'), LINE) === lines.length ? 35 : 0;
  },
  read: (source, options) => curveFromMetricFiles(source.path, [{ name: basename(source.path).replace(/\.gz$/, ''), source }], options.columns),
};
