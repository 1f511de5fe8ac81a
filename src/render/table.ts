/** Plain-text tables with aligned columns, narrowed to the terminal by wrapping one column. */
import { visibleWidth } from './layout.js';
import { BOLD, paint } from './style.js';

/** Table options. */
export interface TableOptions {
  indent?: number;
  color?: boolean;
  /** 'l' or 'r' per column. */
  align?: ('l' | 'r')[];
  /** Widest a line may be (the terminal's width): the `wrap` columns are narrowed in turn and their cells wrapped to fit. */
  maxWidth?: number;
  /** The columns to narrow when the table is too wide, in order (default: the widest left-aligned one). */
  wrap?: number | readonly number[];
  /** Per row and column, an ANSI style for a wrapped column's text (e.g. a schedule's colour). */
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

/** Narrowest a wrapped column is made. */
const MIN_WRAPPED = 10;

/** Renders rows under a bold header, columns padded to their widest cell (cells may carry ANSI colour); too wide, the `wrap` columns are wrapped. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const width = (t: string) => visibleWidth(t);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const indentWidth = options.indent ?? 0;
  const total = () => indentWidth + widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  const widest = widths.reduce((best, w, i) => ((options.align?.[i] ?? 'l') === 'l' && w > (widths[best] ?? -1) ? i : best), 0);
  const wrapped = options.wrap === undefined ? [widest] : typeof options.wrap === 'number' ? [options.wrap] : [...options.wrap];
  for (const column of wrapped) {
    if (options.maxWidth === undefined || total() <= options.maxWidth) break;
    widths[column] = Math.max(Math.min(MIN_WRAPPED, widths[column]), width(header[column]), widths[column] - (total() - options.maxWidth));
  }
  const pad = (text: string, i: number) => {
    const gap = ' '.repeat(Math.max(0, widths[i] - width(text)));
    return options.align?.[i] === 'r' ? gap + text : text + gap;
  };
  const indent = ' '.repeat(indentWidth);
  const line = (cells: readonly string[]) => indent + cells.map((c, i) => pad(c, i)).join('  ').replace(/\s+$/, '');
  const out = [paint(line(header), BOLD, Boolean(options.color))];
  rows.forEach((r, k) => {
    // each cell as its lines: wrapped columns split to their width (and painted), the others whole
    const cells = header.map((_, i) => {
      const text = r[i] ?? '';
      const pieces = wrapped.includes(i) && width(text) > widths[i] ? wrapCell(text, widths[i]) : [text];
      const style = options.paintCell?.(k, i);
      return style ? pieces.map((p) => paint(p, style, true)) : pieces;
    });
    const height = Math.max(...cells.map((c) => c.length));
    for (let j = 0; j < height; j++) out.push(line(cells.map((c) => c[j] ?? '')));
  });
  return out.join('\n');
}
