/** `losscast optimize`: the best schedule the law can find for a run, and the gain it is sure of. */
import { writeFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { dataError, usageError } from '../../errors.js';
import { lawByName } from '../../law/registry.js';
import { SEARCH_FAMILIES, type SearchFamily } from '../../predict/optimize/family-search.js';
import { crossCheck, type Optimum, optimizeSchedule } from '../../predict/optimize/optimize.js';
import { DEFAULT_BLOCKS, MAX_BLOCKS } from '../../predict/optimize/free-form.js';
import { optimizeJson, renderOptimum } from '../../render/optimize-report.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { Warning } from '../../warnings.js';
import { type LawSourceOptions, resolveLaws } from '../law-source.js';
import { makeOutput, printJson } from '../output.js';
import { addHtmlOption, writeHtml } from '../html.js';
import { optimizeReport } from '../../render/html/prediction-html.js';
import { addChartAndLawOptions, type ChartOptionValues, parsePositive, parseWhole } from '../options.js';
import { makeProgress } from '../progress.js';
import { addLawSourceOptions } from './predict.js';

interface OptimizeCommandOptions extends Omit<LawSourceOptions, 'schedule'>, ChartOptionValues {
  total?: number;
  peak?: number;
  warmup?: number;
  family?: SearchFamily[];
  freeForm?: boolean;
  blocks?: number;
  baseline?: string;
  output?: string;
  html?: string;
}

/** Longest schedule written as a per-step file (a `file:` spec reads up to 64 MiB, ~2.5M rows). */
const MAX_FILE_STEPS = 2_000_000;

/** Parses --family wsd,cosine,step (or all). */
function parseFamilies(text: string): SearchFamily[] {
  if (text === 'all') return [...SEARCH_FAMILIES];
  const names = text.split(',').map((s) => s.trim());
  for (const n of names) if (!(SEARCH_FAMILIES as readonly string[]).includes(n)) throw new InvalidArgumentError(`"${n}" is not a searched family; use ${SEARCH_FAMILIES.join(', ')} or all.`);
  return names as SearchFamily[];
}

/** The best schedule as "step,lr" rows from step 0, for a `file:` spec. */
function writeScheduleFile(path: string, schedule: Schedule, total: number): void {
  if (total > MAX_FILE_STEPS) throw usageError(`-o ${path}: ${total.toLocaleString('en-US')} steps is too long for a per-step file (at most ${MAX_FILE_STEPS.toLocaleString('en-US')}); use the schedule spec instead`);
  const rows: string[] = ['step,lr'];
  for (let t = 0; t < total; t++) rows.push(`${t},${schedule.lrAt(t)}`);
  try {
    writeFileSync(path, `${rows.join('\n')}\n`);
  } catch (err) {
    throw dataError(`cannot write the schedule file (${(err as NodeJS.ErrnoException).code ?? String(err)})`, path);
  }
}

/** Registers the command. */
export function registerOptimize(program: Command): void {
  const cmd = program.command('optimize').summary('the best schedule the law can find, and the gain over a baseline it is sure of');
  addLawSourceOptions(cmd);
  cmd
    .option('--total <steps>', 'length of the run to schedule (required)', parseWhole)
    .option('--peak <lr>', 'peak LR (default: the fitted runs\' peak)', parsePositive)
    .option('--warmup <steps>', 'warmup steps (default: the fitted runs\' warmup)', parseWhole)
    .option('--family <names>', `families to search: ${SEARCH_FAMILIES.join(', ')} or all (default all, unless --free-form)`, parseFamilies)
    .option('--free-form', 'search a free-form non-increasing schedule on blocks of steps')
    .option('--blocks <n>', `blocks of the free-form schedule (default ${DEFAULT_BLOCKS}, at most ${MAX_BLOCKS.toLocaleString('en-US')}, and at most one per step after warmup)`, parseWhole)
    .option('--baseline <spec>', 'the schedule the gain is measured against (default: cosine to peak/10, same length)')
    .option('-o, --output <file>', 'write the best schedule as step,lr rows (feed it back with file:path=FILE)');
  addHtmlOption(cmd);
  addChartAndLawOptions(cmd, 'chart the last fraction of steps of the loss (default 0.3; 1 = all)', true);
  cmd.addHelpText(
    'after',
    `
Examples:
  losscast optimize --params params.json --total 24000
  losscast optimize --params params.json --total 100000 --warmup 2000 --family wsd
  losscast optimize --fit "cos.csv@cosine:..." --fit "wsd.csv@wsd:..." --model mpl --total 24000 --free-form -o best.csv
  losscast predict --params params.json --schedule file:path=best.csv

The families are searched on a grid, then refined locally: wsd (cooldown length, shape, final
LR), cosine (final LR), step (one or two drops: where, and to what fraction of peak). The
free-form schedule is constant on --blocks blocks after warmup (at most ${MAX_BLOCKS.toLocaleString('en-US')}, and at most one
per step), never rises, starts at the peak, and is optimised on the law's analytic gradient.
Every result is scored by the code predict runs, so predict of the spec (or of
file:path=FILE) gives the same final loss. The gain
is baseline − best; with a bootstrap its interval is paired (every refitted law scores both), and
a gain whose interval contains 0 is flagged: no schedule is reliably better than the baseline.

--model both optimises under each law and scores each optimum under the other law too.

Exit codes: 0 success, 1 bad data, 2 usage error.`,
  );
  cmd.action(async (o: OptimizeCommandOptions) => {
    const out = makeOutput(o);
    if (o.total === undefined) throw usageError('--total STEPS is required: the length of the run to schedule');
    if (o.blocks !== undefined && !o.freeForm) out.warn({ code: 'option-ignored', message: '--blocks is ignored without --free-form' });
    const laws = await resolveLaws({ ...o, schedule: undefined }, out);
    const progress = makeProgress(o);
    let phase = 0;
    const optima = laws.map((law) =>
      optimizeSchedule(law, {
        total: o.total!,
        peak: o.peak,
        warmup: o.warmup,
        families: o.family ?? (o.freeForm ? [] : undefined),
        freeForm: o.freeForm,
        blocks: o.blocks,
        baseline: o.baseline,
        onProgress: (what) => progress.update(`${lawByName(law.model.law).title}: ${what}`, ++phase, laws.length * ((o.family?.length ?? (o.freeForm ? 0 : 3)) + (o.freeForm ? 1 : 0))),
      }),
    );
    progress.end();
    if (o.output) writeScheduleFile(o.output, optima[0].best.schedule, optima[0].frame.total);
    const cross = (i: number) => (laws.length > 1 ? { law: laws[1 - i], check: crossCheck(laws[1 - i], optima[i]) } : undefined);
    const warnings: Warning[] = [...laws.flatMap((l) => (o.params ? l.notes : [])), ...optima.flatMap((x: Optimum) => x.warnings)];
    if (o.html) writeHtml(o.html, { title: `Best ${o.total!.toLocaleString('en-US')}-step schedule`, subtitle: `losscast optimize report (${laws.map((l) => lawByName(l.model.law).title).join(' and ')}): the best schedule found, the baseline, and the gain with its interval.`, ...optimizeReport(optima.map((optimum, i) => ({ optimum, law: laws[i] }))), warnings }, out);
    if (o.json) {
      printJson(optimizeJson(optima.map((optimum, i) => ({ optimum, law: laws[i], ...(cross(i) ? { cross: { model: lawByName(cross(i)!.law.model.law).jsonName, ...cross(i)!.check } } : {}) })), o.output ?? null, warnings));
      return;
    }
    for (const w of warnings) out.warn(w);
    optima.forEach((optimum, i) => {
      const c = cross(i);
      if (i > 0) out.result('');
      out.result(renderOptimum(optimum, laws[i], { color: out.color, chart: o.chart, tail: o.tail, logY: o.logY, ...(i === 0 && o.output ? { file: o.output } : {}), ...(c ? { cross: { title: lawByName(c.law.model.law).title, ...c.check } } : {}), warnings }));
    });
    if (o.output) out.info(`wrote the best schedule (${optima[0].found}) to ${o.output}: predict it with --schedule file:path=${o.output}`);
  });
}
