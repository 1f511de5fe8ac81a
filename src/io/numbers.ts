/**
 * Reading numbers out of log cells: finite numbers, "missing" values (empty, NaN, inf, null)
 * that are skipped and counted, and garbage that is an error.
 */

const MISSING = new Set(['', 'nan', '-nan', '+nan', 'inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity', 'null', 'none', 'na', 'n/a']);

/** Result of reading one cell: a finite number, `null` for a missing/non-finite value, `undefined` for text that is not a number. */
export type Cell = number | null | undefined;

/** Parses a cell written by a trainer (CSV text, JSON value). */
export function readNumber(raw: unknown): Cell {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (MISSING.has(text.toLowerCase())) return null;
  const value = Number(text);
  if (Number.isNaN(value)) return undefined;
  return Number.isFinite(value) ? value : null;
}
