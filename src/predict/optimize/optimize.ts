/**
 * `optimize`: the best schedule a fitted law can find for a run of a given length, peak and
 * warmup — by family (wsd, cosine, step) or free-form — and the gain over a baseline it is sure
 * of. The best schedule is reported as the prediction of its spec (the very code `predict` runs,
 * so `predict` of that spec gives the same final loss); the gain's interval is paired: every
 * refitted law of the bootstrap scores both schedules.
 */
import { LosscastError, usageError } from '../../errors.js';
import type { Model } from '../../law/types.js';
import { parseSchedule, type Schedule, scheduleProfile } from '../../schedule/schedule.js';
import { specNumber } from '../../schedule/spec.js';
import { formatLevel } from '../../text/level.js';
import { type Warning, warning } from '../../warnings.js';
import { type FittedLaw, lawOf } from '../fitted-law.js';
import { scheduleWarnings, simulate } from '../simulate.js';
import { type Interval, percentileInterval, predictionBand } from '../uncertainty.js';
import { type FamilyBest, type Frame, SEARCH_FAMILIES, type SearchFamily, searchFamily } from './family-search.js';
import { DEFAULT_BLOCKS, freeFormSpec, MAX_BLOCKS, optimizeFreeForm } from './free-form.js';

/** What to search. */
export interface OptimizeOptions {
  /** Length of the run in steps. */
  total: number;
  /** Peak LR (default: the fitted runs' peak). */
  peak?: number;
  /** Warmup steps (default: the fitted runs' warmup). */
  warmup?: number;
  /** Families to search (default all three, unless freeForm). */
  families?: readonly SearchFamily[];
  /** Search a free-form non-increasing schedule on blocks. */
  freeForm?: boolean;
  /** Blocks of the free-form schedule (default DEFAULT_BLOCKS). */
  blocks?: number;
  /** The schedule the gain is measured against (default: cosine to peak/10 in the same frame). */
  baseline?: string;
  onProgress?: (what: string) => void;
}

/** A schedule with its prediction. */
export interface ScoredSchedule {
  spec: string;
  schedule: Schedule;
  /** Final loss, as `predict` gives it. */
  finalLoss: number;
  /** Its prediction interval (null without a bootstrap). */
  interval: Interval | null;
}

/** The optimum under one law. */
export interface Optimum {
  model: Model;
  frame: Frame;
  /** How it was found: a family's name, or "free-form". */
  found: SearchFamily | 'free-form';
  /** What was searched, in order. */
  searched: (SearchFamily | 'free-form')[];
  best: ScoredSchedule;
  baseline: ScoredSchedule;
  /** baseline − best final loss (> 0: the best is better), with its paired interval. */
  gain: { value: number; interval: Interval | null };
  /** Each searched family's best (and the free-form result), best first. */
  candidates: { found: SearchFamily | 'free-form'; spec: string; finalLoss: number }[];
  /** The free-form block LRs, when free-form won. */
  blocks?: { lengths: number[]; lrs: number[] };
  warnings: Warning[];
}

/** The run's frame: --total with the peak and warmup given, or those of the fitted runs. */
export function frameOf(law: FittedLaw, options: OptimizeOptions): Frame {
  const peak = options.peak ?? (law.peakLrs.length > 0 ? Math.max(...law.peakLrs) : undefined);
  if (peak === undefined) throw usageError('the params file does not say the fitted peak LR: give --peak LR');
  const warmups = law.warmups ?? [];
  const warmup = options.warmup ?? (warmups.length > 0 ? Math.round(warmups.reduce((a, b) => a + b, 0) / warmups.length) : 0);
  if (!Number.isInteger(options.total) || options.total < 2) throw usageError(`--total ${options.total}: give the run's length in steps (a whole number ≥ 2)`);
  if (warmup >= options.total) throw usageError(`--warmup ${warmup} leaves no steps to schedule in --total ${options.total}`);
  return { peak, warmup, total: options.total };
}

/**
 * The blocks of a free-form search: --blocks (default DEFAULT_BLOCKS), refused beyond MAX_BLOCKS,
 * and at most one per step after warmup (with a warning when fewer than asked).
 */
export function freeFormBlocks(frame: Frame, blocks: number | undefined, warnings: Warning[]): number {
  const asked = blocks ?? DEFAULT_BLOCKS;
  if (!Number.isInteger(asked) || asked < 1 || asked > MAX_BLOCKS) throw usageError(`--blocks ${asked}: give a whole number from 1 to ${MAX_BLOCKS.toLocaleString('en-US')} (each block adds work to every evaluation, and no fit identifies a finer schedule)`);
  const steps = frame.total - frame.warmup;
  if (asked <= steps) return asked;
  warnings.push(warning('blocks-capped', `--blocks ${asked.toLocaleString('en-US')} is more than the ${steps.toLocaleString('en-US')} steps after warmup: one block per step (${steps.toLocaleString('en-US')} blocks)`));
  return steps;
}

/** The prediction of a schedule, as predict makes it (its final loss, and that loss's interval). */
function scored(law: FittedLaw, spec: string, schedule = parseSchedule(spec)): ScoredSchedule {
  const prediction = simulate(law, schedule);
  const interval = predictionBand(law.uncertainty, prediction.profile, [prediction.total], [prediction.finalLoss], `schedule "${spec}"`);
  return { spec, schedule, finalLoss: prediction.finalLoss, interval: interval ? interval[0] : null };
}

/** The baseline scored first; a default baseline the law cannot follow is named as the default (the user never wrote it). */
function scoredBaseline(law: FittedLaw, spec: string, frame: Frame, isDefault: boolean): ScoredSchedule {
  try {
    const schedule = parseSchedule(spec);
    if (schedule.total !== undefined && schedule.total !== frame.total) throw usageError(`--baseline "${spec}" runs ${schedule.total} steps, not --total ${frame.total}: compare schedules of one length`);
    return scored(law, spec, schedule);
  } catch (err) {
    if (!isDefault || !(err instanceof LosscastError)) throw err;
    throw new LosscastError(`--total ${frame.total}: the default baseline cannot be scored (${err.message}); shorten --total, or give --baseline SPEC`, err.exitCode);
  }
}

/** baseline − best under every refitted law: the gain's paired interval. */
function pairedGain(law: FittedLaw, best: Schedule, baseline: Schedule, total: number): Interval | null {
  const u = law.uncertainty;
  if (!u) return null;
  const many = (s: Schedule) => lawOf(law).lossAtMany(u.models, scheduleProfile(s, total), [total]).map((v) => v[0]);
  const a = many(best);
  const b = many(baseline);
  return percentileInterval(b.map((v, k) => v - a[k]), u.level);
}

/** Searches the best schedule under one law. */
export function optimizeSchedule(law: FittedLaw, options: OptimizeOptions): Optimum {
  const frame = frameOf(law, options);
  const warnings: Warning[] = [];
  const blocks = options.freeForm ? freeFormBlocks(frame, options.blocks, warnings) : 0;
  // the baseline first: a spec the law cannot follow (too many LR changes, another length) is refused before any search
  const baselineSpec = options.baseline ?? `cosine:peak=${specNumber(frame.peak)},warmup=${frame.warmup},total=${frame.total},final=${specNumber(Number((frame.peak / 10).toPrecision(4)))}`;
  const baseline = scoredBaseline(law, baselineSpec, frame, options.baseline === undefined);
  const families = options.families ?? (options.freeForm ? [] : SEARCH_FAMILIES);
  const found: { found: SearchFamily | 'free-form'; spec: string; objective: number; atEdge: string[]; blocks?: { lengths: number[]; lrs: number[] } }[] = [];
  for (const family of families) {
    options.onProgress?.(`searching ${family} schedules`);
    const r: FamilyBest = searchFamily(law.model, family, frame);
    if (Number.isFinite(r.finalLoss)) found.push({ found: family, spec: r.spec, objective: r.finalLoss, atEdge: r.atEdge });
  }
  if (options.freeForm) {
    options.onProgress?.('optimising a free-form schedule');
    const r = optimizeFreeForm(law.model, frame, blocks);
    found.push({ found: 'free-form', spec: freeFormSpec(r, frame), objective: r.objective, atEdge: [], blocks: { lengths: [...r.plan.lengths], lrs: Array.from(r.lrs) } });
  }
  if (found.length === 0) throw usageError('no valid schedule was found in the searched space: check --peak, --warmup and --total against the fitted runs');
  // every finalist is scored the way predict scores it; the best by that score wins
  const candidates = found.map((f) => ({ ...f, finalLoss: simulate(law, parseSchedule(f.spec)).finalLoss })).sort((a, b) => a.finalLoss - b.finalLoss);
  const winner = candidates[0];
  const best = scored(law, winner.spec);
  const gainInterval = pairedGain(law, best.schedule, baseline.schedule, frame.total);
  const gain = { value: baseline.finalLoss - best.finalLoss, interval: gainInterval };

  for (const edge of winner.atEdge) warnings.push(warning('optimum-at-bound', `${winner.found}: the best ${edge} is at the edge of the searched range; a schedule beyond it may be better still (try compare --sweep past it)`));
  warnings.push(...scheduleWarnings(law, best.schedule, scheduleProfile(best.schedule, frame.total)));
  if (gainInterval && gainInterval.lo <= 0) {
    const level = formatLevel(law.uncertainty!.level);
    warnings.push(warning('gain-not-sure', `no schedule is reliably better than the baseline: the gain's ${level} interval ${gainInterval.lo.toFixed(4)} … ${gainInterval.hi.toFixed(4)} contains 0`));
  } else if (!gainInterval && gain.value <= law.rmse) {
    warnings.push(warning('gain-not-sure', `the gain ${gain.value.toFixed(4)} is within the fit's own error (${law.rmse.toFixed(4)}): no schedule is reliably better than the baseline`));
  }
  return {
    model: law.model,
    frame,
    found: winner.found,
    searched: [...families, ...(options.freeForm ? (['free-form'] as const) : [])],
    best,
    baseline,
    gain,
    candidates: candidates.map((c) => ({ found: c.found, spec: c.spec, finalLoss: c.finalLoss })),
    ...(winner.blocks ? { blocks: winner.blocks } : {}),
    warnings,
  };
}

/** The best schedule's final loss, and its gain over the baseline, under another law (for --model both). */
export function crossCheck(other: FittedLaw, optimum: Optimum): { finalLoss: number; gain: number } {
  const total = optimum.frame.total;
  const loss = (s: Schedule) => lawOf(other).lossAt(other.model, scheduleProfile(s, total), [total])[0];
  const finalLoss = loss(optimum.best.schedule);
  return { finalLoss, gain: loss(optimum.baseline.schedule) - finalLoss };
}
