/**
 * Plain tabular logs: CSV/TSV (streamed with papaparse), JSON lines, and a JSON array of
 * objects. Columns are found by name (see columns.ts) or named by the user.
 */
import Papa from 'papaparse';
import { dataError } from '../errors.js';
import { chooseColumns, type ColumnChoice, requireExplicitColumns } from './columns.js';
import { CurveCollector } from './collect.js';
import type { Curve } from '../core/curve.js';
import { forEachLine, MAX_LINE_CHARS, MAX_RECORD_CHARS } from './lines.js';
import { nestsDeeperThan, tooDeepError } from './json-depth.js';
import type { LogSource } from './source.js';

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
  const first = head.split(/\r?\n/, 50).find((line) => line.trim() !== '') ?? '';
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
 * Whether a record ends inside a quoted field (so it continues on the next line), read as
 * papaparse reads it: a quote opens a field only as its first character, `""` inside is a quote,
 * and a quote closes the field only before a delimiter, a newline or the end (spaces between
 * allowed); any other quote is text (so `12" screen` or `ab"c` are plain fields). `quoted` is the state the text starts in (a
 * continuation line of an open field starts quoted), so a long record is scanned once, line by line.
 */
export function quotesOpen(text: string, delimiter: string, quoted = false): boolean {
  let fieldStart = !quoted;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') continue;
      if (text[i + 1] === '"') {
        i++;
        continue;
      }
      let j = i + 1;
      while (text[j] !== delimiter && (text[j] === ' ' || text[j] === '\t')) j++;
      if (j >= text.length || text[j] === delimiter || text[j] === '\r') quoted = false;
      continue;
    }
    if (c === '"' && fieldStart) quoted = true;
    fieldStart = c === delimiter;
  }
  return quoted;
}

/**
 * The fields of one CSV record: a plain split when it has no quote character (nearly every line
 * of a training log, and the fast path), papaparse's RFC 4180 reading when it has.
 */
export function splitRecord(text: string, delimiter: string): string[] | null {
  if (!text.includes('"')) return text.split(delimiter);
  const rows = Papa.parse<string[]>(text, { delimiter, newline: '\n' }).data;
  return rows.length > 1 ? null : (rows[0] ?? ['']); // null: not one record (the caller says so)
}

/**
 * Reads a CSV or TSV log with a header row, streaming line by line. `pick` chooses the columns
 * from the header (default: by name). Line numbers in errors are the file's lines.
 */
export async function readDelimited(source: LogSource, options: TabularOptions = {}, format = 'csv', pick?: (header: string[]) => HeaderPick): Promise<Curve> {
  const file = source.path;
  const delimiter = sniffDelimiter(source.head);
  const explicit = options.columns ?? {};
  let header: string[] | null = null;
  let extra: Partial<Curve> = {};
  let collector: CurveCollector | null = null;
  let pendingRagged: { line: number; fields: number } | null = null;
  // a record whose quoted field runs over lines: its text so far and its first line
  let open: { text: string; line: number } | null = null;
  // the cells a row needs (step, loss, eval loss, LR): role[k] says which one field k is (−1: none)
  let role: Int8Array = new Int8Array(0);
  let stepColumn = -1;
  let shared: [number, number][] = [];
  const cells: (string | undefined)[] = [undefined, undefined, undefined, undefined];
  const fillShared = () => {
    for (const [r, from] of shared) cells[r] = cells[from];
  };
  const raggedError = (r: { line: number; fields: number }) => dataError(`row has ${r.fields} fields but the header has ${header?.length ?? 0}; fix or delete the line`, file, r.line);
  /** Fills `cells` from an unquoted line without splitting it whole (the hot path); returns the number of fields. */
  const pickCells = (text: string): number => {
    cells.fill(undefined);
    let k = 0;
    let start = 0;
    for (;;) {
      const end = text.indexOf(delimiter, start);
      const r = k < role.length ? role[k] : -1;
      if (r >= 0) cells[r] = end < 0 ? text.slice(start) : text.slice(start, end);
      k++;
      if (end < 0) break;
      start = end + 1;
    }
    fillShared();
    return k;
  };
  const start = (fields: string[]) => {
    header = fields.map((f) => f.trim());
    const chosen = pick ? pick(header) : pickByName(file, header, explicit);
    role = new Int8Array(header.length).fill(-1);
    const columns = [chosen.index.step, chosen.index.train, chosen.index.eval, chosen.index.lr];
    columns.forEach((k, r) => k >= 0 && role[k] < 0 && (role[k] = r));
    // a column named for two roles (e.g. --loss-col and --lr-col the same): the later role copies the cell
    shared = columns.flatMap((k, r) => (k >= 0 && role[k] !== r ? [[r, role[k]] as [number, number]] : []));
    stepColumn = chosen.index.step;
    extra = chosen.extra ?? {};
    collector = new CurveCollector(file, chosen.columns);
  };
  /** One record of `count` fields whose needed cells are in `cells`. */
  const record = (count: number, blank: boolean, line: number) => {
    if (blank) return;
    const h = header!;
    if (pendingRagged) throw raggedError(pendingRagged);
    if (count !== h.length) {
      pendingRagged = { line, fields: count }; // fatal unless it is the last line (a log still being written)
      return;
    }
    if (stepColumn >= 0 && cells[0]?.trim() === h[stepColumn]) {
      collector!.skipped.add('repeated header row', line);
      return;
    }
    collector!.row(line, cells[0], cells[1], cells[2], cells[3]);
  };
  const quoted = (text: string, line: number) => {
    const fields = splitRecord(text, delimiter);
    if (fields === null) throw dataError('the quotes from here on do not make one record (a quote that opens a field is closed on a later line, mid-field); check the quotes', file, line);
    const blank = fields.length === 1 && fields[0].trim() === '';
    if (header === null) return blank ? undefined : start(fields);
    cells.fill(undefined);
    fields.forEach((f, k) => k < role.length && role[k] >= 0 && (cells[role[k]] = f));
    fillShared();
    record(fields.length, blank, line);
  };
  let lastText = 0; // the last line with anything on it
  await forEachLine(source, (text, line) => {
    if (text.trim() !== '') lastText = line;
    if (open) {
      open.text += `\n${text}`;
      if (open.text.length > MAX_LINE_CHARS) throw dataError(`a quoted field opened here is not closed within ${MAX_LINE_CHARS.toLocaleString('en-US')} characters; check the quotes`, file, open.line);
      if (quotesOpen(text, delimiter, true)) return;
      const joined = open;
      open = null;
      return quoted(joined.text, joined.line);
    }
    if (text.includes('"')) {
      if (quotesOpen(text, delimiter)) open = { text, line };
      else quoted(text, line);
      return;
    }
    if (header === null) return text.trim() === '' ? undefined : start(text.split(delimiter));
    const count = pickCells(text);
    record(count, count === 1 && text.trim() === '', line);
  });
  if (open !== null) {
    // an open quote on the last line is a log still being written; earlier, it swallowed lines
    const from = (open as { line: number }).line;
    if (from < lastText) throw dataError(`a quoted field opened here is never closed (it runs to the end of the file); check the quotes`, file, from);
    const ragged = pendingRagged as { line: number; fields: number } | null; // a row before the open one was cut short
    if (ragged) throw raggedError(ragged);
    pendingRagged = { line: from, fields: 0 };
  }
  if (header === null || collector === null) throw dataError('is empty; expected a header row and data rows', file);
  const c: CurveCollector = collector;
  if (pendingRagged) c.warnings.push(`last line ${pendingRagged.line} is incomplete (a log still being written?): skipped`);
  return c.finish(delimiter === '\t' && format === 'csv' ? 'tsv' : format, extra);
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
    if (!isFlat(record as Record<string, unknown>) && nestsDeeperThan(record)) throw tooDeepError('log record', file, line);
    const total = totalKey === undefined ? undefined : (record as Record<string, unknown>)[totalKey];
    if (typeof total === 'number' && Number.isInteger(total) && total > 0) totalSteps = total;
    addRecord(collector, explicit, record as Record<string, unknown>, line, seen, cache);
  }, { maxLineChars: MAX_RECORD_CHARS });
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
