/**
 * How deep a parsed JSON (or YAML) value nests. A training log, a params file or a manifest is a
 * few levels deep; a value nested thousands deep is not one of them, and every recursive walk
 * over it (flattening a record, validating a schema) would exhaust the call stack. Readers check
 * the depth right after parsing, without recursion, and refuse such a value in one line.
 */
import { dataError } from '../errors.js';

/** Deepest nesting of arrays and objects losscast reads in a log, params file, manifest or result. */
export const MAX_JSON_DEPTH = 100;

/** True when `value` nests arrays or objects more than `max` levels deep (walked without recursion). */
export function nestsDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** The one-line error for a value nested too deep; `what` names the document ("log", "params file", …). */
export function tooDeepError(what: string, file: string, line?: number): Error {
  return dataError(`nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep, which no ${what} does; is it the right file?`, file, line);
}

/** Throws tooDeepError when `value` nests more than MAX_JSON_DEPTH levels; returns it otherwise. */
export function checkDepth<T>(value: T, what: string, file: string, line?: number): T {
  if (nestsDeeperThan(value)) throw tooDeepError(what, file, line);
  return value;
}
