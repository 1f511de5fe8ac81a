/**
 * From a parsed log to what the law needs: the loss points of one series and the LR of
 * every optimizer step from step 0, taken from a schedule spec or rebuilt from the logged LR.
 */
import { dataError } from '../errors.js';
import type { Curve, Series, SkipNote } from '../io/curve.js';
import { findWarmupEnd } from '../law/areas.js';
import { type Schedule, scheduleLrs } from '../schedule/schedule.js';
import { type Warning, warning } from '../warnings.js';

/** Which loss of a log is fitted. */
export type SeriesName = 'train' | 'eval';

/** Where the per-step LR came from. */
export type LrSource = 'schedule' | 'logged' | 'logged-interpolated';

/** A log prepared for the law. */
export interface Run {
  label: string;
  source: string;
  series: SeriesName;
  steps: number[];
  loss: number[];
  /** LR used at optimizer steps 0 … steps[last] − 1. */
  lrs: Float64Array;
  lrSource: LrSource;
  /** One sentence on how the per-step LR was obtained. */
  lrNote: string;
  /** The schedule spec, when the LR came from one. */
  schedule?: string;
  /** First step after warmup. */
  warmupEnd: number;
  /** Largest LR of the run. */
  peak: number;
  /** Whether the LR falls below its running maximum at some point (so C can be learnt). */
  anneals: boolean;
  warnings: Warning[];
  skipped: SkipNote[];
}

/** What prepareRun needs. */
export interface RunInput {
  curve: Curve;
  schedule?: Schedule;
  series?: SeriesName;
  label?: string;
}

/** Fewest eval points for the eval loss to be fitted by default. */
export const MIN_EVAL_POINTS = 10;

/**
 * Picks the loss series to fit: the requested one; by default the eval loss when it has at
 * least MIN_EVAL_POINTS points, else the training loss. `note` says what was chosen and why
 * when both were available (train and eval are never mixed).
 */
export function chooseSeries(curve: Curve, wanted?: SeriesName): { name: SeriesName; series: Series; note?: string } {
  const count = (s: Series | null) => s?.steps.length ?? 0;
  if (wanted) {
    const series = curve[wanted];
    if (!series || series.steps.length === 0) throw dataError(`has no ${wanted} loss values; ${wanted === 'eval' ? 'use --series train' : 'use --series eval'}`, curve.source);
    return { name: wanted, series };
  }
  const nTrain = count(curve.train);
  const nEval = count(curve.eval);
  if (nEval >= MIN_EVAL_POINTS) {
    return { name: 'eval', series: curve.eval!, note: nTrain > 0 ? `fitting the eval loss (${nEval} points); --series train fits the training loss (${nTrain} points)` : undefined };
  }
  if (nTrain > 0) {
    return { name: 'train', series: curve.train!, note: nEval > 0 ? `fitting the training loss: the eval loss has only ${nEval} point(s) (fewer than ${MIN_EVAL_POINTS})` : undefined };
  }
  if (nEval > 0) return { name: 'eval', series: curve.eval!, note: `no training loss: fitting the eval loss (${nEval} point(s))` };
  throw dataError('has no loss values (every loss cell was empty or not finite)', curve.source);
}

/**
 * Rebuilds the LR of steps 0 … length − 1 from logged (step, lr) points: taken as is where
 * logged, linear in between, held after the last point, and ramped linearly from 0 at step 0
 * up to the first logged point (an assumed warmup) when the log starts after step 1.
 */
export function rebuildPerStepLr(lr: Series, length: number): Float64Array {
  const out = new Float64Array(length);
  const { steps, values } = lr;
  let k = 0;
  for (let t = 0; t < length; t++) {
    while (k < steps.length && steps[k] < t) k++;
    if (k < steps.length && steps[k] === t) out[t] = values[k];
    else if (k === 0) out[t] = steps[0] > 1 ? (values[0] * t) / steps[0] : values[0];
    else if (k >= steps.length) out[t] = values[values.length - 1];
    else {
      const s0 = steps[k - 1], s1 = steps[k];
      out[t] = values[k - 1] + ((values[k] - values[k - 1]) * (t - s0)) / (s1 - s0);
    }
  }
  return out;
}

/** True when the log has an LR for (nearly) every step from the start up to `upTo`. */
function isDense(lr: Series, upTo: number): boolean {
  const first = lr.steps[0];
  let inRange = 0;
  for (const s of lr.steps) if (s <= upTo) inRange++;
  return first <= 1 && inRange >= 0.99 * (upTo - first + 1);
}

function detectAnnealing(lrs: ArrayLike<number>, upTo: number): boolean {
  let max = 0;
  for (let t = 0; t < Math.min(upTo, lrs.length); t++) {
    if (lrs[t] > max) max = lrs[t];
    else if (lrs[t] < 0.99 * max) return true;
  }
  return false;
}

function compareWithLogged(lr: Series, lrs: Float64Array, source: string): string | null {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < lr.steps.length; i++) {
    const s = lr.steps[i];
    if (s >= lrs.length) break;
    const expected = lrs[s];
    const rel = Math.abs(lr.values[i] - expected) / Math.max(expected, lr.values[i], 1e-30);
    if (rel > worst) {
      worst = rel;
      at = i;
    }
  }
  if (worst <= 0.05) return null;
  return `${source}: the schedule disagrees with the logged LR (step ${lr.steps[at]}: logged ${lr.values[at].toExponential(3)}, schedule ${lrs[lr.steps[at]].toExponential(3)}); check the spec, or drop --schedule to use the logged LR (trainers that skip fp16 steps log an LR that lags the schedule)`;
}

/** Prepares one log for fitting or scoring. */
export function prepareRun(input: RunInput): Run {
  const { curve, schedule } = input;
  const chosen = chooseSeries(curve, input.series);
  const warnings: Warning[] = curve.warnings.map((m) => warning('log-read', `${curve.source}: ${m}`));
  if (chosen.note) warnings.push(warning('series-choice', `${curve.source}: ${chosen.note}`));
  const steps = chosen.series.steps;
  const last = steps[steps.length - 1];
  let lrs: Float64Array;
  let lrSource: LrSource;
  let lrNote: string;
  let warmupEnd: number;
  if (schedule) {
    if (schedule.total !== undefined && last > schedule.total) {
      throw dataError(`has loss up to step ${last} but the schedule "${schedule.text}" ends at total=${schedule.total}; fix total`, curve.source);
    }
    lrs = scheduleLrs(schedule, last);
    lrSource = 'schedule';
    lrNote = `from the schedule ${schedule.text}`;
    warmupEnd = schedule.warmup;
    if (curve.lr) {
      const mismatch = compareWithLogged(curve.lr, lrs, curve.source);
      if (mismatch) warnings.push(warning('schedule-mismatch', mismatch));
    }
  } else {
    if (!curve.lr || curve.lr.steps.length === 0) {
      throw dataError('has no learning-rate column; give the schedule with --schedule SPEC or as FILE@SPEC (see losscast schedule --list)', curve.source);
    }
    lrs = rebuildPerStepLr(curve.lr, last);
    if (isDense(curve.lr, last)) {
      lrSource = 'logged';
      lrNote = 'logged at every step';
    } else {
      lrSource = 'logged-interpolated';
      const gap = Math.round((curve.lr.steps[curve.lr.steps.length - 1] - curve.lr.steps[0]) / Math.max(1, curve.lr.steps.length - 1));
      lrNote = `logged every ~${gap} steps, linear in between`;
      warnings.push(warning('lr-interpolated', `${curve.source}: LR logged every ~${gap} steps: rebuilt per step by linear interpolation, so sudden drops between rows are smeared; give --schedule for exact values`));
      if (curve.lr.steps[0] > 1) {
        lrNote += `, assumed linear warmup from 0 over steps 0–${curve.lr.steps[0]}`;
        const late = curve.lr.steps[0] > 1000 && curve.lr.steps[0] > 0.2 * last;
        const branchHint = late ? '; if this run was branched from another (a cool-down from a checkpoint), stitch it after its parent with --prefix PARENT' : '';
        warnings.push(warning('lr-assumed-warmup', `${curve.source}: the LR log starts at step ${curve.lr.steps[0]}: assumed a linear warmup from 0 before it; give --schedule if that is wrong${branchHint}`));
      }
    }
    warmupEnd = findWarmupEnd(lrs);
  }
  let peak = 0;
  for (let t = 0; t < lrs.length; t++) if (lrs[t] > peak) peak = lrs[t];
  if (!(peak > 0)) throw dataError('has a learning rate of 0 at every step; the law needs the real LR (give --schedule)', curve.source);
  return {
    label: input.label ?? curve.source,
    source: curve.source,
    series: chosen.name,
    steps,
    loss: chosen.series.values,
    lrs,
    lrSource,
    lrNote,
    ...(schedule ? { schedule: schedule.text } : {}),
    warmupEnd,
    peak,
    anneals: detectAnnealing(lrs, last),
    warnings,
    skipped: curve.skipped,
  };
}
