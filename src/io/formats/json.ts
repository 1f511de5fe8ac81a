/**
 * JSON lines (one record per line: generic metrics.jsonl, LLaMA-Factory trainer_log.jsonl)
 * and JSON documents (an array of records, an object holding one, or a structure a
 * specific format recognises: trainer_state.json, W&B history dumps).
 */
import { dataError } from '../../errors.js';
import { readJsonLines, readJsonRecords } from '../tabular.js';
import { curveFromTrainerState, isLogHistory, isTrainerState } from './hf-trainer-state.js';
import { isObject, readJsonDocument } from './json-document.js';
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

function jsonLineObjects(head: string): string[] {
  return head
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, 5);
}

export const jsonLinesFormat: LogFormat = {
  name: 'jsonl',
  description: 'JSON lines: one object per line with step and loss keys',
  detect(head) {
    const lines = jsonLineObjects(head);
    if (lines.length === 0) return 0;
    const objects = lines.filter((l) => /^[^{]*\{.*\}\s*$/.test(l)).length;
    return objects >= Math.min(2, lines.length) ? 20 : 0;
  },
  read: (source, options) => readJsonLines(source, options),
};

export const llamaFactoryFormat: LogFormat = {
  name: 'llamafactory',
  description: 'LLaMA-Factory trainer_log.jsonl (current_steps, total_steps, loss, learning_rate/lr)',
  detect(head) {
    const lines = jsonLineObjects(head);
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
    const doc = await readJsonDocument(source);
    if (isTrainerState(doc)) return curveFromTrainerState(source.path, doc);
    if (isLogHistory(doc)) return curveFromTrainerState(source.path, { log_history: doc }, 'hf-log-history');
    if (isWandbHistory(doc)) return curveFromWandbHistory(source.path, doc, options);
    const records = findRecordArray(doc);
    if (records === null) throw dataError('is JSON but holds no array of records with step and loss; use a JSON array or JSON lines', source.path);
    return readJsonRecords(source.path, records, options);
  },
};
