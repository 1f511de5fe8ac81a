/**
 * Line charts as inline SVG, built in Node with d3-scale (scales and ticks), d3-shape (paths)
 * and d3-format (tick labels): no DOM, no script. A chart is one or more panels stacked on one
 * step axis (loss, then residuals, then the LR), each with its series, shaded bands and grid;
 * its title and legend are HTML above it (legible on a phone, where the SVG shrinks), and a
 * shaded region can mark where a prediction extrapolates. Paths are thinned to what the pixels
 * show (a 760-unit-wide chart cannot show more than one point per unit).
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
  /** 'line' (default), 'dashed', 'thin' (a light line, e.g. a noisy observed curve), 'dots' or 'observed' (a bold line drawn over the predictions). */
  style?: 'line' | 'dashed' | 'thin' | 'dots' | 'observed';
  /** Palette index 0–9 (palette.ts). */
  color: number;
  /** Leave it out of the legend (e.g. the LR panel repeats the loss panel's schedules). */
  unlisted?: boolean;
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
  /** Show exactly this y range (lines beyond it are clipped), e.g. an end-zoom around the final losses. */
  yDomain?: [number, number];
  log?: boolean;
}

/** A region of steps shaded on every panel, with a label (e.g. beyond the fitted steps). */
export interface SvgShade {
  from: number;
  to: number;
  label: string;
}

/** A chart: a title, panels on one x axis. */
export interface SvgChart {
  title: string;
  panels: SvgPanel[];
  xLabel?: string;
  /** Show only this x range (e.g. the last 30 % of a run). */
  xDomain?: [number, number];
  shade?: SvgShade;
}

/** Charts made so far in this process: ids of clip paths stay unique within a page. */
let charts = 0;

const WIDTH = 760;
const MARGIN = { left: 80, right: 16, top: 14, bottom: 40 };
const GAP = 22;
/** Most points drawn per series before simplification: about one per unit of plot width. */
export const MAX_DRAWN_POINTS = 700;
/** Most dots per dotted series. */
const MAX_DOTS = 300;
/** A point closer than this (in chart units) to the line through its neighbours is not drawn. */
const TOLERANCE = 0.35;

/** Indices of at most `max` evenly spaced points of x within the domain (plus one on each side, so a line reaches the frame; the last kept). */
function pick(x: ArrayLike<number>, max: number, domain: [number, number]): number[] {
  const inside: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] >= domain[0] && x[i] <= domain[1]) inside.push(i);
  if (inside.length > 0 && inside[0] > 0) inside.unshift(inside[0] - 1);
  if (inside.length > 0 && inside[inside.length - 1] < x.length - 1) inside.push(inside[inside.length - 1] + 1);
  if (inside.length <= max) return inside;
  const stride = inside.length / max;
  const out: number[] = [];
  for (let k = 0; k < max; k++) out.push(inside[Math.floor(k * stride)]);
  if (out[out.length - 1] !== inside[inside.length - 1]) out.push(inside[inside.length - 1]);
  return out;
}

/** The points of a polyline (in chart units) worth drawing: Ramer–Douglas–Peucker within TOLERANCE, iteratively. */
export function simplify(px: readonly number[], py: readonly number[], tolerance = TOLERANCE): number[] {
  const n = px.length;
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const stack: [number, number][] = [[0, n - 1]];
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    const dx = px[b] - px[a];
    const dy = py[b] - py[a];
    const len = Math.hypot(dx, dy) || 1;
    let far = -1;
    let farthest = tolerance;
    for (let i = a + 1; i < b; i++) {
      const d = Math.abs(dy * (px[i] - px[a]) - dx * (py[i] - py[a])) / len;
      if (d > farthest) (farthest = d), (far = i);
    }
    if (far >= 0) {
      keep[far] = 1;
      stack.push([a, far], [far, b]);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(i);
  return out;
}

/** The finite values of y inside the domain (to size the y axis). */
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

/** One legend entry. */
interface LegendItem {
  name: string;
  color: number;
  style: SvgSeries['style'] | 'band' | 'shade';
}

/** The legend as HTML: a swatch in the series' colour and its name, wrapping as the screen allows. */
function legendHtml(items: readonly LegendItem[]): string {
  if (items.length === 0) return '';
  const swatch = (i: LegendItem) => {
    if (i.style === 'shade') return '<span class="swatch shade"></span>';
    const kind = i.style === 'dots' ? ' dot' : i.style === 'band' ? ' area' : '';
    return `<span class="swatch${kind} bg${i.color}"></span>`;
  };
  return `<span class="legend">${items.map((i) => `<span class="key">${swatch(i)}${escapeHtml(i.name)}</span>`).join('')}</span>`;
}

/** The legend of a chart: the first panel's series (once each), what its shading is, and the shaded region. */
function legendOf(chart: SvgChart): LegendItem[] {
  const first = chart.panels[0];
  const items: LegendItem[] = [];
  const seen = new Set<string>();
  for (const s of first?.series ?? []) {
    if (s.unlisted || seen.has(s.name)) continue;
    seen.add(s.name);
    items.push({ name: s.name, color: s.color, style: s.style ?? 'line' });
  }
  const bands = first?.bands ?? [];
  const bandNames = [...new Set(bands.map((b) => b.name.replace(/^.*: /, '')))];
  for (const name of bandNames) items.push({ name: `shaded: ${name}${bands.length > 1 ? ' of each line' : ''}`, color: bands.length > 1 ? 9 : bands[0].color, style: 'band' });
  if (chart.shade) items.push({ name: chart.shade.label, color: 9, style: 'shade' });
  return items;
}

/** A chart as a figure: an HTML caption (title, legend) over an SVG 760 units wide that scales to its container. */
export function svgChart(chart: SvgChart): string {
  const allX = chart.panels.flatMap((p) => [...p.series.map((s) => s.x), ...(p.bands ?? []).map((b) => b.x)]);
  let xMin = Infinity;
  let xMax = -Infinity;
  for (const x of allX) for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) (xMin = Math.min(xMin, x[i])), (xMax = Math.max(xMax, x[i]));
  const domain: [number, number] = chart.xDomain ?? [xMin, xMax];
  if (!(domain[1] > domain[0])) domain[1] = domain[0] + 1;
  const x = scaleLinear().domain(domain).range([MARGIN.left, WIDTH - MARGIN.right]);
  const top = MARGIN.top;
  const height = top + chart.panels.reduce((h, p) => h + p.height, 0) + GAP * (chart.panels.length - 1) + MARGIN.bottom;
  const parts: string[] = [];
  const id = `chart${++charts}`;
  const shade = chart.shade && chart.shade.to > domain[0] && chart.shade.from < domain[1] ? { from: Math.max(chart.shade.from, domain[0]), to: Math.min(chart.shade.to, domain[1]), label: chart.shade.label } : null;
  let y0 = top;
  chart.panels.forEach((panel, k) => {
    const last = k === chart.panels.length - 1;
    const values = [...panel.series.flatMap((s) => visibleValues(s.x, [s.y], domain)), ...(panel.bands ?? []).flatMap((b) => visibleValues(b.x, [b.lo, b.hi], domain))];
    if (panel.zero) values.push(0);
    values.push(...(panel.include ?? []).filter(Number.isFinite));
    let lo = values.length ? Math.min(...values) : 0;
    let hi = values.length ? Math.max(...values) : 1;
    if (panel.yDomain) [lo, hi] = panel.yDomain;
    else if (!(hi > lo)) {
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
    // a log axis keeps the data's range (a nice() one would widen 2.5–3.6 to 1–10) and takes its ticks from a linear axis on that range
    const y = useLog ? scaleLog().domain([lo, hi]).range(range) : scaleLinear().domain([lo, hi]).range(range).nice(panel.height < 100 ? 3 : 5);
    const clip = `${id}-${k}`;
    parts.push(`<clipPath id="${clip}"><rect x="${MARGIN.left}" y="${y0}" width="${WIDTH - MARGIN.left - MARGIN.right}" height="${panel.height}"/></clipPath>`);
    if (shade) {
      parts.push(`<rect class="shade" x="${x(shade.from).toFixed(1)}" y="${y0}" width="${(x(shade.to) - x(shade.from)).toFixed(1)}" height="${panel.height}"/>`);
      // the label inside the region's top, reading towards the plot's middle
      const right = x(shade.from) > (MARGIN.left + WIDTH - MARGIN.right) / 2;
      if (k === 0) parts.push(`<text class="shade-label minor" x="${(right ? x(shade.to) - 4 : x(shade.from) + 4).toFixed(1)}" y="${y0 + 13}"${right ? ' text-anchor="end"' : ''}>extrapolated</text>`);
    }
    const yTicks = useLog ? scaleLinear().domain([lo, hi]).ticks(panel.height < 100 ? 3 : 5) : y.ticks(panel.height < 100 ? 3 : 5);
    const yf = fmt(panel.yFormat ?? '.3~f');
    for (const t of yTicks) {
      const py = y(t).toFixed(1);
      parts.push(`<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${py}" y2="${py}"/><text class="axis-label" x="${MARGIN.left - 6}" y="${py}" dy="0.32em" text-anchor="end">${yf(t)}</text>`);
    }
    const xTicks = x.ticks(8);
    const xf = fmt(domain[1] >= 1e4 ? '~s' : ',~d');
    xTicks.forEach((t, i) => {
      const px = x(t).toFixed(1);
      parts.push(`<line class="grid" x1="${px}" x2="${px}" y1="${y0}" y2="${y0 + panel.height}"/>`);
      if (last) parts.push(`<text class="axis-label${i % 2 === 1 ? ' minor' : ''}" x="${px}" y="${y0 + panel.height + 5}" dominant-baseline="hanging" text-anchor="middle">${xf(t)}</text>`);
    });
    if (panel.zero && 0 >= y.domain()[0] && 0 <= y.domain()[1]) parts.push(`<line class="zero" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}"/>`);
    parts.push(`<text class="axis-label y-title" transform="translate(14,${(y0 + panel.height / 2).toFixed(1)}) rotate(-90)" text-anchor="middle">${escapeHtml(panel.yLabel)}</text>`);
    const plot: string[] = [];
    const bands = panel.bands ?? [];
    for (const band of bands) {
      const idx = pick(band.x, MAX_DRAWN_POINTS, domain).filter((i) => Number.isFinite(band.lo[i]) && Number.isFinite(band.hi[i]));
      const d = area<number>()
        .x((i) => x(band.x[i]))
        .y0((i) => y(band.lo[i]))
        .y1((i) => y(band.hi[i]))
        .digits(1)(idx);
      if (d) plot.push(`<path class="band${bands.length > 4 ? ' many' : ''} f${band.color}" d="${d}"><title>${escapeHtml(band.name)}</title></path>`);
    }
    for (const s of panel.series) {
      const idx = pick(s.x, s.style === 'dots' ? MAX_DOTS : MAX_DRAWN_POINTS, domain).filter((i) => Number.isFinite(s.y[i]) && (!useLog || s.y[i] > 0));
      if (s.style === 'dots') {
        plot.push(`<g class="series-dots f${s.color}" data-series="${escapeHtml(s.name)}">${idx.map((i) => `<circle cx="${x(s.x[i]).toFixed(1)}" cy="${y(s.y[i]).toFixed(1)}" r="2"/>`).join('')}<title>${escapeHtml(s.name)}</title></g>`);
        continue;
      }
      const px = idx.map((i) => x(s.x[i]));
      const py = idx.map((i) => y(s.y[i]));
      const kept = simplify(px, py);
      const d = line<number>()
        .x((j) => px[j])
        .y((j) => py[j])
        .digits(1)(kept);
      const style = s.style === 'dashed' ? ' dashed' : s.style === 'thin' ? ' thin' : s.style === 'observed' ? ' observed' : '';
      if (d) plot.push(`<path class="series hit s${s.color}${style}" data-series="${escapeHtml(s.name)}" d="${d}"><title>${escapeHtml(s.name)}</title></path>`);
    }
    parts.push(`<g clip-path="url(#${clip})" class="plot">${plot.join('')}</g>`);
    parts.push(`<rect class="frame" x="${MARGIN.left}" y="${y0}" width="${WIDTH - MARGIN.left - MARGIN.right}" height="${panel.height}"/>`);
    y0 += panel.height + GAP;
  });
  if (chart.xLabel) parts.push(`<text class="axis-label y-title" x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(chart.xLabel)}</text>`);
  const panelsNote = chart.panels.length > 1 ? `<span class="meta"> · panels: ${chart.panels.map((p) => escapeHtml(p.yLabel)).join(', ')}${chart.xLabel ? `; across: ${escapeHtml(chart.xLabel)}` : ''}</span>` : '';
  const caption = `<figcaption><span class="title">${escapeHtml(chart.title)}${panelsNote}</span>${legendHtml(legendOf(chart))}</figcaption>`;
  return `<figure class="figure">${caption}<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(chart.title)}" data-panels="${chart.panels.length}"${chart.panels.some((p) => p.log) ? ' data-log-y="true"' : ''} xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg></figure>`;
}
