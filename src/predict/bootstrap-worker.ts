/**
 * A worker thread of the parallel bootstrap: rebuilds the refitter from its state and refits
 * the resamples it was given, in order, reporting each finished refit (for progress) and then
 * the parameters of all of them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lawByName } from '../law/registry.js';
import type { RefitState } from '../law/types.js';
import type { Resample } from '../fit/resample.js';

/** What a worker is given. */
export interface BootstrapJob {
  state: RefitState;
  resamples: Resample[];
}

const job = workerData as BootstrapJob;
const refitter = lawByName(job.state.law).refitterFromState(job.state);
const params = job.resamples.map((resample) => {
  const model = refitter.refit(resample);
  parentPort!.postMessage({ done: 1 });
  return model.params;
});
parentPort!.postMessage({ params });
