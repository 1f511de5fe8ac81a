/**
 * Terminal styling: colour only on a TTY and never when NO_COLOR is set, plus number formats.
 */
import { formatSigned } from '../text/signed.js';

/** Whether to colour output written to `stream`. */
export function useColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** Width of the terminal, or a default when not a terminal. */
export function terminalWidth(stream: { columns?: number } = process.stdout, fallback = 100): number {
  return Math.max(40, Math.min(200, stream.columns ?? fallback));
}

/** ANSI colour codes used for chart series, in order. */
export const SERIES_COLORS = ['\x1b[36m', '\x1b[33m', '\x1b[35m', '\x1b[32m', '\x1b[31m', '\x1b[34m', '\x1b[96m', '\x1b[93m'];
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

/** An interval as "lo–hi" (4 decimals), or with signs ("−0.0010…+0.0042") for differences. */
export function formatInterval(i: { lo: number; hi: number } | null | undefined, signed = false): string {
  if (!i || !Number.isFinite(i.lo) || !Number.isFinite(i.hi)) return '—';
  if (!signed) return `${i.lo.toFixed(4)}–${i.hi.toFixed(4)}`;
  return `${formatSigned(i.lo)}…${formatSigned(i.hi)}`;
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
