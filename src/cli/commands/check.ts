/**
 * `losscast check`: gate a pipeline on the law. Either watch a run in progress against its
 * prediction (exit 3 when it falls behind), or check that a compare result ranks the expected
 * schedule first (--expect-best).
 */
import type { Command } from 'commander';
import { readSmallFile } from '../../text/small-file.js';
import { checkDepth } from '../../io/json-depth.js';
import { readFileSync } from 'node:fs';
import { dataError, EXIT_CHECK_FAILED, LosscastError, usageError } from '../../errors.js';
import { checkBest, checkRun, type RankingEntry } from '../../predict/check.js';
import { lawOf } from '../../predict/fitted-law.js';
import { checkBestJson, checkRunJson, renderBestCheck, renderCheckReport } from '../../render/check-report.js';
import { terminalWidth } from '../../render/style.js';
import { type LawSourceOptions, resolveLaw } from '../law-source.js';
import { makeOutput, printJson } from '../output.js';
import { addFitOptions, addLogOptions, parseWhole } from '../options.js';
import { addLawSourceOptions } from './predict.js';
import { loadRuns } from './fit.js';

interface CheckCommandOptions extends LawSourceOptions {
  tolerance?: number;
  window: number;
  trend?: number;
  smooth?: number;
  expectBest?: string;
  strict?: boolean;
  json?: boolean;
  quiet?: boolean;
  chart: boolean;
}

/** Parses a relative tolerance: "0.01" or "1%". */
export function parseTolerance(text: string): number {
  const percent = text.trim().endsWith('%');
  const n = Number(percent ? text.trim().slice(0, -1) : text);
  const value = percent ? n / 100 : n;
  if (!(value > 0 && value < 1)) throw usageError(`--tolerance "${text}" must be a relative number between 0 and 1, e.g. 0.01 or 1%`);
  return value;
}

function readRanking(path: string): RankingEntry[] {
  let doc: { command?: unknown; ranking?: unknown };
  const text = readSmallFile(path, 'compare result', 64 * 1024 * 1024);
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw dataError(`is not a compare result (not valid JSON: ${(err as Error).message.split('\n')[0]}); save one with losscast compare … --json > FILE`, path);
  }
  checkDepth(doc, 'compare result', path);
  if (doc?.command !== 'compare' || !Array.isArray(doc.ranking) || doc.ranking.length === 0) {
    throw dataError('is not the --json output of losscast compare (no "ranking"); make it with losscast compare … --json > FILE', path);
  }
  doc.ranking.forEach((r: unknown, i: number) => {
    const e = r as Partial<Record<keyof RankingEntry, unknown>> | null;
    const ok = e !== null && typeof e === 'object' && typeof e.rank === 'number' && typeof e.name === 'string' && typeof e.tie === 'boolean' && (e.finalLoss === null || typeof e.finalLoss === 'number') && (e.gapToBest === null || typeof e.gapToBest === 'number');
    if (!ok) throw dataError(`ranking entry ${i + 1} is not a compare ranking entry (rank, name, finalLoss, gapToBest, tie); make the file with losscast compare … --json > FILE`, path);
  });
  return doc.ranking as RankingEntry[];
}

/** Registers the command. */
export function registerCheck(program: Command): void {
  const cmd = program
    .command('check')
    .summary('CI gate: a live run against its prediction, or the best schedule of a compare result')
    .description(
      'Run mode: compares the observed loss of a run in progress with the law\'s prediction for its planned\nschedule and fails (exit 3) when it has been above the prediction by more than --tolerance for the last\n--window points. --expect-best NAME mode: reads a `losscast compare --json` result and fails (exit 3)\nwhen the predicted best schedule is not NAME.',
    )
    .argument('<file>', 'the log of the run (LOG or LOG@PLANNED-SCHEDULE), or with --expect-best a compare --json file');
  addLawSourceOptions(cmd);
  addLogOptions(cmd);
  addFitOptions(cmd);
  cmd
    .option('--tolerance <x>', "relative tolerance, e.g. 0.01 or 1% (default: 3 × the fit's RMSE relative to the loss, at least 0.2 %)", parseTolerance)
    .option('--window <n>', 'fail when the last N points are all above the tolerance', parseWhole, 5)
    .option('--trend <n>', 'points used for the trend (default: max(window, 20))', parseWhole)
    .option('--smooth <n>', 'compare a centred moving average of N points (noisy per-step loss)', parseWhole)
    .option('--expect-best <name>', 'check a compare result: fail unless NAME is the predicted best (or tied with it)')
    .option('--strict', 'with --expect-best: a tie with the best is not enough')
    .option('--json', 'print one JSON document')
    .option('--no-chart', 'do not draw the chart')
    .option('-q, --quiet', 'no warnings on stderr')
    .addHelpText(
      'after',
      `
Examples:
  losscast check --params params.json "train.log@cosine:peak=3e-4,warmup=2000,total=100000"
  losscast check --params params.json run.jsonl --schedule "wsd:peak=3e-4,warmup=2000,total=100000,decay=0.2" --tolerance 1% --window 10
  losscast compare --params params.json --sweep "wsd:peak=3e-4,warmup=2000,total=100000,decay=0.05..0.3/0.05" --json > ranking.json
  losscast check --expect-best "wsd decay=0.2" ranking.json

Exit codes: 0 the check passed, 1 bad data, 2 usage error, 3 the check failed, 4 no valid
prediction for the planned schedule.`,
    )
    .action(async (file: string, o: CheckCommandOptions) => {
      const out = makeOutput(o);
      if (o.expectBest !== undefined) {
        const ranking = readRanking(file);
        const result = checkBest(ranking, o.expectBest, o.strict);
        if (!result) throw usageError(`no schedule named "${o.expectBest}" in ${file}; names are ${ranking.map((r) => JSON.stringify(r.name)).join(', ')}`);
        if (o.json) printJson(checkBestJson(file, result, Boolean(o.strict)));
        else out.result(renderBestCheck(result, out.color));
        if (!result.passed) throw new LosscastError(`check failed: the predicted best schedule is ${result.best.name}, not ${o.expectBest}`, EXIT_CHECK_FAILED);
        return;
      }
      const law = await resolveLaw({ ...o, samples: o.params ? undefined : 0 }, out); // run mode needs no intervals
      const [run] = await loadRuns([file], o);
      const result = checkRun(law, run, { tolerance: o.tolerance, window: o.window, trendPoints: o.trend, smooth: o.smooth });
      if (o.json) printJson(checkRunJson(run.source, run.schedule ?? null, result, run.warnings, lawOf(law).jsonName));
      else {
        for (const w of run.warnings) out.warn(w);
        out.result(renderCheckReport(run.label, result, { color: out.color, width: terminalWidth(), chart: o.chart, lawTitle: lawOf(law).title }));
      }
      if (!result.passed) {
        throw new LosscastError(
          `check failed: ${run.source}: observed loss above the prediction by more than ${(100 * result.tolerance).toFixed(2)} % for the last ${result.window} points; it started to deviate at step ${result.deviatingSince}`,
          EXIT_CHECK_FAILED,
        );
      }
    });
}
