/**
 * TensorBoard event files (`events.out.tfevents.*`), alone or as a run folder holding
 * several (read in name order; for each tag the last value of a step wins, as after a
 * restart). Scalars written as `simple_value` (PyTorch, tensorboardX) and as scalar tensors
 * (TF2) are both read. Tags are matched like column names (train/loss, lm loss, eval/loss,
 * train/learning_rate, learning-rate, lr-AdamW, …); --loss-col and friends name others.
 */
import { basename } from 'node:path';
import { dataError } from '../../errors.js';
import { chooseColumns, type ColumnChoice } from '../columns.js';
import { CurveCollector } from '../collect.js';
import type { Curve } from '../../core/curve.js';
import { readAll, readError, TooLargeError, tooLargeError } from '../source.js';
import { eventScalars, ProtobufError, type Scalar } from '../tensorboard/event.js';
import { looksLikeTfRecord, readRecords, RecordError } from '../tensorboard/tfrecord.js';
import type { LogFormat } from './types.js';

/** One event file's bytes and the name to report. */
export interface EventFile {
  path: string;
  bytes: Uint8Array;
  /** Put before every tag of the file (Keras writes train/ and validation/ sub-folders with the same tags). */
  tagPrefix?: string;
}

function scalarsOf(file: EventFile, warnings: string[]): Scalar[] {
  let split;
  try {
    split = readRecords(file.bytes);
  } catch (err) {
    if (err instanceof RecordError) throw dataError(`${err.message}; the event file is damaged (or not a TensorBoard file)`, file.path);
    throw err;
  }
  if (split.truncated) warnings.push(`${basename(file.path)} ends in a partial record (still being written?): ignored it`);
  const out: Scalar[] = [];
  split.records.forEach((record, i) => {
    try {
      const scalars = eventScalars(record);
      out.push(...(file.tagPrefix ? scalars.map((s) => ({ ...s, tag: file.tagPrefix + s.tag })) : scalars));
    } catch (err) {
      if (err instanceof ProtobufError) throw dataError(`record ${i + 1} is not a valid Event (${err.message}); the file is damaged`, file.path);
      throw err;
    }
  });
  return out;
}

/** Builds one Curve from the scalars of some event files (already in the order to apply). */
export function curveFromEventFiles(label: string, files: EventFile[], explicit: ColumnChoice = {}): Curve {
  const warnings: string[] = [];
  const scalars = files.flatMap((f) => scalarsOf(f, warnings));
  const tags = [...new Set(scalars.map((s) => s.tag))];
  const found = chooseColumns(['step', ...tags], { ...explicit, step: 'step' });
  if (found.train === undefined && found.eval === undefined) {
    const shown = tags.slice(0, 12).map((t) => JSON.stringify(t)).join(', ');
    throw dataError(`no loss tag found among ${shown || '(no scalar tags)'}; name one with --loss-col`, label);
  }
  // Keras logs the loss per batch (optimizer steps) and the LR per epoch: steps in different units
  if (found.train?.startsWith('batch_') && found.lr?.startsWith('epoch_') && explicit.lr === undefined) {
    warnings.push(`the loss is logged per batch (${found.train}) but the LR per epoch (${found.lr}): the LR was not used; give the schedule with --schedule`);
    delete found.lr;
  }
  if (found.train?.startsWith('epoch_')) warnings.push(`${found.train} is logged per epoch, so its steps are epochs: give the schedule in epochs, or log batch_loss`);
  const collector = new CurveCollector(label, found, 'scalar');
  scalars.forEach((s, i) => {
    if (s.tag === found.train) collector.row(i + 1, s.step, s.value, undefined, undefined);
    else if (s.tag === found.eval) collector.row(i + 1, s.step, undefined, s.value, undefined);
    else if (s.tag === found.lr) collector.row(i + 1, s.step, undefined, undefined, s.value);
  });
  return collector.finish('tensorboard', { warnings });
}

/** Most bytes of one event file (read whole): far beyond the scalars of any run, within memory. */
export const MAX_EVENT_FILE_BYTES = 1024 * 1024 * 1024;

export const tensorboardFormat: LogFormat = {
  name: 'tensorboard',
  description: 'TensorBoard event file (events.out.tfevents.*) or a folder of them',
  binary: true,
  detect(_head, path, bytes) {
    if (/events\.out\.tfevents/.test(basename(path))) return 60;
    return bytes !== undefined && looksLikeTfRecord(bytes) ? 55 : 0;
  },
  async read(source, options) {
    // the first record's header is in the head: a file without one is not read on (it may be /dev/zero)
    if (source.headBytes.length > 0 && !looksLikeTfRecord(source.headBytes)) throw dataError('does not start with a TFRecord header, so it is not a TensorBoard event file (or it is damaged); check the file and --format', source.path);
    let bytes: Buffer;
    try {
      bytes = await readAll(source.openBytes(), MAX_EVENT_FILE_BYTES);
    } catch (err) {
      if (err instanceof TooLargeError) throw tooLargeError(source.path, err.limit, 'an event file that large holds more than scalars: write the scalars to their own event file (or export them as CSV)');
      throw readError(err, source.path);
    }
    return curveFromEventFiles(source.path, [{ path: source.path, bytes }], options.columns);
  },
};
