/** Plain-text tables with aligned columns. */
import { BOLD, paint } from './style.js';

/** Table options. */
export interface TableOptions {
  indent?: number;
  color?: boolean;
  /** 'l' or 'r' per column. */
  align?: ('l' | 'r')[];
}

/** Renders rows under a bold header, columns padded to their widest cell. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const pad = (text: string, i: number) => {
    const gap = ' '.repeat(Math.max(0, widths[i] - [...text].length));
    return options.align?.[i] === 'r' ? gap + text : text + gap;
  };
  const indent = ' '.repeat(options.indent ?? 0);
  const line = (cells: readonly string[]) => indent + cells.map((c, i) => pad(c, i)).join('  ').replace(/\s+$/, '');
  return [paint(line(header), BOLD, Boolean(options.color)), ...rows.map(line)].join('\n');
}
