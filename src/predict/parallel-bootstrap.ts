/**
 * The bootstrap on several cores: the resamples are drawn in this thread (so a seed gives the
 * same resamples whatever the number of threads) and refitted from one queue, in small chunks,
 * by this thread and by worker threads that rebuild the law's refitter from its plain-data
 * state. Every refit is a pure function of its resample and lands at its own index, so the
 * result is identical to bootstrapFit's, byte for byte.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compiledWorker } from './worker-file.js';
import type { Run } from '../core/run.js';
import { type Resample, resamples } from '../fit/resample.js';
import { lawByName } from '../law/registry.js';
import type { FitOptions, FitResult, Model, Refitter, RefitState } from '../law/types.js';
import type { WorkerReply, WorkerTask } from './bootstrap-worker.js';
import { bootstrapFit, bootstrapOf, type Uncertainty, type UncertaintyOptions, uncertaintySettings } from './uncertainty.js';

/**
 * The bootstrap stays in this thread when the refits left would take less than this (in ms):
 * starting a worker and compiling the law code in it costs 150–400 ms.
 */
export const PARALLEL_MIN_MS = 600;

/** How long the refits in this thread run, at most, before the time of the rest is estimated (ms). */
const PROBE_MS = 80;

/** Refits handed out at a time (a worker's reply per chunk; this thread yields between its chunks). */
const CHUNK = 2;

/**
 * Chunks a worker holds at once. With one, a worker that finished its chunk idled until this
 * thread finished its own (half a chunk on average: a third of the worker's time).
 */
const IN_FLIGHT = 2;

/** Options of bootstrapFitParallel. */
export interface ParallelOptions {
  /** Threads at most, this one included (default: the cores available, at most 8). */
  threads?: number;
  /** Threads are used only when the refits left would take at least this long (ms; default PARALLEL_MIN_MS). */
  minParallelMs?: number;
  /** How long the refits in this thread run before the rest is timed (ms; default 80; at least one refit). */
  probeMs?: number;
}

/** The default number of threads of a bootstrap, this one included. */
function defaultThreads(): number {
  return Math.min(8, availableParallelism());
}

/**
 * bootstrapFit on several cores when the refits left would take long enough to gain from them
 * (timed on the first refits, done here); the same result either way.
 */
export async function bootstrapFitParallel(runs: readonly Run[], fit: FitResult, fitOptions: FitOptions = {}, options: UncertaintyOptions & ParallelOptions = {}, onProgress?: (done: number, total: number) => void): Promise<Uncertainty> {
  const settings = uncertaintySettings(options);
  const refitter = lawByName(fit.model.law).refitter(runs, fitOptions, fit);
  const threads = Math.min(options.threads ?? defaultThreads(), settings.samples);
  const workerUrl = compiledWorker('./bootstrap-worker.js', import.meta.url);
  if (threads < 2 || !workerUrl) return bootstrapFit(runs, fit, fitOptions, options, onProgress, refitter);
  const drawn = resamples(refitter.sizes, settings.samples, settings.seed, refitter.needed, options.blocks);
  const params: Model['params'][] = new Array(drawn.length);
  let done = 0;
  const report = () => onProgress?.(done, settings.samples);
  const started = performance.now();
  const minParallelMs = options.minParallelMs ?? PARALLEL_MIN_MS;
  /** The time the refits left would take in this thread, at the pace of those done (ms). */
  const leftMs = () => ((drawn.length - done) * (performance.now() - started)) / done;
  // the probe ends early when the refits left clearly need the workers (twice the threshold,
  // as the first refits are the slowest): a worker then starts up beside this thread's refits
  // instead of after the probe
  do {
    params[done] = refitter.refit(drawn[done]).params;
    done++;
    report();
  } while (done < drawn.length && performance.now() - started < (options.probeMs ?? PROBE_MS) && leftMs() < 2 * minParallelMs);
  const left = drawn.length - done;
  const parallel = left > 0 && leftMs() >= minParallelMs;
  await refitQueue(refitter, drawn, done, params, parallel ? workerUrl : undefined, Math.min(threads - 1, Math.ceil(left / CHUNK)), () => {
    done++;
    report();
  });
  return bootstrapOf(runs, fit, settings, params.map((p) => ({ law: fit.model.law, params: p, settings: fit.model.settings })), refitter);
}

/**
 * Refits drawn[from…] into `params` (each at its index): this thread takes chunks from the queue
 * and yields between them, so the workers (none without `workerUrl`) get theirs as they finish.
 */
async function refitQueue(refitter: Refitter, drawn: readonly Resample[], from: number, params: Model['params'][], workerUrl: URL | undefined, workers: number, onRefit: () => void): Promise<void> {
  let next = from;
  const take = (): WorkerTask | null => {
    if (next >= drawn.length) return null;
    const start = next;
    next = Math.min(drawn.length, next + CHUNK);
    return { start, resamples: drawn.slice(start, next) };
  };
  const started: Worker[] = [];
  const running = workerUrl
    ? Array.from(
        { length: workers },
        () =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(workerUrl);
            started.push(worker);
            worker.postMessage(refitter.state);
            let finished = false;
            let outstanding = 0;
            const give = () => {
              const task = take();
              if (task) {
                worker.postMessage(task);
                outstanding++;
              } else if (outstanding === 0) {
                finished = true;
                void worker.terminate().then(() => resolve());
              }
            };
            worker.on('message', (m: WorkerReply) => {
              // IN_FLIGHT chunks per worker: it starts the next as soon as it replies, without
              // waiting for this thread, which reads replies only between its own chunks
              if (m.ready) {
                for (let k = 0; k < IN_FLIGHT; k++) give();
                return;
              }
              outstanding--;
              m.params!.forEach((p, k) => {
                params[m.start! + k] = p;
                onRefit();
              });
              give();
            });
            worker.on('error', reject);
            worker.on('messageerror', reject);
            worker.on('exit', (code) => (finished ? resolve() : reject(new Error(`a bootstrap worker stopped early (exit code ${code})`))));
          }),
      )
    : [];
  const all = Promise.all(running);
  all.catch(() => {}); // handled below, after this thread's share (a failure must not be an unhandled rejection meanwhile)
  try {
    for (let task = take(); task; task = take()) {
      task.resamples.forEach((resample, k) => {
        params[task!.start + k] = refitter.refit(resample).params;
        onRefit();
      });
      if (running.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await all;
  } catch (err) {
    for (const worker of started) void worker.terminate(); // a failure here or in a worker: none left running to hold the process
    throw err;
  }
}
