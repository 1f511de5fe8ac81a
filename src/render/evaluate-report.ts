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
import { metricsLine, paramsItems, settingsLine } from './fit-report.js';
import { sideBySide, visibleWidth } from './layout.js';
import { BOLD, DIM, formatLoss, formatStep, paint, wrapItems, wrapText } from './style.js';
import { type Decision, decisionLines, missesText } from './decision.js';
import { formatLevel } from '../text/level.js';
import type { Warning } from '../warnings.js';
import { pBestTexts } from './percent.js';
import { renderTable } from './table.js';

/** Options for the report. */
export interface EvaluateReportOptions {
  color: boolean;
  width: number;
  chart: boolean;
  /** Warnings that bear on the decision, listed under it. */
  warnings?: readonly Warning[];
}

/** Observed minus predicted, the one sign convention of every evaluate table and chart ("+": the run ended higher than predicted). */
export function observedMinusPredicted(r: { finalError: number }): number {
  return -r.finalError;
}

/** The decision an evaluate report leads with: how far off the held-out predictions are, and every held-out end outside its interval. */
export function evaluateDecision(e: Evaluation): Decision {
  const a = e.average;
  const held = e.runs.filter((r) => heldOut(r.role));
  const title = lawByName(e.fit.model.law).title;
  const who = e.mode === 'leave-one-out' ? `Every run predicted by the ${title} fitted on all the others` : `${held.length} held-out run${held.length === 1 ? '' : 's'} predicted by the ${title} fitted on ${e.runs.length - held.length}`;
  const ranking = e.ranking?.groups.map((g) => `${g.group}: picked ${g.pick}, regret ${g.regret.toFixed(4)}`).join('; ');
  const text = `${who}: mean absolute error ${a.mae.toFixed(4)}, final loss off by ${a.endpointError.toFixed(4)} on average (worst ${a.endpointWorst.toFixed(4)})${ranking ? `; ranking ${ranking}` : ''}.`;
  const level = e.calibration ? formatLevel(e.calibration.level) : '';
  const misses = e.calibration ? missesText(held.map((r) => ({ label: r.label, observed: r.finalObserved, ...(r.interval ? { interval: r.interval } : {}) })), 'held-out run', level) : null;
  return { text, reasons: [], misses };
}


function percent(x: number): string {
  return `${Math.round(100 * x)} %`;
}

/** The ranking part of the report: each group's predicted order next to the observed one, and the confident mistakes. */
export function rankingLines(r: RankingScore, c: boolean, width = 100): string[] {
  const out: string[] = [];
  const say = (text: string) => out.push(...wrapText(text, width, '  ', '    '));
  for (const g of r.groups) {
    const pBest = pBestTexts(g.candidates.map((x) => x.pBest));
    out.push(...wrapText(`Ranking of ${g.candidates.length} candidates (${g.group}): Spearman ${g.spearman === null ? '—' : g.spearman.toFixed(2)}, regret ${g.regret.toFixed(4)} (picked ${g.pick}${g.pickPBest !== undefined ? `, P(best) ${pBest[g.candidates.findIndex((x) => x.label === g.pick)] ?? percent(g.pickPBest)}` : ''})`, width).map((l) => paint(l, BOLD, c)));
    out.push(
      renderTable(
        ['rank', 'candidate', 'predicted', 'observed', 'obs. rank', 'obs. gap to best', 'P(best)', ''],
        g.candidates.map((x) => [String(x.predictedRank), x.label, formatLoss(x.predicted), formatLoss(x.observed), String(x.observedRank), x.observedGap === 0 ? 'best' : `+${x.observedGap.toFixed(4)}`, pBest[g.candidates.indexOf(x)], x.predictedRank === 1 ? 'pick' : x.tie ? 'tie' : '']),
        { indent: 2, color: c, align: ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'l'], maxWidth: width, wrap: 1 },
      ),
    );
  }
  if (r.coverage) say(`candidates' ${percent(r.coverage.level)} intervals at their last logged step: ${Math.round(r.coverage.endpointCoverage * r.coverage.endpoints)} of ${r.coverage.endpoints} hold the logged loss; median width ${r.coverage.medianWidth.toFixed(4)}`);
  const mistakes = r.confidentMistakes;
  say(mistakes.length === 0 ? `confident mistakes: none (no candidate with P(best) ≥ 50 % ended more than ${r.noiseFloor} worse than its group's best)` : `confident mistakes: ${mistakes.map((m) => `${m.label} (P(best) ${percent(m.pBest)}, ended +${m.observedGap.toFixed(4)})`).join(', ')}`);
  if (r.calibration.length > 0) {
    const bins = r.calibration.filter((b) => b.candidates > 0).map((b) => `${percent(b.lo)}–${percent(b.hi)}: ${b.best} of ${b.candidates} best`);
    say(`P(best) calibration (best = within ${r.noiseFloor} of the group's best): ${bins.join('; ')}`);
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
  out.push(...decisionLines(evaluateDecision(e), options.width, c, options.warnings ?? []), '');
  const w = options.width;
  const say = (text: string, style?: string) => out.push(...wrapText(text, w, '  ', '    ').map((l) => (style ? paint(l, style, c) : l)));
  out.push(...wrapText(`${title} (${lawByName(e.fit.model.law).title})`, w).map((l) => paint(l, BOLD, c)));
  out.push(...wrapItems([`${e.mode === 'split' ? 'fitted on the train runs' : 'fitted on all runs'}:`, ...paramsItems(e.fit.model, e.fit.held, e.fit.atBound)], w, '  ', '    ').map((l) => paint(l, DIM, c)));
  say(settingsLine(e.fit), DIM);
  if (e.smooth > 1) say(`scored against a centred moving average of ${e.smooth} points`, DIM);
  out.push('');
  const row = (label: string, role: string, window: string, m: Metrics, final: string, err: string) => [label, role, window, String(m.n), m.r2.toFixed(4), m.mae.toFixed(5), m.rmse.toFixed(5), `${(100 * m.predE).toFixed(3)} %`, `${(100 * m.worstE).toFixed(3)} %`, final, err];
  const header = ['run', 'role', 'scored steps', 'points', 'R²', 'MAE', 'RMSE', 'PredE', 'WorstE', 'final obs', 'obs − pred'];
  const rows = [
    ...e.runs.map((r) => row(r.label, r.role === 'train' ? 'train (fitted)' : r.role, `${formatStep(r.fromStep)}–${formatStep(r.toStep)}`, r.metrics, formatLoss(r.finalObserved), formatSigned(observedMinusPredicted(r)))),
    row('average (test runs)', '', '', e.average, '', ''),
  ];
  const align: ('l' | 'r')[] = ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'];
  // on a narrow terminal the columns the "held out" line below repeats as averages go first (all are in --json)
  const table = (keep: readonly number[]) => renderTable(keep.map((i) => header[i]), rows.map((r) => keep.map((i) => r[i])), { indent: 2, color: c, align: keep.map((i) => align[i]), maxWidth: w, wrap: 0 });
  const all = header.map((_, i) => i);
  const full = table(all);
  out.push(full.split('\n').every((l) => visibleWidth(l) <= w) ? full : table(all.filter((i) => ![3, 6, 7, 8].includes(i))));
  out.push('');
  say(`held out: ${metricsLine(e.average)}`);
  const order = e.average.pairwiseOrder === null ? 'no pairs of held-out runs of equal length' : `${(100 * e.average.pairwiseOrder).toFixed(0)} % of ${e.average.pairs} pair(s) of equal length in the observed order`;
  say(`endpoints: mean |error| ${e.average.endpointError.toFixed(4)}, worst ${e.average.endpointWorst.toFixed(4)}   ranking: ${order}`);
  const k = e.calibration;
  if (k) {
    const pct = (x: number) => `${Math.round(100 * x)} %`;
    say(`calibration: the ${pct(k.level)} intervals cover ${Math.round(k.endpointCoverage * k.endpoints)} of ${k.endpoints} held-out endpoints (${pct(k.endpointCoverage)}) and ${pct(k.pointCoverage)} of ${k.points} curve points; median width ${k.medianWidth.toFixed(4)}`);
    say(`(${k.samples} bootstrap refits per fit, widened by the law's own error on schedules unlike the fitted ones, the fit's scatter and seed noise)`, DIM);
  }
  if (e.ranking) out.push('', ...rankingLines(e.ranking, c, w));
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
