/**
 * The terminal report of `compare`: the decision first (the verdict, what could change it), the
 * ranking (numbers rounded to what the intervals support, P(best) summing to 100 %, each name
 * in its schedule's chart colour), each law side by side when there are two (or a mixture's
 * two members), the tie rule, and a chart of the candidates' ends; every line within the width.
 */
import type { FittedLaw } from '../predict/fitted-law.js';
import { lawOf } from '../predict/fitted-law.js';
import type { RankedCandidate, Ranking } from '../predict/rank.js';
import { simulate } from '../predict/simulate.js';
import { parseSchedule } from '../schedule/schedule.js';
import { formatLevel } from '../text/level.js';
import type { Verdict } from '../verdict/summary.js';
import type { Warning } from '../warnings.js';
import { type ChartSeries, renderChart } from './chart.js';
import { decisionLines, type Misses } from './decision.js';
import { ANSI_PALETTE, seriesColor } from './palette.js';
import { pBestTexts } from './percent.js';
import { bestBadge, gapText, lossText, rankingDecimals, rankingPBest } from './ranking-format.js';
import { sideBySide } from './side-by-side.js';
import { BOLD, DIM, formatInterval, paint, wrapText } from './style.js';
import { renderTable } from './table.js';

/** What the report shows: each law with its ranking (one law, or two with --model both), and the verdict. */
export interface ComparisonView {
  laws: readonly FittedLaw[];
  rankings: readonly Ranking[];
  verdict: Verdict | null;
}

/** Options of the report. */
export interface CompareReportOptions {
  color: boolean;
  chart: boolean;
  width: number;
  showLr?: boolean;
  tail?: number;
  logY?: boolean;
  maxLines?: number;
  total?: number;
  tolerance?: number;
  /** Warnings that may change the decision (listed under it when the verdict does not already say them). */
  warnings?: readonly Warning[];
  /** Lead with the decision (default); false when the caller printed it already (demo). */
  decision?: boolean;
  /** Real runs of candidates judged against their intervals (decision.ts). */
  misses?: Misses | null;
}

/** Short tags for schedule warnings in the ranking table. */
const WARNING_TAGS: Record<string, string> = { 'no-prediction': 'no prediction', 'peak-lr-extrapolation': 'other peak LR', 'zero-lr-padding': 'zero-LR padding', 'lr-increase': 'LR rises' };

/** Dim text wrapped to the width, indented. */
function note(text: string, width: number, color: boolean): string[] {
  return wrapText(text, width, '  ', '    ').map((l) => paint(l, DIM, color));
}

/** The ranking table: rank, schedule (in its colour), final loss and interval, gap and its interval, P(best), marks. */
function rankingTable(law: FittedLaw, ranked: Ranking, o: CompareReportOptions): string {
  const digits = rankingDecimals(ranked);
  const pBest = rankingPBest(ranked);
  const levelOf = ranked.ties.level ?? law.uncertainty?.level;
  const level = levelOf !== undefined ? `${formatLevel(levelOf)} ` : '';
  const withIntervals = ranked.ranking[0]?.interval !== undefined;
  const interval = (i: { lo: number; hi: number } | undefined, d: number, signed = false) => formatInterval(i, signed, d);
  const marks = (r: RankedCandidate) => [bestBadge(r, ranked) ?? (r.tie && r.rank !== 1 ? 'tie' : ''), ...r.warnings.map((w) => `⚠ ${WARNING_TAGS[w.code] ?? w.code}`)].filter(Boolean).join(' ');
  const rows = ranked.ranking.map((r, k) => [String(r.rank), r.name, lossText(r.finalLoss, digits.loss), ...(withIntervals ? [r.problem ? '—' : interval(r.interval, digits.loss)] : []), gapText(r, digits.gap), ...(withIntervals ? [r.rank === 1 || r.problem ? '—' : interval(r.gapInterval, digits.gap, true), pBest[k]] : []), marks(r)]);
  const headers = ['rank', 'schedule', 'final', ...(withIntervals ? [`${level}interval`] : []), 'gap', ...(withIntervals ? [`gap ${level}interval`, 'P(best)'] : []), ''];
  return renderTable(headers, rows, {
    indent: 2,
    color: o.color,
    align: headers.map((h, i) => (i === 1 || i === headers.length - 1 ? 'l' : 'r')),
    maxWidth: o.width,
    wrap: [headers.length - 1, 1],
    paintCell: (row, column) => (o.color && column === 1 && !ranked.ranking[row].problem ? ANSI_PALETTE[seriesColor(row)] : undefined),
  });
}

/** Each law's final loss, rank and P(best) side by side (a mixture's members, or the two laws of --model both). */
function lawsLines(view: ComparisonView, o: CompareReportOptions): string[] {
  const side = sideBySide(view.laws, view.rankings);
  if (!side) return [];
  const digits = rankingDecimals(view.rankings[0]);
  const perLaw = side.laws.map((_, l) => pBestTexts(side.rows.map((r) => r.byLaw[l].pBest)));
  const has = perLaw.map((col) => col.some((t) => t !== '—'));
  const headers = ['schedule', ...side.laws.flatMap((t, l) => [t.replace(/^the /, ''), 'rank', ...(has[l] ? ['P(best)'] : [])]), ''];
  const rows = side.rows.map((r, i) => [r.name, ...r.byLaw.flatMap((v, l) => [lossText(v.finalLoss, digits.loss), `#${v.rank}`, ...(has[l] ? [perLaw[l][i]] : [])]), r.disagree ? 'laws disagree' : '']);
  const agree = new Set(side.picks).size === 1;
  return [
    '',
    ...wrapText(agree ? `Each law alone: both pick ${side.picks[0]}` : `Each law alone: they disagree (${side.laws.map((t, l) => `${t} → ${side.picks[l]}`).join(', ')})`, o.width).map((l) => paint(l, BOLD, o.color)),
    // each name in its schedule's colour: the rows are in the ranking's order, as the chart's lines
    renderTable(headers, rows, { indent: 2, color: o.color, align: headers.map((_, i) => (i === 0 || i === headers.length - 1 ? 'l' : 'r')), maxWidth: o.width, wrap: [headers.length - 1, 0], paintCell: (row, column) => (o.color && column === 0 ? ANSI_PALETTE[seriesColor(row)] : undefined) }),
    ...note('laws disagree = the laws put it on opposite sides of the best, or one law alone would pick it and the other would not', o.width, o.color),
  ];
}

/** The whole report. */
export function renderCompareReport(view: ComparisonView, o: CompareReportOptions): string {
  const [law] = view.laws;
  const ranked = view.rankings[0];
  const width = o.width;
  const lines: string[] = [];
  if (view.verdict && o.decision !== false) lines.push(...decisionLines({ text: view.verdict.text, reasons: view.verdict.reasons, misses: o.misses ?? null }, width, o.color, o.warnings ?? []), '');
  const title = view.laws.length > 1 ? `Ranking of ${ranked.ranking.length} schedules by predicted final loss under the ${lawOf(law).title} (each law alone below)` : `Ranking of ${ranked.ranking.length} schedules by predicted final loss (${lawOf(law).title})`;
  lines.push(...wrapText(title, width).map((l) => paint(l, BOLD, o.color)));
  lines.push(rankingTable(law, ranked, o));
  const levelOf = ranked.ties.level ?? law.uncertainty?.level;
  const level = levelOf !== undefined ? `${formatLevel(levelOf)} ` : '';
  const ties = ranked.ranking.filter((r) => r.tie).length;
  const rule =
    ranked.ties.kind === 'interval'
      ? `tie = the ${level}interval of the paired difference to the best contains 0, or the gap is under the noise floor ${ranked.ties.tolerance.toFixed(4)}`
      : `tie = within ${ranked.ties.tolerance.toFixed(4)} of the best (${o.tolerance !== undefined ? '--tolerance' : "the fit's own RMSE; no bootstrap"})`;
  lines.push(...note(ties > 0 ? `${rule}: the law cannot tell these ${ties + 1} apart` : `${rule}: no other schedule is that close`, width, o.color));
  if (ranked.ranking[0]?.interval !== undefined) lines.push(...note(`P(best) = share of joint draws under which the schedule ends lowest: ${law.uncertainty!.samples} refitted laws (bootstrap, seed ${law.uncertainty!.seed}) × draws of the laws' own error (correlated between similar schedules) and of seed noise; rounded to sum to 100 %. Numbers are rounded to what the intervals support (--json for all digits).`, width, o.color));
  if (ranked.ranking.some((r) => r.warnings.length > 0)) lines.push(...note("⚠ = the prediction is out of the law's comfort zone (details on stderr / in --json warnings)", width, o.color));
  lines.push(...lawsLines(view, o));
  if (o.chart) {
    const valid = ranked.ranking.filter((r) => !r.problem);
    const shown = valid.slice(0, o.maxLines ?? 9);
    const predictions = shown.map((r, i) => ({ r, i, p: simulate(law, parseSchedule(r.schedule), { total: o.total }) }));
    const tail = o.tail ?? 0.3;
    lines.push('');
    const chartTitle = (text: string) => wrapText(text, width, '  ', '    ').map((l) => paint(l, DIM, o.color)).join('\n');
    lines.push(renderChart(predictions.map(({ r, i, p }): ChartSeries => ({ name: r.name, x: p.steps, y: p.loss, color: seriesColor(i) })), { width, height: 14, color: o.color, tail, logY: o.logY, formatY: (y) => y.toFixed(3), title: chartTitle(`predicted loss, ${lawOf(law).title} (last ${Math.round(100 * tail)} % of steps; --tail 1 for all)`) }));
    if (o.showLr) {
      lines.push('');
      lines.push(renderChart(predictions.map(({ r, i, p }): ChartSeries => ({ name: r.name, x: p.steps, y: p.lr, color: seriesColor(i) })), { width, height: 10, color: o.color, formatY: (y) => y.toExponential(2), title: chartTitle('learning rate') }));
    }
    if (valid.length > shown.length) lines.push(...note(`(charted the best ${shown.length}; --max-lines N for more)`, width, o.color));
  }
  return lines.join('\n');
}
