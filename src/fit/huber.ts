/** The Huber loss used by the fitting objective (both papers: δ = 1e-3 on log-loss residuals). */

/** Default Huber threshold δ. */
export const HUBER_DELTA = 1e-3;

/** Huber loss of one residual: quadratic within ±δ, linear beyond. */
export function huber(residual: number, delta = HUBER_DELTA): number {
  const a = Math.abs(residual);
  return a <= delta ? 0.5 * residual * residual : delta * (a - 0.5 * delta);
}

/** IRLS weight ψ(r)/r of the Huber loss: 1 within ±δ, δ/|r| beyond. */
export function huberWeight(residual: number, delta = HUBER_DELTA): number {
  const a = Math.abs(residual);
  return a <= delta ? 1 : delta / a;
}
