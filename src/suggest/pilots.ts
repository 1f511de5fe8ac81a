/**
 * Pilot runs: the extra runs a user could afford to train before deciding, each with its
 * schedule and its cost in steps. A pilot may branch from a saved checkpoint of a fitted run
 * (a cooldown from the constant run at step 12 000, say): it then costs only the steps after the
 * branch, and its LR must be the fitted run's up to the branch.
 */
import { usageError } from '../errors.js';
import { readStructuredFile } from '../io/structured-file.js';
import type { Run } from '../core/run.js';
import { lrAt, type LrProfile } from '../core/lr-profile.js';
import { parseSchedule, scheduleProfile } from '../schedule/schedule.js';

/** Where a pilot branches from: a fitted run's checkpoint. */
export interface Branch {
  /** The fitted run, as its label reads (the log's file name without its folder). */
  run: string;
  /** The checkpoint's step: the pilot trains from here. */
  step: number;
}

/** A run the user could train next. */
export interface Pilot {
  name: string;
  /** Its whole schedule, from step 0 (a branch's schedule equals the fitted run's up to the branch). */
  schedule: string;
  /** Steps it costs to train. */
  cost: number;
  branchFrom?: Branch;
}

/** Pilots weighed at most: each costs several refits of the law (a longer pilots file is refused; the proposed menu is cut, with a note). */
export const MAX_PILOTS = 40;

/** How close (relative to the peak) a branch's LR must be to its fitted run's before the branch. */
const BRANCH_LR_TOLERANCE = 1e-3;

/** Reads `{"branchFrom": {"run", "step"}}` or `"RUN@STEP"`. */
function parseBranch(value: unknown, where: string): Branch {
  if (typeof value === 'string') {
    const at = value.lastIndexOf('@');
    const step = Number(value.slice(at + 1));
    if (at <= 0 || !Number.isInteger(step) || step <= 0) throw usageError(`${where}: branchFrom "${value}" must be RUN@STEP (a fitted run and a positive whole step), e.g. constant_50000@12000`);
    return { run: value.slice(0, at), step };
  }
  const b = value as { run?: unknown; step?: unknown };
  if (typeof b?.run !== 'string' || typeof b.step !== 'number' || !Number.isInteger(b.step) || b.step <= 0) throw usageError(`${where}: branchFrom must be {"run": NAME, "step": STEP} with a positive whole step, or "NAME@STEP"`);
  return { run: b.run, step: b.step };
}

/** One pilot of a menu file, checked (its schedule parsed, its cost positive and finite). */
function readPilot(entry: unknown, i: number, path: string): Pilot {
  const where = `${path}: pilot ${i + 1}`;
  const e = entry as { name?: unknown; schedule?: unknown; cost?: unknown; branchFrom?: unknown };
  if (typeof e?.schedule !== 'string') throw usageError(`${where} has no "schedule" string; expected {"name", "schedule", "cost", "branchFrom"?}`);
  let schedule: ReturnType<typeof parseSchedule>;
  try {
    schedule = parseSchedule(e.schedule);
    if (schedule.total !== undefined) scheduleProfile(schedule, schedule.total); // an LR area no law can work with is refused here, naming the pilot
  } catch (err) {
    throw usageError(`${where}: ${(err as Error).message}`);
  }
  if (schedule.total === undefined) throw usageError(`${where}: schedule "${e.schedule}" has no total; a pilot's length is its cost, so add total=STEPS`);
  const branchFrom = e.branchFrom === undefined ? undefined : parseBranch(e.branchFrom, where);
  if (branchFrom && branchFrom.step >= schedule.total) throw usageError(`${where}: it branches at step ${branchFrom.step} but its schedule ends at ${schedule.total}; a branch trains after its checkpoint`);
  const cost = e.cost === undefined ? schedule.total - (branchFrom?.step ?? 0) : e.cost;
  if (typeof cost !== 'number' || !Number.isFinite(cost) || cost <= 0) throw usageError(`${where}: cost ${typeof cost === 'number' ? String(cost) : JSON.stringify(cost)} must be a positive, finite number of steps`);
  const name = typeof e.name === 'string' && e.name.trim() !== '' ? e.name : `pilot ${i + 1}`;
  return { name, schedule: e.schedule, cost, ...(branchFrom ? { branchFrom } : {}) };
}

/** Reads a pilots file: `{"pilots": [{"name", "schedule", "cost", "branchFrom"?}]}`, a bare list, or YAML of the same. */
export function readPilotsFile(path: string): Pilot[] {
  const doc = readStructuredFile(path, 'pilots file');
  const list = Array.isArray(doc) ? doc : (doc as { pilots?: unknown })?.pilots;
  if (!Array.isArray(list)) throw usageError(`${path}: no "pilots" list; expected {"pilots": [{"name": "...", "schedule": "wsd:...", "cost": STEPS, "branchFrom": "RUN@STEP"}]}`);
  if (list.length === 0) throw usageError(`${path}: the pilots list is empty; give at least one run you could train, or leave --pilots out for a menu of cooldown branches`);
  if (list.length > MAX_PILOTS) throw usageError(`${path}: ${list.length} pilots; suggest refits the law several times per pilot, so it weighs at most ${MAX_PILOTS}: keep the ${MAX_PILOTS} you could most afford`);
  const pilots = list.map((entry, i) => readPilot(entry, i, path));
  const names = new Set<string>();
  for (const p of pilots) {
    if (names.has(p.name)) throw usageError(`${path}: two pilots are named "${p.name}"; give each its own name`);
    names.add(p.name);
  }
  return pilots;
}

/** A run's label without its file's extensions (`constant_50000.val.csv` → `constant_50000`): how a branch names its run. */
export function bareLabel(label: string): string {
  return label.replace(/(\.[A-Za-z]+)+$/, '');
}

/** The fitted run a branch names (its label, or its label without the file's extensions). */
export function branchRun(branch: Branch, runs: readonly Run[]): Run | undefined {
  return runs.find((r) => r.label === branch.run) ?? runs.find((r) => bareLabel(r.label) === branch.run || bareLabel(r.label) === bareLabel(branch.run));
}

/** The steps at which two LR profiles are compared before a branch: a few hundred evenly spaced, and every one of the last 64. */
function checkSteps(end: number): number[] {
  const count = Math.min(end, 400);
  const spread = Array.from({ length: count }, (_, i) => Math.floor((i * end) / count));
  const tail = Array.from({ length: Math.min(end, 64) }, (_, i) => end - 1 - i);
  return [...new Set([...spread, ...tail])];
}

/** First step before `end` where two profiles' LRs differ (relative to `peak`), or null. */
export function firstLrDifference(a: LrProfile, b: LrProfile, end: number, peak: number): number | null {
  for (const t of checkSteps(end)) if (Math.abs(lrAt(a, t) - lrAt(b, t)) > BRANCH_LR_TOLERANCE * peak) return t;
  return null;
}

/** Checks each branched pilot against its fitted run (it exists, was trained to the branch, has its LR before it); a usage error otherwise. */
export function checkBranches(pilots: readonly Pilot[], runs: readonly Run[], source: string): void {
  for (const p of pilots) {
    if (!p.branchFrom) continue;
    const { run: name, step } = p.branchFrom;
    const run = branchRun(p.branchFrom, runs);
    if (!run) throw usageError(`${source}: pilot "${p.name}" branches from "${name}", which is not a fitted run (fitted: ${runs.map((r) => r.label).join(', ')})`);
    const logged = run.steps[run.steps.length - 1] ?? 0;
    if (step > logged) throw usageError(`${source}: pilot "${p.name}" branches from ${run.label} at step ${step}, but that run is logged only to step ${logged}: no checkpoint there`);
    const schedule = parseSchedule(p.schedule);
    const profile = scheduleProfile(schedule, schedule.total!);
    const differs = firstLrDifference(profile, run.lr, step, run.lr.peak);
    if (differs !== null) throw usageError(`${source}: pilot "${p.name}" contradicts its branch: at step ${differs} its LR is ${lrAt(profile, differs).toExponential(3)} but ${run.label}'s is ${lrAt(run.lr, differs).toExponential(3)}; a branch must follow its run up to step ${step}`);
  }
}
