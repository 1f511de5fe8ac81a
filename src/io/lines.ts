/**
 * Streaming a text log line by line (without holding the file in memory), and the
 * clean-up every console log needs: ANSI colour codes removed.
 */
import { StringDecoder } from 'node:string_decoder';
import { dataError } from '../errors.js';
import type { LogSource } from './source.js';

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** Removes ANSI colour / cursor codes (torchtitan, rich, tqdm write them into logs). */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}

/**
 * Calls `visit(text, lineNumber)` for every line of the log, in order, streaming.
 * Lines have their line ending and ANSI codes removed. `visit` may throw to stop.
 */
export async function forEachLine(source: LogSource, visit: (text: string, line: number) => void): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  const emit = (text: string) => {
    line++;
    visit(stripAnsi(text.endsWith('\r') ? text.slice(0, -1) : text), line);
  };
  const stream = source.open();
  try {
    for await (const chunk of stream) {
      const text = rest + decoder.write(chunk as Buffer);
      let start = 0;
      let end = text.indexOf('\n');
      while (end >= 0) {
        emit(text.slice(start, end));
        start = end + 1;
        end = text.indexOf('\n', start);
      }
      rest = text.slice(start);
    }
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode !== undefined) throw err;
    throw dataError(`cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, source.path);
  } finally {
    stream.destroy();
  }
  rest += decoder.end();
  if (rest !== '') emit(rest);
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
