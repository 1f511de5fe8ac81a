/**
 * Terminal styling: colour only on a TTY and never when NO_COLOR is set, plus number formats.
 */
import { formatSigned } from '../text/signed.js';
import { ANSI_PALETTE } from './palette.js';

/** Whether to colour output written to `stream`. */
export function useColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** Width of the terminal: its columns, else $COLUMNS, else `fallback` (100), kept within 40–200. */
export function terminalWidth(stream: { columns?: number } = process.stdout, fallback = 100, env: NodeJS.ProcessEnv = process.env): number {
  const columns = stream.columns ?? (Number(env.COLUMNS) > 0 ? Math.floor(Number(env.COLUMNS)) : fallback);
  return Math.max(40, Math.min(200, columns));
}

/** ANSI colour codes of chart series, in order: the page's palette (one colour per schedule, colour-blind safe). */
export const SERIES_COLORS = ANSI_PALETTE;
export const RESET = '\x1b[0m';
export const BOLD = '\x1b[1m';
export const DIM = '\x1b[2m';

/** Wraps text in an ANSI style when colour is on. */
export function paint(text: string, code: string, color: boolean): string {
  return color ? `${code}${text}${RESET}` : text;
}

/** A loss value with 4 decimals (the precision logs are written with). */
export function formatLoss(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return Math.abs(x) < 1e6 ? x.toFixed(4) : x.toPrecision(4); // an absurd law's 5e307 stays short
}

/** A number in a compact form that keeps ~4 significant digits. */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}

/** A step count with thousands separators. */
export function formatStep(step: number): string {
  return Math.round(step).toLocaleString('en-US');
}

/** An interval as "lo–hi" (4 decimals unless told), or with signs ("−0.0010…+0.0042") for differences. */
export function formatInterval(i: { lo: number; hi: number } | null | undefined, signed = false, digits = 4): string {
  if (!i || !Number.isFinite(i.lo) || !Number.isFinite(i.hi)) return '—';
  if (!signed) return `${i.lo.toFixed(digits)}–${i.hi.toFixed(digits)}`;
  return `${formatSigned(i.lo, digits)}…${formatSigned(i.hi, digits)}`;
}

/** Word-wraps `text` to `width` columns: the first line starts with `first`, the rest with `rest` (e.g. indents). */
export function wrapText(text: string, width: number, first = '', rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  if (!empty) lines.push(line);
  return lines;
}

/** Packs whole items ("A 0.6028", "α 0.4963") into lines of at most `width` columns, `sep` between items; the first line starts with `first`, the rest with `rest`. */
export function wrapItems(items: readonly string[], width: number, first = '', rest = first, sep = '   '): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const item of items) {
    if (!empty && [...line].length + sep.length + [...item].length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += (empty ? '' : sep) + item;
    empty = false;
  }
  if (!empty) lines.push(line);
  return lines;
}
