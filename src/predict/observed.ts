/** The observed points of a run that predictions are judged on: the points of the fit window (default: after warmup). */
import type { Run } from '../core/run.js';
import { movingAverage } from '../fit/metrics.js';
import { type PointWindow, selectPoints } from '../fit/points.js';

/** The steps a run is scored on: the same rule as the points a fit uses (from `fromStep`, default the end of warmup, to `toStep`). */
export type ScoreWindow = PointWindow;

/**
 * Steps and loss of `run` within the window; with `smooth` > 1 the loss is a centred moving
 * average over those points only (the warmup's high loss does not bleed in).
 */
export function observedInWindow(run: Run, smooth = 1, window: ScoreWindow = {}): { steps: number[]; observed: number[]; from: number; to: number } {
  const selected = selectPoints(run, window);
  const steps = Array.from(selected.steps);
  const raw = Array.from(selected.loss);
  return { steps, observed: smooth > 1 ? movingAverage(raw, smooth) : raw, from: Math.max(1, selected.fromStep), to: selected.toStep };
}
