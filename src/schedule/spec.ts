/**
 * The schedule spec grammar: `NAME:key=value,key=value,...`, lists inside a value separated
 * by "/", and `PATH@SPEC` to attach a schedule to a log path.
 */
import { usageError } from '../errors.js';

/** A spec split into its family name and raw key=value text (not yet checked against the family). */
export interface ParsedSpec {
  family: string;
  values: Map<string, string>;
  text: string;
}

/** Splits `NAME:key=value,...` into name and values; throws a usage error on malformed text. */
export function parseSpec(text: string): ParsedSpec {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const family = (colon < 0 ? trimmed : trimmed.slice(0, colon)).trim().toLowerCase();
  if (!/^[a-z][a-z0-9-]*$/.test(family)) throw usageError(`schedule "${text}": expected NAME:key=value,... (e.g. cosine:peak=3e-4,warmup=2000,total=24000)`);
  const values = new Map<string, string>();
  const body = colon < 0 ? '' : trimmed.slice(colon + 1);
  for (const part of body.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw usageError(`schedule "${text}": "${part.trim()}" is not key=value`);
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (key === '' || value === '') throw usageError(`schedule "${text}": "${part.trim()}" needs both a key and a value`);
    if (values.has(key)) throw usageError(`schedule "${text}": key "${key}" is given twice`);
    values.set(key, value);
  }
  return { family, values, text: trimmed };
}

/**
 * The spec with `total=N` added when it has none (what --total means: the length of specs given
 * without one). A `file:` spec (its length is its file's) and text that is not a spec are
 * returned as they are: parsing them later says what is wrong.
 */
export function withTotal(text: string, total: number | undefined): string {
  if (total === undefined) return text;
  let spec: ParsedSpec;
  try {
    spec = parseSpec(text);
  } catch {
    return text;
  }
  if (spec.family === 'file' || spec.values.has('total')) return text;
  return spec.text.includes(':') ? `${spec.text.replace(/,\s*$/, '')}${spec.values.size > 0 ? ',' : ''}total=${total}` : `${spec.text}:total=${total}`;
}

/** A log path with an optional schedule attached as `PATH@SPEC`. */
export interface LogArgument {
  path: string;
  schedule?: string;
}

/** Splits `PATH@SPEC` at the last "@" that is followed by a spec (`name:`); paths may contain "@". */
export function splitLogArgument(arg: string): LogArgument {
  for (let at = arg.lastIndexOf('@'); at > 0; at = arg.lastIndexOf('@', at - 1)) {
    if (/^[a-z][a-z0-9-]*:/i.test(arg.slice(at + 1))) return { path: arg.slice(0, at), schedule: arg.slice(at + 1) };
  }
  return { path: arg };
}

/**
 * A number as a spec writes it, exactly: the shorter of its decimal and exponential forms that
 * read back as the same double ("3e-4", not "0.0003"; "4.664e-6", not "0.000004664").
 */
export function specNumber(x: number): string {
  const decimal = String(x);
  const exponential = x.toExponential().replace('e+', 'e');
  return exponential.length < decimal.length && Number(exponential) === x ? exponential : decimal;
}
