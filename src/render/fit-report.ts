/**
 * The human-readable report of a fit: the law with its parameters, fit quality, one row per
 * run, and a chart of observed vs. fitted loss per run.
 */
import type { Metrics } from '../fit/metrics.js';
import { lawByName } from '../law/registry.js';
import type { FitResult, Model, ParamAtBound } from '../law/types.js';
import { parameterIntervals, type Uncertainty } from '../predict/uncertainty.js';
import { renderChart } from './chart.js';
import { BOLD, DIM, formatLoss, formatNumber, formatStep, paint } from './style.js';
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
}

/** Each parameter's bootstrap interval on one line, with how it was made. */
export function intervalsLines(u: Uncertainty, model: Model, color: boolean): string[] {
  const specs = lawByName(model.law).params;
  const intervals = parameterIntervals(u, specs);
  const how = u.method === 'runs+blocks' ? 'whole runs and blocks of points resampled' : 'blocks of points resampled within each run';
  return [
    `  ${formatLevel(u.level)} intervals: ${specs.map((s) => (intervals[s.name].lo === intervals[s.name].hi ? `${s.symbol} ${formatNumber(intervals[s.name].lo, 4)} in every refit` : `${s.symbol} ${formatNumber(intervals[s.name].lo, 4)}–${formatNumber(intervals[s.name].hi, 4)}`)).join('   ')}`,
    paint(`  (${u.samples} refits on bootstrap resamples, ${how}, seed ${u.seed})`, DIM, color),
  ];
}

/** One line of metrics: R², MAE, RMSE, PredE, WorstE. */
export function metricsLine(m: Metrics): string {
  return `R² ${m.r2.toFixed(4)}   MAE ${m.mae.toFixed(4)}   RMSE ${m.rmse.toFixed(4)}   PredE ${(100 * m.predE).toFixed(2)} %   WorstE ${(100 * m.worstE).toFixed(2)} %`;
}

/** The parameters of a model on one line, with "(held)" and "(at bound)" marks. */
export function paramsLine(model: Model, held: readonly string[] = [], atBound: readonly ParamAtBound[] = []): string {
  return lawByName(model.law)
    .params.map((spec) => {
      const mark = held.includes(spec.name) ? ' (held)' : atBound.some((b) => b.name === spec.name) ? ' (at bound)' : '';
      return `${spec.symbol} ${formatNumber(model.params[spec.name], spec.name === 'lambda' ? 6 : 5)}${mark}`;
    })
    .join('   ');
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
  out.push(paint(`Fitted the ${law.title} to ${fit.runs.length} run${fit.runs.length > 1 ? 's' : ''} (${formatStep(points)} points)`, BOLD, c));
  out.push(paint(`  ${law.formula}`, DIM, c));
  out.push(paint(`  ${settingsLine(fit)}`, DIM, c));
  out.push('');
  out.push(`  ${paramsLine(fit.model, fit.held, fit.atBound)}`);
  if (options.uncertainty) out.push(...intervalsLines(options.uncertainty, fit.model, c));
  out.push(`  ${metricsLine(fit.metrics)}`);
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
    out.push(paint(`  ${r.label}: LR ${r.lrNote}${skipped.length ? `; skipped: ${skipped.join(', ')}` : ''}`, DIM, c));
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
