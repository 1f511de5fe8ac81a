/**
 * A fitted law as predict/compare/check use it: the model (law, parameters, settings) plus
 * what is needed to judge a prediction honestly (the peak LRs it was fitted at, its own error,
 * and the fit's warnings about parameters it could not pin down).
 */
import type { Run } from '../core/run.js';
import { lawByName } from '../law/registry.js';
import type { FitResult, Law, Model } from '../law/types.js';
import type { Warning } from '../warnings.js';
import { REPEATED } from './params-file.js';
import type { Uncertainty } from './uncertainty.js';
import { type ErrorContext, unseenGain } from '../verdict/context.js';
import type { AnnealPrior } from '../verdict/law-error.js';
import type { LrProfile } from '../core/lr-profile.js';
import { type ScheduleShape, shapeOf } from '../verdict/distance.js';

/** What predictions need from a fit. */
export interface FittedLaw {
  model: Model;
  /** Peak LR of each fitted run. */
  peakLrs: number[];
  /** Where each fitted run's warmup ended (its first step at the peak LR), when known: the default warmup of optimised schedules. */
  warmups?: number[];
  /** Root-mean-square error of the fit on its own points (loss units). */
  rmse: number;
  /** Warnings of the fit that every prediction from it should repeat (param-at-bound, …). */
  notes: Warning[];
  /** The fit's bootstrap, when it was made: predictions from it come with intervals. */
  uncertainty?: Uncertainty;
  /** Shapes of the fitted runs (how far a schedule lies from them sets the law's own error); absent for params files that predate them. */
  fitted?: ScheduleShape[];
  /** Intervals and P(best) leave the law's own error out (they assume the law is right). */
  withoutLawError?: boolean;
  /** When no fitted run anneals: what a decay gains (--prior); the built-in range otherwise. */
  annealPrior?: AnnealPrior;
  /** A factor on the law's own error measured on the run itself (forecast backtests). */
  lawErrorInflation?: number;
  /** A forecast of a run logged up to this step: its error grows with the part not yet seen. */
  forecastFrom?: number;
}

/** Warning codes that say no fitted run anneals (the law's annealing term is unknown). */
const NO_ANNEAL = new Set(['c-not-identifiable', 'annealing-not-identifiable']);

/** What the law-error model needs to know about a fitted law. */
export function errorContext(law: FittedLaw): ErrorContext {
  return {
    model: law.model.law,
    ...(law.fitted ? { fitted: law.fitted } : {}),
    annealUnknown: law.notes.some((n) => NO_ANNEAL.has(n.code)),
    ...(law.withoutLawError ? { off: true } : {}),
    ...(law.annealPrior ? { annealPrior: law.annealPrior } : {}),
    ...(law.lawErrorInflation ? { inflation: law.lawErrorInflation } : {}),
    ...(law.forecastFrom !== undefined ? { loggedTo: law.forecastFrom } : {}),
  };
}

/**
 * The law's predicted loss at the sorted `steps` of a profile, with the annealing gain a fit
 * without any decay could not see added at the middle of its prior range (verdict/context.ts).
 */
export function predictedLoss(law: FittedLaw, profile: LrProfile, steps: ArrayLike<number>): Float64Array {
  const values = lawOf(law).lossAt(law.model, profile, steps);
  const { shift } = unseenGain(errorContext(law), profile, steps);
  return values.map((v, i) => v - shift[i]);
}

/** The shapes of the runs a fit used (each up to its last logged point inside the fit window). */
export function fittedShapes(fit: FitResult, runs: readonly Run[]): ScheduleShape[] {
  return runs.map((r, i) => shapeOf(r.lr, Math.min(r.lr.length, fit.runs[i]?.toStep ?? Infinity, r.steps[r.steps.length - 1] ?? r.lr.length)));
}

/** A FittedLaw from a fit just made (with its bootstrap, when one was made). */
export function lawFromFit(fit: FitResult, runs: readonly Run[], uncertainty?: Uncertainty, notes: readonly Warning[] = fit.notes): FittedLaw {
  return { model: fit.model, peakLrs: runs.map((r) => r.lr.peak), warmups: runs.map((r) => r.lr.warmupEnd), rmse: fit.metrics.rmse, notes: notes.filter((n) => REPEATED.has(n.code)), ...(uncertainty ? { uncertainty } : {}), fitted: fittedShapes(fit, runs) };
}

/** The Law object of a fitted law. */
export function lawOf(fitted: FittedLaw | Model): Law {
  return lawByName('model' in fitted ? fitted.model.law : fitted.law);
}
