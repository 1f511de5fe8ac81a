/**
 * Plain tabular logs: CSV/TSV (streamed with papaparse), JSON lines, and a JSON array of
 * objects. Columns are found by name (see columns.ts) or named by the user.
 */
import Papa from 'papaparse';
import { dataError } from '../errors.js';
import { chooseColumns, type ColumnChoice, requireExplicitColumns } from './columns.js';
import { CurveCollector } from './collect.js';
import type { Curve } from '../core/curve.js';
import { forEachLine, skipLongLines } from './lines.js';
import { type LogSource, pipeWithErrors, readError } from './source.js';

/** Options shared by the tabular readers. */
export interface TabularOptions {
  columns?: ColumnChoice;
}

function noLossColumn(file: string, names: readonly string[]): Error {
  const shown = names.slice(0, 12).map((n) => JSON.stringify(n)).join(', ');
  return dataError(`no loss column found among ${shown || '(no columns)'}; name it with --loss-col`, file);
}

function checkColumns(file: string, names: readonly string[], explicit: ColumnChoice, found: ColumnChoice): void {
  requireExplicitColumns(names, explicit, found, file);
  if (found.step === undefined) {
    const shown = names.slice(0, 12).map((n) => JSON.stringify(n)).join(', ');
    throw dataError(`no step column found among ${shown || '(no columns)'}; name it with --step-col`, file);
  }
  if (found.train === undefined && found.eval === undefined) throw noLossColumn(file, names);
}

/** Guesses the delimiter of a delimited text from its first line. */
export function sniffDelimiter(head: string): string {
  const first = head.split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', '\t', ';', '|'].map((d) => [d, first.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

/** Which header cells hold step, train loss, eval loss and LR (-1 = none), plus metadata for the Curve. */
export interface HeaderPick {
  columns: ColumnChoice;
  index: { step: number; train: number; eval: number; lr: number };
  extra?: Partial<Curve>;
}

/** The usual header reading: columns found by name (aliases or the user's --*-col). */
export function pickByName(file: string, header: string[], explicit: ColumnChoice): HeaderPick {
  const found = chooseColumns(header, explicit);
  checkColumns(file, header, explicit, found);
  const at = (name?: string) => (name === undefined ? -1 : header.indexOf(name));
  return { columns: found, index: { step: at(found.step), train: at(found.train), eval: at(found.eval), lr: at(found.lr) } };
}

/**
 * Reads a CSV or TSV log with a header row, streaming. `pick` chooses the columns from the
 * header (default: by name).
 */
export function readDelimited(source: LogSource, options: TabularOptions = {}, format = 'csv', pick?: (header: string[]) => HeaderPick): Promise<Curve> {
  const file = source.path;
  const delimiter = sniffDelimiter(source.head);
  const explicit = options.columns ?? {};
  return new Promise<Curve>((resolve, reject) => {
    let header: string[] | null = null;
    let idx = { step: -1, train: -1, eval: -1, lr: -1 };
    let extra: Partial<Curve> = {};
    let collector: CurveCollector | null = null;
    let line = 0;
    let pendingRagged: { line: number; fields: number } | null = null;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      stream.destroy();
      reject(err);
    };
    const stream = pipeWithErrors(source.open(), skipLongLines(source));
    stream.on('error', (err) => fail(readError(err, file)));
    Papa.parse(stream as unknown as File, {
      delimiter,
      skipEmptyLines: false,
      newline: '\n', // a CRLF file then leaves a trailing \r, which trimming removes; mixed line endings still split correctly
      chunk: (results: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
        if (failed) return;
        try {
          for (const fields of results.data) {
            line++;
            if (fields.length === 1 && fields[0].trim() === '') continue;
            if (header === null) {
              header = fields.map((f) => f.trim());
              const chosen = pick ? pick(header) : pickByName(file, header, explicit);
              idx = chosen.index;
              extra = chosen.extra ?? {};
              collector = new CurveCollector(file, chosen.columns);
              continue;
            }
            if (pendingRagged) throw dataError(`row has ${pendingRagged.fields} fields but the header has ${header.length}; fix or delete the line`, file, pendingRagged.line);
            if (fields.length !== header.length) {
              pendingRagged = { line, fields: fields.length }; // fatal unless it is the last line (a log still being written)
              continue;
            }
            if (fields[idx.step] === header[idx.step]) {
              collector!.skipped.add('repeated header row', line);
              continue;
            }
            const get = (i: number) => (i < 0 ? undefined : fields[i]);
            collector!.row(line, fields[idx.step], get(idx.train), get(idx.eval), get(idx.lr));
          }
        } catch (err) {
          fail(err); // before abort(): abort() calls complete() synchronously
          parser.abort();
        }
      },
      complete: () => {
        if (failed) return;
        if (header === null || collector === null) return fail(dataError('is empty; expected a header row and data rows', file));
        const c: CurveCollector = collector;
        if (pendingRagged) c.warnings.push(`last line ${pendingRagged.line} is incomplete (a log still being written?): skipped`);
        resolve(c.finish(delimiter === '\t' && format === 'csv' ? 'tsv' : format, extra));
      },
      error: (err: Error) => fail(dataError(`cannot parse as CSV (${err.message})`, file)),
    });
  });
}

/** Flattens nested objects into "a/b" keys, so {"train": {"loss": 1}} has a "train/loss" key. */
export function flattenRecord(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}/${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenRecord(v as Record<string, unknown>, key, out);
    else out[key] = v;
  }
  return out;
}

/** Python's json.dumps writes bare NaN / Infinity; make such text valid JSON (as strings, read later as non-finite). */
export function sanitizeJsonText(text: string): string {
  if (!text.includes('NaN') && !text.includes('Infinity')) return text;
  return text.replace(/(?<=[:,[\s])(-?(?:NaN|Infinity))(?=\s*[,}\]])/g, '"$1"');
}

function isFlat(record: Record<string, unknown>): boolean {
  for (const k in record) {
    const v = record[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return false;
  }
  return true;
}

/** Column choices by key set: records of one log mostly share their keys, so choose once per shape. */
interface ChoiceCache {
  byShape: Map<string, ColumnChoice>;
  /** The keys and choice of the previous record (most records repeat them exactly). */
  lastKeys?: string[];
  lastChoice?: ColumnChoice;
}

function newChoiceCache(): ChoiceCache {
  return { byShape: new Map() };
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Adds one JSON record to a collector, choosing keys per record (keys differ between lines of a log). */
function addRecord(collector: CurveCollector, explicit: ColumnChoice, record: Record<string, unknown>, line: number, seen: Set<string>, cache: ChoiceCache = newChoiceCache()): void {
  const flat = isFlat(record) ? record : flattenRecord(record);
  const keys = Object.keys(flat);
  let found: ColumnChoice | undefined;
  if (cache.lastKeys !== undefined && sameKeys(keys, cache.lastKeys)) found = cache.lastChoice!;
  else {
    const shape = keys.join('\u0000');
    found = cache.byShape.get(shape);
    if (found === undefined) {
      for (const k of keys) seen.add(k);
      found = chooseColumns(keys, explicit);
      cache.byShape.set(shape, found);
    }
    cache.lastKeys = keys;
    cache.lastChoice = found;
  }
  if (found.step === undefined) {
    collector.skipped.add('record without a step key', line);
    return;
  }
  // a role keeps the key it was first read from: another key (e.g. the Trainer summary's
  // train_loss, a run average) never fills in for a step's loss
  const use: ColumnChoice = {};
  for (const role of ['step', 'train', 'eval', 'lr'] as const) {
    const key = found[role];
    if (key === undefined) continue;
    if (collector.columns[role] === undefined) collector.columns[role] = key;
    if (collector.columns[role] === key || explicit[role] !== undefined) use[role] = key;
    else if (role !== 'step') collector.skipped.add(`${key} not used as ${role === 'train' ? 'the loss' : role === 'eval' ? 'the eval loss' : 'the LR'} (the log gives it as ${collector.columns[role]})`, line);
  }
  if (use.step === undefined) {
    collector.skipped.add(`record with its step under another key (${found.step})`, line);
    return;
  }
  const pick = (name?: string) => (name === undefined ? undefined : flat[name]);
  collector.row(line, flat[use.step], pick(use.train), pick(use.eval), pick(use.lr));
}

function finishRecords(collector: CurveCollector, explicit: ColumnChoice, seen: Set<string>, format: string, totalSteps?: number): Curve {
  const names = [...seen];
  if (collector.rows === 0 && names.length === 0) throw dataError('has no records; expected one JSON object per line', collector.file);
  const found = chooseColumns(names, explicit);
  checkColumns(collector.file, names, explicit, found);
  return collector.finish(format, totalSteps !== undefined ? { totalSteps } : {});
}

/**
 * Reads a JSON-lines log (one object per line; text before the first "{" is ignored).
 * `totalKey` names a key holding the planned total steps (LLaMA-Factory `total_steps`).
 */
export async function readJsonLines(source: LogSource, options: TabularOptions = {}, format = 'jsonl', totalKey?: string): Promise<Curve> {
  const file = source.path;
  const explicit = options.columns ?? {};
  const collector = new CurveCollector(file, {});
  const seen = new Set<string>();
  const cache = newChoiceCache();
  let lastBad: number | null = null;
  let totalSteps: number | undefined;
  await forEachLine(source, (text, line) => {
    const brace = text.indexOf('{');
    if (brace < 0) {
      if (text.trim() !== '') collector.skipped.add('line without a JSON object', line);
      return;
    }
    if (lastBad !== null) throw dataError('is not valid JSON; fix or delete the line', file, lastBad);
    let record: unknown;
    try {
      record = JSON.parse(sanitizeJsonText(brace === 0 ? text : text.slice(brace)));
    } catch {
      lastBad = line; // fatal unless it turns out to be the last line (a log still being written)
      return;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return;
    const total = totalKey === undefined ? undefined : (record as Record<string, unknown>)[totalKey];
    if (typeof total === 'number' && Number.isInteger(total) && total > 0) totalSteps = total;
    addRecord(collector, explicit, record as Record<string, unknown>, line, seen, cache);
  });
  if (lastBad !== null) collector.warnings.push(`last line ${lastBad} is not complete JSON (a log still being written?): skipped`);
  return finishRecords(collector, explicit, seen, format, totalSteps);
}

/** Reads a JSON array of records, or an object holding one array of records. */
export function readJsonRecords(file: string, records: unknown[], options: TabularOptions = {}, format = 'json'): Curve {
  const explicit = options.columns ?? {};
  const collector = new CurveCollector(file, {}, 'record');
  const seen = new Set<string>();
  const cache = newChoiceCache();
  records.forEach((record, i) => {
    if (record !== null && typeof record === 'object' && !Array.isArray(record)) addRecord(collector, explicit, record as Record<string, unknown>, i + 1, seen, cache);
  });
  return finishRecords(collector, explicit, seen, format);
}
