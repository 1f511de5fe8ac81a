/**
 * The HTML report of `evaluate`: the held-out averages and the calibration of the intervals, a
 * table of every run, and each held-out run's prediction against what was observed (with its
 * band), the residuals (observed − predicted, as in the fit report) and the LR below.
 */
import { lawByName } from '../../law/registry.js';
import { type Evaluation, heldOut } from '../../predict/evaluate.js';
import { formatLevel } from '../../text/level.js';
import { lrsAt } from '../../core/lr-profile.js';
import type { Run } from '../../core/run.js';
import { formatLoss, formatStep } from '../style.js';
import { lrPanelSteps, residualSpan } from './fit-html.js';
import { htmlTable } from './html-table.js';
import { escapeHtml, intervalHtml, type Section } from './page.js';
import { svgChart } from './svg-chart.js';
import { formatSigned } from '../../text/signed.js';
import { observedMinusPredicted } from '../evaluate-report.js';
import { OBSERVED_COLOR } from '../palette.js';
import { pBestTexts } from '../percent.js';
import type { GroupScore } from '../../predict/ranking-score.js';

/** Most held-out runs charted. */
const MAX_CHARTS = 12;

/** One group of a ranking evaluation: each candidate's predicted and observed rank, P(best) (summing to 100 %), observed gap to the group's best. */
function rankingGroupHtml(g: GroupScore): string {
  const pBest = pBestTexts(g.candidates.map((x) => x.pBest));
  return `<h3>${escapeHtml(g.group)}: Spearman ${g.spearman === null ? '—' : g.spearman.toFixed(2)}, regret ${g.regret.toFixed(4)}</h3>${htmlTable(
    ['predicted rank', 'candidate', 'predicted', 'observed', 'observed rank', 'observed gap to best', 'P(best)'],
    g.candidates.map((x, i) => [{ num: String(x.predictedRank) }, { html: `${escapeHtml(x.label)}${x.predictedRank === 1 ? ' <span class="tag best">pick</span>' : x.tie ? ' <span class="tag">tie</span>' : ''}` }, { num: formatLoss(x.predicted) }, { num: formatLoss(x.observed) }, { num: String(x.observedRank) }, { num: x.observedGap === 0 ? 'best' : formatSigned(x.observedGap) }, { num: pBest[i] }]),
    { numeric: [0, 2, 3, 4, 5, 6], id: `ranking-${g.group}` },
  )}`;
}

/** The evaluate report's sections (`profiles`: the runs, for their LR panels). */
export function evaluateSections(e: Evaluation, profiles: readonly Run[] = []): Section[] {
  const a = e.average;
  const k = e.calibration;
  const level = k ? formatLevel(k.level) : '';
  const held = e.runs.filter((r) => heldOut(r.role));
  const title = lawByName(e.fit.model.law).title;
  const verdict = `<p>${e.mode === 'leave-one-out' ? 'Every run predicted by a fit on all the others' : `${held.length} held-out run${held.length === 1 ? '' : 's'} predicted by a fit on ${e.runs.length - held.length}`} (${escapeHtml(title)}): mean absolute error <b>${a.mae.toFixed(5)}</b>, endpoint error ${a.endpointError.toFixed(5)} (worst ${a.endpointWorst.toFixed(5)})${a.pairwiseOrder !== null ? `, ${Math.round(100 * a.pairwiseOrder)} % of ${a.pairs} equal-length pairs in the right order` : ''}${k ? `; ${level} intervals cover ${Math.round(k.endpointCoverage * k.endpoints)} of ${k.endpoints} endpoints and ${Math.round(100 * k.pointCoverage)} % of curve points` : ''}.</p>`;
  const averages = htmlTable(
    ['held-out metric', 'value'],
    [
      ['R²', { num: a.r2.toFixed(4) }],
      ['MAE', { num: a.mae.toFixed(5) }],
      ['RMSE', { num: a.rmse.toFixed(5) }],
      ['PredE (mean relative error)', { num: `${(100 * a.predE).toFixed(2)} %` }],
      ['WorstE (worst relative error)', { num: `${(100 * a.worstE).toFixed(2)} %` }],
      ['endpoint error, mean', { num: a.endpointError.toFixed(5) }],
      ['endpoint error, worst', { num: a.endpointWorst.toFixed(5) }],
      ['pairs of equal length in the right order', { num: a.pairwiseOrder === null ? '—' : `${Math.round(100 * a.pairwiseOrder)} % of ${a.pairs}` }],
      ...(k
        ? [
            [`endpoints inside their ${level} interval`, { num: `${Math.round(k.endpointCoverage * k.endpoints)} of ${k.endpoints}` }],
            [`curve points inside their ${level} interval`, { num: `${Math.round(100 * k.pointCoverage)} %` }],
            ['median interval width', { num: k.medianWidth.toFixed(4) }],
          ]
        : []),
    ],
    { numeric: [1], id: 'averages' },
  );
  const outside = (r: (typeof e.runs)[number]) => r.role !== 'train' && r.interval !== undefined && (r.finalObserved < r.interval.lo || r.finalObserved > r.interval.hi);
  // observed − predicted, as in the residual panels: "+" = the run ended higher than predicted
  const runs = htmlTable(
    ['run', 'final observed', 'final predicted', 'observed − predicted', ...(k ? [`${level} interval`] : []), 'MAE', 'R²', 'scored steps'],
    e.runs.map((r) => [
      { html: `<span class="name">${escapeHtml(r.label)}</span> <span class="tag${outside(r) ? ' bad' : ''}">${r.role === 'train' ? 'fitted on' : outside(r) ? 'held out · outside' : 'held out'}</span>` },
      { num: formatLoss(r.finalObserved) },
      { num: formatLoss(r.finalPredicted) },
      { num: formatSigned(observedMinusPredicted(r)) },
      ...(k ? [{ num: intervalHtml(r.interval) }] : []),
      { num: r.metrics.mae.toFixed(4) },
      { num: r.metrics.r2.toFixed(4) },
      { num: `${formatStep(r.fromStep)}–${formatStep(r.toStep)}` },
    ]),
    { numeric: [1, 2, 3, 4, 5, 6, 7].slice(0, k ? 7 : 6), id: 'evaluated-runs', rowClasses: e.runs.map((r) => (outside(r) ? 'miss' : '')) },
  );
  /** The LR panel of a run, when its profile was given. */
  const lrPanel = (label: string, steps: readonly number[]) => {
    const run = profiles.find((x) => x.label === label);
    if (!run) return [];
    const at = lrPanelSteps(steps[0], steps[steps.length - 1]);
    return [{ height: 70, yLabel: 'LR', series: [{ name: 'learning rate', x: at, y: lrsAt(run.lr, at.map((s) => Math.min(s, run.lr.length - 1))), color: 2 }], yFormat: '.1~e', min: 0 }];
  };
  const span = residualSpan(held.slice(0, MAX_CHARTS).map((r) => ({ observed: r.observed, modelled: r.predicted })));
  const charts = held.slice(0, MAX_CHARTS).map((r) =>
    svgChart({
      title: `${r.label}: predicted (held out) against observed`,
      xLabel: 'step',
      panels: [
        {
          height: 200,
          yLabel: 'loss',
          // the prediction first, so the observed points are drawn over it
          series: [
            { name: 'predicted', x: r.steps, y: r.predicted, color: 0 },
            { name: 'observed', x: r.steps, y: r.observed, style: r.steps.length > 2000 ? 'thin' : 'dots', color: OBSERVED_COLOR },
          ],
          bands: r.band ? [{ name: `${level} band`, x: r.band.steps, lo: r.band.lo, hi: r.band.hi, color: 0 }] : [],
        },
        { height: 90, yLabel: 'obs − pred', series: [{ name: 'observed − predicted', x: r.steps, y: r.observed.map((o, i) => o - r.predicted[i]), style: r.steps.length > 2000 ? 'thin' : 'dots', color: 1 }], zero: true, include: span, yFormat: '+.3~f' },
        ...lrPanel(r.label, r.steps),
      ],
    }),
  );
  const ranking = e.ranking ? e.ranking.groups.map((g) => rankingGroupHtml(g)).join('') : '';
  return [
    { title: e.mode === 'leave-one-out' ? 'Leave-one-run-out' : 'Fitted on the train runs, scored on the test runs', html: `${verdict}${averages}${e.smooth > 1 ? `<p class="meta">Scored against a centred moving average of ${e.smooth} points.</p>` : ''}` },
    ...(ranking ? [{ title: 'Ranking of the candidates', html: ranking }] : []),
    { title: 'Runs', html: `${runs}${charts.join('\n')}${held.length > MAX_CHARTS ? `<p class="meta">Charted the first ${MAX_CHARTS} held-out runs; every run is in the table.</p>` : ''}` },
  ];
}
