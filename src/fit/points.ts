/**
 * Which points of a run a fit uses, and how the runs of a joint fit are weighted. Shared by
 * every law's fitter.
 */
import { forwardAreaAt, profileAnneals } from '../core/lr-profile.js';
import type { Run } from '../core/run.js';
import { dataError } from '../errors.js';

/** How the points of a joint fit are weighted. */
export type Weighting = 'runs' | 'points';

/** The window of steps a fit uses. */
export interface PointWindow {
  /** Use only points at or after this step (default: the end of the run's warmup). */
  fromStep?: number;
  /** Use only points at or before this step. */
  toStep?: number;
}

/** The points of one run a fit uses. */
export interface SelectedPoints {
  run: Run;
  /** Indices into run.steps. */
  indices: Int32Array;
  /** Their steps (sorted). */
  steps: Float64Array;
  /** Their observed loss. */
  loss: Float64Array;
  /** Forward area S1 (Σ of the real LR before each step), > 0 at every kept point. */
  area: Float64Array;
  /** The window start that applied. */
  fromStep: number;
  toStep: number;
  /** Whether the LR anneals before the last used point (so the annealing part of a law can be learnt from these points). */
  anneals: boolean;
}

/** Fewest points a run must contribute to a fit. */
export const MIN_RUN_POINTS = 5;

/** The points of `run` within the window (default: from the end of warmup), step ≥ 1, forward area > 0. */
export function selectPoints(run: Run, window: PointWindow = {}): SelectedPoints {
  const from = window.fromStep ?? run.lr.warmupEnd;
  const to = window.toStep ?? Infinity;
  const n = run.steps.length;
  const candidates = new Int32Array(n);
  const candidateSteps = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const step = run.steps[i];
    if (step >= from && step <= to && step >= 1 && step <= run.lr.length) {
      candidates[m] = i;
      candidateSteps[m++] = step;
    }
  }
  const areas = forwardAreaAt(run.lr, candidateSteps.subarray(0, m));
  let k = 0;
  const indices = new Int32Array(m);
  const steps = new Float64Array(m);
  const loss = new Float64Array(m);
  const area = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    if (!(areas[j] > 0)) continue;
    indices[k] = candidates[j];
    steps[k] = candidateSteps[j];
    loss[k] = run.loss[candidates[j]];
    area[k++] = areas[j];
  }
  return {
    run,
    indices: indices.slice(0, k),
    steps: steps.slice(0, k),
    loss: loss.slice(0, k),
    area: area.slice(0, k),
    anneals: k > 0 && profileAnneals(run.lr, steps[k - 1]),
    fromStep: from,
    toStep: Number.isFinite(to) ? to : (run.steps[run.steps.length - 1] ?? 0),
  };
}

/** Selects the points of every run, with a clear error for a run that has too few. */
export function selectAll(runs: readonly Run[], window: PointWindow = {}): SelectedPoints[] {
  if (runs.length === 0) throw dataError('no runs to fit');
  return runs.map((run) => {
    const selected = selectPoints(run, window);
    if (selected.indices.length < MIN_RUN_POINTS) {
      if (run.divergedAt !== undefined) {
        throw dataError(`has only ${selected.indices.length} usable point(s) from step ${selected.fromStep} on (need at least ${MIN_RUN_POINTS}): the run diverged at step ${run.divergedAt} (the loss is NaN or infinite from there on); fit the steps before it with a lower --from-step, or use a run that did not diverge`, run.source);
      }
      throw dataError(`has only ${selected.indices.length} usable point(s) from step ${selected.fromStep} on (need at least ${MIN_RUN_POINTS}); log more points or lower --from-step`, run.source);
    }
    return selected;
  });
}

/**
 * Weight of each point of each run. With 'runs' every run carries the same total weight (the
 * points of a run share count / runs), so a densely logged run does not drown a sparse one and
 * the objective keeps the scale of a plain sum; 'points' weighs every point alike.
 */
export function runWeights(counts: readonly number[], weighting: Weighting): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((n) => (weighting === 'runs' ? total / counts.length / n : 1));
}

/** Indices 0 … length−1 keeping every `stride`-th and the last. */
export function strided(length: number, stride: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < length; k++) if (k % stride === 0 || k === length - 1) out.push(k);
  return out;
}
