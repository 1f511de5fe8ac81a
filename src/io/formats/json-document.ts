/** Reading a whole JSON document (Python's bare NaN / Infinity tolerated), for formats that are one JSON value. */
import { Readable } from 'node:stream';
import { dataError } from '../../errors.js';
import { checkDepth } from '../json-depth.js';
import { type LogSource, readSourceText } from '../source.js';
import { sanitizeJsonText } from '../tabular.js';

/**
 * The whole text of a source, for a document parsed at once (at most MAX_DOCUMENT_BYTES). A log
 * document is an object or an array: a text that starts otherwise is refused before it is read
 * (it may be endless, as /dev/zero is).
 */
export async function readDocumentText(source: LogSource): Promise<string> {
  const start = /\S/.exec(source.head)?.[0];
  if (start !== undefined && start !== '{' && start !== '[') {
    throw dataError(`is not a JSON document: it starts with ${JSON.stringify(start)}, not { or [; check the file, and --format`, source.path);
  }
  return (await readSourceText(source)).toString('utf8');
}

/** Parses a log's text as one JSON document; a clear error when it is not valid JSON or nests too deep. */
export function parseJsonDocument(text: string, file: string): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(sanitizeJsonText(text));
  } catch (err) {
    throw jsonSyntaxError(err as Error, text, file);
  }
  return checkDepth(doc, 'training log', file);
}

/** Reads and parses the whole source as one JSON document; a clear error when it is not valid JSON. */
export async function readJsonDocument(source: LogSource): Promise<unknown> {
  return parseJsonDocument(await readDocumentText(source), source.path);
}

/**
 * True when `text` failed to parse as one document because a second value starts on the next
 * line after a one-line first value: the text is JSON lines (its first line too long for the
 * format detection to have seen it whole).
 */
export function isJsonLinesText(text: string): boolean {
  const firstLine = text.indexOf('\n');
  if (firstLine < 0) return false;
  try {
    JSON.parse(sanitizeJsonText(text.slice(0, firstLine)));
  } catch {
    return false;
  }
  const next = text.slice(firstLine).trimStart();
  return next.startsWith('{');
}

/** The same source over text already read (so a reader can take it line by line). */
export function sourceOverText(source: LogSource, text: string): LogSource {
  return { ...source, open: () => Readable.from([Buffer.from(text, 'utf8')]) };
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
