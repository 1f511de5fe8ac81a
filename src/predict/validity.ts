/**
 * A predicted loss that is not a loss — below zero, infinite or NaN — is never shown as a
 * number. A law extrapolated far enough (a peak LR 100× the fitted one, an LR of 1e308) gives
 * such values; they say the schedule is outside what the fit can predict, and commands refuse
 * them with that reason (exit 4) instead of printing them.
 */
import { EXIT_NO_PREDICTION, LosscastError } from '../errors.js';

/** Why `loss` is not a loss ("negative", "infinite", "not a number"), or undefined when it is one. */
export function notALoss(loss: number): string | undefined {
  if (Number.isNaN(loss)) return 'not a number';
  if (!Number.isFinite(loss)) return 'infinite';
  if (loss < 0) return `negative (${loss.toPrecision(4)})`;
  return undefined;
}

/** The first of `values` (at `steps`) that is not a loss, with its step, or undefined. */
export function firstNonLoss(values: ArrayLike<number>, steps: ArrayLike<number>): { step: number; value: number; why: string } | undefined {
  for (let i = 0; i < values.length; i++) {
    const why = notALoss(values[i]);
    if (why) return { step: steps[i], value: values[i], why };
  }
  return undefined;
}

/** The sentence saying a schedule cannot be predicted: what the law gives, where, and why that is a refusal. */
export function unpredictableReason(found: { step: number; why: string }, context = ''): string {
  return `the law's loss at step ${found.step.toLocaleString('en-US')} is ${found.why}: this schedule is outside what the fit can extrapolate${context ? ` (${context})` : ''}`;
}

/** The error (exit 4) for a schedule whose prediction is not a loss. */
export function unpredictableError(what: string, reason: string): LosscastError {
  return new LosscastError(`${what}: ${reason}; predict only schedules near the fitted runs (same peak LR, similar length)`, EXIT_NO_PREDICTION);
}
