/**
 * The laws a stacked mixture is made of, and how their parameters sit in one flat set:
 * `weight` (the first member's share) plus every member parameter under `member.name`
 * (`momentum.L0`, `mpl.gamma`, …), so a mixture travels through params files, bootstraps and
 * reports like any law.
 */
import { momentumLaw } from '../momentum/index.js';
import { mplLaw } from '../mpl/index.js';
import type { Law, MemberName, Model, Params, ParamSpec } from '../types.js';

/** The member laws, in the order their weights are given (weight is the first one's share). */
export const MEMBERS: readonly Law[] = [momentumLaw, mplLaw];

/** A member parameter's key in the mixture's parameters. */
export function memberKey(member: MemberName, name: string): string {
  return `${member}.${name}`;
}

/** Short tags for member laws in parameter symbols. */
const TAG: Record<MemberName, string> = { momentum: 'mom', mpl: 'MPL' };

/** The mixture's parameters: its weight, then each member's, prefixed. */
export const MIXTURE_PARAMS: readonly ParamSpec[] = [
  {
    name: 'weight',
    symbol: 'w',
    meaning: `share of the ${MEMBERS[0].title} in the mixture (the ${MEMBERS[1].title} has 1 − w), chosen by stacking on held-out folds of the fitted runs`,
    lower: -Infinity,
    upper: Infinity,
    domain: { min: 0, max: 1 },
  },
  ...MEMBERS.flatMap((law) => law.params.map((s): ParamSpec => ({ ...s, name: memberKey(law.name as MemberName, s.name), symbol: `${s.symbol} (${TAG[law.name as MemberName]})` }))),
];

/** The weight of each member in a mixture model, in member order. */
export function memberWeights(model: Model): [number, number] {
  const w = model.params.weight;
  return [w, 1 - w];
}

/** One member's model inside a mixture model (its parameters unprefixed, the shared settings). */
export function memberModel(model: Model, index: number): Model {
  const law = MEMBERS[index];
  const prefix = `${law.name}.`;
  const params: Record<string, number> = {};
  for (const spec of law.params) params[spec.name] = model.params[prefix + spec.name];
  const { stacking: _, ...settings } = model.settings;
  return { law: law.name, params, settings };
}

/** The mixture's parameters from a weight and the members' models. */
export function mixtureParams(weight: number, members: readonly Model[]): Params {
  const params: Record<string, number> = { weight };
  members.forEach((m, i) => {
    for (const spec of MEMBERS[i].params) params[memberKey(MEMBERS[i].name as MemberName, spec.name)] = m.params[spec.name];
  });
  return params;
}

/** Σ wᵢ·valuesᵢ, skipping members of weight 0 (their values may be absent). */
export function combine(weights: readonly number[], values: readonly (ArrayLike<number> | undefined)[], length: number): Float64Array {
  const out = new Float64Array(length);
  weights.forEach((w, i) => {
    if (w === 0) return;
    const v = values[i]!;
    for (let k = 0; k < length; k++) out[k] += w * v[k];
  });
  return out;
}
