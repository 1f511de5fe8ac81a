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
import { BOLD, DIM, formatInterval, formatLoss, formatStep, paint, terminalWidth, wrapText } from './style.js';
import { renderTable } from './table.js';
import { specNumber } from '../schedule/spec.js';
import type { Schedule } from '../schedule/schedule.js';
import { type Decision, decisionLines } from './decision.js';
import { readableNumbers } from './precision.js';

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

/** LR at or under this share of the peak counts as zero: a tail the law credits with training that does not happen. */
const ZERO_LR = 1e-3;
/** A zero-LR tail this long (share of the run) makes a gain unreliable. */
const ZERO_TAIL_SHARE = 0.02;

/** Steps at the end of a schedule whose LR is (almost) zero. */
export function zeroLrTail(schedule: Schedule, total: number, peak: number): number {
  let n = 0;
  for (let t = total - 1; t >= 0 && schedule.lrAt(t) <= ZERO_LR * peak; t--) n++;
  return n;
}

/** Whether an optimum's gain can be trusted, in words: "reliably better", or why not. */
export function gainVerdict(o: Optimum): { sure: boolean; text: string } {
  if (!o.gain.interval) return { sure: false, text: 'no interval: run with a bootstrap to know how sure the gain is' };
  if (o.gain.interval.lo <= 0) return { sure: false, text: 'not reliably better: the interval of the gain reaches 0' };
  const tail = zeroLrTail(o.best.schedule, o.frame.total, o.frame.peak);
  if (tail >= ZERO_TAIL_SHARE * o.frame.total) return { sure: false, text: `not reliably better: its last ${formatStep(tail)} steps are at LR ≈ 0, which the law credits as training (no fitted run did that)` };
  return { sure: true, text: 'reliably better' };
}

/** The schedule an optimum recommends, for people: its spec (numbers rounded), or the free-form shape. */
export function optimumWhat(o: Optimum): string {
  return o.found === 'free-form' ? describeFreeForm(o) : readableNumbers(o.best.spec);
}

/** The decision an optimize report leads with. */
export function optimumDecision(o: Optimum, law: FittedLaw): Decision {
  const level = law.uncertainty ? formatLevel(law.uncertainty.level) : '';
  const verdict = gainVerdict(o);
  const gain = `${o.gain.value >= 0 ? '' : '−'}${formatLoss(Math.abs(o.gain.value))}`;
  const head = verdict.sure ? `Use ${optimumWhat(o)}` : `Best found: ${optimumWhat(o)}`;
  return { text: `${head}: predicted ${formatLoss(o.best.finalLoss)}, ${gain} lower than the baseline${o.gain.interval ? ` (${level}: ${formatInterval(o.gain.interval, true)}, paired)` : ''}; ${verdict.text}.`, reasons: [] };
}

/** The text report of one law's optimum (and, with two laws, how each optimum fares under the other): the decision first, every line within the width. */
export function renderOptimum(o: Optimum, law: FittedLaw, options: { color: boolean; chart: boolean; tail?: number; logY?: boolean; file?: string; cross?: { title: string; finalLoss: number; gain: number }; width?: number; warnings?: readonly Warning[] }): string {
  const c = options.color;
  const width = options.width ?? terminalWidth();
  const title = lawByName(o.model.law).title;
  const level = law.uncertainty ? formatLevel(law.uncertainty.level) : '';
  const searched = o.searched.join(', ');
  const lines: string[] = [];
  /** A labelled row ("  best      …"), wrapped under its text. */
  const row = (label: string, text: string) => lines.push(...wrapText(text, width, `  ${label.padEnd(10)}`, ' '.repeat(12)));
  lines.push(...decisionLines(optimumDecision(o, law), width, c, options.warnings ?? []));
  lines.push('');
  lines.push(...wrapText(`Best ${formatStep(o.frame.total)}-step schedule at peak ${specNumber(o.frame.peak)}, warmup ${formatStep(o.frame.warmup)} (${title}; searched ${searched})`, width).map((l) => paint(l, BOLD, c)));
  const interval = (i: { lo: number; hi: number } | null) => (i ? `   (${level} interval ${formatInterval(i)})` : '');
  const exact = o.found === 'free-form' ? `exact schedule: ${options.file ? `${options.file} (file:path=${options.file})` : '--json, or -o FILE for a step,lr file'}` : o.best.spec;
  row('best', optimumWhat(o));
  if (o.found === 'free-form') lines.push(...wrapText(exact, width, '            ').map((l) => paint(l, DIM, c)));
  row('', `final loss ${formatLoss(o.best.finalLoss)}${interval(o.best.interval)}`);
  row('baseline', readableNumbers(o.baseline.spec));
  row('', `final loss ${formatLoss(o.baseline.finalLoss)}${interval(o.baseline.interval)}`);
  const sure = o.gain.interval ? `: ${gainVerdict(o).text}` : '';
  row('gain', `${o.gain.value >= 0 ? '' : '−'}${formatLoss(Math.abs(o.gain.value))}${o.gain.interval ? `   (${level} interval ${formatInterval(o.gain.interval, true)}, paired: every refitted law scores both)` : ''}${sure}`);
  if (options.cross) lines.push(...wrapText(`under the ${options.cross.title}: final loss ${formatLoss(options.cross.finalLoss)}, gain ${formatLoss(options.cross.gain)}`, width, '  ', '    '));
  if (o.candidates.length > 1) {
    lines.push('');
    lines.push(
      renderTable(
        ['found', 'final loss', 'gain', 'schedule'],
        o.candidates.map((x) => [x.found, formatLoss(x.finalLoss), formatLoss(o.baseline.finalLoss - x.finalLoss), x.found === 'free-form' ? '(free-form: see above)' : readableNumbers(x.spec)]),
        { indent: 2, color: c, align: ['l', 'r', 'r', 'l'], maxWidth: width, wrap: 3 },
      ),
    );
  }
  if (options.chart) {
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
