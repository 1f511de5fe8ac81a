/**
 * The stacked mixture (`--model auto`, the default): a weighted average of the momentum law and
 * the Multi-Power Law, the weight chosen by how well each predicts held-out parts of the user's
 * own runs. The two laws err in opposite directions on cooldown length on public runs, which an
 * average can use; docs/accuracy.md has the evidence.
 */
import type { BlockObjective, Law, MemberName } from '../types.js';
import { fitMixture, type MixtureRefitState, mixtureRefitter, mixtureRefitterFromState } from './fit.js';
import { combine, MEMBERS, memberModel, memberWeights, MIXTURE_PARAMS } from './members.js';

function percent(w: number): string {
  return `${Math.round(100 * w)} %`;
}

/** The stacked mixture as a model-layer Law. */
export const mixtureLaw: Law = {
  name: 'auto',
  jsonName: 'stacked-mixture',
  title: 'stacked mixture of the momentum law and the Multi-Power Law',
  formula: 'L(s) = w·L_momentum(s) + (1 − w)·L_MPL(s), w chosen on held-out folds of the fitted runs',
  source: 'stacking (Breiman 1996; Yao, Vehtari, Simpson & Gelman 2018) of the momentum law (arXiv 2408.11029) and the Multi-Power Law (arXiv 2503.12811)',
  params: MIXTURE_PARAMS,
  lossAt(model, profile, steps) {
    const weights = memberWeights(model);
    return combine(weights, MEMBERS.map((law, i) => (weights[i] === 0 ? undefined : law.lossAt(memberModel(model, i), profile, steps))), steps.length);
  },
  lossAtMany(models, profile, steps) {
    const perMember = MEMBERS.map((law, i) => law.lossAtMany(models.map((m) => memberModel(m, i)), profile, steps));
    return models.map((m, j) => combine(memberWeights(m), perMember.map((values) => values[j]), steps.length));
  },
  fit: fitMixture,
  refitter: mixtureRefitter,
  refitterFromState: (state) => mixtureRefitterFromState(state as MixtureRefitState),
  blockObjective(model, plan): BlockObjective {
    const weights = memberWeights(model);
    const objectives = MEMBERS.map((law, i) => law.blockObjective(memberModel(model, i), plan));
    return (lrs, gradient) => {
      let total = 0;
      const part = gradient ? new Float64Array(gradient.length) : undefined;
      gradient?.fill(0);
      objectives.forEach((f, i) => {
        if (weights[i] === 0) return;
        total += weights[i] * f(lrs, part);
        if (gradient && part) for (let k = 0; k < gradient.length; k++) gradient[k] += weights[i] * part[k];
      });
      return total;
    };
  },
  settingsJson: (settings) => ({
    ...MEMBERS.reduce((all, law) => ({ ...all, ...law.settingsJson(settings) }), {}),
    stacking: (settings.stacking ?? []).map((f) => ({ kind: f.kind, label: f.label, points: f.points, errors: Object.fromEntries(MEMBERS.map((law, i) => [law.name, f.errors[i]])), cross: f.cross, spread: f.spread })),
  }),
  describeFit(fit) {
    const folds = fit.model.settings.stacking ?? [];
    const [w] = memberWeights(fit.model);
    const evidence = folds.length === 0 ? 'no held-out fold: equal weights' : `weights from ${folds.length} held-out fold${folds.length > 1 ? 's' : ''} of the fitted runs`;
    const members = (fit.members ?? []).map((m, i) => `${MEMBERS[i].name as MemberName}: ${MEMBERS[i].describeFit(m)}`).join('; ');
    return `${percent(w)} momentum law, ${percent(1 - w)} Multi-Power Law (${evidence}); ${members}`;
  },
  ignoredOptions: () => [],
};
