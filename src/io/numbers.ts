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
  // fast path: a plain finite number (Number('') is 0 and Number('inf') is NaN, so both fall through)
  if (raw.length > 0 && raw.length < 32) {
    const c = raw.charCodeAt(0);
    if ((c >= 48 && c <= 57) || c === 45 || c === 46) {
      const value = Number(raw);
      if (Number.isFinite(value)) return value;
    }
  }
  const text = raw.trim();
  if (MISSING.has(text.toLowerCase())) return null;
  const value = Number(text);
  if (Number.isNaN(value)) return undefined;
  return Number.isFinite(value) ? value : null;
}
