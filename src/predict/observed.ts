/** The observed points of a run that predictions are judged on: every logged point after warmup. */
import { movingAverage } from '../fit/metrics.js';
import type { Run } from '../fit/run.js';

/**
 * Steps and loss of `run` from the end of its warmup on; with `smooth` > 1 the loss is a
 * centred moving average over those points only (the warmup's high loss does not bleed in).
 */
export function observedAfterWarmup(run: Run, smooth = 1): { steps: number[]; observed: number[] } {
  const from = Math.max(1, run.warmupEnd);
  const steps: number[] = [];
  const raw: number[] = [];
  run.steps.forEach((s, i) => {
    if (s >= from) {
      steps.push(s);
      raw.push(run.loss[i]);
    }
  });
  return { steps, observed: smooth > 1 ? movingAverage(raw, smooth) : raw };
}
