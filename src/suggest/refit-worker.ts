/**
 * A worker thread of suggest: its first message is the refit setup (the law, the fitted runs, the
 * candidates, their LR profiles as plain data); then it refits the law with each simulated pilot
 * log it is sent and replies with the candidate the refitted law would pick.
 */
import { parentPort } from 'node:worker_threads';
import { profileFromPortable } from '../core/portable-profile.js';
import { type PortableSetup, type RefitReply, type RefitTask, runFromPortable } from './portable.js';
import { pickAfter, type RefitSetup } from './refit.js';

let setup: RefitSetup | undefined;
parentPort!.on('message', (message: PortableSetup | RefitTask) => {
  if (!setup) {
    const s = message as PortableSetup;
    setup = { ...s, runs: s.runs.map(runFromPortable), candidates: s.candidates.map((c) => ({ profile: profileFromPortable(c.profile), total: c.total })) };
    parentPort!.postMessage({ ready: true } satisfies RefitReply);
    return;
  }
  const task = message as RefitTask;
  parentPort!.postMessage({ pilot: task.pilot, simulation: task.simulation, pick: pickAfter(setup, runFromPortable(task.log)) } satisfies RefitReply);
});
