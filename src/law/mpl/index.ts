/** The Multi-Power Law (Luo et al., ICLR 2025, arXiv 2503.12811) behind the model-layer interface. */
import { DEFAULT_LAMBDA } from '../momentum/law.js';
import { AT_BOUND, NON_NEGATIVE, POSITIVE } from '../bounds.js';
import type { Law, Model, ParamSpec } from '../types.js';
import { fitMpl, formatWeight, mplRefitter, mplRefitterFromState, type MplRefitState, THETA_LOWER, THETA_UPPER } from './fit.js';
import { mplBlockObjective } from './blocks.js';
import { BOOTSTRAP_TOLERANCE, DEFAULT_MPL_WARMUP, mplLossAt, mplLossAtMany, type MplParams } from './law.js';
import { THETA } from './objective.js';

const COOLDOWNS = 'the runs do not pin down how the loss answers an LR drop, so rankings of cooldowns from this fit are unreliable; fit on a run with a real cooldown (WSD) besides cosine and constant';

/** The Multi-Power Law's parameters, with the ranges the fitter searches (C's range lives on C·η_peak^(1−γ)). */
export const MPL_PARAMS: readonly ParamSpec[] = [
  { name: 'L0', domain: NON_NEGATIVE, symbol: 'L0', meaning: 'irreducible loss', lower: THETA_LOWER[THETA.L0], upper: THETA_UPPER[THETA.L0], atLower: AT_BOUND.floor },
  { name: 'A', domain: NON_NEGATIVE, symbol: 'A', meaning: 'scale of the power law in the whole LR area (warmup included)', lower: THETA_LOWER[THETA.A], upper: THETA_UPPER[THETA.A], atLower: AT_BOUND.noFall('LR area') },
  { name: 'alpha', domain: POSITIVE, symbol: 'α', meaning: 'exponent of the power law', lower: THETA_LOWER[THETA.alpha], upper: THETA_UPPER[THETA.alpha], atLower: AT_BOUND.weakPower('LR area'), atUpper: AT_BOUND.steepPower('LR area'), typical: AT_BOUND.alphaTypical },
  { name: 'B', domain: NON_NEGATIVE, symbol: 'B', meaning: 'loss drop per unit of LR drop, once fully felt', lower: THETA_LOWER[THETA.B], upper: THETA_UPPER[THETA.B], atLower: AT_BOUND.noAnnealing },
  { name: 'C', domain: POSITIVE, symbol: 'C', meaning: 'how fast a drop is felt, per unit of LR area after it (scaled by η^(−γ))', lower: 0, upper: Infinity, atLower: COOLDOWNS, atUpper: COOLDOWNS },
  { name: 'beta', domain: POSITIVE, symbol: 'β', meaning: 'exponent of the saturation G(x) = 1 − (C·x + 1)^(−β)', lower: THETA_LOWER[THETA.beta], upper: THETA_UPPER[THETA.beta], atLower: COOLDOWNS, atUpper: COOLDOWNS },
  { name: 'gamma', domain: NON_NEGATIVE, symbol: 'γ', meaning: 'how the response to a drop scales with the LR after it (η^(−γ))', lower: THETA_LOWER[THETA.gamma], upper: THETA_UPPER[THETA.gamma], atLower: COOLDOWNS, atUpper: COOLDOWNS },
];

/** The Multi-Power Law as a model-layer Law. */
export const mplLaw: Law = {
  name: 'mpl',
  jsonName: 'multi-power-law',
  title: 'Multi-Power Law',
  formula: 'L(s) = L0 + A·(S1(s) + S_W)^(−α) − B·Σ_k (η_{k−1} − η_k)·(1 − (C·η_k^(−γ)·S_k(s) + 1)^(−β))',
  source: 'Luo et al., "A Multi-Power Law for Loss Curve Prediction Across Learning Rate Schedules", ICLR 2025, arXiv 2503.12811',
  params: MPL_PARAMS,
  lossAt: (model: Model, profile, steps) => mplLossAt(model.params as unknown as MplParams, profile, steps, model.settings.warmup ?? DEFAULT_MPL_WARMUP),
  lossAtMany(models, profile, steps) {
    const out = new Array<Float64Array>(models.length);
    for (const warmup of ['paper', 'released'] as const) {
      const index = models.map((m, i) => ((m.settings.warmup ?? DEFAULT_MPL_WARMUP) === warmup ? i : -1)).filter((i) => i >= 0);
      if (index.length === 0) continue;
      mplLossAtMany(index.map((i) => models[i].params as unknown as MplParams), profile, steps, warmup, BOOTSTRAP_TOLERANCE).forEach((values, k) => (out[index[k]] = values));
    }
    return out;
  },
  fit: (runs, options) => fitMpl(runs, options, MPL_PARAMS),
  refitter: mplRefitter,
  refitterFromState: (state) => mplRefitterFromState(state as MplRefitState),
  blockObjective: (model, plan) => mplBlockObjective(model.params as unknown as MplParams, model.settings.warmup ?? DEFAULT_MPL_WARMUP, plan),
  settingsJson: (settings) => ({ warmup: settings.warmup ?? DEFAULT_MPL_WARMUP, dropPrior: settings.dropPrior ?? 0 }),
  describeFit: (fit) =>
    `warmup ${fit.model.settings.warmup === 'released' ? 'as in the released code (warmup LR rises count)' : 'as in the paper (no loss-drop terms from warmup)'}${fit.model.settings.dropPrior ? `, loss-drop shape regularised (--mpl-prior ${formatWeight(fit.model.settings.dropPrior)})` : ''}${fit.starts && fit.starts.count > 1 ? `, ${fit.starts.agreeing} of ${fit.starts.count} starts reached the best fit` : ''}`,
  ignoredOptions: (options) => [
    ...(options.fitLambda ? ['--fit-lambda'] : []),
    ...(options.lambda !== undefined && options.lambda !== DEFAULT_LAMBDA ? ['--lambda'] : []),
    ...(options.warmupAsPeak ? ['--warmup-as-peak'] : []),
  ],
};
