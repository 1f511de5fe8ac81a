/**
 * Reading any supported log into a Curve: detect the format from the content (or take
 * --format), then hand the file to that format's reader. Folders (TensorBoard, MLflow runs)
 * are read by read-folder.ts.
 */
import { dataError, usageError } from '../errors.js';
import type { Curve } from '../core/curve.js';
import { csvFormat } from './formats/csv.js';
import { hfTrainerStateFormat } from './formats/hf-trainer-state.js';
import { jsonArrayFormat, jsonLinesFormat, llamaFactoryFormat } from './formats/json.js';
import { lightningFormat } from './formats/lightning.js';
import { llmcFormat } from './formats/llmc.js';
import { megatronFormat } from './formats/megatron.js';
import { mlflowFormat } from './formats/mlflow.js';
import { moddedNanogptFormat } from './formats/modded-nanogpt.js';
import { nanogptFormat } from './formats/nanogpt.js';
import { olmoFormat } from './formats/olmo.js';
import { tensorboardFormat } from './formats/tensorboard.js';
import type { LogFormat, ReadOptions } from './formats/types.js';
import { wandbCsvFormat } from './formats/wandb-csv.js';
import { wandbHistoryFormat } from './formats/wandb-history.js';
import { isFolder, readFolder } from './read-folder.js';
import { describeBinary } from './binary.js';
import { stripAnsi } from './lines.js';
import { type ByteProgress, openLog, type LogSource } from './source.js';

/** Every format losscast reads. Detection takes the highest score, so order only breaks ties. */
export const LOG_FORMATS: readonly LogFormat[] = [
  hfTrainerStateFormat,
  wandbHistoryFormat,
  llamaFactoryFormat,
  megatronFormat,
  llmcFormat,
  moddedNanogptFormat,
  nanogptFormat,
  olmoFormat,
  tensorboardFormat,
  wandbCsvFormat,
  lightningFormat,
  mlflowFormat,
  jsonLinesFormat,
  jsonArrayFormat,
  csvFormat,
];

/** Options for readLog. */
export interface ReadLogOptions extends ReadOptions {
  /** Force a format by name instead of detecting it. */
  format?: string;
  /** Hears bytes read / file size while a large log is read. */
  onProgress?: ByteProgress;
}

/** Picks the format of a log from its first bytes; throws a clear error when none fits. */
export function detectFormat(source: LogSource): LogFormat {
  const head = source.head;
  if (source.headBytes.length === 0 || (head.trim() === '' && !head.includes('\u0000'))) throw dataError('is empty; expected a training log', source.path);
  if (head.startsWith('version https://git-lfs.github.com/spec/')) {
    throw dataError('is a Git LFS pointer, not the log itself; run "git lfs pull" (or download the real file) first', source.path);
  }
  const clean = stripAnsi(head);
  let best: LogFormat | null = null;
  let bestScore = 0;
  for (const format of LOG_FORMATS) {
    const score = format.detect(clean, source.path, source.headBytes);
    if (score > bestScore) {
      best = format;
      bestScore = score;
    }
  }
  // a binary format (TensorBoard) is recognised from its bytes; any other binary file is not a log
  const binary = best?.binary || source.encoding.startsWith('utf-16') ? null : describeBinary(source.headBytes);
  if (binary) throw dataError(`is ${binary}, not a training log; give the log file itself (CSV, JSON lines, a console log, trainer_state.json, a TensorBoard event file, …)`, source.path);
  if (best === null || bestScore <= 1) {
    const names = LOG_FORMATS.map((f) => f.name).join(', ');
    throw dataError(`format not recognised (tried ${names}); force one with --format NAME, or for a table name the columns with --step-col and --loss-col`, source.path);
  }
  return best;
}

/** Finds a format by name for --format. */
export function formatByName(name: string): LogFormat {
  const format = LOG_FORMATS.find((f) => f.name === name);
  if (!format) throw usageError(`unknown --format "${name}"; choose one of ${LOG_FORMATS.map((f) => f.name).join(', ')}`);
  return format;
}

/** Reads a log file, a TensorBoard/MLflow run folder, or "-" (stdin) into a Curve. */
export async function readLog(path: string, options: ReadLogOptions = {}): Promise<Curve> {
  const forced = options.format !== undefined ? formatByName(options.format) : null;
  if (path !== '-' && (await isFolder(path))) return readFolder(path, options.columns, options.format);
  const source = await openLog(path, options.onProgress);
  const format = forced ?? detectFormat(source);
  const curve = await format.read(source, options);
  return source.notes.length > 0 ? { ...curve, warnings: [...source.notes, ...curve.warnings] } : curve;
}

/** Opens a log and detects its format without reading it all (for inspect and --run listing). */
export async function sniffLog(path: string, options: ReadLogOptions = {}): Promise<{ source: LogSource; format: LogFormat } | null> {
  if (path !== '-' && (await isFolder(path))) return null;
  const source = await openLog(path);
  return { source, format: options.format !== undefined ? formatByName(options.format) : detectFormat(source) };
}
