/**
 * From a parsed log to what the law needs: the loss points of one series and the LR of
 * every optimizer step from step 0, taken from a schedule spec or rebuilt from the logged LR.
 */
import type { Curve, Series } from '../core/curve.js';
import { forEachStretch, isConstant, type LrBefore, type LrProfile, lrAt, profileAnneals, profileFromPoints, profileFromValues } from '../core/lr-profile.js';
import type { LrSource, Run, SeriesName } from '../core/run.js';
import { dataError } from '../errors.js';
import { MAX_TOTAL_STEPS, type Schedule, scheduleProfile } from '../schedule/schedule.js';
import { type Warning, warning } from '../warnings.js';

/** A logged step this many times the step before it is taken for a corrupt value, not the next point. */
export const STEP_OUTLIER_FACTOR = 50;

/**
 * The series without trailing points whose step is far beyond their neighbours (more than
 * STEP_OUTLIER_FACTOR times the step before and over 10,000 steps past it: a corrupt step value,
 * e.g. 1e8 after rows up to 950), each named in a warning: such a step would stretch the run to
 * a length it never had.
 */
export function dropStepOutliers(series: Series, source: string, what: string, warnings: Warning[]): Series {
  const { steps } = series;
  let n = steps.length;
  while (n >= 3 && steps[n - 1] > STEP_OUTLIER_FACTOR * Math.max(1, steps[n - 2]) && steps[n - 1] - steps[n - 2] > 10_000) n--;
  if (n === steps.length) return series;
  const dropped = steps.slice(n);
  warnings.push(warning('step-outlier', `${source}: ${what} logged at step ${dropped.map((s) => s.toLocaleString('en-US')).join(', ')}, far beyond the steps before it (up to ${steps[n - 1].toLocaleString('en-US')}): ignored as a corrupt step value; fix the log if that step is real`));
  return { ...series, steps: steps.slice(0, n), values: series.values.slice(0, n), ...(series.total !== undefined ? { total: series.total - dropped.length } : {}) };
}

/** A loss this many times the run's median (or this many times below it) is taken for a corrupt value. */
export const LOSS_OUTLIER_FACTOR = 50;
const LOSS_FLOOR_FACTOR = 1e-6;

/**
 * Drops loss values no training run logs — over LOSS_OUTLIER_FACTOR × the series' median, or
 * under a millionth of it (a corrupt cell such as 1e300) — with a warning naming them.
 */
export function dropLossOutliers(series: Series, source: string, warnings: Warning[]): Series {
  const sorted = Float64Array.from(series.values).sort();
  const median = sorted[sorted.length >> 1];
  const keep = series.values.map((v) => v <= LOSS_OUTLIER_FACTOR * median && v >= LOSS_FLOOR_FACTOR * median);
  const dropped = keep.filter((k) => !k).length;
  if (dropped === 0) return series;
  const examples = series.steps.filter((_, i) => !keep[i]).slice(0, 3);
  warnings.push(warning('loss-outlier', `${source}: ${dropped} loss value(s) over ${LOSS_OUTLIER_FACTOR}× or under a millionth of the run's median ${median.toPrecision(4)} (at step ${examples.map((s) => s.toLocaleString('en-US')).join(', ')}${dropped > 3 ? ', …' : ''}) ignored as corrupt; fix the log if they are real`));
  return { ...series, steps: series.steps.filter((_, i) => keep[i]), values: series.values.filter((_, i) => keep[i]), ...(series.total !== undefined ? { total: series.total - dropped } : {}) };
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
  const why = curve.skipped.filter((s) => /^(loss|eval loss) /.test(s.reason)).map((s) => `${s.count.toLocaleString('en-US')} × ${s.reason}`);
  throw dataError(`has no usable loss values: ${why.length > 0 ? `skipped ${why.join(', ')}` : 'every loss cell was empty or not finite'}; check the loss column (--loss-col)`, curve.source);
}

/**
 * How to fill in the LR before the first logged point of a log whose LR log starts late: when
 * the first logged LRs fall (a decay already under way, e.g. an HF linear schedule with no
 * warmup logged every 500 steps), their trend is continued back to step 0; when they rise or
 * are flat (the trend would change the LR by less than 1 % back to step 0: a decay just
 * starting after a warmup), a linear warmup from 0 is assumed.
 */
export function lrBeforeFirstPoint(lr: Series): LrBefore {
  const [s0, s1] = lr.steps;
  const [v0, v1] = lr.values;
  if (s0 <= 1) return 'hold';
  if (s1 === undefined) return 'ramp';
  const slope = (v1 - v0) / (s1 - s0);
  return slope < 0 && -slope * s0 > 0.01 * v0 ? 'extrapolate' : 'ramp';
}

/**
 * The per-step LR of steps 0 … length − 1 rebuilt from logged (step, lr) points (see
 * lrBeforeFirstPoint). A log with an LR at (nearly) every step becomes a plain per-step array
 * (its size is that of the log), which later passes read fastest.
 */
export function rebuildLrProfile(lr: Series, length: number): LrProfile {
  const profile = profileFromPoints(lr.steps, lr.values, length, lrBeforeFirstPoint(lr));
  if (!isDense(lr, length)) return profile;
  const values = new Float64Array(length);
  forEachStretch(profile, 0, length, (from, to, s) => {
    if (isConstant(s)) values.fill(s.lr, from, to);
    else for (let t = from; t < to; t++) values[t] = s.lrAt(t);
  });
  return profileFromValues(values);
}

/** True when the log has an LR for (nearly) every step from the start up to `upTo`. */
function isDense(lr: Series, upTo: number): boolean {
  const first = lr.steps[0];
  let inRange = 0;
  for (const s of lr.steps) if (s <= upTo) inRange++;
  return first <= 1 && inRange >= 0.99 * (upTo - first + 1);
}

function compareWithLogged(lr: Series, profile: LrProfile, source: string): string | null {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < lr.steps.length; i++) {
    const s = lr.steps[i];
    if (s >= profile.length) break;
    const expected = lrAt(profile, s);
    const rel = Math.abs(lr.values[i] - expected) / Math.max(expected, lr.values[i], 1e-30);
    if (rel > worst) {
      worst = rel;
      at = i;
    }
  }
  if (worst <= 0.05) return null;
  return `${source}: the schedule disagrees with the logged LR (step ${lr.steps[at]}: logged ${lr.values[at].toExponential(3)}, schedule ${lrAt(profile, lr.steps[at]).toExponential(3)}); check the spec, or drop --schedule to use the logged LR (trainers that skip fp16 steps log an LR that lags the schedule)`;
}

/** Prepares one log for fitting or scoring. */
export function prepareRun(input: RunInput): Run {
  const { schedule } = input;
  let { curve } = input;
  const chosen = chooseSeries(curve, input.series);
  const warnings: Warning[] = curve.warnings.map((m) => warning('log-read', `${curve.source}: ${m}`));
  if (chosen.note) warnings.push(warning('series-choice', `${curve.source}: ${chosen.note}`));
  const series = dropLossOutliers(dropStepOutliers(chosen.series, curve.source, 'loss', warnings), curve.source, warnings);
  if (curve.lr) curve = { ...curve, lr: dropStepOutliers(curve.lr, curve.source, 'LR', warnings) };
  const steps = series.steps;
  const last = steps[steps.length - 1];
  if (last > MAX_TOTAL_STEPS) throw dataError(`has loss at step ${last.toLocaleString('en-US')}, beyond the ${MAX_TOTAL_STEPS.toLocaleString('en-US')} steps losscast simulates; check the step column`, curve.source);
  let profile: LrProfile;
  let lrSource: LrSource;
  let lrNote: string;
  if (schedule) {
    if (schedule.total !== undefined && last > schedule.total) {
      throw dataError(`has loss up to step ${last} but the schedule "${schedule.text}" ends at total=${schedule.total}; fix total`, curve.source);
    }
    profile = scheduleProfile(schedule, last);
    lrSource = 'schedule';
    lrNote = `from the schedule ${schedule.text}`;
    if (curve.lr) {
      const mismatch = compareWithLogged(curve.lr, profile, curve.source);
      if (mismatch) warnings.push(warning('schedule-mismatch', mismatch));
    }
  } else {
    if (!curve.lr || curve.lr.steps.length === 0) {
      throw dataError('has no learning-rate column; give the schedule with --schedule SPEC or as FILE@SPEC (see losscast schedule --list)', curve.source);
    }
    profile = rebuildLrProfile(curve.lr, last);
    if (isDense(curve.lr, last)) {
      lrSource = 'logged';
      lrNote = 'logged at every step';
    } else {
      lrSource = 'logged-interpolated';
      const gap = Math.round((curve.lr.steps[curve.lr.steps.length - 1] - curve.lr.steps[0]) / Math.max(1, curve.lr.steps.length - 1));
      lrNote = `logged every ~${gap} steps, linear in between`;
      warnings.push(warning('lr-interpolated', `${curve.source}: LR logged every ~${gap} steps: rebuilt per step by linear interpolation, so sudden drops between rows are smeared; give --schedule for exact values`));
      const first = curve.lr.steps[0];
      const before = lrBeforeFirstPoint(curve.lr);
      const late = first > 1000 && first > 0.2 * last;
      const branchHint = late ? '; if this run was branched from another (a cool-down from a checkpoint), stitch it after its parent with --prefix PARENT' : '';
      if (before === 'extrapolate') {
        lrNote += `, the falling trend of the first logged LRs continued back to step 0`;
        warnings.push(warning('lr-extrapolated', `${curve.source}: the LR log starts at step ${first} with the LR already falling: continued that trend back to step 0 (no warmup assumed); give --schedule if that is wrong${branchHint}`));
      } else if (before === 'ramp') {
        lrNote += `, assumed linear warmup from 0 over steps 0–${first}`;
        warnings.push(warning('lr-assumed-warmup', `${curve.source}: the LR log starts at step ${first}: assumed a linear warmup from 0 before it; give --schedule if that is wrong${branchHint}`));
      }
    }
  }
  if (!(profile.peak > 0)) throw dataError('has a learning rate of 0 at every step; the law needs the real LR (give --schedule)', curve.source);
  return {
    label: input.label ?? curve.source,
    source: curve.source,
    series: chosen.name,
    steps,
    loss: series.values,
    points: series.total ?? steps.length,
    lr: profile,
    lrSource,
    lrNote,
    ...(schedule ? { schedule: schedule.text } : {}),
    anneals: profileAnneals(profile, last),
    ...(curve.diverged?.[chosen.name] !== undefined ? { divergedAt: curve.diverged[chosen.name] } : {}),
    warnings,
    skipped: curve.skipped,
  };
}
