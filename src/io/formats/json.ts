/** JSON lines (one record per line) and JSON documents holding an array of records. */
import { dataError } from '../../errors.js';
import { readJsonLines, readJsonRecords, sanitizeJsonText } from '../tabular.js';
import type { LogSource } from '../source.js';
import type { LogFormat } from './types.js';

async function readText(source: LogSource): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of source.open()) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(part as string));
  return Buffer.concat(parts).toString('utf8');
}

/** Finds the records in a parsed JSON document: the array itself, or its largest array of objects. */
export function findRecordArray(doc: unknown): unknown[] | null {
  if (Array.isArray(doc)) return doc;
  if (doc === null || typeof doc !== 'object') return null;
  let best: unknown[] | null = null;
  for (const value of Object.values(doc as Record<string, unknown>)) {
    if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object') && (best === null || value.length > best.length)) best = value;
  }
  return best;
}

export const jsonLinesFormat: LogFormat = {
  name: 'jsonl',
  description: 'JSON lines: one object per line with step and loss keys',
  detect(head) {
    const lines = head.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (lines.length === 0) return 0;
    const objects = lines.slice(0, 5).filter((l) => /^[^{]*\{.*\}\s*$/.test(l)).length;
    return objects >= Math.min(2, lines.length) ? 20 : 0;
  },
  read: (source, options) => readJsonLines(source, options),
};

export const jsonArrayFormat: LogFormat = {
  name: 'json',
  description: 'a JSON array of records (or an object holding one)',
  detect(head) {
    const t = head.trimStart();
    if (t.startsWith('[')) return 15;
    return t.startsWith('{') ? 5 : 0;
  },
  async read(source, options) {
    let doc: unknown;
    try {
      doc = JSON.parse(sanitizeJsonText(await readText(source)));
    } catch (err) {
      throw dataError(`is not valid JSON (${(err as Error).message}); check that the file is complete`, source.path);
    }
    const records = findRecordArray(doc);
    if (records === null) throw dataError('is JSON but holds no array of records with step and loss; use a JSON array or JSON lines', source.path);
    return readJsonRecords(source.path, records, options);
  },
};
