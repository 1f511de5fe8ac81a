/**
 * Hugging Face Transformers `trainer_state.json`: `log_history` mixes train entries (`loss`,
 * `learning_rate`), eval entries (`eval_loss`) and one final summary (`train_loss`, the mean
 * over the run, which is never used as a point). `max_steps` is the planned total.
 */
import { dataError } from '../../errors.js';
import { CurveCollector } from '../collect.js';
import type { Curve } from '../../core/curve.js';
import { isObject, readJsonDocument } from './json-document.js';
import type { LogFormat } from './types.js';

/** True when a parsed JSON document is a trainer_state.json. */
export function isTrainerState(doc: unknown): doc is { log_history: unknown[]; max_steps?: unknown } {
  return isObject(doc) && Array.isArray(doc.log_history);
}

/** Keys only the Trainer's final summary record has. */
const SUMMARY_KEYS = ['train_runtime', 'train_samples_per_second', 'total_flos', 'train_steps_per_second'];

/**
 * True for a Hugging Face `log_history` saved on its own as a bare JSON array: records with
 * `step` and `loss` or `eval_loss`, and the Trainer's final summary (`train_loss`, the mean over
 * the run, with `train_runtime` or `total_flos`).
 */
export function isLogHistory(doc: unknown): doc is unknown[] {
  if (!Array.isArray(doc) || doc.length === 0) return false;
  const records = doc.filter(isObject);
  const entries = records.filter((r) => 'step' in r && ('loss' in r || 'eval_loss' in r));
  const summary = records.some((r) => 'train_loss' in r && SUMMARY_KEYS.some((k) => k in r));
  return entries.length > 0 && (summary || entries.some((r) => 'learning_rate' in r && 'epoch' in r));
}

/** Builds the Curve of a parsed trainer_state.json. */
export function curveFromTrainerState(file: string, doc: { log_history: unknown[]; max_steps?: unknown }, format = 'hf-trainer-state'): Curve {
  const collector = new CurveCollector(file, { step: 'step', train: 'loss', eval: 'eval_loss', lr: 'learning_rate' }, 'log_history entry');
  doc.log_history.forEach((entry, i) => {
    if (!isObject(entry)) return collector.skipped.add('log_history entry that is not an object', i + 1);
    if (!('loss' in entry) && !('eval_loss' in entry)) {
      if (!('train_loss' in entry)) collector.skipped.add('log_history entry without loss or eval_loss', i + 1);
      return; // the final summary: its train_loss is the mean over the whole run
    }
    collector.row(i + 1, entry.step, entry.loss, entry.eval_loss, entry.learning_rate);
  });
  if (collector.rows === 0) throw dataError('is a trainer_state.json whose log_history has no loss entries; was logging enabled (logging_steps)?', file);
  const total = typeof doc.max_steps === 'number' && doc.max_steps > 0 ? doc.max_steps : undefined;
  return collector.finish(format, total !== undefined ? { totalSteps: total } : {});
}

export const hfTrainerStateFormat: LogFormat = {
  name: 'hf-trainer-state',
  description: 'Hugging Face Trainer trainer_state.json (log_history)',
  detect: (head) => (/^\s*\{/.test(head) && head.includes('"log_history"') ? 50 : 0),
  async read(source) {
    const doc = await readJsonDocument(source);
    if (!isTrainerState(doc)) throw dataError('has no "log_history" array; is it a trainer_state.json?', source.path);
    return curveFromTrainerState(source.path, doc);
  },
};
