/**
 * JSON lines (one record per line: generic metrics.jsonl, LLaMA-Factory trainer_log.jsonl)
 * and JSON documents (an array of records, an object holding one, or a structure a
 * specific format recognises: trainer_state.json, W&B history dumps).
 */
import { dataError } from '../../errors.js';
import { readJsonLines, readJsonRecords } from '../tabular.js';
import { curveFromTrainerState, isLogHistory, isTrainerState } from './hf-trainer-state.js';
import { isJsonLinesText, isObject, parseJsonDocument, readDocumentText, sourceOverText } from './json-document.js';
import { HEAD_BYTES } from '../source.js';
import type { LogFormat } from './types.js';
import { curveFromWandbHistory, isWandbHistory } from './wandb-history.js';

/** Finds the records in a parsed JSON document: the array itself, or its largest array of objects. */
export function findRecordArray(doc: unknown): unknown[] | null {
  if (Array.isArray(doc)) return doc;
  if (!isObject(doc)) return null;
  let best: unknown[] | null = null;
  for (const value of Object.values(doc)) {
    if (Array.isArray(value) && value.some(isObject) && (best === null || value.length > best.length)) best = value;
  }
  return best;
}

/** True when the head is cut mid-line: a full head (HEAD_BYTES) whose last line goes on past it. */
function headIsCut(head: string, bytes?: Uint8Array): boolean {
  return bytes !== undefined && bytes.length >= HEAD_BYTES && !head.endsWith('\n');
}

/** The first few complete non-empty lines of the head (a line cut by the head's end is left out: its end is unseen). */
function jsonLineObjects(head: string, bytes?: Uint8Array): string[] {
  const lines = head.split(/\r?\n/);
  if (headIsCut(head, bytes)) lines.pop();
  return lines.filter((l) => l.trim() !== '').slice(0, 5);
}

export const jsonLinesFormat: LogFormat = {
  name: 'jsonl',
  description: 'JSON lines: one object per line with step and loss keys',
  detect(head, path, bytes) {
    const lines = jsonLineObjects(head, bytes);
    // a first line longer than the head: JSON lines when the name says so (else a JSON document, which falls back to lines)
    if (lines.length === 0) return headIsCut(head, bytes) && /^\s*\{/.test(head) && /\.(jsonl|ndjson)(\.gz)?$/i.test(path) ? 20 : 0;
    const objects = lines.filter((l) => /^[^{]*\{.*\}\s*$/.test(l)).length;
    return objects >= Math.min(2, lines.length) ? 20 : 0;
  },
  read: (source, options) => readJsonLines(source, options),
};

export const llamaFactoryFormat: LogFormat = {
  name: 'llamafactory',
  description: 'LLaMA-Factory trainer_log.jsonl (current_steps, total_steps, loss, learning_rate/lr)',
  detect(head, _path, bytes) {
    const lines = jsonLineObjects(head, bytes);
    return lines.length > 0 && lines.every((l) => l.includes('"current_steps"')) ? 30 : 0;
  },
  read: (source, options) => readJsonLines(source, options, 'llamafactory', 'total_steps'),
};

export const jsonArrayFormat: LogFormat = {
  name: 'json',
  description: 'a JSON array of records (or an object holding one)',
  detect(head) {
    const t = head.trimStart();
    // a JSON array starts with a value: "[{", "[[", '["', "[1,", "[]", … ; "[INFO] …" or "[2026-05-09 …" is a text log
    if (/^\[\s*(\{|\[|"|\]|-?\d+(\.\d+)?([eE][-+]?\d+)?\s*[,\]]|true\b|false\b|null\b)/.test(t)) return 15;
    return t.startsWith('{') ? 5 : 0;
  },
  async read(source, options) {
    const text = await readDocumentText(source);
    let doc: unknown;
    try {
      doc = parseJsonDocument(text, source.path);
    } catch (err) {
      // one JSON object per line, the first one longer than the head detection saw
      if (isJsonLinesText(text)) return readJsonLines(sourceOverText(source, text), options);
      throw err;
    }
    if (isTrainerState(doc)) return curveFromTrainerState(source.path, doc);
    if (isLogHistory(doc)) return curveFromTrainerState(source.path, { log_history: doc }, 'hf-log-history');
    if (isWandbHistory(doc)) return curveFromWandbHistory(source.path, doc, options);
    const records = findRecordArray(doc);
    if (records === null) throw dataError('is JSON but holds no array of records with step and loss; use a JSON array or JSON lines', source.path);
    return readJsonRecords(source.path, records, options);
  },
};
