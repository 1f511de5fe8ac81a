/**
 * The human-readable report of a fit: the law with its parameters, fit quality, one row per
 * run, and a chart of observed vs. fitted loss per run.
 */
import type { Metrics } from '../fit/metrics.js';
import { lawByName } from '../law/registry.js';
import type { FitResult, Model, ParamAtBound } from '../law/types.js';
import { parameterIntervals, type Uncertainty } from '../predict/uncertainty.js';
import type { Warning } from '../warnings.js';
import { renderChart } from './chart.js';
import { BOLD, DIM, formatLoss, formatNumber, formatStep, paint, wrapItems, wrapText } from './style.js';
import type { Run } from '../core/run.js';
import { predictionBand } from '../predict/uncertainty.js';
import { type Decision, decisionLines, missesText, type ObservedEnd } from './decision.js';
import { renderTable } from './table.js';
import { formatLevel } from '../text/level.js';

/** Options for the report. */
export interface ReportOptions {
  color: boolean;
  width: number;
  chart: boolean;
  /** Charts drawn at most (one per run). */
  maxCharts?: number;
  /** The fit's bootstrap: each parameter's interval is shown. */
  uncertainty?: Uncertainty;
  /** The runs fitted: with them (and a bootstrap) the report leads with how each run ends against its band. */
  runs?: readonly Run[];
  /** Warnings that bear on the decision, listed under it. */
  warnings?: readonly Warning[];
  /** Lead with the decision (default true when `runs` are given). */
  decision?: boolean;
}

/** Each parameter's bootstrap interval, wrapped to `width`, with how it was made. */
export function intervalsLines(u: Uncertainty, model: Model, color: boolean, width = 100): string[] {
  const specs = lawByName(model.law).params;
  const intervals = parameterIntervals(u, specs);
  const how = u.method === 'runs+blocks' ? 'whole runs and blocks of points resampled' : 'blocks of points resampled within each run';
  const items = specs.map((s) => (intervals[s.name].lo === intervals[s.name].hi ? `${s.symbol} ${formatNumber(intervals[s.name].lo, 4)} in every refit` : `${s.symbol} ${formatNumber(intervals[s.name].lo, 4)}–${formatNumber(intervals[s.name].hi, 4)}`));
  return [...wrapItems([`${formatLevel(u.level)} intervals:`, ...items], width, '  ', '    '), ...wrapText(`(${u.samples} refits on bootstrap resamples, ${how}, seed ${u.seed})`, width, '  ', '   ').map((l) => paint(l, DIM, color))];
}

/** How the fitted curve ends against each run's last observed point: inside its band or not. */
export function fitEnds(fit: FitResult, runs: readonly Run[], uncertainty?: Uncertainty): ObservedEnd[] {
  return fit.runs.map((r, i) => {
    const last = r.steps.length - 1;
    const band = uncertainty && runs[i] && last >= 0 ? predictionBand(uncertainty, runs[i].lr, [r.steps[last]], [r.fitted[last]], `the schedule of ${r.label}`) : null;
    return { label: r.label, observed: r.observed[last], ...(band ? { interval: band[0] } : {}) };
  });
}

/** The decision a fit report leads with: how well the law fits, and the runs whose last point lies outside its band. */
export function fitDecision(fit: FitResult, runs: readonly Run[], uncertainty?: Uncertainty): Decision {
  const law = lawByName(fit.model.law);
  const m = fit.metrics;
  const bound = fit.atBound.length > 0 ? `; ${fit.atBound.length} parameter${fit.atBound.length > 1 ? 's' : ''} at a bound (${fit.atBound.map((b) => b.name).join(', ')}): predictions that lean on ${fit.atBound.length > 1 ? 'them' : 'it'} are unsure` : '';
  const text = `The ${law.title} fits the ${fit.runs.length} run${fit.runs.length > 1 ? 's' : ''} with a mean absolute error of ${m.mae.toFixed(4)} (R² ${m.r2.toFixed(4)}, worst point ${(100 * m.worstE).toFixed(2)} % off)${bound}.`;
  const misses = uncertainty ? missesText(fitEnds(fit, runs, uncertainty), 'fitted run', formatLevel(uncertainty.level)) : null;
  return { text, reasons: [], misses };
}

/** One line of metrics: R², MAE, RMSE, PredE, WorstE. */
export function metricsLine(m: Metrics): string {
  return `R² ${m.r2.toFixed(4)}   MAE ${m.mae.toFixed(4)}   RMSE ${m.rmse.toFixed(4)}   PredE ${(100 * m.predE).toFixed(2)} %   WorstE ${(100 * m.worstE).toFixed(2)} %`;
}

/** The parameters of a model, one item each, with "(held)" and "(at bound)" marks. */
export function paramsItems(model: Model, held: readonly string[] = [], atBound: readonly ParamAtBound[] = []): string[] {
  return lawByName(model.law).params.map((spec) => {
    const mark = held.includes(spec.name) ? ' (held)' : atBound.some((b) => b.name === spec.name) ? ' (at bound)' : '';
    return `${spec.symbol} ${formatNumber(model.params[spec.name], spec.name === 'lambda' ? 6 : 5)}${mark}`;
  });
}

/** The parameters of a model on one line, with "(held)" and "(at bound)" marks. */
export function paramsLine(model: Model, held: readonly string[] = [], atBound: readonly ParamAtBound[] = []): string {
  return paramsItems(model, held, atBound).join('   ');
}

/** How the law was set up, in a few words (λ, warmup convention). */
export function settingsLine(fit: FitResult): string {
  return lawByName(fit.model.law).describeFit(fit);
}

/** Renders the whole fit report. */
export function renderFitReport(fit: FitResult, options: ReportOptions): string {
  const law = lawByName(fit.model.law);
  const c = options.color;
  const out: string[] = [];
  const points = fit.runs.reduce((n, r) => n + r.used, 0);
  const w = options.width;
  if (options.runs && options.decision !== false) out.push(...decisionLines(fitDecision(fit, options.runs, options.uncertainty), w, c, options.warnings ?? []), '');
  out.push(paint(`Fitted the ${law.title} to ${fit.runs.length} run${fit.runs.length > 1 ? 's' : ''} (${formatStep(points)} points)`, BOLD, c));
  out.push(...wrapText(law.formula, w, '  ', '      ').map((l) => paint(l, DIM, c)));
  out.push(...wrapText(settingsLine(fit), w, '  ', '    ').map((l) => paint(l, DIM, c)));
  out.push('');
  out.push(...wrapItems(paramsItems(fit.model, fit.held, fit.atBound), w, '  ', '  '));
  if (options.uncertainty) out.push(...intervalsLines(options.uncertainty, fit.model, c, w));
  out.push(...wrapItems(metricsLine(fit.metrics).split('   '), w, '  ', '  '));
  out.push('');
  out.push(
    renderTable(
      ['run', 'series', 'points', 'logged steps', 'used', 'LR', 'MAE', 'R²', 'final obs', 'final fit'],
      fit.runs.map((r) => [
        r.label,
        r.series,
        String(r.points),
        `${formatStep(r.firstLogged)}–${formatStep(r.lastLogged)}`,
        String(r.used),
        r.lrSource === 'schedule' ? 'schedule' : r.lrSource === 'logged' ? 'logged' : 'interpolated',
        r.metrics.mae.toFixed(4),
        r.metrics.r2.toFixed(4),
        formatLoss(r.observed[r.observed.length - 1]),
        formatLoss(r.fitted[r.fitted.length - 1]),
      ]),
      { indent: 2, color: c, align: ['l', 'l', 'r', 'r', 'r', 'l', 'r', 'r', 'r', 'r'] },
    ),
  );
  for (const r of fit.runs) {
    const skipped = r.skipped.map((k) => `${k.count} ${k.reason}${k.firstLine !== undefined ? ` (first at ${k.unit ?? 'line'} ${k.firstLine})` : ''}`);
    const outside = r.kept - r.used;
    if (outside > 0) skipped.unshift(`${outside} point(s) outside the fit window (steps ${formatStep(r.fromStep)}–${formatStep(r.toStep)}) not fitted`);
    if (r.points > r.kept) skipped.unshift(`${formatStep(r.points - r.kept)} point(s) thinned out (kept ${formatStep(r.kept)} evenly spaced of ${formatStep(r.points)}, to bound memory)`);
    out.push(...wrapText(`${r.label}: LR ${r.lrNote}${skipped.length ? `; skipped: ${skipped.join(', ')}` : ''}`, w, '  ', '    ').map((l) => paint(l, DIM, c)));
  }
  if (options.chart) {
    const max = options.maxCharts ?? 4;
    for (const r of fit.runs.slice(0, max)) {
      out.push('');
      out.push(
        renderChart(
          [
            { name: 'fitted', x: r.steps, y: r.fitted },
            { name: `observed (${r.label})`, x: r.steps, y: r.observed },
          ],
          { width: options.width, height: 12, color: c, formatY: (y) => y.toFixed(3), title: paint(`  ${r.label}`, BOLD, c) },
        ),
      );
    }
    if (fit.runs.length > max) out.push(paint(`  (${fit.runs.length - max} more runs not charted)`, DIM, c));
  }
  return out.join('\n');
}
