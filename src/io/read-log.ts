/**
 * Reading any supported log into a Curve: detect the format from the content (or take
 * --format), then hand the file to that format's reader.
 */
import { dataError, usageError } from '../errors.js';
import type { Curve } from './curve.js';
import { csvFormat } from './formats/csv.js';
import { jsonArrayFormat, jsonLinesFormat } from './formats/json.js';
import type { LogFormat, ReadOptions } from './formats/types.js';
import { openLog, type LogSource } from './source.js';

/** Every format losscast reads, most specific first. */
export const LOG_FORMATS: readonly LogFormat[] = [jsonLinesFormat, jsonArrayFormat, csvFormat];

/** Options for readLog. */
export interface ReadLogOptions extends ReadOptions {
  /** Force a format by name instead of detecting it. */
  format?: string;
}

/** Picks the format of a log from the start of its text; throws a clear error when none fits. */
export function detectFormat(source: LogSource): LogFormat {
  const head = source.head;
  if (head.trim() === '') throw dataError('is empty; expected a training log', source.path);
  if (head.startsWith('version https://git-lfs.github.com/spec/')) {
    throw dataError('is a Git LFS pointer, not the log itself; run "git lfs pull" to fetch the real file', source.path);
  }
  if (head.includes('\u0000')) throw dataError('is a binary file, not a text log; for TensorBoard event files see --format', source.path);
  let best: LogFormat | null = null;
  let bestScore = 0;
  for (const format of LOG_FORMATS) {
    const score = format.detect(head, source.path);
    if (score > bestScore) {
      best = format;
      bestScore = score;
    }
  }
  if (best === null || bestScore <= 1) {
    const names = LOG_FORMATS.map((f) => f.name).join(', ');
    throw dataError(`format not recognised (tried ${names}); force one with --format NAME`, source.path);
  }
  return best;
}

/** Finds a format by name for --format. */
export function formatByName(name: string): LogFormat {
  const format = LOG_FORMATS.find((f) => f.name === name);
  if (!format) throw usageError(`unknown --format "${name}"; choose one of ${LOG_FORMATS.map((f) => f.name).join(', ')}`);
  return format;
}

/** Reads a log file (or "-" for stdin) into a Curve. */
export async function readLog(path: string, options: ReadLogOptions = {}): Promise<Curve> {
  const forced = options.format !== undefined ? formatByName(options.format) : null;
  const source = await openLog(path);
  const format = forced ?? detectFormat(source);
  return format.read(source, options);
}
