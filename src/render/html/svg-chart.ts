/**
 * Line charts as inline SVG, built in Node with d3-scale (scales and ticks), d3-shape (paths)
 * and d3-format (tick labels): no DOM, no script. A chart is one or more panels stacked on one
 * step axis (loss, then residuals, then the LR), each with its series, shaded bands and grid;
 * hovering a series shows its name (an SVG title).
 */
import { format } from 'd3-format';
import { scaleLinear, scaleLog } from 'd3-scale';
import { area, line } from 'd3-shape';
import { escapeHtml } from './page.js';

/** A line (or dots) on a panel. */
export interface SvgSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** 'line' (default), 'dashed', 'thin' (a light line, e.g. a noisy observed curve) or 'dots'. */
  style?: 'line' | 'dashed' | 'thin' | 'dots';
  /** Palette index 0–7. */
  color: number;
}

/** A shaded interval band. */
export interface SvgBand {
  name: string;
  x: ArrayLike<number>;
  lo: ArrayLike<number>;
  hi: ArrayLike<number>;
  color: number;
}

/** One panel of a chart. */
export interface SvgPanel {
  /** Height of the plot area in px (of a 760-wide chart). */
  height: number;
  yLabel: string;
  series: SvgSeries[];
  bands?: SvgBand[];
  /** Tick label format (d3-format specifier), e.g. ".3f" or ".1e". */
  yFormat?: string;
  /** Draw a dashed line at y = 0 (residuals). */
  zero?: boolean;
  /** Values the y axis must reach (e.g. ± the largest residual of every run, so runs share a scale). */
  include?: number[];
  /** The lowest value the axis may show (e.g. 0 for an LR). */
  min?: number;
  log?: boolean;
}

/** A chart: a title, panels on one x axis. */
export interface SvgChart {
  title: string;
  panels: SvgPanel[];
  xLabel?: string;
  /** Show only this x range (e.g. the last 30 % of a run). */
  xDomain?: [number, number];
}

/** Charts made so far in this process: ids of clip paths stay unique within a page. */
let charts = 0;

const WIDTH = 760;
const MARGIN = { left: 70, right: 18, top: 40, bottom: 40 };
const GAP = 22;
/** Most points drawn per series: beyond it the series is thinned evenly (the last point kept). */
export const MAX_DRAWN_POINTS = 800;
/** Most dots per dotted series. */
const MAX_DOTS = 300;

/** Indices of at most `max` evenly spaced points of `n` within [from, to] of x (the last one kept). */
function pick(x: ArrayLike<number>, max: number, domain: [number, number]): number[] {
  const inside: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] >= domain[0] && x[i] <= domain[1]) inside.push(i);
  // one point on each side of the domain, so a line reaches the frame
  if (inside.length > 0 && inside[0] > 0) inside.unshift(inside[0] - 1);
  if (inside.length > 0 && inside[inside.length - 1] < x.length - 1) inside.push(inside[inside.length - 1] + 1);
  if (inside.length <= max) return inside;
  const stride = inside.length / max;
  const out: number[] = [];
  for (let k = 0; k < max; k++) out.push(inside[Math.floor(k * stride)]);
  if (out[out.length - 1] !== inside[inside.length - 1]) out.push(inside[inside.length - 1]);
  return out;
}

/** The finite values of y at the picked points inside the domain (to size the y axis). */
function visibleValues(x: ArrayLike<number>, ys: ArrayLike<number>[], domain: [number, number]): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i] < domain[0] || x[i] > domain[1]) continue;
    for (const y of ys) if (Number.isFinite(y[i])) out.push(y[i]);
  }
  return out;
}

/** A tick formatter: d3-format, with true minus signs and a plain 0. */
const fmt = (spec: string) => {
  const f = format(spec);
  return (v: number) => (v === 0 ? '0' : f(v).replace(/-/g, '−'));
};

/** A chart as an SVG element (a string), 760 px wide in its own units, scaling to its container. */
export function svgChart(chart: SvgChart): string {
  const allX = chart.panels.flatMap((p) => [...p.series.map((s) => s.x), ...(p.bands ?? []).map((b) => b.x)]);
  let xMin = Infinity;
  let xMax = -Infinity;
  for (const x of allX) for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) (xMin = Math.min(xMin, x[i])), (xMax = Math.max(xMax, x[i]));
  const domain: [number, number] = chart.xDomain ?? [xMin, xMax];
  if (!(domain[1] > domain[0])) domain[1] = domain[0] + 1;
  const x = scaleLinear().domain(domain).range([MARGIN.left, WIDTH - MARGIN.right]);
  // the legend names the first panel's lines, and says once what the shading is; the panels below are named by their axis
  const first = chart.panels[0];
  const bandNames = [...new Set((first?.bands ?? []).map((b) => b.name.replace(/^.*: /, '')))];
  const legend = [...(first?.series ?? []).map((s) => ({ name: s.name, color: s.color, style: s.style ?? 'line' })), ...bandNames.map((name) => ({ name: `shaded: ${name}${(first?.bands?.length ?? 0) > 1 ? ' of each line' : ''}`, color: (first?.bands?.length ?? 0) > 1 ? 6 : first!.bands![0].color, style: 'band' as const }))];
  // flow layout: items left to right, wrapping at the plot's width (text width estimated)
  const placed: { x: number; row: number }[] = [];
  let cursor = MARGIN.left;
  let row = 0;
  for (const item of legend) {
    const w = 24 + item.name.length * 6.2 + 18;
    if (cursor + w > WIDTH - MARGIN.right && cursor > MARGIN.left) {
      row++;
      cursor = MARGIN.left;
    }
    placed.push({ x: cursor, row });
    cursor += w;
  }
  const legendRows = legend.length > 0 ? row + 1 : 1;
  const top = MARGIN.top + (legendRows - 1) * 16;
  const height = top + chart.panels.reduce((h, p) => h + p.height, 0) + GAP * (chart.panels.length - 1) + MARGIN.bottom;
  const parts: string[] = [];
  const id = `chart${++charts}`;
  parts.push(`<text class="title" x="${MARGIN.left}" y="16">${escapeHtml(chart.title)}</text>`);
  legend.forEach((item, i) => {
    const lx = placed[i].x;
    const ly = 32 + placed[i].row * 16;
    const mark =
      item.style === 'band'
        ? `<rect class="band f${item.color}" x="${lx}" y="${ly - 7}" width="18" height="9" style="opacity:0.35"/>`
        : item.style === 'dots'
          ? `<circle class="f${item.color}" cx="${lx + 9}" cy="${ly - 3}" r="2.6"/>`
          : `<line class="series s${item.color}${item.style === 'dashed' ? ' dashed' : item.style === 'thin' ? ' thin' : ''}" x1="${lx}" x2="${lx + 18}" y1="${ly - 3}" y2="${ly - 3}"/>`;
    parts.push(`${mark}<text x="${lx + 24}" y="${ly}">${escapeHtml(item.name)}</text>`);
  });
  let y0 = top;
  chart.panels.forEach((panel, k) => {
    const last = k === chart.panels.length - 1;
    const values = [...panel.series.flatMap((s) => visibleValues(s.x, [s.y], domain)), ...(panel.bands ?? []).flatMap((b) => visibleValues(b.x, [b.lo, b.hi], domain))];
    if (panel.zero) values.push(0);
    values.push(...(panel.include ?? []).filter(Number.isFinite));
    let lo = values.length ? Math.min(...values) : 0;
    let hi = values.length ? Math.max(...values) : 1;
    if (!(hi > lo)) {
      // a flat series: from the floor (e.g. an LR axis from 0) or a band around it
      const pad = hi === 0 ? 1 : Math.abs(hi) * 0.1;
      lo = panel.min !== undefined ? Math.min(panel.min, lo) : lo - pad;
      hi += pad;
    } else {
      // a little headroom, so a line along the top or bottom is not drawn on the frame
      const pad = 0.04 * (hi - lo);
      lo = panel.min !== undefined ? Math.max(panel.min, lo - pad) : lo - pad;
      hi += pad;
    }
    const range: [number, number] = [y0 + panel.height, y0];
    const useLog = Boolean(panel.log) && lo > 0;
    const y = useLog ? scaleLog().domain([lo, hi]).range(range).nice() : scaleLinear().domain([lo, hi]).range(range).nice(panel.height < 100 ? 3 : 5);
    const clip = `${id}-${k}`;
    parts.push(`<clipPath id="${clip}"><rect x="${MARGIN.left}" y="${y0}" width="${WIDTH - MARGIN.left - MARGIN.right}" height="${panel.height}"/></clipPath>`);
    const yTicks = y.ticks(panel.height < 100 ? 3 : 5);
    const yf = fmt(panel.yFormat ?? '.3~f');
    for (const t of yTicks) {
      const py = y(t).toFixed(1);
      parts.push(`<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${py}" y2="${py}"/><text class="axis-label" x="${MARGIN.left - 6}" y="${py}" dy="0.32em" text-anchor="end">${yf(t)}</text>`);
    }
    const xTicks = x.ticks(8);
    const xf = fmt(domain[1] >= 1e4 ? '~s' : ',~d');
    for (const t of xTicks) {
      const px = x(t).toFixed(1);
      parts.push(`<line class="grid" x1="${px}" x2="${px}" y1="${y0}" y2="${y0 + panel.height}"/>`);
      if (last) parts.push(`<text class="axis-label" x="${px}" y="${y0 + panel.height + 16}" text-anchor="middle">${xf(t)}</text>`);
    }
    if (panel.zero && 0 >= y.domain()[0] && 0 <= y.domain()[1]) parts.push(`<line class="zero" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}"/>`);
    parts.push(`<text class="axis-label" transform="translate(14,${(y0 + panel.height / 2).toFixed(1)}) rotate(-90)" text-anchor="middle">${escapeHtml(panel.yLabel)}</text>`);
    const plot: string[] = [];
    for (const band of panel.bands ?? []) {
      const idx = pick(band.x, MAX_DRAWN_POINTS, domain).filter((i) => Number.isFinite(band.lo[i]) && Number.isFinite(band.hi[i]));
      const d = area<number>()
        .x((i) => x(band.x[i]))
        .y0((i) => y(band.lo[i]))
        .y1((i) => y(band.hi[i]))(idx);
      if (d) plot.push(`<path class="band f${band.color}" d="${d}"><title>${escapeHtml(band.name)}</title></path>`);
    }
    for (const s of panel.series) {
      const idx = pick(s.x, s.style === 'dots' ? MAX_DOTS : MAX_DRAWN_POINTS, domain).filter((i) => Number.isFinite(s.y[i]) && (!useLog || s.y[i] > 0));
      if (s.style === 'dots') {
        plot.push(`<g class="series-dots f${s.color}" data-series="${escapeHtml(s.name)}">${idx.map((i) => `<circle cx="${x(s.x[i]).toFixed(1)}" cy="${y(s.y[i]).toFixed(1)}" r="2"/>`).join('')}<title>${escapeHtml(s.name)}</title></g>`);
        continue;
      }
      const d = line<number>()
        .x((i) => x(s.x[i]))
        .y((i) => y(s.y[i]))(idx);
      if (d) plot.push(`<path class="series hit s${s.color}${s.style === 'dashed' ? ' dashed' : s.style === 'thin' ? ' thin' : ''}" data-series="${escapeHtml(s.name)}" d="${d}"><title>${escapeHtml(s.name)}</title></path>`);
    }
    parts.push(`<g clip-path="url(#${clip})" class="plot">${plot.join('')}</g>`);
    parts.push(`<rect class="frame" x="${MARGIN.left}" y="${y0}" width="${WIDTH - MARGIN.left - MARGIN.right}" height="${panel.height}"/>`);
    y0 += panel.height + GAP;
  });
  if (chart.xLabel) parts.push(`<text class="axis-label" x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(chart.xLabel)}</text>`);
  return `<div class="figure"><svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(chart.title)}" data-panels="${chart.panels.length}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg></div>`;
}
