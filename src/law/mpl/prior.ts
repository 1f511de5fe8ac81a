/**
 * The optional regulariser on the Multi-Power Law's loss-drop shape (--mpl-prior): a pull of
 * (C, β, γ) towards the reference code's start (1, 0.5, 0.5), as three extra residual rows.
 */
import { THETA } from './objective.js';

/**
 * A regulariser on the loss-drop shape: w·Σweights·[(log C − 0)² + (β − 0.5)² + (γ − 0.5)²]/2
 * in natural units, pulling towards the reference code's start (C = 1, β = 0.5, γ = 0.5). Its
 * weight is per unit of point weight, so it means the same on a subsample and on every point.
 * Three train runs identify C, β and γ only weakly (docs/accuracy.md): unregularised, the fit
 * finds shapes that trace the train runs and predict the others worse.
 */
export interface DropPrior {
  weight: number;
  /** log of the fit's reference LR (θ's log C' = log C + (1 − γ)·log η_ref). */
  logRef: number;
}

/**
 * The default weight: none. Leave-one-run-out inside the public train runs would pick 3e-5 for
 * curve MAE, but any weight that helps pins C, β, γ at the centre, and then the bootstrap no
 * longer sees how unsure the shape is: cooldown shapes the data cannot tell apart stop being ties
 * (docs/accuracy.md). So it is an option (--mpl-prior), with a warning when used.
 */
export const DEFAULT_DROP_PRIOR = 0;

/** A regulariser weight as a user would type it (3e-5, not 0.00003). */
export function formatWeight(w: number): string {
  return w > 0 && w < 1e-3 ? w.toExponential() : String(w);
}

/** The regulariser of a fit with weight `weight` (none at 0) whose reference LR is `lrRef`. */
export function dropPriorAt(weight: number | undefined, lrRef: number): DropPrior | undefined {
  return weight ? { weight, logRef: Math.log(lrRef) } : undefined;
}

/** The prior's centre in natural units: log C, β, γ. */
const PRIOR_CENTRE = { logC: 0, beta: 0.5, gamma: 0.5 };

/** The prior's residual rows √(w·Σweights)·(value − centre) and their ∂/∂θ (rows: log C, β, γ). */
export function priorRows(theta: readonly number[], prior: DropPrior, totalWeight: number): { rows: number[]; jac: [number, number][][] } {
  const root = Math.sqrt(prior.weight * totalWeight);
  const logC = theta[THETA.logC] - (1 - theta[THETA.gamma]) * prior.logRef;
  return {
    rows: [root * (logC - PRIOR_CENTRE.logC), root * (theta[THETA.beta] - PRIOR_CENTRE.beta), root * (theta[THETA.gamma] - PRIOR_CENTRE.gamma)],
    jac: [
      [
        [THETA.logC, root],
        [THETA.gamma, root * prior.logRef],
      ],
      [[THETA.beta, root]],
      [[THETA.gamma, root]],
    ],
  };
}
