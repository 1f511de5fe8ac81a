/**
 * The law's own error: how far a law's prediction for a schedule it never saw lies from the real
 * run, beyond what its parameters' uncertainty explains. A bootstrap of the fit cannot see it (it
 * assumes the law is right); on public runs it is the larger part of the error (../../docs/accuracy.md).
 *
 * The model, learned on the public Multi-Power Law runs (25M/100M/400M, fits on 2 and 3 runs, every
 * other run predicted; `npm run bench:accuracy -- --calibrate` reproduces the numbers) and validated
 * on the 124M sweep it never saw:
 * - size: a standard deviation of `relative` × the predicted loss for a schedule unlike every
 *   fitted run, shrinking to 0 for one the fit has seen (distance.ts: nothing left to extrapolate),
 *   and growing with the log of the length beyond the lengths the calibration covered (3× the
 *   longest fitted run: an assumption, not a measurement, said in every such prediction);
 * - correlation between two candidates: a part all candidates share (`shared`: a fit that
 *   overshoots overshoots everywhere), a part that decays with the distance between their schedules
 *   (`kernel`, length scale `scale`), the rest their own.
 * Learned on the public runs only; the 124M sweep that validates it is not used to set anything.
 */
import { momentumAreas } from '../law/momentum/areas.js';
import { DEFAULT_LAMBDA } from '../law/momentum/law.js';
import { type LrProfile, makeProfile } from '../core/lr-profile.js';
import type { ModelName } from '../law/types.js';

/** One law's error model. */
export interface LawErrorModel {
  /** Standard deviation of the law's error, as a share of the predicted loss, for an unseen schedule. */
  relative: number;
  /** Share of the error variance every candidate has in common. */
  shared: number;
  /** Share that decays with the distance between two schedules. */
  kernel: number;
  /** Distance over which that share decays (exp(−d²/2·scale²)). */
  scale: number;
}

/**
 * The error model of each law, learned on the public runs: each law's size by split-conformal
 * calibration (the 90 % Gaussian interval holds 90 % of the public held-out residuals, scaled as
 * above), the correlation structure the maximum-likelihood one of the mixture on a grid (shared
 * 0.2, kernel 0.4 with scale 0.3, own 0.4); to 2 digits (`npm run bench:accuracy --
 * --calibrate-only` prints them, with the maximum-likelihood sizes, which were tried first).
 */
export const LAW_ERROR: Record<ModelName, LawErrorModel> = {
  auto: { relative: 0.0031, shared: 0.2, kernel: 0.4, scale: 0.3 },
  momentum: { relative: 0.0029, shared: 0.2, kernel: 0.4, scale: 0.3 },
  mpl: { relative: 0.0061, shared: 0.2, kernel: 0.4, scale: 0.3 },
};

/**
 * A forecast's error per unit of the run it has not seen: a standard deviation of FORECAST_ERROR ×
 * the predicted loss × (s − t)/s at step s of a run logged up to step t. Split-conformal on the
 * public MPL runs: every annealing run cut at 30, 50, 70 and 85 % of its logged steps (where the cut
 * part already decays), fitted by the default law, its last point forecast (48 forecasts; 90 % of
 * them within 1.645 × this). Forecasts from a prefix miss by far more than predictions from whole
 * runs: a cooldown half seen, or a cosine a third in, is extrapolated in shape as well as in time.
 */
export const FORECAST_ERROR = 0.052;

/** The forecast error's standard deviation at step `step` of a run logged up to `loggedTo` (0 up to the log's end). */
export function forecastErrorScale(predicted: number, step: number, loggedTo: number): number {
  return step > loggedTo ? FORECAST_ERROR * Math.abs(predicted) * ((step - loggedTo) / step) : 0;
}

/** A schedule within this distance of a fitted run is partly seen: its law error shrinks in proportion. */
export const SEEN_DISTANCE = 0.05;

/** The calibration predicted runs up to this many times longer than the longest fitted run. */
export const CALIBRATED_LENGTH_RATIO = 3;

/** How much the law error grows for a schedule `ratio` times longer than the longest fitted run (1 within the calibrated range). */
export function horizonFactor(ratio: number): number {
  return Number.isFinite(ratio) ? 1 + Math.max(0, Math.log(ratio / CALIBRATED_LENGTH_RATIO)) : 1;
}

/**
 * Standard deviation of the law's error on a predicted loss, for a schedule at `distance` from the
 * nearest fitted run and `ratio` times the longest fitted length.
 */
export function lawErrorScale(model: ModelName, predicted: number, distance: number, ratio: number): number {
  return LAW_ERROR[model].relative * lawErrorUnit(predicted, distance, ratio);
}

/** The law error's scale before its size: |predicted| × how unseen the schedule is × the horizon factor (what calibration divides residuals by). */
export function lawErrorUnit(predicted: number, distance: number, ratio: number): number {
  return Math.abs(predicted) * Math.min(1, distance / SEEN_DISTANCE) * horizonFactor(ratio);
}

/** Correlation of the law's errors on two different schedules at `distance` from each other. */
export function errorCorrelation(model: ModelName, distance: number): number {
  const m = LAW_ERROR[model];
  return m.shared + m.kernel * Math.exp(-(distance * distance) / (2 * m.scale * m.scale));
}

/** What a schedule's LR decay gains, per unit of the momentum law's annealing area ΔS2 and of the peak LR: C·η_peak, as a range. */
export interface AnnealPrior {
  lo: number;
  hi: number;
  /** Where the range comes from, for people. */
  source: string;
}

/**
 * The annealing gain of a fit whose runs never anneal (so the law's annealing term is unknown):
 * the momentum law's C·η_peak between 0 and 4e-4, weakly informative — public fits give 1.2e-4 to
 * 1.7e-4 (25M–400M, peak 3e-4) and 2.5e-4 (124M, peak 2e-3). `--prior FILE` replaces it with the
 * range of earlier fits.
 */
export const DEFAULT_ANNEAL_PRIOR: AnnealPrior = { lo: 0, hi: 4e-4, source: 'the range public fits allow (C·η_peak from 0 to 4e-4)' };

/** The same schedule held at its peak after the warmup: what it would be without any decay. */
export function withoutDecay(profile: LrProfile): LrProfile {
  const w = Math.min(profile.warmupEnd, profile.length);
  const warmup = profile.segments.filter((s) => s.from < w).map((s) => (s.to <= w ? s : { ...s, to: w }));
  return makeProfile([...warmup, { from: w, to: profile.length, lr: profile.peak }], { peak: profile.peak, warmupEnd: profile.warmupEnd });
}

/**
 * The momentum law's annealing area a schedule's decay adds at each step, against the same
 * schedule without its decay (ΔS2 ≥ 0), at λ = 0.999: a law fitted on runs that never decay
 * predicts the schedule as if it had no decay, so its gain is C·ΔS2 on top (L0 absorbed the rest).
 */
export function decayArea(profile: LrProfile, steps: ArrayLike<number>): Float64Array {
  const { s2 } = momentumAreas(profile, steps, DEFAULT_LAMBDA);
  const { s2: flat } = momentumAreas(withoutDecay(profile), steps, DEFAULT_LAMBDA);
  return Float64Array.from(s2, (v, i) => Math.max(0, v - flat[i]));
}

/** The range of the annealing gain at each step of a schedule under a prior on C·η_peak. */
export function annealGainRange(profile: LrProfile, steps: ArrayLike<number>, prior: AnnealPrior): { lo: Float64Array; hi: Float64Array } {
  const area = decayArea(profile, steps);
  const perPeak = profile.peak > 0 ? 1 / profile.peak : 0;
  return { lo: area.map((a) => prior.lo * perPeak * a), hi: area.map((a) => prior.hi * perPeak * a) };
}
