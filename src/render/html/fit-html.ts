/**
 * The HTML report of a fit: the law with every parameter and its interval, the quality metrics,
 * and per run the observed loss against the fitted curve (with the bootstrap's band), the
 * residuals below it and the LR schedule under both, on one step axis.
 */
import { lrsAt } from '../../core/lr-profile.js';
import type { Run } from '../../core/run.js';
import { lawByName } from '../../law/registry.js';
import type { FitResult } from '../../law/types.js';
import { parameterIntervals, predictionBand, type Uncertainty } from '../../predict/uncertainty.js';
import { formatLevel } from '../../text/level.js';
import { formatLoss, formatNumber, formatStep } from '../style.js';
import { type Cell, htmlTable } from './html-table.js';
import { escapeHtml, type Section } from './page.js';
import { svgChart } from './svg-chart.js';
import { OBSERVED_COLOR } from '../palette.js';

/** Most runs charted in one report. */
const MAX_RUN_CHARTS = 12;
/** Points of a fitted band (the bootstrap's loss at evenly spaced fitted steps). */
const BAND_POINTS = 120;

/** The steps of a run's LR panel: evenly spaced over the charted range. */
export function lrPanelSteps(from: number, to: number, count = 400): number[] {
  const out: number[] = [];
  for (let k = 0; k <= count; k++) out.push(Math.round(from + ((to - from) * k) / count));
  return [...new Set(out)];
}

/** The parameters of a fit as a table, with their intervals when bootstrapped. */
function paramsTable(fit: FitResult, uncertainty?: Uncertainty): string {
  const law = lawByName(fit.model.law);
  const intervals = uncertainty ? parameterIntervals(uncertainty, law.params) : null;
  const level = uncertainty ? formatLevel(uncertainty.level) : '';
  const rows: Cell[][] = law.params.map((s) => {
    const value = fit.model.params[s.name];
    const notes = [fit.held.includes(s.name) ? 'held' : '', fit.atBound.some((b) => b.name === s.name) ? 'at a bound' : ''].filter(Boolean).join(', ');
    const i = intervals?.[s.name];
    const digits = s.name === 'lambda' ? 6 : 5;
    return [s.symbol, { num: formatNumber(value, digits) }, ...(i ? [{ num: i.lo === i.hi ? 'in every refit' : `${formatNumber(i.lo, digits)} – ${formatNumber(i.hi, digits)}` }] : []), notes ? { html: `<span class="tag warn">${escapeHtml(notes)}</span>` } : '', s.meaning];
  });
  return htmlTable(['parameter', 'value', ...(intervals ? [`${level} interval`] : []), '', 'meaning'], rows, { numeric: intervals ? [1, 2] : [1], id: 'params' });
}

/** The fit's own quality, over all runs and per run. */
function runsTable(fit: FitResult): string {
  return htmlTable(
    ['run', 'series', 'points', 'logged steps', 'used', 'LR', 'MAE', 'R²', 'final obs', 'final fit'],
    fit.runs.map((r) => [
      r.label,
      r.series,
      { num: formatStep(r.points) },
      { num: `${formatStep(r.firstLogged)} – ${formatStep(r.lastLogged)}` },
      { num: formatStep(r.used) },
      r.lrSource === 'schedule' ? 'schedule' : r.lrSource === 'logged' ? 'logged' : 'interpolated',
      { num: r.metrics.mae.toFixed(4) },
      { num: r.metrics.r2.toFixed(4) },
      { num: formatLoss(r.observed[r.observed.length - 1]) },
      { num: formatLoss(r.fitted[r.fitted.length - 1]) },
    ]),
    { numeric: [2, 3, 4, 6, 7, 8, 9], id: 'runs' },
  );
}

/** The largest |observed − modelled| over the charted runs: one residual scale for all of them. */
export function residualSpan(runs: readonly { observed: ArrayLike<number>; modelled: ArrayLike<number> }[]): number[] {
  let max = 0;
  for (const r of runs) for (let i = 0; i < r.observed.length; i++) max = Math.max(max, Math.abs(r.observed[i] - r.modelled[i]) || 0);
  return max > 0 ? [-max, max] : [];
}

/** One run's chart: observed vs fitted (with band), residuals on the scale shared by all runs, LR. */
function runChart(fit: FitResult, index: number, run: Run, span: number[], uncertainty?: Uncertainty): string {
  const r = fit.runs[index];
  const steps = r.steps;
  const residuals = Array.from(r.observed, (o, i) => o - r.fitted[i]);
  const stride = Math.max(1, Math.ceil(steps.length / BAND_POINTS));
  const bandSteps = steps.filter((_, i) => i % stride === 0 || i === steps.length - 1);
  const band = uncertainty ? predictionBand(uncertainty, run.lr, bandSteps, bandSteps.map((s) => r.fitted[steps.indexOf(s)]), `the schedule of ${r.label}`) : null;
  const lrSteps = lrPanelSteps(steps[0], steps[steps.length - 1]);
  const level = uncertainty ? formatLevel(uncertainty.level) : '';
  return svgChart({
    title: `${r.label}: observed and fitted loss`,
    xLabel: 'step',
    panels: [
      {
        height: 220,
        yLabel: 'loss',
        // the fit first, so the observed points are drawn over it
        series: [
          { name: `fitted (${lawByName(fit.model.law).title})`, x: steps, y: r.fitted, color: 0 },
          { name: 'observed', x: steps, y: r.observed, style: steps.length > 2000 ? 'thin' : 'dots', color: OBSERVED_COLOR },
        ],
        bands: band ? [{ name: `${level} band`, x: bandSteps, lo: band.map((b) => b.lo), hi: band.map((b) => b.hi), color: 0 }] : [],
      },
      { height: 90, yLabel: 'obs − fit', series: [{ name: 'observed − fitted', x: steps, y: residuals, style: steps.length > 2000 ? 'thin' : 'dots', color: 1 }], zero: true, include: span, yFormat: '+.3~f' },
      { height: 70, yLabel: 'LR', series: [{ name: 'learning rate', x: lrSteps, y: lrsAt(run.lr, lrSteps.map((s) => Math.min(s, run.lr.length - 1))), color: 2 }], yFormat: '.1~e', min: 0 },
    ],
  });
}

/** The sections of a fit report (also used by the demo's). */
export function fitSections(fit: FitResult, runs: readonly Run[], uncertainty?: Uncertainty): Section[] {
  const law = lawByName(fit.model.law);
  const m = fit.metrics;
  const how = uncertainty ? `<p class="meta">Intervals: ${uncertainty.samples} refits on bootstrap resamples (${uncertainty.method === 'runs+blocks' ? 'whole runs and blocks of points' : 'blocks of points within each run'}, seed ${uncertainty.seed}).</p>` : '';
  const quality = htmlTable(
    ['R²', 'MAE', 'RMSE', 'PredE', 'WorstE', 'points'],
    [[{ num: m.r2.toFixed(4) }, { num: m.mae.toFixed(4) }, { num: m.rmse.toFixed(4) }, { num: `${(100 * m.predE).toFixed(2)} %` }, { num: `${(100 * m.worstE).toFixed(2)} %` }, { num: formatStep(m.n) }]],
    { numeric: [0, 1, 2, 3, 4, 5], id: 'metrics' },
  );
  const charted = fit.runs.slice(0, MAX_RUN_CHARTS);
  const span = residualSpan(charted.map((r) => ({ observed: r.observed, modelled: r.fitted })));
  const charts = charted.map((_, i) => runChart(fit, i, runs[i], span, uncertainty));
  const more = fit.runs.length > MAX_RUN_CHARTS ? `<p class="meta">Charted the first ${MAX_RUN_CHARTS} of ${fit.runs.length} runs; every run is in the table.</p>` : '';
  return [
    {
      title: 'The fitted law',
      html: `<div class="verdict"><span class="mono">${escapeHtml(law.formula)}</span><br><span class="meta">${escapeHtml(law.title)} (${escapeHtml(law.source)}) · ${escapeHtml(law.describeFit(fit))}</span></div>${paramsTable(fit, uncertainty)}${how}<h3>How well it fits the runs it saw</h3>${quality}`,
    },
    { title: 'Runs', html: `${runsTable(fit)}${charts.join('\n')}${more}` },
  ];
}
