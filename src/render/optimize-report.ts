/**
 * What `optimize` shows: the best schedule with its predicted final loss, the baseline, the
 * gain with its paired interval, every family's best, and charts of the LR and the loss of best
 * vs baseline; and the same as one JSON document.
 */
import { lawByName } from '../law/registry.js';
import type { FittedLaw } from '../predict/fitted-law.js';
import type { Optimum } from '../predict/optimize/optimize.js';
import { simulate } from '../predict/simulate.js';
import { formatLevel } from '../text/level.js';
import type { Warning } from '../warnings.js';
import { type ChartSeries, renderChart } from './chart.js';
import { finite, intervalJson, modelJsonName, paramsJson, SCHEMA_VERSION } from './json.js';
import { BOLD, DIM, formatInterval, formatLoss, formatStep, paint, terminalWidth } from './style.js';
import { renderTable } from './table.js';
import { specNumber } from '../schedule/spec.js';

/** How much of a free-form schedule sits at the peak, where it starts to fall and where it ends. */
export interface FreeFormShape {
  /** Share of the post-warmup steps within 5 % of the peak. */
  atPeak: number;
  /** First step below 95 % of the peak (null: never). */
  decayFrom: number | null;
  /** Final LR / peak. */
  finalRatio: number;
}

/** The shape of the block LRs of a free-form optimum. */
export function freeFormShape(o: Optimum): FreeFormShape | null {
  if (!o.blocks) return null;
  const { lengths, lrs } = o.blocks;
  const peak = o.frame.peak;
  let near = 0;
  let at = o.frame.warmup;
  let decayFrom: number | null = null;
  lengths.forEach((n, b) => {
    if (lrs[b] >= 0.95 * peak) near += n;
    else if (decayFrom === null) decayFrom = at;
    at += n;
  });
  return { atPeak: near / (o.frame.total - o.frame.warmup), decayFrom, finalRatio: lrs[lrs.length - 1] / peak };
}

/** One line saying what a free-form schedule looks like. */
function describeFreeForm(o: Optimum): string {
  const s = freeFormShape(o)!;
  const levels = [...new Set(o.blocks!.lrs.map((v) => Number((v / o.frame.peak).toPrecision(2))))];
  const steps = levels.length <= 5 ? `, levels ${levels.map((l) => `${l}×`).join(' → ')} peak` : '';
  return `free-form on ${o.blocks!.lengths.length} blocks: ${Math.round(100 * s.atPeak)} % of the steps after warmup at peak${s.decayFrom !== null ? `, falling from step ${formatStep(s.decayFrom)}` : ''}${steps}, ending at ${(100 * s.finalRatio).toPrecision(2)} % of peak`;
}

/** The text report of one law's optimum (and, with two laws, how each optimum fares under the other). */
export function renderOptimum(o: Optimum, law: FittedLaw, options: { color: boolean; chart: boolean; tail?: number; logY?: boolean; file?: string; cross?: { title: string; finalLoss: number; gain: number } }): string {
  const c = options.color;
  const title = lawByName(o.model.law).title;
  const level = law.uncertainty ? formatLevel(law.uncertainty.level) : '';
  const searched = o.searched.join(', ');
  const lines: string[] = [];
  lines.push(paint(`Best ${formatStep(o.frame.total)}-step schedule at peak ${specNumber(o.frame.peak)}, warmup ${formatStep(o.frame.warmup)} (${title}; searched ${searched})`, BOLD, c));
  const interval = (i: { lo: number; hi: number } | null) => (i ? `   (${level} interval ${formatInterval(i)})` : '');
  const exact = o.found === 'free-form' ? `exact schedule: ${options.file ? `${options.file} (file:path=${options.file})` : '--json, or -o FILE for a step,lr file'}` : o.best.spec;
  lines.push(`  best      ${o.found === 'free-form' ? describeFreeForm(o) : o.best.spec}`);
  if (o.found === 'free-form') lines.push(paint(`            ${exact}`, DIM, c));
  lines.push(`            final loss ${formatLoss(o.best.finalLoss)}${interval(o.best.interval)}`);
  lines.push(`  baseline  ${o.baseline.spec}`);
  lines.push(`            final loss ${formatLoss(o.baseline.finalLoss)}${interval(o.baseline.interval)}`);
  const sure = o.gain.interval ? (o.gain.interval.lo > 0 ? ': reliably better' : ': not reliably better') : '';
  lines.push(`  gain      ${o.gain.value >= 0 ? '' : '−'}${formatLoss(Math.abs(o.gain.value))}${o.gain.interval ? `   (${level} interval ${formatInterval(o.gain.interval, true)}, paired: every refitted law scores both)` : ''}${sure}`);
  if (options.cross) lines.push(`  under the ${options.cross.title}: final loss ${formatLoss(options.cross.finalLoss)}, gain ${formatLoss(options.cross.gain)}`);
  if (o.candidates.length > 1) {
    lines.push('');
    lines.push(
      renderTable(
        ['found', 'final loss', 'gain', 'schedule'],
        o.candidates.map((x) => [x.found, formatLoss(x.finalLoss), formatLoss(o.baseline.finalLoss - x.finalLoss), x.found === 'free-form' ? '(free-form: see above)' : x.spec]),
        { indent: 2, color: c, align: ['l', 'r', 'r', 'l'] },
      ),
    );
  }
  if (options.chart) {
    const width = terminalWidth();
    const best = simulate(law, o.best.schedule);
    const base = simulate(law, o.baseline.schedule);
    const pair = (y: 'lr' | 'loss'): ChartSeries[] => [
      { name: 'best', x: best.steps, y: best[y] },
      { name: 'baseline', x: base.steps, y: base[y] },
    ];
    lines.push('');
    lines.push(renderChart(pair('lr'), { width, height: 10, color: c, formatY: (y) => y.toExponential(2), title: paint('  learning rate', DIM, c) }));
    lines.push('');
    const tail = options.tail ?? 0.3;
    lines.push(renderChart(pair('loss'), { width, height: 12, color: c, tail, logY: options.logY, formatY: (y) => y.toFixed(3), title: paint(`  predicted loss (last ${Math.round(100 * tail)} % of steps; --tail 1 for all)`, DIM, c) }));
  }
  return lines.join('\n');
}

/** One optimum as JSON. */
function optimumJson(o: Optimum, law: FittedLaw, warnings: Warning[]) {
  return {
    model: modelJsonName(o.model),
    params: paramsJson(o.model, warnings),
    frame: o.frame,
    found: o.found,
    best: { schedule: o.best.spec, finalLoss: finite(o.best.finalLoss, 'best final loss', warnings), interval: o.best.interval ? intervalJson(o.best.interval, 'best interval', warnings) : null, shape: freeFormShape(o) },
    baseline: { schedule: o.baseline.spec, finalLoss: finite(o.baseline.finalLoss, 'baseline final loss', warnings), interval: o.baseline.interval ? intervalJson(o.baseline.interval, 'baseline interval', warnings) : null },
    gain: { value: finite(o.gain.value, 'gain', warnings), interval: o.gain.interval ? intervalJson(o.gain.interval, 'gain interval', warnings) : null },
    candidates: o.candidates.map((x) => ({ found: x.found, schedule: x.spec, finalLoss: finite(x.finalLoss, `${x.found} final loss`, warnings) })),
    blocks: o.blocks ?? null,
    level: law.uncertainty?.level ?? null,
  };
}

/** The optimize JSON document: the first law's optimum at the top, every law's in `byModel` (with --model both, each scored under the other too). */
export function optimizeJson(optima: readonly { optimum: Optimum; law: FittedLaw; cross?: { model: string; finalLoss: number; gain: number } }[], file: string | null, warnings: Warning[]) {
  const [first] = optima;
  const own: Warning[] = [];
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'optimize',
    ...optimumJson(first.optimum, first.law, own),
    file,
    byModel: optima.length > 1 ? optima.map((x) => ({ ...optimumJson(x.optimum, x.law, own), crossCheck: x.cross ? { model: x.cross.model, finalLoss: finite(x.cross.finalLoss, 'cross-check final loss', own), gain: finite(x.cross.gain, 'cross-check gain', own) } : null })) : null,
    warnings: [...warnings, ...own],
  };
}
