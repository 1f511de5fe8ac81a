/**
 * Streaming a text log line by line (without holding the file in memory, in time linear in its
 * size), and the clean-up every console log needs: ANSI colour codes removed. A line longer than
 * the reader's limit (MAX_LINE_CHARS for tables and console logs) is skipped with a note (a
 * corrupt or binary stretch, not a log line); a stretch without a line break of twice that limit,
 * and at least MIN_UNBROKEN_CHARS (`/dev/zero`, a binary file read as text), ends the read with an
 * error instead of running on.
 */
import { StringDecoder } from 'node:string_decoder';
import { dataError } from '../errors.js';
import { readError, type LogSource } from './source.js';

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** Longest line a table or console-log reader keeps (characters); longer ones are skipped with a note. */
export const MAX_LINE_CHARS = 1 << 20;
/** Longest JSON-lines record kept (characters): a W&B or trainer record with a large config can pass 1 MiB. */
export const MAX_RECORD_CHARS = 64 << 20;
/** The read stops after at least this many characters without a line break: no text log has such a line. */
export const MIN_UNBROKEN_CHARS = 64 << 20;

/** Most characters a reader keeping lines of `maxLine` reads without a line break (a skipped line may run to it). */
export function unbrokenLimit(maxLine: number): number {
  return Math.max(MIN_UNBROKEN_CHARS, 2 * maxLine);
}

/** Options of forEachLine. */
export interface LineOptions {
  /** Longest line passed to the visitor (default MAX_LINE_CHARS); longer ones are skipped with a note. */
  maxLineChars?: number;
}

/** Removes ANSI colour / cursor codes (torchtitan, rich, tqdm write them into logs). */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}

/** The note for skipped long lines. */
function longLineNote(count: number, first: number, max: number): string {
  return `${count} line(s) longer than ${max.toLocaleString('en-US')} characters skipped (first: line ${first}); a log line is never that long (a corrupt or binary stretch?)`;
}

/**
 * Calls `visit(text, lineNumber)` for every line of the log, in order, streaming.
 * Lines have their line ending and ANSI codes removed. `visit` may throw to stop.
 */
export async function forEachLine(source: LogSource, visit: (text: string, line: number) => void, options: LineOptions = {}): Promise<void> {
  const maxLine = options.maxLineChars ?? MAX_LINE_CHARS;
  const maxUnbroken = unbrokenLimit(maxLine);
  const decoder = new StringDecoder('utf8');
  let parts: string[] = [];
  let length = 0;
  let unbroken = 0; // characters of the current line, kept or not
  let tooLong = false;
  let line = 0;
  let longLines = 0;
  let firstLong = 0;
  const endLine = (tail: string) => {
    line++;
    if (tooLong || length + tail.length > maxLine) {
      if (longLines++ === 0) firstLong = line;
    } else {
      const text = parts.length > 0 ? parts.join('') + tail : tail;
      visit(stripAnsi(text.endsWith('\r') ? text.slice(0, -1) : text), line);
    }
    parts = [];
    length = 0;
    unbroken = 0;
    tooLong = false;
  };
  const keep = (piece: string) => {
    unbroken += piece.length;
    if (unbroken > maxUnbroken) {
      throw dataError(`line ${line + 1} runs on for more than ${maxUnbroken >> 20} MiB without a line break, which no text log does (a binary file or a device such as /dev/zero?); check the file, and --format`, source.path);
    }
    if (tooLong || piece === '') return;
    if (length + piece.length > maxLine) {
      tooLong = true;
      parts = [];
      length = 0;
      return;
    }
    parts.push(piece);
    length += piece.length;
  };
  const stream = source.open();
  try {
    for await (const chunk of stream) {
      const text = decoder.write(chunk as Buffer);
      let start = 0;
      let end = text.indexOf('\n');
      while (end >= 0) {
        endLine(text.slice(start, end));
        start = end + 1;
        end = text.indexOf('\n', start);
      }
      keep(text.slice(start));
    }
  } catch (err) {
    throw readError(err, source.path);
  } finally {
    stream.destroy();
  }
  keep(decoder.end());
  if (length > 0 || tooLong) endLine('');
  if (longLines > 0) source.notes.push(longLineNote(longLines, firstLong, maxLine));
}

/** How many of the first `max` non-empty lines of `head` match `pattern`. */
export function countMatchingLines(head: string, pattern: RegExp, max = 50_000): number {
  let n = 0;
  let seen = 0;
  for (const raw of head.split('\n')) {
    if (seen >= max) break;
    const text = stripAnsi(raw);
    if (text.trim() === '') continue;
    seen++;
    if (pattern.test(text)) n++;
  }
  return n;
}
