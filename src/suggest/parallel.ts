/**
 * suggest's refits on several cores: the plan (truths and simulated logs) is made in this thread,
 * so a seed gives the same logs whatever the number of threads; each refit is a pure function of
 * its log, so the answer is the same as valueOfPilots', pick for pick.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compiledWorker } from '../predict/worker-file.js';
import { portableRun, portableSetup, type RefitReply } from './portable.js';
import { pickAfter } from './refit.js';
import { planPilots, scorePilots, type Suggestion, type SuggestInput } from './value.js';

/** valueOfPilots with the refits spread over worker threads (default: one per core, at most 8). */
export async function valueOfPilotsParallel(input: SuggestInput, threads = Math.min(8, availableParallelism())): Promise<Suggestion> {
  const plan = planPilots(input);
  const tasks = plan.logs.flatMap((logs, pilot) => logs.map((log, simulation) => ({ pilot, simulation, log })));
  const picks = plan.logs.map((logs) => logs.map((): number | null => null));
  const url = compiledWorker('./refit-worker.js', import.meta.url);
  let done = 0;
  const finish = (t: { pilot: number; simulation: number }, pick: number | null) => {
    picks[t.pilot][t.simulation] = pick;
    input.onProgress?.(++done, tasks.length);
  };
  if (!url || threads < 2 || tasks.length < 4) {
    for (const t of tasks) finish(t, pickAfter(plan.setup, t.log));
    return scorePilots(plan, picks);
  }
  let next = 0;
  const portable = portableSetup(plan.setup);
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: Math.min(threads, tasks.length) }, () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(url);
          workers.push(worker);
          worker.postMessage(portable);
          let finished = false;
          const give = () => {
            if (next < tasks.length) {
              const t = tasks[next++];
              worker.postMessage({ pilot: t.pilot, simulation: t.simulation, log: portableRun(t.log) });
            } else {
              finished = true;
              void worker.terminate().then(() => resolve());
            }
          };
          worker.on('message', (m: RefitReply) => {
            if (!m.ready) finish({ pilot: m.pilot!, simulation: m.simulation! }, m.pick ?? null);
            give();
          });
          worker.on('error', reject);
          worker.on('messageerror', reject);
          worker.on('exit', (code) => (finished ? resolve() : reject(new Error(`a suggest worker stopped early (exit code ${code})`))));
        }),
      ),
    );
  } finally {
    for (const w of workers) void w.terminate();
  }
  return scorePilots(plan, picks);
}
