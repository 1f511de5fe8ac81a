/**
 * HTML reports of predictions: `predict` (one curve with its band), `compare` (every candidate
 * overlaid with its band, a zoom on the end where they separate, the ranking table) and
 * `optimize` (best vs baseline, the gain, every family's best).
 */
import type { FittedLaw } from '../../predict/fitted-law.js';
import { lawOf } from '../../predict/fitted-law.js';
import type { Optimum } from '../../predict/optimize/optimize.js';
import { type Ranking, rankingVerdict } from '../../predict/rank.js';
import { type Prediction, type PredictionBand, predictionBandOf, simulate } from '../../predict/simulate.js';
import { parseSchedule } from '../../schedule/schedule.js';
import { formatLevel } from '../../text/level.js';
import { freeFormShape } from '../optimize-report.js';
import { formatLoss, formatStep } from '../style.js';
import { type Cell, htmlTable } from './html-table.js';
import { escapeHtml, intervalHtml, type Section, specHtml } from './page.js';
import { type SvgBand, type SvgSeries, svgChart } from './svg-chart.js';
import { specNumber } from '../../schedule/spec.js';

/** A predicted curve to chart, with its band when the law has a bootstrap. */
export interface ChartedCurve {
  name: string;
  prediction: Prediction;
  band: PredictionBand | null;
}

/** Loss (with bands) over LR, on one step axis; `tail` zooms on the last fraction of steps. */
export function curvesChart(title: string, curves: readonly ChartedCurve[], level: string, tail?: number): string {
  const lossSeries: SvgSeries[] = curves.map((c, i) => ({ name: c.name, x: c.prediction.steps, y: c.prediction.loss, color: i % 8 }));
  const bands: SvgBand[] = curves.flatMap((c, i) => (c.band ? [{ name: `${c.name}: ${level} band`, x: c.band.steps, lo: c.band.lo, hi: c.band.hi, color: i % 8 }] : []));
  const end = Math.max(...curves.map((c) => c.prediction.total));
  const start = Math.min(...curves.map((c) => c.prediction.steps[0]));
  const xDomain: [number, number] | undefined = tail ? [end - tail * (end - start), end] : undefined;
  return svgChart({
    title,
    xLabel: 'step',
    ...(xDomain ? { xDomain } : {}),
    panels: [
      { height: 240, yLabel: 'predicted loss', series: lossSeries, bands: curves.length <= 4 ? bands : [] },
      { height: 80, yLabel: 'LR', series: curves.map((c, i) => ({ name: c.name, x: c.prediction.steps, y: c.prediction.lr, color: i % 8 })), yFormat: '.1~e', min: 0 },
    ],
  });
}

/** The predict report's sections. */
export function predictSections(law: FittedLaw, prediction: Prediction, band: PredictionBand | null, at: readonly number[], atLoss: readonly number[]): Section[] {
  const level = law.uncertainty ? formatLevel(law.uncertainty.level) : '';
  const rows: Cell[][] = [
    [`final (step ${formatStep(prediction.total)})`, { num: formatLoss(prediction.finalLoss) }, ...(band ? [{ num: intervalHtml(band.final) }] : [])],
    ...at.map((s, i): Cell[] => [`step ${formatStep(s)}`, { num: formatLoss(atLoss[i]) }, ...(band ? [{ num: intervalHtml(band.at[i]) }] : [])]),
  ];
  const verdict = `<div class="verdict">Predicted final loss <b>${formatLoss(prediction.finalLoss)}</b> at step ${formatStep(prediction.total)}${band ? ` (${level} interval ${intervalHtml(band.final)})` : ''} under the ${escapeHtml(lawOf(law).title)}.</div>`;
  return [
    {
      title: 'Prediction',
      html: `${verdict}<p class="spec-line">${specHtml(prediction.schedule.text)}</p>${htmlTable(['where', 'predicted loss', ...(band ? [`${level} interval`] : [])], rows, { numeric: [1, 2], id: 'prediction' })}${curvesChart('predicted loss and learning rate', [{ name: 'predicted loss', prediction, band }], level)}`,
    },
  ];
}

/** Most candidates overlaid in the compare charts (the best first). */
const MAX_CHARTED = 8;

/** The compare report's sections: the ranking table, every candidate overlaid, a zoom on the end. */
export function compareSections(law: FittedLaw, ranking: Ranking, options: { total?: number } = {}): Section[] {
  const level = ranking.ties.level !== undefined ? formatLevel(ranking.ties.level) : law.uncertainty ? formatLevel(law.uncertainty.level) : '';
  const withIntervals = ranking.ranking[0]?.interval !== undefined;
  const rows: Cell[][] = ranking.ranking.map((r) => [
    { num: String(r.rank) },
    { html: `${escapeHtml(r.name)}<div class="spec-line">${specHtml(r.schedule)}</div>` },
    { num: formatLoss(r.finalLoss) },
    { num: r.rank === 1 || r.problem ? '—' : `+${r.gapToBest.toFixed(4)}` },
    ...(withIntervals ? [{ num: intervalHtml(r.interval) }, { num: r.rank === 1 ? '—' : intervalHtml(r.gapInterval, true) }, { num: r.pBest === undefined ? '—' : `${Math.round(100 * r.pBest)} %` }] : []),
    { html: [r.rank === 1 ? '<span class="tag best">best</span>' : '', r.tie && r.rank !== 1 ? '<span class="tag">tie</span>' : '', r.problem ? `<span class="tag warn">no prediction</span> ${escapeHtml(r.problem)}` : '', ...r.warnings.filter((w) => w.code !== 'no-prediction').map((w) => `<span class="tag warn">${escapeHtml(w.code)}</span>`)].join(' ') },
  ]);
  const headers = ['rank', 'schedule', 'final loss', 'gap to best', ...(withIntervals ? [`${level} interval`, `gap ${level} interval`, 'P(best)'] : []), ''];
  const rule =
    ranking.ties.kind === 'interval'
      ? `A tie: the ${level} interval of the paired difference to the best contains 0, or the gap is under the noise floor ${ranking.ties.tolerance.toFixed(4)}.`
      : `A tie: within ${ranking.ties.tolerance.toFixed(4)} of the best.`;
  const ties = ranking.ranking.filter((r) => r.tie && r.rank !== 1).map((r) => r.name);
  const best = ranking.ranking[0];
  const words = rankingVerdict(law, ranking);
  const verdict =
    best && !best.problem && words
      ? `<div class="verdict"><b>${escapeHtml(words.text)}</b> Predicted final loss of ${escapeHtml(best.name)}: ${formatLoss(best.finalLoss)}${best.interval ? ` (${level} interval ${intervalHtml(best.interval)})` : ''}${ties.length === 0 ? '; no other candidate is a tie' : ''}.${words.reasons.length > 0 ? `<ul class="reasons">${words.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : ''}</div>`
      : '<div class="verdict">The law has no valid prediction for any candidate.</div>';
  const charted = ranking.ranking.filter((r) => !r.problem).slice(0, MAX_CHARTED);
  const curves = charted.map((r): ChartedCurve => {
    const prediction = simulate(law, parseSchedule(r.schedule), { total: options.total });
    return { name: r.name, prediction, band: predictionBandOf(law, prediction) };
  });
  const charts =
    curves.length === 0
      ? ''
      : `${curvesChart(`all ${curves.length} charted candidates${curves.length <= 4 && law.uncertainty ? `, with their ${level} bands` : ''}`, curves, level)}${curvesChart('the last 30 % of steps, where they separate', curves, level, 0.3)}${ranking.ranking.length > curves.length ? `<p class="meta">Charted the best ${curves.length}; every candidate is in the table.</p>` : ''}`;
  return [
    {
      title: `Under the ${lawOf(law).title}`,
      html: `${verdict}${htmlTable(headers, rows, { numeric: [0, 2, 3, 4, 5, 6].slice(0, withIntervals ? 6 : 3), id: 'ranking' })}<p class="meta">${escapeHtml(rule)}${withIntervals ? ` P(best): the share of the ${law.uncertainty!.samples} refitted laws under which the schedule wins.` : ''}</p>${charts}`,
    },
  ];
}

/** The optimize report's sections, one per law. */
export function optimizeSections(optima: readonly { optimum: Optimum; law: FittedLaw }[]): Section[] {
  return optima.map(({ optimum: o, law }) => {
    const level = law.uncertainty ? formatLevel(law.uncertainty.level) : '';
    const shape = freeFormShape(o);
    const what = shape
      ? `a free-form schedule on ${o.blocks!.lengths.length} blocks: ${Math.round(100 * shape.atPeak)} % of the steps after warmup at peak${shape.decayFrom !== null ? `, falling from step ${formatStep(shape.decayFrom)}` : ''}, ending at ${(100 * shape.finalRatio).toPrecision(2)} % of peak`
      : `<span class="spec-line">${specHtml(o.best.spec)}</span>`;
    const sure = o.gain.interval ? (o.gain.interval.lo > 0 ? 'reliably better' : 'not reliably better') : '';
    const gain = `${o.gain.value >= 0 ? '+' : '−'}${Math.abs(o.gain.value).toFixed(4)}`;
    const verdict = `<div class="verdict">Best ${formatStep(o.frame.total)}-step schedule at peak ${specNumber(o.frame.peak)} after ${formatStep(o.frame.warmup)} warmup steps: ${what}.<br>Predicted final loss <b>${formatLoss(o.best.finalLoss)}</b>${o.best.interval ? ` (${level} interval ${intervalHtml(o.best.interval)})` : ''}, gain over the baseline <b>${gain}</b>${o.gain.interval ? ` (${level} interval ${intervalHtml(o.gain.interval, true)}, paired)` : ''}${sure ? `: ${sure}` : ''}.</div>`;
    const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(4)}`;
    const table = htmlTable(
      ['', 'final loss', `${level} interval`, 'gain over the baseline', 'schedule'],
      [
        ...o.candidates.map((c, i): Cell[] => [
          { html: `${escapeHtml(c.found === 'free-form' ? 'free-form' : `best ${c.found}`)}${i === 0 ? ' <span class="tag best">best</span>' : ''}` },
          { num: formatLoss(c.finalLoss) },
          { num: i === 0 ? intervalHtml(o.best.interval) : '—' },
          { num: signed(o.baseline.finalLoss - c.finalLoss) },
          { html: `<span class="spec-line">${specHtml(c.spec)}</span>` },
        ]),
        ['baseline', { num: formatLoss(o.baseline.finalLoss) }, { num: intervalHtml(o.baseline.interval) }, { num: '—' }, { html: `<span class="spec-line">${specHtml(o.baseline.spec)}</span>` }],
      ],
      { numeric: [1, 2, 3], id: `optimum-${o.model.law}` },
    );
    const curves: ChartedCurve[] = [
      { name: 'best', prediction: simulate(law, o.best.schedule), band: null },
      { name: 'baseline', prediction: simulate(law, o.baseline.schedule), band: null },
    ];
    return {
      title: `Optimum under the ${lawOf(law).title}`,
      html: `${verdict}${table}${curvesChart('best vs baseline', curves, level)}${curvesChart('the last 30 % of steps', curves, level, 0.3)}`,
    };
  });
}
