/**
 * A forecast for people (terminal and HTML) and for machines (JSON): where the run stands, the
 * forecast final loss and `--at` steps with intervals, the backtests that calibrated them, and a
 * chart of the observed loss so far under the forecast band, with the planned LR.
 */
import { formatSigned } from '../text/signed.js';
import type { Run } from '../core/run.js';
import type { Forecast } from '../forecast/forecast.js';
import { lawOf } from '../predict/fitted-law.js';
import { formatLevel } from '../text/level.js';
import type { Warning } from '../warnings.js';
import { type ChartSeries, renderChart } from './chart.js';
import { type Cell, htmlTable } from './html/html-table.js';
import { escapeHtml, intervalHtml, type Section, specHtml } from './html/page.js';
import { type SvgSeries, svgChart } from './html/svg-chart.js';
import { finite, intervalJson, modelJsonName, paramsJson, SCHEMA_VERSION } from './json.js';
import { BOLD, DIM, formatInterval, formatLoss, formatStep, paint, wrapText } from './style.js';
import { renderTable } from './table.js';
import { type Decision, decisionLines } from './decision.js';
import { OBSERVED_COLOR } from './palette.js';
import { decimalsFor } from './precision.js';


/** "step 20,000 of 50,000 (40 %)". */
export function progressText(f: Forecast): string {
  return `step ${formatStep(f.loggedTo)} of ${formatStep(f.total)} (${Math.round((100 * f.loggedTo) / f.total)} %)`;
}

/** The decision a forecast leads with: where the run will end, and how sure that is. */
export function forecastDecision(f: Forecast): Decision {
  const level = f.law.uncertainty ? formatLevel(f.law.uncertainty.level) : '';
  const d = f.band ? decimalsFor(f.band.final.hi - f.band.final.lo) : 4; // rounded to what the band supports
  return { text: `At ${progressText(f)}: the run is forecast to end at ${f.prediction.finalLoss.toFixed(d)}${f.band ? ` (${level}: ${formatInterval(f.band.final, false, d)})` : ''} under the ${lawOf(f.law).title}.`, reasons: f.inflation > 1 ? [`Earlier forecasts of this run were off by more than the law's own error allows: the interval is widened ×${f.inflation.toFixed(2)}.`] : [] };
}

/** The backtests in one sentence each. */
export function backtestLines(f: Forecast): string[] {
  if (f.backtests.length === 0) return ['no backtest: too few points before the cut points'];
  const lines = f.backtests.map((b) => `the forecast from step ${formatStep(b.from)} was off by ${formatSigned(b.error)} at step ${formatStep(b.to)}`);
  lines.push(f.inflation > 1 ? `so the law's own error in the interval is widened ×${f.inflation.toFixed(2)}` : "within what the law's own error allows: the interval is not widened");
  return lines;
}

/** The terminal report of a forecast. */
export function renderForecast(f: Forecast, run: Run, o: { color: boolean; chart: boolean; width: number; tail?: number }): string {
  const out: string[] = [];
  const level = f.law.uncertainty ? `${formatLevel(f.law.uncertainty.level)} ` : '';
  out.push(...decisionLines(forecastDecision(f), o.width, o.color, f.warnings), '');
  out.push(...wrapText(`Forecast of ${run.label}: ${progressText(f)} under ${f.prediction.schedule.text}`, o.width).map((l) => paint(l, BOLD, o.color)));
  out.push(paint(`  ${lawOf(f.law).title}, fitted on the ${formatStep(run.steps.length)} logged points`, DIM, o.color));
  const d = f.band ? decimalsFor(f.band.final.hi - f.band.final.lo) : 4; // rounded to what the band supports
  out.push(`  final loss at step ${formatStep(f.total)}: ${f.prediction.finalLoss.toFixed(d)}${f.band ? `   (${level}interval ${formatInterval(f.band.final, false, d)})` : ''}`);
  if (f.at.length > 0) out.push(renderTable(['step', 'forecast loss', ...(f.band ? [`${level}interval`] : [])], f.at.map((s, i) => [formatStep(s), f.atLoss[i].toFixed(d), ...(f.band ? [formatInterval(f.band.at[i], false, d)] : [])]), { indent: 2, color: o.color, align: ['r', 'r', 'r'] }));
  for (const [i, line] of backtestLines(f).entries()) out.push(...wrapText(`${i === 0 ? 'backtests: ' : ''}${line}`, o.width, i === 0 ? '  ' : '    ', '    '));
  if (o.chart) {
    out.push('');
    const from = f.fittedFrom;
    const after = <T extends ArrayLike<number>>(x: T, y: ArrayLike<number>) => {
      const keep = Array.from(x, (s, i) => i).filter((i) => x[i] >= from);
      return { x: keep.map((i) => x[i]), y: keep.map((i) => y[i]) };
    };
    const series: ChartSeries[] = [
      ...(f.band ? [{ name: `${level}band, upper`, ...after(f.band.steps, f.band.hi) }, { name: `${level}band, lower`, ...after(f.band.steps, f.band.lo) }] : []),
      { name: 'forecast', ...after(f.prediction.steps, f.prediction.loss) },
      { name: `observed (to step ${formatStep(f.loggedTo)})`, ...after(run.steps, run.loss) },
    ];
    out.push(renderChart(series, { width: o.width, height: 12, color: o.color, tail: o.tail, formatY: (y) => y.toFixed(3), title: paint(`  loss from step ${formatStep(from)} (the fit window)`, DIM, o.color) }));
    out.push('');
    out.push(renderChart([{ name: 'planned LR', ...after(f.prediction.steps, f.prediction.lr) }], { width: o.width, height: 5, color: o.color, tail: o.tail, formatY: (y) => y.toExponential(1), title: paint('  planned learning rate', DIM, o.color) }));
  }
  return out.join('\n');
}

/** The forecast JSON document, shaped like predict's. */
export function forecastJson(f: Forecast, run: Run) {
  const warnings: Warning[] = [...f.warnings];
  const doc = {
    schemaVersion: SCHEMA_VERSION,
    command: 'forecast',
    model: modelJsonName(f.law.model),
    params: paramsJson(f.law.model, warnings),
    log: run.source,
    schedule: f.prediction.schedule.text,
    total: f.total,
    loggedTo: f.loggedTo,
    finalLoss: finite(f.prediction.finalLoss, 'final loss', warnings),
    interval: f.band ? intervalJson(f.band.final, 'final loss interval', warnings) : null,
    level: f.law.uncertainty?.level ?? null,
    at: f.at.map((step, i) => ({ step, loss: finite(f.atLoss[i], `loss at step ${step}`, warnings), ...(f.band ? intervalJson(f.band.at[i], `loss at step ${step}`, warnings) : {}) })),
    band: f.band ? f.band.steps.map((step, i) => ({ step, ...intervalJson({ lo: f.band!.lo[i], hi: f.band!.hi[i] }, `band at step ${step}`, warnings) })) : null,
    backtests: f.backtests.map((b) => ({ from: b.from, to: b.to, predicted: finite(b.predicted, 'backtest prediction', warnings), observed: b.observed, error: finite(b.error, 'backtest error', warnings) })),
    lawErrorInflation: f.inflation,
    warnings: [] as Warning[],
  };
  doc.warnings = warnings;
  return doc;
}

/** The HTML sections of a forecast: the answer first, then observed + forecast with its band, the planned LR, the backtests. */
export function forecastSections(f: Forecast, run: Run): Section[] {
  const level = f.law.uncertainty ? formatLevel(f.law.uncertainty.level) : '';
  const shown = run.steps.map((_, i) => i).filter((i) => run.steps[i] >= f.fittedFrom);
  const observed: SvgSeries = { name: 'observed so far', x: shown.map((i) => run.steps[i]), y: shown.map((i) => run.loss[i]), style: 'dots', color: OBSERVED_COLOR };
  const from = (x: ArrayLike<number>) => Array.from(x, (_, i) => i).filter((i) => x[i] >= f.fittedFrom);
  const curve = from(f.prediction.steps);
  const bandIdx = f.band ? from(f.band.steps) : [];
  const chart = svgChart({
    title: `observed loss, forecast and band (from step ${formatStep(f.fittedFrom)}, the fit window)`,
    xLabel: 'step',
    panels: [
      { height: 240, yLabel: 'loss', series: [{ name: 'forecast', x: curve.map((i) => f.prediction.steps[i]), y: curve.map((i) => f.prediction.loss[i]), color: 0 }, observed], bands: f.band ? [{ name: `${level} band`, x: bandIdx.map((i) => f.band!.steps[i]), lo: bandIdx.map((i) => f.band!.lo[i]), hi: bandIdx.map((i) => f.band!.hi[i]), color: 0 }] : [] },
      { height: 80, yLabel: 'LR', series: [{ name: 'planned LR', x: curve.map((i) => f.prediction.steps[i]), y: curve.map((i) => f.prediction.lr[i]), color: 0 }], yFormat: '.1~e', min: 0 },
    ],
  });
  const d = f.band ? decimalsFor(f.band.final.hi - f.band.final.lo) : 4; // rounded to what the band supports
  const rows: Cell[][] = [
    [`final (step ${formatStep(f.total)})`, { num: f.prediction.finalLoss.toFixed(d) }, ...(f.band ? [{ num: intervalHtml(f.band.final, false, d) }] : [])],
    ...f.at.map((s, i): Cell[] => [`step ${formatStep(s)}`, { num: f.atLoss[i].toFixed(d) }, ...(f.band ? [{ num: intervalHtml(f.band.at[i], false, d) }] : [])]),
  ];
  const tests = htmlTable(['forecast from step', 'scored at step', 'predicted', 'observed', 'error'], f.backtests.map((b) => [{ num: formatStep(b.from) }, { num: formatStep(b.to) }, { num: formatLoss(b.predicted) }, { num: formatLoss(b.observed) }, { num: formatSigned(b.error) }]), { numeric: [0, 1, 2, 3, 4], id: 'backtests' });
  return [
    { title: 'Forecast', html: `<p class="spec-line">${specHtml(f.prediction.schedule.text)}</p>${htmlTable(['where', 'forecast loss', ...(f.band ? [`${level} interval`] : [])], rows, { numeric: [1, 2], id: 'forecast' })}${chart}` },
    { title: 'Backtests on the run itself', html: `<p>${escapeHtml(backtestLines(f).join('; '))}.</p>${tests}` },
  ];
}
