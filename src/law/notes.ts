/** Notes every law's fit may attach: a subsampled fit, a poor fit. */
import type { Metrics } from '../fit/metrics.js';
import { type Warning, warning } from '../warnings.js';

/** Below this R² on its own points a fit is flagged as poor (a 'poor-fit' note). */
export const POOR_FIT_R2 = 0.9;

/** The note for a fit made on every `stride`-th point of `total`. */
export function subsampleNote(total: number, stride: number): Warning {
  return warning('subsampled', `${total.toLocaleString('en-US')} points: fitted on every ${stride}th point of each run (and its last); the metrics use every point`);
}

/** A 'poor-fit' note when the law describes its own points badly, else null. */
export function poorFitNote(metrics: Metrics): Warning | null {
  if (!(metrics.r2 < POOR_FIT_R2)) return null;
  return warning('poor-fit', `the law describes these points poorly (R² ${metrics.r2.toFixed(3)}): it is made for pre-training loss against the LR schedule; fine-tuning curves, a wrong schedule or noisy per-step loss (try the eval loss or --from-step) break it`);
}
