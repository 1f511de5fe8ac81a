/**
 * A worker thread of the parallel bootstrap. Its first message is the refitter's state, which it
 * rebuilds and answers "ready"; then it refits each chunk of resamples it is sent and replies
 * with their parameters.
 */
import { parentPort } from 'node:worker_threads';
import { lawByName } from '../law/registry.js';
import type { Model, Refitter, RefitState } from '../law/types.js';
import type { Resample } from '../fit/resample.js';

/** A chunk of work: the resamples drawn[start … start + resamples.length − 1]. */
export interface WorkerTask {
  start: number;
  resamples: Resample[];
}

/** What a worker sends back: `ready` once, then the parameters of each chunk it was sent. */
export interface WorkerReply {
  ready?: true;
  start?: number;
  params?: Model['params'][];
}

let refitter: Refitter | undefined;
parentPort!.on('message', (message: RefitState | WorkerTask) => {
  if (!refitter) {
    const state = message as RefitState;
    refitter = lawByName(state.law).refitterFromState(state);
    parentPort!.postMessage({ ready: true } satisfies WorkerReply);
    return;
  }
  const task = message as WorkerTask;
  parentPort!.postMessage({ start: task.start, params: task.resamples.map((r) => refitter!.refit(r).params) } satisfies WorkerReply);
});
