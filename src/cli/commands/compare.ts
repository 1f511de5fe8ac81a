/** `losscast compare`: rank candidate schedules by predicted final loss, with honest ties. */
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { type Candidate, expandSweep, nameCandidates, readCandidatesFile } from '../../predict/candidates.js';
import { type JointRanking, jointRanking } from '../../predict/disagree.js';
import type { FittedLaw } from '../../predict/fitted-law.js';
import { type Ranking, rankCandidates, rankingVerdict } from '../../predict/rank.js';
import type { Verdict } from '../../verdict/summary.js';
import { type CompareReportOptions, renderCompareReport } from '../../render/compare-report.js';
import { finite, intervalJson, modelJsonName, paramsJson, SCHEMA_VERSION } from '../../render/json.js';
import { terminalWidth } from '../../render/style.js';
import { parseSchedule } from '../../schedule/schedule.js';
import type { Warning } from '../../warnings.js';
import { type LawSourceOptions, resolveLaws } from '../law-source.js';
import { makeProgress } from '../progress.js';
import { makeOutput, printJson } from '../output.js';
import { addHtmlOption, writeHtml } from '../html.js';
import { comparePage } from '../../render/html/compare-page.js';
import { compareDecision } from '../../render/html/compare-html.js';
import { fittedCandidateRuns } from '../fitted-runs.js';
import { addChartAndLawOptions, type ChartOptionValues, collect, parsePositive, parseWhole } from '../options.js';
import { addLawSourceOptions } from './predict.js';
import { beforeAfter, readEarlierComparison } from '../../predict/before-after.js';
import { beforeAfterJson, beforeAfterSection, renderBeforeAfter } from '../../render/before-after-report.js';
import { lawOf } from '../../predict/fitted-law.js';

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

/** The ranking table and charts for people (render/compare-report.ts), as wide as the terminal. */
export function renderComparison(c: Comparison, o: Omit<CompareReportOptions, 'width'> & { width?: number }): string {
  return renderCompareReport(c, { ...o, width: o.width ?? terminalWidth() });
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
    const warnings = [...comparison.laws.flatMap((l) => l.notes), ...comparison.rankings[0].ranking.flatMap((r) => r.warnings)];
    // a fitted run that is also a candidate: its points over its prediction, its end judged against its interval
    const observed = o.json && !o.html ? [] : await fittedCandidateRuns(o.fit, candidates, { ...o, schedule: undefined });
    if (o.html) {
      const page = comparePage(comparison, candidates.length, { total: o.total, tail: o.tail, logY: o.logY, observed, observedAs: 'fitted run' });
      writeHtml(o.html, change ? { ...page, sections: [beforeAfterSection(change), ...page.sections] } : page, out);
    }
    if (o.json) {
      printJson({ ...compareJson(comparison), ...(change ? { beforeAfter: beforeAfterJson(change) } : {}) });
      return;
    }
    if (o.params) for (const w of laws[0].notes) out.warn(w);
    for (const w of comparison.rankings[0].ranking.flatMap((r) => r.warnings)) out.warn(w);
    if (change) out.result(`${renderBeforeAfter(change, { color: out.color, width: terminalWidth() })}\n`);
    out.result(renderComparison(comparison, { color: out.color, chart: o.chart, showLr: o.showLr, tail: o.tail, logY: o.logY, maxLines: o.maxLines, total: o.total, tolerance: o.tolerance, warnings, misses: compareDecision(laws[0], comparison.rankings[0], observed, 'fitted run').misses }));
  });
}
