/**
 * What a pilot's log could look like under one joint draw of the current law: the drawn law's
 * curve for the pilot's schedule, off by the draw's deviation at the pilot's end (law error, the
 * unseen annealing gain, seed noise), that deviation growing with the LR area the pilot's decay
 * removes, plus the fit's point-to-point scatter. A branch starts where its run was logged: the
 * drawn law's miss on that run at the checkpoint is carried along the whole branch.
 */
import type { Run } from '../core/run.js';
import { type LrProfile, profileAnneals } from '../core/lr-profile.js';
import type { Model } from '../law/types.js';
import { errorContext, type FittedLaw, lawOf } from '../predict/fitted-law.js';
import { unseenGain } from '../verdict/context.js';
import { decayArea } from '../verdict/law-error.js';
import type { Pilot } from './pilots.js';
import { interpolate } from '../core/interpolate.js';

/** What one simulated log is drawn from. */
export interface LogDraw {
  /** The bootstrap model of the draw. */
  model: Model;
  /** Observed − law at the pilot's last step, in this draw. */
  endDeviation: number;
  /** A branch's start: its run's logged loss at the checkpoint minus the drawn law's (0 for a pilot trained from scratch). */
  startOffset: number;
  /** Standard normal numbers for the per-point scatter (one per point, reused across pilots for paired comparisons). */
  normal: () => number;
}

/** Most points of a simulated pilot log (a pilot of 10⁹ steps logged like the fitted runs would hold millions). */
export const MAX_PILOT_POINTS = 2000;

/** Logged steps of a pilot: every `spacing` steps (wider when that would exceed MAX_PILOT_POINTS) after its branch, or from the first step a fit uses, ending at its last step. */
export function pilotSteps(pilot: Pilot, total: number, spacing: number, fromStep: number): number[] {
  const start = Math.max(pilot.branchFrom?.step ?? 0, fromStep);
  const every = Math.max(spacing, Math.ceil((total - start) / MAX_PILOT_POINTS));
  const steps: number[] = [];
  for (let s = Math.ceil((start + 1) / every) * every; s < total; s += every) steps.push(s);
  steps.push(total);
  return steps;
}

/** The typical spacing of logged points in the fitted runs (median gap), at least 1. */
export function loggingSpacing(runs: readonly Run[]): number {
  const gaps = runs.flatMap((r) => r.steps.slice(1).map((s, i) => s - r.steps[i])).sort((a, b) => a - b);
  return Math.max(1, gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)] : 1);
}

/** How a deviation at the end builds up along the pilot: with the LR area its decay removes, or linearly when it removes none. */
function ramp(profile: LrProfile, steps: readonly number[]): Float64Array {
  const area = decayArea(profile, steps);
  const end = area[area.length - 1];
  if (end > 0) return area.map((a) => a / end);
  const last = steps[steps.length - 1];
  return Float64Array.from(steps, (s) => s / last);
}

/** A run's logged loss at a step (linear between its logged points; its first or last beyond them). */
export function loggedLossAt(run: Run, step: number): number {
  return interpolate(run.steps, run.loss, step) ?? (step < run.steps[0] ? run.loss[0] : run.loss[run.loss.length - 1]);
}

/** Where a branch starts under a drawn model: its run's logged loss at the checkpoint minus the model's prediction there. */
export function branchOffset(law: FittedLaw, model: Model, run: Run, step: number): number {
  const at = Math.min(step, run.lr.length);
  const predicted = lawOf(law).lossAt(model, run.lr, [at])[0] - unseenGain(errorContext(law), run.lr, [at]).shift[0];
  return loggedLossAt(run, at) - predicted;
}

/** A simulated log of a pilot, as a Run a law can be refitted on. */
export function simulatedLog(law: FittedLaw, pilot: Pilot, profile: LrProfile, steps: readonly number[], draw: LogDraw, scatter: number): Run {
  const curve = lawOf(law).lossAt(draw.model, profile, steps);
  const { shift } = unseenGain(errorContext(law), profile, steps);
  const grow = ramp(profile, steps);
  const loss = steps.map((_, i) => curve[i] - shift[i] + draw.startOffset + draw.endDeviation * grow[i] + scatter * draw.normal());
  return {
    label: `${pilot.name} (simulated)`,
    source: `simulated log of pilot "${pilot.name}"`,
    series: 'eval',
    steps: [...steps],
    loss,
    points: steps.length,
    lr: profile,
    lrSource: 'schedule',
    lrNote: `the pilot's schedule ${pilot.schedule}`,
    schedule: pilot.schedule,
    anneals: profileAnneals(profile),
    warnings: [],
    skipped: [],
  };
}
