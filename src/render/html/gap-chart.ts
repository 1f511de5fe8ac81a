/**
 * The gap-to-best chart: one row per candidate, its predicted gap to the best as a dot in the
 * schedule's colour and the paired interval of that gap as a bar, on one axis with 0 (the best)
 * marked, and an observed gap as a diamond where the runs exist. Plain HTML and CSS, so names and
 * numbers stay legible on a phone.
 */
import { escapeHtml } from './page.js';

/** One row of the chart. */
export interface GapRow {
  name: string;
  color: number;
  gap: number;
  interval?: { lo: number; hi: number };
  /** The observed gap (the run's observed final loss minus the best's), when both runs exist. */
  observed?: number;
  /** Right-hand text (the gap, rounded as the table rounds it). */
  text: string;
}

/** The chart; `axis` names the scale ("gap to the best, nats"). */
export function gapChart(rows: readonly GapRow[], axis: string): string {
  if (rows.length === 0) return '';
  const values = rows.flatMap((r) => [r.gap, r.interval?.lo, r.interval?.hi, r.observed]).filter((v): v is number => v !== undefined && Number.isFinite(v));
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  if (!(hi > lo)) hi = lo + 1e-3;
  const pad = 0.04 * (hi - lo);
  lo -= pad;
  hi += pad;
  const at = (v: number) => `${((100 * (v - lo)) / (hi - lo)).toFixed(2)}%`;
  const zero = `<span class="zero" style="left:${at(0)}"></span>`;
  const body = rows
    .map((r) => {
      const whisker = r.interval && Number.isFinite(r.interval.lo) && Number.isFinite(r.interval.hi) ? `<span class="whisker bg${r.color}" style="left:${at(r.interval.lo)};width:${((100 * (r.interval.hi - r.interval.lo)) / (hi - lo)).toFixed(2)}%"></span>` : '';
      const point = Number.isFinite(r.gap) ? `<span class="point bg${r.color}" style="left:${at(r.gap)}"></span>` : '';
      const observed = r.observed !== undefined && Number.isFinite(r.observed) ? `<span class="observed" style="left:${at(r.observed)}" title="observed"></span>` : '';
      return `<div class="gap-row"><span class="label"><span class="swatch dot bg${r.color}"></span> ${escapeHtml(r.name)}</span><span class="gap-track">${zero}${whisker}${point}${observed}</span><span class="value">${escapeHtml(r.text)}</span></div>`;
    })
    .join('');
  const tick = (v: number) => `${v < 0 ? '−' : v > 0 ? '+' : ''}${Math.abs(v).toPrecision(2)}`;
  // ticks at the ends of the data and at 0, each where its value is (an end too close to 0 is left out)
  const ticks = [lo + pad, 0, hi - pad].filter((v, i) => i === 1 || Math.abs(v) > 0.25 * (hi - lo)).map((v) => `<span class="tick" style="left:${at(v)}">${v === 0 ? '0' : tick(v)}</span>`);
  return `<div class="gaps" role="img" aria-label="${escapeHtml(axis)}">${body}<div class="gap-axis"><span></span><span class="ends">${ticks.join('')}</span><span></span></div><p class="gap-caption">${escapeHtml(axis)}</p></div>`;
}
