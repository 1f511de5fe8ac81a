/**
 * A parsed, validated schedule: the LR of every optimizer step, from a spec string, and the
 * same as an LrProfile (segments) for the laws.
 */
import { isConstant, type LrSegment, makeProfile, type LrProfile, profileFromValues, truncateProfile } from '../core/lr-profile.js';
import { usageError } from '../errors.js';
import { type BaseValues, FAMILIES, familyByName, readLrFile, stepwise } from './families.js';
import { SpecReader } from './reader.js';
import { parseSpec } from './spec.js';

/** A learning-rate schedule ready to be evaluated. */
export interface Schedule {
  /** The spec it was built from, as the user wrote it. */
  text: string;
  family: string;
  peak: number;
  /** Warmup length in steps (0 for none). */
  warmup: number;
  /** First step at the peak LR: the end of warmup, or of a family's own rise (onecycle). */
  warmupEnd: number;
  /** Planned number of optimizer steps, when the spec gives it. */
  total: number | undefined;
  /** η(t): the LR used at optimizer step t (t = 0 is the first step). */
  lrAt(t: number): number;
  /** Ranges [from, to) after warmup over which η is constant (to may be Infinity). */
  flat: readonly (readonly [number, number])[];
  /** For a `file` schedule: its per-step LRs. */
  values?: readonly number[];
}

/**
 * The longest schedule losscast simulates: 10⁹ steps. Stretches of constant LR cost nothing
 * whatever their length; steps where the LR changes are walked one by one, so there may be at
 * most MAX_CHANGING_STEPS of them. Beyond either limit the answer would take too long: a usage
 * error, said before any work starts. (`npm run bench`: a 10⁹-step WSD schedule whose LR changes
 * at 10⁷ steps is predicted, with its band, in a few seconds and under 100 MB.)
 */
export const MAX_TOTAL_STEPS = 1_000_000_000;

/** Largest peak LR × steps: the LR area must stay a finite number with room for the laws' powers of it. */
export const MAX_LR_AREA = 1e300;

/**
 * Most steps of a schedule at which the LR changes (warmup, decays): 10⁷, ten times a long
 * pre-training run. Each costs time in every pass: the Multi-Power Law predicts 10⁷ changing
 * steps with its bootstrap band in about 4 s, the momentum law in about 1 s (`npm run bench`).
 */
export const MAX_CHANGING_STEPS = 10_000_000;

/** Throws a usage error when `total` is beyond MAX_TOTAL_STEPS; `what` names where it came from. */
export function checkTotal(total: number, what: string): void {
  if (total > MAX_TOTAL_STEPS) throw usageError(`${what}: total=${total} steps is more than losscast simulates (at most ${MAX_TOTAL_STEPS.toLocaleString('en-US')} steps)`);
}

const COMMON_KEYS = ['peak', 'warmup', 'total'];

/** Parses and validates a spec such as `cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`. */
export function parseSchedule(text: string): Schedule {
  const spec = parseSpec(text);
  const family = familyByName(spec.family);
  if (!family) throw usageError(`unknown schedule "${spec.family}" in "${text}"; known: ${FAMILIES.map((f) => f.name).join(', ')} (see losscast schedule --list)`);
  const allowed = new Set([...(family.name === 'file' ? [] : COMMON_KEYS), ...family.keys.map((k) => k.key)]);
  if (!family.hasWarmup) allowed.delete('warmup');
  for (const key of spec.values.keys()) {
    if (!allowed.has(key)) throw usageError(`schedule "${text}": unknown key "${key}" for ${family.name}; its keys are ${[...allowed].join(', ')}`);
  }
  let totalValue: number | undefined;
  if (spec.values.has('total')) {
    totalValue = Number(spec.values.get('total'));
    if (!Number.isInteger(totalValue) || totalValue <= 0) throw usageError(`schedule "${text}": total="${spec.values.get('total')}" must be a whole number of steps > 0`);
    checkTotal(totalValue, `schedule "${text}"`);
  } else if (family.totalRequired) {
    throw usageError(`schedule "${text}": total is required for ${family.name} (total=STEPS)`);
  }
  const reader = new SpecReader(spec, totalValue);
  if (family.name === 'file') return scheduleFromValues(spec.text, readLrFile(reader.raw('path') ?? reader.fail('path', 'is required')));
  const base: BaseValues = { peak: reader.lr('peak'), warmup: family.hasWarmup ? reader.steps('warmup', 0) : 0, total: totalValue };
  if (base.peak <= 0) reader.fail('peak', 'must be > 0');
  if (base.total !== undefined && base.warmup > base.total) reader.fail('warmup', `=${base.warmup} is longer than total=${base.total}`);
  const after = family.build(reader, base);
  const { peak, warmup } = base;
  const lrAt = warmup > 0 ? (t: number) => (t < warmup ? (peak * t) / warmup : after.lrAt(t)) : after.lrAt;
  return { text: spec.text, family: family.name, peak, warmup, warmupEnd: warmup > 0 ? warmup : (after.peakAt ?? 0), total: base.total, lrAt, flat: after.flat };
}

/**
 * A schedule from per-step LRs (a `file:` spec, or an optimised schedule): its peak is the
 * largest value and its warmup ends at the first step that reaches it, so a list written from
 * a spec with a linear warmup reads back with the spec's own warmup end.
 */
export function scheduleFromValues(text: string, values: readonly number[]): Schedule {
  let peak = 0;
  for (const v of values) peak = Math.max(peak, v);
  const warmupEnd = Math.max(0, values.indexOf(peak));
  return { text, family: 'file', peak, warmup: 0, warmupEnd, total: values.length, lrAt: stepwise(values), flat: [], values };
}

/**
 * The schedule's LR over steps 0 … length − 1 as a profile: warmup and changing stretches step
 * by step, flat ranges as constant segments (memory does not grow with `length`).
 */
export function scheduleProfile(schedule: Schedule, length: number): LrProfile {
  if (!(schedule.peak * length < MAX_LR_AREA)) {
    throw usageError(`schedule "${schedule.text}": peak LR ${schedule.peak} over ${length.toLocaleString('en-US')} steps gives an LR area beyond ${MAX_LR_AREA} that no law can work with; is the peak right?`);
  }
  if (schedule.values) {
    const profile = profileFromValues(schedule.values, { peak: schedule.peak, warmupEnd: schedule.warmupEnd });
    if (length <= profile.length) return truncateProfile(profile, length);
    const last = schedule.values[schedule.values.length - 1];
    return makeProfile([...profile.segments, { from: profile.length, to: length, lr: last }], { peak: profile.peak, warmupEnd: profile.warmupEnd });
  }
  const segments: LrSegment[] = [];
  const start = Math.min(schedule.warmup, length);
  if (start > 0) segments.push({ from: 0, to: start, lrAt: schedule.lrAt });
  let t = start;
  let peak = schedule.peak;
  const flat = [...schedule.flat].filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  for (const [a, b] of flat) {
    const from = Math.max(a, t);
    const to = Math.min(b, length);
    if (to <= from) continue;
    if (from > t) segments.push({ from: t, to: from, lrAt: schedule.lrAt });
    const lr = schedule.lrAt(from);
    peak = Math.max(peak, lr);
    segments.push({ from, to, lr });
    t = to;
  }
  if (t < length) segments.push({ from: t, to: length, lrAt: schedule.lrAt });
  const changing = segments.reduce((n, s) => n + (isConstant(s) ? 0 : s.to - s.from), 0);
  if (changing > MAX_CHANGING_STEPS) {
    throw usageError(`schedule "${schedule.text}": its LR changes at ${changing.toLocaleString('en-US')} steps, more than losscast follows (at most ${MAX_CHANGING_STEPS.toLocaleString('en-US')}: each takes time); shorten total, or the decay`);
  }
  return makeProfile(segments, { peak, warmupEnd: schedule.warmupEnd });
}
