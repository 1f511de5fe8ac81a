/**
 * The bootstrap on several cores: the resamples are drawn in this thread (so a seed gives the
 * same resamples whatever the number of threads), split into contiguous slices, and refitted by
 * worker threads that rebuild the law's refitter from its plain-data state. Every refit is a pure
 * function of its resample, so the result is identical to bootstrapFit's, byte for byte.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Run } from '../core/run.js';
import { MIN_RUNS_TO_RESAMPLE, type Resample, resamples } from '../fit/resample.js';
import { lawByName } from '../law/registry.js';
import type { FitOptions, FitResult, Model, RefitState } from '../law/types.js';
import type { BootstrapJob } from './bootstrap-worker.js';
import { bootstrapFit, type Uncertainty, type UncertaintyOptions, uncertaintySettings } from './uncertainty.js';

/**
 * The bootstrap stays in this thread when the refits left would take less than this (in ms):
 * starting workers and loading the law code in each costs about 150 ms.
 */
export const PARALLEL_MIN_MS = 600;

/** How long the refits in this thread run before the time of the rest is estimated (ms). */
const PROBE_MS = 80;

/** Options of bootstrapFitParallel. */
export interface ParallelOptions {
  /** Worker threads at most (default: the cores available, at most 8). */
  threads?: number;
  /** Threads are used only when the refits left would take at least this long (ms; default PARALLEL_MIN_MS). */
  minParallelMs?: number;
  /** How long the refits in this thread run before the rest is timed (ms; default 80; at least one refit). */
  probeMs?: number;
}

/**
 * bootstrapFit on several cores when the refits left would take long enough to gain from them
 * (timed on the first refits, done here); the same result either way.
 */
export async function bootstrapFitParallel(runs: readonly Run[], fit: FitResult, fitOptions: FitOptions = {}, options: UncertaintyOptions & ParallelOptions = {}, onProgress?: (done: number, total: number) => void): Promise<Uncertainty> {
  const settings = uncertaintySettings(options);
  const refitter = lawByName(fit.model.law).refitter(runs, fitOptions, fit);
  const threads = Math.min(options.threads ?? Math.min(8, availableParallelism()), settings.samples);
  // run from TypeScript sources (as the unit tests do) there is no compiled worker to start
  const workerUrl = new URL('./bootstrap-worker.js', import.meta.url);
  if (threads < 2 || !existsSync(fileURLToPath(workerUrl))) return bootstrapFit(runs, fit, fitOptions, options, onProgress, refitter);
  const drawn = resamples(refitter.sizes, settings.samples, settings.seed, refitter.needed, options.blocks);
  const params: Model['params'][] = [];
  const started = performance.now();
  const refitHere = () => {
    params.push(refitter.refit(drawn[params.length]).params);
    onProgress?.(params.length, settings.samples);
  };
  do refitHere();
  while (params.length < drawn.length && performance.now() - started < (options.probeMs ?? PROBE_MS));
  const left = drawn.length - params.length;
  if (left === 0 || (left * (performance.now() - started)) / params.length < (options.minParallelMs ?? PARALLEL_MIN_MS)) while (params.length < drawn.length) refitHere();
  else params.push(...(await refitInWorkers(workerUrl, refitter.state, drawn.slice(params.length), Math.min(threads, left), (done) => onProgress?.(params.length + done, settings.samples))));
  const models = params.map((p) => ({ law: fit.model.law, params: p, settings: fit.model.settings }));
  return { models, ...settings, scatter: fit.metrics.rmse, method: runs.length >= MIN_RUNS_TO_RESAMPLE ? 'runs+blocks' : 'blocks', ...(refitter.searchRange ? { searchRange: refitter.searchRange } : {}) };
}

/** Refits the resamples on `threads` workers, in contiguous slices; their parameters in order. */
async function refitInWorkers(workerUrl: URL, state: RefitState, drawn: readonly Resample[], threads: number, onProgress: (done: number) => void): Promise<Model['params'][]> {
  const slices = Array.from({ length: threads }, (_, t) => drawn.slice(Math.floor((t * drawn.length) / threads), Math.floor(((t + 1) * drawn.length) / threads)));
  let done = 0;
  const results = await Promise.all(
    slices.map(
      (slice) =>
        new Promise<Model['params'][]>((resolve, reject) => {
          const worker = new Worker(workerUrl, { workerData: { state, resamples: slice } satisfies BootstrapJob });
          worker.on('message', (m: { done?: number; params?: Model['params'][] }) => {
            if (m.params) resolve(m.params);
            else onProgress((done += m.done ?? 0));
          });
          worker.on('error', reject);
          worker.on('exit', (code) => code !== 0 && reject(new Error(`a bootstrap worker stopped with code ${code}`)));
        }),
    ),
  );
  return results.flat();
}
