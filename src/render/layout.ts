/** Placing blocks of terminal text side by side (ANSI colour codes do not count as width). */
import { stripAnsi } from '../io/lines.js';

/** Visible width of a line (ANSI codes removed, code points counted). */
export function visibleWidth(line: string): number {
  return [...stripAnsi(line)].length;
}

/** Lays out text blocks in rows of `perRow`, each block padded to `width` columns. */
export function sideBySide(blocks: readonly string[], width: number, perRow: number, gap = 2): string {
  const rows: string[] = [];
  for (let start = 0; start < blocks.length; start += perRow) {
    const group = blocks.slice(start, start + perRow).map((b) => b.split('\n'));
    const height = Math.max(...group.map((g) => g.length));
    for (let i = 0; i < height; i++) {
      const cells = group.map((g, k) => {
        const text = g[i] ?? '';
        return k === group.length - 1 ? text : text + ' '.repeat(Math.max(0, width - visibleWidth(text)) + gap);
      });
      rows.push(cells.join('').replace(/\s+$/, ''));
    }
    if (start + perRow < blocks.length) rows.push('');
  }
  return rows.join('\n');
}
