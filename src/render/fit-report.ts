/**
 * The human-readable report of a fit: the law with its parameters, fit quality, one row per
 * run, and a chart of observed vs. fitted loss per run.
 */
import type { FitResult } from '../fit/fit-law.js';
import type { Metrics } from '../fit/metrics.js';
import { renderChart } from './chart.js';
import { BOLD, DIM, formatLoss, formatNumber, formatStep, paint } from './style.js';
import { renderTable } from './table.js';

/** Options for the report. */
export interface ReportOptions {
  color: boolean;
  width: number;
  chart: boolean;
  /** Charts drawn at most (one per run). */
  maxCharts?: number;
}

/** One line of metrics: R², MAE, RMSE, PredE, WorstE. */
export function metricsLine(m: Metrics): string {
  return `R² ${m.r2.toFixed(4)}   MAE ${m.mae.toFixed(4)}   RMSE ${m.rmse.toFixed(4)}   PredE ${(100 * m.predE).toFixed(2)} %   WorstE ${(100 * m.worstE).toFixed(2)} %`;
}

/** Renders the whole fit report. */
export function renderFitReport(fit: FitResult, options: ReportOptions): string {
  const { params: p } = fit;
  const c = options.color;
  const out: string[] = [];
  const points = fit.runs.reduce((n, r) => n + r.used, 0);
  out.push(paint(`Fitted the momentum law to ${fit.runs.length} run${fit.runs.length > 1 ? 's' : ''} (${formatStep(points)} points)`, BOLD, c));
  out.push(paint(`  L(s) = L0 + A·S1(s)^(−α) − C·S2(s)    λ ${fit.fitLambda ? 'fitted' : 'fixed'}, warmup ${fit.warmupAsPeak ? 'counted at peak LR' : 'as the real ramp'}`, DIM, c));
  out.push('');
  out.push(`  L0 ${formatNumber(p.L0, 5)}   A ${formatNumber(p.A, 5)}   α ${formatNumber(p.alpha, 4)}   C ${formatNumber(p.C, 4)}${fit.cIdentifiable ? '' : ' (held)'}   λ ${formatNumber(p.lambda, 6)}`);
  out.push(`  ${metricsLine(fit.metrics)}`);
  out.push('');
  out.push(
    renderTable(
      ['run', 'series', 'points', 'used', 'steps', 'LR', 'MAE', 'R²', 'final obs', 'final fit'],
      fit.runs.map((r) => [
        r.label,
        r.series,
        String(r.points),
        String(r.used),
        `${formatStep(r.fromStep)}–${formatStep(r.toStep)}`,
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
    const skipped = r.skipped.map((k) => `${k.count} ${k.reason}${k.firstLine !== undefined ? ` (first at line ${k.firstLine})` : ''}`);
    const before = r.points - r.used;
    if (before > 0) skipped.unshift(`${before} point(s) outside steps ${formatStep(r.fromStep)}–${formatStep(r.toStep)} not fitted`);
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
