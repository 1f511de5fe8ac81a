/**
 * The model layer: one interface every law implements (the momentum law, the Multi-Power
 * Law, …): its name, its parameters with bounds and meanings, its loss along an LR profile at
 * chosen steps, and its fitter. Everything above this layer (predict, compare, evaluate,
 * check, render, the CLI) talks to a law only through it.
 */
import type { LrProfile } from '../core/lr-profile.js';
import type { Run } from '../core/run.js';
import type { Metrics } from '../fit/metrics.js';
import type { Weighting } from '../fit/points.js';
import type { Resample } from '../fit/resample.js';
import type { Warning } from '../warnings.js';
import type { FoldScore } from './mixture/stacking.js';

/** The laws losscast knows, by their CLI name (`--model`): two single laws and their stacked mixture. */
export type ModelName = 'momentum' | 'mpl' | 'auto';

/** The single laws (what a mixture is made of). */
export type MemberName = Exclude<ModelName, 'auto'>;

/** Parameter values by name (each law documents its names in `params`). */
export type Params = Readonly<Record<string, number>>;

/** How the Multi-Power Law treats warmup (see law/mpl). */
export type MplWarmup = 'released' | 'paper';

/** One parameter of a law. */
export interface ParamSpec {
  /** Key in Params and in JSON. */
  name: string;
  /** How it is printed (α, β, …). */
  symbol: string;
  meaning: string;
  /** The range the fitter searches. A fit that ends on a bound gets a `param-at-bound` warning. */
  lower: number;
  upper: number;
  /** What a fit that ends at the lower / upper bound means for predictions. */
  atLower?: string;
  atUpper?: string;
  /** Where the parameter lies for LM pre-training curves; outside it a fit gets a `param-atypical` warning. */
  typical?: { lower: number; upper: number; meaning: string };
  /** The values for which the law is defined (a params file outside them is refused). */
  domain: { min: number; max: number; openMin?: boolean; openMax?: boolean };
}

/** Settings that change how a law is evaluated: saved with its parameters. */
export interface LawSettings {
  /** Momentum law: warmup steps count at the peak LR (the authors' variant) instead of the real ramp. */
  warmupAsPeak?: boolean;
  /** Multi-Power Law: which warmup convention (see law/mpl/law.ts). */
  warmup?: MplWarmup;
  /** Multi-Power Law: weight of the regulariser on the loss-drop shape the fit used (0: none). */
  dropPrior?: number;
  /** Stacked mixture: each held-out fold's scores, from which the weight (and its uncertainty) is computed. */
  stacking?: readonly FoldScore[];
}

/** A law with its parameters and settings: what a prediction needs. */
export interface Model {
  law: ModelName;
  params: Params;
  settings: LawSettings;
}

/** Options of a fit (each law reads the ones that concern it). */
export interface FitOptions {
  /** Momentum law: decay λ (ignored with fitLambda). */
  lambda?: number;
  /** Momentum law: fit λ too. */
  fitLambda?: boolean;
  /** Momentum law: count warmup at the peak LR. */
  warmupAsPeak?: boolean;
  /** Multi-Power Law: warmup convention (default 'paper'). */
  mplWarmup?: MplWarmup;
  /** Multi-Power Law: weight of the regulariser pulling the loss-drop shape (C, β, γ) to the reference start (default DEFAULT_DROP_PRIOR; 0: none). */
  mplPrior?: number;
  /** Use only points at or after this step (default: the end of each run's warmup). */
  fromStep?: number;
  /** Use only points at or before this step. */
  toStep?: number;
  /** Huber δ. */
  delta?: number;
  /** How the runs of a joint fit are weighted (default 'runs': every run the same). */
  weighting?: Weighting;
}

/** A parameter that ended at a bound of its search range. */
export interface ParamAtBound {
  name: string;
  value: number;
  bound: 'lower' | 'upper';
  limit: number;
}

/** Per-run part of a fit. */
export interface RunFit {
  label: string;
  source: string;
  series: Run['series'];
  lrSource: Run['lrSource'];
  lrNote: string;
  schedule?: string;
  /** Points available in the log. */
  points: number;
  /** Points losscast kept of them: fewer than `points` when a very long log was thinned to bound memory. */
  kept: number;
  /** Points used by the fit (the kept points inside the fit window). */
  used: number;
  /** First step of the run at its peak LR (where its warmup ended). */
  warmupEnd: number;
  /** The fit window asked for. */
  fromStep: number;
  toStep: number;
  /** Where the logged points lie (first and last logged step). */
  firstLogged: number;
  lastLogged: number;
  metrics: Metrics;
  /** Rows or cells of the log that were skipped, and why. */
  skipped: Run['skipped'];
  steps: Float64Array;
  observed: Float64Array;
  fitted: Float64Array;
}

/** The result of fitting a law. */
export interface FitResult {
  model: Model;
  /** The minimised objective Σ wᵢ·Huber(log yᵢ − log pᵢ). */
  objective: number;
  /** Quality over all fitted points of all runs. */
  metrics: Metrics;
  runs: RunFit[];
  /** Parameters held fixed because the runs cannot identify them (e.g. C when no run anneals). */
  held: string[];
  /** Parameters that ended at a bound of their range. */
  atBound: ParamAtBound[];
  /** Momentum law: λ was fitted. */
  fitLambda: boolean;
  delta: number;
  weighting: Weighting;
  /** Multi-start fits: how many starts were run, and how many reached the best objective. */
  starts?: { count: number; agreeing: number };
  /** Things the user should know about the fit. */
  notes: Warning[];
  /** Stacked mixture: the fit of each member law, in member order. */
  members?: FitResult[];
}

/** Warm-started refits of a law on resamples of the points a fit used (the bootstrap). */
export interface Refitter {
  /** Number of points of each run a resample draws from. */
  sizes: number[];
  /** Runs whose LR anneals within the fit's window: a resample needs one of them to identify what the fit identified. */
  needed: boolean[];
  /** The model refitted on one resample (multiplicities per point), starting from the fit. */
  refit(resample: Resample): Model;
  /** Parameters a refit searches over a narrower range than their bounds (e.g. a grid of λ around the fit's). */
  searchRange?: Record<string, readonly [number, number]>;
  /** Everything the refits need as plain data: Law.refitterFromState(state) rebuilds the same refitter, e.g. in a worker thread. */
  state: RefitState;
}

/** A refitter's data, structured-cloneable (numbers, typed arrays, plain objects), naming its law. */
export interface RefitState {
  law: ModelName;
}

/**
 * A schedule the optimiser varies: a linear warmup from 0 to `peak` over `warmup` steps
 * (η(t) = peak·t/warmup, as every schedule spec warms up), then constant blocks of the given
 * lengths, ending at step warmup + Σ lengths.
 */
export interface BlockPlan {
  peak: number;
  warmup: number;
  lengths: readonly number[];
  /**
   * First step counted at the peak (default `warmup`): a per-step LR file puts it where the ramp
   * first reaches 99.9 % of the peak, a step or two earlier, and the laws' warmup conventions
   * follow it.
   */
  warmupEnd?: number;
}

/**
 * The law's final loss for block LRs `lrs` (one per block of a BlockPlan); with `gradient`, also
 * fills ∂loss/∂lr of every block. Exact (no merging), so it agrees with lossAt on the same
 * per-step LRs to rounding.
 */
export type BlockObjective = (lrs: ArrayLike<number>, gradient?: Float64Array) => number;

/** A law: what it is, how it predicts, how it is fitted. */
export interface Law {
  name: ModelName;
  /** Its name in JSON documents (`model`). */
  jsonName: string;
  /** For people, e.g. "momentum law". */
  title: string;
  /** The formula in one line. */
  formula: string;
  /** Where it comes from. */
  source: string;
  params: readonly ParamSpec[];
  /** Predicted loss after each of the sorted `steps` (1 ≤ s ≤ profile.length) of a run with LR `profile`. */
  lossAt(model: Model, profile: LrProfile, steps: ArrayLike<number>): Float64Array;
  /** The same for many models of this law at once (a bootstrap), sharing the pass over the profile; may trade a little precision (≪ any interval) for speed. */
  lossAtMany(models: readonly Model[], profile: LrProfile, steps: ArrayLike<number>): Float64Array[];
  /** Fits the law to one or several runs jointly. */
  fit(runs: readonly Run[], options: FitOptions): FitResult;
  /** The settings that change how this law predicts, as saved with its parameters. */
  settingsJson(settings: LawSettings): Record<string, unknown>;
  /** How a fit of this law was set up, in a few words (for reports). */
  describeFit(fit: FitResult): string;
  /** The options of `options` that this law ignores (given for the other law), by their flag. */
  ignoredOptions(options: FitOptions): string[];
  /**
   * Prepares warm-started refits on resamples of the points `fit` used (for the bootstrap):
   * everything that does not depend on the resample is computed once.
   */
  refitter(runs: readonly Run[], options: FitOptions, fit: FitResult): Refitter;
  /** The refitter a Refitter.state describes (the same refits, anywhere the state is sent). */
  refitterFromState(state: RefitState): Refitter;
  /** The final loss of block schedules of one plan, with its analytic gradient (for the optimiser). */
  blockObjective(model: Model, plan: BlockPlan): BlockObjective;
}
