/** The observed points of a run that predictions are judged on: every logged point in a window (default: after warmup). */
import type { Run } from '../core/run.js';
import { movingAverage } from '../fit/metrics.js';

/** The steps a run is scored on: from `fromStep` (default: the end of its warmup) to `toStep`. */
export interface ScoreWindow {
  fromStep?: number;
  toStep?: number;
}

/**
 * Steps and loss of `run` within the window; with `smooth` > 1 the loss is a centred moving
 * average over those points only (the warmup's high loss does not bleed in).
 */
export function observedInWindow(run: Run, smooth = 1, window: ScoreWindow = {}): { steps: number[]; observed: number[]; from: number; to: number } {
  const from = Math.max(1, window.fromStep ?? run.lr.warmupEnd);
  const to = window.toStep ?? Infinity;
  const steps: number[] = [];
  const raw: number[] = [];
  run.steps.forEach((s, i) => {
    if (s >= from && s <= to) {
      steps.push(s);
      raw.push(run.loss[i]);
    }
  });
  return { steps, observed: smooth > 1 ? movingAverage(raw, smooth) : raw, from, to: Number.isFinite(to) ? to : (steps[steps.length - 1] ?? from) };
}
