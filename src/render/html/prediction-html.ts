/**
 * HTML reports of predictions: `predict` (one curve with its band), `compare` (the gap of every
 * candidate to the best with its interval, the ranking, every candidate overlaid with its band,
 * a zoom on the end where they separate, the laws side by side) and `optimize` (best vs baseline,
 * the gain, every family's best). One colour per schedule across a page; observed runs, where
 * they exist, are drawn over the predictions and every end outside its interval is named.
 */
import type { FittedLaw } from '../../predict/fitted-law.js';
import { lawOf } from '../../predict/fitted-law.js';
import type { Optimum } from '../../predict/optimize/optimize.js';
import { type RankedCandidate, type Ranking, rankingVerdict } from '../../predict/rank.js';
import { type Prediction, type PredictionBand, predictionBandOf, simulate } from '../../predict/simulate.js';
import { parseSchedule } from '../../schedule/schedule.js';
import { formatLevel } from '../../text/level.js';
import { type Decision, missesText } from '../decision.js';
import { optimumDecision } from '../optimize-report.js';
import { colorsByName, OBSERVED_COLOR } from '../palette.js';
import { decimalsFor, readableNumbers } from '../precision.js';
import { bestBadge, gapText, lossText, rankingDecimals, rankingPBest } from '../ranking-format.js';
import { type SideBySide, sideBySide } from '../side-by-side.js';
import { formatLoss, formatStep } from '../style.js';
import { gapChart } from './gap-chart.js';
import { type Cell, htmlTable } from './html-table.js';
import { escapeHtml, intervalHtml, type Section, specHtml } from './page.js';
import { type SvgBand, type SvgPanel, type SvgSeries, type SvgShade, svgChart } from './svg-chart.js';
import { pBestTexts } from '../percent.js';

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
  const yDomain = view.logY ? undefined : yRangeOver(curves, from, end, seen);
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

/** Most candidates charted (the best first): one colour each. */
const MAX_CHARTED = 9;

/** What compare pages need besides the law and its ranking. */
export interface CompareOptions extends CurveView {
  total?: number;
  /** One colour per schedule for the whole page (default: in this ranking's order). */
  colors?: ReadonlyMap<string, number>;
  /** Real runs of some candidates. */
  observed?: readonly ObservedRun[];
}

/** The observed final loss of each observed candidate. */
function observedEnds(observed: readonly ObservedRun[]): Map<string, number> {
  return new Map(observed.filter((o) => o.loss.length > 0).map((o) => [o.candidate, o.loss[o.loss.length - 1]]));
}

/** The decision of a compare page: the verdict in words, and the observed ends outside their intervals (`what` the observed runs are: "real run", "fitted run"). */
export function compareDecision(law: FittedLaw, ranking: Ranking, observed: readonly ObservedRun[] = [], what = 'real run'): Decision {
  const words = rankingVerdict(law, ranking);
  const level = ranking.ties.level !== undefined ? formatLevel(ranking.ties.level) : '';
  const ends = observedEnds(observed);
  const labelOf = new Map(observed.map((o) => [o.candidate, o.label]));
  const misses = missesText(
    ranking.ranking.filter((r) => ends.has(r.name)).map((r) => ({ label: labelOf.get(r.name)!, observed: ends.get(r.name)!, ...(r.interval ? { interval: r.interval } : {}) })),
    what,
    level,
  );
  return { text: words ? words.text : 'The law has no valid prediction for any candidate.', reasons: words?.reasons ?? [], misses };
}

/** The ranking table's badges: best (or lowest predicted / most often best), tie, no prediction, warnings, an observed miss. */
function marksHtml(r: RankedCandidate, ranking: Ranking, miss: boolean): string {
  const badge = bestBadge(r, ranking);
  return [badge ? `<span class="tag best">${badge}</span>` : '', r.tie && r.rank !== 1 ? '<span class="tag">tie</span>' : '', miss ? '<span class="tag bad">observed outside</span>' : '', r.problem ? `<span class="tag warn">no prediction</span> ${escapeHtml(r.problem)}` : '', ...r.warnings.filter((w) => w.code !== 'no-prediction').map((w) => `<span class="tag warn">${escapeHtml(w.code)}</span>`)].join(' ');
}

/** The compare report's sections under one law: the gaps, the ranking table, every candidate overlaid, a zoom on the end. */
export function compareSections(law: FittedLaw, ranking: Ranking, options: CompareOptions = {}): Section[] {
  const level = ranking.ties.level !== undefined ? formatLevel(ranking.ties.level) : law.uncertainty ? formatLevel(law.uncertainty.level) : '';
  const colors = options.colors ?? colorsByName(ranking.ranking.map((r) => r.name));
  const color = (name: string) => colors.get(name) ?? 0;
  const observed = options.observed ?? [];
  const ends = observedEnds(observed);
  const withIntervals = ranking.ranking[0]?.interval !== undefined;
  const digits = rankingDecimals(ranking);
  const pBest = rankingPBest(ranking);
  const outside = (r: RankedCandidate) => ends.has(r.name) && r.interval !== undefined && (ends.get(r.name)! < r.interval.lo || ends.get(r.name)! > r.interval.hi);
  const rows: Cell[][] = ranking.ranking.map((r, k) => [
    { num: String(r.rank) },
    { html: `<span class="name"><span class="swatch dot bg${color(r.name)}"></span> ${escapeHtml(r.name)}</span><div class="spec-line">${specHtml(r.schedule)}</div>` },
    { num: lossText(r.finalLoss, digits.loss) },
    ...(withIntervals ? [{ num: intervalHtml(r.interval, false, digits.loss) }] : []),
    ...(ends.size > 0 ? [{ num: ends.has(r.name) ? formatLoss(ends.get(r.name)) : '' }] : []),
    { num: gapText(r, digits.gap) },
    ...(withIntervals ? [{ num: r.rank === 1 ? '—' : intervalHtml(r.gapInterval, true, digits.gap) }, { num: pBest[k] }] : []),
    { html: marksHtml(r, ranking, outside(r)) },
  ]);
  const headers = ['rank', 'schedule', 'final loss', ...(withIntervals ? [`${level} interval`] : []), ...(ends.size > 0 ? ['observed'] : []), 'gap to best', ...(withIntervals ? [`gap ${level} interval`, 'P(best)'] : []), ''];
  const numeric = headers.map((h, i) => (h === 'schedule' || h === '' ? -1 : i)).filter((i) => i >= 0);
  const rule =
    ranking.ties.kind === 'interval'
      ? `A tie: the ${level} interval of the paired difference to the best contains 0, or the gap is under the noise floor ${ranking.ties.tolerance.toFixed(4)}.`
      : `A tie: within ${ranking.ties.tolerance.toFixed(4)} of the best.`;
  const valid = ranking.ranking.filter((r) => !r.problem);
  const bestEnd = valid[0] ? ends.get(valid[0].name) : undefined;
  const gaps = gapChart(
    valid.map((r) => ({ name: r.name, color: color(r.name), gap: r.gapToBest, ...(r.gapInterval ? { interval: r.gapInterval } : {}), ...(bestEnd !== undefined && ends.has(r.name) ? { observed: ends.get(r.name)! - bestEnd } : {}), text: r.rank === 1 ? 'best' : gapText(r, digits.gap) })),
    `predicted gap to ${valid[0]?.name ?? 'the best'}${withIntervals ? ` (bar: its ${level} interval, paired)` : ''}${bestEnd !== undefined ? '; ◇ observed' : ''}`,
  );
  const charted = valid.slice(0, MAX_CHARTED);
  const curves = charted.map((r): ChartedCurve => {
    const prediction = simulate(law, parseSchedule(r.schedule), { total: options.total });
    return { name: r.name, prediction, band: predictionBandOf(law, prediction), color: color(r.name) };
  });
  const seen = observed.filter((o) => charted.some((r) => r.name === o.candidate));
  const tail = options.tail && options.tail < 1 ? options.tail : 0.2;
  const charts =
    curves.length === 0
      ? ''
      : `${curvesChart(`every charted candidate${law.uncertainty ? ` with its ${level} band` : ''}${seen.length > 0 ? ', and the real runs (points) over them' : ''}`, curves, level, { fittedTo: options.fittedTo, logY: options.logY }, seen, colors)}${curvesChart(`the last ${Math.round(100 * tail)} % of steps, where they separate (the loss axis fitted to their ends)`, curves, level, { fittedTo: options.fittedTo, tail, ends: true }, seen, colors)}${valid.length > curves.length ? `<p class="meta">Charted the best ${curves.length}; every candidate is in the table.</p>` : ''}`;
  return [
    {
      title: `Under the ${lawOf(law).title}`,
      html: `<h3>Gap to the best</h3>${gaps}${htmlTable(headers, rows, { numeric, id: 'ranking' })}<p class="meta">${escapeHtml(rule)}${withIntervals ? ` P(best): the share of the ${law.uncertainty!.samples} refitted laws × draws of the laws' own error under which the schedule wins (rounded to sum to 100 %). Numbers are rounded to what the intervals support.` : ''}</p>${charts}`,
    },
  ];
}

/** The laws side by side: each law's final loss, rank and P(best), disagreements highlighted; '' when there is a single law. */
export function lawsSideBySideSection(laws: readonly FittedLaw[], rankings: readonly Ranking[], colors: ReadonlyMap<string, number>): Section | null {
  const view: SideBySide | null = sideBySide(laws, rankings);
  if (!view) return null;
  const digits = rankingDecimals(rankings[0]);
  const perLawPBest = view.laws.map((_, l) => pBestTexts(view.rows.map((r) => r.byLaw[l].pBest)));
  const hasPBest = perLawPBest.map((col) => col.some((t) => t !== '—'));
  const mixture = pBestTexts(view.rows.map((r) => r.pBest));
  const rows = view.rows.map((r, i) => ({
    cls: r.disagree ? 'disagree' : '',
    cells: [
      { html: `<span class="name"><span class="swatch dot bg${colors.get(r.name) ?? 0}"></span> ${escapeHtml(r.name)}</span>` },
      ...r.byLaw.flatMap((v, l): Cell[] => [{ num: lossText(v.finalLoss, digits.loss) }, { num: `#${v.rank}` }, ...(hasPBest[l] ? [{ num: perLawPBest[l][i] }] : [])]),
      ...(mixture.some((t) => t !== '—') && !hasPBest.some(Boolean) ? [{ num: mixture[i] }] : []),
      { html: r.disagree ? '<span class="tag warn">laws disagree</span>' : '' },
    ] as Cell[],
  }));
  const headers = ['schedule', ...view.laws.flatMap((t, l) => [t, 'rank', ...(hasPBest[l] ? ['P(best)'] : [])]), ...(mixture.some((t) => t !== '—') && !hasPBest.some(Boolean) ? ['P(best), mixture'] : []), ''];
  const numeric = headers.map((h, i) => (h === 'schedule' || h === '' ? -1 : i)).filter((i) => i >= 0);
  const picks = view.laws.map((t, l) => `the ${t} alone picks ${view.picks[l]}`).join('; ');
  const agree = new Set(view.picks).size === 1;
  const table = htmlTable(headers, rows.map((r) => r.cells), { numeric, id: 'laws', rowClasses: rows.map((r) => r.cls) });
  return {
    title: 'The laws side by side',
    html: `<p>${escapeHtml(agree ? `Both laws pick ${view.picks[0]}.` : `The laws disagree: ${picks}.`)} Highlighted: a candidate the laws put on opposite sides of ${escapeHtml(view.rows[0].name)}, or that one law alone would pick.</p>${table}`,
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
