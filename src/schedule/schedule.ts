/**
 * A parsed, validated schedule: the LR of every optimizer step, from a spec string.
 */
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
  /** Planned number of optimizer steps, when the spec gives it. */
  total: number | undefined;
  /** η(t): the LR used at optimizer step t (t = 0 is the first step). */
  lrAt(t: number): number;
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
  } else if (family.totalRequired) {
    throw usageError(`schedule "${text}": total is required for ${family.name} (total=STEPS)`);
  }
  const reader = new SpecReader(spec, totalValue);
  if (family.name === 'file') {
    const values = readLrFile(reader.raw('path') ?? reader.fail('path', 'is required'));
    return {
      text: spec.text,
      family: 'file',
      peak: Math.max(...values),
      warmup: 0,
      total: values.length,
      lrAt: stepwise(values),
    };
  }
  const base: BaseValues = { peak: reader.lr('peak'), warmup: family.hasWarmup ? reader.steps('warmup', 0) : 0, total: totalValue };
  if (base.peak <= 0) reader.fail('peak', 'must be > 0');
  if (base.total !== undefined && base.warmup > base.total) reader.fail('warmup', `=${base.warmup} is longer than total=${base.total}`);
  const after = family.build(reader, base);
  const { peak, warmup } = base;
  const lrAt = warmup > 0 ? (t: number) => (t < warmup ? (peak * t) / warmup : after(t)) : after;
  return { text: spec.text, family: family.name, peak, warmup, total: base.total, lrAt };
}

/** The LR of steps 0 … length − 1 as an array. */
export function scheduleLrs(schedule: Schedule, length: number): Float64Array {
  const out = new Float64Array(length);
  for (let t = 0; t < length; t++) out[t] = schedule.lrAt(t);
  return out;
}
