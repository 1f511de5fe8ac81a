/** What suggest's worker threads are sent and send back: refit setups and simulated logs as plain data, and picks. */
import type { Run } from '../core/run.js';
import { type PortableProfile, portableProfile, profileFromPortable } from '../core/portable-profile.js';
import type { RefitSetup } from './refit.js';

/** A run whose LR profile is plain data. */
export type PortableRun = Omit<Run, 'lr'> & { lr: PortableProfile };

/** The refit setup as plain data. */
export type PortableSetup = Omit<RefitSetup, 'runs' | 'candidates'> & { runs: PortableRun[]; candidates: { profile: PortableProfile; total: number }[] };

/** A simulated log to refit on, with its place in the plan. */
export interface RefitTask {
  pilot: number;
  simulation: number;
  log: PortableRun;
}

/** What a worker sends back: `ready` once, then each task's pick. */
export interface RefitReply {
  ready?: true;
  pilot?: number;
  simulation?: number;
  pick?: number | null;
}

/** A run as plain data. */
export function portableRun(run: Run): PortableRun {
  return { ...run, lr: portableProfile(run.lr) };
}

/** A run back from plain data. */
export function runFromPortable(run: PortableRun): Run {
  return { ...run, lr: profileFromPortable(run.lr) };
}

/** The setup as plain data. */
export function portableSetup(setup: RefitSetup): PortableSetup {
  return { ...setup, runs: setup.runs.map(portableRun), candidates: setup.candidates.map((c) => ({ profile: portableProfile(c.profile), total: c.total })) };
}

