/**
 * Options shared by several commands, and their parsers (a bad value is a usage error).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { SeriesName } from '../core/run.js';
import type { Weighting } from '../fit/points.js';
import type { ColumnChoice } from '../io/columns.js';
import type { LoadRunOptions } from '../io/load-run.js';
import { DEFAULT_LAMBDA } from '../law/momentum/law.js';
import { DEFAULT_MODEL, lawByName, SINGLE_LAWS } from '../law/registry.js';
import type { FitOptions, ModelName, MplWarmup } from '../law/types.js';
import { DEFAULT_DROP_PRIOR } from '../law/mpl/fit.js';
import { type Warning, warning } from '../warnings.js';
import { addUncertaintyOptions } from './uncertainty.js';

/** Parses a whole number ≥ 0. */
export function parseWhole(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0.');
  return n;
}

/** Parses a number strictly between 0 and 1. */
export function parseUnit(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('expected a number between 0 and 1.');
  return n;
}

/** Parses a positive number. */
export function parsePositive(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number > 0.');
  return n;
}

/** Parses a finite number ≥ 0. */
export function parseNonNegative(value: string): number {
  const n = Number(value);
  if (!(n >= 0) || !Number.isFinite(n) || value.trim() === '') throw new InvalidArgumentError('expected a number ≥ 0.');
  return n;
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Adds the options that say how to read logs. */
export function addLogOptions(cmd: Command): Command {
  return cmd
    .option('--schedule <spec>', 'LR schedule for logs without their own PATH@SPEC (see: losscast schedule --list)')
    .option('--step-col <name>', 'column/key holding the step')
    .option('--loss-col <name>', 'column/key holding the training loss')
    .option('--eval-col <name>', 'column/key holding the eval loss')
    .option('--lr-col <name>', 'column/key holding the learning rate')
    .addOption(new Option('--series <which>', 'which loss to fit (default: eval when it has ≥ 10 points, else train)').choices(['train', 'eval']))
    .option('--run <name>', 'which run of a multi-run file (W&B chart export; list them with losscast inspect)')
    .option('--prefix <parent>', "a parent run's log whose points go before the log's first step (a cool-down branched from it)")
    .option('--format <name>', 'force the log format instead of detecting it (see losscast inspect --formats)');
}

/** The --model help: which law, in a sentence each. */
export const MODEL_HELP = 'the law: auto (the default: both laws averaged with weights chosen on held-out parts of your runs, and intervals that include the laws\' own error), momentum (4 parameters: robust with few runs) or mpl (the Multi-Power Law, 7 parameters: cooldown shapes, when a fitted run has a real cooldown)';

/** Adds the options that shape the law and the fit; `both` allows --model both (compare). */
export function addFitOptions(cmd: Command, both = false): Command {
  return cmd
    .addOption(new Option('--model <law>', both ? `${MODEL_HELP}; both = rank under each law and mark where they disagree` : MODEL_HELP).choices(both ? ['auto', 'momentum', 'mpl', 'both'] : ['auto', 'momentum', 'mpl']))
    .option('--lambda <x>', 'momentum law: decay λ of the annealing area', parseUnit, 0.999)
    .option('--fit-lambda', 'momentum law: fit λ too (slower; helps when several runs anneal)')
    .option('--warmup-as-peak', "momentum law: count warmup steps at the peak LR (the authors' variant) instead of the real ramp")
    .addOption(new Option('--mpl-warmup <how>', "Multi-Power Law: warmup as in the paper (its LR rises are not in the loss-drop sum; the default) or as in the authors' released code (they are)").choices(['paper', 'released']))
    .option('--mpl-prior <w>', `Multi-Power Law, experimental: weight of a regulariser pulling the loss-drop shape (C, β, γ) towards (1, 0.5, 0.5), e.g. 3e-5; lower curve error on unseen runs, but the intervals then understate how unsure the shape is (default ${DEFAULT_DROP_PRIOR}: none)`, parseNonNegative)
    .option('--from-step <n>', 'fit only points at or after this step (default: end of warmup)', parseWhole)
    .option('--to-step <n>', 'fit only points at or before this step', parseWhole)
    .addOption(new Option('--weighting <how>', 'joint fits: every run weighs the same (runs), or every point (points, the papers\' plain sum)').choices(['runs', 'points']).default('runs'))
    .option('--prior <file>', 'a params file of an earlier fit (a smaller model, an earlier run; repeatable): when no fitted run anneals, what a decay gains is taken from it instead of the wide built-in range', collect);
}

/** Raw option values of addLogOptions. */
export interface LogOptionValues {
  schedule?: string;
  stepCol?: string;
  lossCol?: string;
  evalCol?: string;
  lrCol?: string;
  series?: SeriesName;
  format?: string;
  run?: string;
  prefix?: string;
}

/** Raw option values of addFitOptions. */
export interface FitOptionValues {
  model?: ModelName | 'both';
  mplWarmup?: MplWarmup;
  mplPrior?: number;
  lambda: number;
  fitLambda?: boolean;
  warmupAsPeak?: boolean;
  fromStep?: number;
  toStep?: number;
  weighting?: Weighting;
  /** Params files of earlier fits lending what a decay gains (--prior). */
  prior?: string[];
}

/** Turns option values into loadRun options. */
export function loadOptions(o: LogOptionValues): LoadRunOptions {
  const columns: ColumnChoice = {};
  if (o.stepCol !== undefined) columns.step = o.stepCol;
  if (o.lossCol !== undefined) columns.train = o.lossCol;
  if (o.evalCol !== undefined) columns.eval = o.evalCol;
  if (o.lrCol !== undefined) columns.lr = o.lrCol;
  return { schedule: o.schedule, columns, format: o.format, series: o.series, run: o.run, prefix: o.prefix };
}

/** Turns option values into fit options (each law reads its own). */
export function fitOptions(o: FitOptionValues): FitOptions {
  return { lambda: o.lambda, fitLambda: o.fitLambda, warmupAsPeak: o.warmupAsPeak, mplWarmup: o.mplWarmup, mplPrior: o.mplPrior, fromStep: o.fromStep, toStep: o.toStep, weighting: o.weighting };
}

/** The models a command should use: --model (default: the default law), the two single laws for "both". */
export function modelsOf(o: { model?: ModelName | 'both' }): ModelName[] {
  return o.model === 'both' ? SINGLE_LAWS : [o.model ?? DEFAULT_MODEL];
}

/** Warnings for options given for another law than the one fitted (they would be silently ignored). */
export function ignoredOptionWarnings(model: ModelName, o: FitOptionValues): Warning[] {
  const law = lawByName(model);
  const ignored = law.ignoredOptions(fitOptions(o));
  return ignored.length === 0 ? [] : [warning('option-ignored', `${ignored.join(', ')} ${ignored.length > 1 ? 'are' : 'is'} for the other law and ignored by the ${law.title}`)];
}

/** Warnings for fit options given with --params: the saved law is used as it is. */
export function paramsOptionWarnings(o: FitOptionValues, file: string): Warning[] {
  const given = [
    ...(o.fitLambda ? ['--fit-lambda'] : []),
    ...(o.lambda !== DEFAULT_LAMBDA ? ['--lambda'] : []),
    ...(o.warmupAsPeak ? ['--warmup-as-peak'] : []),
    ...(o.mplWarmup !== undefined ? ['--mpl-warmup'] : []),
    ...(o.mplPrior !== undefined ? ['--mpl-prior'] : []),
    ...(o.fromStep !== undefined ? ['--from-step'] : []),
    ...(o.toStep !== undefined ? ['--to-step'] : []),
  ];
  return given.length === 0 ? [] : [warning('option-ignored', `${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} ignored with --params: the law saved in ${file} is used as it was fitted`)];
}

/** Raw values of the output options addChartAndLawOptions (and --html) add. */
export interface ChartOptionValues {
  json?: boolean;
  quiet?: boolean;
  chart: boolean;
  tail?: number;
  logY?: boolean;
  html?: string;
}

/** Adds the chart and output options shared by predict and compare, then the law options. */
export function addChartAndLawOptions(cmd: Command, tailHelp: string, both = false): Command {
  cmd
    .option('--tail <fraction>', tailHelp, parsePositive)
    .option('--log-y', 'log-scale the loss chart')
    .option('--no-chart', 'do not draw the chart');
  return addOutputAndLawOptions(cmd, both);
}

/** Adds --json, -q, the columns of --fit logs, then the law and interval options (commands that fit on the spot). */
export function addOutputAndLawOptions(cmd: Command, both = false): Command {
  cmd
    .option('--json', 'print one JSON document')
    .option('-q, --quiet', 'no warnings on stderr')
    .option('--step-col <name>', 'column/key holding the step (for --fit logs)')
    .option('--loss-col <name>', 'column/key holding the loss (for --fit logs)')
    .option('--lr-col <name>', 'column/key holding the LR (for --fit logs)')
    .option('--format <name>', 'force the format of --fit logs');
  addUncertaintyOptions(cmd);
  return addFitOptions(cmd, both);
}
