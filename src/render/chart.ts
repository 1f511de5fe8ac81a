/**
 * Line charts in the terminal: several series on one asciichart with a legend, resampled to
 * the terminal width, optionally zoomed to the tail or log-scaled in y. Series may cover
 * different step ranges (each is drawn only over its own range).
 */
import asciichart from 'asciichart';
import { formatStep, paint, SERIES_COLORS } from './style.js';
import { interpolate } from '../core/interpolate.js';

/** One line of a chart. */
export interface ChartSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Palette index (palette.ts): the schedule's colour across the report; default: its position. */
  color?: number;
}

/** Chart options. */
export interface ChartOptions {
  /** Total width in characters (labels included). */
  width: number;
  /** Plot height in rows. */
  height?: number;
  color: boolean;
  /** Show only the last fraction of the x range (e.g. 0.3 = last 30 %). */
  tail?: number;
  /** Log-scale the y axis. */
  logY?: boolean;
  /** Formats a y-axis label. */
  formatY?: (y: number) => string;
  /** Title printed above the chart. */
  title?: string;
}

const LABEL_WIDTH = 10;
/** Line characters per series when colour is off, so series stay distinguishable. */
const PLAIN_MARKS = [null, '•', '+', '*', 'o', 'x', '#', '%', '@'];


/** Renders the series as a chart with a legend; returns the text (no trailing newline). */
export function renderChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const drawable = series.filter((s) => s.x.length > 0);
  const colorOf = (i: number) => drawable[i].color ?? i;
  if (drawable.length === 0) return '(nothing to chart)';
  let xmin = Math.min(...drawable.map((s) => s.x[0]));
  const xmax = Math.max(...drawable.map((s) => s.x[s.x.length - 1]));
  if (options.tail !== undefined && options.tail > 0 && options.tail < 1) xmin = xmax - options.tail * (xmax - xmin);
  // room for the labels on the left and "  step" after the axis
  const columns = Math.max(10, options.width - LABEL_WIDTH - 1 - 6);
  const height = options.height ?? 14;
  const toY = options.logY ? Math.log : (v: number) => v;
  const fromY = options.logY ? Math.exp : (v: number) => v;
  const at = (c: number) => (columns === 1 ? xmin : xmin + ((xmax - xmin) * c) / (columns - 1));

  const sampled = drawable.map((s) => {
    const values: (number | undefined)[] = [];
    for (let c = 0; c < columns; c++) {
      const v = interpolate(s.x, s.y, at(c));
      values.push(v !== undefined && Number.isFinite(v) && (!options.logY || v > 0) ? toY(v) : undefined);
    }
    return values;
  });
  const defined = sampled.flat().filter((v): v is number => v !== undefined);
  if (defined.length === 0) return '(nothing to chart in this range)';
  let min = Math.min(...defined);
  let max = Math.max(...defined);
  if (!(Math.abs(max) < 1e200 && Math.abs(min) < 1e200)) return '(values too large to chart)';
  if (max - min <= 1e-9 * Math.max(Math.abs(max), 1e-300)) {
    // a flat series: a band of ±10 % around it (±0.5 around zero), so the line sits mid-chart
    const pad = max === 0 ? 0.5 : Math.abs(max) * 0.1;
    min -= pad;
    max += pad;
  }
  const format = (v: number) => (options.formatY ?? ((y: number) => y.toPrecision(4)))(fromY(v)).padStart(LABEL_WIDTH - 1).slice(-(LABEL_WIDTH - 1)) + ' ';

  const grid: string[][] = [];
  const owner: number[][] = [];
  sampled.forEach((values, i) => {
    const first = values.findIndex((v) => v !== undefined);
    if (first < 0) return;
    let last = values.length - 1;
    while (values[last] === undefined) last--;
    const filled: number[] = [];
    let carry = values[first]!;
    for (let c = 0; c <= Math.max(last, first + 1); c++) {
      const v = values[Math.min(c, last)];
      if (v !== undefined) carry = v;
      filled.push(carry);
    }
    const mark = options.color ? null : PLAIN_MARKS[colorOf(i) % PLAIN_MARKS.length];
    const symbols = mark ? ['┼', '┤', '╶', '╴', mark, mark, mark, mark, mark, mark] : undefined;
    const text = asciichart.plot(filled, { min, max, height, offset: LABEL_WIDTH + 1, format, ...(symbols ? { symbols } : {}) });
    text.split('\n').forEach((line, row) => {
      const chars = [...line];
      if (!grid[row]) {
        grid[row] = chars.slice(0, LABEL_WIDTH + 1).concat(new Array(columns).fill(' '));
        owner[row] = new Array(grid[row].length).fill(-1);
      }
      for (let c = first; c < Math.max(last, first + 1); c++) {
        const col = LABEL_WIDTH + 1 + c;
        const ch = chars[col];
        if (ch !== undefined && ch !== ' ') {
          grid[row][col] = ch;
          owner[row][col] = i;
        }
      }
    });
  });
  const lines = grid.map((row, r) =>
    row
      .map((ch, col) => (owner[r][col] >= 0 ? paint(ch, SERIES_COLORS[colorOf(owner[r][col]) % SERIES_COLORS.length], options.color) : ch))
      .join('')
      .replace(/\s+$/, ''),
  );
  const left = formatStep(xmin);
  const mid = formatStep((xmin + xmax) / 2);
  const right = formatStep(xmax);
  const axis = new Array(columns).fill(' ');
  const put = (text: string, pos: number) => [...text].forEach((ch, k) => (axis[Math.max(0, Math.min(columns - text.length, pos)) + k] = ch));
  put(left, 0);
  put(mid, Math.round(columns / 2 - mid.length / 2));
  put(right, columns - right.length);
  lines.push(' '.repeat(LABEL_WIDTH + 1) + axis.join('').replace(/\s+$/, '') + '  step');
  // the legend, wrapped to the width (an item is never split)
  const items = drawable.map((s, i) => {
    const m = PLAIN_MARKS[colorOf(i) % PLAIN_MARKS.length] ?? '─';
    const mark = options.color ? '──' : `${m}${m}`;
    return { text: `${paint(mark, SERIES_COLORS[colorOf(i) % SERIES_COLORS.length], options.color)} ${s.name}`, width: 3 + [...s.name].length };
  });
  let row = '';
  let used = 0;
  for (const item of items) {
    if (used > 0 && LABEL_WIDTH + 1 + used + 3 + item.width > options.width) {
      lines.push(' '.repeat(LABEL_WIDTH + 1) + row);
      row = '';
      used = 0;
    }
    row += (used > 0 ? '   ' : '') + item.text;
    used += (used > 0 ? 3 : 0) + item.width;
  }
  if (used > 0) lines.push(' '.repeat(LABEL_WIDTH + 1) + row);
  if (options.title) lines.unshift(options.title);
  return lines.join('\n');
}
