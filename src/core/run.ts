/**
 * A training log prepared for a law: the loss points of one series and the LR of every
 * optimizer step (as an LrProfile). Made by io/prepare-run.ts, consumed by the laws' fitters
 * and by predictions.
 */
import type { SkipNote } from './curve.js';
import type { LrProfile } from './lr-profile.js';
import type { Warning } from '../warnings.js';

/** Which loss of a log is fitted. */
export type SeriesName = 'train' | 'eval';

/** Where the per-step LR came from. */
export type LrSource = 'schedule' | 'logged' | 'logged-interpolated';

/** A log prepared for the law. */
export interface Run {
  label: string;
  source: string;
  series: SeriesName;
  steps: number[];
  loss: number[];
  /** Points the log holds for this series (more than steps.length when the reader kept an evenly spaced sample). */
  points: number;
  /** LR of optimizer steps 0 … steps[last] − 1 (with its warmup end and peak). */
  lr: LrProfile;
  lrSource: LrSource;
  /** One sentence on how the per-step LR was obtained. */
  lrNote: string;
  /** The schedule spec, when the LR came from one. */
  schedule?: string;
  /** Whether the LR falls below its running maximum at some point (so annealing can be learnt). */
  anneals: boolean;
  warnings: Warning[];
  skipped: SkipNote[];
  /** The step from which the fitted series is NaN or infinite for good (the run diverged). */
  divergedAt?: number;
}
