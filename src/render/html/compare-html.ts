/**
 * The compare report's sections: the gap of every candidate to the best with its interval, the
 * ranking (numbers rounded to what the intervals support, P(best) summing to 100 %), every
 * candidate overlaid with its band, a zoom on the ends, and each law side by side. Observed runs
 * of candidates, where they exist, are drawn over their predictions and every end outside its
 * interval is named in the decision.
 */
import type { FittedLaw } from '../../predict/fitted-law.js';
import { lawOf } from '../../predict/fitted-law.js';
import { type RankedCandidate, type Ranking, rankingVerdict } from '../../predict/rank.js';
import { predictionBandOf, simulate } from '../../predict/simulate.js';
import { parseSchedule } from '../../schedule/schedule.js';
import { formatLevel } from '../../text/level.js';
import { type Decision, missesText } from '../decision.js';
import { colorsByName } from '../palette.js';
import { pBestTexts } from '../percent.js';
import { bestBadge, gapText, lossText, rankingDecimals, rankingPBest } from '../ranking-format.js';
import { type SideBySide, sideBySide } from '../side-by-side.js';
import { formatLoss } from '../style.js';
import { gapChart } from './gap-chart.js';
import { type Cell, htmlTable } from './html-table.js';
import { escapeHtml, intervalHtml, type Section, specHtml } from './page.js';
import { type ChartedCurve, type CurveView, curvesChart, type ObservedRun } from './prediction-html.js';

/** Most candidates charted (the best first): one colour each. */
const MAX_CHARTED = 9;

/** What compare pages need besides the law and its ranking. */
export interface CompareOptions extends CurveView {
  total?: number;
  /** One colour per schedule for the whole page (default: in this ranking's order). */
  colors?: ReadonlyMap<string, number>;
  /** Real runs of some candidates. */
  observed?: readonly ObservedRun[];
}

/** The observed final loss of each observed candidate. */
function observedEnds(observed: readonly ObservedRun[]): Map<string, number> {
  return new Map(observed.filter((o) => o.loss.length > 0).map((o) => [o.candidate, o.loss[o.loss.length - 1]]));
}

/** The decision of a compare page: the verdict in words, and the observed ends outside their intervals (`what` the observed runs are: "real run", "fitted run"). */
export function compareDecision(law: FittedLaw, ranking: Ranking, observed: readonly ObservedRun[] = [], what = 'real run'): Decision {
  const words = rankingVerdict(law, ranking);
  const level = ranking.ties.level !== undefined ? formatLevel(ranking.ties.level) : '';
  const ends = observedEnds(observed);
  const labelOf = new Map(observed.map((o) => [o.candidate, o.label]));
  const misses = missesText(
    ranking.ranking.filter((r) => ends.has(r.name)).map((r) => ({ label: labelOf.get(r.name)!, observed: ends.get(r.name)!, ...(r.interval ? { interval: r.interval } : {}) })),
    what,
    level,
  );
  return { text: words ? words.text : 'The law has no valid prediction for any candidate.', reasons: words?.reasons ?? [], misses };
}

/** The ranking table's badges: best (or lowest predicted / most often best), tie, no prediction, warnings, an observed miss. */
function marksHtml(r: RankedCandidate, ranking: Ranking, miss: boolean): string {
  const badge = bestBadge(r, ranking);
  return [badge ? `<span class="tag best">${badge}</span>` : '', r.tie && r.rank !== 1 ? '<span class="tag">tie</span>' : '', miss ? '<span class="tag bad">observed outside</span>' : '', r.problem ? `<span class="tag warn">no prediction</span> ${escapeHtml(r.problem)}` : '', ...r.warnings.filter((w) => w.code !== 'no-prediction').map((w) => `<span class="tag warn">${escapeHtml(w.code)}</span>`)].join(' ');
}

/** The compare report's sections under one law: the gaps, the ranking table, every candidate overlaid, a zoom on the end. */
export function compareSections(law: FittedLaw, ranking: Ranking, options: CompareOptions = {}): Section[] {
  const level = ranking.ties.level !== undefined ? formatLevel(ranking.ties.level) : law.uncertainty ? formatLevel(law.uncertainty.level) : '';
  const colors = options.colors ?? colorsByName(ranking.ranking.map((r) => r.name));
  const color = (name: string) => colors.get(name) ?? 0;
  const observed = options.observed ?? [];
  const ends = observedEnds(observed);
  const withIntervals = ranking.ranking[0]?.interval !== undefined;
  const digits = rankingDecimals(ranking);
  const pBest = rankingPBest(ranking);
  const outside = (r: RankedCandidate) => ends.has(r.name) && r.interval !== undefined && (ends.get(r.name)! < r.interval.lo || ends.get(r.name)! > r.interval.hi);
  const rows: Cell[][] = ranking.ranking.map((r, k) => [
    { num: String(r.rank) },
    { html: `<span class="name"><span class="swatch dot bg${color(r.name)}"></span> ${escapeHtml(r.name)}</span><div class="spec-line">${specHtml(r.schedule)}</div>` },
    { num: lossText(r.finalLoss, digits.loss) },
    ...(withIntervals ? [{ num: intervalHtml(r.interval, false, digits.loss) }] : []),
    ...(ends.size > 0 ? [{ num: ends.has(r.name) ? formatLoss(ends.get(r.name)) : '' }] : []),
    { num: gapText(r, digits.gap) },
    ...(withIntervals ? [{ num: r.rank === 1 ? '—' : intervalHtml(r.gapInterval, true, digits.gap) }, { num: pBest[k] }] : []),
    { html: marksHtml(r, ranking, outside(r)) },
  ]);
  const headers = ['rank', 'schedule', 'final loss', ...(withIntervals ? [`${level} interval`] : []), ...(ends.size > 0 ? ['observed'] : []), 'gap to best', ...(withIntervals ? [`gap ${level} interval`, 'P(best)'] : []), ''];
  const numeric = headers.map((h, i) => (h === 'schedule' || h === '' ? -1 : i)).filter((i) => i >= 0);
  const rule =
    ranking.ties.kind === 'interval'
      ? `A tie: the ${level} interval of the paired difference to the best contains 0, or the gap is under the noise floor ${ranking.ties.tolerance.toFixed(4)}.`
      : `A tie: within ${ranking.ties.tolerance.toFixed(4)} of the best.`;
  const valid = ranking.ranking.filter((r) => !r.problem);
  const bestEnd = valid[0] ? ends.get(valid[0].name) : undefined;
  const gaps = gapChart(
    valid.map((r) => ({ name: r.name, color: color(r.name), gap: r.gapToBest, ...(r.gapInterval ? { interval: r.gapInterval } : {}), ...(bestEnd !== undefined && ends.has(r.name) ? { observed: ends.get(r.name)! - bestEnd } : {}), text: r.rank === 1 ? 'best' : gapText(r, digits.gap) })),
    `predicted gap to ${valid[0]?.name ?? 'the best'}${withIntervals ? ` (bar: its ${level} interval, paired)` : ''}${bestEnd !== undefined ? '; ◇ observed' : ''}`,
  );
  const charted = valid.slice(0, MAX_CHARTED);
  const curves = charted.map((r): ChartedCurve => {
    const prediction = simulate(law, parseSchedule(r.schedule), { total: options.total });
    return { name: r.name, prediction, band: predictionBandOf(law, prediction), color: color(r.name) };
  });
  const seen = observed.filter((o) => charted.some((r) => r.name === o.candidate));
  const tail = options.tail && options.tail < 1 ? options.tail : 0.2;
  const charts =
    curves.length === 0
      ? ''
      : `${curvesChart(`every charted candidate${law.uncertainty ? ` with its ${level} band` : ''}${seen.length > 0 ? ', and the real runs (points) over them' : ''}`, curves, level, { fittedTo: options.fittedTo, logY: options.logY }, seen, colors)}${curvesChart(`the last ${Math.round(100 * tail)} % of steps, where they separate (the loss axis fitted to their ends)`, curves, level, { fittedTo: options.fittedTo, tail, ends: true }, seen, colors)}${valid.length > curves.length ? `<p class="meta">Charted the best ${curves.length}; every candidate is in the table.</p>` : ''}`;
  return [
    {
      title: `Under the ${lawOf(law).title}`,
      html: `<h3>Gap to the best</h3>${gaps}${htmlTable(headers, rows, { numeric, id: 'ranking' })}<p class="meta">${escapeHtml(rule)}${withIntervals ? ` P(best): the share of the ${law.uncertainty!.samples} refitted laws × draws of the laws' own error under which the schedule wins (rounded to sum to 100 %). Numbers are rounded to what the intervals support.` : ''}</p>${charts}`,
    },
  ];
}

/** The laws side by side: each law's final loss, rank and P(best), disagreements highlighted; '' when there is a single law. */
export function lawsSideBySideSection(laws: readonly FittedLaw[], rankings: readonly Ranking[], colors: ReadonlyMap<string, number>): Section | null {
  const view: SideBySide | null = sideBySide(laws, rankings);
  if (!view) return null;
  const digits = rankingDecimals(rankings[0]);
  const perLawPBest = view.laws.map((_, l) => pBestTexts(view.rows.map((r) => r.byLaw[l].pBest)));
  const hasPBest = perLawPBest.map((col) => col.some((t) => t !== '—'));
  const mixture = pBestTexts(view.rows.map((r) => r.pBest));
  const rows = view.rows.map((r, i) => ({
    cls: r.disagree ? 'disagree' : '',
    cells: [
      { html: `<span class="name"><span class="swatch dot bg${colors.get(r.name) ?? 0}"></span> ${escapeHtml(r.name)}</span>` },
      ...r.byLaw.flatMap((v, l): Cell[] => [{ num: lossText(v.finalLoss, digits.loss) }, { num: `#${v.rank}` }, ...(hasPBest[l] ? [{ num: perLawPBest[l][i] }] : [])]),
      ...(mixture.some((t) => t !== '—') && !hasPBest.some(Boolean) ? [{ num: mixture[i] }] : []),
      { html: r.disagree ? '<span class="tag warn">laws disagree</span>' : '' },
    ] as Cell[],
  }));
  const headers = ['schedule', ...view.laws.flatMap((t, l) => [t, 'rank', ...(hasPBest[l] ? ['P(best)'] : [])]), ...(mixture.some((t) => t !== '—') && !hasPBest.some(Boolean) ? ['P(best), mixture'] : []), ''];
  const numeric = headers.map((h, i) => (h === 'schedule' || h === '' ? -1 : i)).filter((i) => i >= 0);
  const picks = view.laws.map((t, l) => `the ${t} alone picks ${view.picks[l]}`).join('; ');
  const agree = new Set(view.picks).size === 1;
  const table = htmlTable(headers, rows.map((r) => r.cells), { numeric, id: 'laws', rowClasses: rows.map((r) => r.cls) });
  return {
    title: 'The laws side by side',
    html: `<p>${escapeHtml(agree ? `Both laws pick ${view.picks[0]}.` : `The laws disagree: ${picks}.`)} Highlighted: a candidate the laws put on opposite sides of ${escapeHtml(view.rows[0].name)}, or that one law alone would pick.</p>${table}`,
  };
}
