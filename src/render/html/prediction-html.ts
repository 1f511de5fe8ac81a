/**
 * HTML reports of predictions: the curves chart every prediction page draws (loss with bands over
 * the LR, observed runs over the predictions, extrapolation shaded), `predict` (one curve with its
 * band) and `optimize` (best vs baseline, the gain, every family's best). `compare` is in
 * compare-html.ts.
 */
import type { FittedLaw } from '../../predict/fitted-law.js';
import { lawOf } from '../../predict/fitted-law.js';
import type { Optimum } from '../../predict/optimize/optimize.js';
import { type Prediction, type PredictionBand, simulate } from '../../predict/simulate.js';
import { formatLevel } from '../../text/level.js';
import type { Decision } from '../decision.js';
import { optimumDecision } from '../optimize-report.js';
import { OBSERVED_COLOR } from '../palette.js';
import { decimalsFor, readableNumbers } from '../precision.js';
import { lossText } from '../ranking-format.js';
import { formatLoss, formatStep } from '../style.js';
import { type Cell, htmlTable } from './html-table.js';
import { escapeHtml, intervalHtml, type Section, specHtml } from './page.js';
import { type SvgBand, type SvgPanel, type SvgSeries, type SvgShade, svgChart } from './svg-chart.js';

/** A predicted curve to chart, with its band when the law has a bootstrap, in its schedule's colour. */
export interface ChartedCurve {
  name: string;
  prediction: Prediction;
  band: PredictionBand | null;
  color: number;
}

/** A real run of one of the candidates: drawn over its prediction, its end judged against its interval. */
export interface ObservedRun {
  /** The candidate it is a run of. */
  candidate: string;
  label: string;
  steps: ArrayLike<number>;
  loss: ArrayLike<number>;
}

/** How to draw curves: zoom on the last fraction of steps, a log loss axis, the steps the law saw. */
export interface CurveView {
  tail?: number;
  logY?: boolean;
  /** The last step of the longest fitted run: beyond it the law extrapolates (shaded). */
  fittedTo?: number;
  /** With `tail`: fit the loss axis to the candidates' ends (the last 5 % of steps) instead of the whole window, and leave the bands out (compare's end zoom). */
  ends?: boolean;
}

/** The last step the law was fitted on (its longest fitted run), when known. */
export function fittedTo(law: FittedLaw): number | undefined {
  return law.fitted && law.fitted.length > 0 ? Math.max(...law.fitted.map((f) => f.length)) : undefined;
}

/** The region beyond the fitted steps, shaded in charts that reach it (a sliver under 2 % of the run, e.g. the steps after a run's last logged point, is not). */
function extrapolation(view: CurveView, end: number): SvgShade | undefined {
  return view.fittedTo !== undefined && end - view.fittedTo > 0.02 * end ? { from: view.fittedTo, to: end, label: `beyond the fitted steps (after ${formatStep(view.fittedTo)}): extrapolated` } : undefined;
}

/** The y range of the curves (bands included) over steps [from, to], padded: the early steep part does not squash the rest. */
function yRangeOver(curves: readonly ChartedCurve[], from: number, to: number, observed: readonly SvgSeries[] = []): [number, number] | undefined {
  const values: number[] = [];
  const add = (x: ArrayLike<number>, ys: ArrayLike<number>[]) => {
    for (let i = 0; i < x.length; i++) if (x[i] >= from && x[i] <= to) for (const y of ys) if (Number.isFinite(y[i])) values.push(y[i]);
  };
  for (const c of curves) {
    add(c.prediction.steps, [c.prediction.loss]);
    if (c.band) add(c.band.steps, [c.band.lo, c.band.hi]);
  }
  for (const s of observed) add(s.x, [s.y]);
  if (values.length === 0) return undefined;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = 0.05 * (hi - lo || Math.abs(hi) || 1);
  return [lo - pad, hi + pad];
}

/** Observed runs as points in their candidate's colour (drawn last: over the predictions). */
function observedSeries(observed: readonly ObservedRun[], colors: ReadonlyMap<string, number>): SvgSeries[] {
  return observed.map((o) => ({ name: `observed: ${o.label}`, x: o.steps, y: o.loss, style: 'dots', color: colors.get(o.candidate) ?? OBSERVED_COLOR }));
}

/**
 * Loss (with every band) over the LR, on one step axis. `tail` zooms on the last fraction of
 * steps with the loss axis fitted to the ends; without it, the axis leaves out the first 10 % of
 * steps (the steep start). Observed runs are drawn over the predictions.
 */
export function curvesChart(title: string, curves: readonly ChartedCurve[], level: string, view: CurveView = {}, observed: readonly ObservedRun[] = [], colors: ReadonlyMap<string, number> = new Map()): string {
  const lossSeries: SvgSeries[] = curves.map((c) => ({ name: c.name, x: c.prediction.steps, y: c.prediction.loss, color: c.color }));
  const seen = observedSeries(observed, colors);
  const bands: SvgBand[] = view.ends ? [] : curves.flatMap((c) => (c.band ? [{ name: `${c.name}: ${level} band`, x: c.band.steps, lo: c.band.lo, hi: c.band.hi, color: c.color }] : []));
  const end = Math.max(...curves.map((c) => c.prediction.total));
  const start = Math.min(...curves.map((c) => c.prediction.steps[0]));
  const xDomain: [number, number] | undefined = view.tail ? [end - view.tail * (end - start), end] : undefined;
  // an end zoom fits the last 5 % of the run (where the candidates end; a line still high enters from the top); a zoom its window; the overview leaves out the steep start
  const from = view.tail ? (view.ends ? end - 0.05 * (end - start) : xDomain![0]) : start + 0.1 * (end - start);
  const range = yRangeOver(curves, from, end, seen);
  const yDomain = range && (!view.logY || range[0] > 0) ? range : undefined;
  const lossPanel: SvgPanel = { height: 240, yLabel: 'predicted loss', series: [...lossSeries, ...seen], bands, ...(yDomain ? { yDomain } : {}), ...(view.logY ? { log: true } : {}) };
  const lrPanel: SvgPanel = { height: 80, yLabel: 'LR', series: curves.map((c) => ({ name: c.name, x: c.prediction.steps, y: c.prediction.lr, color: c.color, unlisted: true })), yFormat: '.1~e', min: 0 };
  const shade = extrapolation(view, end);
  return svgChart({ title, xLabel: 'step', ...(xDomain ? { xDomain } : {}), ...(shade ? { shade } : {}), panels: [lossPanel, lrPanel] });
}

/** The predict report: the answer, and its sections. */
export function predictReport(law: FittedLaw, prediction: Prediction, band: PredictionBand | null, at: readonly number[], atLoss: readonly number[], view: CurveView = {}): { decision: Decision; sections: Section[] } {
  const level = law.uncertainty ? formatLevel(law.uncertainty.level) : '';
  // losses rounded to what the band supports
  const d = band ? decimalsFor(band.final.hi - band.final.lo) : 4;
  const rows: Cell[][] = [
    [`final (step ${formatStep(prediction.total)})`, { num: lossText(prediction.finalLoss, d) }, ...(band ? [{ num: intervalHtml(band.final, false, d) }] : [])],
    ...at.map((s, i): Cell[] => [`step ${formatStep(s)}`, { num: lossText(atLoss[i], d) }, ...(band ? [{ num: intervalHtml(band.at[i], false, d) }] : [])]),
  ];
  const beyond = view.fittedTo !== undefined && prediction.total > view.fittedTo ? `; the law saw steps up to ${formatStep(view.fittedTo)}, the rest is extrapolated` : '';
  const decision: Decision = { text: `Predicted final loss ${lossText(prediction.finalLoss, d)} at step ${formatStep(prediction.total)}${band ? ` (${level}: ${intervalHtml(band.final, false, d)})` : ''} under the ${lawOf(law).title}${beyond}.`, reasons: [] };
  const curve: ChartedCurve = { name: 'predicted loss', prediction, band, color: 0 };
  const charts = `${curvesChart('predicted loss and learning rate', [curve], level, { ...view, tail: undefined })}${view.tail ? curvesChart(`the last ${Math.round(100 * view.tail)} % of steps (--tail)`, [{ ...curve }], level, view) : ''}`;
  return {
    decision,
    sections: [{ title: 'Prediction', html: `<p class="spec-line">${specHtml(prediction.schedule.text)}</p>${htmlTable(['where', 'predicted loss', ...(band ? [`${level} interval`] : [])], rows, { numeric: [1, 2], id: 'prediction' })}${charts}` }],
  };
}

/** The optimize report's decision and sections, one section per law. */
export function optimizeReport(optima: readonly { optimum: Optimum; law: FittedLaw }[]): { decision: Decision; sections: Section[] } {
  const sections = optima.map(({ optimum: o, law }) => {
    const level = law.uncertainty ? formatLevel(law.uncertainty.level) : '';
    const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(4)}`;
    const table = htmlTable(
      ['', 'final loss', `${level} interval`, 'gain over the baseline', 'schedule'],
      [
        ...o.candidates.map((c, i): Cell[] => [
          { html: `${escapeHtml(c.found === 'free-form' ? 'free-form' : `best ${c.found}`)}${i === 0 ? ' <span class="tag best">best</span>' : ''}` },
          { num: formatLoss(c.finalLoss) },
          { num: i === 0 ? intervalHtml(o.best.interval) : '—' },
          { num: signed(o.baseline.finalLoss - c.finalLoss) },
          { html: `<span class="spec-line">${specHtml(c.found === 'free-form' ? 'free-form (exact schedule: --json or -o FILE)' : readableNumbers(c.spec))}</span>` },
        ]),
        ['baseline', { num: formatLoss(o.baseline.finalLoss) }, { num: intervalHtml(o.baseline.interval) }, { num: '—' }, { html: `<span class="spec-line">${specHtml(readableNumbers(o.baseline.spec))}</span>` }],
      ],
      { numeric: [1, 2, 3], id: `optimum-${o.model.law}` },
    );
    const curves: ChartedCurve[] = [
      { name: 'best', prediction: simulate(law, o.best.schedule), band: null, color: 0 },
      { name: 'baseline', prediction: simulate(law, o.baseline.schedule), band: null, color: 1 },
    ];
    const own = optimumDecision(o, law);
    return {
      title: `Optimum under the ${lawOf(law).title}`,
      html: `${optima.length > 1 ? `<div class="verdict">${escapeHtml(own.text)}</div>` : ''}${table}${curvesChart('best vs baseline', curves, level, { fittedTo: fittedTo(law) })}${curvesChart('the last 30 % of steps', curves, level, { tail: 0.3, fittedTo: fittedTo(law) })}`,
    };
  });
  const first = optimumDecision(optima[0].optimum, optima[0].law);
  return { decision: first, sections };
}

/** The predict report's sections (without its decision; see predictReport). */
export function predictSections(law: FittedLaw, prediction: Prediction, band: PredictionBand | null, at: readonly number[], atLoss: readonly number[], view: CurveView = {}): Section[] {
  return predictReport(law, prediction, band, at, atLoss, view).sections;
}

/** The optimize report's sections, one per law (without its decision; see optimizeReport). */
export function optimizeSections(optima: readonly { optimum: Optimum; law: FittedLaw }[]): Section[] {
  return optimizeReport(optima).sections;
}
