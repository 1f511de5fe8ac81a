/** `losscast compare`: rank candidate schedules by predicted final loss, with honest ties. */
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { type Candidate, expandSweep, nameCandidates, readCandidatesFile } from '../../predict/candidates.js';
import type { FittedLaw } from '../../predict/fitted-law.js';
import { type Ranking, rankCandidates } from '../../predict/rank.js';
import { simulate } from '../../predict/simulate.js';
import { type ChartSeries, renderChart } from '../../render/chart.js';
import { finite, MODEL_NAME, paramsJson, SCHEMA_VERSION } from '../../render/json.js';
import { BOLD, DIM, formatLoss, paint, terminalWidth } from '../../render/style.js';
import { renderTable } from '../../render/table.js';
import { parseSchedule } from '../../schedule/schedule.js';
import type { Warning } from '../../warnings.js';
import { type LawSourceOptions, resolveLaw } from '../law-source.js';
import { makeProgress } from '../progress.js';
import { makeOutput, printJson } from '../output.js';
import { addChartAndLawOptions, collect, parsePositive, parseWhole } from '../options.js';
import { addLawSourceOptions } from './predict.js';

interface CompareOptions extends Omit<LawSourceOptions, 'schedule'> {
  schedule?: string[];
  candidates?: string;
  sweep?: string[];
  tolerance?: number;
  total?: number;
  json?: boolean;
  quiet?: boolean;
  chart: boolean;
  showLr?: boolean;
  tail?: number;
  logY?: boolean;
  maxLines?: number;
}

/** Short tags for schedule warnings in the ranking table. */
const WARNING_TAGS: Record<string, string> = { 'peak-lr-extrapolation': 'other peak LR', 'zero-lr-padding': 'zero-LR padding', 'lr-increase': 'LR rises' };

/** Gathers candidates from --schedule, --candidates and --sweep. */
export function gatherCandidates(o: { schedule?: string[]; candidates?: string; sweep?: string[] }): Candidate[] {
  const fromFlags = nameCandidates([...(o.schedule ?? []), ...(o.sweep ?? []).flatMap(expandSweep)]);
  const fromFile = o.candidates ? readCandidatesFile(o.candidates) : [];
  const all = [...fromFlags, ...fromFile];
  if (all.length === 0) throw usageError('no candidates: give --schedule SPEC (repeatable), --candidates FILE or --sweep SPEC');
  return all;
}

/** The compare JSON document. */
export function compareJson(law: FittedLaw, ranked: Ranking) {
  const warnings: Warning[] = ranked.ranking.flatMap((r) => r.warnings);
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'compare',
    model: MODEL_NAME,
    params: paramsJson(law.params, warnings),
    tolerance: finite(ranked.tolerance, 'tie tolerance', warnings),
    ranking: ranked.ranking.map((r) => ({
      rank: r.rank,
      name: r.name,
      schedule: r.schedule,
      total: r.total,
      finalLoss: finite(r.finalLoss, `${r.name} final loss`, warnings),
      gapToBest: finite(r.gapToBest, `${r.name} gap to best`, warnings),
      tie: r.tie,
    })),
    warnings,
  };
}

/** The ranking table and charts for people. */
export function renderComparison(law: FittedLaw, ranked: Ranking, o: { color: boolean; chart: boolean; showLr?: boolean; tail?: number; logY?: boolean; maxLines?: number; total?: number }): string {
  const lines: string[] = [];
  const ties = ranked.ranking.filter((r) => r.tie).length;
  lines.push(paint(`Ranking of ${ranked.ranking.length} schedules by predicted final loss`, BOLD, o.color));
  lines.push(
    renderTable(
      ['rank', 'schedule', 'final loss', 'gap to best', ''],
      ranked.ranking.map((r) => [String(r.rank), r.name, formatLoss(r.finalLoss), r.rank === 1 ? '—' : `+${r.gapToBest.toFixed(4)}`, [r.rank === 1 ? 'best' : r.tie ? 'tie' : '', ...r.warnings.map((w) => `⚠ ${WARNING_TAGS[w.code] ?? w.code}`)].filter(Boolean).join(' ')]),
      { indent: 2, color: o.color, align: ['r', 'l', 'r', 'r', 'l'] },
    ),
  );
  const rule = `tie = within ${ranked.tolerance.toFixed(4)} of the best (the fit's own RMSE)`;
  lines.push(paint(ties > 1 ? `  ${rule}: the law cannot tell these ${ties} apart` : `  ${rule}: no other schedule is that close`, DIM, o.color));
  if (ranked.ranking.some((r) => r.warnings.length > 0)) lines.push(paint('  ⚠ = the prediction is out of the law\'s comfort zone (details on stderr / in --json warnings)', DIM, o.color));
  if (o.chart) {
    const shown = ranked.ranking.slice(0, o.maxLines ?? 8);
    const predictions = shown.map((r) => ({ r, p: simulate(law, parseSchedule(r.schedule), { total: o.total }) }));
    const width = terminalWidth();
    lines.push('');
    lines.push(renderChart(predictions.map(({ r, p }): ChartSeries => ({ name: r.name, x: p.steps, y: p.loss })), { width, height: 14, color: o.color, tail: o.tail ?? 0.3, logY: o.logY, formatY: (y) => y.toFixed(3), title: paint(`  predicted loss (last ${Math.round(100 * (o.tail ?? 0.3))} % of steps; --tail 1 for all)`, DIM, o.color) }));
    if (o.showLr) {
      lines.push('');
      lines.push(renderChart(predictions.map(({ r, p }): ChartSeries => ({ name: r.name, x: p.steps, y: p.steps.map((s) => p.lrs[Math.min(s, p.total - 1)]) })), { width, height: 10, color: o.color, formatY: (y) => y.toExponential(2), title: paint('  learning rate', DIM, o.color) }));
    }
    if (ranked.ranking.length > shown.length) lines.push(paint(`  (charted the best ${shown.length}; --max-lines N for more)`, DIM, o.color));
  }
  return lines.join('\n');
}

/** Registers the command. */
export function registerCompare(program: Command): void {
  const cmd = program.command('compare').summary('rank candidate schedules by predicted final loss');
  addLawSourceOptions(cmd);
  cmd
    .option('--schedule <spec>', 'a candidate schedule (repeatable)', collect)
    .option('--candidates <file>', 'candidates from a JSON or YAML file: {"candidates": [{"name", "schedule"}]}')
    .option('--sweep <spec>', 'candidates from a spec with one key as LO..HI/STEP, e.g. decay=0.05..0.5/0.05 (repeatable)', collect)
    .option('--tolerance <loss>', 'tie tolerance in loss units (default: the fit RMSE)', parsePositive)
    .option('--total <n>', 'length for specs without total', parseWhole)
    .option('--show-lr', 'also chart the candidates\' learning rates')
    .option('--max-lines <n>', 'chart at most N candidates (default 8)', parseWhole);
  addChartAndLawOptions(cmd, 'chart the last fraction of steps (default 0.3; 1 = all)');
  cmd.addHelpText(
    'after',
    `
Examples:
  losscast compare --params params.json --schedule "cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5" \\
      --schedule "wsd:peak=3e-4,warmup=2160,total=24000,decay=0.2" --schedule "step811:peak=3e-4,warmup=2160,total=24000"
  losscast compare --fit "cos.csv@cosine:..." --fit "const.csv@constant:..." --sweep "wsd:peak=3e-4,warmup=2160,total=24000,decay=0.05..0.5/0.05"
  losscast compare --params params.json --candidates candidates.json --json

A candidate whose predicted final loss is within --tolerance (default: the fit's RMSE) of the
best is marked "tie": the law cannot tell them apart. Gate CI on the winner with
losscast check --expect-best NAME (see losscast check --help).

Exit codes: 0 success, 1 bad data, 2 usage error.`,
  );
  cmd.action(async (o: CompareOptions) => {
    const out = makeOutput(o);
    const candidates = gatherCandidates(o);
    for (const c of candidates) parseSchedule(c.spec); // every spec checked before any fitting
    const law = await resolveLaw({ ...o, schedule: undefined }, out);
    const progress = makeProgress(o);
    const ranked = rankCandidates(law, candidates, { tolerance: o.tolerance, total: o.total, onProgress: (done, total) => progress.update('ranking candidates', done, total) });
    progress.end();
    if (o.json) {
      printJson(compareJson(law, ranked));
      return;
    }
    for (const w of ranked.ranking.flatMap((r) => r.warnings)) out.warn(w);
    out.result(renderComparison(law, ranked, { color: out.color, chart: o.chart, showLr: o.showLr, tail: o.tail, logY: o.logY, maxLines: o.maxLines, total: o.total }));
  });
}
