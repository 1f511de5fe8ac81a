/** `losscast compare`: rank candidate schedules by predicted final loss, with honest ties. */
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { type Candidate, expandSweep, nameCandidates, readCandidatesFile } from '../../predict/candidates.js';
import { type JointRanking, jointRanking } from '../../predict/disagree.js';
import { type FittedLaw, lawOf } from '../../predict/fitted-law.js';
import { type RankedCandidate, type Ranking, rankCandidates, rankingVerdict } from '../../predict/rank.js';
import type { Verdict } from '../../verdict/summary.js';
import { simulate } from '../../predict/simulate.js';
import { type ChartSeries, renderChart } from '../../render/chart.js';
import { finite, intervalJson, modelJsonName, paramsJson, SCHEMA_VERSION } from '../../render/json.js';
import { BOLD, DIM, formatInterval, formatLoss, paint, terminalWidth, wrapText } from '../../render/style.js';
import { renderTable } from '../../render/table.js';
import { parseSchedule } from '../../schedule/schedule.js';
import type { Warning } from '../../warnings.js';
import { type LawSourceOptions, resolveLaws } from '../law-source.js';
import { makeProgress } from '../progress.js';
import { makeOutput, printJson } from '../output.js';
import { addHtmlOption, writeHtml } from '../html.js';
import { compareSections } from '../../render/html/prediction-html.js';
import { addChartAndLawOptions, type ChartOptionValues, collect, parsePositive, parseWhole } from '../options.js';
import { addLawSourceOptions } from './predict.js';
import { formatLevel } from '../../text/level.js';
import { beforeAfter, readEarlierComparison } from '../../predict/before-after.js';
import { beforeAfterJson, beforeAfterSection, renderBeforeAfter } from '../../render/before-after-report.js';

interface CompareOptions extends Omit<LawSourceOptions, 'schedule'>, ChartOptionValues {
  schedule?: string[];
  candidates?: string;
  sweep?: string[];
  tolerance?: number;
  total?: number;
  showLr?: boolean;
  maxLines?: number;
  before?: string;
}

/** Short tags for schedule warnings in the ranking table. */
const WARNING_TAGS: Record<string, string> = { 'no-prediction': 'no prediction', 'peak-lr-extrapolation': 'other peak LR', 'zero-lr-padding': 'zero-LR padding', 'lr-increase': 'LR rises' };

/** Adds the candidate options --schedule, --candidates, --sweep and --total (compare, suggest). */
export function addCandidateOptions(cmd: Command): Command {
  return cmd
    .option('--schedule <spec>', 'a candidate schedule (repeatable)', collect)
    .option('--candidates <file>', 'candidates from a JSON or YAML file: {"candidates": [{"name", "schedule"}]}')
    .option('--sweep <spec>', 'candidates from a spec with one key as LO..HI/STEP, e.g. decay=0.05..0.5/0.05 (repeatable)', collect)
    .option('--total <n>', 'length for specs without total', parseWhole);
}

/** Gathers candidates from --schedule, --candidates and --sweep. */
export function gatherCandidates(o: { schedule?: string[]; candidates?: string; sweep?: string[] }): Candidate[] {
  const fromFlags = nameCandidates([...(o.schedule ?? []), ...(o.sweep ?? []).flatMap(expandSweep)]);
  const fromFile = o.candidates ? readCandidatesFile(o.candidates) : [];
  const all = [...fromFlags, ...fromFile];
  if (all.length === 0) throw usageError('no candidates: give --schedule SPEC (repeatable), --candidates FILE or --sweep SPEC');
  return all;
}

/** What compare shows: each law with its ranking (one law, or two with --model both). */
export interface Comparison {
  laws: FittedLaw[];
  rankings: Ranking[];
  /** The first law's verdict in words (null when no candidate has a prediction). */
  verdict: Verdict | null;
  /** With two laws: both verdicts joined. */
  joint?: JointRanking;
}

/** Ranks the candidates under every law. */
export function compareUnder(laws: readonly FittedLaw[], candidates: readonly Candidate[], options: { tolerance?: number; total?: number; onProgress?: (done: number, total: number) => void } = {}): Comparison {
  const rankings = laws.map((law) => rankCandidates(law, candidates, options));
  const joint = laws.length > 1 ? jointRanking(laws.map((law, i) => ({ model: law.model.law, ranking: rankings[i] }))) : undefined;
  return { laws: [...laws], rankings, verdict: rankingVerdict(laws[0], rankings[0]), ...(joint ? { joint } : {}) };
}

/** The compare JSON document. */
export function compareJson(c: Comparison) {
  const [law] = c.laws;
  const ranked = c.rankings[0];
  const warnings: Warning[] = [...c.laws.flatMap((l) => l.notes), ...ranked.ranking.flatMap((r) => r.warnings)];
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'compare',
    model: modelJsonName(law.model),
    params: paramsJson(law.model, warnings),
    ...(c.joint ? { models: c.laws.map((l) => l.model.law), paramsByModel: Object.fromEntries(c.laws.map((l) => [l.model.law, paramsJson(l.model, warnings)])) } : {}),
    verdict: c.verdict,
    tolerance: finite(ranked.ties.tolerance, 'tie tolerance', warnings),
    ties: { rule: ranked.ties.kind, tolerance: ranked.ties.tolerance, level: ranked.ties.level ?? null },
    ranking: ranked.ranking.map((r) => ({
      rank: r.rank,
      name: r.name,
      schedule: r.schedule,
      total: r.total,
      finalLoss: r.problem ? null : finite(r.finalLoss, `${r.name} final loss`, warnings),
      gapToBest: r.problem ? null : finite(r.gapToBest, `${r.name} gap to best`, warnings),
      tie: r.tie,
      problem: r.problem ?? null,
      ...(r.interval ? { interval: intervalJson(r.interval, `${r.name} interval`, warnings), gapInterval: intervalJson(r.gapInterval!, `${r.name} gap interval`, warnings), pBest: r.pBest!, lawError: finite(r.lawError ?? Number.NaN, `${r.name} law error`, warnings) } : {}),
      limit: r.limit ?? null,
      ...(r.byLaw ? { byLaw: Object.fromEntries(Object.entries(r.byLaw).map(([m, v]) => [m, finite(v, `${r.name} final loss (${m})`, warnings)])) } : {}),
      ...(c.joint
        ? {
            byModel: Object.fromEntries(c.joint.models.map((m) => [m, { finalLoss: Number.isNaN(c.joint!.verdicts[r.index][m]!.finalLoss) ? null : finite(c.joint!.verdicts[r.index][m]!.finalLoss, `${r.name} final loss (${m})`, warnings), rank: c.joint!.verdicts[r.index][m]!.rank }])),
            disagree: c.joint.disagree[r.index],
          }
        : {}),
    })),
    ...(c.joint ? { disagreements: c.joint.disagreements } : {}),
    warnings,
  };
}

/** The ranking table and charts for people. */
export function renderComparison(c: Comparison, o: { color: boolean; chart: boolean; showLr?: boolean; tail?: number; logY?: boolean; maxLines?: number; total?: number; tolerance?: number }): string {
  const [law] = c.laws;
  const ranked = c.rankings[0];
  const lines: string[] = [];
  if (c.verdict) {
    const width = terminalWidth();
    for (const line of wrapText(c.verdict.text, width)) lines.push(paint(line, BOLD, o.color));
    for (const reason of c.verdict.reasons) lines.push(...wrapText(reason, width, '  ', '    '));
    lines.push('');
  }
  const ties = ranked.ranking.filter((r) => r.tie).length;
  const marks = (r: RankedCandidate) => [r.rank === 1 ? 'best' : r.tie ? 'tie' : '', c.joint?.disagree[r.index] ? 'disagree' : '', ...r.warnings.map((w) => `⚠ ${WARNING_TAGS[w.code] ?? w.code}`)].filter(Boolean).join(' ');
  const levelOf = ranked.ties.level ?? law.uncertainty?.level;
  const level = levelOf !== undefined ? `${formatLevel(levelOf)} ` : '';
  const gap = (r: RankedCandidate) => (r.rank === 1 || r.problem ? '—' : `+${r.gapToBest.toFixed(4)}`);
  const withIntervals = ranked.ranking[0]?.interval !== undefined;
  const intervalColumns = (r: RankedCandidate) => (withIntervals ? [formatInterval(r.interval), r.rank === 1 ? '—' : formatInterval(r.gapInterval, true), r.pBest === undefined ? '—' : `${Math.round(100 * r.pBest)} %`] : []);
  const whose = c.joint ? ` (${c.joint.models[0]})` : ''; // with two laws, the intervals are the first law's
  const intervalHeaders = withIntervals ? [`${level}interval${whose}`, `gap ${level}interval`, `P(best)${whose}`] : [];
  if (c.joint) {
    const joint = c.joint;
    const [first, second] = c.laws.map((l) => lawOf(l).title);
    lines.push(paint(`Ranking of ${ranked.ranking.length} schedules by predicted final loss under the ${first} and the ${second} (ordered, gaps and ties by the ${first})`, BOLD, o.color));
    lines.push(
      renderTable(
        ['schedule', ...joint.models.flatMap((m) => [`${m} final`, 'rank']), 'gap to best', ...intervalHeaders, ''],
        ranked.ranking.map((r) => [r.name, ...joint.models.flatMap((m) => [formatLoss(joint.verdicts[r.index][m]!.finalLoss), String(joint.verdicts[r.index][m]!.rank)]), gap(r), ...intervalColumns(r), marks(r)]),
        { indent: 2, color: o.color, align: ['l', ...joint.models.flatMap(() => ['r', 'r'] as const), 'r', ...intervalHeaders.map(() => 'r' as const), 'l'] },
      ),
    );
    lines.push(paint(joint.disagreements.length > 0 ? `  disagree = the two laws put it on opposite sides of ${ranked.ranking[0].name}: the verdict depends on the law (${joint.disagreements.length} candidate(s))` : `  the two laws order every candidate the same way against ${ranked.ranking[0].name}`, DIM, o.color));
  } else {
    lines.push(paint(`Ranking of ${ranked.ranking.length} schedules by predicted final loss (${lawOf(law).title})`, BOLD, o.color));
    lines.push(
      renderTable(
        ['rank', 'schedule', 'final loss', 'gap to best', ...intervalHeaders, ''],
        ranked.ranking.map((r) => [String(r.rank), r.name, formatLoss(r.finalLoss), gap(r), ...intervalColumns(r), marks(r)]),
        { indent: 2, color: o.color, align: ['r', 'l', 'r', 'r', ...intervalHeaders.map(() => 'r' as const), 'l'] },
      ),
    );
  }
  const rule =
    ranked.ties.kind === 'interval'
      ? `tie = the ${level}interval of the paired difference to the best contains 0, or the gap is under the noise floor ${ranked.ties.tolerance.toFixed(4)}`
      : `tie = within ${ranked.ties.tolerance.toFixed(4)} of the best (${o.tolerance !== undefined ? '--tolerance' : "the fit's own RMSE; no bootstrap"})`;
  lines.push(paint(ties > 0 ? `  ${rule}: the law cannot tell these ${ties + 1} apart` : `  ${rule}: no other schedule is that close`, DIM, o.color));
  if (withIntervals) lines.push(paint(`  P(best) = share of joint draws under which the schedule ends lowest: ${c.laws[0].uncertainty!.samples} refitted laws (bootstrap, seed ${c.laws[0].uncertainty!.seed}) × draws of the laws' own error (correlated between similar schedules) and of seed noise`, DIM, o.color));
  if (ranked.ranking.some((r) => r.warnings.length > 0)) lines.push(paint("  ⚠ = the prediction is out of the law's comfort zone (details on stderr / in --json warnings)", DIM, o.color));
  if (o.chart) {
    const shown = ranked.ranking.filter((r) => !r.problem).slice(0, o.maxLines ?? 8);
    const predictions = shown.map((r) => ({ r, p: simulate(law, parseSchedule(r.schedule), { total: o.total }) }));
    const width = terminalWidth();
    lines.push('');
    lines.push(renderChart(predictions.map(({ r, p }): ChartSeries => ({ name: r.name, x: p.steps, y: p.loss })), { width, height: 14, color: o.color, tail: o.tail ?? 0.3, logY: o.logY, formatY: (y) => y.toFixed(3), title: paint(`  predicted loss, ${lawOf(law).title} (last ${Math.round(100 * (o.tail ?? 0.3))} % of steps; --tail 1 for all)`, DIM, o.color) }));
    if (o.showLr) {
      lines.push('');
      lines.push(renderChart(predictions.map(({ r, p }): ChartSeries => ({ name: r.name, x: p.steps, y: p.lr })), { width, height: 10, color: o.color, formatY: (y) => y.toExponential(2), title: paint('  learning rate', DIM, o.color) }));
    }
    if (ranked.ranking.filter((r) => !r.problem).length > shown.length) lines.push(paint(`  (charted the best ${shown.length}; --max-lines N for more)`, DIM, o.color));
  }
  return lines.join('\n');
}

/** Registers the command. */
export function registerCompare(program: Command): void {
  const cmd = program.command('compare').summary('rank candidate schedules by predicted final loss');
  addLawSourceOptions(cmd);
  addCandidateOptions(cmd);
  cmd
    .option('--tolerance <loss>', 'a fixed tie tolerance in loss units, instead of the default rule (see below)', parsePositive)
    .option('--show-lr', 'also chart the candidates\' learning rates')
    .option('--max-lines <n>', 'chart at most N candidates (default 8)', parseWhole)
    .option('--before <file>', 'an earlier compare --json of the same candidates (before new runs were added to --fit): show the decision before and after side by side');
  addHtmlOption(cmd);
  addChartAndLawOptions(cmd, 'chart the last fraction of steps (default 0.3; 1 = all)', true);
  cmd.addHelpText(
    'after',
    `
Examples:
  losscast compare --params params.json --schedule "cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5" \\
      --schedule "wsd:peak=3e-4,warmup=2160,total=24000,decay=0.2" --schedule "step811:peak=3e-4,warmup=2160,total=24000"
  losscast compare --fit "cos.csv@cosine:..." --fit "const.csv@constant:..." --sweep "wsd:peak=3e-4,warmup=2160,total=24000,decay=0.05..0.5/0.05"
  losscast compare --params params.json --candidates candidates.json --json
  losscast compare --fit "cos.csv@cosine:..." --fit "wsd.csv@wsd:..." --model both --sweep "wsd:...,decay=0.05..0.5/0.05"
  losscast compare --fit "cos.csv@cosine:..." --fit "const.csv@constant:..." --fit "pilot.csv@wsd:..." \
      --candidates candidates.json --before before.json     # after a pilot from losscast suggest

--model both fits both laws on the --fit runs and ranks under each: a column per law and a
"disagree" mark where the laws put a candidate on opposite sides of the best.

A candidate the law cannot tell from the best is marked "tie". With a bootstrap (the default
with --fit; a params file from fit -o carries one) that is when the interval of its paired
difference to the best contains 0, or the gap is under the noise floor; without one
(--samples 0), when its final loss is within the fit's RMSE of the best; --tolerance LOSS sets
a fixed tolerance instead. Gate CI on the winner with losscast check --expect-best NAME, NAME as
the ranking prints it (see losscast check --help).

A candidate the law has no valid prediction for (its final loss would be negative or infinite) is
ranked last, marked "no prediction", with the reason on stderr and in --json "problem".

Exit codes: 0 success, 1 bad data, 2 usage error.`,
  );
  cmd.action(async (o: CompareOptions) => {
    const out = makeOutput(o);
    const candidates = gatherCandidates(o);
    for (const c of candidates) parseSchedule(c.spec); // every spec checked before any fitting
    const earlier = o.before ? readEarlierComparison(o.before) : undefined;
    const laws = await resolveLaws({ ...o, schedule: undefined }, out);
    const progress = makeProgress(o);
    const comparison = compareUnder(laws, candidates, { tolerance: o.tolerance, total: o.total, onProgress: (done, total) => progress.update('ranking candidates', done, total) });
    progress.end();
    const change = earlier ? beforeAfter(earlier, comparison.rankings[0], comparison.laws.length > 1 ? lawOf(comparison.laws[0]).title : undefined) : undefined;
    if (o.html) {
      const sections = [...(change ? [beforeAfterSection(change)] : []), ...comparison.laws.flatMap((law, i) => compareSections(law, comparison.rankings[i], { total: o.total }))];
      const warnings = [...comparison.laws.flatMap((l) => l.notes), ...comparison.rankings[0].ranking.flatMap((r) => r.warnings)];
      writeHtml(o.html, { title: `Which of ${candidates.length} learning-rate schedules ends lowest`, subtitle: `losscast compare report (${comparison.laws.map((l) => lawOf(l).title).join(' and ')}): predicted final losses, intervals and ties, and every candidate's curve.`, sections, warnings }, out);
    }
    if (o.json) {
      printJson({ ...compareJson(comparison), ...(change ? { beforeAfter: beforeAfterJson(change) } : {}) });
      return;
    }
    if (o.params) for (const w of laws[0].notes) out.warn(w);
    for (const w of comparison.rankings[0].ranking.flatMap((r) => r.warnings)) out.warn(w);
    if (change) out.result(`${renderBeforeAfter(change, { color: out.color, width: terminalWidth() })}\n`);
    out.result(renderComparison(comparison, { color: out.color, chart: o.chart, showLr: o.showLr, tail: o.tail, logY: o.logY, maxLines: o.maxLines, total: o.total, tolerance: o.tolerance }));
  });
}
