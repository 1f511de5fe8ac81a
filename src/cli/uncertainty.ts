/** The bootstrap options every fitting or predicting command takes, and running it with progress. */
import { type Command, InvalidArgumentError } from 'commander';
import type { Run } from '../core/run.js';
import { lawByName } from '../law/registry.js';
import type { FitOptions, FitResult } from '../law/types.js';
import { bootstrapFitParallel } from '../predict/parallel-bootstrap.js';
import { DEFAULT_NOISE_FLOOR, DEFAULT_SAMPLES, DEFAULT_SEED, intervalAtBoundWarnings, parameterIntervals, type Uncertainty, type UncertaintyOptions } from '../predict/uncertainty.js';
import { type Warning, warning } from '../warnings.js';
import { parseWhole } from './options.js';
import { makeProgress } from './progress.js';

/** Parses a level such as 0.9 or 90%. */
export function parseLevel(text: string): number {
  const t = text.trim();
  const value = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (!(value >= 0.5 && value < 1)) throw new InvalidArgumentError('expected a level between 0.5 and 1, e.g. 0.9 or 90%.');
  return value;
}

/** Parses a noise floor in nats (≥ 0). */
export function parseFloor(text: string): number {
  const value = Number(text);
  if (!(value >= 0) || !Number.isFinite(value)) throw new InvalidArgumentError('expected a loss spread ≥ 0 in nats, e.g. 0.002.');
  return value;
}

/** Parses a seed: a whole number that fits the generator's 32 bits. */
export function parseSeed(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new InvalidArgumentError('expected a whole number from 0 to 4294967295.');
  return value;
}

/** Fewest refits whose intervals are steady from seed to seed; below it a warning says so. */
export const FEW_SAMPLES = 50;

/** Adds --samples, --seed, --level and --noise-floor. */
export function addUncertaintyOptions(cmd: Command): Command {
  return cmd
    .option('--samples <n>', `bootstrap refits behind every interval (0 = no intervals; default ${DEFAULT_SAMPLES})`, parseWhole)
    .option('--seed <n>', `seed of the bootstrap resamples (default ${DEFAULT_SEED}; same seed, same output)`, parseSeed)
    .option('--level <x>', 'coverage of every interval (default 0.9)', parseLevel)
    .option('--noise-floor <nats>', `seed-to-seed spread of a run's loss, added to every prediction interval (default ${DEFAULT_NOISE_FLOOR})`, parseFloor)
    .option('--no-law-error', "leave the law's own error out of intervals and P(best): they then assume the law is right (only the fit's uncertainty, its scatter and seed noise)");
}

/** Raw values of addUncertaintyOptions. */
export interface UncertaintyOptionValues {
  samples?: number;
  seed?: number;
  level?: number;
  noiseFloor?: number;
  /** false with --no-law-error. */
  lawError?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** The bootstrap options from the command line. */
export function uncertaintyOptions(o: UncertaintyOptionValues): UncertaintyOptions {
  return { samples: o.samples, seed: o.seed, level: o.level, noiseFloor: o.noiseFloor };
}

/**
 * Bootstraps a fit unless --samples 0, with progress on stderr for long runs; returns the
 * bootstrap (or undefined) and the warnings about parameter intervals that reach a bound.
 */
export async function bootstrapWithProgress(runs: readonly Run[], fit: FitResult, fitOptions: FitOptions, o: UncertaintyOptionValues): Promise<{ uncertainty?: Uncertainty; notes: Warning[] }> {
  if (o.samples === 0) return { notes: intervalOptionsIgnored(o, 'with --samples 0 (no intervals)') };
  const progress = makeProgress(o);
  const uncertainty = await bootstrapFitParallel(runs, fit, fitOptions, uncertaintyOptions(o), (done, total) => progress.update('bootstrap refits', done, total));
  progress.end();
  const law = lawByName(fit.model.law);
  const held = fit.fitLambda || fit.model.law !== 'momentum' ? fit.held : [...fit.held, 'lambda'];
  const few = uncertainty.samples < FEW_SAMPLES ? [warning('few-samples', `--samples ${uncertainty.samples}: intervals from fewer than ${FEW_SAMPLES} refits are rough (their ends move from seed to seed); the default is ${DEFAULT_SAMPLES}`)] : [];
  // a parameter refitted on a narrower grid (λ) is at "its bound" at that grid's ends
  const specs = law.params.map((s) => {
    const range = uncertainty.searchRange?.[s.name];
    return range ? { ...s, lower: range[0], upper: range[1] } : s;
  });
  return { uncertainty, notes: [...few, ...intervalAtBoundWarnings(parameterIntervals(uncertainty, law.params), specs, held, law.title, uncertainty.level)] };
}

/** A warning when --level or --noise-floor is given where there are no intervals to apply it to. */
export function intervalOptionsIgnored(o: UncertaintyOptionValues, why: string): Warning[] {
  const given = [o.level !== undefined ? '--level' : '', o.noiseFloor !== undefined ? '--noise-floor' : ''].filter(Boolean);
  return given.length === 0 ? [] : [warning('option-ignored', `${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'} ignored ${why}`)];
}

/** A bootstrap read from a params file, with the level and noise floor of this command line. */
export function withPresentation(u: Uncertainty | undefined, o: UncertaintyOptionValues): Uncertainty | undefined {
  return u ? { ...u, level: o.level ?? u.level, noiseFloor: o.noiseFloor ?? u.noiseFloor } : undefined;
}
