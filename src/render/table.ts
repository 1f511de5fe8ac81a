/** Plain-text tables with aligned columns, narrowed to the terminal by wrapping one column. */
import { visibleWidth } from './layout.js';
import { BOLD, paint } from './style.js';

/** Table options. */
export interface TableOptions {
  indent?: number;
  color?: boolean;
  /** 'l' or 'r' per column. */
  align?: ('l' | 'r')[];
  /** Widest a line may be (the terminal's width): the `wrap` column is narrowed and its cells wrapped to fit. */
  maxWidth?: number;
  /** The column to wrap when the table is too wide (default: the widest left-aligned one). */
  wrap?: number;
  /** Per row, an ANSI style for the `wrap` column's text (e.g. a schedule's colour). */
  paintCell?: (row: number, column: number) => string | undefined;
}

/** Splits a cell into pieces of at most `width` columns, at spaces, commas or = when it can. */
export function wrapCell(text: string, width: number): string[] {
  const chars = [...text];
  if (chars.length <= width) return [text];
  const out: string[] = [];
  let rest = chars;
  while (rest.length > width) {
    let cut = -1;
    for (let i = width; i > width / 3; i--) if (rest[i - 1] === ' ' || rest[i - 1] === ',' || rest[i - 1] === '_') (cut = i), (i = 0);
    if (cut < 0) cut = width;
    out.push(rest.slice(0, cut).join('').trimEnd());
    rest = rest.slice(cut);
    while (rest[0] === ' ') rest = rest.slice(1);
  }
  if (rest.length > 0) out.push(rest.join(''));
  return out;
}

/** Renders rows under a bold header, columns padded to their widest cell (cells may carry ANSI colour). */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const width = (t: string) => visibleWidth(t);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const indentWidth = options.indent ?? 0;
  const total = () => indentWidth + widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  const wrapAt = options.wrap ?? widths.reduce((best, w, i) => ((options.align?.[i] ?? 'l') === 'l' && w > (widths[best] ?? -1) ? i : best), 0);
  if (options.maxWidth !== undefined && total() > options.maxWidth) widths[wrapAt] = Math.max(8, widths[wrapAt] - (total() - options.maxWidth));
  const pad = (text: string, i: number) => {
    const gap = ' '.repeat(Math.max(0, widths[i] - width(text)));
    return options.align?.[i] === 'r' ? gap + text : text + gap;
  };
  const indent = ' '.repeat(indentWidth);
  const line = (cells: readonly string[]) => indent + cells.map((c, i) => pad(c, i)).join('  ').replace(/\s+$/, '');
  const out = [paint(line(header), BOLD, Boolean(options.color))];
  rows.forEach((r, k) => {
    const pieces = width(r[wrapAt] ?? '') > widths[wrapAt] ? wrapCell(r[wrapAt], widths[wrapAt]) : [r[wrapAt] ?? ''];
    const style = options.paintCell?.(k, wrapAt);
    const shown = pieces.map((p) => (style ? paint(p, style, true) : p));
    out.push(line(r.map((c, i) => (i === wrapAt ? shown[0] : c))));
    for (const more of shown.slice(1)) out.push(line(r.map((_, i) => (i === wrapAt ? more : ''))));
  });
  return out.join('\n');
}
