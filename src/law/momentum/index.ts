/** The momentum law (Tissue et al., arXiv 2408.11029) behind the model-layer interface. */
import { AT_BOUND, NON_NEGATIVE, POSITIVE } from '../bounds.js';
import type { Law, Model, ParamSpec } from '../types.js';
import { ALPHA_RANGE, fitMomentum, LAMBDA_GAP_RANGE, momentumRefitter, momentumRefitterFromState, type MomentumRefitState } from './fit.js';
import { momentumBlockObjective } from './blocks.js';
import { momentumLossAt, momentumLossAtMany, type MomentumParams } from './law.js';

/** The momentum law's parameters, with the ranges the fitter searches. */
export const MOMENTUM_PARAMS: readonly ParamSpec[] = [
  { name: 'L0', domain: NON_NEGATIVE, symbol: 'L0', meaning: 'irreducible loss (the loss with infinite forward area and no anneal)', lower: 0, upper: Infinity, atLower: AT_BOUND.floor },
  { name: 'A', domain: NON_NEGATIVE, symbol: 'A', meaning: 'scale of the power law in the forward area S1', lower: 0, upper: Infinity, atLower: AT_BOUND.noFall('forward area') },
  { name: 'alpha', domain: POSITIVE, symbol: 'α', meaning: 'exponent of the power law in S1', lower: ALPHA_RANGE[0], upper: ALPHA_RANGE[1], atLower: AT_BOUND.weakPower('forward area'), atUpper: AT_BOUND.steepPower('forward area'), typical: AT_BOUND.alphaTypical },
  { name: 'C', domain: NON_NEGATIVE, symbol: 'C', meaning: 'loss gained per unit of annealing area S2', lower: 0, upper: Infinity, atLower: AT_BOUND.noAnnealing },
  { name: 'lambda', domain: { min: 0, max: 1, openMin: true, openMax: true }, symbol: 'λ', meaning: 'momentum decay of the annealing area, per optimizer step (delay of a drop ≈ 1/(1−λ) steps)', lower: 1 - LAMBDA_GAP_RANGE[1], upper: 1 - LAMBDA_GAP_RANGE[0], atLower: 'the loss answers LR drops faster than λ can say (1/(1−λ) < 20 steps); cooldown timing is not identified', atUpper: 'the loss answers LR drops slower than λ can say (1/(1−λ) > 10,000 steps); cooldown timing is not identified' },
];

/** Evaluates models grouped by their warmup treatment, keeping the input order. */
function byWarmup(models: readonly Model[], evaluate: (group: Model[], warmupAsPeak: boolean) => Float64Array[]): Float64Array[] {
  const out = new Array<Float64Array>(models.length);
  for (const asPeak of [false, true]) {
    const index = models.map((m, i) => (Boolean(m.settings.warmupAsPeak) === asPeak ? i : -1)).filter((i) => i >= 0);
    if (index.length === 0) continue;
    evaluate(index.map((i) => models[i]), asPeak).forEach((values, k) => (out[index[k]] = values));
  }
  return out;
}

/** The momentum law as a model-layer Law. */
export const momentumLaw: Law = {
  name: 'momentum',
  jsonName: 'momentum-law',
  title: 'momentum law',
  formula: 'L(s) = L0 + A·S1(s)^(−α) − C·S2(s)',
  source: 'Tissue, Wang & Wang, "Scaling Law with Learning Rate Annealing", arXiv 2408.11029',
  params: MOMENTUM_PARAMS,
  lossAt: (model: Model, profile, steps) => momentumLossAt(model.params as unknown as MomentumParams, profile, steps, model.settings.warmupAsPeak),
  lossAtMany: (models, profile, steps) => byWarmup(models, (group, warmupAsPeak) => momentumLossAtMany(group.map((m) => m.params as unknown as MomentumParams), profile, steps, warmupAsPeak)),
  fit: (runs, options) => fitMomentum(runs, options, MOMENTUM_PARAMS),
  refitter: momentumRefitter,
  refitterFromState: (state) => momentumRefitterFromState(state as MomentumRefitState),
  blockObjective: (model, plan) => momentumBlockObjective(model.params as unknown as MomentumParams, model.settings, plan),
  settingsJson: (settings) => ({ warmupAsPeak: Boolean(settings.warmupAsPeak) }),
  describeFit: (fit) => `λ ${fit.fitLambda ? 'fitted' : 'fixed'}, warmup ${fit.model.settings.warmupAsPeak ? 'counted at peak LR' : 'as the real ramp'}`,
  ignoredOptions: (options) => [...(options.mplWarmup !== undefined ? ['--mpl-warmup'] : []), ...(options.mplPrior !== undefined ? ['--mpl-prior'] : [])],
};
