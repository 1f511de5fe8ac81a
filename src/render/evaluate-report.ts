/**
 * The report of `evaluate`: the law fitted on the train runs, one row per run with its
 * held-out metrics and final-loss error, the averages over the test runs, and compact
 * observed-vs-predicted charts (several per screen row).
 */
import { formatSigned } from '../text/signed.js';
import type { Metrics } from '../fit/metrics.js';
import { type Evaluation, heldOut } from '../predict/evaluate.js';
import type { RankingScore } from '../predict/ranking-score.js';
import { renderChart } from './chart.js';
import { lawByName } from '../law/registry.js';
import { metricsLine, paramsLine, settingsLine } from './fit-report.js';
import { sideBySide } from './layout.js';
import { BOLD, DIM, formatLoss, formatStep, paint } from './style.js';
import { renderTable } from './table.js';

/** Options for the report. */
export interface EvaluateReportOptions {
  color: boolean;
  width: number;
  chart: boolean;
}


function percent(x: number): string {
  return `${Math.round(100 * x)} %`;
}

/** The ranking part of the report: each group's predicted order next to the observed one, and the confident mistakes. */
export function rankingLines(r: RankingScore, c: boolean): string[] {
  const out: string[] = [];
  for (const g of r.groups) {
    out.push(paint(`Ranking of ${g.candidates.length} candidates (${g.group}): Spearman ${g.spearman === null ? '—' : g.spearman.toFixed(2)}, regret ${g.regret.toFixed(4)} (picked ${g.pick}${g.pickPBest !== undefined ? `, P(best) ${percent(g.pickPBest)}` : ''})`, BOLD, c));
    out.push(
      renderTable(
        ['rank', 'candidate', 'predicted', 'observed', 'obs. rank', 'obs. gap to best', 'P(best)', ''],
        g.candidates.map((x) => [String(x.predictedRank), x.label, formatLoss(x.predicted), formatLoss(x.observed), String(x.observedRank), x.observedGap === 0 ? 'best' : `+${x.observedGap.toFixed(4)}`, x.pBest === undefined ? '—' : percent(x.pBest), x.predictedRank === 1 ? 'pick' : x.tie ? 'tie' : '']),
        { indent: 2, color: c, align: ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'l'] },
      ),
    );
  }
  if (r.coverage) out.push(`  candidates' ${percent(r.coverage.level)} intervals at their last logged step: ${Math.round(r.coverage.endpointCoverage * r.coverage.endpoints)} of ${r.coverage.endpoints} hold the logged loss; median width ${r.coverage.medianWidth.toFixed(4)}`);
  const mistakes = r.confidentMistakes;
  out.push(mistakes.length === 0 ? `  confident mistakes: none (no candidate with P(best) ≥ 50 % ended more than ${r.noiseFloor} worse than its group's best)` : `  confident mistakes: ${mistakes.map((m) => `${m.label} (P(best) ${percent(m.pBest)}, ended +${m.observedGap.toFixed(4)})`).join(', ')}`);
  if (r.calibration.length > 0) {
    const bins = r.calibration.filter((b) => b.candidates > 0).map((b) => `${percent(b.lo)}–${percent(b.hi)}: ${b.best} of ${b.candidates} best`);
    out.push(`  P(best) calibration (best = within ${r.noiseFloor} of the group's best): ${bins.join('; ')}`);
  }
  return out;
}

/** Renders the whole evaluation report. */
export function renderEvaluateReport(e: Evaluation, options: EvaluateReportOptions): string {
  const c = options.color;
  const out: string[] = [];
  const tests = e.runs.filter((r) => heldOut(r.role));
  const title =
    e.mode === 'split'
      ? `Fitted on ${e.runs.length - tests.length} run(s), predicted ${tests.length} held-out run(s)`
      : `Leave-one-out over ${e.runs.length} runs: each predicted by a law fitted on the others`;
  out.push(paint(`${title} (${lawByName(e.fit.model.law).title})`, BOLD, c));
  out.push(paint(`  ${e.mode === 'split' ? 'fitted on the train runs' : 'fitted on all runs'}: ${paramsLine(e.fit.model, e.fit.held, e.fit.atBound)}`, DIM, c));
  out.push(paint(`  ${settingsLine(e.fit)}`, DIM, c));
  if (e.smooth > 1) out.push(paint(`  scored against a centred moving average of ${e.smooth} points`, DIM, c));
  out.push('');
  const row = (label: string, role: string, window: string, m: Metrics, final: string, err: string) => [label, role, window, String(m.n), m.r2.toFixed(4), m.mae.toFixed(5), m.rmse.toFixed(5), `${(100 * m.predE).toFixed(3)} %`, `${(100 * m.worstE).toFixed(3)} %`, final, err];
  out.push(
    renderTable(
      ['run', 'role', 'scored steps', 'points', 'R²', 'MAE', 'RMSE', 'PredE', 'WorstE', 'final obs', 'final err'],
      [
        ...e.runs.map((r) => row(r.label, r.role === 'train' ? 'train (fitted)' : r.role, `${formatStep(r.fromStep)}–${formatStep(r.toStep)}`, r.metrics, formatLoss(r.finalObserved), formatSigned(r.finalError))),
        row('average (test runs)', '', '', e.average, '', ''),
      ],
      { indent: 2, color: c, align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'] },
    ),
  );
  out.push('');
  out.push(`  held out: ${metricsLine(e.average)}`);
  const order = e.average.pairwiseOrder === null ? 'no pairs of held-out runs of equal length' : `${(100 * e.average.pairwiseOrder).toFixed(0)} % of ${e.average.pairs} pair(s) of equal length in the observed order`;
  out.push(`  endpoints: mean |error| ${e.average.endpointError.toFixed(4)}, worst ${e.average.endpointWorst.toFixed(4)}   ranking: ${order}`);
  const k = e.calibration;
  if (k) {
    const pct = (x: number) => `${Math.round(100 * x)} %`;
    out.push(`  calibration: the ${pct(k.level)} intervals cover ${Math.round(k.endpointCoverage * k.endpoints)} of ${k.endpoints} held-out endpoints (${pct(k.endpointCoverage)}) and ${pct(k.pointCoverage)} of ${k.points} curve points; median width ${k.medianWidth.toFixed(4)}`);
    out.push(paint(`  (${k.samples} bootstrap refits per fit, widened by the law's own error on schedules unlike the fitted ones, the fit's scatter and seed noise)`, DIM, c));
  }
  if (e.ranking) out.push('', ...rankingLines(e.ranking, c));
  if (options.chart && tests.length > 0) {
    const perRow = options.width >= 120 ? 3 : options.width >= 80 ? 2 : 1;
    const width = Math.floor((options.width - 2 * (perRow - 1)) / perRow);
    const charts = tests.map((r) =>
      renderChart(
        [
          { name: 'predicted', x: r.steps, y: r.predicted },
          { name: 'observed', x: r.steps, y: r.observed },
        ],
        { width, height: 8, color: c, formatY: (y) => y.toFixed(3), title: paint(`  ${r.label}  MAE ${r.metrics.mae.toFixed(4)}`, BOLD, c) },
      ),
    );
    out.push('');
    out.push(sideBySide(charts, width, perRow));
  }
  return out.join('\n');
}
