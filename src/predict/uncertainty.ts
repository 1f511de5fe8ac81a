/**
 * How sure a fit is: the law refitted on resamples of its own points (a bootstrap that respects
 * how training logs are correlated: whole runs when there are three or more, contiguous blocks of
 * points within each run), warm-started from the fit, from a fixed seed. Every prediction then
 * comes with an interval: the spread of the refitted laws' predictions (how unsure the law's
 * parameters are), widened in quadrature by how far an observed loss sits from the law — the
 * fit's own residual scatter (RMS) — and by a floor for what no fit can see, the seed-to-seed
 * spread of a training run's loss. The scatter term was chosen by leave-one-run-out inside the
 * public train runs: it brings the held-out point coverage of 90 % intervals from 83 to 95 %
 * (momentum law) and from 75 to 84 % (Multi-Power Law) (docs/accuracy.md).
 */
import type { LrProfile } from '../core/lr-profile.js';
import type { Run } from '../core/run.js';
import { type BlockKind, MIN_RUNS_TO_RESAMPLE, resamples } from '../fit/resample.js';
import { lawByName } from '../law/registry.js';
import type { FitOptions, FitResult, Model, ParamSpec, Refitter } from '../law/types.js';
import { type Warning, warning } from '../warnings.js';
import { firstNonLoss, unpredictableError } from './validity.js';
import { formatLevel } from '../text/level.js';
import type { LawErrorAlong } from '../verdict/context.js';
import { withWeightDraws } from '../verdict/weights.js';

/** Resamples drawn by default: enough for stable 90 % intervals (npm run bench:accuracy shows 200 against 1,000). */
export const DEFAULT_SAMPLES = 200;
/** Default seed of the resamples. */
export const DEFAULT_SEED = 1;
/** Default level of every interval. */
export const DEFAULT_LEVEL = 0.9;
/**
 * Default seed-to-seed spread (standard deviation, nats) of a run's loss: 0.002, from 80 repeated
 * runs of a 124M GPT-2-style model on 0.73B FineWeb tokens (validation-loss SD 0.0019; modded-nanogpt
 * speedrun, records/010425_SoftCap). Larger models spread less (0.0007–0.0009 at ~350M in the same
 * repository); runs without LR annealing spread more.
 */
export const DEFAULT_NOISE_FLOOR = 0.002;

/** Options of the bootstrap and of the intervals drawn from it. */
export interface UncertaintyOptions {
  samples?: number;
  seed?: number;
  /** Coverage of every interval, e.g. 0.9. */
  level?: number;
  /** Seed-to-seed standard deviation of the loss (nats), added to every prediction interval. */
  noiseFloor?: number;
  /** Blocks that wrap around the run's end ('circular', default) or not ('moving': measured, not used). */
  blocks?: BlockKind;
}

/** The settings of a bootstrap, with the fit's scatter. */
type Settings = Required<Omit<UncertaintyOptions, 'blocks'>>;

/** A fit's bootstrap: the refitted models and how they were drawn. */
export interface Uncertainty {
  /** One model per resample. */
  models: Model[];
  samples: number;
  seed: number;
  level: number;
  noiseFloor: number;
  /** The fit's residual RMS (loss units): how far an observed loss point sits from the law. */
  scatter: number;
  /** What was resampled: whole runs and blocks within them, or blocks within each run. */
  method: 'runs+blocks' | 'blocks';
  /** Parameters the refits searched over a narrower range than their bounds (not saved in params files). */
  searchRange?: Record<string, readonly [number, number]>;
}

/** A two-sided interval. */
export interface Interval {
  lo: number;
  hi: number;
}

/** The settings of a bootstrap, with defaults filled in. */
export function uncertaintySettings(options: UncertaintyOptions = {}): Settings {
  return {
    samples: options.samples ?? DEFAULT_SAMPLES,
    seed: options.seed ?? DEFAULT_SEED,
    level: options.level ?? DEFAULT_LEVEL,
    noiseFloor: options.noiseFloor ?? DEFAULT_NOISE_FLOOR,
  };
}

/** Refits the law of `fit` on `samples` resamples of its runs' points, warm-started from the fit; `fitOptions` must be those the fit was made with. */
export function bootstrapFit(runs: readonly Run[], fit: FitResult, fitOptions: FitOptions = {}, options: UncertaintyOptions = {}, onProgress?: (done: number, total: number) => void, refitter: Refitter = lawByName(fit.model.law).refitter(runs, fitOptions, fit)): Uncertainty {
  const settings = uncertaintySettings(options);
  const models = resamples(refitter.sizes, settings.samples, settings.seed, refitter.needed, options.blocks).map((resample, i) => {
    onProgress?.(i + 1, settings.samples);
    return refitter.refit(resample);
  });
  return bootstrapOf(runs, fit, settings, models, refitter);
}

/** The Uncertainty of a fit from its refitted models (in resample order), however they were refitted. */
export function bootstrapOf(runs: readonly Run[], fit: FitResult, settings: Settings, models: Model[], refitter: Refitter): Uncertainty {
  return { models, ...settings, scatter: fit.metrics.rmse, method: runs.length >= MIN_RUNS_TO_RESAMPLE ? 'runs+blocks' : 'blocks', ...(refitter.searchRange ? { searchRange: refitter.searchRange } : {}) };
}

/** The p-quantile (0 ≤ p ≤ 1) of sorted values, linearly interpolated (R's type 7). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The central `level` interval of the values (percentile bootstrap). */
export function percentileInterval(values: ArrayLike<number>, level: number): Interval {
  const sorted = Float64Array.from(values).sort();
  return { lo: quantile(sorted, (1 - level) / 2), hi: quantile(sorted, (1 + level) / 2) };
}

/** The standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * The prediction interval around `center`: the bootstrap's percentile interval of `values`, each
 * side widened in quadrature by z·σ at the same level, σ the spread of an observation around the
 * law (e.g. √(noise floor² + scatter²)).
 */
export function predictionInterval(center: number, values: ArrayLike<number>, level: number, noiseFloor: number): Interval {
  const spread = percentileInterval(values, level);
  const floor = normalQuantile((1 + level) / 2) * noiseFloor;
  const below = Math.max(0, center - spread.lo);
  const above = Math.max(0, spread.hi - center);
  return { lo: center - Math.hypot(below, floor), hi: center + Math.hypot(above, floor) };
}

/** How far one observed loss sits from the law: the noise floor and the fit's scatter, in quadrature. */
export function observationSpread(u: Pick<Uncertainty, 'noiseFloor' | 'scatter'>): number {
  return Math.hypot(u.noiseFloor, u.scatter);
}

/** Each parameter's percentile interval over the bootstrap. */
export function parameterIntervals(u: Uncertainty, specs: readonly ParamSpec[]): Record<string, Interval> {
  const models = withWeightDraws(u.models, u.seed); // a mixture's weight: how unsure the held-out folds leave it
  return Object.fromEntries(specs.map((s) => [s.name, percentileInterval(models.map((m) => m.params[s.name]), u.level)]));
}

/**
 * An `interval-at-bound` warning for every parameter whose interval reaches a bound of its range:
 * the runs cannot rule out that edge, so predictions leaning on it are unsure.
 */
export function intervalAtBoundWarnings(intervals: Record<string, Interval>, specs: readonly ParamSpec[], held: readonly string[], lawTitle: string, level: number): Warning[] {
  const out: Warning[] = [];
  const near = (v: number, limit: number) => Math.abs(v - limit) <= 1e-9 * Math.max(1, Math.abs(limit));
  for (const spec of specs) {
    const i = intervals[spec.name];
    if (!i || held.includes(spec.name)) continue;
    const edge = Number.isFinite(spec.lower) && near(i.lo, spec.lower) ? `lower bound (${Number(spec.lower.toPrecision(4))})` : Number.isFinite(spec.upper) && near(i.hi, spec.upper) ? `upper bound (${Number(spec.upper.toPrecision(4))})` : null;
    if (edge) out.push(warning('interval-at-bound', `${lawTitle}: the ${formatLevel(level)} interval of ${spec.symbol} reaches its ${edge}: the runs do not rule that edge out, so predictions that lean on ${spec.symbol} are unsure`));
  }
  return out;
}

/**
 * The prediction band of `law`'s bootstrap around the curve `center` (its loss at `steps` of a
 * schedule with LR `profile`), at the bootstrap's level and noise floor, widened by the law's own
 * error along the schedule when `error` is given (verdict/context.ts); null without a bootstrap.
 * A mixture's bootstrap draws get their weights redrawn (verdict/weights.ts).
 * Throws (exit 4) when a resampled law gives a value that is not a loss.
 */
export function predictionBand(u: Uncertainty | undefined, profile: LrProfile, steps: ArrayLike<number>, center: ArrayLike<number>, what = 'this schedule', error?: LawErrorAlong): Interval[] | null {
  if (!u || u.models.length === 0) return null;
  const models = withWeightDraws(u.models, u.seed);
  const many = lawByName(models[0].law).lossAtMany(models, profile, steps);
  const bad = many.map((values) => firstNonLoss(values, steps)).filter((f) => f !== undefined);
  if (bad.length > 0) throw unpredictableError(what, `${bad.length} of ${many.length} refitted laws (the bootstrap) give a loss that is ${bad[0]!.why} at step ${bad[0]!.step.toLocaleString('en-US')}, so its interval would not be a range of losses`);
  return Array.from({ length: steps.length }, (_, i) => {
    const spread = error ? Math.hypot(observationSpread(u), error.sigma[i]) : observationSpread(u);
    const shift = error?.shift[i] ?? 0;
    const interval = predictionInterval(
      center[i],
      many.map((values) => values[i] - shift),
      u.level,
      spread,
    );
    return error && error.spread[i] > 0 ? widenByGain(center[i], interval, u.level * error.spread[i]) : interval;
  });
}

/** An interval around `center` widened on each side, in quadrature, by `half` (the central share of an unseen annealing gain's uniform range). */
export function widenByGain(center: number, interval: Interval, half: number): Interval {
  return { lo: center - Math.hypot(center - interval.lo, half), hi: center + Math.hypot(interval.hi - center, half) };
}
