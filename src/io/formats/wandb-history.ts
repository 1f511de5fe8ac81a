/**
 * W&B run-history JSON dumps laid out by column: `{config, summary, history: {train: {iter: [],
 * train_loss: [], train_lr: []}, val: {iter: [], val_loss: []}}}` (as published with
 * Schaipp et al. 2025). Each history group is a table; its step, loss and LR columns are
 * found by name. `config.iterations` is the planned total.
 */
import { dataError } from '../../errors.js';
import { chooseColumns } from '../columns.js';
import { CurveCollector } from '../collect.js';
import type { Curve } from '../../core/curve.js';
import { isObject, readJsonDocument } from './json-document.js';
import type { LogFormat } from './types.js';
import type { ReadOptions } from './types.js';

type Columns = Record<string, unknown[]>;

function columnGroups(history: Record<string, unknown>): [string, Columns][] {
  const groups: [string, Columns][] = [];
  for (const [name, group] of Object.entries(history)) {
    if (!isObject(group)) continue;
    const columns = Object.fromEntries(Object.entries(group).filter(([, v]) => Array.isArray(v))) as Columns;
    if (Object.keys(columns).length >= 2) groups.push([name, columns]);
  }
  return groups;
}

/** True when a parsed JSON document is a column-wise W&B history dump. */
export function isWandbHistory(doc: unknown): doc is { history: Record<string, unknown>; config?: unknown } {
  return isObject(doc) && isObject(doc.history) && columnGroups(doc.history).length > 0;
}

/** Builds the Curve of a column-wise W&B history dump. */
export function curveFromWandbHistory(file: string, doc: { history: Record<string, unknown>; config?: unknown }, options: ReadOptions = {}): Curve {
  const collector = new CurveCollector(file, {}, 'record');
  let record = 0;
  for (const [group, columns] of columnGroups(doc.history)) {
    const names = Object.keys(columns);
    const found = chooseColumns(names, options.columns);
    if (found.step === undefined) continue;
    // a group is one series: the "val" group holds eval loss even if its key is plain "loss"
    const isEval = /^(val|valid|validation|eval|test)/i.test(group);
    const loss = isEval ? found.eval ?? found.train : found.train;
    if (loss === undefined && found.lr === undefined) continue;
    for (const role of ['step', 'lr'] as const) collector.columns[role] ??= found[role];
    if (loss !== undefined) collector.columns[isEval ? 'eval' : 'train'] ??= `${group}.${loss}`;
    const steps = columns[found.step];
    for (let i = 0; i < steps.length; i++) {
      record++;
      const value = loss === undefined ? undefined : columns[loss][i];
      const lr = found.lr === undefined ? undefined : columns[found.lr][i];
      collector.row(record, steps[i], isEval ? undefined : value, isEval ? value : undefined, isEval ? undefined : lr);
    }
  }
  if (collector.rows === 0) throw dataError('has a "history" object but no group with a step and a loss column (e.g. history.train.iter and train_loss)', file);
  const iterations = isObject(doc.config) ? doc.config.iterations : undefined;
  const total = typeof iterations === 'number' && iterations > 0 ? iterations : undefined;
  return collector.finish('wandb-history', total !== undefined ? { totalSteps: total } : {});
}

export const wandbHistoryFormat: LogFormat = {
  name: 'wandb-history',
  description: 'W&B run-history JSON laid out by column ({history: {train: {iter: [...], train_loss: [...]}}})',
  detect: (head) => (/^\s*\{/.test(head) && /"history"\s*:\s*\{/.test(head) ? 45 : 0),
  async read(source, options) {
    const doc = await readJsonDocument(source);
    if (!isWandbHistory(doc)) throw dataError('has no column-wise "history" object; is it a W&B history dump?', source.path);
    return curveFromWandbHistory(source.path, doc, options);
  },
};
