/**
 * Parameters that end at a bound of their search range: the data did not pin them down, and
 * predictions that lean on them are unreliable. Named for every law, in text and JSON.
 */
import { type Warning, warning } from '../warnings.js';

/** A parameter defined for values ≥ 0. */
export const NON_NEGATIVE = { min: 0, max: Infinity };
/** A parameter defined for values > 0. */
export const POSITIVE = { min: 0, max: Infinity, openMin: true };

/** Why `value` is outside the parameter's domain, or null when it is inside. */
export function outsideDomain(spec: ParamSpec, value: number): string | null {
  const { min, max, openMin, openMax } = spec.domain;
  if (!Number.isFinite(value)) return 'is not a finite number';
  if (openMin ? value <= min : value < min) return `must be ${openMin ? '>' : '≥'} ${min}`;
  if (openMax ? value >= max : value > max) return `must be ${openMax ? '<' : '≤'} ${max}`;
  return null;
}

/** What a parameter at a bound means, in words shared by the laws. */
export const AT_BOUND = {
  floor: 'the loss floor is not identified by these runs; predictions beyond the logged steps are unreliable',
  noFall: (area: string) => `the loss does not fall with the ${area} in this fit; predictions beyond the logged steps are unreliable`,
  weakPower: (area: string) => `the curve barely follows a power law in the ${area}; predictions beyond the logged steps are unreliable`,
  steepPower: (area: string) => `the curve falls faster than a power law in the ${area}; predictions beyond the logged steps are unreliable`,
  /** The typical range of the power-law exponent α, for both laws. */
  alphaTypical: { lower: 0.05, upper: 2, meaning: 'the loss hardly follows a power law in the LR area (a fine-tuning curve?); predictions beyond the logged steps are unreliable' },
  noAnnealing: 'annealing gains nothing in this fit although a run anneals: the law cannot rank cooldowns from these runs',
};
import type { ParamAtBound, Params, ParamSpec } from './types.js';

function near(value: number, limit: number): boolean {
  return Math.abs(value - limit) <= 1e-9 * Math.max(1, Math.abs(limit));
}

/** The parameters of `params` at a bound of their spec (held parameters excluded). */
export function findAtBound(params: Params, specs: readonly ParamSpec[], held: readonly string[] = []): ParamAtBound[] {
  const out: ParamAtBound[] = [];
  for (const spec of specs) {
    if (held.includes(spec.name)) continue;
    const value = params[spec.name];
    if (value === undefined) continue;
    if (Number.isFinite(spec.lower) && near(value, spec.lower)) out.push({ name: spec.name, value, bound: 'lower', limit: spec.lower });
    else if (Number.isFinite(spec.upper) && near(value, spec.upper)) out.push({ name: spec.name, value, bound: 'upper', limit: spec.upper });
  }
  return out;
}

/**
 * One `param-atypical` warning per parameter (not at a bound, not held) outside the range LM
 * pre-training curves give, e.g. α = 0.018: a degenerate fit that no bound names.
 */
export function atypicalWarnings(params: Params, specs: readonly ParamSpec[], skip: readonly string[], lawTitle: string): Warning[] {
  return specs
    .filter((s) => s.typical && !skip.includes(s.name) && params[s.name] !== undefined && (params[s.name] < s.typical.lower || params[s.name] > s.typical.upper))
    .map((s) => warning('param-atypical', `${lawTitle}: ${s.symbol} = ${Number(params[s.name].toPrecision(3))} is outside what LM pre-training curves give (${s.typical!.lower}–${s.typical!.upper}): ${s.typical!.meaning}`));
}

/** One `param-at-bound` warning per parameter at a bound, saying what it means for predictions. */
export function atBoundWarnings(atBound: readonly ParamAtBound[], specs: readonly ParamSpec[], lawTitle: string): Warning[] {
  return atBound.map((b) => {
    const spec = specs.find((s) => s.name === b.name);
    const meaning = (b.bound === 'lower' ? spec?.atLower : spec?.atUpper) ?? 'the data do not pin it down; predictions that depend on it are unreliable';
    const shown = Number(b.value.toPrecision(4));
    return warning('param-at-bound', `${lawTitle}: ${spec?.symbol ?? b.name} = ${shown} is at its ${b.bound} bound (${Number(b.limit.toPrecision(4))}): ${meaning}`);
  });
}
