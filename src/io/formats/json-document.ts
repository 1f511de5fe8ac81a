/** Reading a whole JSON document (Python's bare NaN / Infinity tolerated), for formats that are one JSON value. */
import { dataError } from '../../errors.js';
import { checkDepth } from '../json-depth.js';
import { type LogSource, readSourceText } from '../source.js';
import { sanitizeJsonText } from '../tabular.js';

/** Reads and parses the whole source as one JSON document; a clear error when it is not valid JSON. */
export async function readJsonDocument(source: LogSource): Promise<unknown> {
  const text = (await readSourceText(source)).toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(sanitizeJsonText(text));
  } catch (err) {
    throw jsonSyntaxError(err as Error, text, source.path);
  }
  return checkDepth(doc, 'training log', source.path);
}

/** A one-line error for invalid JSON, naming the line when the parser gives a position. */
export function jsonSyntaxError(err: Error, text: string, file: string): Error {
  const reason = err.message.split('\n')[0].replace(/\s*\(line \d+ column \d+\)/, '');
  const position = /position (\d+)/.exec(reason);
  const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
  return dataError(`is not valid JSON (${reason}); check that the file is complete`, file, line);
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
